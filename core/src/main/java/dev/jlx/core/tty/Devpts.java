package dev.jlx.core.tty;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.AnonymousDevices;
import dev.jlx.core.fs.FileOps;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.SyntheticFile;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * devpts (fs/devpts/inode.c) with Linux's default mount options (mode=600, ptmxmode=000, no gid):
 * {@code ptmx} and one node per pseudo-terminal whose master is open, numbered from the lowest free
 * index, owned by the opener's fsuid and fsgid. An open of /dev/ptmx (or this {@code ptmx}) makes a
 * new pair here; the node goes when its master closes. Names cannot be made or removed (EPERM).
 * Mounted over a host's /dev/pts, it also shows the host's pty that is jlx's own terminal, under
 * its number and with the host's metadata, so that ttyname finds it; jlx's ptys skip that number.
 */
public final class Devpts implements FileSystem {
    /** A host pty shown here: the host's stat of it and an open of it. */
    public interface HostNode {
        HostStat stat() throws ErrnoException;

        OpenFile open(int flags) throws ErrnoException;
    }

    private static final int MODE = 0600;
    private static final int PTMX_MODE = 0;
    private static final ByteString PTMX = ByteString.of("/ptmx");

    private final long dev = AnonymousDevices.next();
    private final long created = Instant.now().getEpochSecond();
    /** The pairs whose slave has a node, by index; under this. */
    private final TreeMap<Integer, Pty> ptys = new TreeMap<>();
    private final java.util.Map<Integer, HostNode> hostNodes;

    /** A devpts of jlx's ptys alone. */
    public Devpts() {
        this(java.util.Map.of());
    }

    /** A devpts that also shows {@code hostNodes}, host ptys by number. */
    public Devpts(java.util.Map<Integer, HostNode> hostNodes) {
        this.hostNodes = java.util.Map.copyOf(hostNodes);
    }

    long dev() {
        return dev;
    }

