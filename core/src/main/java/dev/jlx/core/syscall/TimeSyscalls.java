package dev.jlx.core.syscall;

import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Itimerval;
import dev.jlx.abi.struct.Rusage;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.abi.struct.Timeval;
import dev.jlx.abi.struct.Timezone;
import dev.jlx.abi.struct.Tms;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.ClockAlarm;
import dev.jlx.core.kernel.CpuTime;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.TimeKeeping;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Clocks and sleeps. The wall clock and the monotonic clock are the JVM's (CLOCK_REALTIME and
 * CLOCK_MONOTONIC on a Linux host); CPU-time clocks are those of the Java threads that run the guest
 * threads ({@link CpuTime}).
 */
final class TimeSyscalls {
    private static final long NANOS = 1_000_000_000L;
    /** Coarse clocks tick with the kernel's jiffy: CONFIG_HZ=250 on Debian's kernels. */
    private static final long COARSE_RESOLUTION = 4_000_000L;
    /** What a tick-based CPU clock (CPUCLOCK_PROF, CPUCLOCK_VIRT) reports as its resolution: one jiffy. */
    private static final long TICK_RESOLUTION = 4_000_000L;

    private TimeSyscalls() {}

    /**
     * Nanoseconds of {@code clock} as the guest sees it, a CPU-time clock included: the realtime clocks
     * with the offset a guest set ({@link TimeKeeping}); EINVAL for an unknown clock.
     */
    static long now(GuestThread t, int clock) throws ErrnoException {
        return isCpuClock(clock) ? cpuClock(t, clock, true) : now(clock) + offset(t.process().kernel().timeKeeping(), clock);
    }

    /** What the guests' reading of {@code clock} is ahead of the host's: CLOCK_REALTIME's set offset, and TAI's seconds. */
    private static long offset(TimeKeeping time, int clock) {
        return switch (clock) {
            case Clocks.CLOCK_REALTIME, Clocks.CLOCK_REALTIME_COARSE, Clocks.CLOCK_REALTIME_ALARM -> time.realtimeOffset();
            case Clocks.CLOCK_TAI -> time.realtimeOffset() + time.taiSeconds() * NANOS;
            default -> 0;
        };
    }

    /**
     * The fields of a CPU-time clock id (include/linux/posix-timers.h): ~pid << 3 | per-thread << 2 |
     * which, which being PROF (0), VIRT or SCHED; 3 is CLOCKFD, a clock device jlx has none of.
     */
    private static final int CPUCLOCK_VIRT = 1;
    private static final int CPUCLOCK_SCHED = 2;
    private static final int CPUCLOCK_MAX = 3;
    private static final int CPUCLOCK_PERTHREAD_MASK = 4;
    private static final int CPUCLOCK_CLOCK_MASK = 3;

    /**
     * A CPU-time clock, as Linux's posix-cpu-timers: CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID
     * are the caller's, a negative id names a thread of the caller's process (pthread_getcpuclockid) or
     * any process (clock_getcpuclockid), pid 0 being the caller; VIRT counts user time, PROF and SCHED
     * user and system time. A process id may be given as the caller's tid where {@code gettime}, as
     * Linux's clock_gettime allows. EINVAL for a clock that names no such thread or process.
     */
    private static long cpuClock(GuestThread t, int clock, boolean gettime) throws ErrnoException {
        return cpuClockSource(t, clock, gettime).getAsLong();
    }

