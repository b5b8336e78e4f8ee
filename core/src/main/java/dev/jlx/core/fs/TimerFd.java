package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.ClockAlarm;
import java.lang.foreign.MemorySegment;

/**
 * A timerfd (Linux's fs/timerfd.c): a timer on a clock whose expiries a read takes as an unsigned
 * 64-bit count, waiting while there is none. As Linux, a periodic timer is rearmed only when a read,
 * timerfd_gettime or timerfd_settime looks at it after it expired, and then counts every interval
 * passed since, so a short period costs nothing while no one reads. A blocked read wakes with EINTR
 * when its Java thread is interrupted. TFD_TIMER_CANCEL_ON_SET is recorded: guests cannot set the
 * realtime clock in jlx, so a read never ends with ECANCELED.
 */
public final class TimerFd extends AnonInodeFile {
    public static final int TFD_TIMER_ABSTIME = 1;
    public static final int TFD_TIMER_CANCEL_ON_SET = 2;

    private final int clockId;
    private final ClockAlarm.Clock clock;
    private final ClockAlarm alarm;
    private final int uid;
    private final int gid;
    private final Readiness readiness = new Readiness();
    /** Armed: the clock's time of the next expiry, the period (0: once). */
    private boolean armed;
    private long deadline;
    private long interval;
    /** Expired and not yet rearmed (a periodic timer waits for someone to look). */
    private boolean expired;
    private long ticks;
    private int settimeFlags;
    private long wakeups;

    public TimerFd(int clockId, ClockAlarm.Clock clock, int statusFlags, int uid, int gid) {
        super(OpenFlags.O_RDWR | statusFlags, uid, gid);
        this.clockId = clockId;
        this.clock = clock;
        this.alarm = new ClockAlarm(clock, this::expire);
        this.uid = uid;
        this.gid = gid;
    }

    private void expire() {
        synchronized (this) {
            if (!armed || expired || clock.now().getAsLong() < deadline) {
                return;
            }
            expired = true;
            ticks++;
            wakeups++;
            notifyAll();
        }
        readiness.wake(Readiness.INPUT);
    }

    /** A periodic timer that expired: its deadline past now, the intervals passed counted as ticks. */
    private void restart() {
        if (armed && expired && interval > 0) {
            long now = clock.now().getAsLong();
            if (now >= deadline) {
                long missed = (now - deadline) / interval + 1;
                deadline = missed > (Long.MAX_VALUE - deadline) / interval ? Long.MAX_VALUE : deadline + missed * interval;
                ticks += missed - 1;
            }
            expired = false;
            alarm.arm(deadline);
        }
    }

    /** {remaining, interval} in nanoseconds, remaining 0 when disarmed or expired (timerfd_gettime). */
    public synchronized long[] get() {
        restart();
        long remaining = armed ? Math.max(0, deadline - clock.now().getAsLong()) : 0;
        return new long[] {remaining, interval};
    }

    /**
     * timerfd_settime: arms the timer for {@code value} (the clock's time with TFD_TIMER_ABSTIME, else
     * from now; 0 disarms), repeating every {@code interval}; the count starts again at 0. Returns
     * the old setting as {@link #get} gives it.
     */
    public synchronized long[] set(long value, long interval, int flags) {
        long[] old = get();
        alarm.cancel();
        expired = false;
        ticks = 0;
        settimeFlags = flags;
        this.interval = interval;
        armed = value != 0;
        if (!armed) {
            return old;
        }
        long now = clock.now().getAsLong();
        deadline = (flags & TFD_TIMER_ABSTIME) != 0 ? value : now + Math.min(value, Long.MAX_VALUE - Math.max(now, 0));
        alarm.arm(deadline);
        return old;
    }

    public int clockId() {
        return clockId;
    }

    /** What /proc/PID/fdinfo shows after the common lines (timerfd_show). */
    public synchronized String fdinfo() {
        long remaining = armed ? Math.max(0, deadline - clock.now().getAsLong()) : 0;
        return String.format("clockid: %d\nticks: %s\nsettime flags: 0%o\nit_value: (%d, %d)\nit_interval: (%d, %d)\n",
                clockId, Long.toUnsignedString(ticks), settimeFlags, remaining / 1_000_000_000L,
                remaining % 1_000_000_000L, interval / 1_000_000_000L, interval % 1_000_000_000L);
    }

    @Override
    public synchronized int read(MemorySegment dst) throws ErrnoException {
        if (dst.byteSize() < 8) {
            throw new ErrnoException(Errno.EINVAL);
        }
        while (ticks == 0) {
            if ((statusFlags() & OpenFlags.O_NONBLOCK) != 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            Monitors.await(this);
        }
        restart();
        dst.set(JAVA_LONG_UNALIGNED, 0, ticks);
        ticks = 0;
        expired = false;
        return 8;
    }

    @Override
    public synchronized int poll(int events) {
        return ticks != 0 ? events & (Poll.POLLIN | Poll.POLLRDNORM) : 0;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public synchronized long pollGeneration(boolean input) {
        return input ? wakeups : 0;
    }

    @Override
    protected void release() {
        synchronized (this) {
            armed = false;
            alarm.cancel();
        }
    }
}
