package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's ITIMER_VIRTUAL (user CPU time, SIGVTALRM) or ITIMER_PROF (user and system time,
 * SIGPROF), as Linux's process CPU itimers: the deadline is a value of the process's CPU clock, looked
 * at every {@link #CHECK_MILLIS} ms while the timer is armed (Linux looks at every tick). A fork child
 * starts without one; execve keeps it.
 */
public final class CpuTimer {
    /** How often an armed timer looks at the process's CPU time. */
    private static final long CHECK_MILLIS = 2;
    /** TICK_NSEC at CONFIG_HZ=250: Linux adds one tick to a new value, and reports one for a timer about to fire. */
    private static final long TICK_NANOS = 4_000_000;

    private final GuestProcess process;
    private final boolean userOnly;
    private final int signal;
    /** The CPU time at which the timer fires, 0 when disarmed. */
    private long deadline;
    private long interval;
    private ScheduledFuture<?> checker;

    private CpuTimer(GuestProcess process, boolean userOnly, int signal) {
        this.process = process;
        this.userOnly = userOnly;
        this.signal = signal;
    }

    static CpuTimer virtual(GuestProcess process) {
        return new CpuTimer(process, true, Signals.SIGVTALRM);
    }

    static CpuTimer profiling(GuestProcess process) {
        return new CpuTimer(process, false, Signals.SIGPROF);
    }

    /** The CPU clock the timer runs on, in nanoseconds. */
    private long now() {
        CpuTime c = CpuTime.of(process);
        return userOnly ? c.userNanos() : c.totalNanos();
    }

    /**
     * Arms the timer for {@code valueNanos} of CPU time from now (0 disarms), repeating every
     * {@code intervalNanos}; returns the old setting as {remaining, interval} in nanoseconds.
     */
    public synchronized long[] set(long valueNanos, long intervalNanos) {
        long[] old = get();
        deadline = valueNanos > 0 ? now() + valueNanos + TICK_NANOS : 0;
        interval = intervalNanos;
        if (deadline != 0 && checker == null) {
            checker = RealTimer.CLOCK.scheduleAtFixedRate(this::check, CHECK_MILLIS, CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else if (deadline == 0 && checker != null) {
            checker.cancel(false);
            checker = null;
        }
        return old;
    }

    /** The setting now: {remaining, interval} in nanoseconds, remaining 0 when disarmed. */
    public synchronized long[] get() {
        if (deadline == 0) {
            return new long[] {0, interval};
        }
        long now = now();
        return new long[] {deadline > now ? deadline - now : TICK_NANOS, interval};
    }

    private void check() {
        synchronized (this) {
            if (deadline == 0 || process.zombie()) {
                return;
            }
            long now = now();
            if (now < deadline) {
                return;
            }
            if (interval > 0) {
                // As Linux: the next expiry counts from the deadline, not from the late look at it.
                deadline += interval * ((now - deadline) / interval + 1);
            } else {
                deadline = 0;
                checker.cancel(false);
                checker = null;
            }
        }
        if (!process.exiting()) {
            process.signal(null, new GuestProcess.Delivery(signal, Kernel.SI_KERNEL, 0, 0, 0));
        }
    }

    /** The process has ended: the timer stops looking. */
    synchronized void cancel() {
        deadline = 0;
        if (checker != null) {
            checker.cancel(false);
            checker = null;
        }
    }
}
