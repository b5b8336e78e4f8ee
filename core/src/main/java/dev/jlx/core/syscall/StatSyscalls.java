package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.struct.Stat;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.abi.struct.Statx;
import dev.jlx.abi.struct.StatxTimestamp;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/** The stat family. Host metadata arrives in Linux units and is encoded with the ABI's layout. */
final class StatSyscalls {
    private StatSyscalls() {}

    /** Implements Linux syscall fstat(2). */
    static long fstat(GuestThread t, Args a) throws ErrnoException {
        put(t, a.addr(1), t.process().fds().get(a.fd(0)).stat());
        return 0;
    }

    /** Implements Linux syscall stat(2). */
    static long stat(GuestThread t, Args a) throws ErrnoException {
        return statAt(t, Fcntl.AT_FDCWD, a.addr(0), a.addr(1), 0);
    }

    /** Implements Linux syscall lstat(2). */
    static long lstat(GuestThread t, Args a) throws ErrnoException {
        return statAt(t, Fcntl.AT_FDCWD, a.addr(0), a.addr(1), Fcntl.AT_SYMLINK_NOFOLLOW);
    }

    /** Implements Linux syscall newfstatat(2). */
    static long newfstatat(GuestThread t, Args a) throws ErrnoException {
        return statAt(t, a.fd(0), a.addr(1), a.addr(2), a.i32(3));
    }

    private static long statAt(GuestThread t, int dirfd, long pathAddr, long buf, int flags) throws ErrnoException {
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH | Fcntl.AT_NO_AUTOMOUNT)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        put(t, buf, lookup(t, dirfd, pathAddr, flags));
        return 0;
    }

    /** The metadata a *stat*at call names: a path, or with AT_EMPTY_PATH and "" the dirfd itself. */
    private static HostStat lookup(GuestThread t, int dirfd, long pathAddr, int flags) throws ErrnoException {
        ByteString path = FileSyscalls.path(t, pathAddr);
        HostStat st;
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            if (dirfd == Fcntl.AT_FDCWD) {
                GuestProcess.FsView view = t.process().fsView();
                Vfs.Resolved cwd = view.vfs().walked(view.cwd());
                st = cwd.fs().stat(cwd.path(), true);
            } else {
                st = t.process().fds().get(dirfd).stat();
            }
        } else {
            GuestProcess.FsView view = t.process().fsView();
            st = view.vfs().stat(FileSyscalls.base(t, view, dirfd, path), path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
        }
        return st;
    }

    /** Implements Linux syscall statfs(2). */
    static long statfs(GuestThread t, Args a) throws ErrnoException {
        Vfs.Resolved r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, FileSyscalls.path(t, a.addr(0)), true);
        putStatfs(t, a.addr(1), r.fs().statfs(r.path()), r.mount().readOnly());
        return 0;
    }

    /** Implements Linux syscall fstatfs(2). */
    static long fstatfs(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        putStatfs(t, a.addr(1), f.statfs(), f instanceof VfsFile h && h.onReadOnlyMount());
        return 0;
    }

    private static void putStatfs(GuestThread t, long address, HostStatfs s, boolean readOnly) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Statfs.SIZE);
        new Statfs(s.type(), s.bsize(), s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), s.fsid(), s.namelen(),
                s.frsize(), s.flags() | (readOnly ? Statfs.ST_RDONLY : 0)).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }

    /** AT_STATX_SYNC_TYPE: whether to sync with a remote server; a local host file system ignores it. */
    private static final int AT_STATX_SYNC_TYPE = 0x6000;
    /** STATX__RESERVED: a request bit reserved for an extended struct statx. */
    private static final int STATX_RESERVED = 0x80000000;

    /**
     * Implements Linux syscall statx(2). Everything stat(2) knows is filled in (STATX_BASIC_STATS),
     * and the birth time where the file system keeps one; the mount id and direct-I/O alignment are
     * not offered, so their bits stay clear.
     */
    static long statx(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH | Fcntl.AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) != 0
                || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (a.i32(3) & STATX_RESERVED) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        HostStat s = lookup(t, a.fd(0), a.addr(1), flags & ~AT_STATX_SYNC_TYPE);
        StatxTimestamp btime = s.hasBtime() ? new StatxTimestamp(s.btimeSec(), (int) s.btimeNsec())
                : new StatxTimestamp(0, 0);
        Statx x = new Statx(Statx.STATX_BASIC_STATS | (s.hasBtime() ? Statx.STATX_BTIME : 0), (int) s.blksize(), 0,
                (int) s.nlink(), s.uid(), s.gid(), s.mode() & 0xffff, s.ino(), s.size(), s.blocks(), 0,
                new StatxTimestamp(s.atimeSec(), (int) s.atimeNsec()), btime,
                new StatxTimestamp(s.ctimeSec(), (int) s.ctimeNsec()),
                new StatxTimestamp(s.mtimeSec(), (int) s.mtimeNsec()), major(s.rdev()), minor(s.rdev()), major(s.dev()),
                minor(s.dev()), 0, 0, 0);
        ByteBuffer b = GuestMemory.structBuffer(Statx.SIZE);
        x.writeTo(b, 0);
        t.process().space().memory().writeStruct(a.addr(4), b);
        return 0;
    }

    /** Linux's dev_t encoding (include/linux/kdev_t.h, new_decode_dev). */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    private static void put(GuestThread t, long address, HostStat s) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Stat.SIZE);
        new Stat(s.dev(), s.ino(), s.nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(), s.blocks(),
                s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec()).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }
}
