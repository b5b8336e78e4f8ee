package dev.jlx.core.kernel;

/** A monitor's wait bounded by a {@code System.nanoTime()} deadline, as the kernel's timed sleeps use it. */
public final class Deadline {
    /** No deadline. */
    private static final long NEVER = Long.MAX_VALUE;

    private Deadline() {}

    /**
     * Waits on {@code monitor} (held by the caller) until notified or until {@code deadline}; false,
     * without waiting, once the deadline has passed, so that the caller gives its own errno.
     */
    public static boolean waitOn(Object monitor, long deadline) throws InterruptedException {
        if (deadline == NEVER) {
            monitor.wait();
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        monitor.wait(left / 1_000_000, (int) (left % 1_000_000));
        return true;
    }
}
