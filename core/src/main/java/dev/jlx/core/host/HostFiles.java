package dev.jlx.core.host;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;

/**
 * Path-based file operations on host paths. Paths are absolute host paths that core's VFS has
 * already resolved and confined, as the bytes of the guest's names (a backend turns them into its
 * host's form: POSIX hosts take the bytes as they are); a backend never follows a symlink in the last component unless
 * asked ({@code followLinks}), so the VFS stays in charge of symlink resolution.
 */
public interface HostFiles {
    /**
     * The host path, in this backend's form, of the host directory {@code directory} (a guest root
     * or mount): POSIX hosts take the path's own bytes; a backend whose host paths are spelled
     * otherwise (Windows: {@code C:\Users} is {@code /C:/Users}) says so here, so that core only
     * ever appends guest names to it with '/'.
     */
    default ByteString hostPath(java.nio.file.Path directory) {
        return ByteString.of(directory.toString());
    }

    /**
     * Opens a host file. {@code linuxFlags} are Linux {@code O_*} bits (the backend translates them
     * by name); {@code mode} holds Linux permission bits for {@code O_CREAT}. The backend always
     * adds O_NOFOLLOW-equivalent behaviour on the last component and never O_CLOEXEC semantics
     * visible to the guest (core keeps close-on-exec itself).
     */
    HostFile open(ByteString path, int linuxFlags, int mode) throws ErrnoException;

    /** stat(2) ({@code followLinks}) or lstat(2) of a host path. */
    HostStat stat(ByteString path, boolean followLinks) throws ErrnoException;

    /**
     * Whether {@code path} exists and none of its components is a symbolic link, answered in a
     * constant number of host calls (openat2 with RESOLVE_NO_SYMLINKS on Linux). False when that is
     * not so, or when the host cannot tell cheaply: the VFS then walks the path component by component.
     */
    boolean isPlainPath(ByteString path);

    /**
     * lstat(2) of {@code path} if no component before the last is a symbolic link, checked and
     * stat'ed in one resolution by the host (so without a race); null when there is such a link or
     * when the host cannot tell cheaply: the VFS then walks the path itself. A missing or unreadable
     * component throws as lstat would, since the walk would end the same way.
     */
    default HostStat lstatIfPlain(ByteString path) throws ErrnoException {
        return null;
    }

    /**
     * {@link #open} of {@code path} if none of its components is a symbolic link, the last one
     * included, in one resolution by the host (openat2 with RESOLVE_NO_SYMLINKS on Linux), so the
     * VFS need not walk it first; null when there is such a link or when the host cannot tell
     * cheaply: the VFS then walks the path and opens what it found. Any other error throws as
     * {@link #open} would, which is also what the walk would end with.
     */
    default HostFile openIfPlain(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        return null;
    }

    /** readlink(2): the target of a symbolic link, as bytes of the host file name. */
    byte[] readlink(ByteString path) throws ErrnoException;

    /** access(2) with Linux {@code R_OK/W_OK/X_OK/F_OK} bits, using the real ids. */
    void access(ByteString path, int linuxMode) throws ErrnoException;

    /**
     * The entries of a directory in the host's readdir order, without "." and "..". Types are
     * Linux {@code S_IF*} bits of the entry itself (a symlink is a symlink).
     */
    java.util.List<HostDirEntry> list(ByteString path) throws ErrnoException;

    /** mkdir(2) with Linux permission bits. */
    void mkdir(ByteString path, int mode) throws ErrnoException;

    /**
     * renameat2(2) with Linux {@code RENAME_NOREPLACE} / {@code RENAME_EXCHANGE} flags; a flag the
     * host cannot honour is EINVAL.
     */
    void rename(ByteString from, ByteString to, int linuxFlags) throws ErrnoException;

    /** link(2): {@code existing} itself, not what it may point to, gets the new name. */
    void link(ByteString existing, ByteString newPath) throws ErrnoException;

    /** symlink(2): the target is stored as given. */
    void symlink(byte[] target, ByteString linkPath) throws ErrnoException;

    /** chmod(2) of the file itself (the path's last component is not a symlink). */
    void chmod(ByteString path, int mode) throws ErrnoException;

    /** lchown(2): -1 leaves an id unchanged. */
    void chown(ByteString path, int uid, int gid) throws ErrnoException;

