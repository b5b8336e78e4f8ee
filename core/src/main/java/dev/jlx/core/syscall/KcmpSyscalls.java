package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.EpollFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import java.nio.ByteBuffer;

/** kcmp(2): whether two tasks share a kernel object, compared as jlx holds them. */
final class KcmpSyscalls {
    private KcmpSyscalls() {}

    /** KCMP_* (linux/kcmp.h). */
    private static final int KCMP_FILE = 0;
    private static final int KCMP_VM = 1;
    private static final int KCMP_FILES = 2;
    private static final int KCMP_FS = 3;
    private static final int KCMP_SIGHAND = 4;
    private static final int KCMP_IO = 5;
    private static final int KCMP_SYSVSEM = 6;
    private static final int KCMP_EPOLL_TFD = 7;
    /** struct kcmp_epoll_slot: u32 efd, tfd, toff. */
    private static final int EPOLL_SLOT_SIZE = 12;

    /**
     * Implements Linux syscall kcmp(2) in its order: both tasks (ESRCH), ptrace's read check on each
     * (EPERM), then the type (EINVAL). The objects are jlx's: the open file, the address space, the
     * descriptor table, the signal handlers, the task's I/O context (none until ioprio_set) and the
     * undo list (none until a SEM_UNDO semop or a thread) as Linux; jlx keeps the root and working directory
     * per process, so KCMP_FS compares processes. Two different objects are ordered as kcmp_ptr
     * orders them, by a value the caller cannot turn back into an address: here their identity
     * hash codes (two different objects with one code, which is rare, are 1 both ways).
     */
    static long kcmp(GuestThread t, Args a) throws ErrnoException {
        GuestThread t1 = task(t, a.i32(0));
        GuestThread t2 = task(t, a.i32(1));
        PidFdSyscalls.checkPtraceAccess(t.process(), t1.process());
        PidFdSyscalls.checkPtraceAccess(t.process(), t2.process());
        GuestProcess p1 = t1.process();
        GuestProcess p2 = t2.process();
        long idx1 = a.u64(3);
        long idx2 = a.u64(4);
        return switch (a.i32(2)) {
            case KCMP_FILE -> order(file(p1, idx1), file(p2, idx2));
            case KCMP_VM -> order(p1.space(), p2.space());
            case KCMP_FILES -> order(p1.fds(), p2.fds());
            case KCMP_FS -> order(p1, p2);
            case KCMP_SIGHAND -> order(p1.signalActions(), p2.signalActions());
            case KCMP_IO -> order(t1.ioContext(), t2.ioContext());
            case KCMP_SYSVSEM -> order(undo(p1), undo(p2));
            case KCMP_EPOLL_TFD -> epollTarget(t, p1, p2, idx1, a.addr(4));
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    /** find_task_by_vpid: any live thread by its id (0 and negative ids name none). */
    private static GuestThread task(GuestThread t, int pid) throws ErrnoException {
        if (pid <= 0) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return ProcessSyscalls.task(t, pid);
    }

    /** get_file_raw_ptr: the index is an unsigned int; EBADF past the table. */
    private static OpenFile file(GuestProcess p, long index) throws ErrnoException {
        int fd = (int) index;
        if (fd < 0) {
            throw new ErrnoException(Errno.EBADF);
        }
        return p.fds().get(fd);
    }

    private static Object undo(GuestProcess p) {
        return p.ipc().sem().hasUndoList(p) ? p : null;
    }

    /**
     * kcmp_epoll_target: the slot is read first (EFAULT), then task 1's file (EBADF), task 2's epoll
     * descriptor (EBADF; EINVAL when not an epoll instance) and the file it watches under the slot's
     * target descriptor and offset (ENOENT).
     */
    private static long epollTarget(GuestThread t, GuestProcess p1, GuestProcess p2, long idx1, long slotAddr)
            throws ErrnoException {
        ByteBuffer slot = t.process().space().memory().readStruct(slotAddr, EPOLL_SLOT_SIZE);
        OpenFile file = file(p1, idx1);
        OpenFile epoll = p2.fds().get(slot.getInt(0));
        if (!(epoll instanceof EpollFile e)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return order(file, e.target(slot.getInt(4), Integer.toUnsignedLong(slot.getInt(8))));
    }

    /** kcmp_ptr's answer: 0 for one object, else 1 or 2 by the objects' order. */
    private static long order(Object o1, Object o2) {
        if (o1 == o2) {
            return 0;
        }
        long k1 = o1 == null ? -1 : System.identityHashCode(o1);
        long k2 = o2 == null ? -1 : System.identityHashCode(o2);
        return k1 > k2 ? 2 : 1;
    }
}
