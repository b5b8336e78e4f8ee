package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.Namespaces;
import dev.jlx.core.fs.proc.PseudoNode;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A file system of generated nodes (procfs, sysfs): nothing is stored, every lookup asks the tree
 * for the current state. Names cannot be added, removed or renamed, and attributes not changed;
 * which errno each refusal gives is Linux's for the file system.
 */
abstract class PseudoFs implements FileSystem {
    private static final long NANOS = 1_000_000_000L;
    /** The mount flags statfs reports where no host mount of the same file system says otherwise: a system's usual nosuid, nodev, noexec, relatime. */
    private static final long FLAGS = Statfs.ST_VALID | Statfs.ST_NOSUID | Statfs.ST_NODEV | Statfs.ST_NOEXEC
            | Statfs.ST_RELATIME;

    private final long magic;
    private final int blockSize;
    /** The errno for creating a file that is not there: ENOENT on procfs, EACCES on sysfs. */
    private final Errno createError;
    /** The errno for mkdir, symlink, link and mknod of a new name: ENOENT on procfs, EPERM on sysfs. */
    private final Errno makeError;
    private final long dev;
    private final long fsid;
    private final long flags;

    /**
     * {@code dir} and {@code dirFs} are the stat and statfs of the directory mounted on (null:
     * none). Where that is the host's own mount of this file system (the guest root is the host's),
     * jlx's takes its place: it has its device number, fsid and mount flags, as a guest sees the
     * host's other mounts. Else it has a device number of its own, which its fsid encodes.
     */
    PseudoFs(long magic, int blockSize, Errno createError, Errno makeError, HostStat dir, HostStatfs dirFs) {
        this.magic = magic;
        this.blockSize = blockSize;
        this.createError = createError;
        this.makeError = makeError;
        boolean host = dir != null && dirFs != null && dirFs.type() == magic;
        this.dev = host ? dir.dev() : AnonymousDevices.next();
        this.fsid = host ? dirFs.fsid() : dev;
        this.flags = host ? dirFs.flags() & ~Statfs.ST_RDONLY | Statfs.ST_VALID : FLAGS;
    }

    /** The root directory as it is now. */
    protected abstract PseudoNode.Dir root() throws ErrnoException;

    private PseudoNode lookup(ByteString path) throws ErrnoException {
        PseudoNode node = root();
        for (ByteString name : path.components()) {
            if (!(node instanceof PseudoNode.Dir dir)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            // Every name here is one jlx wrote as text; a name that is not UTF-8 matches none of them.
            node = dir.child(name.utf8());
            if (node == null) {
                throw new ErrnoException(Errno.ENOENT);
            }
        }
        return node;
    }

    private HostStat stat(PseudoNode node) throws ErrnoException {
        PseudoNode.Meta m = node.meta();
        int type;
        long size;
        long links = 1;
        switch (node) {
            case PseudoNode.File f -> {
                type = FileMode.S_IFREG;
                size = f.size();
            }
            case PseudoNode.Positional f -> {
                type = FileMode.S_IFREG;
                size = 0;
            }
            case PseudoNode.Link l -> {
                type = FileMode.S_IFLNK;
                size = l.size();
            }
            case PseudoNode.Dir d -> {
                type = FileMode.S_IFDIR;
                size = 0;
                links = 2 + d.entries().get().values().stream().filter(e -> e instanceof PseudoNode.Dir).count();
            }
        }
        long sec = m.timeNanos() / NANOS;
        long nsec = m.timeNanos() % NANOS;
        return new HostStat(dev, m.ino(), type | m.perm(), links, m.uid(), m.gid(), 0, size, blockSize, 0, sec, nsec,
                sec, nsec, sec, nsec);
    }

    @Override
    public HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        PseudoNode node = lookup(path);
        if (followLinks && node instanceof PseudoNode.Link link && link.namespace() != null) {
            return Namespaces.NsFile.stat(link.namespace().get());
        }
        return stat(node);
    }

    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        if (!(lookup(path) instanceof PseudoNode.Link link)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return link.target().get().toByteArray();
    }

    @Override
    public boolean isObjectLink(ByteString path) {
        try {
            return lookup(path) instanceof PseudoNode.Link link && link.namespace() != null;
        } catch (ErrnoException gone) {
            return false;
        }
    }

    @Override
    public boolean isMagicLink(ByteString path) {
        try {
            return lookup(path) instanceof PseudoNode.Link link && link.magic();
        } catch (ErrnoException gone) {
            return false;
        }
    }

