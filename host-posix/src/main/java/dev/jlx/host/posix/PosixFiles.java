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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Path operations on the POSIX host. Paths reach libc as the guest's bytes ({@link LibC} takes C
 * strings as {@code byte[]}); only the jnr-posix fallback for a glibc without stat symbols (before
 * 2.33) passes them as UTF-8 strings. The Linux-only shortcuts (openat2, statx, /proc) are taken
 * only when the backend has {@link PosixBackend#linuxOnly()}.
 */
final class PosixFiles implements HostFiles {
    private static final int PATH_MAX = 4096;
    /** Permission bits are the same on every POSIX host; only they are passed on. */
    private static final int PERMISSION_BITS = 07777;

    private final PosixBackend backend;
    /**
     * The JVM's umask, which the host applies to every file jlx creates. Core has already applied the
     * guest's own umask to a mode, so the bits this one takes away again are given back after the
     * creation: the JVM's umask is never changed, as many guests with their own umasks share the JVM.
     */
    private final int hostUmask;

    PosixFiles(PosixBackend backend) {
        this.backend = backend;
        this.hostUmask = hostUmask(backend);
    }

    /**
     * The process's umask: read from /proc/self/status by the {@code posix} profile on Linux,
     * elsewhere set and set back once, when the backend is made (before any guest runs).
     */
    private static int hostUmask(PosixBackend backend) {
        if (backend.linuxOnly() != null) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                    if (line.startsWith("Umask:")) {
                        return Integer.parseInt(line.substring(6).strip(), 8) & 0777;
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                // No /proc, or a kernel before 4.7: ask umask(2) below.
            }
        }
        int mask = backend.libc().umask(022);
        backend.libc().umask(mask);
        return mask & 0777;
    }

    /**
     * A host path short enough for the host (under PATH_MAX), standing for a resolved path that may be
     * longer: Linux limits the strings a call is given, not how deep a file lies, so a guest whose
     * working directory is deeper than PATH_MAX names files whose host paths are longer. Such a path's
     * directories are opened in chunks (O_PATH, each chunk's last component not followed), each chunk
     * named through the previous one's /proc/self/fd link, and the path given to the host names the
     * rest through the last one; close() closes that descriptor. Other hosts have no such links (and
     * the {@code portable} profile does not use them): a path that long is ENAMETOOLONG there.
     */
    private record HostPath(ByteString path, int fd, LibC libc) implements AutoCloseable {
        /** The path as a C string, for {@link LibC}. */
        byte[] c() {
            return path.toCString();
        }

        @Override
        public void close() {
            if (fd >= 0) {
                libc.close(fd);
            }
        }
    }

    private HostPath hostPath(ByteString path) throws ErrnoException {
        if (path.length() < PATH_MAX) {
            return new HostPath(path, -1, null);
        }
        if (backend.linuxOnly() == null) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        int hostFlags = backend.constants().hostOpenFlags(OpenFlags.O_PATH | OpenFlags.O_DIRECTORY
                | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        LibC libc = backend.libc();
        int fd = -1;
        ByteString rest = path;
        try {
            while (true) {
                ByteString prefix = fd < 0 ? ByteString.EMPTY : ByteString.of("/proc/self/fd/" + fd + "/");
                if (prefix.length() + rest.length() < PATH_MAX) {
                    return new HostPath(prefix.concat(rest), fd, libc);
                }
                int cut = -1;
                for (int i = rest.indexOf((byte) '/', 1); i > 0 && prefix.length() + i < PATH_MAX;
                        i = rest.indexOf((byte) '/', i + 1)) {
                    cut = i;
                }
                if (cut < 0) {
                    throw new ErrnoException(Errno.ENAMETOOLONG);
                }
                int dir = libc.open(prefix.concat(rest.substring(0, cut)).toCString(), hostFlags, 0);
                if (dir < 0) {
                    throw backend.lastError();
                }
                if (fd >= 0) {
                    libc.close(fd);
                }
                fd = dir;
                rest = rest.substring(cut + 1);
            }
        } catch (ErrnoException e) {
            if (fd >= 0) {
                libc.close(fd);
            }
            throw e;
        }
    }

    /**
     * {@code int open(const char *path, int flags, mode_t mode);} The last component is never
     * followed (the VFS resolved it; a symlink swapped in since is ELOOP), and the host descriptor is
     * close-on-exec so host processes never inherit it (the guest's FD_CLOEXEC lives in core). A file
     * this open creates gets exactly {@code mode} (core applied the guest's umask; see {@link #hostUmask}).
     * O_PATH is Linux-only: without the Linux-only calls it opens a {@link PathOnlyFile}.
     */
    @Override
    public HostFile open(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        if ((linuxFlags & OpenFlags.O_PATH) != 0 && backend.linuxOnly() == null) {
            return PathOnlyFile.open(this, path, linuxFlags);
        }
        try (HostPath p = hostPath(path)) {
            return openExact(linuxFlags, mode, flags -> openHost(p, flags, mode & PERMISSION_BITS));
        }
    }

    private PosixFile openHost(HostPath path, int linuxFlags, int perm) throws ErrnoException {
        int hostFlags = backend.constants().hostOpenFlags(linuxFlags | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        int fd = backend.open(path.c(), hostFlags, perm);
        if (fd < 0) {
            throw backend.lastError();
        }
        return new PosixFile(backend, fd, true);
    }

    /** One host open with the given Linux flags; null where {@link #openIfPlain} leaves the path to the VFS. */
    @FunctionalInterface
    private interface Opener {
        PosixFile open(int linuxFlags) throws ErrnoException;
    }

    /**
     * Opens through {@code opener}, giving a file the open creates the permission bits the host's
     * umask took from {@code mode}; only a file this call creates gets them, so an O_CREAT without
     * O_EXCL asks the host with O_EXCL first.
     */
    private PosixFile openExact(int linuxFlags, int mode, Opener opener) throws ErrnoException {
        int cut = mode & PERMISSION_BITS & hostUmask;
        boolean tmpfile = (linuxFlags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE;
        // O_PATH ignores O_CREAT, as Linux does.
        boolean creates = tmpfile || (linuxFlags & (OpenFlags.O_CREAT | OpenFlags.O_PATH)) == OpenFlags.O_CREAT;
        if (cut == 0 || !creates) {
            return opener.open(linuxFlags);
        }
        if (tmpfile || (linuxFlags & OpenFlags.O_EXCL) != 0) {
            return restoreMode(opener.open(linuxFlags), cut);
        }
        while (true) {
            try {
                return restoreMode(opener.open(linuxFlags | OpenFlags.O_EXCL), cut);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
            }
            try {
                return notDirectory(opener.open(linuxFlags & ~OpenFlags.O_CREAT));
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                // Removed in between: create it after all.
            }
        }
    }

    /** An open with O_CREAT finds a directory EISDIR, whatever its access mode; the one without it did not. */
    private static PosixFile notDirectory(PosixFile f) throws ErrnoException {
        if (f != null && (f.stat().mode() & FileMode.S_IFMT) == FileMode.S_IFDIR) {
            f.close();
            throw new ErrnoException(Errno.EISDIR);
        }
        return f;
    }

    /** Gives a file just created (if any) the permission bits {@code cut} that the host's umask took from it. */
    private static PosixFile restoreMode(PosixFile f, int cut) throws ErrnoException {
        if (f == null) {
            return null;
        }
        try {
            f.chmod((f.stat().mode() & PERMISSION_BITS) | cut);
            return f;
        } catch (ErrnoException e) {
            f.close();
            throw e;
        }
    }

    /**
     * After mkdir or mkfifo: gives {@code path} the permission bits {@code cut} that the host's umask
     * took from it, unless something else has taken its place meanwhile.
     */
    private void restoreMode(ByteString path, int type, int cut) throws ErrnoException {
        HostStat st = stat(path, false);
        if ((st.mode() & FileMode.S_IFMT) == type) {
            chmod(path, (st.mode() & PERMISSION_BITS) | cut);
        }
    }

    /**
     * openat2 with the open's own flags and RESOLVE_NO_SYMLINKS: the host resolves the path once and
     * opens it in the same step. A link anywhere, the last component included unless O_NOFOLLOW
     * asks for the link itself (O_PATH), is ELOOP, and the VFS walks instead; so does a path too long
     * for the host. A file it creates gets exactly {@code mode}, as with {@link #open}.
     */
    @Override
    public HostFile openIfPlain(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        if (backend.linuxOnly() == null || noOpenat2 || path.length() >= PATH_MAX) {
            return null;
        }
        return openExact(linuxFlags, mode, flags -> openIfPlainOnce(path, flags, mode));
    }

    private PosixFile openIfPlainOnce(ByteString path, int linuxFlags, int mode) throws ErrnoException {
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
        try (HostPath p = hostPath(path)) {
            HostStat st = backend.statx(LINUX_AT_FDCWD, p.c(), followLinks ? 0 : LINUX_AT_SYMLINK_NOFOLLOW);
            return st != null ? st : backend.stat(p.path(), followLinks);
        }
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

    /**
     * Linux's calls do everything; the portable profile's lack statx (birth times), renameat2,
     * fallocate's other modes and /proc/self/fd (long paths); macOS has birth times and renamex_np's
     * exchange, but neither hole punching nor paths past its PATH_MAX.
     */
    @Override
    public Set<Capability> capabilities() {
        if (backend.linuxOnly() != null) {
            return EnumSet.allOf(Capability.class);
        }
        Set<Capability> c = EnumSet.of(Capability.DEVICE_NODES, Capability.XATTRS);
        if (backend.darwin() != null) {
            c.add(Capability.BIRTH_TIME);
            c.add(Capability.RENAME_NOREPLACE);
            c.add(Capability.RENAME_EXCHANGE);
        }
        return c;
    }

    @Override
    public boolean isPlainPath(ByteString path) {
        if (backend.linuxOnly() == null || noOpenat2 || path.length() >= PATH_MAX) {
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
        long fd = backend.linuxOnly().syscall(SYS_OPENAT2, LINUX_AT_FDCWD, path.toCString(), how, 24);
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
        if (!backend.hasStatx() || noOpenat2 || path.length() >= PATH_MAX) {
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

    /** getxattr(2)/lgetxattr(2), or macOS's getxattr with XATTR_NOFOLLOW for the latter. */
    @Override
    public long getxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value)
            throws ErrnoException {
        Pointer p = backend.pointer(value);
        try (HostPath h = hostPath(path)) {
            DarwinLibC d = backend.darwin();
            if (d != null) {
                return backend.checked(d.getxattr(h.c(), name.toCString(), p, value.byteSize(), 0, nofollow(followLinks)));
            }
            LibC c = backend.libc();
            return backend.checked(followLinks ? c.getxattr(h.c(), name.toCString(), p, value.byteSize())
                    : c.lgetxattr(h.c(), name.toCString(), p, value.byteSize()));
        }
    }

    /** macOS's options argument for an xattr call that follows a last-component link or not. */
    private static int nofollow(boolean followLinks) {
        return followLinks ? 0 : PosixBackend.DARWIN_XATTR_NOFOLLOW;
    }

    @Override
    public long listxattr(ByteString path, boolean followLinks, MemorySegment list) throws ErrnoException {
        Pointer p = backend.pointer(list);
        try (HostPath h = hostPath(path)) {
            DarwinLibC d = backend.darwin();
            if (d != null) {
                return backend.checked(d.listxattr(h.c(), p, list.byteSize(), nofollow(followLinks)));
            }
            LibC c = backend.libc();
            return backend.checked(followLinks ? c.listxattr(h.c(), p, list.byteSize())
                    : c.llistxattr(h.c(), p, list.byteSize()));
        }
    }

    @Override
    public void setxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value, int flags)
            throws ErrnoException {
        Pointer p = backend.pointer(value);
        try (HostPath h = hostPath(path)) {
            DarwinLibC d = backend.darwin();
            if (d != null) {
                backend.checked(d.setxattr(h.c(), name.toCString(), p, value.byteSize(), 0,
                        PosixBackend.darwinXattrFlags(flags) | nofollow(followLinks)));
                return;
            }
            LibC c = backend.libc();
            backend.checked(followLinks ? c.setxattr(h.c(), name.toCString(), p, value.byteSize(), flags)
                    : c.lsetxattr(h.c(), name.toCString(), p, value.byteSize(), flags));
        }
    }

    @Override
    public void removexattr(ByteString path, boolean followLinks, ByteString name) throws ErrnoException {
        try (HostPath h = hostPath(path)) {
            DarwinLibC d = backend.darwin();
            if (d != null) {
                backend.checked(d.removexattr(h.c(), name.toCString(), nofollow(followLinks)));
                return;
            }
            LibC c = backend.libc();
            backend.checked(followLinks ? c.removexattr(h.c(), name.toCString())
                    : c.lremovexattr(h.c(), name.toCString()));
        }
    }

    /** {@code ssize_t readlink(const char *path, char *buf, size_t bufsiz);} */
    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        Pointer buf = Memory.allocate(backend.runtime(), PATH_MAX);
        int n;
        try (HostPath p = hostPath(path)) {
            n = (int) backend.checked(backend.libc().readlink(p.c(), buf, PATH_MAX));
        }
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return out;
    }

    /** {@code int access(const char *path, int mode);} */
    @Override
    public void access(ByteString path, int linuxMode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().access(p.c(), backend.constants().hostAccessMode(linuxMode)));
        }
    }

    /** opendir(3), readdir(3), closedir(3): see {@link LibC}. */
    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        LibC libc = backend.libc();
        Pointer dir;
        try (HostPath p = hostPath(path)) {
            dir = libc.opendir(p.c());
            if (dir == null) {
                throw backend.lastError();
            }
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

    /** {@code int mkdir(const char *path, mode_t mode);} with exactly {@code mode}'s permissions, as open. */
    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().mkdir(p.c(), mode & PERMISSION_BITS));
        }
        if ((mode & hostUmask) != 0) {
            restoreMode(path, FileMode.S_IFDIR, mode & hostUmask);
        }
    }

    /**
     * {@code int rename(const char *old, const char *new);} or, with flags, Linux's
     * {@code renameat2} ({@code posix} profile) or macOS's {@code renamex_np}. Where neither is
     * available (the {@code portable} profile on Linux) no call keeps the flags' atomicity, so they
     * are EINVAL, as from a file system that cannot honour them; so is a macOS volume's ENOTSUP.
     */
    @Override
    public void rename(ByteString from, ByteString to, int linuxFlags) throws ErrnoException {
        try (HostPath f = hostPath(from); HostPath t = hostPath(to)) {
            if (linuxFlags == 0) {
                backend.checked(backend.libc().rename(f.c(), t.c()));
                return;
            }
            int hostFlags = backend.constants().hostRenameFlags(linuxFlags);
            if (backend.linuxOnly() != null) {
                int cwd = backend.constants().atFdcwd();
                backend.checked(backend.linuxOnly().renameat2(cwd, f.c(), cwd, t.c(), hostFlags));
            } else if (backend.darwin() != null) {
                if (backend.darwin().renamex_np(f.c(), t.c(), hostFlags) < 0) {
                    ErrnoException e = backend.lastError();
                    throw e.errno() == Errno.EOPNOTSUPP ? new ErrnoException(Errno.EINVAL) : e;
                }
            } else {
                throw new ErrnoException(Errno.EINVAL, "rename flags without renameat2 or renamex_np");
            }
        }
    }

    /** {@code int link(const char *existing, const char *new);} */
    @Override
    public void link(ByteString existing, ByteString newPath) throws ErrnoException {
        try (HostPath e = hostPath(existing); HostPath n = hostPath(newPath)) {
            backend.checked(backend.libc().link(e.c(), n.c()));
        }
    }

    /** {@code int symlink(const char *target, const char *linkpath);} */
    @Override
    public void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        byte[] ctarget = java.util.Arrays.copyOf(target, target.length + 1);
        try (HostPath p = hostPath(linkPath)) {
            backend.checked(backend.libc().symlink(ctarget, p.c()));
        }
    }

    /** {@code int chmod(const char *path, mode_t mode);} */
    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().chmod(p.c(), mode & PERMISSION_BITS));
        }
    }

    /** {@code int lchown(const char *path, uid_t owner, gid_t group);} */
    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().lchown(p.c(), uid, gid));
        }
    }

    /** utimensat with AT_SYMLINK_NOFOLLOW (see {@link LibC}). */
    @Override
    public void utimens(ByteString path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        Pointer times = backend.timespecPair(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
        HostConstants c = backend.constants();
        try (HostPath p = hostPath(path)) {
            if (backend.libc().utimensat(c.atFdcwd(), p.c(), times, c.atSymlinkNofollow()) < 0) {
                throw backend.lastError();
            }
        }
    }

    /** {@code int truncate(const char *path, off_t length);} */
    @Override
    public void truncate(ByteString path, long length) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().truncate(p.c(), length));
        }
    }

    /** {@code int mkfifo(const char *path, mode_t mode);} with exactly {@code mode}'s permissions, as open. */
    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().mkfifo(p.c(), mode & PERMISSION_BITS));
        }
        if ((mode & hostUmask) != 0) {
            restoreMode(path, FileMode.S_IFIFO, mode & hostUmask);
        }
    }

    /**
     * {@code int mknod(const char *path, mode_t mode, dev_t dev);} with S_IFSOCK, which Linux lets any
     * user make; elsewhere (macOS keeps mknod for root) the SPI's default binds a host socket there.
     */
    @Override
    public void mksock(ByteString path, int mode) throws ErrnoException {
        LinuxOnly linux = backend.linuxOnly();
        if (linux == null) {
            HostFiles.super.mksock(path, mode);
            return;
        }
        try (HostPath p = hostPath(path)) {
            backend.checked(linux.mknod(p.c(), FileMode.S_IFSOCK | (mode & PERMISSION_BITS), 0));
        }
        if ((mode & hostUmask) != 0) {
            restoreMode(path, FileMode.S_IFSOCK, mode & hostUmask);
        }
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            byte[] cpath = p.c();
            return backend.statfs(buf -> backend.libc().statfs(cpath, buf));
        }
    }

    @Override
    public void syncAll() {
        backend.libc().sync();
    }

    /** {@code int unlink(const char *path);} */
    @Override
    public void unlink(ByteString path) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().unlink(p.c()));
        }
    }

    /** {@code int rmdir(const char *path);} */
    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            backend.checked(backend.libc().rmdir(p.c()));
        }
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
