package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
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
    /** ioprio_best's stand-in for a task of class NONE: BE at level IOPRIO_NORM (4). */
    private static final int BE_NORM = IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | 4;

    private static int ioClass(int priority) {
        return priority >> IOPRIO_CLASS_SHIFT & 7;
    }

    /**
     * Implements Linux syscall ioprio_set(2): ioprio_check_cap (EINVAL for an unknown class or a
     * NONE with a level, EPERM for RT without CAP_SYS_NICE, euid 0 in jlx), then each task named,
     * until one refuses: a task whose real uid is neither the caller's real nor effective uid (EPERM).
     */
    static long ioprio_set(GuestThread t, Args a) throws ErrnoException {
        int priority = a.i32(2);
        GuestProcess.Credentials caller = t.process().credentials();
        switch (ioClass(priority)) {
            case IOPRIO_CLASS_RT -> {
                if (caller.euid() != 0) {
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
        List<GuestThread> tasks = tasks(t, a.i32(0), a.i32(1));
        if (tasks.isEmpty()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        for (GuestThread task : tasks) {
            int owner = task.process().credentials().uid();
            if (owner != caller.euid() && owner != caller.uid() && caller.euid() != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
            // The context holds an unsigned short.
            task.setIoPriority(priority & 0xffff);
        }
        return 0;
    }

    /**
     * Implements Linux syscall ioprio_get(2): one task's priority (class NONE, 0, without a context),
     * or over a group or user the highest (ioprio_best: the lowest value, a NONE counting as BE at
     * level 4); ESRCH when no task is named.
     */
    static long ioprio_get(GuestThread t, Args a) throws ErrnoException {
        int best = -1;
        for (GuestThread task : tasks(t, a.i32(0), a.i32(1))) {
            GuestThread.IoContext io = task.ioContext();
            int priority = io == null ? 0 : io.priority();
            best = best < 0 ? priority : Math.min(orBeNorm(best), orBeNorm(priority));
        }
        if (best < 0) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return best;
    }

    private static int orBeNorm(int priority) {
        return ioClass(priority) == IOPRIO_CLASS_NONE ? BE_NORM : priority;
    }

    /** The tasks named as getpriority names them; an unknown {@code which} is EINVAL. */
    private static List<GuestThread> tasks(GuestThread t, int which, int who) throws ErrnoException {
        if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ProcessSyscalls.priorityTasks(t, which - 1, who);
    }
}
