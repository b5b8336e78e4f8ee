package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/** User and group ids: the guest's own, changed by Linux's rules (the host user stays jlx's). */
final class IdentitySyscalls {
    private IdentitySyscalls() {}

    // The ids are uid_t and gid_t: returned zero-extended, as Linux's.

    /** Implements Linux syscall getuid(2). */
    static long getuid(GuestThread t, Args a) {
        return Integer.toUnsignedLong(t.process().credentials().uid());
    }

    /** Implements Linux syscall geteuid(2). */
    static long geteuid(GuestThread t, Args a) {
        return Integer.toUnsignedLong(t.process().credentials().euid());
    }

    /** Implements Linux syscall getgid(2). */
    static long getgid(GuestThread t, Args a) {
        return Integer.toUnsignedLong(t.process().credentials().gid());
    }

    /** Implements Linux syscall getegid(2). */
    static long getegid(GuestThread t, Args a) {
        return Integer.toUnsignedLong(t.process().credentials().egid());
    }

    /** Implements Linux syscall getresuid(2). */
    static long getresuid(GuestThread t, Args a) throws ErrnoException {
        GuestProcess.Credentials c = t.process().credentials();
        putThree(t, a, c.uid(), c.euid(), c.suid());
        return 0;
    }

    /** Implements Linux syscall getresgid(2). */
    static long getresgid(GuestThread t, Args a) throws ErrnoException {
        GuestProcess.Credentials c = t.process().credentials();
        putThree(t, a, c.gid(), c.egid(), c.sgid());
        return 0;
    }

    /** -1 as a uid or gid argument: leave that id as it is. */
    private static final int UNCHANGED = -1;

    /** Whether the process may set user ids freely: CAP_SETUID. */
    private static boolean privileged(GuestProcess.Credentials c) {
        return c.capable(GuestProcess.CAP_SETUID);
    }

    /** Whether the process may set group ids freely: CAP_SETGID. */
    private static boolean privilegedGroup(GuestProcess.Credentials c) {
        return c.capable(GuestProcess.CAP_SETGID);
    }

