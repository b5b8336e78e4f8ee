package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/** User and group ids, as the host user's (credentials are fixed when the process starts). */
final class IdentitySyscalls {
    private IdentitySyscalls() {}

    /** Implements Linux syscall getuid(2). */
    static long getuid(GuestThread t, Args a) {
        return t.process().credentials().uid();
    }

    /** Implements Linux syscall geteuid(2). */
    static long geteuid(GuestThread t, Args a) {
        return t.process().credentials().euid();
    }

    /** Implements Linux syscall getgid(2). */
    static long getgid(GuestThread t, Args a) {
        return t.process().credentials().gid();
    }

    /** Implements Linux syscall getegid(2). */
    static long getegid(GuestThread t, Args a) {
        return t.process().credentials().egid();
    }

    /** Implements Linux syscall getresuid(2): the saved id equals the effective one. */
    static long getresuid(GuestThread t, Args a) throws ErrnoException {
        GuestProcess.Credentials c = t.process().credentials();
        putThree(t, a, c.uid(), c.euid(), c.euid());
        return 0;
    }

    /** Implements Linux syscall getresgid(2). */
    static long getresgid(GuestThread t, Args a) throws ErrnoException {
        GuestProcess.Credentials c = t.process().credentials();
        putThree(t, a, c.gid(), c.egid(), c.egid());
        return 0;
    }

    /** Implements Linux syscall getgroups(2). */
    static long getgroups(GuestThread t, Args a) throws ErrnoException {
        int[] groups = t.process().credentials().groups();
        int size = a.i32(0);
        if (size < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (size == 0) {
            return groups.length;
        }
        if (size < groups.length) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer b = GuestMemory.structBuffer(groups.length * 4);
        for (int g : groups) {
            b.putInt(g);
        }
        t.process().space().memory().writeStruct(a.addr(1), b);
        return groups.length;
    }

    private static void putThree(GuestThread t, Args a, int r, int e, int s) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        mem.writeInt(a.addr(0), r);
        mem.writeInt(a.addr(1), e);
        mem.writeInt(a.addr(2), s);
    }
}