    /** The pty whose node {@code path} names, or null for the root and ptmx; ENOENT for no such name. */
    private Pty pty(ByteString path) throws ErrnoException {
        if (path.equals(ByteString.ROOT) || path.equals(PTMX)) {
            return null;
        }
        String name = path.utf8().substring(1);
        if (name.isEmpty() || name.length() > 7 || !name.chars().allMatch(Character::isDigit)
                || (name.length() > 1 && name.charAt(0) == '0')) {
            throw new ErrnoException(name.contains("/") ? Errno.ENOTDIR : Errno.ENOENT);
        }
        synchronized (this) {
            Pty p = ptys.get(Integer.parseInt(name));
            if (p == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
            return p;
        }
    }

    /** The host pty {@code path} names, or null. */
    private HostNode hostNode(ByteString path) {
        if (hostNodes.isEmpty() || path.length() < 2) {
            return null;
        }
        try {
            return hostNodes.get(Integer.parseInt(path.utf8().substring(1)));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /**
     * ptmx_open: a new pair at the lowest free index, its slave locked, its node owned by the
     * caller; the master's file shows {@code node}, the ptmx it was opened by.
     */
    public OpenFile openMaster(Kernel kernel, GuestProcess caller, int flags, NodeStat node) {
        GuestProcess.Credentials c = caller.credentials();
        Pty pty;
        synchronized (this) {
            int index = 0;
            while (ptys.containsKey(index) || hostNodes.containsKey(index)) {
                index++;
            }
            pty = new Pty(kernel, this, index, c.fsuid(), c.fsgid(), MODE);
            ptys.put(index, pty);
        }
        return new TtyFile(pty.master, flags, node);
    }

    /** An open of the slave of {@code pty} (its node, TIOCGPTPEER, /dev/tty). */
    static OpenFile openSlave(Pty pty, GuestProcess caller, int flags, NodeStat node) throws ErrnoException {
        pty.openSlave(caller == null || caller.credentials().capable(GuestProcess.CAP_SYS_ADMIN));
        return new TtyFile(pty.slave, flags, node);
    }

    void remove(Pty pty) {
        synchronized (this) {
            ptys.remove(pty.index, pty);
        }
    }

    private static GuestProcess caller() {
        GuestThread t = Kernel.caller();
        return t == null ? null : t.process();
    }

    @Override
    public OpenFile openDevice(ByteString path, int flags) throws ErrnoException {
        GuestProcess p = caller();
        if (p == null || path.equals(ByteString.ROOT)) {
            return null;
        }
        // may_open: the node's permission bits for the access asked.
        int access = flags & OpenFlags.O_ACCMODE;
        access(path, access == OpenFlags.O_RDONLY ? Fcntl.R_OK : access == OpenFlags.O_WRONLY ? Fcntl.W_OK
                : Fcntl.R_OK | Fcntl.W_OK);
        if (path.equals(PTMX)) {
            if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
                throw new ErrnoException(Errno.EEXIST);
            }
            return openMaster(p.kernel(), p, flags, () -> stat(PTMX, true));
        }
        HostNode host = hostNode(path);
        if (host != null) {
            return host.open(flags);
        }
        Pty pty = pty(path);
        if (pty == null) {
            return null;
        }
        if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        return openSlave(pty, p, flags, pty::slaveStat);
    }

    @Override
    public HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        if (path.equals(ByteString.ROOT)) {
            return new HostStat(dev, 1, FileMode.S_IFDIR | 0755, 2, 0, 0, 0, 0, 1024, 0, created, 0, created, 0,
                    created, 0);
        }
        HostNode host = hostNode(path);
        if (host != null) {
            return host.stat();
        }
        if (path.equals(PTMX)) {
            return new HostStat(dev, 2, FileMode.S_IFCHR | PTMX_MODE, 1, 0, 0, Pty.encodeDev(5, 2), 0, 1024, 0,
                    created, 0, created, 0, created, 0);
        }
        return pty(path).slaveStat();
    }

    @Override
    public FileOps open(ByteString path, int flags, int mode) throws ErrnoException {
        stat(path, true);
        if (!path.equals(ByteString.ROOT)) {
            // openDevice serves the devices; here only an O_PATH open comes.
            return new Node(path);
        }
        if ((flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY) {
            throw new ErrnoException(Errno.EISDIR);
        }
        return new Node(path);
    }

    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        stat(path, false);
        throw new ErrnoException(Errno.EINVAL);
    }

    @Override
    public void access(ByteString path, int mode) throws ErrnoException {
        HostStat st = stat(path, true);
        GuestThread t = Kernel.caller();
        if (t != null && !t.fileCredentials().permits(st.uid(), st.gid(), st.mode(), mode & 7)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        if (!path.equals(ByteString.ROOT)) {
            stat(path, true);
            throw new ErrnoException(Errno.ENOTDIR);
        }
        List<HostDirEntry> out = new ArrayList<>();
        out.add(new HostDirEntry("ptmx".getBytes(StandardCharsets.US_ASCII), 2, FileMode.S_IFCHR));
        TreeMap<Integer, Long> nodes = new TreeMap<>();
        for (Integer n : hostNodes.keySet()) {
            nodes.put(n, n + 3L);
        }
        synchronized (this) {
            for (Pty p : ptys.values()) {
                nodes.put(p.index, p.index + 3L);
            }
        }
        nodes.forEach((n, ino) -> out.add(new HostDirEntry(Integer.toString(n).getBytes(StandardCharsets.US_ASCII), ino,
                FileMode.S_IFCHR)));
        return out;
    }

    /** chmod of a slave's node: its owner or root (CAP_FOWNER). */
    void chmod(Pty pty, int mode) throws ErrnoException {
        GuestProcess p = caller();
        synchronized (pty) {
            if (p != null && !p.credentials().capable(GuestProcess.CAP_FOWNER) && p.credentials().fsuid() != pty.uid) {
                throw new ErrnoException(Errno.EPERM);
            }
            pty.mode = mode & 07777;
            pty.changed = Instant.now().getEpochSecond();
        }
    }

    /** chown of a slave's node: root, or its owner keeping the owner and naming one of its groups. */
    void chown(Pty pty, int uid, int gid) throws ErrnoException {
        GuestProcess p = caller();
        synchronized (pty) {
            if (p != null && !p.credentials().capable(GuestProcess.CAP_CHOWN)) {
                GuestProcess.Credentials c = p.credentials();
                boolean groupOk = gid == -1 || gid == pty.gid || gid == c.fsgid()
                        || java.util.Arrays.stream(c.groups()).anyMatch(g -> g == gid);
                if (c.fsuid() != pty.uid || (uid != -1 && uid != pty.uid) || !groupOk) {
                    throw new ErrnoException(Errno.EPERM);
                }
            }
            if (uid != -1) {
                pty.uid = uid;
            }
            if (gid != -1) {
                pty.gid = gid;
            }
            pty.changed = Instant.now().getEpochSecond();
        }
    }

    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        Pty pty = pty(path);
        if (pty == null) {
            throw new ErrnoException(Errno.EPERM);
        }
        chmod(pty, mode);
    }

    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        Pty pty = pty(path);
        if (pty == null) {
            throw new ErrnoException(Errno.EPERM);
        }
        chown(pty, uid, gid);
    }