    /** An unprivileged caller may only take one of its current real, effective and saved ids. */
    private static void allowed(boolean privileged, int id, int real, int effective, int saved)
            throws ErrnoException {
        if (!privileged && id != UNCHANGED && id != real && id != effective && id != saved) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /**
     * Implements Linux syscall setuid(2): privileged, all three ids; else the effective one only. The
     * file-system id follows the effective one, here and in the other set*id calls.
     */
    static long setuid(GuestThread t, Args a) throws ErrnoException {
        int u = a.i32(0);
        if (u == UNCHANGED) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().changeCredentials(c -> {
            if (privileged(c)) {
                return with(t, c, true, u, u, u);
            }
            allowed(false, u, c.uid(), c.uid(), c.suid());
            return with(t, c, true, UNCHANGED, u, UNCHANGED);
        });
        return 0;
    }

    /** Implements Linux syscall setgid(2). */
    static long setgid(GuestThread t, Args a) throws ErrnoException {
        int g = a.i32(0);
        if (g == UNCHANGED) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().changeCredentials(c -> {
            if (privilegedGroup(c)) {
                return with(t, c, false, g, g, g);
            }
            allowed(false, g, c.gid(), c.gid(), c.sgid());
            return with(t, c, false, UNCHANGED, g, UNCHANGED);
        });
        return 0;
    }

    /** Implements Linux syscall setreuid(2): the saved id follows a new effective one as Linux's rule says. */
    static long setreuid(GuestThread t, Args a) throws ErrnoException {
        int r = a.i32(0);
        int e = a.i32(1);
        t.process().changeCredentials(c -> {
            boolean p = privileged(c);
            allowed(p, r, c.uid(), c.euid(), c.uid());
            allowed(p, e, c.uid(), c.euid(), c.suid());
            int newEuid = e == UNCHANGED ? c.euid() : e;
            int saved = r != UNCHANGED || e != UNCHANGED && e != c.uid() ? newEuid : UNCHANGED;
            return with(t, c, true, r, e, saved);
        });
        return 0;
    }

    /** Implements Linux syscall setregid(2). */
    static long setregid(GuestThread t, Args a) throws ErrnoException {
        int r = a.i32(0);
        int e = a.i32(1);
        t.process().changeCredentials(c -> {
            boolean p = privilegedGroup(c);
            allowed(p, r, c.gid(), c.egid(), c.gid());
            allowed(p, e, c.gid(), c.egid(), c.sgid());
            int newEgid = e == UNCHANGED ? c.egid() : e;
            int saved = r != UNCHANGED || e != UNCHANGED && e != c.gid() ? newEgid : UNCHANGED;
            return with(t, c, false, r, e, saved);
        });
        return 0;
    }

    /** Implements Linux syscall setresuid(2). */
    static long setresuid(GuestThread t, Args a) throws ErrnoException {
        t.process().changeCredentials(c -> {
            if (noChange(a, c.uid(), c.euid(), c.suid(), c.fsuid())) {
                return c;
            }
            boolean p = privileged(c);
            for (int i = 0; i < 3; i++) {
                allowed(p, a.i32(i), c.uid(), c.euid(), c.suid());
            }
            return with(t, c, true, a.i32(0), a.i32(1), a.i32(2));
        });
        return 0;
    }

    /** Implements Linux syscall setresgid(2). */
    static long setresgid(GuestThread t, Args a) throws ErrnoException {
        t.process().changeCredentials(c -> {
            if (noChange(a, c.gid(), c.egid(), c.sgid(), c.fsgid())) {
                return c;
            }
            boolean p = privilegedGroup(c);
            for (int i = 0; i < 3; i++) {
                allowed(p, a.i32(i), c.gid(), c.egid(), c.sgid());
            }
            return with(t, c, false, a.i32(0), a.i32(1), a.i32(2));
        });
        return 0;
    }

    /**
     * setresuid's and setresgid's shortcut: when each id asked for is already the current one (and
     * the file-system id is the effective one asked for), Linux returns at once, so the file-system
     * id is not reset to the effective one.
     */
    private static boolean noChange(Args a, int real, int effective, int saved, int fs) {
        int r = a.i32(0);
        int e = a.i32(1);
        int s = a.i32(2);
        return (r == UNCHANGED || r == real) && (e == UNCHANGED || e == effective && e == fs)
                && (s == UNCHANGED || s == saved);
    }

    /**
     * {@code c} with the real, effective and saved user ids ({@code user}) or group ids set, -1
     * keeping one, and the file-system id set to the new effective one; a user id change changes the
     * capability sets as Linux's.
     */
    private static GuestProcess.Credentials with(GuestThread t, GuestProcess.Credentials c, boolean user, int r,
            int e, int s) {
        if (user) {
            int uid = pick(r, c.uid());
            int euid = pick(e, c.euid());
            int suid = pick(s, c.suid());
            return new GuestProcess.Credentials(uid, c.gid(), euid, c.egid(), c.groups(), suid, c.sgid(), euid,
                    c.fsgid(), c.caps().afterSetuid(c, uid, euid, suid, t.process().securebits()));
        }
        int egid = pick(e, c.egid());
        return new GuestProcess.Credentials(c.uid(), pick(r, c.gid()), c.euid(), egid, c.groups(), c.suid(),
                pick(s, c.sgid()), c.fsuid(), egid, c.caps());
    }

    /**
     * Implements Linux syscall setfsuid(2): never fails, answers the previous file-system id; it
     * changes only to one of the caller's real, effective, saved or file-system ids, or to any valid
     * id for a privileged caller.
     */
    static long setfsuid(GuestThread t, Args a) throws ErrnoException {
        int u = a.i32(0);
        int[] previous = new int[1];
        t.process().changeCredentials(c -> {
            previous[0] = c.fsuid();
            if (u == UNCHANGED || !privileged(c) && u != c.uid() && u != c.euid() && u != c.suid() && u != c.fsuid()) {
                return c;
            }
            return new GuestProcess.Credentials(c.uid(), c.gid(), c.euid(), c.egid(), c.groups(), c.suid(), c.sgid(),
                    u, c.fsgid(), c.caps().afterSetfsuid(c.fsuid(), u, t.process().securebits()));
        });
        return Integer.toUnsignedLong(previous[0]);
    }

    /** Implements Linux syscall setfsgid(2), as setfsuid for the group. */
    static long setfsgid(GuestThread t, Args a) throws ErrnoException {
        int g = a.i32(0);
        int[] previous = new int[1];
        t.process().changeCredentials(c -> {
            previous[0] = c.fsgid();
            if (g == UNCHANGED || !privilegedGroup(c) && g != c.gid() && g != c.egid() && g != c.sgid() && g != c.fsgid()) {
                return c;
            }
            return new GuestProcess.Credentials(c.uid(), c.gid(), c.euid(), c.egid(), c.groups(), c.suid(), c.sgid(),
                    c.fsuid(), g, c.caps());
        });
        return Integer.toUnsignedLong(previous[0]);
    }

    private static int pick(int requested, int current) {
        return requested == UNCHANGED ? current : requested;
    }

    /** NGROUPS_MAX of linux/limits.h. */
    private static final int NGROUPS_MAX = 65536;

    /**
     * Implements Linux syscall setgroups(2): privileged callers only (EPERM before the size's
     * EINVAL). The list is read one id at a time, as Linux's groups_from_user: an id of -1 (EINVAL)
     * stops the reading before a fault further on would (EFAULT).
     */
    static long setgroups(GuestThread t, Args a) throws ErrnoException {
        if (!privilegedGroup(t.process().credentials())) {
            throw new ErrnoException(Errno.EPERM);
        }
        int size = a.i32(0);
        if (size < 0 || size > NGROUPS_MAX) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int[] groups = new int[size];
        GuestMemory mem = t.process().space().memory();
        for (int i = 0; i < size; i++) {
            groups[i] = mem.readInt(a.addr(1) + 4L * i);
            if (groups[i] == UNCHANGED) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        t.process().changeCredentials(c -> {
            // Asked again: another thread may have given the privilege up meanwhile.
            if (!privilegedGroup(c)) {
                throw new ErrnoException(Errno.EPERM);
            }
            return new GuestProcess.Credentials(c.uid(), c.gid(), c.euid(), c.egid(), groups, c.suid(), c.sgid(),
                    c.fsuid(), c.fsgid(), c.caps());
        });
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
