package dev.jlx.core.syscall;

import static dev.jlx.abi.Inotify.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fanotify;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FanotifyFile;
import dev.jlx.core.fs.FanotifyMarks;
import dev.jlx.core.fs.Fsnotify;
import dev.jlx.core.fs.InotifyFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;

/**
 * inotify (inotify_init1 and its relatives, {@link InotifyFile} fed by {@link Fsnotify}) and
 * fanotify ({@link FanotifyFile} groups, whose marks {@link FanotifyMarks} feeds from the same hooks).
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

    /** fanotify_init's event_f_flags bits (FANOTIFY_INIT_ALL_EVENT_F_BITS). */
    private static final int EVENT_F_BITS = OpenFlags.O_ACCMODE | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK
            | OpenFlags.O_SYNC | OpenFlags.O_DSYNC | OpenFlags.O_CLOEXEC | OpenFlags.O_LARGEFILE | OpenFlags.O_NOATIME;
    /** The flags only CAP_SYS_ADMIN may give (FANOTIFY_ADMIN_INIT_FLAGS). */
    private static final int ADMIN_INIT_FLAGS = Fanotify.CLASS_BITS | Fanotify.FAN_UNLIMITED_QUEUE
            | Fanotify.FAN_UNLIMITED_MARKS | Fanotify.FAN_ENABLE_AUDIT | Fanotify.FAN_REPORT_PIDFD;
    /** FANOTIFY_INIT_FLAGS with FAN_ENABLE_AUDIT (CONFIG_AUDITSYSCALL), less FAN_REPORT_MNT (mount events are not served). */
    private static final int INIT_FLAGS = Fanotify.FAN_CLOEXEC | Fanotify.FAN_NONBLOCK | ADMIN_INIT_FLAGS
            | Fanotify.FAN_REPORT_TID | Fanotify.FID_BITS | Fanotify.FAN_REPORT_FD_ERROR;

    /**
     * Implements Linux syscall fanotify_init(2) in its order of checks: without CAP_SYS_ADMIN only a
     * group reporting FIDs with no admin flag (EPERM), unknown flags (EINVAL), FAN_REPORT_PIDFD with
     * FAN_REPORT_TID, unknown event_f_flags or access mode 3, FID reporting outside FAN_CLASS_NOTIF,
     * FAN_REPORT_NAME without FAN_REPORT_DIR_FID, FAN_REPORT_TARGET_FID without the other FID flags
     * (EINVAL); EMFILE past 128 groups of the user.
     */
    static long fanotify_init(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(0);
        int eventFlags = a.i32(1);
        int fidMode = flags & Fanotify.FID_BITS;
        GuestProcess p = t.process();
        boolean unprivileged = !p.credentials().capable(GuestProcess.CAP_SYS_ADMIN);
        if (unprivileged && ((flags & ADMIN_INIT_FLAGS) != 0 || fidMode == 0)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~INIT_FLAGS) != 0
                || ((flags & Fanotify.FAN_REPORT_PIDFD) != 0 && (flags & Fanotify.FAN_REPORT_TID) != 0)
                || (eventFlags & ~EVENT_F_BITS) != 0 || (eventFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_ACCMODE
                || (fidMode != 0 && (flags & Fanotify.CLASS_BITS) != Fanotify.FAN_CLASS_NOTIF)
                || ((fidMode & Fanotify.FAN_REPORT_NAME) != 0 && (fidMode & Fanotify.FAN_REPORT_DIR_FID) == 0)
                || ((fidMode & Fanotify.FAN_REPORT_TARGET_FID) != 0 && fidMode != Fanotify.FID_BITS)
                || (flags & Fanotify.CLASS_BITS) == Fanotify.CLASS_BITS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        FanotifyFile group = Fsnotify.newFanotifyGroup(flags, eventFlags | OpenFlags.O_LARGEFILE,
                p.credentials().euid(), p.credentials().egid(), unprivileged);
        return FileSyscalls.installNew(p, group, (flags & Fanotify.FAN_CLOEXEC) != 0);
    }

    /**
     * Implements Linux syscall fanotify_mark(2) in do_fanotify_mark's order: the mask's upper half,
     * unknown flags, the mark type, the command (ADD and REMOVE need a mask; FLUSH takes no other
     * flag), unknown events, FAN_MARK_IGNORE with FAN_MARK_IGNORED_MASK (EINVAL); the descriptor
     * (EBADF; EINVAL for one that is no group); permission events (EINVAL: jlx serves none, as a
     * kernel without CONFIG_FANOTIFY_ACCESS_PERMISSIONS), FAN_FS_ERROR off a file-system mark,
     * FAN_MARK_EVICTABLE off an inode mark, events without a path for a group without FID
     * reporting or on a mount, FAN_RENAME without FAN_REPORT_NAME (EINVAL); then the object
     * (dirfd's file for a NULL path, ENOTDIR with FAN_MARK_ONLYDIR), read permission on it, and
     * ENOTDIR for FAN_RENAME or FAN_MARK_IGNORE's directory flags on a non-directory, EISDIR for
     * FAN_MARK_IGNORE without FAN_MARK_IGNORED_SURV_MODIFY on a directory, mount or file system.
     */
    static long fanotify_mark(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(1);
        long mask64 = a.u64(2);
        int type = flags & Fanotify.MARK_TYPE_BITS;
        int cmd = flags & Fanotify.MARK_CMD_BITS;
        int ignore = flags & Fanotify.MARK_IGNORE_BITS;
        if ((mask64 >>> 32) != 0 || (flags & ~Fanotify.MARK_FLAGS) != 0 || type == Fanotify.FAN_MARK_MNTNS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int mask = (int) mask64;
        if (cmd == Fanotify.FAN_MARK_ADD || cmd == Fanotify.FAN_MARK_REMOVE) {
            if (mask == 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        } else if (cmd != Fanotify.FAN_MARK_FLUSH || (flags & ~(Fanotify.MARK_TYPE_BITS | Fanotify.FAN_MARK_FLUSH)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int valid = Fanotify.PATH_EVENTS | Fanotify.INODE_EVENTS | Fanotify.FAN_FS_ERROR | Fanotify.EVENT_FLAGS
                | Fanotify.PERM_EVENTS;
        if ((mask & ~valid) != 0 || ignore == Fanotify.MARK_IGNORE_BITS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (ignore == Fanotify.FAN_MARK_IGNORED_MASK) {
            // Event flags mean nothing in an old-style ignored mask.
            mask &= ~Fanotify.EVENT_FLAGS;
        }
        OpenFile f = t.process().fds().get(a.fd(0));
        if (!(f instanceof FanotifyFile group)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (type != Fanotify.FAN_MARK_INODE && !t.process().credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        int fidMode = group.fidMode();
        if ((mask & Fanotify.PERM_EVENTS) != 0
                || ((mask & Fanotify.FAN_FS_ERROR) != 0 && type != Fanotify.FAN_MARK_FILESYSTEM)
                || ((flags & Fanotify.FAN_MARK_EVICTABLE) != 0 && type != Fanotify.FAN_MARK_INODE)
                || ((mask & ~(Fanotify.PATH_EVENTS | Fanotify.EVENT_FLAGS)) != 0
                        && (fidMode == 0 || type == Fanotify.FAN_MARK_MOUNT))
                || ((mask & Fanotify.FAN_RENAME) != 0 && (fidMode & Fanotify.FAN_REPORT_NAME) == 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (cmd == Fanotify.FAN_MARK_FLUSH) {
            FanotifyMarks.flush(group, type);
            return 0;
        }
        Vfs.Resolved r;
        HostStat st;
        long pathAddr = a.addr(4);
        int dirfd = a.i32(3);
        if (pathAddr == 0) {
            OpenFile dir = t.process().fds().get(dirfd);
            st = dir.stat();
            if ((flags & Fanotify.FAN_MARK_ONLYDIR) != 0 && (st.mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            if (!(dir instanceof dev.jlx.core.fs.VfsFile v) || v.guestPath() == null) {
                // jlx marks only its file systems' files (not pipes, sockets or anonymous files).
                throw new ErrnoException(Errno.EINVAL);
            }
            r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, v.guestPath(), true);
        } else {
            boolean follow = (flags & Fanotify.FAN_MARK_DONT_FOLLOW) == 0;
            dev.jlx.core.ByteString path = FileSyscalls.path(t, pathAddr);
            r = FileSyscalls.resolve(t, dirfd, path, follow);
            st = r.fs().stat(r.path(), follow);
            if ((flags & Fanotify.FAN_MARK_ONLYDIR) != 0 && (st.mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
        }
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFLNK) {
            r.fs().access(r.path(), Fcntl.R_OK);
        }
        boolean directory = (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
        if (type == Fanotify.FAN_MARK_INODE && !directory && ((mask & Fanotify.FAN_RENAME) != 0
                || (ignore == Fanotify.FAN_MARK_IGNORE && (mask & Fanotify.EVENT_FLAGS) != 0))) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if (cmd == Fanotify.FAN_MARK_ADD && ignore == Fanotify.FAN_MARK_IGNORE
                && (flags & Fanotify.FAN_MARK_IGNORED_SURV_MODIFY) == 0
                && (type != Fanotify.FAN_MARK_INODE || directory)) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (type == Fanotify.FAN_MARK_INODE && !directory) {
            mask &= ~Fanotify.FAN_EVENT_ON_CHILD;
        }
        FanotifyMarks.mark(group, flags, mask, r, st);
        return 0;
    }
}