    /**
     * utimensat(2) on the path itself (no symlink following); nanosecond fields may be Linux's
     * {@code UTIME_NOW} or {@code UTIME_OMIT}.
     */
    void utimens(ByteString path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException;

    /** truncate(2). */
    void truncate(ByteString path, long length) throws ErrnoException;

    /** mkfifo(3): a named pipe with Linux permission bits. */
    void mkfifo(ByteString path, int mode) throws ErrnoException;

    /**
     * A socket node with Linux permission bits, as a Linux bind(2) of an AF_UNIX socket makes it:
     * only a name that stat reports as a socket (jlx's own sockets live in the JVM); EEXIST when the
     * name is taken. This default binds a host AF_UNIX socket there (JDK 16's JEP 380, on every host
     * that has them) and closes it again, so the node stays; a host path too long for a host
     * sockaddr_un is ENAMETOOLONG.
     */
    default void mksock(ByteString path, int mode) throws ErrnoException {
        // A bind fails without saying why: the answers Linux's mknod gives are asked of the host first.
        int slash = path.lastIndexOf((byte) '/');
        HostStat parent = stat(slash <= 0 ? ByteString.ROOT : path.substring(0, slash), true);
        if ((parent.mode() & dev.jlx.abi.FileMode.S_IFMT) != dev.jlx.abi.FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        boolean exists;
        try {
            stat(path, false);
            exists = true;
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            exists = false;
        }
        if (exists) {
            throw new ErrnoException(Errno.EEXIST);
        }
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(java.nio.file.Path.of(path.utf8())));
        } catch (java.net.BindException e) {
            throw new ErrnoException(Errno.EADDRINUSE, e.getMessage());
        } catch (java.io.IOException | UnsupportedOperationException | java.nio.file.InvalidPathException e) {
            throw new ErrnoException(Errno.ENAMETOOLONG, e.getMessage());
        }
        chmod(path, mode);
    }

    /** statfs(2) of the file system holding {@code path}, in Linux's terms. */
    HostStatfs statfs(ByteString path) throws ErrnoException;

    /** sync(2): flushes every host file system's caches. */
    void syncAll();

    /** unlink(2). */
    void unlink(ByteString path) throws ErrnoException;

    /** rmdir(2). */
    void rmdir(ByteString path) throws ErrnoException;

    /**
     * What a host's files may or may not do, beyond what every backend does. A backend without one
     * answers the calls it concerns as a Linux file system without the feature does (the errno each
     * names), never by failing otherwise; core takes its portable path there. The host-files contract
     * checks that each backend does what it says.
     */
    enum Capability {
        /**
         * Opening a host FIFO, socket or device node reaches it, so a guest root at a POSIX host's
         * "/" keeps the host's /dev; without it that root gets jlx's own /dev, as any other does.
         */
        DEVICE_NODES,
        /** Files keep a birth time (statx's STATX_BTIME); without it stat gives {@link HostStat#NO_BTIME}. */
        BIRTH_TIME,
        /** renameat2's RENAME_NOREPLACE; without it that flag is EINVAL. */
        RENAME_NOREPLACE,
        /** renameat2's RENAME_EXCHANGE; without it that flag is EINVAL. */
        RENAME_EXCHANGE,
        /** fallocate's FALLOC_FL_PUNCH_HOLE (with KEEP_SIZE); without it EOPNOTSUPP. */
        PUNCH_HOLE,
        /** Extended attributes in the user namespace; without them setxattr is EOPNOTSUPP. */
        XATTRS,
        /**
         * Host paths of any length (a guest's tree deeper than the host's PATH_MAX); without it a path of
         * 4096 bytes or more is ENAMETOOLONG.
         */
        LONG_PATHS
    }

    /** This backend's {@link Capability capabilities}: by default all of them, as Linux's. */
    default java.util.Set<Capability> capabilities() {
        return java.util.EnumSet.allOf(Capability.class);
    }

    /**
     * Wraps one of this process's own standard streams (0, 1, 2) so that a guest started by
     * {@code jlx run} shares the host's terminal, pipe or file exactly as a native program would.
     */
    HostFile standardStream(int fd);
    /**
     * getxattr(2)/lgetxattr(2) ({@code followLinks} or not) into {@code value}; an empty
     * {@code value} asks for the size. Linux's semantics: ENODATA, ERANGE, EOPNOTSUPP. A host that
     * keeps no extended attributes has none to give (and refuses to set them), as these defaults,
     * once the path is found (its lookup's errors come first, as Linux's).
     */
    default long getxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value) throws ErrnoException {
        stat(path, followLinks);
        throw new ErrnoException(Errno.ENODATA);
    }

    /** listxattr(2)/llistxattr(2): NUL-terminated names into {@code list}; an empty one asks for the size. */
    default long listxattr(ByteString path, boolean followLinks, MemorySegment list) throws ErrnoException {
        stat(path, followLinks);
        return 0;
    }

    /** setxattr(2)/lsetxattr(2) with Linux XATTR_CREATE/XATTR_REPLACE flags. */
    default void setxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value, int flags)
            throws ErrnoException {
        stat(path, followLinks);
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** removexattr(2)/lremovexattr(2). */
    default void removexattr(ByteString path, boolean followLinks, ByteString name) throws ErrnoException {
        stat(path, followLinks);
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }
}
