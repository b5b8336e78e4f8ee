package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.abi.struct.Statx;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * tmpfs: a file system in the JVM's memory, analogous to Linux's shmem file system. Directories,
 * regular files (sparse), symbolic links and hard links, with modes, owners and timestamps kept as
 * Linux keeps them: a directory's size is 20 bytes per entry (BOGO_DIRENT_SIZE), blocks count the
 * 4 KiB pages written, access times follow relatime. One lock guards the whole tree. A file mapped
 * MAP_SHARED moves its bytes into an unlinked host file, which the host maps (as hostfs files are).
 *
 * <p>Permission checks use the identity jlx runs as, as hostfs does through the host: root may do
 * everything except execute a file without any execute bit.
 */
public final class Tmpfs implements FileSystem {
    private static final int BOGO_DIRENT_SIZE = 20;
    private static final int PAGE = 4096;
    /** The statx attributes Linux's tmpfs supports (shmem_getattr): none is ever set here (no FS_IOC_SETFLAGS). */
    static final long SHMEM_ATTRIBUTES = Statx.STATX_ATTR_APPEND | Statx.STATX_ATTR_IMMUTABLE | Statx.STATX_ATTR_NODUMP;
    private static final long MAX_FILE_SIZE = Integer.MAX_VALUE;
    private final long dev = AnonymousDevices.next();
    private final AtomicLong inodes = new AtomicLong(1);
    /** The credentials of this file system's owner, for calls from outside any guest. */
    private final GuestProcess.Credentials mountOwner;
    private final Dir root;
    /** flock(2) locks: whole-file, owned by open file descriptions (the open nodes). */
    private final RecordLocks flocks = new RecordLocks();
    /** Where files mapped shared keep their bytes: the host's temporary directory, through the backend. */
    private final HostFiles host;

    /**
     * A tmpfs owned by {@code uid}/{@code gid} whose root has mode {@code rootMode} (1777 for /tmp),
     * whose files mapped shared live in {@code host}'s files.
     */
    public Tmpfs(int uid, int gid, int rootMode, HostFiles host) {
        this.mountOwner = new GuestProcess.Credentials(uid, gid, uid, gid, new int[0]);
        this.host = host;
        this.root = new Dir(FileMode.S_IFDIR | (rootMode & 07777));
        // The root is the file system's owner's (mount's uid= and gid=), whoever mounts it.
        root.owner = uid;
        root.group = gid;
    }

    // ---- nodes ----

    private abstract class Node {
        final long ino = inodes.getAndIncrement();
        int mode;
        int owner = creator().fsuid();
        int group = creator().fsgid();
        int links = 1;
        long atime;
        long mtime;
        long ctime;
        /** Linux's tmpfs keeps a birth time too (statx STATX_BTIME). */
        final long btime;

        Node(int mode) {
            this.mode = mode;
            long now = now();
            atime = now;
            mtime = now;
            ctime = now;
            btime = now;
        }

        abstract long size();

        long blocks() {
            return 0;
        }

        HostStat stat() {
            return new HostStat(dev, ino, mode, links, owner, group, 0, size(), PAGE, blocks(), atime / 1_000_000_000L,
                    atime % 1_000_000_000L, mtime / 1_000_000_000L, mtime % 1_000_000_000L, ctime / 1_000_000_000L,
                    ctime % 1_000_000_000L, btime / 1_000_000_000L, btime % 1_000_000_000L, 0, SHMEM_ATTRIBUTES);
        }

        void changed() {
            ctime = now();
        }

        void modified() {
            mtime = now();
            ctime = mtime;
        }
    }

    private final class Dir extends Node {
        final java.util.SequencedMap<ByteString, Node> entries = new LinkedHashMap<>();

        Dir(int mode) {
            super(mode);
            links = 2;
        }

        @Override
        long size() {
            return (long) (entries.size() + 2) * BOGO_DIRENT_SIZE;
        }
    }

    private final class RegularFile extends Node {
        /** The bytes, until the file is first mapped shared; then null, and {@link #hosted} has them. */
        byte[] data = new byte[0];
        /** An unlinked host file with the bytes once the file is mapped shared (the host maps it). */
        HostFile hosted;
        /** Open descriptions of the file: with no name and none of these, the host file is given back. */
        int opens;
        /** Writable shared mappings not yet unmapped: F_SEAL_WRITE waits for none (EBUSY). */
        int writableMappings;
        long length;
        /** Pages written since the last truncation below them: st_blocks counts these. */
        java.util.BitSet pages = new java.util.BitSet();
        /** F_SEAL_* seals: every file has F_SEAL_SEAL but a memfd made to take seals (Linux's shmem). */
        int seals = Fcntl.F_SEAL_SEAL;

        RegularFile(int mode) {
            super(mode);
        }

        @Override
        long size() {
            return length;
        }

        @Override
        long blocks() {
            return (long) pages.cardinality() * (PAGE / 512);
        }

