package dev.jlx.core.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time a guest thread or process has used: the host's count for the Java threads that run
 * them, user and system as the host splits them (emulation is user time, the host calls it makes
 * system time). What the CPU-time clocks, times, getrusage, the CPU interval timers and /proc read.
 */
public record CpuTime(long userNanos, long systemNanos) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Nanoseconds in clock ticks (USER_HZ, 100 a second), as Linux's nsec_to_clock_t. */
    public static long ticks(long nanos) {
        return nanos / 10_000_000L;
    }

    /** User and system time together (Linux's sum_exec_runtime). */
    public long totalNanos() {
        return userNanos + systemNanos;
    }

    /** Thread {@code t} of {@code p}: nothing once it has ended (its time is then the process's). */
    public static CpuTime of(GuestProcess p, GuestThread t) {
        long id = p.javaThreadId(t);
        long total = id < 0 ? -1 : THREADS.getThreadCpuTime(id);
        long user = id < 0 ? -1 : THREADS.getThreadUserTime(id);
        if (total < 0 || user < 0) {
            // The thread ended, or the host keeps no per-thread times: nothing is known to have been used.
            return new CpuTime(0, 0);
        }
        return new CpuTime(user, Math.max(0, total - user));
    }

    /** The process: its threads together, those that have ended included. */
    public static CpuTime of(GuestProcess p) {
        CpuTime ended = p.endedThreadsTime();
        long user = ended.userNanos;
        long system = ended.systemNanos;
        for (GuestThread t : p.threadSnapshot()) {
            CpuTime c = of(p, t);
            user += c.userNanos;
            system += c.systemNanos;
        }
        return new CpuTime(user, system);
    }
}
