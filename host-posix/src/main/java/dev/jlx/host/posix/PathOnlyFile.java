package dev.jlx.host.posix;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;

/**
 * An O_PATH descriptor where the host has no O_PATH (macOS, and the {@code portable} profile):
 * the file named by its path, without a host descriptor. The open checks what Linux's O_PATH open
 * checks (the path resolves, search permission on its directories, O_DIRECTORY); fstat and fstatfs
 * look at the path again, and every other call is EBADF, as Linux answers an O_PATH descriptor.
 */
final class PathOnlyFile implements HostFile {
    private final PosixFiles files;
    private final ByteString path;

    private PathOnlyFile(PosixFiles files, ByteString path) {
        this.files = files;
        this.path = path;
    }

    /** The last component is not followed, as every open of the backend. */
    static PathOnlyFile open(PosixFiles files, ByteString path, int linuxFlags) throws ErrnoException {
        HostStat st = files.stat(path, false);
        if ((linuxFlags & OpenFlags.O_DIRECTORY) != 0 && (st.mode() & FileMode.S_IFMT) != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        return new PathOnlyFile(files, path);
    }

    @Override
    public HostStat stat() throws ErrnoException {
        return files.stat(path, false);
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        return files.statfs(path);
    }

    private static ErrnoException badf() {
        return new ErrnoException(Errno.EBADF);
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        throw badf();
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        throw badf();
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        throw badf();
    }

    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        throw badf();
    }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        throw badf();
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        throw badf();
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        throw badf();
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        throw badf();
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        throw badf();
    }

    @Override
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        throw badf();
    }

    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        throw badf();
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        throw badf();
    }

    @Override
    public void flock(int operation) throws ErrnoException {
        throw badf();
    }

    /** Linux's poll finds no file behind an O_PATH descriptor. */
    @Override
    public int poll(int events, int timeoutMillis) {
        return POLLNVAL;
    }

    @Override
    public boolean isTerminal() {
        return false;
    }

    @Override
    public void close() {
        // No host descriptor.
    }

    @Override
    public HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        throw badf();
    }

    @Override
    public long getxattr(ByteString name, MemorySegment value) throws ErrnoException {
        throw badf();
    }

    @Override
    public long listxattr(MemorySegment list) throws ErrnoException {
        throw badf();
    }

    @Override
    public void setxattr(ByteString name, MemorySegment value, int flags) throws ErrnoException {
        throw badf();
    }

    @Override
    public void removexattr(ByteString name) throws ErrnoException {
        throw badf();
    }
}
