package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;

/**
 * What one file system does for a file it opened, analogous to gVisor's {@code FileDescriptionImpl}
 * and Linux's {@code struct file_operations}: each file system implements it (tmpfs's nodes,
 * procfs's and sysfs's generated files, devfs's devices, and hostfs over a host SPI
 * {@link dev.jlx.core.host.HostFile}), and a {@link VfsFile} (the open file description, with the
 * status flags and references that dup and fork share) holds one. Buffers are native segments
 * (usually guest memory itself); counts are short as the call's are. The defaults are Linux's
 * answer for a file that does not support the operation.
 */
public interface FileOps {
    /** read(2) at the file's own offset into {@code dst} (up to its size); 0 at end of file. */
    int read(MemorySegment dst) throws ErrnoException;

    /** write(2) at the file's own offset (the end with O_APPEND). */
    int write(MemorySegment src) throws ErrnoException;

    /** pread64(2). */
    int pread(MemorySegment dst, long offset) throws ErrnoException;

    /** pwrite64(2). */
    int pwrite(MemorySegment src, long offset) throws ErrnoException;

    /** lseek(2) with Linux {@code SEEK_*} whence values; returns the new offset. */
    long seek(long offset, int whence) throws ErrnoException;

    /** fstat(2). */
    HostStat stat() throws ErrnoException;

    /** ftruncate(2). */
    void truncate(long length) throws ErrnoException;

    /** fsync(2), or fdatasync(2) when {@code dataOnly}. */
    void sync(boolean dataOnly) throws ErrnoException;

    /** fchmod(2). */
    void chmod(int mode) throws ErrnoException;

    /** fchown(2): -1 leaves an id unchanged. */
    void chown(int uid, int gid) throws ErrnoException;

    /** futimens(2); nanosecond fields may be Linux's {@code UTIME_NOW} or {@code UTIME_OMIT}. */
    void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException;

    /** fallocate(2) with Linux FALLOC_FL_* mode bits. */
    void allocate(int mode, long offset, long length) throws ErrnoException;

    /** ioctl FIONREAD. */
    int bytesReadable() throws ErrnoException;

    /** fstatfs(2). */
    HostStatfs statfs() throws ErrnoException;

    /** flock(2) with Linux LOCK_* bits. */
    void flock(int operation) throws ErrnoException;

    /**
     * Waits up to {@code timeoutMillis} (0: not at all) for any of {@code events} (Linux's POLLIN,
     * POLLPRI, POLLOUT) and returns those ready, with POLLERR, POLLHUP, POLLNVAL. A file that never
     * waits is always ready, as regular files are on Linux.
     */
    default int poll(int events, int timeoutMillis) throws ErrnoException {
        return events & (Poll.POLLIN | Poll.POLLOUT);
    }

    /**
     * The queue a poll of this file waits on ({@link OpenFile#readiness}) when the file is one whose
     * reads and writes may wait (a FIFO, character device or socket); {@link Readiness#FIXED} for one
     * whose {@link #poll} answer never changes.
     */
    default Readiness readiness() {
        return Readiness.FIXED;
    }

    /** The host's answers for this file when it is a host terminal; ENOTTY when it is none. */
    default dev.jlx.core.tty.HostTerminal.Access hostTerminal() throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** What /proc shows for a file that has no path (a memfd's "/memfd:NAME (deleted)"), or null. */
    default ByteString anonymousName() {
        return null;
    }

    /** F_GET_SEALS: only tmpfs files have seals; EINVAL for others. */
    default int seals() throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** F_ADD_SEALS, once the description is known to be writable and the seals valid; EINVAL for files without. */
    default void addSeals(int seals) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** The last reference to the description is gone (close(2) of the last descriptor). */
    void close() throws ErrnoException;

    /**
     * A shared mapping of {@code length} bytes (page-rounded) from {@code offset}, writable when
     * {@code writable}; ENODEV when the file cannot be mapped so.
     */
    default dev.jlx.core.host.HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        throw new ErrnoException(Errno.ENODEV);
    }

    /**
     * fgetxattr(2) into {@code value} (empty: the size); ENODATA, ERANGE, EOPNOTSUPP as Linux. A
     * file system that keeps no extended attributes has none, and refuses to set them (the defaults).
     */
    default long getxattr(ByteString name, MemorySegment value) throws ErrnoException {
        throw new ErrnoException(Errno.ENODATA);
    }

    /** flistxattr(2): NUL-terminated names into {@code list} (empty: the size). */
    default long listxattr(MemorySegment list) throws ErrnoException {
        return 0;
    }

    /** fsetxattr(2) with Linux XATTR_CREATE/XATTR_REPLACE flags. */
    default void setxattr(ByteString name, MemorySegment value, int flags) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** fremovexattr(2). */
    default void removexattr(ByteString name) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }
}
