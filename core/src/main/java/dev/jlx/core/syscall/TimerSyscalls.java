package dev.jlx.core.syscall;

import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Itimerspec;
import dev.jlx.abi.struct.Sigevent;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.TimerFd;
import dev.jlx.core.kernel.ClockAlarm;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.PosixTimers;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * POSIX timers (timer_create and its relatives, {@link PosixTimers}) and timerfds ({@link TimerFd}),
 * on the clocks {@link TimeSyscalls} reads. The machine has no real-time clock device, as a
 * virtual machine often has none: timer_create on an alarm clock is EOPNOTSUPP, as on Linux then,
 * while a timerfd on one runs as its base clock (for a caller with CAP_WAKE_ALARM).
 */
final class TimerSyscalls {
    private static final long NANOS = 1_000_000_000L;

    private TimerSyscalls() {}

    /**
     * Implements Linux syscall timer_create(2): a NULL sigevent is SIGEV_SIGNAL SIGALRM with the
     * timer's id as its value; SIGEV_THREAD_ID names a thread of the caller's process. The id is
     * taken before the clock's own checks, as Linux takes it, so a refused alarm clock uses one up.
     */
    static long timer_create(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        GuestMemory mem = t.process().space().memory();
        Sigevent event = a.addr(1) == 0 ? null : Sigevent.readFrom(mem.readStruct(a.addr(1), Sigevent.SIZE), 0);
        if (clock == Clocks.CLOCK_MONOTONIC_RAW || clock == Clocks.CLOCK_REALTIME_COARSE
                || clock == Clocks.CLOCK_MONOTONIC_COARSE || TimeSyscalls.isClockFd(clock)) {
            // Clocks Linux knows that cannot drive a timer.
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        boolean alarm = clock == Clocks.CLOCK_REALTIME_ALARM || clock == Clocks.CLOCK_BOOTTIME_ALARM;
        if (!alarm && !TimeSyscalls.isCpuClock(clock)) {
            TimeSyscalls.now(clock);
        }
        PosixTimers timers = t.process().posixTimers();
        int id = timers.allocateId();
        PosixTimers.Notify notify = event == null ? null : notify(t, event);
        mem.writeInt(a.addr(2), id);
        if (alarm) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        timers.create(id, clock, TimeSyscalls.clockSource(t, clock), notify);
        return 0;
    }

    /** Linux's good_sigevent: EINVAL for an unknown notification, a bad signal or a thread not the caller's. */
    private static PosixTimers.Notify notify(GuestThread t, Sigevent e) throws ErrnoException {
        GuestThread target = null;
        switch (e.notification()) {
            case Signals.SIGEV_SIGNAL | Signals.SIGEV_THREAD_ID -> {
                for (GuestThread other : t.process().threadSnapshot()) {
                    if (other.tid() == e.threadId() && !other.ending()) {
                        target = other;
                    }
                }
                if (target == null) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                checkSignal(e.signo());
            }
            case Signals.SIGEV_SIGNAL, Signals.SIGEV_THREAD -> checkSignal(e.signo());
            case Signals.SIGEV_NONE -> { }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return new PosixTimers.Notify(e.notification(), e.signo(), e.value(), target);
    }

    private static void checkSignal(int sig) throws ErrnoException {
        if (sig <= 0 || sig > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** Implements Linux syscall timer_settime(2): a NULL new value is EINVAL; unknown flags are ignored. */
    static long timer_settime(GuestThread t, Args a) throws ErrnoException {
        if (a.addr(2) == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long[] setting = readItimerspec(t, a.addr(2));
        long[] old = t.process().posixTimers().set(a.i32(0), setting[0], setting[1],
                (a.i32(1) & Clocks.TIMER_ABSTIME) != 0);
        if (a.addr(3) != 0) {
            putItimerspec(t, a.addr(3), old);
        }
        return 0;
    }

    /** Implements Linux syscall timer_gettime(2). */
    static long timer_gettime(GuestThread t, Args a) throws ErrnoException {
        putItimerspec(t, a.addr(1), t.process().posixTimers().get(a.i32(0)));
        return 0;
    }

    /** Implements Linux syscall timer_getoverrun(2). */
    static long timer_getoverrun(GuestThread t, Args a) throws ErrnoException {
        return t.process().posixTimers().overrun(a.i32(0));
    }

    /** Implements Linux syscall timer_delete(2). */
    static long timer_delete(GuestThread t, Args a) throws ErrnoException {
        t.process().posixTimers().delete(a.i32(0));
        return 0;
    }

    /** timerfd_create's flags: TFD_CLOEXEC and TFD_NONBLOCK are O_CLOEXEC and O_NONBLOCK. */
    private static final int TFD_CREATE_FLAGS = OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK;

    /**
     * Implements Linux syscall timerfd_create(2): CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME and
     * their alarm clocks (EPERM without CAP_WAKE_ALARM), others EINVAL.
     */
    static long timerfd_create(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        int flags = a.i32(1);
        if ((flags & ~TFD_CREATE_FLAGS) != 0 || clock != Clocks.CLOCK_REALTIME && clock != Clocks.CLOCK_MONOTONIC
                && clock != Clocks.CLOCK_BOOTTIME && clock != Clocks.CLOCK_REALTIME_ALARM
                && clock != Clocks.CLOCK_BOOTTIME_ALARM) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        if ((clock == Clocks.CLOCK_REALTIME_ALARM || clock == Clocks.CLOCK_BOOTTIME_ALARM)
                && !p.credentials().capable(GuestProcess.CAP_WAKE_ALARM)) {
            throw new ErrnoException(Errno.EPERM);
        }
        TimerFd file = new TimerFd(clock, TimeSyscalls.clockSource(t, clock), flags & OpenFlags.O_NONBLOCK,
                p.credentials().fsuid(), p.credentials().fsgid());
        return FileSyscalls.installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** The timerfd behind a descriptor: EBADF for none, EINVAL for another file. */
    private static TimerFd timerFd(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if (!(f instanceof TimerFd timer)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return timer;
    }

    /** Implements Linux syscall timerfd_settime(2): TFD_TIMER_ABSTIME and TFD_TIMER_CANCEL_ON_SET. */
    static long timerfd_settime(GuestThread t, Args a) throws ErrnoException {
        long[] setting = readItimerspec(t, a.addr(2));
        int flags = a.i32(1);
        if ((flags & ~(TimerFd.TFD_TIMER_ABSTIME | TimerFd.TFD_TIMER_CANCEL_ON_SET)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long[] old = timerFd(t, a.i32(0)).set(setting[0], setting[1], flags);
        if (a.addr(3) != 0) {
            putItimerspec(t, a.addr(3), old);
        }
        return 0;
    }

    /** Implements Linux syscall timerfd_gettime(2). */
    static long timerfd_gettime(GuestThread t, Args a) throws ErrnoException {
        putItimerspec(t, a.addr(1), timerFd(t, a.i32(0)).get());
        return 0;
    }

    /** A struct itimerspec as {value, interval} in nanoseconds; EINVAL unless both are valid timespecs. */
    private static long[] readItimerspec(GuestThread t, long address) throws ErrnoException {
        Itimerspec its = Itimerspec.readFrom(t.process().space().memory().readStruct(address, Itimerspec.SIZE), 0);
        return new long[] {nanos(its.value()), nanos(its.interval())};
    }

    private static long nanos(Timespec ts) throws ErrnoException {
        if (ts.sec() < 0 || ts.nsec() < 0 || ts.nsec() >= NANOS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ts.sec() >= Long.MAX_VALUE / NANOS ? Long.MAX_VALUE : ts.sec() * NANOS + ts.nsec();
    }

    private static void putItimerspec(GuestThread t, long address, long[] setting) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Itimerspec.SIZE);
        new Itimerspec(new Timespec(setting[1] / NANOS, setting[1] % NANOS),
                new Timespec(setting[0] / NANOS, setting[0] % NANOS)).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }
}
