package dev.jlx.core.kernel;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs an action when a clock reaches a deadline, as an hrtimer does for POSIX timers and timerfds:
 * on the timers' thread ({@link RealTimer#CLOCK}), scheduled for the time left on clocks that run
 * with real time (and again for what is left, should the clock not be there yet), looked at every
 * {@link #CPU_CHECK_MILLIS} ms for a CPU-time clock, as {@link CpuTimer}. The owner arms and cancels
 * it under its own lock, which is taken before this one; the clock is read under this one, so
 * reading it must take no lock. The action runs with no lock held, and must check for itself that
 * its timer still expires (an arm or cancel may race with it).
 */
public final class ClockAlarm {
    private static final long CPU_CHECK_MILLIS = 2;

    /** A clock: its reading in nanoseconds, and whether it counts CPU time rather than real time. */
    public record Clock(LongSupplier now, boolean cpuTime) {}

    private final Clock clock;
    private final Runnable action;
    private ScheduledFuture<?> task;
    private long deadline;
    /** Counts the armings, so that a task of an earlier one that runs late does nothing. */
    private long generation;

    public ClockAlarm(Clock clock, Runnable action) {
        this.clock = clock;
        this.action = action;
    }

    /** Runs the action once the clock reaches {@code deadline}; a previous arming is forgotten. */
    public synchronized void arm(long deadline) {
        cancel();
        this.deadline = deadline;
        long armed = ++generation;
        task = clock.cpuTime()
                ? RealTimer.CLOCK.scheduleAtFixedRate(() -> check(armed), CPU_CHECK_MILLIS, CPU_CHECK_MILLIS,
                        TimeUnit.MILLISECONDS)
                : schedule(armed);
    }

    private ScheduledFuture<?> schedule(long armed) {
        long left = deadline - clock.now().getAsLong();
        return RealTimer.CLOCK.schedule(() -> check(armed), Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    /** Forgets the arming: the action does not run for it. */
    public synchronized void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void check(long armed) {
        synchronized (this) {
            if (task == null || armed != generation) {
                return;
            }
            if (clock.now().getAsLong() < deadline) {
                if (!clock.cpuTime()) {
                    task = schedule(armed);
                }
                return;
            }
            cancel();
        }
        action.run();
    }
}
