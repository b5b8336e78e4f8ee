package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A mounted file system, analogous to Linux's super block with its inode operations. Paths are
 * absolute within the file system ("/" is its root), already walked and confined by the
 * {@link Vfs}: the last component is never a symlink to follow, earlier ones are directories. The
 * contracts and errors are those of the host SPI's {@link dev.jlx.core.host.HostFiles}; names are
 * bytes ({@link ByteString}). Each file system serves the files it opens itself ({@link FileOps}).
 */
public interface FileSystem {
    FileOps open(ByteString path, int linuxFlags, int mode) throws ErrnoException;

    /**
     * {@link #open} of a path the VFS has not walked, in the same descent as its resolution, when no
     * component of it is a symbolic link (the last included, unless O_NOFOLLOW with O_PATH asks for
     * the link itself): see {@link dev.jlx.core.host.HostFiles#openIfPlain}. Null when there is one
     * or the file system cannot tell cheaply, and the VFS walks; an in-memory file system walks
     * cheaply anyway.
     */
    default FileOps openIfPlain(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        return null;
    }

    HostStat stat(ByteString path, boolean followLinks) throws ErrnoException;

    byte[] readlink(ByteString path) throws ErrnoException;

    /**
     * Whether the link at {@code path} is a magic link that names an object rather than a path
     * (/proc/PID/ns/*): a walk that follows it ends on it, and the file system opens or stats the object.
     */
    default boolean isObjectLink(ByteString path) {
        return false;
    }

    /** Whether the link at {@code path} is a magic link of procfs (/proc/PID/fd/N, exe, cwd, root). */
    default boolean isMagicLink(ByteString path) {
        return false;
    }

    /** See {@link dev.jlx.core.host.HostFiles#isPlainPath}; an in-memory file system walks cheaply anyway. */
    default boolean isPlainPath(ByteString path) {
        return false;
    }

    /** See {@link dev.jlx.core.host.HostFiles#lstatIfPlain}. */
    default HostStat lstatIfPlain(ByteString path) throws ErrnoException {
        return null;
    }

    void access(ByteString path, int linuxMode) throws ErrnoException;

    /** A FIFO kept in the JVM: its pipe and its own metadata (fstat shows the FIFO, not pipefs). */
    record FifoNode(Pipe pipe, java.util.function.Supplier<HostStat> stat) {}

    /**
     * The FIFO at {@code path} when this file system keeps it in the JVM (tmpfs), with the open's
     * access checked; null for any other file, which {@link #open} opens.
     */
    default FifoNode fifo(ByteString path, int linuxFlags) throws ErrnoException {
        return null;
    }

    /**
     * The open file of a device this file system serves as more than a {@link FileOps} (devpts's
     * pty ends), with the open's flags; null for any other file, which {@link #open} opens.
     */
    default OpenFile openDevice(ByteString path, int linuxFlags) throws ErrnoException {
        return null;
    }

    /** See {@link dev.jlx.core.host.HostFiles#getxattr}: a file system that keeps none has none. */
    default long getxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value) throws ErrnoException {
        throw new ErrnoException(Errno.ENODATA);
    }

    default long listxattr(ByteString path, boolean followLinks, MemorySegment list) throws ErrnoException {
        return 0;
    }

    default void setxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value, int flags)
            throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    default void removexattr(ByteString path, boolean followLinks, ByteString name) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    List<HostDirEntry> list(ByteString path) throws ErrnoException;

    void mkdir(ByteString path, int mode) throws ErrnoException;

    void rename(ByteString from, ByteString to, int linuxFlags) throws ErrnoException;

    void link(ByteString existing, ByteString newPath) throws ErrnoException;

    void symlink(byte[] target, ByteString linkPath) throws ErrnoException;

    void chmod(ByteString path, int mode) throws ErrnoException;

    void chown(ByteString path, int uid, int gid) throws ErrnoException;

    void utimens(ByteString path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException;

    void truncate(ByteString path, long length) throws ErrnoException;

    void mkfifo(ByteString path, int mode) throws ErrnoException;

    /**
     * A socket node, as bind(2) of an AF_UNIX socket makes it (EEXIST when the name is taken); a file
     * system without one refuses it with EPERM, as Linux's vfs_mknod does where a directory has no mknod.
     */
    default void mksock(ByteString path, int mode) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /**
     * The host's path of the node at {@code path} (a socket node no guest socket is bound to), in the
     * form of the host backend's files, for a connect to the socket a host process bound there; null
     * for a file system whose nodes are not the host's (tmpfs, procfs).
     */
    default ByteString hostSocketPath(ByteString path) {
        return null;
    }

    void unlink(ByteString path) throws ErrnoException;

    void rmdir(ByteString path) throws ErrnoException;

    HostStatfs statfs(ByteString path) throws ErrnoException;

    /** Writes cached data to storage (sync(2)); nothing to do for memory. */
    void sync();
}
