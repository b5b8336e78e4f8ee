package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.struct.Stat;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.abi.struct.Statx;
import dev.jlx.abi.struct.StatxTimestamp;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.fs.proc.MountTable;
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
        // glibc's fstat is fstatat(fd, "", AT_EMPTY_PATH): the descriptor's file, with no mount to look up.
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0 && dirfd != Fcntl.AT_FDCWD) {
            return t.process().fds().get(dirfd).stat();
        }
        return lookupOnMount(t, dirfd, path, flags).stat();
    }

    /** {@link #lookup}, also telling the mount the file is on; none for a file of no mount (a pipe). */
    private static Vfs.Stated lookupOnMount(GuestThread t, int dirfd, ByteString path, int flags) throws ErrnoException {
        GuestProcess.FsView view = t.process().fsView();
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            if (dirfd == Fcntl.AT_FDCWD) {
                Vfs.Resolved cwd = view.vfs().walked(view.cwd());
                return new Vfs.Stated(cwd.fs().stat(cwd.path(), true), cwd.mount(),
                        cwd.guestPath().equals(cwd.mount().guestPath()));
            }
            OpenFile f = t.process().fds().get(dirfd);
            if (f instanceof VfsFile h && h.guestPath() != null) {
                Mount m = view.vfs().mountOf(h.guestPath());
                return new Vfs.Stated(f.stat(), m, h.guestPath().equals(m.guestPath()));
            }
            return new Vfs.Stated(f.stat(), null, false);
        }
        return view.vfs().statOnMount(FileSyscalls.base(t, view, dirfd, path), path,
                (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
    }

    /** Implements Linux syscall statfs(2). */
    static long statfs(GuestThread t, Args a) throws ErrnoException {
        Vfs.Resolved r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, FileSyscalls.path(t, a.addr(0)), true);
        putStatfs(t, a.addr(1), r.fs().statfs(r.path()), r.mount());
        return 0;
    }

    /** Implements Linux syscall fstatfs(2). */
    static long fstatfs(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        putStatfs(t, a.addr(1), f.statfs(), f instanceof VfsFile h ? h.mount() : null);
        return 0;
    }

    /** struct ustat (linux/types.h): int f_tfree, u64 f_tinode at 8, char f_fname[6] at 16, f_fpack[6] at 22. */
    private static final int USTAT_SIZE = 32;

    /**
     * Implements Linux syscall ustat(2): the free blocks and inodes of the file system on device
     * {@code dev} (the old 32-bit encoding, new_decode_dev), as statfs gives them; the names are
     * empty, as Linux leaves them. A device is known when it is the device of a mount's root or of
     * the caller's working directory (Linux: any mounted superblock); EINVAL otherwise.
     */
    static long ustat(GuestThread t, Args a) throws ErrnoException {
        long dev = Integer.toUnsignedLong(a.i32(0));
        long major = (dev & 0xfff00) >>> 8;
        long minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
        // The 64-bit encoding jlx's stat gives (glibc's makedev).
        long wanted = ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
        HostStatfs found = null;
        GuestProcess.FsView view = t.process().fsView();
        java.util.List<ByteString> places = new java.util.ArrayList<>();
        view.vfs().mounts().forEach(m -> places.add(m.guestPath()));
        places.add(view.cwd());
        for (ByteString place : places) {
            try {
                Vfs.Resolved r = view.vfs().resolve(ByteString.ROOT, place, true);
                if (r.fs().stat(r.path(), true).dev() == wanted) {
                    found = r.fs().statfs(r.path());
                    break;
                }
            } catch (ErrnoException gone) {
                // A place that went away names no device.
            }
        }
        if (found == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer b = GuestMemory.structBuffer(USTAT_SIZE);
        b.putInt(0, (int) found.bfree());
        b.putLong(8, found.ffree());
        t.process().space().memory().writeStruct(a.addr(1), b);
        return 0;
    }

    /** The per-mount ST_* bits a guest's mount(2) sets, in place of the file system's own. */
    private static final long MOUNT_ST_FLAGS = Statfs.ST_NOSUID | Statfs.ST_NODEV | Statfs.ST_NOEXEC
            | Statfs.ST_NOATIME | 0x800 | Statfs.ST_RELATIME;

    /** statfs of a file on {@code m} (null: none): f_flags are the mount's (flags_by_mnt) and the file system's. */
    private static void putStatfs(GuestThread t, long address, HostStatfs s, Mount m) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Statfs.SIZE);
        long flags = s.flags();
        if (m != null && m.flags() != Mount.FROM_FS) {
            flags = flags & ~MOUNT_ST_FLAGS | m.flags();
        }
        if (m != null && m.refusesWrites()) {
            flags |= Statfs.ST_RDONLY;
        }
        new Statfs(s.type(), s.bsize(), s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), s.fsid(), s.namelen(),
                s.frsize(), flags).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }

    /** AT_STATX_SYNC_TYPE: whether to sync with a remote server; a local host file system ignores it. */
    private static final int AT_STATX_SYNC_TYPE = 0x6000;
    /** STATX_MNT_ID_UNIQUE: the mount's unique 64-bit id in stx_mnt_id. */
    private static final int STATX_MNT_ID_UNIQUE = 0x4000;
    /** STATX__RESERVED: a request bit reserved for an extended struct statx. */
    private static final int STATX_RESERVED = 0x80000000;

    /**
     * Implements Linux syscall statx(2). Everything stat(2) knows is filled in (STATX_BASIC_STATS),
     * the birth time where the file system keeps one, and the mount id (as /proc's mountinfo shows
     * it); the attributes are the file system's, but STATX_ATTR_MOUNT_ROOT, which is jlx's mounts'.
     * The direct-I/O alignment is not offered, so its bit stays clear.
     */
    static long statx(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH | Fcntl.AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) != 0
                || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (a.i32(3) & STATX_RESERVED) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs.Stated stated = lookupOnMount(t, a.fd(0), FileSyscalls.path(t, a.addr(1)), flags & ~AT_STATX_SYNC_TYPE);
        HostStat s = stated.stat();
        long mountId = stated.mount() == null ? MountTable.ANONYMOUS_ID : MountTable.id(stated.mount());
        // STATX_MNT_ID_UNIQUE asks for the 64-bit id statmount and listmount take (cp_statx's choice).
        boolean unique = (a.i32(3) & STATX_MNT_ID_UNIQUE) != 0;
        if (unique) {
            mountId += NewMountSyscalls.MNT_UNIQUE_ID_OFFSET;
        }
        long attributes = s.attributes() & ~Statx.STATX_ATTR_MOUNT_ROOT
                | (stated.mountRoot() ? Statx.STATX_ATTR_MOUNT_ROOT : 0);
        // vfs_getattr_nosec and vfs_statx add these to what the file system supports.
        long attributesMask = s.attributesMask() | Statx.STATX_ATTR_AUTOMOUNT | Statx.STATX_ATTR_DAX
                | Statx.STATX_ATTR_MOUNT_ROOT;
        StatxTimestamp btime = s.hasBtime() ? new StatxTimestamp(s.btimeSec(), (int) s.btimeNsec())
                : new StatxTimestamp(0, 0);
        Statx x = new Statx(Statx.STATX_BASIC_STATS | (s.hasBtime() ? Statx.STATX_BTIME : 0)
                | (unique ? STATX_MNT_ID_UNIQUE : Statx.STATX_MNT_ID),
                (int) s.blksize(), attributes, (int) s.nlink(), s.uid(), s.gid(), s.mode() & 0xffff, s.ino(), s.size(),
                s.blocks(), attributesMask,
                new StatxTimestamp(s.atimeSec(), (int) s.atimeNsec()), btime,
                new StatxTimestamp(s.ctimeSec(), (int) s.ctimeNsec()),
                new StatxTimestamp(s.mtimeSec(), (int) s.mtimeNsec()), major(s.rdev()), minor(s.rdev()), major(s.dev()),
                minor(s.dev()), mountId, 0, 0);
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
