package dev.jlx.core.fs;

import dev.jlx.core.ErrnoException;
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
    /** The host directory, without a trailing slash ("" for the host's "/"). */
    private final String directory;

    public HostDirectoryFs(HostFiles files, String hostDirectory) {
        this.files = files;
        this.directory = hostDirectory.endsWith("/") ? hostDirectory.substring(0, hostDirectory.length() - 1)
                : hostDirectory;
    }

    /** The host directory served (/proc/PID/mounts shows it as the mount's source). */
    public String hostDirectory() {
        return host("/");
    }

    /** The host path of {@code path} (absolute within this file system). */
    private String host(String path) {
        return path.equals("/") ? (directory.isEmpty() ? "/" : directory) : directory + path;
    }

    @Override
    public HostFile open(String path, int linuxFlags, int mode) throws ErrnoException {
        return files.open(host(path), linuxFlags, mode);
    }

    @Override
    public HostStat stat(String path, boolean followLinks) throws ErrnoException {
        return files.stat(host(path), followLinks);
    }

    @Override
    public boolean isPlainPath(String path) {
        return files.isPlainPath(host(path));
    }

    @Override
    public HostStat lstatIfPlain(String path) throws ErrnoException {
        return files.lstatIfPlain(host(path));
    }

    @Override
    public byte[] readlink(String path) throws ErrnoException {
        return files.readlink(host(path));
    }

    @Override
    public long getxattr(String path, boolean followLinks, String name, MemorySegment value) throws ErrnoException {
        return files.getxattr(host(path), followLinks, name, value);
    }

    @Override
    public long listxattr(String path, boolean followLinks, MemorySegment list) throws ErrnoException {
        return files.listxattr(host(path), followLinks, list);
    }

    @Override
    public void setxattr(String path, boolean followLinks, String name, MemorySegment value, int flags)
            throws ErrnoException {
        files.setxattr(host(path), followLinks, name, value, flags);
    }

    @Override
    public void removexattr(String path, boolean followLinks, String name) throws ErrnoException {
        files.removexattr(host(path), followLinks, name);
    }

    @Override
    public void access(String path, int linuxMode) throws ErrnoException {
        files.access(host(path), linuxMode);
    }

    @Override
    public List<HostDirEntry> list(String path) throws ErrnoException {
        return files.list(host(path));
    }

    @Override
    public void mkdir(String path, int mode) throws ErrnoException {
        files.mkdir(host(path), mode);
    }

    @Override
    public void rename(String from, String to, int linuxFlags) throws ErrnoException {
        files.rename(host(from), host(to), linuxFlags);
    }

    @Override
    public void link(String existing, String newPath) throws ErrnoException {
        files.link(host(existing), host(newPath));
    }

    @Override
    public void symlink(byte[] target, String linkPath) throws ErrnoException {
        files.symlink(target, host(linkPath));
    }

    @Override
    public void chmod(String path, int mode) throws ErrnoException {
        files.chmod(host(path), mode);
    }

    @Override
    public void chown(String path, int uid, int gid) throws ErrnoException {
        files.chown(host(path), uid, gid);
    }

    @Override
    public void utimens(String path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        files.utimens(host(path), atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    }

    @Override
    public void truncate(String path, long length) throws ErrnoException {
        files.truncate(host(path), length);
    }

    @Override
    public void mkfifo(String path, int mode) throws ErrnoException {
        files.mkfifo(host(path), mode);
    }

    @Override
    public void unlink(String path) throws ErrnoException {
        files.unlink(host(path));
    }

    @Override
    public void rmdir(String path) throws ErrnoException {
        files.rmdir(host(path));
    }

    @Override
    public HostStatfs statfs(String path) throws ErrnoException {
        return files.statfs(host(path));
    }

    @Override
    public void sync() {
        files.syncAll();
    }
}
