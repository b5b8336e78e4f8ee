package dev.jlx.core.fs;

import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** hostfs: a host directory served through the host backend, as a bind mount of it. */
public final class HostDirectoryFs implements FileSystem {
    private final HostFiles files;
    /** Answers terminal ioctls for host terminals opened here. */
    private final HostConsole console;
    /** The host directory, without a trailing slash (empty for the host's "/"). */
    private final ByteString directory;

    /** {@code hostDirectory}: an absolute host path, as the bytes of its name. */
    public HostDirectoryFs(HostFiles files, HostConsole console, ByteString hostDirectory) {
        this.files = files;
        this.console = console;
        this.directory = hostDirectory.endsWith((byte) '/') ? hostDirectory.substring(0, hostDirectory.length() - 1)
                : hostDirectory;
    }

    /** The host directory served (/proc/PID/mounts shows it as the mount's source). */
    public ByteString hostDirectory() {
        return host(ByteString.ROOT);
    }

    /** The host path of {@code path} (absolute within this file system). */
    private ByteString host(ByteString path) {
        return path.equals(ByteString.ROOT) ? (directory.isEmpty() ? ByteString.ROOT : directory)
                : directory.concat(path);
    }

    @Override
    public FileOps open(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        return new HostFileOps(files.open(host(path), linuxFlags, mode), console);
    }

    @Override
    public FileOps openIfPlain(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        HostFile file = files.openIfPlain(host(path), linuxFlags, mode);
        return file == null ? null : new HostFileOps(file, console);
    }

    @Override
    public HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        return files.stat(host(path), followLinks);
    }

    /**
     * A host without FIFOs of its own (no {@link HostFiles.Capability#DEVICE_NODES}: Windows) keeps
     * the node, and jlx the pipe behind it, as WSL1 does: one pipe per FIFO for the whole JVM, so
     * that every guest opening it meets there, as programs meet at a FIFO on Linux.
     */
    @Override
    public FifoNode fifo(ByteString path, int linuxFlags) throws ErrnoException {
        if (files.capabilities().contains(HostFiles.Capability.DEVICE_NODES)) {
            return null;
        }
        HostStat st;
        try {
            st = files.stat(host(path), true);
        } catch (ErrnoException absentOrUnreachable) {
            // open() gives the same error, or creates the file.
            return null;
        }
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFIFO) {
            return null;
        }
        int access = linuxFlags & OpenFlags.O_ACCMODE;
        files.access(host(path), access == OpenFlags.O_RDONLY ? Fcntl.R_OK : access == OpenFlags.O_WRONLY ? Fcntl.W_OK
                : Fcntl.R_OK | Fcntl.W_OK);
        ByteString hostPath = host(path);
        return new FifoNode(hostFifo(new FifoKey(st.dev(), st.ino()), st.uid(), st.gid()), () -> {
            try {
                return files.stat(hostPath, true);
            } catch (ErrnoException gone) {
                return st;
            }
        });
    }

    private record FifoKey(long dev, long ino) {}

    /** The pipes of host FIFOs, while an end (or an open waiting for one) holds them. */
    private static final java.util.Map<FifoKey, java.lang.ref.WeakReference<Pipe>> HOST_FIFOS = new java.util.HashMap<>();

    private static Pipe hostFifo(FifoKey key, int uid, int gid) {
        synchronized (HOST_FIFOS) {
            HOST_FIFOS.values().removeIf(ref -> ref.get() == null);
            java.lang.ref.WeakReference<Pipe> ref = HOST_FIFOS.get(key);
            Pipe pipe = ref == null ? null : ref.get();
            if (pipe == null) {
                pipe = new Pipe(uid, gid);
                HOST_FIFOS.put(key, new java.lang.ref.WeakReference<>(pipe));
            }
            return pipe;
        }
    }

    @Override
    public boolean isPlainPath(ByteString path) {
        return files.isPlainPath(host(path));
    }

    @Override
    public HostStat lstatIfPlain(ByteString path) throws ErrnoException {
        return files.lstatIfPlain(host(path));
    }

    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        return files.readlink(host(path));
    }

    @Override
    public long getxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value) throws ErrnoException {
        return files.getxattr(host(path), followLinks, name, value);
    }

    @Override
    public long listxattr(ByteString path, boolean followLinks, MemorySegment list) throws ErrnoException {
        return files.listxattr(host(path), followLinks, list);
    }

    @Override
    public void setxattr(ByteString path, boolean followLinks, ByteString name, MemorySegment value, int flags)
            throws ErrnoException {
        files.setxattr(host(path), followLinks, name, value, flags);
    }

    @Override
    public void removexattr(ByteString path, boolean followLinks, ByteString name) throws ErrnoException {
        files.removexattr(host(path), followLinks, name);
    }

    @Override
    public void access(ByteString path, int linuxMode) throws ErrnoException {
        files.access(host(path), linuxMode);
    }

    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        return files.list(host(path));
    }

    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        files.mkdir(host(path), mode);
    }

    @Override
    public void rename(ByteString from, ByteString to, int linuxFlags) throws ErrnoException {
        files.rename(host(from), host(to), linuxFlags);
    }

    @Override
    public void link(ByteString existing, ByteString newPath) throws ErrnoException {
        files.link(host(existing), host(newPath));
    }

    @Override
    public void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        files.symlink(target, host(linkPath));
    }

    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        files.chmod(host(path), mode);
    }

    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        files.chown(host(path), uid, gid);
    }

    @Override
    public void utimens(ByteString path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        files.utimens(host(path), atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    }

    @Override
    public void truncate(ByteString path, long length) throws ErrnoException {
        files.truncate(host(path), length);
    }

    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        files.mkfifo(host(path), mode);
    }

    @Override
    public void mksock(ByteString path, int mode) throws ErrnoException {
        files.mksock(host(path), mode);
    }

    @Override
    public ByteString hostSocketPath(ByteString path) {
        return host(path);
    }

    @Override
    public void unlink(ByteString path) throws ErrnoException {
        files.unlink(host(path));
    }

    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        files.rmdir(host(path));
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        return files.statfs(host(path));
    }

    @Override
    public void sync() {
        files.syncAll();
    }
}