        void setLength(long newLength) throws ErrnoException {
            if (hosted != null) {
                hosted.truncate(newLength);
            } else if (newLength > data.length) {
                data = Arrays.copyOf(data, (int) Math.max(newLength, Math.min(MAX_FILE_SIZE, data.length * 2L)));
            } else if (newLength < length) {
                Arrays.fill(data, (int) newLength, (int) length, (byte) 0);
            }
            if (newLength < length) {
                pages.clear((int) ((newLength + PAGE - 1) / PAGE), Integer.MAX_VALUE);
            }
            length = newLength;
        }

        /** Reads {@code dst}'s size of bytes from {@code at}, all inside the file. */
        void read(MemorySegment dst, long at) throws ErrnoException {
            if (hosted == null) {
                MemorySegment.copy(data, (int) at, dst, JAVA_BYTE, 0, (int) dst.byteSize());
                return;
            }
            for (long done = 0; done < dst.byteSize(); ) {
                int n = hosted.pread(dst.asSlice(done), at + done);
                if (n <= 0) {
                    // Cut short by the host (it cannot be shorter than jlx's length): the rest reads as holes do.
                    dst.asSlice(done).fill((byte) 0);
                    return;
                }
                done += n;
            }
        }

        /** Writes {@code src} at {@code at}, inside the file's length. */
        void write(MemorySegment src, long at) throws ErrnoException {
            if (hosted == null) {
                MemorySegment.copy(src, JAVA_BYTE, 0, data, (int) at, (int) src.byteSize());
                return;
            }
            for (long done = 0; done < src.byteSize(); ) {
                done += hosted.pwrite(src.asSlice(done), at + done);
            }
        }

        /** Zeroes [from, to), inside the file's length. */
        void zero(long from, long to) throws ErrnoException {
            if (hosted == null) {
                Arrays.fill(data, (int) from, (int) to, (byte) 0);
                return;
            }
            // Host files take native memory only.
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                MemorySegment zeros = arena.allocate(Math.min(to - from, 1 << 16));
                for (long at = from; at < to; at += zeros.byteSize()) {
                    write(zeros.asSlice(0, Math.min(zeros.byteSize(), to - at)), at);
                }
            }
        }

