package dev.jlx.host.posix;

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

/** Path operations on the POSIX host. */
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
     * The process's umask: read from /proc/self/status on Linux, elsewhere set and set back once, when
     * the backend is made (before any guest runs).
     */
    private static int hostUmask(PosixBackend backend) {
        if (backend.constants().isLinux()) {
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
        int mask = backend.posix().umask(022);
        backend.posix().umask(mask);
        return mask & 0777;
    }

    /**
     * A host path short enough for the host (under PATH_MAX), standing for a resolved path that may be
     * longer: Linux limits the strings a call is given, not how deep a file lies, so a guest whose
     * working directory is deeper than PATH_MAX names files whose host paths are longer. Such a path's
     * directories are opened in chunks (O_PATH, each chunk's last component not followed), each chunk
     * named through the previous one's /proc/self/fd link, and the path given to the host names the
     * rest through the last one; close() closes that descriptor. Other hosts have no such links: a
     * path that long is ENAMETOOLONG there.
     */
    private record HostPath(String path, int fd, LibC libc) implements AutoCloseable {
        @Override
        public void close() {
            if (fd >= 0) {
                libc.close(fd);
            }
        }
    }

    private HostPath hostPath(String path) throws ErrnoException {
        if (path.length() < PATH_MAX / 3 || utf8Length(path) < PATH_MAX) {
            return new HostPath(path, -1, null);
        }
        if (!backend.constants().isLinux()) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        int hostFlags = backend.constants().hostOpenFlags(OpenFlags.O_PATH | OpenFlags.O_DIRECTORY
                | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        int fd = -1;
        String rest = path;
        try {
            while (true) {
                String prefix = fd < 0 ? "" : "/proc/self/fd/" + fd + "/";
                if (utf8Length(prefix) + utf8Length(rest) < PATH_MAX) {
                    return new HostPath(prefix + rest, fd, backend.libc());
                }
                int cut = -1;
                for (int i = rest.indexOf('/', 1); i > 0 && utf8Length(prefix) + utf8Length(rest.substring(0, i)) < PATH_MAX;
                        i = rest.indexOf('/', i + 1)) {
                    cut = i;
                }
                if (cut < 0) {
                    throw new ErrnoException(Errno.ENAMETOOLONG);
                }
                int dir = backend.posix().open(prefix + rest.substring(0, cut), hostFlags, 0);
                if (dir < 0) {
                    throw backend.posixError();
                }
                if (fd >= 0) {
                    backend.libc().close(fd);
                }
                fd = dir;
                rest = rest.substring(cut + 1);
            }
        } catch (ErrnoException e) {
            if (fd >= 0) {
                backend.libc().close(fd);
            }
            throw e;
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /**
     * {@code int open(const char *path, int flags, mode_t mode);} The last component is never
     * followed (the VFS resolved it; a symlink swapped in since is ELOOP), and the host descriptor is
     * close-on-exec so host processes never inherit it (the guest's FD_CLOEXEC lives in core). A file
     * this open creates gets exactly {@code mode} (core applied the guest's umask; see {@link #hostUmask}).
     */
    @Override
    public HostFile open(String path, int linuxFlags, int mode) throws ErrnoException {
        int perm = mode & PERMISSION_BITS;
        int cut = perm & hostUmask;
        boolean tmpfile = (linuxFlags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE;
        // O_PATH ignores O_CREAT, as Linux does.
        boolean creates = tmpfile || (linuxFlags & (OpenFlags.O_CREAT | OpenFlags.O_PATH)) == OpenFlags.O_CREAT;
        try (HostPath p = hostPath(path)) {
            if (cut == 0 || !creates) {
                return openHost(p.path(), linuxFlags, perm);
            }
            if (tmpfile || (linuxFlags & OpenFlags.O_EXCL) != 0) {
                return restoreMode(openHost(p.path(), linuxFlags, perm), cut);
            }
            // Only a file this call creates gets its mode back, so ask the host with O_EXCL first.
            while (true) {
                try {
                    return restoreMode(openHost(p.path(), linuxFlags | OpenFlags.O_EXCL, perm), cut);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw e;
                    }
                }
                try {
                    return openHost(p.path(), linuxFlags & ~OpenFlags.O_CREAT, perm);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.ENOENT) {
                        throw e;
                    }
                    // Removed in between: create it after all.
                }
            }
        }
    }

    private PosixFile openHost(String path, int linuxFlags, int perm) throws ErrnoException {
        int hostFlags = backend.constants().hostOpenFlags(linuxFlags | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        int fd = backend.posix().open(path, hostFlags, perm);
        if (fd < 0) {
            throw backend.posixError();
        }
        return new PosixFile(backend, fd, true);
    }

    /** Gives a file just created the permission bits {@code cut} that the host's umask took from it. */
    private static PosixFile restoreMode(PosixFile f, int cut) throws ErrnoException {
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
    private void restoreMode(String path, int type, int cut) throws ErrnoException {
        HostStat st = stat(path, false);
        if ((st.mode() & FileMode.S_IFMT) == type) {
            chmod(path, (st.mode() & PERMISSION_BITS) | cut);
        }
    }

    /**
     * {@code int stat(const char *path, struct stat *buf);} or
     * {@code int lstat(const char *path, struct stat *buf);}
     */
    @Override
    public HostStat stat(String path, boolean followLinks) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            HostStat st = backend.statx(LINUX_AT_FDCWD, p.path(), followLinks ? 0 : LINUX_AT_SYMLINK_NOFOLLOW);
            if (st != null) {
                return st;
            }
            FileStat fs = backend.posix().allocateStat();
            int r = followLinks ? backend.posix().stat(p.path(), fs) : backend.posix().lstat(p.path(), fs);
            if (r < 0) {
                throw backend.posixError();
            }
            return backend.hostStat(fs);
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

    @Override
    public boolean isPlainPath(String path) {
        if (!backend.constants().isLinux() || noOpenat2 || utf8Length(path) >= PATH_MAX) {
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
    private long openPlain(String path, Pointer how) {
        long fd = backend.libc().syscall(SYS_OPENAT2, LINUX_AT_FDCWD, path, how, 24);
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
    static final int LINUX_AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int LINUX_ELOOP = 40;

    /**
     * openat2 with RESOLVE_NO_SYMLINKS and O_PATH|O_NOFOLLOW, which yields the last component even
     * when it is a link, then statx(AT_EMPTY_PATH) on that descriptor: one path walk by the host,
     * where isPlainPath and then lstat would take two.
     */
    @Override
    public HostStat lstatIfPlain(String path) throws ErrnoException {
        if (!backend.hasStatx() || noOpenat2 || utf8Length(path) >= PATH_MAX) {
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
            return backend.statx((int) fd, "", LINUX_AT_EMPTY_PATH | LINUX_AT_SYMLINK_NOFOLLOW);
        } finally {
            backend.libc().close((int) fd);
        }
    }

    @Override
    public long getxattr(String path, boolean followLinks, String name, MemorySegment value) throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        Pointer p = backend.pointer(value);
        try (HostPath h = hostPath(path)) {
            return backend.checked(followLinks ? c.getxattr(h.path(), name, p, value.byteSize())
                    : c.lgetxattr(h.path(), name, p, value.byteSize()));
        }
    }

    @Override
    public long listxattr(String path, boolean followLinks, MemorySegment list) throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        Pointer p = backend.pointer(list);
        try (HostPath h = hostPath(path)) {
            return backend.checked(followLinks ? c.listxattr(h.path(), p, list.byteSize())
                    : c.llistxattr(h.path(), p, list.byteSize()));
        }
    }

    @Override
    public void setxattr(String path, boolean followLinks, String name, MemorySegment value, int flags)
            throws ErrnoException {
        backend.requireLinuxXattrs();
        LibC c = backend.libc();
        Pointer p = backend.pointer(value);
        try (HostPath h = hostPath(path)) {
            backend.checked(followLinks ? c.setxattr(h.path(), name, p, value.byteSize(), flags)
                    : c.lsetxattr(h.path(), name, p, value.byteSize(), flags));
        }
    }

    @Override
    public void removexattr(String path, boolean followLinks, String name) throws ErrnoException {
        backend.requireLinuxXattrs();
        try (HostPath h = hostPath(path)) {
            backend.checked(followLinks ? backend.libc().removexattr(h.path(), name)
                    : backend.libc().lremovexattr(h.path(), name));
        }
    }

    /** {@code ssize_t readlink(const char *path, char *buf, size_t bufsiz);} */
    @Override
    public byte[] readlink(String path) throws ErrnoException {
        Pointer buf = Memory.allocate(backend.runtime(), PATH_MAX);
        int n;
        try (HostPath p = hostPath(path)) {
            n = backend.posix().readlink(p.path(), buf, PATH_MAX);
            if (n < 0) {
                throw backend.posixError();
            }
        }
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return out;
    }

    /** {@code int access(const char *path, int mode);} */
    @Override
    public void access(String path, int linuxMode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().access(p.path(), backend.constants().hostAccessMode(linuxMode)) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** opendir(3), readdir(3), closedir(3): see {@link LibC}. */
    @Override
    public List<HostDirEntry> list(String path) throws ErrnoException {
        LibC libc = backend.libc();
        Pointer dir;
        try (HostPath p = hostPath(path)) {
            dir = libc.opendir(p.path());
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
                byte[] name = d.getString(backend.constants().direntNameOffset()).getBytes(
                        java.nio.charset.StandardCharsets.UTF_8);
                if (isDotOrDotDot(name)) {
                    continue;
                }
                int type = backend.constants().linuxTypeOfDirent(d.getByte(backend.constants().direntTypeOffset()));
                if (type < 0) {
                    // DT_UNKNOWN: the file system does not say; ask lstat, as readdir(3) users must.
                    type = stat(path + "/" + new String(name, java.nio.charset.StandardCharsets.UTF_8), false).mode()
                            & FileMode.S_IFMT;
                }
                entries.add(new HostDirEntry(name, d.getLong(0), type));
            }
        } finally {
            libc.closedir(dir);
        }
    }

    private static boolean isDotOrDotDot(byte[] name) {
        return (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.');
    }

    /** {@code int mkdir(const char *path, mode_t mode);} with exactly {@code mode}'s permissions, as open. */
    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().mkdir(p.path(), mode & PERMISSION_BITS) < 0) {
                throw backend.posixError();
            }
        }
        if ((mode & hostUmask) != 0) {
            restoreMode(path, FileMode.S_IFDIR, mode & hostUmask);
        }
    }

    /**
     * {@code int rename(const char *old, const char *new);} or, with flags, Linux's
     * {@code renameat2} or macOS's {@code renamex_np} (see {@link LibC}).
     */
    @Override
    public void rename(String from, String to, int linuxFlags) throws ErrnoException {
        try (HostPath f = hostPath(from); HostPath t = hostPath(to)) {
            if (linuxFlags == 0) {
                if (backend.posix().rename(f.path(), t.path()) < 0) {
                    throw backend.posixError();
                }
                return;
            }
            int hostFlags = backend.constants().hostRenameFlags(linuxFlags);
            int r;
            if (backend.constants().isLinux()) {
                int cwd = backend.constants().atFdcwd();
                r = backend.libc().renameat2(cwd, f.path(), cwd, t.path(), hostFlags);
            } else {
                r = backend.libc().renamex_np(f.path(), t.path(), hostFlags);
            }
            if (r < 0) {
                throw backend.lastError();
            }
        }
    }

    /** {@code int link(const char *existing, const char *new);} */
    @Override
    public void link(String existing, String newPath) throws ErrnoException {
        try (HostPath e = hostPath(existing); HostPath n = hostPath(newPath)) {
            if (backend.posix().link(e.path(), n.path()) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** {@code int symlink(const char *target, const char *linkpath);} */
    @Override
    public void symlink(byte[] target, String linkPath) throws ErrnoException {
        try (HostPath p = hostPath(linkPath)) {
            if (backend.posix().symlink(new String(target, java.nio.charset.StandardCharsets.UTF_8), p.path()) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** {@code int chmod(const char *path, mode_t mode);} */
    @Override
    public void chmod(String path, int mode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().chmod(p.path(), mode & PERMISSION_BITS) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** {@code int lchown(const char *path, uid_t owner, gid_t group);} */
    @Override
    public void chown(String path, int uid, int gid) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().lchown(p.path(), uid, gid) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** utimensat with AT_SYMLINK_NOFOLLOW (see {@link LibC}). */
    @Override
    public void utimens(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        Pointer times = backend.timespecPair(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
        HostConstants c = backend.constants();
        try (HostPath p = hostPath(path)) {
            if (backend.libc().utimensat(c.atFdcwd(), p.path(), times, c.atSymlinkNofollow()) < 0) {
                throw backend.lastError();
            }
        }
    }

    /** {@code int truncate(const char *path, off_t length);} */
    @Override
    public void truncate(String path, long length) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().truncate(p.path(), length) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** {@code int mkfifo(const char *path, mode_t mode);} with exactly {@code mode}'s permissions, as open. */
    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().mkfifo(p.path(), mode & PERMISSION_BITS) < 0) {
                throw backend.posixError();
            }
        }
        if ((mode & hostUmask) != 0) {
            restoreMode(path, FileMode.S_IFIFO, mode & hostUmask);
        }
    }

    @Override
    public HostStatfs statfs(String path) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            return backend.statfs(buf -> backend.libc().statfs(p.path(), buf));
        }
    }

    @Override
    public void syncAll() {
        backend.libc().sync();
    }

    /** {@code int unlink(const char *path);} */
    @Override
    public void unlink(String path) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().unlink(p.path()) < 0) {
                throw backend.posixError();
            }
        }
    }

    /** {@code int rmdir(const char *path);} */
    @Override
    public void rmdir(String path) throws ErrnoException {
        try (HostPath p = hostPath(path)) {
            if (backend.posix().rmdir(p.path()) < 0) {
                throw backend.posixError();
            }
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
