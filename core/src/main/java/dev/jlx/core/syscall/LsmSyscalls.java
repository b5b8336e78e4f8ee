package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;

/**
 * The LSM syscalls (security/lsm_syscalls.c, Linux 6.8): jlx's one security module is the
 * capability module (LSM_ID_CAPABILITY), which keeps no process attributes, so getting or setting
 * one is EOPNOTSUPP after Linux's checks of the arguments.
 */
final class LsmSyscalls {
    /** LSM_ID_CAPABILITY of linux/lsm.h. */
    private static final long LSM_ID_CAPABILITY = 100;
    private static final int LSM_FLAG_SINGLE = 1;
    /** sizeof(struct lsm_ctx): u64 id, flags, len, ctx_len, then the context. */
    private static final int LSM_CTX_SIZE = 32;
    private static final long[] MODULES = {LSM_ID_CAPABILITY};

    private LsmSyscalls() {}

    /** Implements Linux syscall lsm_list_modules(2): the ids of the active modules; E2BIG (with the size needed) for a short buffer. */
    static long lsm_list_modules(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(2) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory m = t.process().space().memory();
        long sizeAddr = a.addr(1);
        int usize = m.readInt(sizeAddr);
        int total = MODULES.length * 8;
        m.writeInt(sizeAddr, total);
        if (Integer.compareUnsigned(usize, total) < 0) {
            throw new ErrnoException(Errno.E2BIG);
        }
        for (int i = 0; i < MODULES.length; i++) {
            m.writeLong(a.addr(0) + 8L * i, MODULES[i]);
        }
        return MODULES.length;
    }

    /** Implements Linux syscall lsm_get_self_attr(2) (security_getselfattr): no module answers, so 0 bytes and EOPNOTSUPP. */
    static long lsm_get_self_attr(GuestThread t, Args a) throws ErrnoException {
        int attr = a.i32(0);
        int flags = a.i32(3);
        if (attr == 0 || (flags & ~LSM_FLAG_SINGLE) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory m = t.process().space().memory();
        m.readInt(a.addr(2));
        if (flags != 0) {
            if (a.addr(1) == 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (m.readLong(a.addr(1)) == 0) {
                // LSM_ID_UNDEF
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        m.writeInt(a.addr(2), 0);
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** Implements Linux syscall lsm_set_self_attr(2) (security_setselfattr): the context checked, then EOPNOTSUPP. */
    static long lsm_set_self_attr(GuestThread t, Args a) throws ErrnoException {
        long size = a.raw(2) & 0xffffffffL;
        if (a.i32(3) != 0 || size < LSM_CTX_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (size > 4096) {
            throw new ErrnoException(Errno.E2BIG);
        }
        byte[] ctx = t.process().space().memory().read(a.addr(1), (int) size);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ctx).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long len = b.getLong(16);
        long ctxLen = b.getLong(24);
        if (Long.compareUnsigned(ctxLen, size - LSM_CTX_SIZE) > 0 || Long.compareUnsigned(len, ctxLen + LSM_CTX_SIZE) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }
}
