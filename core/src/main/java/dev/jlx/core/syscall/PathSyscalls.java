package dev.jlx.core.syscall;

import static dev.jlx.abi.Rename.RENAME_EXCHANGE;
import static dev.jlx.abi.Rename.RENAME_NOREPLACE;
import static dev.jlx.abi.Rename.RENAME_WHITEOUT;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.kernel.GuestThread;

/** Names in the file system: rename, link and symlink, each walked and confined by the VFS. */
final class PathSyscalls {
    private PathSyscalls() {}

    /** Implements Linux syscall rename(2). */
    static long rename(GuestThread t, Args a) throws ErrnoException {
        return renameAt(t, Fcntl.AT_FDCWD, a.addr(0), Fcntl.AT_FDCWD, a.addr(1), 0);
    }

    /** Implements Linux syscall renameat(2). */
    static long renameat(GuestThread t, Args a) throws ErrnoException {
        return renameAt(t, a.fd(0), a.addr(1), a.fd(2), a.addr(3), 0);
    }

    /** Implements Linux syscall renameat2(2). */
    static long renameat2(GuestThread t, Args a) throws ErrnoException {
        return renameAt(t, a.fd(0), a.addr(1), a.fd(2), a.addr(3), a.i32(4));
    }

    private static long renameAt(GuestThread t, int oldDir, long oldAddr, int newDir, long newAddr, int flags)
            throws ErrnoException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & RENAME_WHITEOUT) != 0) {
            // Whiteouts are for overlay file systems and need CAP_MKNOD.
            throw new ErrnoException(Errno.EPERM);
        }
        ByteString oldPath = FileSyscalls.path(t, oldAddr);
        ByteString newPath = FileSyscalls.path(t, newAddr);
        Vfs.Resolved from = FileSyscalls.resolveName(t, oldDir, oldPath);
        Vfs.Resolved to = FileSyscalls.resolveName(t, newDir, newPath);
        sameMount(from, to);
        boolean oldSlash = FileSyscalls.trailingSlash(oldPath);
        boolean newSlash = FileSyscalls.trailingSlash(newPath);
        if (oldSlash || newSlash) {
            // do_renameat2: trailing slashes are for directories; its checks, in its order.
            boolean oldIsDir = isDirectory(from);
            if ((flags & RENAME_EXCHANGE) != 0 && !isDirectory(to) && newSlash) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            if (!oldIsDir && (oldSlash || ((flags & RENAME_EXCHANGE) == 0 && newSlash))) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
        }
        dev.jlx.core.kernel.Landlock.checkRefer(from, to, true, (flags & RENAME_EXCHANGE) != 0);
        dev.jlx.core.fs.Fsnotify.Target source = dev.jlx.core.fs.Fsnotify.target(from);
        dev.jlx.core.fs.Fsnotify.Target target = dev.jlx.core.fs.Fsnotify.target(to);
        from.fs().rename(from.path(), to.path(), flags);
        dev.jlx.core.fs.Fsnotify.moved(source, target, flags);
        return 0;
    }

    /** Whether the name itself (not followed) is a directory; ENOENT when there is none. */
    private static boolean isDirectory(Vfs.Resolved r) throws ErrnoException {
        return (r.fs().stat(r.path(), false).mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
    }

    /** Renames and links stay within one mount (EXDEV otherwise, as Linux), which must be writable. */
    private static void sameMount(Vfs.Resolved from, Vfs.Resolved to) throws ErrnoException {
        if (!from.mount().equals(to.mount())) {
            throw new ErrnoException(Errno.EXDEV);
        }
        to.writable();
    }

    /** Implements Linux syscall link(2). */
    static long link(GuestThread t, Args a) throws ErrnoException {
        return linkAt(t, Fcntl.AT_FDCWD, a.addr(0), Fcntl.AT_FDCWD, a.addr(1), 0);
    }

    /** Implements Linux syscall linkat(2). */
    static long linkat(GuestThread t, Args a) throws ErrnoException {
        return linkAt(t, a.fd(0), a.addr(1), a.fd(2), a.addr(3), a.i32(4));
    }

    private static long linkAt(GuestThread t, int oldDir, long oldAddr, int newDir, long newAddr, int flags)
            throws ErrnoException {
        if ((flags & ~(Fcntl.AT_SYMLINK_FOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString oldPath = FileSyscalls.path(t, oldAddr);
        if (oldPath.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            // Linking an open file by descriptor needs CAP_DAC_READ_SEARCH; jlx grants no capabilities.
            throw new ErrnoException(Errno.ENOENT);
        }
        Vfs.Resolved from = FileSyscalls.resolve(t, oldDir, oldPath, (flags & Fcntl.AT_SYMLINK_FOLLOW) != 0);
        ByteString newPath = FileSyscalls.path(t, newAddr);
        Vfs.Resolved to = FileSyscalls.resolveName(t, newDir, newPath);
        if (FileSyscalls.trailingSlash(newPath)) {
            throw FileSyscalls.slashedCreate(to);
        }
        sameMount(from, to);
        dev.jlx.core.kernel.Landlock.checkRefer(from, to, false, false);
        from.fs().link(from.path(), to.path());
        dev.jlx.core.fs.Fsnotify.linked(to);
        return 0;
    }

    /** Implements Linux syscall symlink(2). */
    static long symlink(GuestThread t, Args a) throws ErrnoException {
        return symlinkAt(t, a.addr(0), Fcntl.AT_FDCWD, a.addr(1));
    }

    /** Implements Linux syscall symlinkat(2). */
    static long symlinkat(GuestThread t, Args a) throws ErrnoException {
        return symlinkAt(t, a.addr(0), a.fd(1), a.addr(2));
    }

    private static long symlinkAt(GuestThread t, long targetAddr, int dir, long linkAddr) throws ErrnoException {
        ByteString target = FileSyscalls.path(t, targetAddr);
        if (target.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        ByteString linkPath = FileSyscalls.path(t, linkAddr);
        Vfs.Resolved link = FileSyscalls.resolveName(t, dir, linkPath);
        if (FileSyscalls.trailingSlash(linkPath)) {
            throw FileSyscalls.slashedCreate(link);
        }
        dev.jlx.core.kernel.Landlock.checkMake(link.writable(), FileMode.S_IFLNK);
        link.fs().symlink(target.toByteArray(), link.path());
        dev.jlx.core.fs.Fsnotify.created(link);
        return 0;
    }

    /** Implements Linux syscall mknod(2). */
    static long mknod(GuestThread t, Args a) throws ErrnoException {
        return mknodAt(t, Fcntl.AT_FDCWD, a.addr(0), a.i32(1));
    }

    /** Implements Linux syscall mknodat(2). */
    static long mknodat(GuestThread t, Args a) throws ErrnoException {
        return mknodAt(t, a.fd(0), a.addr(1), a.i32(2));
    }

    /**
     * Regular files, FIFOs and socket nodes (which any Linux user may make; nothing is bound to them,
     * so a connect there is ECONNREFUSED). Device nodes need CAP_MKNOD, which a jlx guest lacks:
     * EPERM, as for an unprivileged Linux process.
     */
    private static long mknodAt(GuestThread t, int dir, long pathAddr, int mode) throws ErrnoException {
        int type = mode & FileMode.S_IFMT;
        // may_mknod checks the type before the path is looked at (EPERM or EINVAL before EBADF or ENOENT):
        // a directory is mkdir's to make.
        if (type == FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (type != 0 && type != FileMode.S_IFREG && type != FileMode.S_IFIFO && type != FileMode.S_IFCHR
                && type != FileMode.S_IFBLK && type != FileMode.S_IFSOCK) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = FileSyscalls.path(t, pathAddr);
        Vfs.Resolved r = FileSyscalls.resolveName(t, dir, path);
        if (FileSyscalls.trailingSlash(path)) {
            throw FileSyscalls.slashedCreate(r);
        }
        r.writable();
        dev.jlx.core.kernel.Landlock.checkMake(r, type);
        int perm = mode & 07777 & ~t.process().umask();
        switch (type) {
            case 0, FileMode.S_IFREG -> r.fs().open(r.path(),
                    OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, perm).close();
            case FileMode.S_IFIFO -> r.fs().mkfifo(r.path(), perm);
            case FileMode.S_IFSOCK -> r.fs().mksock(r.path(), perm);
            default -> {
                // vfs_mknod's capability check comes after the name is found free.
                if (Vfs.exists(r)) {
                    throw new ErrnoException(Errno.EEXIST);
                }
                throw new ErrnoException(Errno.EPERM);
            }
        }
        dev.jlx.core.fs.Fsnotify.created(r);
        return 0;
    }
}
