package dev.jlx.core.syscall;

import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Rusage;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.abi.struct.Timeval;
import dev.jlx.abi.struct.Timezone;
import dev.jlx.abi.struct.Tms;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Clocks and sleeps. The wall clock and the monotonic clock are the JVM's (CLOCK_REALTIME and
 * CLOCK_MONOTONIC on a Linux host); CPU-time clocks are the guest thread's Java thread.
 */
final class TimeSyscalls {
    private static final long NANOS = 1_000_000_000L;
    /** Coarse clocks tick with the kernel's jiffy: CONFIG_HZ=250 on Debian's kernels. */
    private static final long COARSE_RESOLUTION = 4_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** JVM start, for CLOCK_PROCESS_CPUTIME_ID's approximation when thread CPU time is unavailable. */
    private static final long MONOTONIC_ORIGIN = System.nanoTime();

    private TimeSyscalls() {}

    /** Nanoseconds of {@code clock}; EINVAL for an unknown clock. */
    static long now(int clock) throws ErrnoException {
        return switch (clock) {
            case Clocks.CLOCK_REALTIME, Clocks.CLOCK_REALTIME_COARSE, Clocks.CLOCK_TAI, Clocks.CLOCK_REALTIME_ALARM -> {
                Instant i = Instant.now();
                yield i.getEpochSecond() * NANOS + i.getNano();
            }
            case Clocks.CLOCK_MONOTONIC, Clocks.CLOCK_MONOTONIC_RAW, Clocks.CLOCK_MONOTONIC_COARSE,
                    Clocks.CLOCK_BOOTTIME, Clocks.CLOCK_BOOTTIME_ALARM -> System.nanoTime();
            case Clocks.CLOCK_PROCESS_CPUTIME_ID, Clocks.CLOCK_THREAD_CPUTIME_ID -> {
                long cpu = THREADS.getCurrentThreadCpuTime();
                yield cpu >= 0 ? cpu : System.nanoTime() - MONOTONIC_ORIGIN;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    private static void putTimespec(GuestMemory mem, long address, long nanos) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Timespec.SIZE);
        new Timespec(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS)).writeTo(b, 0);
        mem.writeStruct(address, b);
    }

    /** Implements Linux syscall clock_gettime(2). */
    static long clock_gettime(GuestThread t, Args a) throws ErrnoException {
        putTimespec(t.process().space().memory(), a.addr(1), now(a.i32(0)));
        return 0;
    }

    /** Implements Linux syscall clock_getres(2). */
    static long clock_getres(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        now(clock);
        if (a.addr(1) != 0) {
            boolean coarse = clock == Clocks.CLOCK_REALTIME_COARSE || clock == Clocks.CLOCK_MONOTONIC_COARSE;
            putTimespec(t.process().space().memory(), a.addr(1), coarse ? COARSE_RESOLUTION : 1);
        }
        return 0;
    }

    /** Implements Linux syscall gettimeofday(2); the time zone is always UTC with no DST, as Linux keeps it. */
    static long gettimeofday(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        if (a.addr(0) != 0) {
            long n = now(Clocks.CLOCK_REALTIME);
            ByteBuffer b = GuestMemory.structBuffer(Timeval.SIZE);
            new Timeval(n / NANOS, (n % NANOS) / 1000).writeTo(b, 0);
            mem.writeStruct(a.addr(0), b);
        }
        if (a.addr(1) != 0) {
            ByteBuffer b = GuestMemory.structBuffer(Timezone.SIZE);
            new Timezone(0, 0).writeTo(b, 0);
            mem.writeStruct(a.addr(1), b);
        }
        return 0;
    }

