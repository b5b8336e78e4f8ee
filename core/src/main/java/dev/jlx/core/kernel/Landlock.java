package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.AnonInodeFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Landlock (security/landlock): rulesets, and the domains they become, one layer each, on a thread
 * (kept by clone and execve). An access a layer handles is allowed only when a rule of that layer on
 * the object or one of its parent directories grants it. Rules name directories and files by their
 * device and inode, as jlx identifies files for hard links; a path is checked by stat-ing each of
 * its ancestors up to the guest's root. The checks are the hooks the VFS and the syscalls call
 * (Linux's security_path_* and file_open), each a no-op for a thread without a domain.
 */
public final class Landlock {
    /** The ABI version and the errata bits Linux 6.18 reports (LANDLOCK_CREATE_RULESET_VERSION/ERRATA). */
    public static final int ABI = 7;
    public static final int ERRATA = 7;

    public static final long EXECUTE = 1;
    public static final long WRITE_FILE = 1 << 1;
    public static final long READ_FILE = 1 << 2;
    public static final long READ_DIR = 1 << 3;
    public static final long REMOVE_DIR = 1 << 4;
    public static final long REMOVE_FILE = 1 << 5;
    public static final long MAKE_CHAR = 1 << 6;
    public static final long MAKE_DIR = 1 << 7;
    public static final long MAKE_REG = 1 << 8;
    public static final long MAKE_SOCK = 1 << 9;
    public static final long MAKE_FIFO = 1 << 10;
    public static final long MAKE_BLOCK = 1 << 11;
    public static final long MAKE_SYM = 1 << 12;
    public static final long REFER = 1 << 13;
    public static final long TRUNCATE = 1 << 14;
    public static final long IOCTL_DEV = 1 << 15;
    public static final long FS_MASK = (1 << 16) - 1;
    /** The rights a rule on a file (not a directory) may grant. */
    public static final long FILE_ACCESS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV;
    public static final long BIND_TCP = 1;
    public static final long CONNECT_TCP = 2;
    public static final long NET_MASK = 3;
    public static final long SCOPE_MASK = 3;
    public static final int MAX_LAYERS = 16;

    private Landlock() {}

    /** A file's identity: its device and inode. */
    public record FileKey(long dev, long ino) {
        static FileKey of(HostStat st) {
            return new FileKey(st.dev(), st.ino());
        }
    }

    /** One layer of a domain: a ruleset as it was when the thread restricted itself. */
    public record Layer(long handledFs, long handledNet, long scoped, Map<FileKey, Long> fs, Map<Long, Long> ports) {
        long granted(List<FileKey> objects) {
            long granted = 0;
            for (FileKey k : objects) {
                granted |= fs.getOrDefault(k, 0L);
            }
            return granted;
        }
    }

    /** A thread's domain: its layers, oldest first. */
    public record Domain(List<Layer> layers) {
        public Domain with(Layer layer) {
            List<Layer> all = new ArrayList<>(layers);
            all.add(layer);
            return new Domain(List.copyOf(all));
        }

        boolean handlesFs() {
            return layers.stream().anyMatch(l -> l.handledFs() != 0);
        }
    }

    /** A ruleset's descriptor, anon_inode:[landlock-ruleset]: rules are added to it until it is used. */
    public static final class Ruleset extends OpenFile {
        private static final AtomicLong INODES = new AtomicLong(600_000);

        private final long inode = INODES.incrementAndGet();
        private final long handledFs;
        private final long handledNet;
        private final long scoped;
        private final int uid;
        private final int gid;
        private final Map<FileKey, Long> fs = new HashMap<>();
        private final Map<Long, Long> ports = new HashMap<>();

        public Ruleset(long handledFs, long handledNet, long scoped, int uid, int gid) {
            super(OpenFlags.O_RDWR);
            this.handledFs = handledFs;
            this.handledNet = handledNet;
            this.scoped = scoped;
            this.uid = uid;
            this.gid = gid;
        }

        public long handledFs() {
            return handledFs;
        }

        public long handledNet() {
            return handledNet;
        }

        public synchronized void allowPath(FileKey key, long access) {
            fs.merge(key, access, (a, b) -> a | b);
        }

        public synchronized void allowPort(long port, long access) {
            ports.merge(port, access, (a, b) -> a | b);
        }

        public synchronized Layer layer() {
            return new Layer(handledFs, handledNet, scoped, Map.copyOf(fs), Map.copyOf(ports));
        }

        /** An anonymous inode, as Linux's anon_inode:[landlock-ruleset]: mode 0600 with no file type. */
        @Override
        public HostStat stat() {
            return new HostStat(AnonInodeFile.ANON_INODE_DEV, inode, 0600, 1, uid, gid, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
        }

        @Override
        protected void release() {
            // Nothing to give back.
        }
    }

    /** The calling thread's domain if it restricts file system accesses, else null. */
    private static Domain fsDomain() {
        GuestThread t = Kernel.caller();
        Domain d = t == null ? null : t.landlock();
        return d != null && d.handlesFs() ? d : null;
    }

    /** The caller's view of the file system, where the ancestors of its paths are found. */
    private static Vfs vfs() {
        return Kernel.caller().process().vfs();
    }

    /** Whether the caller's file system accesses are checked at all (so that a fast path may be skipped). */
    public static boolean restrictsFiles() {
        return fsDomain() != null;
    }

    /**
     * file_open's check, before {@code r} is opened with {@code flags}: O_PATH is never checked; a
     * file O_CREAT makes needs MAKE_REG in its directory, and then the rights of its open as an
     * existing file would (reading a directory is READ_DIR; O_TRUNC of an existing file TRUNCATE).
     * Returns the rights the open file will lack for later calls (TRUNCATE for ftruncate, IOCTL_DEV
     * for a device's ioctl), which {@link #opened} keeps with it as Linux in the file's blob.
     */
    public static long checkOpen(Vfs.Resolved r, int flags, boolean exec) throws ErrnoException {
        Domain d = fsDomain();
        if (d == null || (flags & OpenFlags.O_PATH) != 0) {
            return 0;
        }
        HostStat st = lstat(r);
        boolean exists = st != null;
        if (exists && (flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
            return 0; // EEXIST is first
        }
        if (!exists && (flags & OpenFlags.O_CREAT) != 0) {
            check(d, ancestors(vfs(), r.guestPath(), false), MAKE_REG);
        }
        int mode = flags & OpenFlags.O_ACCMODE;
        long access = 0;
        if (mode != OpenFlags.O_WRONLY) {
            access = exists && (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR ? READ_DIR : READ_FILE;
        }
        if (access != READ_DIR) {
            if (mode != OpenFlags.O_RDONLY) {
                access |= WRITE_FILE;
            }
            if (exec) {
                access |= EXECUTE;
            }
            if (exists && (flags & OpenFlags.O_TRUNC) != 0) {
                access |= TRUNCATE;
            }
        }
        List<FileKey> objects = ancestors(vfs(), r.guestPath(), exists);
        check(d, objects, access);
        long denied = 0;
        for (Layer l : d.layers()) {
            denied |= l.handledFs() & (TRUNCATE | IOCTL_DEV) & ~l.granted(objects);
        }
        int type = exists ? st.mode() & FileMode.S_IFMT : 0;
        if (type != FileMode.S_IFCHR && type != FileMode.S_IFBLK) {
            denied &= ~IOCTL_DEV;
        }
        return denied;
    }

    /** The rights each file opened under a domain lacks, by {@link #checkOpen}; gone with the file. */
    private static final Map<OpenFile, Long> DENIED = Collections.synchronizedMap(new WeakHashMap<>());

    /** Keeps {@code denied} (from {@link #checkOpen}) with the file just opened. */
    public static OpenFile opened(OpenFile file, long denied) {
        if (denied != 0) {
            DENIED.put(file, denied);
        }
        return file;
    }

    /** ftruncate (hook_file_truncate): the TRUNCATE right the file had when it was opened. */
    public static void checkFtruncate(OpenFile file) throws ErrnoException {
        if ((DENIED.getOrDefault(file, 0L) & TRUNCATE) != 0) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    /**
     * ioctl of a device (hook_file_ioctl): the IOCTL_DEV right the file had when it was opened,
     * but for the commands the VFS serves itself (is_masked_device_ioctl).
     */
    public static void checkIoctl(OpenFile file, int request) throws ErrnoException {
        if ((DENIED.getOrDefault(file, 0L) & IOCTL_DEV) != 0 && !VFS_IOCTLS.contains(request)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    /**
     * FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIFREEZE, FITHAW, FS_IOC_FIEMAP, FIGETBSZ,
     * FICLONE, FICLONERANGE, FIDEDUPERANGE, FS_IOC_GETFSUUID, FS_IOC_GETFSSYSFSPATH.
     */
    private static final java.util.Set<Integer> VFS_IOCTLS = java.util.Set.of(0x5451, 0x5450, 0x5421, 0x5452, 0x5460,
            0xC0045877, 0xC0045878, 0xC020660B, 2, 0x40049409, 0x4020940D, 0xC0189436, 0x80111500, 0x80811501);

    /** truncate(2) of a path: TRUNCATE. */
    public static void checkTruncate(Vfs.Resolved r) throws ErrnoException {
        Domain d = fsDomain();
        if (d != null) {
            check(d, ancestors(vfs(), r.guestPath(), true), TRUNCATE);
        }
    }

    /**
     * mkdir, mknod, symlink (path_mkdir, path_mknod, path_symlink): the MAKE_* right of the file type
     * {@code type} (S_IF*) in the directory of {@code r}; none when the name exists (EEXIST is first).
     */
    public static void checkMake(Vfs.Resolved r, int type) throws ErrnoException {
        Domain d = fsDomain();
        if (d != null && lstat(r) == null) {
            check(d, ancestors(vfs(), r.guestPath(), false), make(type));
        }
    }

    /** unlink and rmdir (path_unlink, path_rmdir): REMOVE_FILE or REMOVE_DIR in the directory of {@code r}. */
    public static void checkRemove(Vfs.Resolved r) throws ErrnoException {
        Domain d = fsDomain();
        HostStat st = d == null ? null : lstat(r);
        if (st != null) {
            check(d, ancestors(vfs(), r.guestPath(), false), remove(st.mode()));
        }
    }

    /**
     * rename and link (current_check_refer_path): the source's directory needs the removal (and, for
     * an exchange, the making) of what leaves it, the target's the making (and removal) of what comes
     * in: EACCES. Between two directories each also needs REFER, which every layer handles, and the
     * file must gain no right where it goes: EXDEV otherwise, as Linux's refusal to reparent.
     */
    public static void checkRefer(Vfs.Resolved from, Vfs.Resolved to, boolean removable, boolean exchange)
            throws ErrnoException {
        Domain d = fsDomain();
        if (d == null) {
            return;
        }
        HostStat source = lstat(from);
        HostStat target = lstat(to);
        if (source == null || (exchange && target == null)) {
            return;
        }
        long fromDir = 0;
        long toDir = make(source.mode());
        if (exchange) {
            fromDir |= make(target.mode());
        }
        if (removable) {
            fromDir |= remove(source.mode());
            if (target != null) {
                toDir |= remove(target.mode());
            }
        }
        Vfs vfs = vfs();
        List<FileKey> fromParents = ancestors(vfs, from.guestPath(), false);
        List<FileKey> toParents = ancestors(vfs, to.guestPath(), false);
        if (fromParents.equals(toParents)) {
            check(d, toParents, fromDir | toDir);
            return;
        }
        boolean exdev = false;
        for (Layer l : d.layers()) {
            long handled = l.handledFs() | REFER;
            long g1 = l.granted(fromParents);
            long g2 = l.granted(toParents);
            if ((fromDir & handled & ~g1) != 0 || (toDir & handled & ~g2) != 0) {
                throw new ErrnoException(Errno.EACCES);
            }
            long moved = g1 | l.fs().getOrDefault(FileKey.of(source), 0L);
            boolean gains = (g2 & handled & ~moved) != 0;
            if (exchange) {
                gains |= (g1 & handled & ~(g2 | l.fs().getOrDefault(FileKey.of(target), 0L))) != 0;
            }
            exdev |= (g1 & REFER) == 0 || (g2 & REFER) == 0 || gains;
        }
        if (exdev) {
            throw new ErrnoException(Errno.EXDEV);
        }
    }

    /** bind and connect of a TCP socket (hook_socket_bind, hook_socket_connect): the port's rule. */
    public static void checkPort(GuestThread t, int port, long access) throws ErrnoException {
        Domain d = t.landlock();
        if (d == null) {
            return;
        }
        for (Layer l : d.layers()) {
            if ((l.handledNet() & access) != 0 && (l.ports().getOrDefault((long) port, 0L) & access) == 0) {
                throw new ErrnoException(Errno.EACCES);
            }
        }
    }

    private static void check(Domain d, List<FileKey> objects, long access) throws ErrnoException {
        for (Layer l : d.layers()) {
            long needed = access & l.handledFs();
            if (needed != 0 && (needed & ~l.granted(objects)) != 0) {
                throw new ErrnoException(Errno.EACCES);
            }
        }
    }

    private static HostStat lstat(Vfs.Resolved r) {
        try {
            return r.fs().stat(r.path(), false);
        } catch (ErrnoException absent) {
            return null;
        }
    }

    /**
     * The identities of {@code guestPath} (when {@code self}) and of each directory above it up to
     * the root, as Linux's walk up the dentries.
     */
    private static List<FileKey> ancestors(Vfs vfs, ByteString guestPath, boolean self) throws ErrnoException {
        List<FileKey> keys = new ArrayList<>();
        ByteString p = guestPath;
        if (!self) {
            p = parent(p);
        }
        while (true) {
            try {
                keys.add(FileKey.of(vfs.stat(ByteString.ROOT, p, false)));
            } catch (ErrnoException gone) {
                // A name that is not there (yet) has no rules.
            }
            if (p.equals(ByteString.ROOT)) {
                return keys;
            }
            p = parent(p);
        }
    }

    private static ByteString parent(ByteString p) {
        int end = p.length();
        while (end > 1 && p.byteAt(end - 1) == '/') {
            end--;
        }
        int slash = p.substring(0, end).lastIndexOf((byte) '/');
        return slash <= 0 ? ByteString.ROOT : p.substring(0, slash);
    }

    private static long make(int mode) {
        return switch (mode & FileMode.S_IFMT) {
            case FileMode.S_IFDIR -> MAKE_DIR;
            case FileMode.S_IFCHR -> MAKE_CHAR;
            case FileMode.S_IFBLK -> MAKE_BLOCK;
            case FileMode.S_IFIFO -> MAKE_FIFO;
            case FileMode.S_IFSOCK -> MAKE_SOCK;
            case FileMode.S_IFLNK -> MAKE_SYM;
            default -> MAKE_REG;
        };
    }

    private static long remove(int mode) {
        return (mode & FileMode.S_IFMT) == FileMode.S_IFDIR ? REMOVE_DIR : REMOVE_FILE;
    }
}
