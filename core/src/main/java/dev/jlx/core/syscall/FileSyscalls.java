package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Ioctl;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Openat2;
import dev.jlx.abi.Resource;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.FOwnerEx;
import dev.jlx.abi.struct.Flock;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.Fsnotify;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.PipeEnd;
import dev.jlx.core.fs.RecordLocks;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.tty.TtyIoctls;
import java.nio.ByteBuffer;

/** Opening, closing and duplicating descriptors, fcntl, ioctl, and the path calls of the minimal VFS. */
final class FileSyscalls {
    /** The O_* bits open(2) knows; others are ignored by Linux too (it does not reject unknown bits). */
    private static final int KNOWN_OPEN_FLAGS = OpenFlags.O_ACCMODE | OpenFlags.O_CREAT | OpenFlags.O_EXCL
            | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC | OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK | OpenFlags.O_DSYNC
            | OpenFlags.O_ASYNC | OpenFlags.O_DIRECT | OpenFlags.O_LARGEFILE | OpenFlags.O_DIRECTORY
            | OpenFlags.O_NOFOLLOW | OpenFlags.O_NOATIME | OpenFlags.O_CLOEXEC | OpenFlags.O_SYNC | OpenFlags.O_PATH
            | OpenFlags.O_TMPFILE;

    private FileSyscalls() {}

    /** Reads a path argument: EFAULT, ENAMETOOLONG as Linux's getname(). */
    static ByteString path(GuestThread t, long address) throws ErrnoException {
        return ByteString.of(t.process().space().memory().readCString(address, Vfs.PATH_MAX - 1));
    }

