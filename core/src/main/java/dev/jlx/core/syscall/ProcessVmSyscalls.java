package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.lang.foreign.MemorySegment;

/** process_vm_readv and process_vm_writev: copies between the caller's memory and another guest process's. */
final class ProcessVmSyscalls {
    private ProcessVmSyscalls() {}

    /** Implements Linux syscall process_vm_readv(2). */
    static long process_vm_readv(GuestThread t, Args a) throws ErrnoException {
        return transfer(t, a, false);
    }

    /** Implements Linux syscall process_vm_writev(2). */
    static long process_vm_writev(GuestThread t, Args a) throws ErrnoException {
        return transfer(t, a, true);
    }

    /**
     * process_vm_rw with its checks in its order: flags, the local iovecs (EINVAL, EFAULT), nothing
     * to do for an empty local or remote total, then the remote iovecs, the task (ESRCH: a zombie
     * has no memory) and ptrace's attach check (EPERM). The copy goes remote vector by remote
     * vector; at the first address of either side that cannot be read (or, for the side written,
     * written: no FOLL_FORCE) it stops, with the bytes copied by then, or EFAULT when there are none.
     */
    private static long transfer(GuestThread t, Args a, boolean write) throws ErrnoException {
        if (a.u64(5) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory local = t.process().space().memory();
        long[] lv = ReadWriteSyscalls.iovecs(local, a.addr(1), a.u64(2));
        if (empty(lv)) {
            return 0;
        }
        long[] rv = ReadWriteSyscalls.iovecsUnchecked(local, a.addr(3), a.u64(4));
        if (empty(rv)) {
            return 0;
        }
        int pid = a.i32(0);
        if (pid <= 0) {
            throw new ErrnoException(Errno.ESRCH);
        }
        GuestThread target = ProcessSyscalls.task(t, pid);
        PidFdSyscalls.checkPtraceAccess(t.process(), target.process());
        GuestMemory remote = target.process().space().memory();
        long done = 0;
        int li = 0;
        long lOffset = 0;
        try {
            for (int ri = 0; ri < rv.length / 2 && li < lv.length / 2; ri++) {
                for (long rDone = 0; rDone < rv[2 * ri + 1] && li < lv.length / 2; ) {
                    if (lOffset == lv[2 * li + 1]) {
                        li++;
                        lOffset = 0;
                        continue;
                    }
                    MemorySegment r = remote.slice(rv[2 * ri] + rDone, rv[2 * ri + 1] - rDone, write);
                    MemorySegment l = local.slice(lv[2 * li] + lOffset,
                            Math.min(lv[2 * li + 1] - lOffset, r.byteSize()), !write);
                    long n = l.byteSize();
                    if (write) {
                        r.asSlice(0, n).copyFrom(l);
                    } else {
                        l.copyFrom(r.asSlice(0, n));
                    }
                    rDone += n;
                    lOffset += n;
                    done += n;
                }
            }
        } catch (ErrnoException e) {
            if (done == 0) {
                throw e;
            }
        }
        return done;
    }

    /** Whether no vector has a byte. */
    private static boolean empty(long[] vectors) {
        for (int i = 1; i < vectors.length; i += 2) {
            if (vectors[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