    /** Implements Linux syscall time(2). */
    static long time(GuestThread t, Args a) throws ErrnoException {
        long seconds = now(Clocks.CLOCK_REALTIME) / NANOS;
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
     * Implements Linux syscall getrusage(2): CPU times of the guest thread's Java thread, the peak of
     * the resident pages jlx's host memory has had so far; for children, the times of those reaped.
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
            long user = Math.max(0, THREADS.getCurrentThreadUserTime());
            long system = Math.max(0, THREADS.getCurrentThreadCpuTime() - user);
            long maxRssKb = t.process().space().peakResidentBytes() / 1024;
            r = new Rusage(timeval(user), timeval(system), maxRssKb, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
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
     * Implements Linux syscall times(2): the thread's and the reaped children's CPU times in USER_HZ
     * ticks, and the ticks of CLOCK_MONOTONIC (Linux counts from boot; only differences matter).
     */
    static long times(GuestThread t, Args a) throws ErrnoException {
        if (a.addr(0) != 0) {
            long user = Math.max(0, THREADS.getCurrentThreadUserTime());
            long system = Math.max(0, THREADS.getCurrentThreadCpuTime() - user);
            ByteBuffer b = GuestMemory.structBuffer(Tms.SIZE);
            long tick = NANOS / USER_HZ;
            new Tms(user / tick, system / tick, t.process().childrenUserNanos() / tick,
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

    /** setitimer's and getitimer's only timer jlx keeps: ITIMER_REAL (wall clock, SIGALRM). */
    private static final int ITIMER_REAL = 0;
    /** struct itimerval: it_interval then it_value, each a struct timeval. */
    private static final int ITIMERVAL_SIZE = 32;

    /** Implements Linux syscall setitimer(2) for ITIMER_REAL. */
    static long setitimer(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(0) != ITIMER_REAL) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long value = 0;
        long interval = 0;
        if (a.addr(1) != 0) {
            ByteBuffer b = t.process().space().memory().readStruct(a.addr(1), ITIMERVAL_SIZE);
            interval = timevalNanos(Timeval.readFrom(b, 0));
            value = timevalNanos(Timeval.readFrom(b, 16));
        }
        long[] old = t.process().realTimer().set(value, interval);
        putItimerval(t, a.addr(2), old);
        return 0;
    }

    /** Implements Linux syscall getitimer(2) for ITIMER_REAL. */
    static long getitimer(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(0) != ITIMER_REAL) {
            throw new ErrnoException(Errno.EINVAL);
        }
        putItimerval(t, a.addr(1), t.process().realTimer().get());
        return 0;
    }

    private static long timevalNanos(Timeval tv) throws ErrnoException {
        if (tv.sec() < 0 || tv.usec() < 0 || tv.usec() >= 1_000_000) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return tv.sec() >= Long.MAX_VALUE / NANOS ? Long.MAX_VALUE : tv.sec() * NANOS + tv.usec() * 1000;
    }

    /** Writes {remaining, interval} as a struct itimerval, rounding up to whole microseconds. */
    private static void putItimerval(GuestThread t, long address, long[] setting) throws ErrnoException {
        if (address == 0) {
            return;
        }
        ByteBuffer b = GuestMemory.structBuffer(ITIMERVAL_SIZE);
        long intervalMicros = (setting[1] + 999) / 1000;
        long valueMicros = (setting[0] + 999) / 1000;
        new Timeval(intervalMicros / 1_000_000, intervalMicros % 1_000_000).writeTo(b, 0);
        new Timeval(valueMicros / 1_000_000, valueMicros % 1_000_000).writeTo(b, 16);
        t.process().space().memory().writeStruct(address, b);
    }

    /** Implements Linux syscall nanosleep(2). */
    static long nanosleep(GuestThread t, Args a) throws ErrnoException {
        sleepNanos(readTimespec(t, a.addr(0)));
        return 0;
    }

    /** Implements Linux syscall clock_nanosleep(2). */
    static long clock_nanosleep(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        if (clock == Clocks.CLOCK_THREAD_CPUTIME_ID) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long request = readTimespec(t, a.addr(2));
        if ((a.i32(1) & Clocks.TIMER_ABSTIME) != 0) {
            sleepNanos(until(request, now(clock)));
        } else {
            now(clock);
            sleepNanos(request);
        }
        return 0;
    }

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
