package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Landlock;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Landlock's syscalls (security/landlock/syscalls.c), with their checks in Linux's order. */
final class LandlockSyscalls {
    private static final int CREATE_RULESET_VERSION = 1;
    private static final int CREATE_RULESET_ERRATA = 2;
    private static final int RULE_PATH_BENEATH = 1;
    private static final int RULE_NET_PORT = 2;
    /** LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF, _LOG_NEW_EXEC_ON, _LOG_SUBDOMAINS_OFF: jlx keeps no audit log. */
    private static final int RESTRICT_SELF_MASK = 7;
    private static final int LOG_SUBDOMAINS_OFF = 4;
    /** sizeof(struct landlock_ruleset_attr), and the least size a caller may give (handled_access_fs). */
    private static final int RULESET_ATTR_SIZE = 24;
    private static final int RULESET_ATTR_MIN = 8;
    /** sizeof(struct landlock_path_beneath_attr) (packed) and of struct landlock_net_port_attr. */
    private static final int PATH_BENEATH_SIZE = 12;
    private static final int NET_PORT_SIZE = 16;

    private LandlockSyscalls() {}

    /**
     * Implements Linux syscall landlock_create_ruleset(2): the ABI version or the errata by flag,
     * else a close-on-exec ruleset descriptor; the attribute is read as copy_struct_from_user does.
     */
    static long landlock_create_ruleset(GuestThread t, Args a) throws ErrnoException {
        long attr = a.addr(0);
        long size = a.u64(1);
        int flags = a.i32(2);
        if (flags != 0) {
            if (attr == 0 && size == 0) {
                if (flags == CREATE_RULESET_VERSION) {
                    return Landlock.ABI;
                }
                if (flags == CREATE_RULESET_ERRATA) {
                    return Landlock.ERRATA;
                }
            }
            throw new ErrnoException(Errno.EINVAL);
        }
        if (attr == 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
        if (Long.compareUnsigned(size, RULESET_ATTR_MIN) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory m = t.process().space().memory();
        if (Long.compareUnsigned(size, RULESET_ATTR_SIZE) > 0) {
            checkZeroed(m, attr + RULESET_ATTR_SIZE, size - RULESET_ATTR_SIZE);
        }
        ByteBuffer b = ByteBuffer.allocate(RULESET_ATTR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(m.read(attr, (int) Math.min(size, RULESET_ATTR_SIZE)));
        long fs = b.getLong(0);
        long net = b.getLong(8);
        long scoped = b.getLong(16);
        if ((fs & ~Landlock.FS_MASK) != 0 || (net & ~Landlock.NET_MASK) != 0 || (scoped & ~Landlock.SCOPE_MASK) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (fs == 0 && net == 0 && scoped == 0) {
            throw new ErrnoException(Errno.ENOMSG);
        }
        GuestProcess.Credentials c = t.process().credentials();
        return FileSyscalls.installNew(t.process(), new Landlock.Ruleset(fs, net, scoped, c.fsuid(), c.fsgid()), true);
    }

    /** check_zeroed_user: E2BIG for a non-zero byte past the struct jlx knows, EFAULT for a fault first. */
    private static void checkZeroed(GuestMemory m, long from, long length) throws ErrnoException {
        long at = from;
        long left = length;
        while (left != 0) {
            int n = (int) Math.min(Long.compareUnsigned(left, 4096) > 0 ? 4096 : left, 4096 - (at & 4095));
            for (byte x : m.read(at, n)) {
                if (x != 0) {
                    throw new ErrnoException(Errno.E2BIG);
                }
            }
            at += n;
            left -= n;
        }
    }

    /** The ruleset behind {@code fd}: EBADF for none, EBADFD for another kind of file (get_ruleset_from_fd). */
    private static Landlock.Ruleset ruleset(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if (!(f instanceof Landlock.Ruleset r)) {
            throw new ErrnoException(Errno.EBADFD);
        }
        return r;
    }

    /**
     * Implements Linux syscall landlock_add_rule(2): a path-beneath rule on the file or directory
     * behind parent_fd (O_PATH too; EBADFD for one no path names: pipes, sockets, rulesets), or a
     * TCP port rule.
     */
    static long landlock_add_rule(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Landlock.Ruleset rs = ruleset(t, a.fd(0));
        GuestMemory m = t.process().space().memory();
        long attr = a.addr(2);
        switch (a.i32(1)) {
            case RULE_PATH_BENEATH -> {
                ByteBuffer b = ByteBuffer.wrap(read(m, attr, PATH_BENEATH_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
                long access = b.getLong(0);
                int parent = b.getInt(8);
                if (access == 0) {
                    throw new ErrnoException(Errno.ENOMSG);
                }
                if ((access & ~rs.handledFs()) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                OpenFile f = t.process().fds().get(parent);
                if (!(f instanceof VfsFile v) || v.ops().anonymousName() != null || v.guestPath() == null) {
                    throw new ErrnoException(Errno.EBADFD);
                }
                HostStat st = v.stat();
                if ((st.mode() & dev.jlx.abi.FileMode.S_IFMT) != dev.jlx.abi.FileMode.S_IFDIR
                        && (access & ~Landlock.FILE_ACCESS) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                rs.allowPath(new Landlock.FileKey(st.dev(), st.ino()), access);
            }
            case RULE_NET_PORT -> {
                ByteBuffer b = ByteBuffer.wrap(read(m, attr, NET_PORT_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
                long access = b.getLong(0);
                long port = b.getLong(8);
                if (access == 0) {
                    throw new ErrnoException(Errno.ENOMSG);
                }
                if ((access & ~rs.handledNet()) != 0 || Long.compareUnsigned(port, 65535) > 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                rs.allowPort(port, access);
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    private static byte[] read(GuestMemory m, long address, int size) throws ErrnoException {
        if (address == 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
        return m.read(address, size);
    }

    /**
     * Implements Linux syscall landlock_restrict_self(2): the ruleset becomes a new layer of the
     * calling thread's domain (its later children and threads inherit it); no_new_privs or
     * CAP_SYS_ADMIN first (EPERM), E2BIG past 16 layers. The logging flags are accepted and have
     * nothing to change: jlx keeps no audit log.
     */
    static long landlock_restrict_self(GuestThread t, Args a) throws ErrnoException {
        int fd = a.fd(0);
        int flags = a.i32(1);
        GuestProcess p = t.process();
        if (!p.noNewPrivs() && !p.credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~RESTRICT_SELF_MASK) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (fd == -1 && flags == LOG_SUBDOMAINS_OFF) {
            return 0;
        }
        Landlock.Ruleset rs = ruleset(t, fd);
        Landlock.Domain d = t.landlock();
        if (d == null) {
            d = new Landlock.Domain(java.util.List.of());
        }
        if (d.layers().size() >= Landlock.MAX_LAYERS) {
            throw new ErrnoException(Errno.E2BIG);
        }
        t.setLandlock(d.with(rs.layer()));
        return 0;
    }
}