        /**
         * Moves the bytes into an unlinked host file (once): the host maps it shared, and a tmpfs
         * byte array it could not. ENODEV where the host makes none, as before.
         */
        HostFile hosted() throws ErrnoException {
            if (hosted != null) {
                return hosted;
            }
            String dir = System.getProperty("java.io.tmpdir");
            ByteString path = host.hostPath(java.nio.file.Path.of(dir)).concat(ByteString.of("/jlx-shm-"
                    + ProcessHandle.current().pid() + "-" + dev + "-" + ino));
            HostFile file;
            try {
                file = host.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_CLOEXEC,
                        0600);
                host.unlink(path);
            } catch (ErrnoException e) {
                throw new ErrnoException(Errno.ENODEV);
            }
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                file.truncate(length);
                // Host files take native memory only: the bytes go through a buffer.
                MemorySegment buffer = arena.allocate(Math.max(1, Math.min(length, 1 << 16)));
                for (long done = 0; done < length; ) {
                    long n = Math.min(buffer.byteSize(), length - done);
                    MemorySegment.copy(data, (int) done, buffer, JAVA_BYTE, 0, (int) n);
                    for (long put = 0; put < n; ) {
                        put += file.pwrite(buffer.asSlice(put, n - put), done + put);
                    }
                    done += n;
                }
            } catch (ErrnoException e) {
                file.close();
                throw new ErrnoException(e.errno() == Errno.ENOSPC ? Errno.ENOMEM : Errno.ENODEV);
            }
            hosted = file;
            data = null;
            return file;
        }

        /** Gives the host file back once nothing can reach the bytes through jlx (mappings keep their pages). */
        void releaseIfUnused() {
            if (hosted != null && links == 0 && opens == 0) {
                try {
                    hosted.close();
                } catch (ErrnoException e) {
                    // An unlinked file's descriptor: nothing is lost.
                }
                hosted = null;
                data = new byte[0];
            }
        }
    }

    private final class Symlink extends Node {
        final byte[] target;

        Symlink(byte[] target) {
            super(FileMode.S_IFLNK | 0777);
            this.target = target;
        }

        @Override
        long size() {
            return target.length;
        }
    }

    private final class Fifo extends Node {
        /** The buffer its openers share; Linux empties it when the last of them closes. */
        final Pipe pipe = new Pipe(owner, group);

        Fifo(int mode) {
            super(FileMode.S_IFIFO | (mode & 07777));
        }

        @Override
        long size() {
            return 0;
        }
    }

    /** A socket's name: bind(2) made it; what is bound there is kept by the sockets, keyed by the node. */
    private final class Sock extends Node {
        Sock(int mode) {
            super(FileMode.S_IFSOCK | (mode & 07777));
        }

        @Override
        long size() {
            return 0;
        }
    }

    private static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    // ---- lookup and permissions ----

    private static List<ByteString> names(ByteString path) {
        return path.components();
    }

    /** MAY_* bits of the kernel's permission checks. */
    private static final int MAY_EXEC = 1;
    private static final int MAY_WRITE = 2;
    private static final int MAY_READ = 4;

    /**
     * Whose permissions count: the calling guest thread's file-system credentials, else (a call
     * from outside any guest) those of this file system's owner, with every capability if it is root.
     */
    private GuestProcess.Credentials creator() {
        GuestThread t = Kernel.caller();
        return t != null ? t.fileCredentials() : mountOwner;
    }

    private boolean permits(Node n, int want) {
        return creator().permits(n.owner, n.group, n.mode, want);
    }

    /** The caller owns {@code n}, or has CAP_FOWNER (inode_owner_or_capable). */
    private boolean ownerOrCapable(Node n) {
        GuestProcess.Credentials c = creator();
        return c.fsuid() == n.owner || c.capable(GuestProcess.CAP_FOWNER);
    }

    /**
     * Removing or replacing {@code n} in {@code d}: write and search permission on {@code d}, and in
     * a sticky directory, owning {@code n} or {@code d} or CAP_FOWNER (check_sticky: EPERM).
     */
    private void requireRemovable(Dir d, Node n) throws ErrnoException {
        requireDirWrite(d);
        if ((d.mode & FileMode.S_ISVTX) != 0 && creator().fsuid() != d.owner && !ownerOrCapable(n)) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    private void require(Node n, int want) throws ErrnoException {
        if (!permits(n, want)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    /** The directory holding {@code path}'s last component; every directory on the way must be searchable. */
    private Dir parentOf(ByteString path) throws ErrnoException {
        List<ByteString> n = names(path);
        if (n.isEmpty()) {
            throw new ErrnoException(Errno.EBUSY);
        }
        return walk(n.subList(0, n.size() - 1));
    }

    private Dir walk(List<ByteString> names) throws ErrnoException {
        Dir d = root;
        for (ByteString name : names) {
            require(d, MAY_EXEC);
            Node next = d.entries.get(name);
            if (next == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (!(next instanceof Dir nd)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            d = nd;
        }
        return d;
    }

    private static ByteString last(ByteString path) {
        List<ByteString> n = names(path);
        return n.getLast();
    }

    private Node lookup(ByteString path) throws ErrnoException {
        List<ByteString> n = names(path);
        if (n.isEmpty()) {
            return root;
        }
        Dir d = walk(n.subList(0, n.size() - 1));
        require(d, MAY_EXEC);
        Node node = d.entries.get(n.getLast());
        if (node == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        return node;
    }

    /** Creating or removing a name needs write and search permission on the directory. */
    private void requireDirWrite(Dir d) throws ErrnoException {
        require(d, MAY_WRITE | MAY_EXEC);
    }

    private void add(Dir d, ByteString name, Node n) {
        d.entries.put(name, n);
        if (n instanceof Dir) {
            d.links++;
        }
        d.modified();
    }

    private void remove(Dir d, ByteString name) {
        Node n = d.entries.remove(name);
        if (n instanceof Dir) {
            d.links--;
            n.links = 0;
        } else {
            n.links--;
        }
        if (n instanceof RegularFile f) {
            f.releaseIfUnused();
        }
        n.changed();
        d.modified();
    }

    // ---- FileSystem ----

    @Override
    public synchronized FileOps open(ByteString path, int flags, int mode) throws ErrnoException {
        Node node;
        List<ByteString> n = names(path);
        if (n.isEmpty()) {
            node = root;
        } else {
            Dir d = parentOf(path);
            require(d, MAY_EXEC);
            node = d.entries.get(n.getLast());
            if (node == null) {
                if ((flags & OpenFlags.O_CREAT) == 0) {
                    throw new ErrnoException(Errno.ENOENT);
                }
                requireDirWrite(d);
                node = new RegularFile(FileMode.S_IFREG | (mode & 07777));
                add(d, n.getLast(), node);
            } else if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
                throw new ErrnoException(Errno.EEXIST);
            }
        }
        int access = flags & OpenFlags.O_ACCMODE;
        if ((flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) {
            // An unnamed regular file in the directory: it lives while it is open.
            if (!(node instanceof Dir d)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            if (access == OpenFlags.O_RDONLY) {
                throw new ErrnoException(Errno.EINVAL);
            }
            requireDirWrite(d);
            RegularFile unnamed = new RegularFile(FileMode.S_IFREG | (mode & 07777));
            unnamed.links = 0;
            return new OpenNode(unnamed, flags);
        }
        if ((flags & OpenFlags.O_PATH) != 0) {
            // O_PATH names the node itself, even a symlink or FIFO; it can be used for *at calls only.
            if ((flags & OpenFlags.O_DIRECTORY) != 0 && !(node instanceof Dir)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            return new OpenNode(node, flags);
        }
        if (node instanceof Symlink) {
            throw new ErrnoException(Errno.ELOOP);
        }
        if ((flags & OpenFlags.O_CREAT) != 0 && node instanceof Dir) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if ((flags & OpenFlags.O_DIRECTORY) != 0 && !(node instanceof Dir)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if (node instanceof Dir && (access != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0)) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (node instanceof Fifo || node instanceof Sock) {
            // A FIFO is served by fifo() as a pipe, which the VFS asks for before it opens a file here;
            // a socket cannot be opened at all (no_open).
            throw new ErrnoException(Errno.ENXIO);
        }
        int want = (access == OpenFlags.O_RDONLY ? MAY_READ : access == OpenFlags.O_WRONLY ? MAY_WRITE
                : MAY_READ | MAY_WRITE) | ((flags & OpenFlags.O_TRUNC) != 0 ? MAY_WRITE : 0);
        require(node, want);
        if (node instanceof RegularFile f && (flags & OpenFlags.O_TRUNC) != 0 && access != OpenFlags.O_RDONLY) {
            if (f.length != 0) {
                f.setLength(0);
            }
            f.modified();
        }
        return new OpenNode(node, flags);
    }

    @Override
    public synchronized HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        return lookup(path).stat();
    }

    @Override
    public synchronized byte[] readlink(ByteString path) throws ErrnoException {
        if (!(lookup(path) instanceof Symlink s)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        s.atime = now();
        return s.target.clone();
    }

    @Override
    public synchronized void access(ByteString path, int mode) throws ErrnoException {
        Node node = lookup(path);
        int want = ((mode & Fcntl.R_OK) != 0 ? MAY_READ : 0) | ((mode & Fcntl.W_OK) != 0 ? MAY_WRITE : 0)
                | ((mode & Fcntl.X_OK) != 0 ? MAY_EXEC : 0);
        require(node, want);
    }

    @Override
    public synchronized List<HostDirEntry> list(ByteString path) throws ErrnoException {
        if (!(lookup(path) instanceof Dir d)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        require(d, MAY_READ);
        List<HostDirEntry> out = new ArrayList<>(d.entries.size());
        // Newest name first, as Linux's tmpfs lists its dentries (a rename makes a name the newest).
        for (Map.Entry<ByteString, Node> e : d.entries.reversed().entrySet()) {
            out.add(new HostDirEntry(e.getKey().toByteArray(), e.getValue().ino,
                    e.getValue().mode & FileMode.S_IFMT));
        }
        touchAccess(d);
        return out;
    }

    @Override
    public synchronized void mkdir(ByteString path, int mode) throws ErrnoException {
        create(path, new Dir(FileMode.S_IFDIR | (mode & 07777)));
    }

    @Override
    public synchronized void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        create(linkPath, new Symlink(target));
    }

    @Override
    public synchronized void mkfifo(ByteString path, int mode) throws ErrnoException {
        create(path, new Fifo(mode));
    }

    @Override
    public synchronized void mksock(ByteString path, int mode) throws ErrnoException {
        create(path, new Sock(mode));
    }

    private void create(ByteString path, Node node) throws ErrnoException {
        Dir d = parentOf(path);
        requireDirWrite(d);
        if (d.entries.containsKey(last(path))) {
            throw new ErrnoException(Errno.EEXIST);
        }
        add(d, last(path), node);
    }

    @Override
    public synchronized void link(ByteString existing, ByteString newPath) throws ErrnoException {
        Node node = lookup(existing);
        if (node instanceof Dir) {
            throw new ErrnoException(Errno.EPERM);
        }
        Dir d = parentOf(newPath);
        requireDirWrite(d);
        if (d.entries.containsKey(last(newPath))) {
            throw new ErrnoException(Errno.EEXIST);
        }
        node.links++;
        node.changed();
        add(d, last(newPath), node);
    }

    @Override
    public synchronized void unlink(ByteString path) throws ErrnoException {
        Dir d = parentOf(path);
        Node node = lookup(path);
        if (node instanceof Dir) {
            throw new ErrnoException(Errno.EISDIR);
        }
        requireRemovable(d, node);
        remove(d, last(path));
    }

    @Override
    public synchronized void rmdir(ByteString path) throws ErrnoException {
        if (names(path).isEmpty()) {
            throw new ErrnoException(Errno.EBUSY);
        }
        Dir d = parentOf(path);
        if (!(lookup(path) instanceof Dir target)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        requireRemovable(d, target);
        if (!target.entries.isEmpty()) {
            throw new ErrnoException(Errno.ENOTEMPTY);
        }
        remove(d, last(path));
    }

    @Override
    public synchronized FifoNode fifo(ByteString path, int linuxFlags) throws ErrnoException {
        Node node;
        try {
            node = lookup(path);
        } catch (ErrnoException absentOrUnreachable) {
            // open() gives the same error, or creates the file.
            return null;
        }
        if (!(node instanceof Fifo f)) {
            return null;
        }
        int access = linuxFlags & OpenFlags.O_ACCMODE;
        require(node, access == OpenFlags.O_RDONLY ? MAY_READ : access == OpenFlags.O_WRONLY ? MAY_WRITE
                : MAY_READ | MAY_WRITE);
        // The stat of an open FIFO end is asked later, outside this call: under the tree's lock too.
        return new FifoNode(f.pipe, () -> {
            synchronized (Tmpfs.this) {
                return node.stat();
            }
        });
    }

    @Override
    public synchronized void rename(ByteString from, ByteString to, int flags) throws ErrnoException {
        if (names(from).isEmpty() || names(to).isEmpty()) {
            throw new ErrnoException(Errno.EBUSY);
        }
        Dir fromDir = parentOf(from);
        Dir toDir = parentOf(to);
        Node node = lookup(from);
        Node old = toDir.entries.get(last(to));
        requireRemovable(fromDir, node);
        if (old != null) {
            requireRemovable(toDir, old);
        } else {
            requireDirWrite(toDir);
        }
        if (node instanceof Dir && fromDir != toDir) {
            // Its ".." changes.
            require(node, MAY_WRITE);
        }
        if (node instanceof Dir moving && isWithin(toDir, moving)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // Linux refuses an existing target before it compares the inodes: EEXIST even for a link to itself.
        if (old != null && (flags & Rename.RENAME_NOREPLACE) != 0) {
            throw new ErrnoException(Errno.EEXIST);
        }
        if ((flags & Rename.RENAME_EXCHANGE) != 0) {
            // Both must exist; they swap places.
            if (old == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (old instanceof Dir od && isWithin(fromDir, od)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (old == node) {
                // Two names of one inode: vfs_rename does nothing, not even touch the times.
                return;
            }
            fromDir.entries.put(last(from), old);
            toDir.entries.put(last(to), node);
            fromDir.modified();
            toDir.modified();
            node.changed();
            old.changed();
            return;
        }
        if (old == node) {
            return;
        }
        if (old != null) {
            if (node instanceof Dir && !(old instanceof Dir)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            if (!(node instanceof Dir) && old instanceof Dir) {
                throw new ErrnoException(Errno.EISDIR);
            }
            if (old instanceof Dir od && !od.entries.isEmpty()) {
                throw new ErrnoException(Errno.ENOTEMPTY);
            }
            remove(toDir, last(to));
        }
        fromDir.entries.remove(last(from));
        if (node instanceof Dir) {
            fromDir.links--;
        }
        fromDir.modified();
        add(toDir, last(to), node);
        node.changed();
    }

    /** Whether {@code d} is {@code ancestor} or lies below it. */
    private boolean isWithin(Dir d, Dir ancestor) {
        return d == ancestor || contains(ancestor, d);
    }

    private boolean contains(Dir ancestor, Dir d) {
        for (Node n : ancestor.entries.values()) {
            if (n == d || (n instanceof Dir sub && contains(sub, d))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void chmod(ByteString path, int mode) throws ErrnoException {
        chmod(lookup(path), mode);
    }

    private void chmod(Node node, int mode) throws ErrnoException {
        if (!ownerOrCapable(node)) {
            throw new ErrnoException(Errno.EPERM);
        }
        GuestProcess.Credentials c = creator();
        if (!(node instanceof Dir) && !c.inGroup(node.group) && !c.capable(GuestProcess.CAP_FSETID)) {
            // setattr_copy: a set-group-ID bit its setter could not have taken is dropped.
            mode &= ~FileMode.S_ISGID;
        }
        node.mode = (node.mode & FileMode.S_IFMT) | (mode & 07777);
        node.changed();
    }

    @Override
    public synchronized void chown(ByteString path, int newUid, int newGid) throws ErrnoException {
        chown(lookup(path), newUid, newGid);
    }

    private void chown(Node node, int newUid, int newGid) throws ErrnoException {
        // chown_ok and chgrp_ok: CAP_CHOWN, or the owner keeping itself and giving one of its groups.
        GuestProcess.Credentials c = creator();
        boolean capable = c.capable(GuestProcess.CAP_CHOWN);
        boolean owns = c.fsuid() == node.owner;
        if (!capable && (newUid != -1 && (!owns || newUid != node.owner)
                || newGid != -1 && (!owns || newGid != node.group && !c.inGroup(newGid)))) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (newUid != -1) {
            node.owner = newUid;
        }
        if (newGid != -1) {
            node.group = newGid;
        }
        node.changed();
    }

    @Override
    public synchronized void utimens(ByteString path, long as, long an, long ms, long mn) throws ErrnoException {
        utimens(lookup(path), as, an, ms, mn);
    }

    /** UTIME_NOW and UTIME_OMIT of linux/stat.h. */
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    private void utimens(Node node, long as, long an, long ms, long mn) throws ErrnoException {
        boolean explicit = (an != UTIME_NOW && an != UTIME_OMIT) || (mn != UTIME_NOW && mn != UTIME_OMIT);
        if (!ownerOrCapable(node) && (explicit || !permits(node, MAY_WRITE))) {
            throw new ErrnoException(explicit ? Errno.EPERM : Errno.EACCES);
        }
        long now = now();
        if (an != UTIME_OMIT) {
            node.atime = an == UTIME_NOW ? now : as * 1_000_000_000L + an;
        }
        if (mn != UTIME_OMIT) {
            node.mtime = mn == UTIME_NOW ? now : ms * 1_000_000_000L + mn;
        }
        node.ctime = now;
    }

    @Override
    public synchronized void truncate(ByteString path, long length) throws ErrnoException {
        Node node = lookup(path);
        if (node instanceof Dir) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (!(node instanceof RegularFile f)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        require(f, MAY_WRITE);
        truncate(f, length);
    }

    private static void truncate(RegularFile f, long length) throws ErrnoException {
        if (length > MAX_FILE_SIZE) {
            throw new ErrnoException(Errno.EFBIG);
        }
        if ((length < f.length && (f.seals & Fcntl.F_SEAL_SHRINK) != 0)
                || (length > f.length && (f.seals & Fcntl.F_SEAL_GROW) != 0)) {
            throw new ErrnoException(Errno.EPERM);
        }
        f.setLength(length);
        f.modified();
    }

    @Override
    public synchronized HostStatfs statfs(ByteString path) throws ErrnoException {
        lookup(path);
        return statfs();
    }

    /** A new Linux tmpfs may use half of the RAM, and as many inodes as half of its pages. */
    private HostStatfs statfs() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long blocks = os.getTotalMemorySize() / 2 / PAGE;
        long used = usedPages(root);
        long files = blocks;
        return new HostStatfs(Statfs.TMPFS_MAGIC, PAGE, blocks, blocks - used, blocks - used, files,
                files - (inodes.get() - 1), dev, 255, PAGE, Statfs.ST_VALID | Statfs.ST_RELATIME);
    }

    private long usedPages(Dir d) {
        long pages = 0;
        for (Node n : d.entries.values()) {
            pages += n instanceof Dir sub ? usedPages(sub) : n.blocks() / (PAGE / 512);
        }
        return pages;
    }

    @Override
    public void sync() {
        // Memory has no storage to write back to.
    }

    /** relatime: the access time moves only when it is older than the last change or a day old. */
    private static void touchAccess(Node n) {
        long now = now();
        if (n.atime <= n.mtime || n.atime <= n.ctime || now - n.atime > 86_400_000_000_000L) {
            n.atime = now;
        }
    }

    /**
     * memfd_create(2)'s file: an unnamed regular file of mode 0777 owned by {@code uid} and {@code gid},
     * open for reading and writing, that takes seals when {@code sealable}. /proc shows it as
     * "/memfd:NAME (deleted)".
     */
    public synchronized FileOps memfd(ByteString name, int uid, int gid, boolean sealable) {
        RegularFile f = new RegularFile(FileMode.S_IFREG | 0777);
        f.links = 0;
        f.owner = uid;
        f.group = gid;
        if (sealable) {
            f.seals = 0;
        }
        return new OpenNode(f, OpenFlags.O_RDWR | OpenFlags.O_LARGEFILE,
                ByteString.of("/memfd:").concat(name).concat(ByteString.of(" (deleted)")));
    }

    /**
     * memfd_secret(2)'s file: as mm/secretmem.c's, a regular file of mode 0600 owned by {@code uid}
     * and {@code gid}, shown as "/secretmem (deleted)", that only MAP_SHARED mappings reach: reads
     * and writes are EINVAL, lseek ESPIPE, and its size is set once (ftruncate of a sized one EINVAL).
     * Its pages are jlx's like any memory's: the host kernel does not take them out of its direct map.
     */
    public synchronized FileOps secretMemory(int uid, int gid) {
        RegularFile f = new RegularFile(FileMode.S_IFREG | 0600);
        f.links = 0;
        f.owner = uid;
        f.group = gid;
        return new OpenNode(f, OpenFlags.O_RDWR | OpenFlags.O_LARGEFILE, ByteString.of("/secretmem (deleted)"), true);
    }

    /** An open tmpfs node: its own offset, as a host file descriptor has. */
    private final class OpenNode implements FileOps {
        private final Node node;
        private final int flags;
        /** What /proc shows for it when it has no name (a memfd), or null. */
        private final ByteString anonymousName;
        /** A memfd_secret file's: only mappings reach its bytes. */
        private final boolean secret;
        private long offset;

        OpenNode(Node node, int flags) {
            this(node, flags, null);
        }

        OpenNode(Node node, int flags, ByteString anonymousName) {
            this(node, flags, anonymousName, false);
        }

        OpenNode(Node node, int flags, ByteString anonymousName, boolean secret) {
            this.node = node;
            this.flags = flags;
            this.anonymousName = anonymousName;
            this.secret = secret;
            if (node instanceof RegularFile f) {
                f.opens++;
            }
        }

        @Override
        public ByteString anonymousName() {
            return anonymousName;
        }

        @Override
        public int seals() throws ErrnoException {
            synchronized (Tmpfs.this) {
                if (!(node instanceof RegularFile f)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return f.seals;
            }
        }

        /** As Linux's memfd_add_seals: F_SEAL_WRITE is EBUSY while a writable shared mapping is there. */
        @Override
        public void addSeals(int seals) throws ErrnoException {
            synchronized (Tmpfs.this) {
                if (!(node instanceof RegularFile f)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if ((f.seals & Fcntl.F_SEAL_SEAL) != 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if ((seals & Fcntl.F_SEAL_WRITE) != 0 && f.writableMappings > 0) {
                    throw new ErrnoException(Errno.EBUSY);
                }
                f.seals |= seals;
            }
        }

        private RegularFile file() throws ErrnoException {
            if ((flags & OpenFlags.O_PATH) != 0) {
                throw new ErrnoException(Errno.EBADF);
            }
            if (node instanceof Dir) {
                throw new ErrnoException(Errno.EISDIR);
            }
            return (RegularFile) node;
        }

        @Override
        public int read(MemorySegment dst) throws ErrnoException {
            if (secret) {
                throw new ErrnoException(Errno.EINVAL);
            }
            synchronized (Tmpfs.this) {
                int n = pread(dst, offset);
                offset += n;
                return n;
            }
        }

        @Override
        public int write(MemorySegment src) throws ErrnoException {
            if (secret) {
                throw new ErrnoException(Errno.EINVAL);
            }
            synchronized (Tmpfs.this) {
                if ((flags & OpenFlags.O_APPEND) != 0) {
                    offset = file().length;
                }
                int n = pwrite(src, offset);
                offset += n;
                return n;
            }
        }

        @Override
        public int pread(MemorySegment dst, long at) throws ErrnoException {
            if (secret) {
                throw new ErrnoException(Errno.EINVAL);
            }
            synchronized (Tmpfs.this) {
                RegularFile f = file();
                if (at >= f.length) {
                    touchAccess(f);
                    return 0;
                }
                int n = (int) Math.min(dst.byteSize(), f.length - at);
                f.read(dst.asSlice(0, n), at);
                touchAccess(f);
                return n;
            }
        }

        @Override
        public int pwrite(MemorySegment src, long at) throws ErrnoException {
            if (secret) {
                throw new ErrnoException(Errno.EINVAL);
            }
            synchronized (Tmpfs.this) {
                RegularFile f = file();
                long end = at + src.byteSize();
                if (end > MAX_FILE_SIZE) {
                    throw new ErrnoException(Errno.EFBIG);
                }
                if (src.byteSize() > 0 && (f.seals & (Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE)) != 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if ((f.seals & Fcntl.F_SEAL_GROW) != 0 && end > f.length) {
                    // shmem_write_begin refuses the page-sized step that would grow the file; those before it go in.
                    long allowed = (f.length & -PAGE) - at;
                    if (allowed <= 0) {
                        throw new ErrnoException(Errno.EPERM);
                    }
                    src = src.asSlice(0, allowed);
                    end = at + allowed;
                }
                if (end > f.length) {
                    f.setLength(end);
                }
                f.write(src, at);
                if (src.byteSize() > 0) {
                    f.pages.set((int) (at / PAGE), (int) ((end + PAGE - 1) / PAGE));
                    f.modified();
                }
                return (int) src.byteSize();
            }
        }

        @Override
        public long seek(long to, int whence) throws ErrnoException {
            if (secret) {
                throw new ErrnoException(Errno.ESPIPE);
            }
            synchronized (Tmpfs.this) {
                long base = switch (whence) {
                    case Fcntl.SEEK_SET -> 0;
                    case Fcntl.SEEK_CUR -> offset;
                    case Fcntl.SEEK_END -> node.size();
                    case Fcntl.SEEK_DATA, Fcntl.SEEK_HOLE -> {
                        if (to < 0 || to >= node.size()) {
                            throw new ErrnoException(Errno.ENXIO);
                        }
                        // The whole file counts as data; its end is the only hole.
                        yield whence == Fcntl.SEEK_DATA ? 0 : node.size() - to;
                    }
                    default -> throw new ErrnoException(Errno.EINVAL);
                };
                long target = base + to;
                if (target < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                offset = target;
                return target;
            }
        }

        @Override
        public HostStat stat() {
            synchronized (Tmpfs.this) {
                return node.stat();
            }
        }

        @Override
        public void truncate(long length) throws ErrnoException {
            synchronized (Tmpfs.this) {
                if (secret && file().size() != 0) {
                    // secretmem_setattr: the size is set once.
                    throw new ErrnoException(Errno.EINVAL);
                }
                Tmpfs.truncate(file(), length);
            }
        }

        @Override
        public void sync(boolean dataOnly) {
            // Memory has no storage to write back to.
        }

        @Override
        public void chmod(int mode) throws ErrnoException {
            synchronized (Tmpfs.this) {
                Tmpfs.this.chmod(node, mode);
            }
        }

        @Override
        public void chown(int newUid, int newGid) throws ErrnoException {
            synchronized (Tmpfs.this) {
                Tmpfs.this.chown(node, newUid, newGid);
            }
        }

        @Override
        public void utimens(long as, long an, long ms, long mn) throws ErrnoException {
            synchronized (Tmpfs.this) {
                Tmpfs.this.utimens(node, as, an, ms, mn);
            }
        }

        /** FALLOC_FL_KEEP_SIZE and FALLOC_FL_PUNCH_HOLE (linux/falloc.h); shmem supports just these. */
        private static final int KEEP_SIZE = 1;
        private static final int PUNCH_HOLE = 2;

        @Override
        public void allocate(int mode, long offset, long length) throws ErrnoException {
            synchronized (Tmpfs.this) {
                RegularFile f = file();
                if ((mode & ~(KEEP_SIZE | PUNCH_HOLE)) != 0) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                long end = offset + length;
                if (end > MAX_FILE_SIZE) {
                    throw new ErrnoException(Errno.EFBIG);
                }
                int firstPage = (int) (offset / PAGE);
                int endPage = (int) ((end + PAGE - 1) / PAGE);
                if ((mode & PUNCH_HOLE) != 0) {
                    if ((mode & KEEP_SIZE) == 0) {
                        throw new ErrnoException(Errno.EOPNOTSUPP);
                    }
                    if ((f.seals & (Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE)) != 0) {
                        throw new ErrnoException(Errno.EPERM);
                    }
                    long to = Math.min(end, f.length);
                    if (offset < to) {
                        f.zero(offset, to);
                    }
                    // Only whole pages inside the range are freed, as shmem does.
                    f.pages.clear((int) ((offset + PAGE - 1) / PAGE), (int) (end / PAGE));
                } else {
                    if ((f.seals & Fcntl.F_SEAL_GROW) != 0 && end > f.length) {
                        throw new ErrnoException(Errno.EPERM);
                    }
                    if ((mode & KEEP_SIZE) == 0 && end > f.length) {
                        f.setLength(end);
                    }
                    f.pages.set(firstPage, endPage);
                }
                f.modified();
            }
        }

        @Override
        public int bytesReadable() throws ErrnoException {
            synchronized (Tmpfs.this) {
                if (!(node instanceof RegularFile f) || (flags & OpenFlags.O_PATH) != 0) {
                    // FIONREAD is a regular-file ioctl; O_PATH descriptors take no ioctls at all.
                    throw new ErrnoException((flags & OpenFlags.O_PATH) != 0 ? Errno.EBADF : Errno.ENOTTY);
                }
                return (int) Math.max(0, Math.min(Integer.MAX_VALUE, f.length - offset));
            }
        }

        @Override
        public HostStatfs statfs() {
            synchronized (Tmpfs.this) {
                return Tmpfs.this.statfs();
            }
        }

        /** LOCK_* of flock(2). */
        private static final int LOCK_SH = 1;
        private static final int LOCK_NB = 4;
        private static final int LOCK_UN = 8;

        @Override
        public void flock(int operation) throws ErrnoException {
            RecordLocks.FileKey key = new RecordLocks.FileKey(Tmpfs.this, dev, node.ino);
            Boolean write = (operation & LOCK_UN) != 0 ? null : (operation & LOCK_SH) == 0;
            flocks.set(key, this, -1, write, 0, Long.MAX_VALUE, (operation & LOCK_NB) == 0);
        }

        @Override
        public void close() {
            // The node lives while it has names or open files referring to it; its flock goes now.
            synchronized (Tmpfs.this) {
                flocks.releaseAll(this);
                if (node instanceof RegularFile f) {
                    f.opens--;
                    f.releaseIfUnused();
                }
            }
        }

        /** MAP_SHARED: the file's bytes move to a host file (once), whose mapping this is. */
        @Override
        public HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
            synchronized (Tmpfs.this) {
                RegularFile f = file();
                HostMapping m = f.hosted().mapShared(offset, length, writable);
                if (!writable) {
                    return m;
                }
                f.writableMappings++;
                return new HostMapping() {
                    @Override
                    public MemorySegment segment() {
                        return m.segment();
                    }

                    @Override
                    public void sync(long offset, long length) {
                        m.sync(offset, length);
                    }

                    @Override
                    public void zeroFrom(long offset) {
                        m.zeroFrom(offset);
                    }

                    @Override
                    public void close() {
                        synchronized (Tmpfs.this) {
                            f.writableMappings--;
                        }
                        m.close();
                    }
                };
            }
        }
    }
}