    /** The reading of a CPU-time clock, as {@link #cpuClock} checks and reads it, for timers to read again. */
    private static LongSupplier cpuClockSource(GuestThread t, int clock, boolean gettime) throws ErrnoException {
        GuestProcess p = t.process();
        if (clock == Clocks.CLOCK_PROCESS_CPUTIME_ID) {
            return () -> CpuTime.of(p).totalNanos();
        }
        if (clock == Clocks.CLOCK_THREAD_CPUTIME_ID) {
            return () -> CpuTime.of(p, t).totalNanos();
        }
        int which = clock & CPUCLOCK_CLOCK_MASK;
        int pid = ~(clock >> 3);
        if (which >= CPUCLOCK_MAX) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean user = which == CPUCLOCK_VIRT;
        if ((clock & CPUCLOCK_PERTHREAD_MASK) != 0) {
            GuestThread target = pid == 0 ? t : null;
            for (GuestThread other : pid == 0 ? java.util.List.<GuestThread>of() : p.threadSnapshot()) {
                if (other.tid() == pid && !other.ending()) {
                    target = other;
                }
            }
            if (target == null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            GuestThread thread = target;
            return () -> user ? CpuTime.of(p, thread).userNanos() : CpuTime.of(p, thread).totalNanos();
        }
        GuestProcess target = pid == 0 || gettime && pid == t.tid() ? p : p.kernel().process(pid);
        if (target == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return () -> user ? CpuTime.of(target).userNanos() : CpuTime.of(target).totalNanos();
    }

    /** Whether {@code clock} is a CPU-time clock (the caller's, or one a negative id names). */
    static boolean isCpuClock(int clock) {
        return clock < 0 || clock == Clocks.CLOCK_PROCESS_CPUTIME_ID || clock == Clocks.CLOCK_THREAD_CPUTIME_ID;
    }

    /** CPUCLOCK_CLOCK_MASK's value for a clock device (a negative id of a descriptor, which jlx has none of). */
    static boolean isClockFd(int clock) {
        return clock < 0 && (clock & CPUCLOCK_CLOCK_MASK) == CPUCLOCK_MAX;
    }

    /**
     * A clock for a timer to read again and again: a CPU-time clock of the caller's (checked as
     * timer_create checks it), or one of the clocks {@link #now(int)} reads; the alarm clocks read
     * as their base clocks (CLOCK_REALTIME, CLOCK_BOOTTIME).
     */
    static ClockAlarm.Clock clockSource(GuestThread t, int clock) throws ErrnoException {
        if (isCpuClock(clock)) {
            return new ClockAlarm.Clock(cpuClockSource(t, clock, false), true);
        }
        int base = clock == Clocks.CLOCK_REALTIME_ALARM ? Clocks.CLOCK_REALTIME
                : clock == Clocks.CLOCK_BOOTTIME_ALARM ? Clocks.CLOCK_BOOTTIME : clock;
        now(base);
        TimeKeeping time = t.process().kernel().timeKeeping();
        return new ClockAlarm.Clock(() -> {
            try {
                return now(base) + offset(time, base);
            } catch (ErrnoException checkedAbove) {
                throw new IllegalStateException(checkedAbove);
            }
        }, false);
    }

    /**
     * Nanoseconds of a clock that is not a CPU-time clock, as the host reads it (without a guest's
     * offset); EINVAL for an unknown clock, and for the alarm clocks, as Linux on a machine without a
     * real-time clock device (alarm_clock_get_*).
     */
    static long now(int clock) throws ErrnoException {
        return switch (clock) {
            case Clocks.CLOCK_REALTIME, Clocks.CLOCK_REALTIME_COARSE, Clocks.CLOCK_TAI -> {
                Instant i = Instant.now();
                yield i.getEpochSecond() * NANOS + i.getNano();
            }
            case Clocks.CLOCK_MONOTONIC, Clocks.CLOCK_MONOTONIC_RAW, Clocks.CLOCK_MONOTONIC_COARSE,
                    Clocks.CLOCK_BOOTTIME -> System.nanoTime();
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    static void putTimespec(GuestMemory mem, long address, long nanos) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Timespec.SIZE);
        new Timespec(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS)).writeTo(b, 0);
        mem.writeStruct(address, b);
    }

    /** Implements Linux syscall clock_gettime(2). */
    static long clock_gettime(GuestThread t, Args a) throws ErrnoException {
        putTimespec(t.process().space().memory(), a.addr(1), now(t, a.i32(0)));
        return 0;
    }

    /** Implements Linux syscall clock_getres(2). */
    static long clock_getres(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        long resolution = 1;
        if (clock < 0) {
            cpuClock(t, clock, false);
            // The tick-based CPU clocks tick with the jiffy; SCHED's and the others count nanoseconds.
            resolution = (clock & CPUCLOCK_CLOCK_MASK) == CPUCLOCK_SCHED ? 1 : TICK_RESOLUTION;
        } else {
            now(t, clock);
            if (clock == Clocks.CLOCK_REALTIME_COARSE || clock == Clocks.CLOCK_MONOTONIC_COARSE) {
                resolution = COARSE_RESOLUTION;
            }
        }
        if (a.addr(1) != 0) {
            putTimespec(t.process().space().memory(), a.addr(1), resolution);
        }
        return 0;
    }

    /** Implements Linux syscall gettimeofday(2); the time zone is the one settimeofday set, else 0 and 0 as Linux keeps it. */
    static long gettimeofday(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        if (a.addr(0) != 0) {
            long n = now(t, Clocks.CLOCK_REALTIME);
            ByteBuffer b = GuestMemory.structBuffer(Timeval.SIZE);
            new Timeval(Math.floorDiv(n, NANOS), Math.floorMod(n, NANOS) / 1000).writeTo(b, 0);
            mem.writeStruct(a.addr(0), b);
        }
        if (a.addr(1) != 0) {
            ByteBuffer b = GuestMemory.structBuffer(Timezone.SIZE);
            int[] tz = t.process().kernel().timeKeeping().timezone();
            new Timezone(tz[0], tz[1]).writeTo(b, 0);
            mem.writeStruct(a.addr(1), b);
        }
        return 0;
    }

    /** Implements Linux syscall time(2). */
    static long time(GuestThread t, Args a) throws ErrnoException {
        long seconds = Math.floorDiv(now(t, Clocks.CLOCK_REALTIME), NANOS);
        if (a.addr(0) != 0) {
            t.process().space().memory().writeLong(a.addr(0), seconds);
        }
        return seconds;
    }

    /** getrusage(2)'s who: the process, its waited-for children, the calling thread. */
    private static final int RUSAGE_SELF = 0;
    private static final int RUSAGE_CHILDREN = -1;
    private static final int RUSAGE_THREAD = 1;
    /** USER_HZ: the unit of times(2) and of /proc's tick counts. */
    static final long USER_HZ = 100;

    /**
     * Implements Linux syscall getrusage(2): CPU times of the process's threads (RUSAGE_SELF) or the
     * caller's (RUSAGE_THREAD), the peak of the resident pages jlx's host memory has had so far; for
     * children, the times of those reaped.
     */
    static long getrusage(GuestThread t, Args a) throws ErrnoException {
        int who = a.i32(0);
        if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Rusage r;
        if (who == RUSAGE_CHILDREN) {
            r = new Rusage(timeval(t.process().childrenUserNanos()), timeval(t.process().childrenSystemNanos()), 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        } else {
            CpuTime c = who == RUSAGE_THREAD ? CpuTime.of(t.process(), t) : CpuTime.of(t.process());
            long maxRssKb = t.process().space().peakResidentBytes() / 1024;
            r = new Rusage(timeval(c.userNanos()), timeval(c.systemNanos()), maxRssKb, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0);
        }
        ByteBuffer b = GuestMemory.structBuffer(Rusage.SIZE);
        r.writeTo(b, 0);
        t.process().space().memory().writeStruct(a.addr(1), b);
        return 0;
    }

    /** A reaped child's resource usage for wait4 and waitid: its CPU times when it ended. */
    static void putChildUsage(GuestMemory mem, long address, dev.jlx.core.kernel.GuestProcess child)
            throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Rusage.SIZE);
        new Rusage(timeval(child.exitUserNanos()), timeval(child.exitSystemNanos()), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0).writeTo(b, 0);
        mem.writeStruct(address, b);
    }

