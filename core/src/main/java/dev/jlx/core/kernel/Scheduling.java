package dev.jlx.core.kernel;

import dev.jlx.abi.Sched;
import dev.jlx.core.ErrnoException;

/**
 * A thread's scheduling attributes, kept per task as Linux keeps them: the policy, the real-time
 * priority (1..99 under SCHED_FIFO and SCHED_RR, else 0), the nice value (-20..19, kept under every
 * policy) and SCHED_RESET_ON_FORK. jlx records them and reports them back (sched_get*, getpriority,
 * /proc); the host schedules the Java threads that run guest threads as it would anyway.
 */
public record Scheduling(int policy, int rtPriority, int nice, boolean resetOnFork) {
    /** How a call changes the attributes it finds; EPERM and the like leave them as they are. */
    @FunctionalInterface
    public interface Change {
        Scheduling apply(Scheduling current) throws ErrnoException;
    }

    /** A first process's: SCHED_OTHER at nice 0. */
    public static final Scheduling DEFAULT = new Scheduling(Sched.SCHED_OTHER, 0, 0, false);

    /**
     * What a new task starts with (Linux's sched_fork): the same, but with SCHED_RESET_ON_FORK a
     * real-time task's child is SCHED_OTHER at nice 0, another's nice is at least 0, and the flag goes.
     */
    Scheduling forked() {
        if (!resetOnFork) {
            return this;
        }
        if (Sched.realTime(policy)) {
            return DEFAULT;
        }
        return new Scheduling(policy, 0, Math.max(nice, 0), false);
    }

    public Scheduling withNice(int n) {
        return new Scheduling(policy, rtPriority, n, resetOnFork);
    }

    /**
     * /proc's priority field (task_prio): 20 + nice for the fair policies, -1 - the real-time
     * priority for the real-time ones.
     */
    public int procPriority() {
        return Sched.realTime(policy) ? -1 - rtPriority : 20 + nice;
    }
}
