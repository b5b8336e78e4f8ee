package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.net.SocketFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Extended attributes: the path forms resolve in the VFS and ask the file system, the fd forms ask
 * the open file; values read go straight from the host into guest memory, values to set are copied
 * first. Arguments are checked in Linux's order: flags, then the name (EFAULT, ERANGE) and a value
 * to set, then the path or the descriptor.
 */
final class XattrSyscalls {
    /** XATTR_NAME_MAX and XATTR_SIZE_MAX of linux/limits.h. */
    private static final int NAME_MAX = 255;
    private static final int SIZE_MAX = 65536;
    private static final int XATTR_CREATE = 1;
    private static final int XATTR_REPLACE = 2;

    private XattrSyscalls() {}

    /** Implements Linux syscall getxattr(2). */
    static long getxattr(GuestThread t, Args a) throws ErrnoException {
        return get(t, a, true);
    }

    /** Implements Linux syscall lgetxattr(2). */
    static long lgetxattr(GuestThread t, Args a) throws ErrnoException {
        return get(t, a, false);
    }

    private static long get(GuestThread t, Args a, boolean follow) throws ErrnoException {
        ByteString name = name(t, a.addr(1));
        SocketFile s = follow ? socketBehind(t, a.addr(0)) : null;
        if (s != null) {
            return sockfsGet(s, name, buffer(t, a.addr(2), a.u64(3), true));
        }
        Vfs.Resolved r = resolve(t, a.addr(0), follow);
        return r.fs().getxattr(r.path(), follow, name, buffer(t, a.addr(2), a.u64(3), true));
    }

    /**
     * The socket a /proc/PID/fd/N link leads to (followed, it is the socket's sockfs inode), or
     * null for any other path.
     */
    private static SocketFile socketBehind(GuestThread t, long pathAddr) throws ErrnoException {
        Vfs.Resolved r = resolve(t, pathAddr, false);
        java.util.List<ByteString> c = r.guestPath().components();
        int n = c.size();
        if (n < 3 || !c.get(n - 2).equals(ByteString.of("fd")) || !r.fs().isMagicLink(r.path())) {
            return null;
        }
        try {
            GuestProcess p = t.process().kernel().process(Integer.parseInt(c.get(n - 3).toString()));
            OpenFile f = p == null ? null : p.fds().get(Integer.parseInt(c.get(n - 1).toString()));
            return f instanceof SocketFile s ? s : null;
        } catch (NumberFormatException | ErrnoException notOne) {
            return null;
        }
    }

    /** sockfs's attributes: system.sockprotoname, the protocol's name (sk_prot->name) and its NUL; no others. */
    private static long sockfsGet(SocketFile s, ByteString name, MemorySegment value) throws ErrnoException {
        if (!name.equals(SOCKPROTONAME)) {
            throw new ErrnoException(Errno.ENODATA);
        }
        return copyOut(ByteString.of(s.protocolName() + "\0").toByteArray(), value);
    }

