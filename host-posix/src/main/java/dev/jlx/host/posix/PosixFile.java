package dev.jlx.host.posix;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

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
        throw new ErrnoException(Errno.EBADF);
    }

    @Override
    public HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        return PosixMapping.map(backend, fd, offset, length, writable);
    }

    @Override
    public long getxattr(ByteString name, MemorySegment value) throws ErrnoException {
        DarwinLibC d = backend.darwin();
        Pointer p = backend.pointer(value);
        return backend.checked(d != null ? d.fgetxattr(fd, name.toCString(), p, value.byteSize(), 0, 0)
                : backend.libc().fgetxattr(fd, name.toCString(), p, value.byteSize()));
    }

    @Override
    public long listxattr(MemorySegment list) throws ErrnoException {
        DarwinLibC d = backend.darwin();
        Pointer p = backend.pointer(list);
        return backend.checked(d != null ? d.flistxattr(fd, p, list.byteSize(), 0)
                : backend.libc().flistxattr(fd, p, list.byteSize()));
    }

    @Override
    public void setxattr(ByteString name, MemorySegment value, int flags) throws ErrnoException {
        DarwinLibC d = backend.darwin();
        Pointer p = backend.pointer(value);
        backend.checked(d != null
                ? d.fsetxattr(fd, name.toCString(), p, value.byteSize(), 0, PosixBackend.darwinXattrFlags(flags))
                : backend.libc().fsetxattr(fd, name.toCString(), p, value.byteSize(), flags));
    }

    @Override
    public void removexattr(ByteString name) throws ErrnoException {
        DarwinLibC d = backend.darwin();
        backend.checked(d != null ? d.fremovexattr(fd, name.toCString(), 0)
                : backend.libc().fremovexattr(fd, name.toCString()));
    }

    private int check(long result) throws ErrnoException {
        return (int) backend.checked(result);
    }

    /** Each Java thread's struct pollfd (int fd, short events, short revents) for {@link #poll}. */
    private static final ThreadLocal<jnr.ffi.Pointer> POLLFD = ThreadLocal.withInitial(
            () -> jnr.ffi.Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 8));

    /**
     * Whether {@link #poll} asks select(2): for a terminal, where the host's poll(2) may fail (macOS
     * answers POLLNVAL for ttys). Only the {@code posix} profile on Linux polls terminals; the
     * {@code portable} one takes macOS's path there too. Settled on the first poll.
     */
    private Boolean selectsInstead;

    @Override
    public int poll(int events, int timeoutMillis) throws ErrnoException {
        Boolean select = selectsInstead;
        if (select == null) {
            select = backend.linuxOnly() == null && isTerminal();
            selectsInstead = select;
        }
        if (select) {
            return FdSet.select(backend, fd, events, timeoutMillis);
        }
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
        return s != null ? s : backend.fstat(fd);
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        check(backend.libc().ftruncate(fd, length));
    }

    /**
     * fallocate(2): Linux's own call in the {@code posix} profile on Linux. Elsewhere (macOS, the
     * {@code portable} profile) only mode 0 is done, as posix_fallocate does it: after fallocate's
     * checks in Linux's order (vfs_fallocate), the part past the end of the file is allocated
     * ({@link #allocatePastEnd}) and the size extended; blocks of holes inside the file are not
     * allocated. Other modes are EOPNOTSUPP, as from a file system without them.
     */
    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        LinuxOnly linux = backend.linuxOnly();
        if (linux != null) {
            check(linux.fallocate(fd, mode, offset, length));
            return;
        }
        if ((check(backend.fcntl(fd, F_GETFL, 0)) & O_ACCMODE) == O_RDONLY) {
            throw new ErrnoException(Errno.EBADF);
        }
        HostStat st = stat();
        switch (st.mode() & FileMode.S_IFMT) {
            case FileMode.S_IFREG -> { }
            case FileMode.S_IFIFO -> throw new ErrnoException(Errno.ESPIPE);
            case FileMode.S_IFDIR -> throw new ErrnoException(Errno.EISDIR);
            default -> throw new ErrnoException(Errno.ENODEV);
        }
        if (mode != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP, "fallocate mode " + mode + " without Linux's fallocate");
        }
        long end = offset + length;
        if (end < 0) {
            throw new ErrnoException(Errno.EFBIG);
        }
        if (end > st.size()) {
            allocatePastEnd(st.size(), end);
            truncate(end);
        }
    }

    /** F_GETFL and O_ACCMODE/O_RDONLY: the same numbers on Linux and macOS. */
    private static final int F_GETFL = 3;
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;
    /** macOS's F_PREALLOCATE and fstore_t's values ({@code <sys/fcntl.h>}). */
    static final int F_PREALLOCATE = 42;
    static final int F_ALLOCATECONTIG = 0x2;
    static final int F_ALLOCATEALL = 0x4;
    static final int F_PEOFPOSMODE = 3;
    /** Zeros written per pwrite where no call can allocate. */
    private static final int ZERO_CHUNK = 64 * 1024;

    /**
     * Allocates the bytes from the end of the file {@code size} to {@code end}. macOS:
     * fcntl(F_PREALLOCATE) from the physical end of file, contiguous if it can be, else in any
     * pieces (both all-or-nothing); a host without it (the {@code portable} profile on Linux) writes
     * zeros there, which allocates them as posix_fallocate's own fallback does.
     */
    private void allocatePastEnd(long size, long end) throws ErrnoException {
        DarwinLibC d = backend.darwin();
        if (d != null) {
            Pointer store = fstore(backend.runtime(), F_ALLOCATECONTIG | F_ALLOCATEALL, end - size);
            if (d.fcntl(fd, F_PREALLOCATE, store) < 0) {
                store.putInt(0, F_ALLOCATEALL);
                check(d.fcntl(fd, F_PREALLOCATE, store));
            }
            return;
        }
        Pointer zeros = backend.pointer(Zeros.CHUNK);
        for (long at = size; at < end; ) {
            at += check(backend.libc().pwrite(fd, zeros, Math.min(ZERO_CHUNK, end - at), at));
        }
    }

    /** A chunk of zeros in native memory, made on first use. */
    private static final class Zeros {
        static final MemorySegment CHUNK = java.lang.foreign.Arena.global().allocate(ZERO_CHUNK);
    }

    /**
     * macOS's fstore_t ({@code <sys/fcntl.h>}): u32 fst_flags 0, int fst_posmode 4, off_t fst_offset
     * 8 (0 in F_PEOFPOSMODE), fst_length 16 (bytes wanted past the physical end), fst_bytesalloc 24
     * (out); 32 bytes.
     */
    static Pointer fstore(Runtime runtime, int flags, long length) {
        Pointer store = jnr.ffi.Memory.allocate(runtime, 32);
        store.putInt(0, flags);
        store.putInt(4, F_PEOFPOSMODE);
        store.putLong(8, 0);
        store.putLong(16, length);
        store.putLong(24, 0);
        return store;
    }

    /** {@code int ioctl(int fd, FIONREAD, int *count);} */
    @Override
    public int bytesReadable() throws ErrnoException {
        Pointer count = jnr.ffi.Memory.allocate(backend.runtime(), 4);
        check(backend.ioctl(fd, backend.constants().fionread(), count));
        return count.getInt(0);
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        return backend.statfs(buf -> backend.libc().fstatfs(fd, buf));
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        if ((dataOnly ? backend.libc().fdatasync(fd) : backend.libc().fsync(fd)) < 0) {
            throw backend.lastError();
        }
    }

    /** {@code int fchmod(int fd, mode_t mode);} */
    @Override
    public void chmod(int mode) throws ErrnoException {
        if (backend.libc().fchmod(fd, mode & 07777) < 0) {
            throw backend.lastError();
        }
    }

    /** {@code int fchown(int fd, uid_t owner, gid_t group);} */
    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        if (backend.libc().fchown(fd, uid, gid) < 0) {
            throw backend.lastError();
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
        if (backend.libc().flock(fd, operation) < 0) {
            throw backend.lastError();
        }
    }

    /** {@code int isatty(int fd);} */
    @Override
    public boolean isTerminal() {
        return backend.libc().isatty(fd) == 1;
    }

    /** {@code int close(int fd);} */
    @Override
    public synchronized void close() throws ErrnoException {
        if (closed || !owned) {
            closed = true;
            return;
        }
        closed = true;
        if (backend.libc().close(fd) < 0) {
            throw backend.lastError();
        }
    }
}
