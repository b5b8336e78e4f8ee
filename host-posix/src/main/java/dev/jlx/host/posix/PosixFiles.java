package dev.jlx.host.posix;

import dev.jlx.core.ErrnoException;
import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.posix.FileStat;
import jnr.posix.NanosecondFileStat;

/** Path operations on the POSIX host. */
final class PosixFiles implements HostFiles {
    private static final int PATH_MAX = 4096;

    private final PosixBackend backend;

    PosixFiles(PosixBackend backend) {
        this.backend = backend;
    }

    @Override
    public HostFile open(String path, int linuxFlags, int mode) throws ErrnoException {
        int fd = backend.posix().open(path, backend.constants().hostOpenFlags(linuxFlags), mode);
        if (fd < 0) {
            throw backend.posixError();
        }
        return new PosixFile(backend, fd, true);
    }

    @Override
    public HostStat stat(String path, boolean followLinks) throws ErrnoException {
        FileStat st = backend.posix().allocateStat();
        int r = followLinks ? backend.posix().stat(path, st) : backend.posix().lstat(path, st);
        if (r < 0) {
            throw backend.posixError();
        }
        return toHostStat(st);
    }

    static HostStat toHostStat(FileStat st) {
        long an = 0;
        long mn = 0;
        long cn = 0;
        if (st instanceof NanosecondFileStat ns) {
            an = ns.aTimeNanoSecs();
            mn = ns.mTimeNanoSecs();
            cn = ns.cTimeNanoSecs();
        }
        // S_IF* type bits are the traditional values on every POSIX host jnr-posix supports.
        return new HostStat(st.dev(), st.ino(), st.mode(), st.nlink(), st.uid(), st.gid(), st.rdev(), st.st_size(),
                st.blockSize(), st.blocks(), st.atime(), an, st.mtime(), mn, st.ctime(), cn);
    }

    @Override
    public byte[] readlink(String path) throws ErrnoException {
        Pointer buf = Memory.allocate(backend.runtime(), PATH_MAX);
        int n = backend.posix().readlink(path, buf, PATH_MAX);
        if (n < 0) {
            throw backend.posixError();
        }
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        return out;
    }

    @Override
    public void access(String path, int linuxMode) throws ErrnoException {
        // F_OK, R_OK, W_OK and X_OK are 0, 4, 2, 1 on every POSIX host.
        if (backend.posix().access(path, linuxMode) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public List<HostDirEntry> list(String path) throws ErrnoException {
        LibC libc = backend.libc();
        Pointer dir = libc.opendir(path);
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

    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        if (backend.posix().mkdir(path, mode) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void rename(String from, String to, int linuxFlags) throws ErrnoException {
        int r;
        if (linuxFlags == 0) {
            r = backend.posix().rename(from, to);
            if (r < 0) {
                throw backend.posixError();
            }
            return;
        }
        if (!backend.constants().isLinux()) {
            // macOS has renamex_np with other flag values; until it is bound, flags are refused.
            throw new ErrnoException(Errno.EINVAL);
        }
        int cwd = backend.constants().atFdcwd();
        if (backend.libc().renameat2(cwd, from, cwd, to, linuxFlags) < 0) {
            throw backend.lastError();
        }
    }

    @Override
    public void link(String existing, String newPath) throws ErrnoException {
        if (backend.posix().link(existing, newPath) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void symlink(byte[] target, String linkPath) throws ErrnoException {
        if (backend.posix().symlink(new String(target, java.nio.charset.StandardCharsets.UTF_8), linkPath) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void chmod(String path, int mode) throws ErrnoException {
        if (backend.posix().chmod(path, mode) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void chown(String path, int uid, int gid) throws ErrnoException {
        if (backend.posix().lchown(path, uid, gid) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void utimens(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        Pointer times = backend.timespecPair(atimeSec, atimeNsec, mtimeSec, mtimeNsec);
        HostConstants c = backend.constants();
        if (backend.libc().utimensat(c.atFdcwd(), path, times, c.atSymlinkNofollow()) < 0) {
            throw backend.lastError();
        }
    }

    @Override
    public void truncate(String path, long length) throws ErrnoException {
        if (backend.posix().truncate(path, length) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        if (backend.posix().mkfifo(path, mode) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void syncAll() {
        backend.libc().sync();
    }

    @Override
    public void unlink(String path) throws ErrnoException {
        if (backend.posix().unlink(path) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public void rmdir(String path) throws ErrnoException {
        if (backend.posix().rmdir(path) < 0) {
            throw backend.posixError();
        }
    }

    @Override
    public HostFile standardStream(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("not a standard stream: " + fd);
        }
        return new PosixFile(backend, fd, false);
    }
}