    /** An attribute's bytes into the caller's buffer: the size alone for none, ERANGE for one too small. */
    private static long copyOut(byte[] bytes, MemorySegment value) throws ErrnoException {
        if (value.byteSize() == 0) {
            return bytes.length;
        }
        if (value.byteSize() < bytes.length) {
            throw new ErrnoException(Errno.ERANGE);
        }
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, value, 0, bytes.length);
        return bytes.length;
    }

    private static final ByteString SOCKPROTONAME = ByteString.of("system.sockprotoname");
    /** sockfs_listxattr: the one name, NUL-terminated (no security module adds its own here). */
    private static final byte[] SOCKFS_LIST = "system.sockprotoname\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Implements Linux syscall fgetxattr(2). */
    static long fgetxattr(GuestThread t, Args a) throws ErrnoException {
        ByteString name = name(t, a.addr(1));
        OpenFile f = t.process().fds().get(a.fd(0));
        MemorySegment value = buffer(t, a.addr(2), a.u64(3), true);
        if (f instanceof SocketFile s) {
            return sockfsGet(s, name, value);
        }
        if (!(f instanceof VfsFile v)) {
            throw new ErrnoException(Errno.ENODATA);
        }
        return v.ops().getxattr(name, value);
    }

    /** Implements Linux syscall listxattr(2). */
    static long listxattr(GuestThread t, Args a) throws ErrnoException {
        return list(t, a, true);
    }

    /** Implements Linux syscall llistxattr(2). */
    static long llistxattr(GuestThread t, Args a) throws ErrnoException {
        return list(t, a, false);
    }

    private static long list(GuestThread t, Args a, boolean follow) throws ErrnoException {
        if (follow && socketBehind(t, a.addr(0)) != null) {
            return copyOut(SOCKFS_LIST, buffer(t, a.addr(1), a.u64(2), true));
        }
        Vfs.Resolved r = resolve(t, a.addr(0), follow);
        return r.fs().listxattr(r.path(), follow, buffer(t, a.addr(1), a.u64(2), true));
    }

    /** Implements Linux syscall flistxattr(2). */
    static long flistxattr(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        MemorySegment list = buffer(t, a.addr(1), a.u64(2), true);
        if (f instanceof SocketFile) {
            return copyOut(SOCKFS_LIST, list);
        }
        return f instanceof VfsFile v ? v.ops().listxattr(list) : 0;
    }

    /** Implements Linux syscall setxattr(2). */
    static long setxattr(GuestThread t, Args a) throws ErrnoException {
        return set(t, a, true);
    }

    /** Implements Linux syscall lsetxattr(2). */
    static long lsetxattr(GuestThread t, Args a) throws ErrnoException {
        return set(t, a, false);
    }

    private static long set(GuestThread t, Args a, boolean follow) throws ErrnoException {
        int flags = flags(a.i32(4));
        ByteString name = name(t, a.addr(1));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = value(t, a.addr(2), a.u64(3), arena);
            Vfs.Resolved r = resolve(t, a.addr(0), follow).writable();
            r.fs().setxattr(r.path(), follow, name, value, flags);
            dev.jlx.core.fs.Fsnotify.changed(r, dev.jlx.abi.Inotify.IN_ATTRIB);
        }
        return 0;
    }

    /** Implements Linux syscall fsetxattr(2). */
    static long fsetxattr(GuestThread t, Args a) throws ErrnoException {
        int flags = flags(a.i32(4));
        ByteString name = name(t, a.addr(1));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = value(t, a.addr(2), a.u64(3), arena);
            OpenFile f = t.process().fds().get(a.fd(0));
            notInAFileSystem(f);
            ((VfsFile) f).ops().setxattr(name, value, flags);
            dev.jlx.core.fs.Fsnotify.file((VfsFile) f, dev.jlx.abi.Inotify.IN_ATTRIB);
        }
        return 0;
    }

    /** Implements Linux syscall removexattr(2). */
    static long removexattr(GuestThread t, Args a) throws ErrnoException {
        ByteString name = name(t, a.addr(1));
        Vfs.Resolved r = resolve(t, a.addr(0), true).writable();
        r.fs().removexattr(r.path(), true, name);
        dev.jlx.core.fs.Fsnotify.changed(r, dev.jlx.abi.Inotify.IN_ATTRIB);
        return 0;
    }

    /** Implements Linux syscall lremovexattr(2). */
    static long lremovexattr(GuestThread t, Args a) throws ErrnoException {
        ByteString name = name(t, a.addr(1));
        Vfs.Resolved r = resolve(t, a.addr(0), false).writable();
        r.fs().removexattr(r.path(), false, name);
        dev.jlx.core.fs.Fsnotify.changed(r, dev.jlx.abi.Inotify.IN_ATTRIB);
        return 0;
    }

    /** Implements Linux syscall fremovexattr(2). */
    static long fremovexattr(GuestThread t, Args a) throws ErrnoException {
        ByteString name = name(t, a.addr(1));
        OpenFile f = t.process().fds().get(a.fd(0));
        notInAFileSystem(f);
        ((VfsFile) f).ops().removexattr(name);
        dev.jlx.core.fs.Fsnotify.file((VfsFile) f, dev.jlx.abi.Inotify.IN_ATTRIB);
        return 0;
    }

    /** A pipe, eventfd or epoll file keeps no extended attributes and takes none (EOPNOTSUPP). */
    private static void notInAFileSystem(OpenFile f) throws ErrnoException {
        if (!(f instanceof VfsFile)) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
    }

    private static Vfs.Resolved resolve(GuestThread t, long pathAddr, boolean follow) throws ErrnoException {
        return FileSyscalls.resolve(t, Fcntl.AT_FDCWD, FileSyscalls.path(t, pathAddr), follow);
    }

    /** An attribute name: 1 to 255 bytes (ERANGE otherwise, as Linux). */
    private static ByteString name(GuestThread t, long address) throws ErrnoException {
        byte[] name;
        try {
            name = t.process().space().memory().readCString(address, NAME_MAX);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENAMETOOLONG ? new ErrnoException(Errno.ERANGE) : e;
        }
        if (name.length == 0) {
            throw new ErrnoException(Errno.ERANGE);
        }
        return ByteString.of(name);
    }

    /** A result buffer, clamped to XATTR_SIZE_MAX as Linux does; empty asks for the size. */
    private static MemorySegment buffer(GuestThread t, long address, long size, boolean write) throws ErrnoException {
        long n = Math.min(size, SIZE_MAX);
        return n == 0 ? MemorySegment.NULL : t.process().space().memory().slice(address, n, write);
    }

    /**
     * The value to set, copied whole before the file is looked at, as Linux's setxattr_copy does:
     * EFAULT when any part of it cannot be read.
     */
    private static MemorySegment value(GuestThread t, long address, long size, Arena arena) throws ErrnoException {
        if (size > SIZE_MAX) {
            throw new ErrnoException(Errno.E2BIG);
        }
        if (size == 0) {
            return MemorySegment.NULL;
        }
        return arena.allocate(size).copyFrom(MemorySegment.ofArray(t.process().space().memory().read(address,
                (int) size)));
    }

    private static int flags(int flags) throws ErrnoException {
        if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return flags;
    }
}
