package dev.jlx.core.syscall;

import static dev.jlx.abi.Inotify.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Fsnotify;
import dev.jlx.core.fs.InotifyFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;

/**
 * inotify (inotify_init1 and its relatives, {@link InotifyFile} fed by {@link Fsnotify}) and
 * fanotify, which jlx refuses as Linux refuses it to a process without CAP_SYS_ADMIN.
 */
final class NotifySyscalls {
    private NotifySyscalls() {}

    /** Implements Linux syscall inotify_init(2): inotify_init1 with no flags. */
    static long inotify_init(GuestThread t, Args a) throws ErrnoException {
        return init(t, 0);
    }

    /** Implements Linux syscall inotify_init1(2): IN_NONBLOCK, IN_CLOEXEC; EMFILE past max_user_instances. */
    static long inotify_init1(GuestThread t, Args a) throws ErrnoException {
        return init(t, a.i32(0));
    }

    private static long init(GuestThread t, int flags) throws ErrnoException {
        if ((flags & ~(IN_CLOEXEC | IN_NONBLOCK)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        InotifyFile file = Fsnotify.newInstance(flags & OpenFlags.O_NONBLOCK, p.credentials().euid(),
                p.credentials().egid());
        return FileSyscalls.installNew(p, file, (flags & IN_CLOEXEC) != 0);
    }

    /**
     * Implements Linux syscall inotify_add_watch(2), in its order: the mask (EINVAL for unknown bits
     * or none), the descriptor (EBADF), IN_MASK_ADD with IN_MASK_CREATE and a descriptor that is no
     * inotify instance (EINVAL), the path (followed unless IN_DONT_FOLLOW, a directory with
     * IN_ONLYDIR), read permission on it (EACCES); then the watch is made or changed.
     */
    static long inotify_add_watch(GuestThread t, Args a) throws ErrnoException {
        int mask = a.i32(2);
        if ((mask & ~ALL_INOTIFY_BITS) != 0 || (mask & ALL_INOTIFY_BITS) == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        OpenFile f = t.process().fds().get(a.fd(0));
        if ((mask & IN_MASK_ADD) != 0 && (mask & IN_MASK_CREATE) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (!(f instanceof InotifyFile group)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean follow = (mask & IN_DONT_FOLLOW) == 0;
        dev.jlx.core.ByteString path = FileSyscalls.path(t, a.addr(1));
        Vfs.Resolved r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, path, follow);
        HostStat st = r.fs().stat(r.path(), follow);
        if ((mask & IN_ONLYDIR) != 0 && (st.mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFLNK) {
            // A symbolic link's own mode lets everyone read it.
            r.fs().access(r.path(), Fcntl.R_OK);
        }
        return Fsnotify.addWatch(group, r, st, mask);
    }

    /** Implements Linux syscall inotify_rm_watch(2): IN_IGNORED, and the watch goes. */
    static long inotify_rm_watch(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        if (!(f instanceof InotifyFile group)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Fsnotify.removeWatch(group, a.i32(1));
        return 0;
    }

    /**
     * Implements Linux syscall fanotify_init(2) as for a caller without CAP_SYS_ADMIN (which jlx
     * grants no guest) on a kernel that gives unprivileged callers nothing: EPERM. (Linux 5.13 and
     * later give them groups that report file handles, which jlx has none of.)
     */
    static long fanotify_init(GuestThread t, Args a) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** Implements Linux syscall fanotify_mark(2): no descriptor is a fanotify group (EBADF, else EINVAL). */
    static long fanotify_mark(GuestThread t, Args a) throws ErrnoException {
        t.process().fds().get(a.fd(0));
        throw new ErrnoException(Errno.EINVAL);
    }
}