    private static Timeval timeval(long nanos) {
        return new Timeval(nanos / NANOS, nanos % NANOS / 1000);
    }

    /**
     * Implements Linux syscall times(2): the process's and the reaped children's CPU times in USER_HZ
     * ticks, and the ticks of CLOCK_MONOTONIC (Linux counts from boot; only differences matter).
     */
    static long times(GuestThread t, Args a) throws ErrnoException {
        if (a.addr(0) != 0) {
            CpuTime c = CpuTime.of(t.process());
            ByteBuffer b = GuestMemory.structBuffer(Tms.SIZE);
            long tick = NANOS / USER_HZ;
            new Tms(c.userNanos() / tick, c.systemNanos() / tick, t.process().childrenUserNanos() / tick,
                    t.process().childrenSystemNanos() / tick).writeTo(b, 0);
            t.process().space().memory().writeStruct(a.addr(0), b);
        }
        return System.nanoTime() / (NANOS / USER_HZ);
    }

    /** Implements Linux syscall alarm(2): the seconds the previous alarm had left, rounded as Linux does. */
    static long alarm(GuestThread t, Args a) {
        long seconds = Integer.toUnsignedLong(a.i32(0));
        long remaining = t.process().realTimer().set(seconds * NANOS, 0)[0];
        long old = remaining / NANOS + (remaining % NANOS >= NANOS / 2 ? 1 : 0);
        return remaining > 0 && old == 0 ? 1 : old;
    }