    /** MAY_* bits of the kernel's permission checks, as R_OK, W_OK and X_OK. */
    private static final int MAY_EXEC = Fcntl.X_OK;
    private static final int MAY_WRITE = Fcntl.W_OK;

    /**
     * The kernel's permission check for the calling thread (its file-system ids, or access(2)'s
     * real ones), where a file Linux refuses to open for writing stays refused to root.
     */
    private static void check(PseudoNode node, int want) throws ErrnoException {
        GuestThread caller = Kernel.caller();
        if (caller == null || want == 0) {
            return;
        }
        GuestProcess.Credentials c = caller.fileCredentials();
        PseudoNode.Meta m = node.meta();
        boolean permitted;
        if (node instanceof PseudoNode.File f && (want & MAY_WRITE) != 0 && f.sink() == null
                && f.readOnly() == Errno.EACCES) {
            permitted = false;
        } else {
            int type = node instanceof PseudoNode.Dir ? FileMode.S_IFDIR : FileMode.S_IFREG;
            permitted = c.permits(m.uid(), m.gid(), type | m.perm(), want);
        }
        if (!permitted) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    @Override
    public void access(ByteString path, int linuxMode) throws ErrnoException {
        check(lookup(path), linuxMode & 7);
    }

    @Override
    public FileOps open(ByteString path, int flags, int mode) throws ErrnoException {
        PseudoNode node;
        try {
            node = lookup(path);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENOENT && (flags & OpenFlags.O_CREAT) != 0 ? new ErrnoException(createError) : e;
        }
        if ((flags & (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) == (OpenFlags.O_CREAT | OpenFlags.O_EXCL)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        if (node instanceof PseudoNode.Link link && link.namespace() != null && (flags & OpenFlags.O_NOFOLLOW) == 0) {
            // The walk ended on a namespace link it follows: nsfs's file of the namespace.
            if ((flags & OpenFlags.O_DIRECTORY) != 0) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            return new Namespaces.NsFile(link.namespace().get());
        }
        if (node instanceof PseudoNode.Link && (flags & OpenFlags.O_PATH) == 0) {
            // Reached only with O_NOFOLLOW: the VFS follows links everywhere else. O_PATH opens the link itself.
            throw new ErrnoException(Errno.ELOOP);
        }
        int access = flags & OpenFlags.O_ACCMODE;
        boolean write = access == OpenFlags.O_WRONLY || access == OpenFlags.O_RDWR;
        if (node instanceof PseudoNode.Dir && (write || (flags & OpenFlags.O_CREAT) != 0)) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (!(node instanceof PseudoNode.Dir) && (flags & OpenFlags.O_DIRECTORY) != 0) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if ((flags & OpenFlags.O_PATH) == 0) {
            check(node, (access != OpenFlags.O_WRONLY ? Fcntl.R_OK : 0) | (write ? MAY_WRITE : 0));
        }
        return new Opened(node, node instanceof PseudoNode.Positional f && (flags & OpenFlags.O_PATH) == 0
                ? f.opener().open() : null);
    }

    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        if (!(lookup(path) instanceof PseudoNode.Dir dir)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        List<HostDirEntry> out = new ArrayList<>();
        for (Map.Entry<String, PseudoNode> e : dir.entries().get().entrySet()) {
            int type = switch (e.getValue()) {
                case PseudoNode.File f -> FileMode.S_IFREG;
                case PseudoNode.Positional f -> FileMode.S_IFREG;
                case PseudoNode.Link l -> FileMode.S_IFLNK;
                case PseudoNode.Dir d -> FileMode.S_IFDIR;
            };
            out.add(new HostDirEntry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue().meta().ino(), type));
        }
        return out;
    }

    /** A new name here: EEXIST when taken, else the file system's refusal. */
    private void refuseNew(ByteString path, Errno error) throws ErrnoException {
        try {
            lookup(path);
        } catch (ErrnoException absent) {
            throw new ErrnoException(error);
        }
        throw new ErrnoException(Errno.EEXIST);
    }

    /** An existing name that would change: ENOENT (or ENOTDIR) when there is none, else EPERM. */
    private void refuseChange(ByteString path) throws ErrnoException {
        lookup(path);
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        refuseNew(path, makeError);
    }

    @Override
    public void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        refuseNew(linkPath, makeError);
    }

    @Override
    public void link(ByteString existing, ByteString newPath) throws ErrnoException {
        lookup(existing);
        refuseNew(newPath, makeError);
    }

    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        refuseNew(path, makeError);
    }

