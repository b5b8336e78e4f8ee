package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.abi.struct.Timeval;
import dev.jlx.abi.struct.Utimbuf;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.SharedFiles;
import java.nio.ByteBuffer;

/** File attributes: modes, owners, times, sizes, and flushing data to storage. */
final class AttrSyscalls {
    private AttrSyscalls() {}

    /** Resolves for an attribute call: AT_EMPTY_PATH selects the dirfd itself (null is returned). */
    private static Vfs.Resolved target(GuestThread t, int dir, long pathAddr, int flags, int allowed)
            throws ErrnoException {
        Vfs.Resolved r = lookup(t, dir, pathAddr, flags, allowed);
        return r == null ? null : r.writable();
    }

    /** {@link #target} without its read-only mount check, for a call that checks other things first. */
    private static Vfs.Resolved lookup(GuestThread t, int dir, long pathAddr, int flags, int allowed)
            throws ErrnoException {
        if ((flags & ~allowed) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = FileSyscalls.path(t, pathAddr);
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            return null;
        }
        return FileSyscalls.resolve(t, dir, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
    }

    /** Implements Linux syscall chmod(2). */
    static long chmod(GuestThread t, Args a) throws ErrnoException {
        return chmodAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1), 0);
    }

    /** Implements Linux syscall fchmodat(2). */
    static long fchmodat(GuestThread t, Args a) throws ErrnoException {
        return chmodAt(t, a.fd(0), a.addr(1), a.i32(2), 0);
    }

    /** Implements Linux syscall fchmodat2(2). */
    static long fchmodat2(GuestThread t, Args a) throws ErrnoException {
        return chmodAt(t, a.fd(0), a.addr(1), a.i32(2), a.i32(3));
    }

    private static long chmodAt(GuestThread t, int dir, long pathAddr, int mode, int flags) throws ErrnoException {
        Vfs.Resolved r = target(t, dir, pathAddr, flags, Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH);
        if (r == null) {
            t.process().fds().get(dir).chmod(mode & 07777);
            return 0;
        }
        if ((flags & Fcntl.AT_SYMLINK_NOFOLLOW) != 0 && (r.fs().stat(r.path(), false).mode()
                & dev.jlx.abi.FileMode.S_IFMT) == dev.jlx.abi.FileMode.S_IFLNK) {
            // Linux has no mode on symlinks to change.
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        r.fs().chmod(r.path(), mode & 07777);
        dev.jlx.core.fs.Fsnotify.changed(r, dev.jlx.abi.Inotify.IN_ATTRIB);
        return 0;
    }

    /** Implements Linux syscall fchmod(2). */
    static long fchmod(GuestThread t, Args a) throws ErrnoException {
        t.process().fds().get(a.fd(0)).chmod(a.i32(1) & 07777);
        return 0;
    }

    /** Implements Linux syscall chown(2). */
    static long chown(GuestThread t, Args a) throws ErrnoException {
        return chownAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1), a.i32(2), 0);
    }

    /** Implements Linux syscall lchown(2). */
    static long lchown(GuestThread t, Args a) throws ErrnoException {
        return chownAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1), a.i32(2), Fcntl.AT_SYMLINK_NOFOLLOW);
    }

    /** Implements Linux syscall fchownat(2). */
    static long fchownat(GuestThread t, Args a) throws ErrnoException {
        return chownAt(t, a.fd(0), a.addr(1), a.i32(2), a.i32(3), a.i32(4));
    }

    private static long chownAt(GuestThread t, int dir, long pathAddr, int uid, int gid, int flags)
            throws ErrnoException {
        Vfs.Resolved r = target(t, dir, pathAddr, flags, Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH);
        if (r == null) {
            t.process().fds().get(dir).chown(uid, gid);
        } else {
            r.fs().chown(r.path(), uid, gid);
            if (uid != -1 || gid != -1) {
                dev.jlx.core.fs.Fsnotify.changed(r, dev.jlx.abi.Inotify.IN_ATTRIB);
            }
        }
        return 0;
    }

    /** Implements Linux syscall fchown(2). */
    static long fchown(GuestThread t, Args a) throws ErrnoException {
        t.process().fds().get(a.fd(0)).chown(a.i32(1), a.i32(2));
        return 0;
    }

    /**
     * Implements Linux syscall utimensat(2), in its order: the times are read (EFAULT), two
     * UTIME_OMITs end the call before anything else is looked at, then the file is found and only
     * then the nanoseconds checked (EINVAL).
     */
    static long utimensat(GuestThread t, Args a) throws ErrnoException {
        long[] times = new long[] {0, Fcntl.UTIME_NOW, 0, Fcntl.UTIME_NOW};
        if (a.addr(2) != 0) {
            ByteBuffer b = t.process().space().memory().readStruct(a.addr(2), 2 * Timespec.SIZE);
            for (int i = 0; i < 2; i++) {
                Timespec ts = Timespec.readFrom(b, i * Timespec.SIZE);
                times[2 * i] = ts.sec();
                times[2 * i + 1] = ts.nsec();
            }
            if (times[1] == Fcntl.UTIME_OMIT && times[3] == Fcntl.UTIME_OMIT) {
                return 0;
            }
        }
        return setTimes(t, a.fd(0), a.addr(1), a.i32(3), times);
    }

    /** Implements Linux syscall utimes(2). */
    static long utimes(GuestThread t, Args a) throws ErrnoException {
        return setTimes(t, Fcntl.AT_FDCWD, a.addr(0), 0, timevals(t, a.addr(1)));
    }

    /** Implements Linux syscall futimesat(2). */
    static long futimesat(GuestThread t, Args a) throws ErrnoException {
        return setTimes(t, a.fd(0), a.addr(1), 0, timevals(t, a.addr(2)));
    }

    /** Implements Linux syscall utime(2). */
    static long utime(GuestThread t, Args a) throws ErrnoException {
        long[] times = {0, Fcntl.UTIME_NOW, 0, Fcntl.UTIME_NOW};
        if (a.addr(1) != 0) {
            Utimbuf u = Utimbuf.readFrom(t.process().space().memory().readStruct(a.addr(1), Utimbuf.SIZE), 0);
            times = new long[] {u.actime(), 0, u.modtime(), 0};
        }
        return setTimes(t, Fcntl.AT_FDCWD, a.addr(0), 0, times);
    }

    /** A struct timeval[2] as {sec, nsec, sec, nsec}; NULL means now; bad microseconds are EINVAL. */
    private static long[] timevals(GuestThread t, long address) throws ErrnoException {
        if (address == 0) {
            return new long[] {0, Fcntl.UTIME_NOW, 0, Fcntl.UTIME_NOW};
        }
        ByteBuffer b = t.process().space().memory().readStruct(address, 2 * Timeval.SIZE);
        long[] out = new long[4];
        for (int i = 0; i < 2; i++) {
            Timeval tv = Timeval.readFrom(b, i * Timeval.SIZE);
            if (tv.usec() < 0 || tv.usec() >= 1_000_000) {
                throw new ErrnoException(Errno.EINVAL);
            }
            out[2 * i] = tv.sec();
            out[2 * i + 1] = tv.usec() * 1000;
        }
        return out;
    }

    /**
     * Linux's do_utimes: a NULL path with a descriptor other than AT_FDCWD is that descriptor's file
     * (futimens: no flags), anything else a path to look up; then vfs_utimes checks the nanoseconds.
     */
    private static long setTimes(GuestThread t, int dir, long pathAddr, int flags, long[] times) throws ErrnoException {
        if (pathAddr == 0 && dir != Fcntl.AT_FDCWD) {
            if (flags != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            OpenFile f = t.process().fds().get(dir);
            checkNanos(times);
            f.utimens(times[0], times[1], times[2], times[3]);
            return 0;
        }
        Vfs.Resolved r = lookup(t, dir, pathAddr, flags, Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH);
        if (r != null && !validNanos(times)) {
            // The walk leaves a missing last name to the call: the file must be found before EINVAL.
            r.fs().stat(r.path(), (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
        }
        checkNanos(times);
        if (r == null) {
            t.process().fds().get(dir).utimens(times[0], times[1], times[2], times[3]);
        } else {
            r.writable().fs().utimens(r.path(), times[0], times[1], times[2], times[3]);
            int event = dev.jlx.core.fs.Fsnotify.timesEvent(times[1], times[3]);
            if (event != 0) {
                dev.jlx.core.fs.Fsnotify.changed(r, event);
            }
        }
        return 0;
    }

    /** vfs_utimes: each nanosecond field is in range, UTIME_NOW or UTIME_OMIT (EINVAL otherwise). */
    private static void checkNanos(long[] times) throws ErrnoException {
        if (!validNanos(times)) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    private static boolean validNanos(long[] times) {
        for (int i = 1; i < 4; i += 2) {
            if ((times[i] < 0 || times[i] >= 1_000_000_000L) && times[i] != Fcntl.UTIME_NOW && times[i] != Fcntl.UTIME_OMIT) {
                return false;
            }
        }
        return true;
    }

    /** Implements Linux syscall truncate(2). */
    static long truncate(GuestThread t, Args a) throws ErrnoException {
        if (a.raw(1) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs.Resolved r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, FileSyscalls.path(t, a.addr(0)), true).writable();
        dev.jlx.core.kernel.Landlock.checkTruncate(r);
        HostStat st = r.fs().stat(r.path(), true);
        // vfs_truncate's get_write_access: a program a guest process runs is not cut.
        if (t.process().kernel().running(st.dev(), st.ino())) {
            throw new ErrnoException(Errno.ETXTBSY);
        }
        if (SharedFiles.any()) {
            SharedFiles.truncating(st.dev(), st.ino(), a.raw(1));
        }
        r.fs().truncate(r.path(), a.raw(1));
        dev.jlx.core.fs.Fsnotify.changed(r, dev.jlx.abi.Inotify.IN_MODIFY);
        return 0;
    }

    /** Implements Linux syscall ftruncate(2). */
    static long ftruncate(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        if (a.raw(1) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (f.writable()) {
            // Linux's do_ftruncate fails a descriptor not open for writing first (EINVAL).
            dev.jlx.core.kernel.Landlock.checkFtruncate(f);
        }
        if (SharedFiles.any()) {
            HostStat st = f.stat();
            SharedFiles.truncating(st.dev(), st.ino(), a.raw(1));
        }
        f.truncate(a.raw(1));
        return 0;
    }

    /** Implements Linux syscall fallocate(2). */
    static long fallocate(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        long offset = a.raw(2);
        long length = a.raw(3);
        if (offset < 0 || length <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        f.allocate(a.i32(1), offset, length);
        return 0;
    }

    /** Implements Linux syscall fsync(2). */
    static long fsync(GuestThread t, Args a) throws ErrnoException {
        t.process().fds().get(a.fd(0)).sync(false);
        return 0;
    }

    /** Implements Linux syscall fdatasync(2). */
    static long fdatasync(GuestThread t, Args a) throws ErrnoException {
        t.process().fds().get(a.fd(0)).sync(true);
        return 0;
    }
}