    @Override
    public void utimens(ByteString path, long as, long an, long ms, long mn) throws ErrnoException {
        // Device nodes' times are not kept.
        stat(path, true);
    }

    /** devpts makes and removes no names itself: EPERM, as for a file system without those operations. */
    private static ErrnoException refused() {
        return new ErrnoException(Errno.EPERM);
    }

    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        throw refused();
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
    public void truncate(ByteString path, long length) throws ErrnoException {
        if (path.equals(ByteString.ROOT)) {
            throw new ErrnoException(Errno.EISDIR);
        }
        stat(path, true);
    }

    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        throw refused();
    }

    @Override
    public void unlink(ByteString path) throws ErrnoException {
        stat(path, false);
        throw refused();
    }

    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        stat(path, false);
        throw new ErrnoException(path.equals(ByteString.ROOT) ? Errno.EBUSY : Errno.ENOTDIR);
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        stat(path, true);
        return new HostStatfs(Statfs.DEVPTS_SUPER_MAGIC, 4096, 0, 0, 0, 0, 0, dev, 255, 4096, Statfs.ST_VALID);
    }

    @Override
    public void sync() {
        // Nothing is stored.
    }

    /** The root directory open for listing, or a node opened with O_PATH. */
    private final class Node extends SyntheticFile {
        private final ByteString path;

        Node(ByteString path) {
            this.path = path;
        }

        @Override
        public int read(MemorySegment dst) throws ErrnoException {
            throw new ErrnoException(Errno.EISDIR);
        }

        @Override
        public int write(MemorySegment src) throws ErrnoException {
            throw new ErrnoException(Errno.EISDIR);
        }

        @Override
        public int pread(MemorySegment dst, long offset) throws ErrnoException {
            throw new ErrnoException(Errno.EISDIR);
        }

        @Override
        public int pwrite(MemorySegment src, long offset) throws ErrnoException {
            throw new ErrnoException(Errno.EISDIR);
        }

        @Override
        public long seek(long offset, int whence) {
            return 0;
        }

        @Override
        public HostStat stat() throws ErrnoException {
            return Devpts.this.stat(path, true);
        }

        @Override
        public void utimens(long as, long an, long ms, long mn) {
            // See Devpts.utimens.
        }

        @Override
        public void allocate(int mode, long offset, long length) throws ErrnoException {
            throw new ErrnoException(Errno.ENODEV);
        }

        @Override
        public int bytesReadable() throws ErrnoException {
            throw new ErrnoException(Errno.ENOTTY);
        }

        @Override
        public HostStatfs statfs() throws ErrnoException {
            return Devpts.this.statfs(path);
        }
    }
}
