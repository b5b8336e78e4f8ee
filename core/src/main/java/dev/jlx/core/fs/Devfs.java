package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * devfs: the device nodes every Linux program may expect in /dev, served by jlx for guest roots that
 * are not the host's own /: null, zero, full, random, urandom, tty and ptmx (which the VFS opens as
 * the caller's controlling terminal and a new pty: {@link Vfs}'s openDevice; tty here is the host's
 * /dev/tty, jlx's own terminal), the stdin/stdout/stderr/fd symlinks, and the shm and pts directories. The set is fixed; creating or
 * removing names here is EPERM.
 */
public final class Devfs implements FileSystem {
    /** DEVTMPFS_MAGIC shares TMPFS_MAGIC on Linux: devtmpfs is a tmpfs. */
    private static final int PAGE = 4096;

    private enum Device {
        NULL(1, 3), ZERO(1, 5), FULL(1, 7), RANDOM(1, 8), URANDOM(1, 9), TTY(5, 0), PTMX(5, 2),
        /** A misc device of a dynamic minor (257 on Debian's 6.x kernels), root's only (0600); the VFS opens it. */
        USERFAULTFD(10, 257);

        final int major;
        final int minor;

        Device(int major, int minor) {
            this.major = major;
            this.minor = minor;
        }

        /** new_encode_dev of include/linux/kdev_t.h. */
        long rdev() {
            return (minor & 0xff) | ((long) major << 8) | ((long) (minor & ~0xff) << 12);
        }
    }

    private static final Map<String, Object> ENTRIES = new LinkedHashMap<>();