    /** A rename onto a name that is not there fails its lookup (procfs) or finds no rename operation (sysfs). */
    @Override
    public void rename(ByteString from, ByteString to, int flags) throws ErrnoException {
        lookup(from);
        try {
            lookup(to);
        } catch (ErrnoException absent) {
            throw new ErrnoException(makeError);
        }
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void unlink(ByteString path) throws ErrnoException {
        refuseChange(path);
    }

    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        refuseChange(path);
    }

    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        refuseChange(path);
    }

    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        refuseChange(path);
    }

    @Override
    public void utimens(ByteString path, long as, long an, long ms, long mn) throws ErrnoException {
        refuseChange(path);
    }

    /** truncate(2) of a pseudo file changes nothing, as Linux's setattr of a size it does not keep. */
    @Override
    public void truncate(ByteString path, long length) throws ErrnoException {
        PseudoNode node = lookup(path);
        if (node instanceof PseudoNode.Dir) {
            throw new ErrnoException(Errno.EISDIR);
        }
        check(node, MAY_WRITE);
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        lookup(path);
        return statfs();
    }

    /** Nothing is stored, so there are no blocks or inodes to count. */
    private HostStatfs statfs() {
        return new HostStatfs(magic, 4096, 0, 0, 0, 0, 0, fsid, 255, 4096, flags);
    }

    @Override
    public void sync() {
        // Nothing is stored.
    }

    /**
     * An open node: a file's bytes as made at the last read from offset 0, and the offset, guarded by
     * its monitor (Linux's seq_file lock).
     */
    private final class Opened extends SyntheticFile {
        private final PseudoNode node;
        /** A {@link PseudoNode.Positional} file's open state; null for others. */
        private final PseudoNode.Positioned positioned;
        private byte[] made;
        private long offset;

        Opened(PseudoNode node, PseudoNode.Positioned positioned) {
            this.node = node;
            this.positioned = positioned;
        }

        private PseudoNode.File file() throws ErrnoException {
            if (!(node instanceof PseudoNode.File f)) {
                throw new ErrnoException(Errno.EISDIR);
            }
            return f;
        }

        @Override
        public synchronized int read(MemorySegment dst) throws ErrnoException {
            int n = pread(dst, offset);
            offset += n;
            return n;
        }

        @Override
        public synchronized int pread(MemorySegment dst, long at) throws ErrnoException {
            if (positioned != null) {
                return positioned.pread(dst, at);
            }
            PseudoNode.File f = file();
            if (at == 0 || made == null) {
                made = f.content().get();
            }
            if (at >= made.length) {
                return 0;
            }
            int n = (int) Math.min(dst.byteSize(), made.length - at);
            MemorySegment.copy(made, (int) at, dst, JAVA_BYTE, 0, n);
            return n;
        }

        @Override
        public int write(MemorySegment src) throws ErrnoException {
            if (positioned != null) {
                synchronized (this) {
                    int n = positioned.pwrite(src, offset);
                    offset += n;
                    return n;
                }
            }
            return pwrite(src, offset);
        }

        @Override
        public int pwrite(MemorySegment src, long at) throws ErrnoException {
            if (positioned != null) {
                return positioned.pwrite(src, at);
            }
            PseudoNode.File f = file();
            if (f.sink() == null) {
                throw new ErrnoException(f.readOnly());
            }
            f.sink().write(src.toArray(JAVA_BYTE));
            return (int) src.byteSize();
        }

        /** SEEK_SET and SEEK_CUR only, as seq_lseek. */
        @Override
        public synchronized long seek(long to, int whence) throws ErrnoException {
            long target = switch (whence) {
                case Fcntl.SEEK_SET -> to;
                case Fcntl.SEEK_CUR -> offset + to;
                default -> throw new ErrnoException(Errno.EINVAL);
            };
            if (target < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            offset = target;
            return target;
        }

        @Override
        public HostStat stat() throws ErrnoException {
            return PseudoFs.this.stat(node);
        }

        @Override
        public void utimens(long as, long an, long ms, long mn) throws ErrnoException {
            throw new ErrnoException(Errno.EPERM);
        }

        @Override
        public void allocate(int mode, long at, long length) throws ErrnoException {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }

        /** FIONREAD of a regular file is the size stat shows less the offset, whatever a read would give. */
        @Override
        public synchronized int bytesReadable() throws ErrnoException {
            if (!(node instanceof PseudoNode.File f)) {
                throw new ErrnoException(Errno.ENOTTY);
            }
            return (int) (f.size() - offset);
        }

        @Override
        public HostStatfs statfs() {
            return PseudoFs.this.statfs();
        }
    }
}