    /** setitimer's timers: the wall clock (SIGALRM), the process's user CPU time (SIGVTALRM), its CPU time (SIGPROF). */
    private static final int ITIMER_REAL = 0;
    private static final int ITIMER_VIRTUAL = 1;
    private static final int ITIMER_PROF = 2;

    /** Implements Linux syscall setitimer(2): a NULL value disarms, as Linux still allows. */
    static long setitimer(GuestThread t, Args a) throws ErrnoException {
        long value = 0;
        long interval = 0;
        if (a.addr(1) != 0) {
            Itimerval it = Itimerval.readFrom(t.process().space().memory().readStruct(a.addr(1), Itimerval.SIZE), 0);
            interval = timevalNanos(it.interval());
            value = timevalNanos(it.value());
        }
        GuestProcess p = t.process();
        long[] old = switch (a.i32(0)) {
            case ITIMER_REAL -> p.realTimer().set(value, interval);
            case ITIMER_VIRTUAL -> p.virtualTimer().set(value, interval);
            case ITIMER_PROF -> p.profilingTimer().set(value, interval);
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        putItimerval(t, a.addr(2), old, a.i32(0) == ITIMER_REAL);
        return 0;
    }

    /** Implements Linux syscall getitimer(2). */
    static long getitimer(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        long[] setting = switch (a.i32(0)) {
            case ITIMER_REAL -> p.realTimer().get();
            case ITIMER_VIRTUAL -> p.virtualTimer().get();
            case ITIMER_PROF -> p.profilingTimer().get();
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        putItimerval(t, a.addr(1), setting, a.i32(0) == ITIMER_REAL);
        return 0;
    }

    private static long timevalNanos(Timeval tv) throws ErrnoException {
        if (tv.sec() < 0 || tv.usec() < 0 || tv.usec() >= 1_000_000) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return tv.sec() >= Long.MAX_VALUE / NANOS ? Long.MAX_VALUE : tv.sec() * NANOS + tv.usec() * 1000;
    }

    /**
     * Writes {remaining, interval} as a struct itimerval in whole microseconds: rounded up for the real
     * timer, cut for the CPU timers (Linux's ns_to_timespec64, then tv_nsec / 1000).
     */
    private static void putItimerval(GuestThread t, long address, long[] setting, boolean roundUp)
            throws ErrnoException {
        if (address == 0) {
            return;
        }
        ByteBuffer b = GuestMemory.structBuffer(Itimerval.SIZE);
        long up = roundUp ? 999 : 0;
        long intervalMicros = (setting[1] + up) / 1000;
        long valueMicros = (setting[0] + up) / 1000;
        new Itimerval(new Timeval(intervalMicros / 1_000_000, intervalMicros % 1_000_000),
                new Timeval(valueMicros / 1_000_000, valueMicros % 1_000_000)).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }

    /** Implements Linux syscall nanosleep(2). */
    static long nanosleep(GuestThread t, Args a) throws ErrnoException {
        sleepRelative(t, readTimespec(t, a.addr(0)), a.addr(1));
        return 0;
    }

    /**
     * A relative sleep; interrupted by a signal, it writes the time left to {@code rem} (when not
     * NULL) before the EINTR, as Linux's nanosleep_copyout.
     */
    private static void sleepRelative(GuestThread t, long nanos, long rem) throws ErrnoException {
        long start = System.nanoTime();
        try {
            sleepNanos(nanos);
        } catch (ErrnoException interrupted) {
            if (rem != 0) {
                putTimespec(t.process().space().memory(), rem, Math.max(0, nanos - (System.nanoTime() - start)));
            }
            throw interrupted;
        }
    }

    /**
     * Implements Linux syscall clock_nanosleep(2). On a CPU-time clock the caller waits until the
     * clock reaches the time, looking every few milliseconds; its own thread's clock is EINVAL (or
     * EOPNOTSUPP as CLOCK_THREAD_CPUTIME_ID), as on Linux: it could never advance while it sleeps.
     */
    static long clock_nanosleep(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        if (clock == Clocks.CLOCK_THREAD_CPUTIME_ID || clock == Clocks.CLOCK_MONOTONIC_RAW
                || clock == Clocks.CLOCK_REALTIME_COARSE || clock == Clocks.CLOCK_MONOTONIC_COARSE
                || clock == Clocks.CLOCK_REALTIME_ALARM || clock == Clocks.CLOCK_BOOTTIME_ALARM) {
            // Linux's clocks that have no nsleep, and the alarm clocks without a real-time clock device.
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        boolean cpu = clock < 0 || clock == Clocks.CLOCK_PROCESS_CPUTIME_ID;
        if (!cpu) {
            now(clock);
        }
        long request = readTimespec(t, a.addr(2));
        if (clock < 0 && (clock & CPUCLOCK_PERTHREAD_MASK) != 0 && (~(clock >> 3) == 0 || ~(clock >> 3) == t.tid())) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean absolute = (a.i32(1) & Clocks.TIMER_ABSTIME) != 0;
        long start = now(t, clock);
        if (!cpu) {
            if (absolute) {
                sleepNanos(until(request, start));
            } else {
                sleepRelative(t, request, a.addr(3));
            }
            return 0;
        }
        long deadline = absolute ? request : Math.min(start, Long.MAX_VALUE - request) + request;
        for (long left = deadline - start; left > 0; left = deadline - now(t, clock)) {
            try {
                sleepNanos(Math.min(left, CPU_CLOCK_LOOK_NANOS));
            } catch (ErrnoException interrupted) {
                if (!absolute && a.addr(3) != 0) {
                    putTimespec(t.process().space().memory(), a.addr(3), Math.max(0, deadline - now(t, clock)));
                }
                throw interrupted;
            }
        }
        return 0;
    }

    /** How often a sleep on a CPU-time clock looks at it. */
    private static final long CPU_CLOCK_LOOK_NANOS = 2_000_000;

    /**
     * The nanoseconds from {@code now} to the absolute time {@code deadline} (a guest's, up to
     * Long.MAX_VALUE) on the same clock; saturated, since a monotonic {@code now} may be negative.
     */
    static long until(long deadline, long now) {
        long left = deadline - now;
        return now < 0 && left < 0 ? Long.MAX_VALUE : left;
    }

    static long readTimespec(GuestThread t, long address) throws ErrnoException {
        Timespec ts = Timespec.readFrom(t.process().space().memory().readStruct(address, Timespec.SIZE), 0);
        if (ts.sec() < 0 || ts.nsec() < 0 || ts.nsec() >= NANOS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ts.sec() >= Long.MAX_VALUE / NANOS ? Long.MAX_VALUE : ts.sec() * NANOS + ts.nsec();
    }

    /** Sleeps; a guest that is killed meanwhile wakes at once (its Java thread is interrupted). */
    private static void sleepNanos(long nanos) throws ErrnoException {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        }
    }
}
