package dev.jlx.host.posix;

import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.posix.FileStat;

/**
 * Path operations on the POSIX host. Paths reach libc as the guest's bytes ({@link LibC} takes C
 * strings as {@code byte[]}); only the jnr-posix fallbacks for hosts without statx (macOS, whose
 * file systems keep names as UTF-8, and glibc before 2.28) pass them as UTF-8 strings.
 */
final class PosixFiles implements HostFiles {
    private static final int PATH_MAX = 4096;
    /** Permission bits are the same on every POSIX host; only they are passed on. */
    private static final int PERMISSION_BITS = 07777;

    private final PosixBackend backend;

    PosixFiles(PosixBackend backend) {
        this.backend = backend;
    }

    /**
     * {@code int open(const char *path, int flags, mode_t mode);} The last component is never
     * followed (the VFS resolved it; a symlink swapped in since is ELOOP), and the host descriptor is
     * close-on-exec so host processes never inherit it (the guest's FD_CLOEXEC lives in core).
     */
    @Override
    public HostFile open(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        int hostFlags = backend.constants().hostOpenFlags(linuxFlags | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        int fd = backend.libc().open(path.toCString(), hostFlags, mode & PERMISSION_BITS);
        if (fd < 0) {
            throw backend.lastError();
        }
        return new PosixFile(backend, fd, true);
    }

    /**
     * openat2 with the open's own flags and RESOLVE_NO_SYMLINKS: the host resolves the path once and
     * opens it in the same step. A link anywhere, the last component included unless O_NOFOLLOW
     * asks for the link itself (O_PATH), is ELOOP, and the VFS walks instead.
     */
    @Override
    public HostFile openIfPlain(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        if (!backend.constants().isLinux() || noOpenat2) {
            return null;
        }
        Pointer how = openHowFor.get();
        how.putLong(0, Integer.toUnsignedLong(backend.constants().hostOpenFlags(linuxFlags | OpenFlags.O_CLOEXEC)));
        boolean creates = (linuxFlags & OpenFlags.O_CREAT) != 0
                || (linuxFlags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE;
        // openat2 refuses a mode unless the open may create a file.
        how.putLong(8, creates ? mode & PERMISSION_BITS : 0);
        long fd = openPlain(path, how);
        if (fd < 0) {
            if (noOpenat2 || fd == -LINUX_ELOOP) {
                return null;
            }
            throw new ErrnoException(backend.constants().linuxErrno((int) -fd));
        }
        return new PosixFile(backend, (int) fd, true);
    }

    /** open_how for {@link #openIfPlain}: flags and mode set per call, RESOLVE_NO_SYMLINKS always. */
    private final ThreadLocal<Pointer> openHowFor = ThreadLocal.withInitial(() -> {
        Pointer how = Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 24);
        how.putLong(16, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        return how;
    });

    /**
     * {@code int stat(const char *path, struct stat *buf);} or
     * {@code int lstat(const char *path, struct stat *buf);}
     */
    @Override
    public HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        HostStat st = backend.statx(LINUX_AT_FDCWD, path.toCString(), followLinks ? 0 : LINUX_AT_SYMLINK_NOFOLLOW);
        if (st != null) {
            return st;
        }
        FileStat fs = backend.posix().allocateStat();
        int r = followLinks ? backend.posix().stat(path.utf8(), fs) : backend.posix().lstat(path.utf8(), fs);
        if (r < 0) {
            throw backend.posixError();
        }
        return backend.hostStat(fs);
    }

    /** openat2(2) on x86-64 Linux, and its RESOLVE_NO_SYMLINKS / RESOLVE_NO_MAGICLINKS and O_PATH bits. */
    private static final long SYS_OPENAT2 = 437;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long LINUX_O_PATH = 010000000;
    private static final long LINUX_O_CLOEXEC = 02000000;
    private static final int LINUX_AT_FDCWD = -100;
    /** struct open_how {u64 flags; u64 mode; u64 resolve;}, one per thread. */
    private final ThreadLocal<Pointer> openHow = ThreadLocal.withInitial(() -> {
        Pointer how = Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 24);
        how.putLong(0, LINUX_O_PATH | LINUX_O_CLOEXEC);
        how.putLong(8, 0);
        how.putLong(16, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        return how;
    });
    /** Set when the kernel has no openat2 (before 5.6) or refuses it: stop asking. */
    private volatile boolean noOpenat2;

    @Override
    public boolean isPlainPath(ByteString path) {
        if (!backend.constants().isLinux() || noOpenat2) {
            return false;
        }
        long fd = openPlain(path, openHow.get());
        if (fd < 0) {
            return false;
        }
        backend.libc().close((int) fd);
        return true;
    }

    /**
     * openat2 of {@code path} with {@code how} (O_PATH, RESOLVE_NO_SYMLINKS): the descriptor, or
     * minus the host's errno. ENOSYS or a seccomp filter's EPERM turns openat2 off for good.
     */
    private long openPlain(ByteString path, Pointer how) {
        long fd = backend.libc().syscall(SYS_OPENAT2, LINUX_AT_FDCWD, path.toCString(), how, 24);
        if (fd >= 0) {
            return fd;
        }
        int err = backend.runtime().getLastError();
        if (err == 38 /* ENOSYS */ || err == 1 /* EPERM */) {
            noOpenat2 = true;
        }
        return -err;
    }

    /** open_how for {@link #lstatIfPlain}: an O_PATH descriptor of the last component itself, link or not. */
    private final ThreadLocal<Pointer> openHowNofollow = ThreadLocal.withInitial(() -> {
        Pointer how = Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 24);
        how.putLong(0, LINUX_O_PATH | LINUX_O_CLOEXEC | LINUX_O_NOFOLLOW);
        how.putLong(8, 0);
        how.putLong(16, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        return how;
    });
    private static final long LINUX_O_NOFOLLOW = 0400000;
    static final int LINUX_AT_EMPTY_PATH = 0x1000;
    /** "" as a C string, for AT_EMPTY_PATH. */
    static final byte[] EMPTY_PATH = {0};
    static final int LINUX_AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int LINUX_ELOOP = 40;

    /**
     * openat2 with RESOLVE_NO_SYMLINKS and O_PATH|O_NOFOLLOW, which yields the last component even
     * when it is a link, then statx(AT_EMPTY_PATH) on that descriptor: one path walk by the host,
     * where isPlainPath and then lstat would take two.
     */
    @Override
    public HostStat lstatIfPlain(ByteString path) throws ErrnoException {
        if (!backend.hasStatx() || noOpenat2) {
            return null;
        }
        long fd = openPlain(path, openHowNofollow.get());
        if (fd < 0) {
            if (noOpenat2 || fd == -LINUX_ELOOP) {
                return null;
            }
            throw new ErrnoException(backend.constants().linuxErrno((int) -fd));
        }
        try {
            return backend.statx((int) fd, EMPTY_PATH, LINUX_AT_EMPTY_PATH | LINUX_AT_SYMLINK_NOFOLLOW);
        } finally {
            backend.libc().close((int) fd);
        }
    }

    @Override
    public long getxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value)
            throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        Pointer p = backend.pointer(value);
        return backend.checked(followLinks ? c.getxattr(path.toCString(), name.toCString(), p, value.byteSize())
                : c.lgetxattr(path.toCString(), name.toCString(), p, value.byteSize()));
    }

    @Override
    public long listxattr(ByteString path, boolean followLinks, MemorySegment list) throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        Pointer p = backend.pointer(list);
        byte[] cpath = path.toCString();
        return backend.checked(followLinks ? c.listxattr(cpath, p, list.byteSize()) : c.llistxattr(cpath, p,
                list.byteSize()));
    }

    @Override
    public void setxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value, int flags)
            throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        Pointer p = backend.pointer(value);
        backend.checked(followLinks ? c.setxattr(path.toCString(), name.toCString(), p, value.byteSize(), flags)
                : c.lsetxattr(path.toCString(), name.toCString(), p, value.byteSize(), flags));
    }

    @Override
    public void removexattr(ByteString path, boolean followLinks, ByteString name) throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        backend.checked(followLinks ? c.removexattr(path.toCString(), name.toCString())
                : c.lremovexattr(path.toCString(), name.toCString()));
    }

    /** {@code ssize_t readlink(const char *path, char *buf, size_t bufsiz);} */
    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        Pointer buf = Memory.allocate(backend.runtime(), PATH_MAX);
        int n = (int) backend.checked(backend.libc().readlink(path.toCString(), buf, PATH_MAX));
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return out;
    }

    /** {@code int access(const char *path, int mode);} */
    @Override
    public void access(ByteString path, int linuxMode) throws ErrnoException {
        backend.checked(backend.libc().access(path.toCString(), backend.constants().hostAccessMode(linuxMode)));
    }

    /** opendir(3), readdir(3), closedir(3): see {@link LibC}. */
    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        LibC libc = backend.libc();
        Pointer dir = libc.opendir(path.toCString());
        if (dir == null) {
            throw backend.lastError();
        }
        List<HostDirEntry> entries = new ArrayList<>();
        try {
            while (true) {
                backend.runtime().setLastError(0);
                Pointer d = libc.readdir(dir);
                if (d == null) {
                    if (backend.runtime().getLastError() != 0) {
                        throw backend.lastError();
                    }
                    return entries;
                }
                byte[] name = cString(d, backend.constants().direntNameOffset());
                if (isDotOrDotDot(name)) {
                    continue;
                }
                int type = backend.constants().linuxTypeOfDirent(d.getByte(backend.constants().direntTypeOffset()));
                if (type < 0) {
                    // DT_UNKNOWN: the file system does not say; ask lstat, as readdir(3) users must.
                    type = stat(path.child(ByteString.of(name)), false).mode() & FileMode.S_IFMT;
                }
                entries.add(new HostDirEntry(name, d.getLong(0), type));
            }
        } finally {
            libc.closedir(dir);
        }
    }

    /** The NUL-terminated bytes at {@code offset} of {@code p}, as they are (d_name is at most 255 bytes). */
    private static byte[] cString(Pointer p, long offset) {
        int n = (int) p.indexOf(offset, (byte) 0, 256);
        byte[] out = new byte[Math.max(n, 0)];
        p.get(offset, out, 0, out.length);
        return out;
    }

    private static boolean isDotOrDotDot(byte[] name) {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }

    /** {@code int mkdir(const char *path, mode_t mode);} */
    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        backend.checked(backend.libc().mkdir(path.toCString(), mode & PERMISSION_BITS));
    }

    /**
     * {@code int rename(const char *old, const char *new);} or, with flags, Linux's
     * {@code renameat2} or macOS's {@code renamex_np} (see {@link LibC}).
     */
    @Override
    public void rename(ByteString from, ByteString to, int linuxFlags) throws ErrnoException {
        if (linuxFlags == 0) {
            backend.checked(backend.libc().rename(from.toCString(), to.toCString()));
            return;
        }
        int hostFlags = backend.constants().hostRenameFlags(linuxFlags);
        int r;
        if (backend.constants().isLinux()) {
            int cwd = backend.constants().atFdcwd();
            r = backend.libc().renameat2(cwd, from.toCString(), cwd, to.toCString(), hostFlags);
        } else {
            r = backend.libc().renamex_np(from.toCString(), to.toCString(), hostFlags);
        }
        if (r < 0) {
            throw backend.lastError();
        }
    }

    /** {@code int link(const char *existing, const char *new);} */
    @Override
    public void link(ByteString existing, ByteString newPath) throws ErrnoException {
        backend.checked(backend.libc().link(existing.toCString(), newPath.toCString()));
    }

    /** {@code int symlink(const char *target, const char *linkpath);} */
    @Override
    public void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        byte[] ctarget = java.util.Arrays.copyOf(target, target.length + 1);
        backend.checked(backend.libc().symlink(ctarget, linkPath.toCString()));
    }

    /** {@code int chmod(const char *path, mode_t mode);} */
    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        backend.checked(backend.libc().chmod(path.toCString(), mode & PERMISSION_BITS));
    }

    /** {@code int lchown(const char *path, uid_t owner, gid_t group);} */
    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        backend.checked(backend.libc().lchown(path.toCString(), uid, gid));
    }

    /** utimensat with AT_SYMLINK_NOFOLLOW (see {@link LibC}). */
    @Override
    public void utimens(ByteString path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        Pointer times = backend.timespecPair(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
        HostConstants c = backend.constants();
        if (backend.libc().utimensat(c.atFdcwd(), path.toCString(), times, c.atSymlinkNofollow()) < 0) {
            throw backend.lastError();
        }
    }

    /** {@code int truncate(const char *path, off_t length);} */
    @Override
    public void truncate(ByteString path, long length) throws ErrnoException {
        backend.checked(backend.libc().truncate(path.toCString(), length));
    }

    /** {@code int mkfifo(const char *path, mode_t mode);} */
    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        backend.checked(backend.libc().mkfifo(path.toCString(), mode & PERMISSION_BITS));
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        byte[] cpath = path.toCString();
        return backend.statfs(buf -> backend.libc().statfs(cpath, buf));
    }

    @Override
    public void syncAll() {
        backend.libc().sync();
    }

    /** {@code int unlink(const char *path);} */
    @Override
    public void unlink(ByteString path) throws ErrnoException {
        backend.checked(backend.libc().unlink(path.toCString()));
    }

    /** {@code int rmdir(const char *path);} */
    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        backend.checked(backend.libc().rmdir(path.toCString()));
    }

    /** Fds 0, 1 and 2 belong to the JVM: the wrapper never closes them. */
    @Override
    public HostFile standardStream(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("not a standard stream: " + fd);
        }
        return new PosixFile(backend, fd, false);
    }
}
