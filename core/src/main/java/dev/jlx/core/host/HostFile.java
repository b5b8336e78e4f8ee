package dev.jlx.core.host;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;

/**
 * An open host file, analogous to a host file descriptor. Buffers are native segments (usually
 * guest memory itself), so data moves between the host and the guest with no copy. Counts are
 * what the host call returned; a short count is not an error.
 */
public interface HostFile {
    /** read(2) into {@code dst} (up to its size); 0 at end of file. */
    int read(MemorySegment dst) throws ErrnoException;

    /** write(2) from {@code src} (all of it, or a short count). */
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

    /** fchmod(2); EPERM by default, for files whose metadata is not jlx's to change (a console, a stream). */
    default void chmod(int mode) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** fchown(2): -1 leaves an id unchanged; EPERM by default, as chmod. */
    default void chown(int uid, int gid) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** futimens(2); nanosecond fields may be Linux's {@code UTIME_NOW} or {@code UTIME_OMIT}. EPERM by default, as chmod. */
    default void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** fallocate(2) with Linux FALLOC_FL_* mode bits; EOPNOTSUPP for modes the host cannot do. */
    void allocate(int mode, long offset, long length) throws ErrnoException;

    /** ioctl FIONREAD: bytes that a read would return now (pipes, terminals, sockets, files). */
    int bytesReadable() throws ErrnoException;

    /** fstatfs(2). */
    HostStatfs statfs() throws ErrnoException;

    /** flock(2) with Linux LOCK_* bits (the same values on every POSIX host). */
    void flock(int operation) throws ErrnoException;

    /**
     * poll(2) on this one file: waits up to {@code timeoutMillis} (0: not at all) for any of
     * {@code events} and returns those ready. Events and result are POLLIN, POLLPRI, POLLOUT,
     * POLLERR, POLLHUP and POLLNVAL, which have the same bits on every POSIX host. A backend
     * without it reports the file always ready, as Linux does for regular files.
     */
    default int poll(int events, int timeoutMillis) throws ErrnoException {
        return events & (POLLIN | POLLOUT);
    }

    int POLLIN = 0x1;
    int POLLPRI = 0x2;
    int POLLOUT = 0x4;
    int POLLERR = 0x8;
    int POLLHUP = 0x10;
    int POLLNVAL = 0x20;

    /** Whether this is a terminal (isatty(3)). */
    boolean isTerminal();

    /** close(2). Closing twice is harmless. */
    void close() throws ErrnoException;

    /**
     * A shared mapping of {@code length} bytes (page-rounded) of the file from {@code offset}:
     * host memory whose writes reach the file, writable when {@code writable}. ENODEV when the
     * file cannot be mapped.
     */
    default HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        throw new ErrnoException(Errno.ENODEV);
    }

    /** fgetxattr(2); see {@link HostFiles#getxattr}. */
    default long getxattr(ByteString name, MemorySegment value) throws ErrnoException {
        throw new ErrnoException(Errno.ENODATA);
    }

    /** flistxattr(2). */
    default long listxattr(MemorySegment list) throws ErrnoException {
        return 0;
    }

    /** fsetxattr(2). */
    default void setxattr(ByteString name, MemorySegment value, int flags) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** fremovexattr(2). */
    default void removexattr(ByteString name) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }
}