    static {
        ENTRIES.put("null", Device.NULL);
        ENTRIES.put("zero", Device.ZERO);
        ENTRIES.put("full", Device.FULL);
        ENTRIES.put("random", Device.RANDOM);
        ENTRIES.put("urandom", Device.URANDOM);
        ENTRIES.put("tty", Device.TTY);
        ENTRIES.put("ptmx", Device.PTMX);
        ENTRIES.put("userfaultfd", Device.USERFAULTFD);
        ENTRIES.put("fd", "/proc/self/fd");
        ENTRIES.put("stdin", "/proc/self/fd/0");
        ENTRIES.put("stdout", "/proc/self/fd/1");
        ENTRIES.put("stderr", "/proc/self/fd/2");
        ENTRIES.put("shm", Boolean.TRUE);
        ENTRIES.put("pts", Boolean.TRUE);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostFiles host;
    private final HostConsole console;
    private final long dev;
    private final long created = Instant.now().getEpochSecond();

    /** {@code host} serves /dev/tty: the controlling terminal is the host's. */
    public Devfs(HostFiles host, HostConsole console) {
        this.host = host;
        this.console = console;
        this.dev = AnonymousDevices.next();
    }

    private Object entry(ByteString path) throws ErrnoException {
        if (path.equals(ByteString.ROOT)) {
            return Boolean.TRUE;
        }
        // The names are jlx's own text; one that is not UTF-8 matches none of them.
        String name = path.utf8().substring(1);
        if (name.contains("/")) {
            // Only shm and pts are directories, and they are empty (shm is mounted over by a tmpfs).
            throw new ErrnoException(ENTRIES.get(name.substring(0, name.indexOf('/'))) == Boolean.TRUE
                    ? Errno.ENOENT : Errno.ENOTDIR);
        }
        Object e = ENTRIES.get(name);
        if (e == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        return e;
    }

    private long ino(Object entry) {
        int i = 2;
        for (Object e : ENTRIES.values()) {
            if (e == entry) {
                return i;
            }
            i++;
        }
        return 1;
    }

    @Override
    public HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        Object e = entry(path);
        long ino = path.equals(ByteString.ROOT) ? 1 : ino(e);
        // Linux's devtmpfs is a tmpfs: the same statx attributes.
        HostStat st = switch (e) {
            case Device d -> new HostStat(dev, ino, FileMode.S_IFCHR | (d == Device.USERFAULTFD ? 0600 : 0666), 1, 0, d == Device.TTY || d == Device.PTMX ? 5 : 0, d.rdev(), 0,
                    PAGE, 0, created, 0, created, 0, created, 0);
            case String target -> new HostStat(dev, ino, FileMode.S_IFLNK | 0777, 1, 0, 0, 0, target.length(), PAGE, 0,
                    created, 0, created, 0, created, 0);
            default -> new HostStat(dev, ino, FileMode.S_IFDIR | 0755, 2, 0, 0, 0, 40, PAGE, 0, created, 0, created, 0,
                    created, 0);
        };
        return st.withAttributes(0, Tmpfs.SHMEM_ATTRIBUTES);
    }

    @Override
    public FileOps open(ByteString path, int flags, int mode) throws ErrnoException {
        Object e = entry(path);
        if (e instanceof String) {
            throw new ErrnoException(Errno.ELOOP);
        }
        if (!(e instanceof Device d)) {
            if ((flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY) {
                throw new ErrnoException(Errno.EISDIR);
            }
            return new DeviceFile(null, path);
        }
        if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        if (d == Device.PTMX) {
            // The VFS opens a pty when a devpts is mounted (ptmx_open without one).
            throw new ErrnoException(Errno.ENODEV);
        }
        if (d == Device.TTY) {
            return new HostFileOps(host.open(ByteString.of("/dev/tty"), flags & ~(OpenFlags.O_CREAT | OpenFlags.O_TRUNC),
                    0), console);
        }
        return new DeviceFile(d, path);
    }

    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        if (!(entry(path) instanceof String target)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return target.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void access(ByteString path, int mode) throws ErrnoException {
        Object e = entry(path);
        if ((mode & Fcntl.X_OK) != 0 && e instanceof Device) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        if (!path.equals(ByteString.ROOT)) {
            if (entry(path) != Boolean.TRUE) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            return List.of();
        }
        List<HostDirEntry> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : ENTRIES.entrySet()) {
            int type = e.getValue() instanceof Device ? FileMode.S_IFCHR
                    : e.getValue() instanceof String ? FileMode.S_IFLNK : FileMode.S_IFDIR;
            out.add(new HostDirEntry(e.getKey().getBytes(StandardCharsets.UTF_8), ino(e.getValue()), type));
        }
        return out;
    }

    private static ErrnoException refused() {
        return new ErrnoException(Errno.EPERM);
    }

    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        try {
            entry(path);
        } catch (ErrnoException absent) {
            throw refused();
        }
        throw new ErrnoException(Errno.EEXIST);
    }

    @Override
    public void rename(ByteString from, ByteString to, int flags) throws ErrnoException {
        throw refused();
    }

    @Override
    public void link(ByteString existing, ByteString newPath) throws ErrnoException {
        throw refused();
    }

    @Override
    public void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        throw refused();
    }

    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        entry(path);
        throw refused();
    }

    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        entry(path);
        throw refused();
    }

    @Override
    public void utimens(ByteString path, long as, long an, long ms, long mn) throws ErrnoException {
        // Timestamps of device nodes do not matter to anyone; Linux lets root set them.
        entry(path);
    }

    @Override
    public void truncate(ByteString path, long length) throws ErrnoException {
        // truncate(2) of a character device does nothing on Linux.
        if (!(entry(path) instanceof Device)) {
            throw new ErrnoException(Errno.EISDIR);
        }
    }

    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        throw refused();
    }

    @Override
    public void unlink(ByteString path) throws ErrnoException {
        entry(path);
        throw refused();
    }

    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        entry(path);
        throw refused();
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        entry(path);
        return new HostStatfs(Statfs.TMPFS_MAGIC, PAGE, 0, 0, 0, ENTRIES.size() + 1, 0, dev, 255, PAGE,
                Statfs.ST_VALID);
    }

    @Override
    public void sync() {
        // Nothing is cached here.
    }

    /** An open device node (or a devfs directory, which only lists). */
    private final class DeviceFile extends SyntheticFile {
        private final Device device;
        private final ByteString path;

        DeviceFile(Device device, ByteString path) {
            this.device = device;
            this.path = path;
        }

        @Override
        public int read(MemorySegment dst) throws ErrnoException {
            return pread(dst, 0);
        }

        @Override
        public int write(MemorySegment src) throws ErrnoException {
            return pwrite(src, 0);
        }

        @Override
        public int pread(MemorySegment dst, long offset) throws ErrnoException {
            if (device == null) {
                throw new ErrnoException(Errno.EISDIR);
            }
            switch (device) {
                case NULL -> {
                    return 0;
                }
                case ZERO, FULL -> {
                    dst.fill((byte) 0);
                    return (int) dst.byteSize();
                }
                default -> {
                    byte[] bytes = new byte[(int) Math.min(dst.byteSize(), 1 << 20)];
                    RANDOM.nextBytes(bytes);
                    MemorySegment.copy(bytes, 0, dst, JAVA_BYTE, 0, bytes.length);
                    return bytes.length;
                }
            }
        }

        @Override
        public int pwrite(MemorySegment src, long offset) throws ErrnoException {
            if (device == null) {
                throw new ErrnoException(Errno.EISDIR);
            }
            if (device == Device.FULL) {
                throw new ErrnoException(Errno.ENOSPC);
            }
            // null and zero discard; random and urandom take the bytes as entropy, which jlx does not need.
            return (int) src.byteSize();
        }

        @Override
        public long seek(long offset, int whence) {
            // Character devices accept any seek and stay at 0, as Linux's null and zero do.
            return 0;
        }

        @Override
        public HostStat stat() throws ErrnoException {
            return Devfs.this.stat(path, false);
        }

        @Override
        public void allocate(int mode, long offset, long length) throws ErrnoException {
            throw new ErrnoException(Errno.ENODEV);
        }

        @Override
        public int bytesReadable() throws ErrnoException {
            // Linux's memory devices have no FIONREAD.
            throw new ErrnoException(Errno.ENOTTY);
        }

        @Override
        public HostStatfs statfs() throws ErrnoException {
            return Devfs.this.statfs(path);
        }

        @Override
        public void utimens(long as, long an, long ms, long mn) {
            // See Devfs.utimens.
        }
    }
}
