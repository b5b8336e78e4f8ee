package dev.jlx.core.syscall;

import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.abi.struct.Timex;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.TimeKeeping;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * The clock setters: they move the wall clock of this run's guests ({@link TimeKeeping}), never the
 * host's, with Linux's checks in Linux's order (kernel/time/time.c, posix-timers.c, timekeeping.c).
 */
final class ClockSetSyscalls {
    private static final long NANOS = 1_000_000_000L;
    /** settimeofday's time zone must be within 15 hours of UTC. */
    private static final int MAX_MINUTESWEST = 15 * 60;

    private ClockSetSyscalls() {}

    /** Implements Linux syscall settimeofday(2). */
    static long settimeofday(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long nanos = -1;
        if (a.addr(0) != 0) {
            long sec = mem.readLong(a.addr(0));
            long usec = mem.readLong(a.addr(0) + 8);
            // Linux lets 1,000,000 through here; it is refused as a timespec below.
            if (usec > 1_000_000 || usec < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            nanos = settableNanos(sec, usec * 1000);
        }
        int[] tz = null;
        if (a.addr(1) != 0) {
            ByteBuffer b = mem.readStruct(a.addr(1), 8);
            tz = new int[] {b.getInt(0), b.getInt(4)};
        }
        if (a.addr(0) != 0 && nanos < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        requireSysTime(t);
        if (tz != null) {
            if (tz[0] > MAX_MINUTESWEST || tz[0] < -MAX_MINUTESWEST) {
                throw new ErrnoException(Errno.EINVAL);
            }
            t.process().kernel().timeKeeping().setTimezone(tz[0], tz[1]);
        }
        if (nanos >= 0) {
            setRealtime(t, nanos);
        }
        return 0;
    }

    /**
     * Implements Linux syscall clock_settime(2): CLOCK_REALTIME only; every other clock, the CPU-time
     * ones included, is EINVAL before the time is read, as this machine's Linux (6.18) answers.
     */
    static long clock_settime(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(0) != Clocks.CLOCK_REALTIME) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Timespec ts = Timespec.readFrom(t.process().space().memory().readStruct(a.addr(1), Timespec.SIZE), 0);
        long nanos = settableNanos(ts.sec(), ts.nsec());
        if (nanos < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        requireSysTime(t);
        setRealtime(t, nanos);
        return 0;
    }

    /** Implements Linux syscall adjtimex(2), as clock_adjtime(CLOCK_REALTIME). */
    static long adjtimex(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Timex tx = Timex.readFrom(mem.readStruct(a.addr(0), Timex.SIZE), 0);
        return adjust(t, a.addr(0), tx);
    }

    /**
     * Implements Linux syscall clock_adjtime(2): CLOCK_REALTIME as adjtimex; the other clocks
     * EOPNOTSUPP (no clock_adj), unknown ones EINVAL, after the struct is read (EFAULT first).
     */
    static long clock_adjtime(GuestThread t, Args a) throws ErrnoException {
        int clock = a.i32(0);
        GuestMemory mem = t.process().space().memory();
        Timex tx = Timex.readFrom(mem.readStruct(a.addr(1), Timex.SIZE), 0);
        if (clock != Clocks.CLOCK_REALTIME) {
            if (TimeSyscalls.isClockFd(clock) || clock >= 0 && !TimeSyscalls.isCpuClock(clock) && !known(clock)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        return adjust(t, a.addr(1), tx);
    }

    /** The clock ids Linux's posix_clocks table names (CLOCK_SGI_CYCLE, 10, is gone). */
    private static boolean known(int clock) {
        return clock <= Clocks.CLOCK_TAI && clock != Clocks.CLOCK_SGI_CYCLE;
    }

    /** Linux's do_adjtimex, then the struct written back (EFAULT if it cannot be). */
    private static long adjust(GuestThread t, long address, Timex tx) throws ErrnoException {
        TimeKeeping time = t.process().kernel().timeKeeping();
        TimeKeeping.validate(tx, t.process().credentials().capable(GuestProcess.CAP_SYS_TIME));
        if ((tx.modes() & TimeKeeping.ADJ_SETOFFSET) != 0) {
            // timekeeping_inject_offset: the clock it would give must be one settimeofday could set.
            long delta = tx.timeSec() * NANOS
                    + ((tx.modes() & TimeKeeping.ADJ_NANO) != 0 ? tx.timeUsec() : tx.timeUsec() * 1000);
            long target = TimeSyscalls.now(t, Clocks.CLOCK_REALTIME) + delta;
            if (settableNanos(Math.floorDiv(target, NANOS), Math.floorMod(target, NANOS)) < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        Timex out = time.adjust(tx, TimeSyscalls.now(Clocks.CLOCK_REALTIME));
        ByteBuffer b = t.process().space().memory().readStruct(address, Timex.SIZE);
        out.writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
        return TimeKeeping.state(out);
    }

    /** Nanoseconds of a time Linux's timespec64_valid_settod accepts, or -1. */
    private static long settableNanos(long sec, long nsec) {
        if (sec < 0 || nsec < 0 || nsec >= NANOS || sec >= TimeKeeping.SETTOD_SEC_MAX) {
            return -1;
        }
        return sec * NANOS + nsec;
    }

    private static void requireSysTime(GuestThread t) throws ErrnoException {
        if (!t.process().credentials().capable(GuestProcess.CAP_SYS_TIME)) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    private static void setRealtime(GuestThread t, long nanos) throws ErrnoException {
        t.process().kernel().timeKeeping().setRealtime(nanos, TimeSyscalls.now(Clocks.CLOCK_REALTIME));
    }
}
