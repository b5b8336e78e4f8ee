package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A process's ITIMER_REAL (alarm, setitimer): SIGALRM when it expires, again every interval. One
 * daemon thread keeps the clocks of every process of the JVM (the CPU timers check on it too).
 */
public final class RealTimer {
    static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jlx-timers");
        t.setDaemon(true);
        return t;
    });

    private final GuestProcess process;
    private ScheduledFuture<?> task;
    private long deadline;
    private long interval;

    RealTimer(GuestProcess process) {
        this.process = process;
    }

    /**
     * Arms the timer for {@code valueNanos} (0 disarms) repeating every {@code intervalNanos} (0 for
     * once); returns the old setting as {remaining, interval} in nanoseconds.
     */
    public synchronized long[] set(long valueNanos, long intervalNanos) {
        long[] old = get();
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        interval = valueNanos == 0 ? 0 : intervalNanos;
        if (valueNanos > 0) {
            deadline = System.nanoTime() + valueNanos;
            task = CLOCK.schedule(this::expire, valueNanos, TimeUnit.NANOSECONDS);
        }
        return old;
    }

    /** The setting now: {remaining, interval} in nanoseconds, remaining 0 when disarmed. */
    public synchronized long[] get() {
        if (task == null) {
            return new long[] {0, 0};
        }
        return new long[] {Math.max(1, deadline - System.nanoTime()), interval};
    }

    private void expire() {
        synchronized (this) {
            if (interval > 0) {
                deadline += interval;
                task = CLOCK.schedule(this::expire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                task = null;
            }
        }
        if (!process.exiting()) {
            process.signal(null, new GuestProcess.Delivery(Signals.SIGALRM, Kernel.SI_KERNEL, 0, 0, 0));
        }
    }
}
