package dev.jlx.host.posix;

import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import jnr.ffi.Pointer;
import jnr.posix.FileStat;

/** An open host file descriptor. Data calls pass the segment's address: no copy through Java arrays. */
final class PosixFile implements HostFile {
    private final PosixBackend backend;
    private final int fd;
    /** False for the JVM's own standard streams, which jlx must never close. */
    private final boolean owned;
    private boolean closed;

    PosixFile(PosixBackend backend, int fd, boolean owned) {
        this.backend = backend;
        this.fd = fd;
        this.owned = owned;
    }

    /** The host descriptor behind a file this backend opened; another backend's file is EBADF. */
    static int fd(HostFile file) throws ErrnoException {
        if (file instanceof PosixFile p) {
            return p.fd;
        }
        throw new ErrnoException(dev.jlx.abi.Errno.EBADF);
    }

    @Override
    public HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        return PosixMapping.map(backend, fd, offset, length, writable);
    }

    @Override
    public long getxattr(ByteString name, MemorySegment value) throws ErrnoException {
        backend.requireLinuxXattrs();
        return backend.checked(backend.libc().fgetxattr(fd, name.toCString(), backend.pointer(value), value.byteSize()));
    }

    @Override
    public long listxattr(MemorySegment list) throws ErrnoException {
        backend.requireLinuxXattrs();
        return backend.checked(backend.libc().flistxattr(fd, backend.pointer(list), list.byteSize()));
    }

    @Override
    public void setxattr(ByteString name, MemorySegment value, int flags) throws ErrnoException {
        backend.requireLinuxXattrs();
        backend.checked(backend.libc().fsetxattr(fd, name.toCString(), backend.pointer(value), value.byteSize(), flags));
    }

    @Override
    public void removexattr(ByteString name) throws ErrnoException {
        backend.requireLinuxXattrs();
        backend.checked(backend.libc().fremovexattr(fd, name.toCString()));
    }

    private int check(long result) throws ErrnoException {
        return (int) backend.checked(result);
    }

    /** Each Java thread's struct pollfd (int fd, short events, short revents) for {@link #poll}. */
    private static final ThreadLocal<jnr.ffi.Pointer> POLLFD = ThreadLocal.withInitial(
            () -> jnr.ffi.Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 8));

    @Override
    public int poll(int events, int timeoutMillis) throws ErrnoException {
        jnr.ffi.Pointer pollfd = POLLFD.get();
        pollfd.putInt(0, fd);
        pollfd.putShort(4, (short) events);
        pollfd.putShort(6, (short) 0);
        check(backend.libc().poll(pollfd, 1, timeoutMillis));
        return pollfd.getShort(6) & 0xffff;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        return check(backend.libc().read(fd, backend.pointer(dst), dst.byteSize()));
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        return check(backend.libc().write(fd, backend.pointer(src), src.byteSize()));
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        return check(backend.libc().pread(fd, backend.pointer(dst), dst.byteSize(), offset));
    }

    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        return check(backend.libc().pwrite(fd, backend.pointer(src), src.byteSize(), offset));
    }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        long r = backend.libc().lseek(fd, offset, backend.constants().hostWhence(whence));
        if (r < 0) {
            throw backend.lastError();
        }
        return r;
    }

    /** {@code int fstat(int fd, struct stat *buf);} */
    @Override
    public HostStat stat() throws ErrnoException {
        HostStat s = backend.statx(fd, PosixFiles.EMPTY_PATH, PosixFiles.LINUX_AT_EMPTY_PATH);
        if (s != null) {
            return s;
        }
        FileStat st = backend.posix().allocateStat();
        if (backend.posix().fstat(fd, st) < 0) {
            throw backend.posixError();
        }
        return backend.hostStat(st);
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        check(backend.libc().ftruncate(fd, length));
    }

    /** {@code int fsync(int fd);} or {@code int fdatasync(int fd);} */
    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        if (backend.constants().isLinux()) {
            check(backend.libc().fallocate(fd, mode, offset, length));
            return;
        }
        if (mode != 0) {
            throw new ErrnoException(dev.jlx.abi.Errno.EOPNOTSUPP);
        }
        int err = backend.libc().posix_fallocate(fd, offset, length);
        if (err != 0) {
            throw new ErrnoException(backend.constants().linuxErrno(err));
        }
    }

    /** {@code int ioctl(int fd, FIONREAD, int *count);} */
    @Override
    public int bytesReadable() throws ErrnoException {
        Pointer count = jnr.ffi.Memory.allocate(backend.runtime(), 4);
        check(backend.libc().ioctl(fd, backend.constants().fionread(), count));
        return count.getInt(0);
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        return backend.statfs(buf -> backend.libc().fstatfs(fd, buf));
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        if ((dataOnly ? backend.posix().fdatasync(fd) : backend.posix().fsync(fd)) < 0) {
            throw backend.posixError();
        }
    }

    /** {@code int fchmod(int fd, mode_t mode);} */
    @Override
    public void chmod(int mode) throws ErrnoException {
        if (backend.posix().fchmod(fd, mode & 07777) < 0) {
            throw backend.posixError();
        }
    }

    /** {@code int fchown(int fd, uid_t owner, gid_t group);} */
    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        if (backend.posix().fchown(fd, uid, gid) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        if (backend.libc().futimens(fd, backend.timespecPair(atimeSec, atimeNsec, mtimeSec, mtimeNsec)) < 0) {
            throw backend.lastError();
        }
    }

    /** {@code int flock(int fd, int operation);} LOCK_* values are the same on Linux and macOS. */
    @Override
    public void flock(int operation) throws ErrnoException {
        if (backend.posix().flock(fd, operation) < 0) {
            throw backend.posixError();
        }
    }

    /** {@code int isatty(int fd);} */
    @Override
    public boolean isTerminal() {
        return backend.posix().isatty(fd) == 1;
    }

    /** {@code int close(int fd);} */
    @Override
    public synchronized void close() throws ErrnoException {
        if (closed || !owned) {
            closed = true;
            return;
        }
        closed = true;
        if (backend.posix().close(fd) < 0) {
            throw backend.posixError();
        }
    }
}
