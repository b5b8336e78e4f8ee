package dev.jlx.core.fs.proc;

import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The CPU time a guest thread has used: the host's count for the Java thread that runs it, user
 * and system as the host splits them (emulation is user time, the host calls it makes system time).
 */
record CpuTime(long userNanos, long systemNanos) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static CpuTime of(GuestProcess p, GuestThread t) {
        long id = p.javaThreadId(t);
        long total = id < 0 ? -1 : THREADS.getThreadCpuTime(id);
        long user = id < 0 ? -1 : THREADS.getThreadUserTime(id);
        if (total < 0 || user < 0) {
            // The thread ended, or the host keeps no per-thread times: nothing is known to have been used.
            return new CpuTime(0, 0);
        }
        return new CpuTime(user, Math.max(0, total - user));
    }

    /** The process's threads together. */
    static CpuTime of(GuestProcess p) {
        long user = 0;
        long system = 0;
        for (GuestThread t : p.threadSnapshot()) {
            CpuTime c = of(p, t);
            user += c.userNanos;
            system += c.systemNanos;
        }
        return new CpuTime(user, system);
    }
}
