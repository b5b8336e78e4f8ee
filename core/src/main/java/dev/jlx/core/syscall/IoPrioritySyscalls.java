package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Sched;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Scheduling;
import java.util.List;

/**
 * ioprio_set and ioprio_get: each task's I/O priority, kept in its I/O context as Linux keeps it
 * (block/ioprio.c). jlx's I/O goes to the host as the host schedules it; the value is the guest's.
 */
final class IoPrioritySyscalls {
    private IoPrioritySyscalls() {}

    /** IOPRIO_WHO_* (linux/ioprio.h): the PRIO_* of getpriority plus one. */
    private static final int IOPRIO_WHO_PROCESS = 1;
    private static final int IOPRIO_WHO_USER = 3;
    /** IOPRIO_CLASS_* and the layout of a priority: class in bits 13-15, level in bits 0-2, hints between. */
    private static final int IOPRIO_CLASS_NONE = 0;
    private static final int IOPRIO_CLASS_RT = 1;
    private static final int IOPRIO_CLASS_BE = 2;
    private static final int IOPRIO_CLASS_IDLE = 3;
    private static final int IOPRIO_CLASS_SHIFT = 13;

    private static int ioClass(int priority) {
        return priority >> IOPRIO_CLASS_SHIFT & 7;
    }

    /**
     * Implements Linux syscall ioprio_set(2): ioprio_check_cap (EINVAL for an unknown class or a
     * NONE with a level, EPERM for RT without CAP_SYS_NICE or CAP_SYS_ADMIN), then each task named,
     * until one refuses: a task whose real uid is neither the caller's real nor effective uid (EPERM).
     */
    static long ioprio_set(GuestThread t, Args a) throws ErrnoException {
        int priority = a.i32(2);
        GuestProcess.Credentials caller = t.process().credentials();
        switch (ioClass(priority)) {
            case IOPRIO_CLASS_RT -> {
                if (!caller.capable(GuestProcess.CAP_SYS_NICE) && !caller.capable(GuestProcess.CAP_SYS_ADMIN)) {
                    throw new ErrnoException(Errno.EPERM);
                }
            }
            case IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE -> { }
            case IOPRIO_CLASS_NONE -> {
                if ((priority & 7) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        int which = a.i32(0);
        int who = a.i32(1);
        // Linux's set compares each task's uid with make_kuid(who): IOPRIO_WHO_USER 0 names root's
        // tasks there (ioprio_get takes 0 as the caller's user).
        List<GuestThread> tasks = which == IOPRIO_WHO_USER && who == 0 ? rootTasks(t) : tasks(t, which, who);
        if (tasks.isEmpty()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        for (GuestThread task : tasks) {
            int owner = task.process().credentials().uid();
            if (owner != caller.euid() && owner != caller.uid() && !caller.capable(GuestProcess.CAP_SYS_NICE)) {
                throw new ErrnoException(Errno.EPERM);
            }
            // The context holds an unsigned short.
            task.setIoPriority(priority & 0xffff);
        }
        return 0;
    }

    /**
     * Implements Linux syscall ioprio_get(2): one task's priority as set (class NONE, 0, without a
     * context), or over a group or user the highest effective one (the lowest value; a task of
     * class NONE counts as its scheduling gives it: IDLE under SCHED_IDLE, RT under a real-time
     * policy, else BE, at level (nice + 20) / 5); ESRCH when no task is named.
     */
    static long ioprio_get(GuestThread t, Args a) throws ErrnoException {
        int which = a.i32(0);
        int best = -1;
        for (GuestThread task : tasks(t, which, a.i32(1))) {
            GuestThread.IoContext io = task.ioContext();
            int priority = io == null ? 0 : io.priority();
            if (which == IOPRIO_WHO_PROCESS) {
                return priority;
            }
            if (ioClass(priority) == IOPRIO_CLASS_NONE) {
                Scheduling s = task.scheduling();
                int ioClass = s.policy() == Sched.SCHED_IDLE ? IOPRIO_CLASS_IDLE
                        : Sched.realTime(s.policy()) ? IOPRIO_CLASS_RT : IOPRIO_CLASS_BE;
                priority = ioClass << IOPRIO_CLASS_SHIFT | (s.nice() + 20) / 5;
            }
            best = best < 0 ? priority : Math.min(best, priority);
        }
        if (best < 0) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return best;
    }

    private static List<GuestThread> rootTasks(GuestThread t) {
        List<GuestThread> tasks = new java.util.ArrayList<>();
        for (GuestProcess p : t.process().kernel().processes()) {
            if (!p.zombie() && p.credentials().uid() == 0) {
                tasks.addAll(p.threadSnapshot());
            }
        }
        return tasks;
    }

    /** The tasks named as getpriority names them; an unknown {@code which} is EINVAL. */
    private static List<GuestThread> tasks(GuestThread t, int which, int who) throws ErrnoException {
        if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ProcessSyscalls.priorityTasks(t, which - 1, who);
    }
}