    /**
     * The guest directory a relative path starts from: the cwd of {@code view} or the directory
     * {@code dirfd} names. An empty path is ENOENT before the descriptor is looked at (Linux's
     * getname refuses it first); a caller that honours AT_EMPTY_PATH deals with "" before asking.
     */
    static ByteString base(GuestThread t, GuestProcess.FsView view, int dirfd, ByteString path) throws ErrnoException {
        if (path.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        return path.startsWith((byte) '/') ? view.cwd() : directory(t, view, dirfd);
    }

    /** The guest directory {@code dirfd} names (the cwd for AT_FDCWD): EBADF, ENOTDIR as Linux's path_init. */
    static ByteString directory(GuestThread t, GuestProcess.FsView view, int dirfd) throws ErrnoException {
        if (dirfd == Fcntl.AT_FDCWD) {
            return view.cwd();
        }
        OpenFile f = t.process().fds().get(dirfd);
        if (!(f instanceof VfsFile h) || h.guestPath() == null
                || (f.stat().mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        return h.guestPath();
    }

    static Vfs.Resolved resolve(GuestThread t, int dirfd, ByteString path, boolean followLast) throws ErrnoException {
        GuestProcess.FsView view = t.process().fsView();
        return view.vfs().resolve(base(t, view, dirfd, path), path, followLast);
    }

    /** Whether {@code path} ends its last component with slashes ("x/"): "/" alone has no last component. */
    static boolean trailingSlash(ByteString path) {
        int end = path.length();
        while (end > 0 && path.byteAt(end - 1) == '/') {
            end--;
        }
        return end > 0 && end < path.length();
    }

    /**
     * The walk for a call that makes, removes or renames the name itself (mkdir, mknod, symlink,
     * link's new name, rename, unlink, rmdir, open with O_CREAT): the last component is never
     * followed, and trailing slashes there ask for nothing (Linux's filename_create and
     * filename_parentat); each such call has its own rule for them, see {@link #trailingSlash}.
     */
    static Vfs.Resolved resolveName(GuestThread t, int dirfd, ByteString path) throws ErrnoException {
        return resolve(t, dirfd, withoutTrailingSlashes(path), false);
    }

    private static ByteString withoutTrailingSlashes(ByteString path) {
        int end = path.length();
        while (end > 1 && path.byteAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /**
     * The error of a call that creates a file other than a directory at a name with trailing slashes
     * (mknod, symlink, link's new name): Linux's filename_create then only looks, and finds the name
     * taken (EEXIST) or asks for a directory it will not make (ENOENT).
     */
    static ErrnoException slashedCreate(Vfs.Resolved r) {
        return new ErrnoException(Vfs.exists(r) ? Errno.EEXIST : Errno.ENOENT);
    }

    /** Implements Linux syscall open(2). */
    static long open(GuestThread t, Args a) throws ErrnoException {
        return openAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1), a.i32(2));
    }

    /** Implements Linux syscall openat(2). */
    static long openat(GuestThread t, Args a) throws ErrnoException {
        return openAt(t, a.fd(0), a.addr(1), a.i32(2), a.i32(3));
    }

    /** Implements Linux syscall creat(2). */
    static long creat(GuestThread t, Args a) throws ErrnoException {
        return openAt(t, Fcntl.AT_FDCWD, a.addr(0), OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC,
                a.i32(1));
    }

    /** O_PATH keeps only these (build_open_how: "O_PATH beats everything else"). */
    private static final int O_PATH_FLAGS = OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW | OpenFlags.O_PATH
            | OpenFlags.O_CLOEXEC;
    /** __O_TMPFILE, O_TMPFILE without the O_DIRECTORY it comes with. */
    private static final int O_TMPFILE_BIT = OpenFlags.O_TMPFILE & ~OpenFlags.O_DIRECTORY;

    /**
     * Implements Linux syscall openat2(2): struct open_how checked as copy_struct_from_user and
     * build_open_flags check it, in their order, then the open of openat with the walk under the
     * RESOLVE_* flags ({@link Vfs#resolve}). jlx keeps no lookup cache that a walk could be
     * satisfied from without asking the host, so RESOLVE_CACHED is always EAGAIN (the answer Linux
     * gives when the cache falls short, after which callers retry without it).
     */
    static long openat2(GuestThread t, Args a) throws ErrnoException {
        long size = a.u64(3);
        if (Long.compareUnsigned(size, Openat2.OPEN_HOW_SIZE_VER0) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(size, dev.jlx.core.mem.AddressSpace.PAGE) > 0) {
            throw new ErrnoException(Errno.E2BIG);
        }
        GuestMemory memory = t.process().space().memory();
        byte[] how = memory.read(a.addr(2), (int) size);
        for (int i = Openat2.OPEN_HOW_SIZE_LATEST; i < how.length; i++) {
            if (how[i] != 0) {
                throw new ErrnoException(Errno.E2BIG);
            }
        }
        ByteBuffer b = ByteBuffer.wrap(how).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0);
        long mode = b.getLong(8);
        long resolve = b.getLong(16);
        long checked = flags & ~OpenFlags.O_CLOEXEC;
        if ((checked & ~(long) KNOWN_OPEN_FLAGS) != 0 || (resolve & ~(long) Openat2.RESOLVE_ALL) != 0
                || (resolve & (Openat2.RESOLVE_BENEATH | Openat2.RESOLVE_IN_ROOT))
                        == (Openat2.RESOLVE_BENEATH | Openat2.RESOLVE_IN_ROOT)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean creates = (checked & (OpenFlags.O_CREAT | O_TMPFILE_BIT)) != 0;
        if (creates ? (mode & ~07777L) != 0 : mode != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((checked & (OpenFlags.O_DIRECTORY | OpenFlags.O_CREAT)) == (OpenFlags.O_DIRECTORY | OpenFlags.O_CREAT)
                || ((checked & O_TMPFILE_BIT) != 0 && ((checked & OpenFlags.O_DIRECTORY) == 0
                        || (checked & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY))
                || ((checked & OpenFlags.O_PATH) != 0 && (checked & ~(long) O_PATH_FLAGS) != 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((resolve & Openat2.RESOLVE_CACHED) != 0) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        if ((checked & OpenFlags.O_PATH) == 0) {
            // force_o_largefile: on a 64-bit kernel every open but O_PATH's is large-file.
            flags |= OpenFlags.O_LARGEFILE;
        }
        return openAt(t, a.fd(0), a.addr(1), (int) flags, (int) mode, (int) resolve);
    }

    private static long openAt(GuestThread t, int dirfd, long pathAddr, int flags, int mode) throws ErrnoException {
        return openAt(t, dirfd, pathAddr, flags, mode, 0);
    }

    /** open and openat, and openat2 with its RESOLVE_* flags {@code how}. */
    private static long openAt(GuestThread t, int dirfd, long pathAddr, int flags, int mode, int how)
            throws ErrnoException {
        flags &= KNOWN_OPEN_FLAGS;
        if ((flags & OpenFlags.O_PATH) != 0) {
            flags &= O_PATH_FLAGS;
        }
        // build_open_flags refuses these before the path or the directory descriptor is looked at.
        if ((flags & O_TMPFILE_BIT) != 0 && ((flags & OpenFlags.O_DIRECTORY) == 0
                || (flags & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return openNamed(t, dirfd, path(t, pathAddr), flags, mode, how);
    }

    /** open_by_handle_at's open of the file a handle names (its absolute path). */
    static long openPath(GuestThread t, ByteString path, int flags) throws ErrnoException {
        flags &= KNOWN_OPEN_FLAGS;
        if ((flags & OpenFlags.O_PATH) != 0) {
            flags &= O_PATH_FLAGS;
        }
        return openNamed(t, Fcntl.AT_FDCWD, path, flags & ~(OpenFlags.O_CREAT | O_TMPFILE_BIT), 0, 0);
    }

    private static long openNamed(GuestThread t, int dirfd, ByteString path, int flags, int mode, int how)
            throws ErrnoException {
        GuestProcess p = t.process();
        boolean tmpfile = (flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE;
        boolean create = (flags & OpenFlags.O_CREAT) != 0;
        if (create && !tmpfile && trailingSlash(path)) {
            // open_last_lookups: O_CREAT on a name with a trailing slash, once its directory is found.
            GuestProcess.FsView view = p.fsView();
            view.vfs().resolve(start(t, view, dirfd, path, how), withoutTrailingSlashes(path), false, how);
            throw new ErrnoException(Errno.EISDIR);
        }
        int perm = create || tmpfile ? mode & 07777 & ~p.umask() : 0;
        GuestProcess.FsView view = p.fsView();
        boolean exclusive = create && (flags & OpenFlags.O_EXCL) != 0;
        if (!tmpfile && !exclusive && (flags & OpenFlags.O_PATH) == 0 && ((flags & OpenFlags.O_ACCMODE)
                != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0) && running(t, view, dirfd, path, flags, how)) {
            // do_dentry_open's get_write_access after may_open: the open's own errors first, then
            // ETXTBSY, and the file untouched (no O_TRUNC, no O_CREAT to act on an existing file).
            view.vfs().open(start(t, view, dirfd, path, how), path,
                    flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_TRUNC | OpenFlags.O_CREAT), 0, how).close();
            throw new ErrnoException(Errno.ETXTBSY);
        }
        // The token goes while a FIFO's open waits for the other side (openat is a blocking call).
        OpenFile file = view.vfs().open(start(t, view, dirfd, path, how), path, flags & ~OpenFlags.O_CLOEXEC, perm, how);
        if ((flags & OpenFlags.O_PATH) == 0) {
            // do_dentry_open's break_lease (jlx's open has truncated an O_TRUNC file already).
            try {
                p.kernel().leases().breakLease(file,
                        (flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0,
                        (flags & OpenFlags.O_NONBLOCK) != 0);
            } catch (ErrnoException e) {
                file.close();
                throw e;
            }
        }
        if (file instanceof dev.jlx.core.tty.TtyFile tty) {
            // A session leader's first terminal becomes its controlling terminal (not through /dev/tty).
            boolean noctty = (flags & OpenFlags.O_NOCTTY) != 0
                    || tty.stat().rdev() == dev.jlx.core.tty.TtyFile.DEV_TTY;
            tty.terminal().openedBy(p, noctty, tty.readable());
        }
        return installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** Whether an open for writing names a file a guest process runs (its program or interpreter). */
    private static boolean running(GuestThread t, GuestProcess.FsView view, int dirfd, ByteString path, int flags,
            int how) throws ErrnoException {
        HostStat st;
        try {
            Vfs.Resolved r = view.vfs().resolve(start(t, view, dirfd, path, how), path,
                    (flags & OpenFlags.O_NOFOLLOW) == 0, how);
            st = r.fs().stat(r.path(), true);
        } catch (ErrnoException e) {
            return false; // nothing there to run; the open says what is wrong
        }
        return (st.mode() & FileMode.S_IFMT) == FileMode.S_IFREG && t.process().kernel().running(st.dev(), st.ino());
    }

    /** Where a walk under RESOLVE_* flags starts: RESOLVE_IN_ROOT roots even an absolute path at {@code dirfd}. */
    private static ByteString start(GuestThread t, GuestProcess.FsView view, int dirfd, ByteString path, int how)
            throws ErrnoException {
        if ((how & Openat2.RESOLVE_IN_ROOT) != 0 && !path.isEmpty()) {
            return directory(t, view, dirfd);
        }
        return base(t, view, dirfd, path);
    }

    /** Puts a newly opened file at the lowest free descriptor; the file is closed when there is none (EMFILE). */
    static long installNew(GuestProcess p, OpenFile file, boolean closeOnExec) throws ErrnoException {
        try {
            return p.fds().install(file, 0, closeOnExec, nofile(p));
        } catch (ErrnoException e) {
            file.close();
            throw e;
        }
    }

    static long nofile(GuestProcess p) {
        return p.rlimits().soft(Resource.RLIMIT_NOFILE);
    }

    /** Implements Linux syscall close(2). */
    static long close(GuestThread t, Args a) throws ErrnoException {
        t.process().fds().close(a.fd(0));
        return 0;
    }

    /** close_range(2) flags (linux/close_range.h). */
    private static final int CLOSE_RANGE_UNSHARE = 2;
    private static final int CLOSE_RANGE_CLOEXEC = 4;

    /**
     * Implements Linux syscall close_range(2). CLOSE_RANGE_UNSHARE has nothing to do: no two
     * processes share a descriptor table yet.
     */
    static long close_range(GuestThread t, Args a) throws ErrnoException {
        long first = a.u64(0) & 0xffffffffL;
        long last = a.u64(1) & 0xffffffffL;
        int flags = a.i32(2);
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || first > last) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().fds().closeRange((int) Math.min(first, Integer.MAX_VALUE), (int) Math.min(last, Integer.MAX_VALUE),
                (flags & CLOSE_RANGE_CLOEXEC) != 0);
        return 0;
    }

    /** POSIX_FADV_* values (linux/fadvise.h, x86-64). */
    private static final int POSIX_FADV_NOREUSE = 5;

    /**
     * Implements Linux syscall fadvise64(2). The advice is about the host's page cache, which jlx
     * leaves to the host: valid advice on a file is accepted, as Linux accepts it without a promise.
     */
    static long fadvise64(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        int advice = a.i32(3);
        if (f.isPipe()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        if (advice < 0 || advice > POSIX_FADV_NOREUSE || a.raw(2) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    /**
     * Implements Linux syscall readahead(2) as ksys_readahead checks it: EBADF for a descriptor not
     * open for reading, EINVAL for a file other than a regular file or block device, then
     * fadvise's WILLNEED (EINVAL for a count past the largest offset). Reading ahead is the host's
     * page cache's to do, so nothing more happens, as Linux promises nothing more.
     */
    static long readahead(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        int flags = f.statusFlags();
        if ((flags & OpenFlags.O_PATH) != 0 || (flags & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY) {
            throw new ErrnoException(Errno.EBADF);
        }
        int type = f.stat().mode() & FileMode.S_IFMT;
        if (type != FileMode.S_IFREG && type != FileMode.S_IFBLK || a.raw(2) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    /** LOCK_* of flock(2). */
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int LOCK_UN = 8;

    /** Implements Linux syscall flock(2), with the host's locks (they belong to open files, as on Linux). */
    static long flock(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        int op = a.i32(1);
        int kind = op & ~LOCK_NB;
        if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) {
            throw new ErrnoException(Errno.EINVAL);
        }
        f.flock(op);
        return 0;
    }

    /** Implements Linux syscall sync(2). */
    static long sync(GuestThread t, Args a) {
        t.process().vfs().syncAll();
        return 0;
    }

    /** Implements Linux syscall syncfs(2): the host syncs the file's file system with the file. */
    static long syncfs(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        try {
            f.sync(false);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            // A pipe or terminal has no file system data to write; syncfs succeeds on it.
        }
        return 0;
    }

    /** sync_file_range(2) flags (linux/fs.h): SYNC_FILE_RANGE_WAIT_BEFORE, _WRITE, _WAIT_AFTER. */
    private static final int SYNC_FILE_RANGE_WRITE = 2;
    private static final int SYNC_FILE_RANGE_ALL = 7;

    /**
     * Implements Linux syscall sync_file_range(2) with Linux's checks in its order (flags, the range,
     * then a file with pages: ESPIPE for pipes and sockets). A range asked to be written has the
     * whole file's data synced (fdatasync), which covers it; waiting alone has nothing to wait for,
     * as jlx leaves writeback to the host.
     */
    static long sync_file_range(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        if ((f.statusFlags() & OpenFlags.O_PATH) != 0) {
            throw new ErrnoException(Errno.EBADF);
        }
        long offset = a.raw(1);
        long end = offset + a.raw(2);
        int flags = a.i32(3);
        if ((flags & ~SYNC_FILE_RANGE_ALL) != 0 || offset < 0 || end < 0 || end < offset) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int type = f.stat().mode() & FileMode.S_IFMT;
        if (type != FileMode.S_IFREG && type != FileMode.S_IFBLK && type != FileMode.S_IFDIR
                && type != FileMode.S_IFLNK) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        if ((flags & SYNC_FILE_RANGE_WRITE) != 0) {
            f.sync(true);
        }
        return 0;
    }

    /** Implements Linux syscall dup(2). */
    static long dup(GuestThread t, Args a) throws ErrnoException {
        return t.process().fds().dup(a.fd(0), 0, false, nofile(t.process()));
    }

    /** Implements Linux syscall dup2(2). */
    static long dup2(GuestThread t, Args a) throws ErrnoException {
        int oldfd = a.fd(0);
        int newfd = a.fd(1);
        if (oldfd == newfd) {
            t.process().fds().get(oldfd);
            return newfd;
        }
        return dupTo(t, oldfd, newfd, false);
    }

    /** Implements Linux syscall dup3(2). */
    static long dup3(GuestThread t, Args a) throws ErrnoException {
        int oldfd = a.fd(0);
        int newfd = a.fd(1);
        int flags = a.i32(2);
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0 || oldfd == newfd) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return dupTo(t, oldfd, newfd, flags != 0);
    }

    private static long dupTo(GuestThread t, int oldfd, int newfd, boolean cloexec) throws ErrnoException {
        if (newfd < 0 || newfd >= nofile(t.process())) {
            throw new ErrnoException(Errno.EBADF);
        }
        t.process().fds().dup2(oldfd, newfd, cloexec);
        return newfd;
    }

    /** Implements Linux syscall pipe(2). */
    static long pipe(GuestThread t, Args a) throws ErrnoException {
        return pipe2(t, a.addr(0), 0);
    }

    /** Implements Linux syscall pipe2(2): O_CLOEXEC, O_NONBLOCK and O_DIRECT (packet mode). */
    static long pipe2(GuestThread t, Args a) throws ErrnoException {
        return pipe2(t, a.addr(0), a.i32(1));
    }

    /** Implements Linux syscall eventfd(2): eventfd2 with no flags. */
    static long eventfd(GuestThread t, Args a) throws ErrnoException {
        return eventfd(t, Integer.toUnsignedLong(a.i32(0)), 0);
    }

    /** Implements Linux syscall eventfd2(2): EFD_SEMAPHORE, EFD_CLOEXEC, EFD_NONBLOCK. */
    static long eventfd2(GuestThread t, Args a) throws ErrnoException {
        return eventfd(t, Integer.toUnsignedLong(a.i32(0)), a.i32(1));
    }

    private static final int EFD_SEMAPHORE = 1;

    private static long eventfd(GuestThread t, long initial, int flags) throws ErrnoException {
        if ((flags & ~(EFD_SEMAPHORE | OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        dev.jlx.core.fs.EventFd file = new dev.jlx.core.fs.EventFd(initial, (flags & EFD_SEMAPHORE) != 0,
                flags & OpenFlags.O_NONBLOCK, p.credentials().fsuid(), p.credentials().fsgid());
        return installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** O_NOTIFICATION_PIPE: a watch-queue pipe, which needs CONFIG_WATCH_QUEUE. */
    private static final int O_NOTIFICATION_PIPE = OpenFlags.O_EXCL;

    private static long pipe2(GuestThread t, long fdsAddr, int flags) throws ErrnoException {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT | O_NOTIFICATION_PIPE)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & O_NOTIFICATION_PIPE) != 0) {
            throw new ErrnoException(Errno.ENOPKG);
        }
        GuestProcess p = t.process();
        PipeEnd[] ends = PipeEnd.create(p.credentials().fsuid(), p.credentials().fsgid(), flags);
        boolean cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        FdTable fds = p.fds();
        int readFd;
        try {
            readFd = fds.install(ends[0], 0, cloexec, nofile(p));
        } catch (ErrnoException e) {
            ends[0].close();
            ends[1].close();
            throw e;
        }
        int writeFd;
        try {
            writeFd = fds.install(ends[1], 0, cloexec, nofile(p));
        } catch (ErrnoException e) {
            fds.close(readFd);
            ends[1].close();
            throw e;
        }
        try {
            GuestMemory mem = p.space().memory();
            mem.writeInt(fdsAddr, readFd);
            mem.writeInt(fdsAddr + 4, writeFd);
        } catch (ErrnoException e) {
            fds.close(readFd);
            fds.close(writeFd);
            throw e;
        }
        return 0;
    }

    /** Implements Linux syscall fcntl(2). */
    static long fcntl(GuestThread t, Args a) throws ErrnoException {
        FdTable fds = t.process().fds();
        int fd = a.fd(0);
        OpenFile f = fds.get(fd);
        int cmd = a.i32(1);
        if ((f.statusFlags() & OpenFlags.O_PATH) != 0 && cmd != Fcntl.F_DUPFD && cmd != Fcntl.F_DUPFD_CLOEXEC
                && cmd != Fcntl.F_GETFD && cmd != Fcntl.F_SETFD && cmd != Fcntl.F_GETFL) {
            // check_fcntl_cmd: an O_PATH descriptor takes only these.
            throw new ErrnoException(Errno.EBADF);
        }
        switch (cmd) {
            case Fcntl.F_DUPFD, Fcntl.F_DUPFD_CLOEXEC -> {
                int min = a.i32(2);
                if (min < 0 || min >= nofile(t.process())) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return fds.dup(fd, min, cmd == Fcntl.F_DUPFD_CLOEXEC, nofile(t.process()));
            }
            case Fcntl.F_GETFD -> {
                return fds.closeOnExec(fd) ? Fcntl.FD_CLOEXEC : 0;
            }
            case Fcntl.F_SETFD -> {
                fds.setCloseOnExec(fd, (a.i32(2) & Fcntl.FD_CLOEXEC) != 0);
                return 0;
            }
            case Fcntl.F_GETFL -> {
                return f.statusFlags();
            }
            case Fcntl.F_SETFL -> {
                f.setStatusFlags(a.i32(2));
                return 0;
            }
            case Fcntl.F_GETLK, Fcntl.F_SETLK, Fcntl.F_SETLKW, Fcntl.F_OFD_GETLK, Fcntl.F_OFD_SETLK,
                    Fcntl.F_OFD_SETLKW -> {
                return recordLock(t, f, cmd, a.addr(2));
            }
            case Fcntl.F_GETOWN -> {
                return owner(t, f);
            }
            case Fcntl.F_SETOWN -> {
                setOwner(t, f, a.i32(2));
                return 0;
            }
            case Fcntl.F_GETOWN_EX -> {
                OpenFile.Owner o = f.owner();
                ByteBuffer b = GuestMemory.structBuffer(FOwnerEx.SIZE);
                new FOwnerEx(o.type(), ownerExists(t.process().kernel(), o) ? o.pid() : 0).writeTo(b, 0);
                t.process().space().memory().writeStruct(a.addr(2), b);
                return 0;
            }
            case Fcntl.F_SETOWN_EX -> {
                FOwnerEx o = FOwnerEx.readFrom(t.process().space().memory().readStruct(a.addr(2), FOwnerEx.SIZE), 0);
                if (o.type() != Fcntl.F_OWNER_TID && o.type() != Fcntl.F_OWNER_PID && o.type() != Fcntl.F_OWNER_PGRP) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                setOwner(t, f, o.type(), o.pid());
                return 0;
            }
            case Fcntl.F_GETOWNER_UIDS -> {
                // put_user of each: both are tried, either failing is EFAULT.
                OpenFile.Owner o = f.owner();
                GuestMemory mem = t.process().space().memory();
                boolean fault = false;
                for (int i = 0; i < 2; i++) {
                    try {
                        mem.writeInt(a.addr(2) + 4L * i, i == 0 ? o.uid() : o.euid());
                    } catch (ErrnoException e) {
                        fault = true;
                    }
                }
                if (fault) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                return 0;
            }
            case Fcntl.F_GETSIG -> {
                return f.owner().signal();
            }
            case Fcntl.F_SETSIG -> {
                // valid_signal() of the int argument widened to unsigned long: negative ones are too big.
                int sig = a.i32(2);
                if (sig < 0 || sig > Signals.NSIG) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                f.setOwnerSignal(sig);
                return 0;
            }
            case Fcntl.F_GETLEASE -> {
                return t.process().kernel().leases().get(f);
            }
            case Fcntl.F_SETLEASE -> {
                return setLease(t, f, fd, a.i32(2));
            }
            case Fcntl.F_NOTIFY -> {
                // fcntl_dirnotify: an empty mask removes the watch, then only a directory may be
                // watched, and its owner becomes the caller's process (whom the signal goes to).
                int arg = a.i32(2);
                if ((arg & ~Fcntl.DN_MULTISHOT) == 0) {
                    Fsnotify.flushDnotify(f, fds);
                    return 0;
                }
                HostStat st = f.stat();
                if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                setOwner(t, f, Fcntl.F_OWNER_PID, t.process().pid());
                Fsnotify.setDnotify(t.process().kernel(), f, fd, fds, st, arg);
                return 0;
            }
            case Fcntl.F_ADD_SEALS -> {
                // memfd_add_seals: a writable description, known seals, then a file that takes seals.
                int seals = a.i32(2);
                if (!f.writable()) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if ((seals & ~ALL_SEALS) != 0 || !(f instanceof VfsFile v)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                v.ops().addSeals(seals);
                return 0;
            }
            case Fcntl.F_GET_SEALS -> {
                if (!(f instanceof VfsFile v)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return v.ops().seals();
            }
            case Fcntl.F_GETPIPE_SZ -> {
                if (!(f instanceof PipeEnd p)) {
                    throw new ErrnoException(Errno.EBADF);
                }
                return p.capacity();
            }
            case Fcntl.F_SETPIPE_SZ -> {
                if (!(f instanceof PipeEnd p)) {
                    throw new ErrnoException(Errno.EBADF);
                }
                return p.resize(Integer.toUnsignedLong(a.i32(2)), t.process().kernel().pipeMaxSize());
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** The seals Linux 6.1 knows (F_ALL_SEALS). */
    private static final int ALL_SEALS = Fcntl.F_SEAL_SEAL | Fcntl.F_SEAL_SHRINK | Fcntl.F_SEAL_GROW
            | Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE;

    /** memfd_create(2) flags (linux/memfd.h). */
    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int MFD_HUGETLB = 4;
    /** With MFD_HUGETLB, a huge page size's log2 in these bits. */
    private static final int MFD_HUGE_BITS = 0x3f << 26;
    /** NAME_MAX less the "memfd:" prefix. */
    private static final int MFD_NAME_MAX_LEN = 249;

    /**
     * Implements Linux syscall memfd_create(2): an unnamed file of the kernel's internal tmpfs, open for
     * reading and writing. MFD_HUGETLB is ENODEV, as on a machine with no huge page size.
     */
    static long memfd_create(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(1);
        int known = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | ((flags & MFD_HUGETLB) != 0 ? MFD_HUGE_BITS : 0);
        if ((flags & ~known) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] name;
        try {
            name = t.process().space().memory().readCString(a.addr(0), MFD_NAME_MAX_LEN);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENAMETOOLONG ? new ErrnoException(Errno.EINVAL) : e;
        }
        if ((flags & MFD_HUGETLB) != 0) {
            throw new ErrnoException(Errno.ENODEV);
        }
        GuestProcess p = t.process();
        OpenFile file = new VfsFile(p.kernel().memfds().memfd(ByteString.of(name), p.credentials().fsuid(),
                p.credentials().fsgid(), (flags & MFD_ALLOW_SEALING) != 0), OpenFlags.O_RDWR | OpenFlags.O_LARGEFILE,
                null);
        return installNew(p, file, (flags & MFD_CLOEXEC) != 0);
    }

    /**
     * Implements Linux syscall memfd_secret(2): flags O_CLOEXEC only (EINVAL), a file of jlx's
     * memfd tmpfs that only MAP_SHARED mappings reach ({@link dev.jlx.core.fs.Tmpfs#secretMemory}).
     */
    static long memfd_secret(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(0);
        if ((flags & ~OpenFlags.O_CLOEXEC) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        OpenFile file = new VfsFile(p.kernel().memfds().secretMemory(p.credentials().fsuid(), p.credentials().fsgid()),
                OpenFlags.O_RDWR | OpenFlags.O_LARGEFILE, null);
        return installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** F_GETOWN (and a socket's FIOGETOWN), as f_getown: a process group's id negated, 0 for none. */
    static int owner(GuestThread t, OpenFile f) {
        OpenFile.Owner o = f.owner();
        int pid = ownerExists(t.process().kernel(), o) ? o.pid() : 0;
        return o.type() == Fcntl.F_OWNER_PGRP ? -pid : pid;
    }

    /** F_SETOWN (and a socket's FIOSETOWN): a negative id names a process group. */
    static void setOwner(GuestThread t, OpenFile f, int who) throws ErrnoException {
        if (who == Integer.MIN_VALUE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        setOwner(t, f, who < 0 ? Fcntl.F_OWNER_PGRP : Fcntl.F_OWNER_PID, Math.abs(who));
    }

    /**
     * F_SETOWN and F_SETOWN_EX, as Linux's f_setown: a nonzero id must name a thread, process,
     * process group or session (find_vpid), else ESRCH; 0 clears the owner.
     */
    private static void setOwner(GuestThread t, OpenFile f, int type, int id) throws ErrnoException {
        GuestProcess caller = t.process();
        if (id != 0 && !idInUse(caller.kernel(), id)) {
            throw new ErrnoException(Errno.ESRCH);
        }
        f.setOwner(type, id, caller.credentials().uid(), caller.credentials().euid());
    }

    /** Whether some thread, process, process group or session has {@code id}. */
    private static boolean idInUse(Kernel kernel, int id) {
        for (GuestProcess p : kernel.processes()) {
            if (p.pid() == id || p.pgid() == id || p.sid() == id || hasThread(p, id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasThread(GuestProcess p, int tid) {
        for (GuestThread thread : p.threadSnapshot()) {
            if (thread.tid() == tid) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the owner still exists as what it was named as (Linux's pid_task for the owner's type):
     * F_GETOWN and F_GETOWN_EX report 0 for one that is gone or never was, as a process group without
     * members.
     */
    private static boolean ownerExists(Kernel kernel, OpenFile.Owner o) {
        if (o.pid() == 0) {
            return false;
        }
        for (GuestProcess p : kernel.processes()) {
            boolean match = switch (o.type()) {
                case Fcntl.F_OWNER_TID -> p.pid() == o.pid() || hasThread(p, o.pid());
                case Fcntl.F_OWNER_PID -> p.pid() == o.pid();
                default -> p.pgid() == o.pid();
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    /**
     * F_SETLEASE, in Linux's order: the lease type, the file's owner (or CAP_LEASE), a regular file,
     * then the conflicts {@link dev.jlx.core.fs.Leases} sees among the guests' opens and leases. A file
     * jlx cannot key (no identity for locks) takes no lease: EINVAL, as a file system without leases.
     */
    private static long setLease(GuestThread t, OpenFile f, int fd, int type) throws ErrnoException {
        if (type != Fcntl.F_RDLCK && type != Fcntl.F_WRLCK && type != Fcntl.F_UNLCK) {
            throw new ErrnoException(Errno.EINVAL);
        }
        HostStat st = f.stat();
        int fsuid = t.process().credentials().fsuid();
        if (st.uid() != fsuid && !t.process().credentials().capable(CAP_LEASE)) {
            throw new ErrnoException(Errno.EACCES);
        }
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFREG || f.lockKey() == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().kernel().leases().set(t.process(), f, fd, type);
        return 0;
    }

    /** CAP_LEASE: leases on files the caller does not own. */
    private static final int CAP_LEASE = 28;

    /**
     * fcntl record locks, classic (owned by the process) and OFD (owned by the open file
     * description), kept by jlx for all guest processes (see RecordLocks).
     */
    private static long recordLock(GuestThread t, OpenFile f, int cmd, long flockAddr) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Flock fl = Flock.readFrom(mem.readStruct(flockAddr, Flock.SIZE), 0);
        boolean ofd = cmd == Fcntl.F_OFD_GETLK || cmd == Fcntl.F_OFD_SETLK || cmd == Fcntl.F_OFD_SETLKW;
        if (ofd && fl.pid() != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Boolean write = switch (fl.type()) {
            case Fcntl.F_RDLCK -> Boolean.FALSE;
            case Fcntl.F_WRLCK -> Boolean.TRUE;
            case Fcntl.F_UNLCK -> null;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        long base = switch (fl.whence()) {
            case Fcntl.SEEK_SET -> 0;
            case Fcntl.SEEK_CUR -> f.seek(0, Fcntl.SEEK_CUR);
            case Fcntl.SEEK_END -> f.stat().size();
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        long start = base + fl.start();
        long end;
        if (fl.len() > 0) {
            end = start + fl.len();
            if (end < start) {
                throw new ErrnoException(Errno.EOVERFLOW);
            }
        } else if (fl.len() == 0) {
            end = Long.MAX_VALUE;
        } else {
            end = start;
            start += fl.len();
        }
        if (start < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        RecordLocks.FileKey key = f.lockKey();
        if (key == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Object owner = ofd ? f : t.process();
        RecordLocks locks = t.process().kernel().recordLocks();
        if (cmd == Fcntl.F_GETLK || cmd == Fcntl.F_OFD_GETLK) {
            if (write == null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            RecordLocks.Lock held = locks.conflict(key, owner, write, start, end);
            Flock answer = held == null ? new Flock((short) Fcntl.F_UNLCK, fl.whence(), fl.start(), fl.len(), fl.pid())
                    : new Flock((short) (held.write() ? Fcntl.F_WRLCK : Fcntl.F_RDLCK), (short) Fcntl.SEEK_SET,
                            held.start(), held.end() == Long.MAX_VALUE ? 0 : held.end() - held.start(), held.pid());
            ByteBuffer b = GuestMemory.structBuffer(Flock.SIZE);
            answer.writeTo(b, 0);
            mem.writeStruct(flockAddr, b);
            return 0;
        }
        if ((write == Boolean.TRUE && !f.writable()) || (write == Boolean.FALSE && !f.readable())) {
            throw new ErrnoException(Errno.EBADF);
        }
        locks.set(key, owner, ofd ? -1 : t.process().pid(), write, start, end,
                cmd == Fcntl.F_SETLKW || cmd == Fcntl.F_OFD_SETLKW);
        return 0;
    }

    /** Implements Linux syscall ioctl(2): file requests here, sockets' and terminals' by their kind. */
    static long ioctl(GuestThread t, Args a) throws ErrnoException {
        FdTable fds = t.process().fds();
        int fd = a.fd(0);
        OpenFile f = fds.get(fd);
        if ((f.statusFlags() & OpenFlags.O_PATH) != 0) {
            // An O_PATH descriptor takes no ioctl (Linux's fdget refuses it).
            throw new ErrnoException(Errno.EBADF);
        }
        int request = a.i32(1);
        dev.jlx.core.kernel.Landlock.checkIoctl(f, request);
        GuestMemory mem = t.process().space().memory();
        if (f instanceof dev.jlx.core.net.SocketFile s && request != Ioctl.FIOCLEX && request != Ioctl.FIONCLEX
                && request != Ioctl.FIONBIO) {
            return SocketSyscalls.ioctl(t, s, request, a.addr(2));
        }
        if (f instanceof dev.jlx.core.fs.UserfaultfdDevice && request != Ioctl.FIOCLEX
                && request != Ioctl.FIONCLEX && request != Ioctl.FIONBIO && request != Ioctl.FIOASYNC) {
            return UserfaultfdSyscalls.deviceIoctl(t, request, a.i32(2));
        }
        if (f instanceof dev.jlx.core.fs.UserfaultFd u && request != Ioctl.FIOCLEX && request != Ioctl.FIONCLEX
                && request != Ioctl.FIONBIO && request != Ioctl.FIOASYNC) {
            return UserfaultfdSyscalls.ioctl(t, u, request, a.addr(2));
        }
        switch (request) {
            case Ioctl.FIOCLEX -> {
                fds.setCloseOnExec(fd, true);
                return 0;
            }
            case Ioctl.FIONCLEX -> {
                fds.setCloseOnExec(fd, false);
                return 0;
            }
            case Ioctl.FIONREAD -> {
                mem.writeInt(a.addr(2), f.bytesReadable());
                return 0;
            }
            case Ioctl.FIONBIO -> {
                int on = mem.readInt(a.addr(2));
                synchronized (f) {
                    f.setStatusFlags(on != 0 ? f.statusFlags() | OpenFlags.O_NONBLOCK
                            : f.statusFlags() & ~OpenFlags.O_NONBLOCK);
                }
                return 0;
            }
            case Ioctl.TIOCGPTPEER -> {
                OpenFile peer = TtyIoctls.openPeer(t, f.terminal(), a.i32(2));
                return installNew(t.process(), peer, (a.i32(2) & OpenFlags.O_CLOEXEC) != 0);
            }
            default -> {
                return TtyIoctls.ioctl(t, f, f.terminal(), request, a.addr(2));
            }
        }
    }

    /** Implements Linux syscall access(2). */
    static long access(GuestThread t, Args a) throws ErrnoException {
        return accessAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1), 0);
    }

    /** Implements Linux syscall faccessat(2). */
    static long faccessat(GuestThread t, Args a) throws ErrnoException {
        return accessAt(t, a.fd(0), a.addr(1), a.i32(2), 0);
    }

    /** Implements Linux syscall faccessat2(2). */
    static long faccessat2(GuestThread t, Args a) throws ErrnoException {
        return accessAt(t, a.fd(0), a.addr(1), a.i32(2), a.i32(3));
    }

    private static long accessAt(GuestThread t, int dirfd, long pathAddr, int mode, int flags) throws ErrnoException {
        if ((mode & ~(Fcntl.R_OK | Fcntl.W_OK | Fcntl.X_OK)) != 0
                || (flags & ~(Fcntl.AT_EACCESS | Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = path(t, pathAddr);
        if ((flags & Fcntl.AT_EACCESS) != 0) {
            checkAccess(t, dirfd, path, mode, flags);
        } else {
            // Without AT_EACCESS the real ids check, from the path's first component on.
            GuestProcess p = t.process();
            t.checkingAs(p.credentials().forAccess(p.securebits()), () -> checkAccess(t, dirfd, path, mode, flags));
        }
        return 0;
    }

    private static void checkAccess(GuestThread t, int dirfd, ByteString path, int mode, int flags) throws ErrnoException {
        Vfs.Resolved r;
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            // The descriptor's own file: by the path it was opened with, else by its mode bits.
            if (dirfd == Fcntl.AT_FDCWD) {
                r = t.process().vfs().walked(t.process().cwd());
            } else {
                OpenFile f = t.process().fds().get(dirfd);
                if (!(f instanceof VfsFile h) || h.guestPath() == null) {
                    // A file with no path (a pipe, an eventfd): its mode bits.
                    HostStat st = f.stat();
                    if (!t.fileCredentials().permits(st.uid(), st.gid(), st.mode(), mode)) {
                        throw new ErrnoException(Errno.EACCES);
                    }
                    return;
                }
                r = t.process().vfs().walked(h.guestPath());
            }
        } else {
            r = resolve(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
        }
        r.fs().access(r.path(), mode);
        if ((mode & Fcntl.W_OK) != 0) {
            r.writable();
        }
    }

    /** Implements Linux syscall readlink(2). */
    static long readlink(GuestThread t, Args a) throws ErrnoException {
        return readlinkAt(t, Fcntl.AT_FDCWD, a.addr(0), a.addr(1), a.i32(2));
    }

    /** Implements Linux syscall readlinkat(2). */
    static long readlinkat(GuestThread t, Args a) throws ErrnoException {
        return readlinkAt(t, a.fd(0), a.addr(1), a.addr(2), a.i32(3));
    }

    private static long readlinkAt(GuestThread t, int dirfd, long pathAddr, long buf, int size) throws ErrnoException {
        if (size <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = path(t, pathAddr);
        Vfs.Resolved r;
        if (path.isEmpty()) {
            // An empty path names the descriptor's own file (an O_PATH link, since Linux 2.6.39).
            OpenFile f = dirfd == Fcntl.AT_FDCWD ? null : t.process().fds().get(dirfd);
            ByteString own = dirfd == Fcntl.AT_FDCWD ? t.process().cwd()
                    : f instanceof VfsFile h ? h.guestPath() : null;
            if (own == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
            r = t.process().vfs().walked(own);
        } else {
            r = resolve(t, dirfd, path, false);
        }
        HostStat st = r.fs().stat(r.path(), false);
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFLNK) {
            throw new ErrnoException(path.isEmpty() ? Errno.ENOENT : Errno.EINVAL);
        }
        byte[] target = r.fs().readlink(r.path());
        int n = Math.min(size, target.length);
        t.process().space().memory().write(buf, target, 0, n);
        return n;
    }

    /** Implements Linux syscall getcwd(2). */
    static long getcwd(GuestThread t, Args a) throws ErrnoException {
        byte[] out = t.process().cwd().toCString();
        // Linux builds the path in a PATH_MAX buffer: longer is ENAMETOOLONG, whatever the size given.
        if (out.length > Vfs.PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        if (Long.compareUnsigned(a.u64(1), out.length) < 0) {
            throw new ErrnoException(Errno.ERANGE);
        }
        t.process().space().memory().write(a.addr(0), out);
        return out.length;
    }

    /** Implements Linux syscall chdir(2). */
    static long chdir(GuestThread t, Args a) throws ErrnoException {
        Vfs.Resolved r = resolve(t, Fcntl.AT_FDCWD, path(t, a.addr(0)), true);
        if ((r.fs().stat(r.path(), true).mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        r.fs().access(r.path(), Fcntl.X_OK);
        t.process().setCwd(r.guestPath());
        return 0;
    }

    /**
     * Implements Linux syscall chroot(2): the directory becomes the process's root (and its
     * children's); EPERM unless the guest's effective uid is 0. A working directory inside it
     * is kept, one outside it becomes the new root (Linux leaves it outside).
     */
    static long chroot(GuestThread t, Args a) throws ErrnoException {
        Vfs.Resolved r = resolve(t, Fcntl.AT_FDCWD, path(t, a.addr(0)), true);
        if ((r.fs().stat(r.path(), true).mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        r.fs().access(r.path(), Fcntl.X_OK);
        GuestProcess p = t.process();
        if (!p.credentials().capable(GuestProcess.CAP_SYS_CHROOT)) {
            throw new ErrnoException(Errno.EPERM);
        }
        ByteString root = r.guestPath();
        ByteString below = root.child(ByteString.EMPTY);
        p.changeRoot(p.vfs().chroot(r), cwd -> root.equals(ByteString.ROOT) ? cwd
                : cwd.equals(root) ? ByteString.ROOT
                : cwd.startsWith(below) ? cwd.substring(root.length()) : ByteString.ROOT);
        return 0;
    }

    /** Implements Linux syscall fchdir(2). */
    static long fchdir(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        if (!(f instanceof VfsFile h) || h.guestPath() == null
                || (f.stat().mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        Vfs.Resolved dir = t.process().vfs().walked(h.guestPath());
        dir.fs().access(dir.path(), Fcntl.X_OK);
        t.process().setCwd(h.guestPath());
        return 0;
    }

    /** Implements Linux syscall unlink(2). */
    static long unlink(GuestThread t, Args a) throws ErrnoException {
        return unlinkAt(t, Fcntl.AT_FDCWD, a.addr(0), 0);
    }

    /** Implements Linux syscall unlinkat(2). */
    static long unlinkat(GuestThread t, Args a) throws ErrnoException {
        return unlinkAt(t, a.fd(0), a.addr(1), a.i32(2));
    }

    /** Implements Linux syscall rmdir(2). */
    static long rmdir(GuestThread t, Args a) throws ErrnoException {
        return unlinkAt(t, Fcntl.AT_FDCWD, a.addr(0), Fcntl.AT_REMOVEDIR);
    }

    /** The last component of a path as the guest wrote it, trailing slashes ignored. */
    private static ByteString lastComponent(ByteString path) {
        int end = path.length();
        while (end > 1 && path.byteAt(end - 1) == '/') {
            end--;
        }
        ByteString p = path.substring(0, end);
        return p.substring(p.lastIndexOf((byte) '/') + 1);
    }

    private static long unlinkAt(GuestThread t, int dirfd, long pathAddr, int flags) throws ErrnoException {
        if ((flags & ~Fcntl.AT_REMOVEDIR) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = path(t, pathAddr);
        Vfs.Resolved r = resolveName(t, dirfd, path).writable();
        if ((flags & Fcntl.AT_REMOVEDIR) == 0 && trailingSlash(path)) {
            // do_unlinkat's "slashes": what the name is decides the error.
            int type = r.fs().stat(r.path(), false).mode() & FileMode.S_IFMT;
            throw new ErrnoException(type == FileMode.S_IFDIR ? Errno.EISDIR : Errno.ENOTDIR);
        }
        if ((flags & Fcntl.AT_REMOVEDIR) != 0) {
            // do_rmdir refuses a last component of "." (EINVAL) or ".." (ENOTEMPTY) before looking.
            ByteString last = lastComponent(path);
            if (last.equals(ByteString.DOT)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (last.equals(ByteString.DOT_DOT)) {
                throw new ErrnoException(Errno.ENOTEMPTY);
            }
            dev.jlx.core.kernel.Landlock.checkRemove(r);
            dev.jlx.core.fs.Fsnotify.Target before = dev.jlx.core.fs.Fsnotify.target(r);
            r.fs().rmdir(r.path());
            dev.jlx.core.fs.Fsnotify.removed(before);
        } else {
            dev.jlx.core.kernel.Landlock.checkRemove(r);
            dev.jlx.core.fs.Fsnotify.Target before = dev.jlx.core.fs.Fsnotify.target(r);
            r.fs().unlink(r.path());
            dev.jlx.core.fs.Fsnotify.removed(before);
        }
        return 0;
    }

    /** Implements Linux syscall mkdir(2). */
    static long mkdir(GuestThread t, Args a) throws ErrnoException {
        return mkdirAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1));
    }

    /** Implements Linux syscall mkdirat(2). */
    static long mkdirat(GuestThread t, Args a) throws ErrnoException {
        return mkdirAt(t, a.fd(0), a.addr(1), a.i32(2));
    }

    private static long mkdirAt(GuestThread t, int dirfd, long pathAddr, int mode) throws ErrnoException {
        Vfs.Resolved r = resolveName(t, dirfd, path(t, pathAddr)).writable();
        dev.jlx.core.kernel.Landlock.checkMake(r, FileMode.S_IFDIR);
        // vfs_mkdir keeps only the permission and sticky bits (a set-group-ID parent's bit is the file system's).
        r.fs().mkdir(r.path(), mode & 01777 & ~t.process().umask());
        dev.jlx.core.fs.Fsnotify.created(r);
        return 0;
    }

    /** Implements Linux syscall umask(2). */
    static long umask(GuestThread t, Args a) {
        return t.process().setUmask(a.i32(0) & 0777);
    }
}
