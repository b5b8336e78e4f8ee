package dev.jlx.core.fs.proc;

import java.lang.management.ManagementFactory;

/**
 * When the machine jlx presents booted: when the JVM started, as sysinfo(2)'s uptime counts. Kept
 * in {@link System#nanoTime()} terms, so that a process's start time, measured the same way, is the
 * same at every read.
 */
final class Boot {
    /** USER_HZ: /proc counts times in clock ticks of 10 ms (AT_CLKTCK is 100). */
    static final long TICK_NANOS = 10_000_000L;
    private static final long NANO_TIME = System.nanoTime()
            - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    private static final long EPOCH_NANOS = ManagementFactory.getRuntimeMXBean().getStartTime() * 1_000_000L;

    private Boot() {}

    static long uptimeNanos() {
        return System.nanoTime() - NANO_TIME;
    }

    /** A {@link System#nanoTime()} instant as nanoseconds since boot. */
    static long sinceBoot(long nanoTime) {
        return nanoTime - NANO_TIME;
    }

    /** A {@link System#nanoTime()} instant as wall-clock nanoseconds since the epoch. */
    static long epochNanos(long nanoTime) {
        return EPOCH_NANOS + sinceBoot(nanoTime);
    }

    static long epochSeconds() {
        return EPOCH_NANOS / 1_000_000_000L;
    }

    static long ticks(long nanos) {
        return nanos / TICK_NANOS;
    }
}
