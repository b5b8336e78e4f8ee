package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;

/**
 * An open file of the Windows backend: an NT handle and the file offset, which NT leaves to its
 * caller for handles opened for explicit offsets (every read and write here names its offset).
 */
final class WindowsFile implements HostFile {
    /** FALLOC_FL_KEEP_SIZE (linux/falloc.h). */
    private static final int FALLOC_FL_KEEP_SIZE = 1;

    private final WindowsFiles files;
    private final long handle;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final boolean pathOnly;
    private final boolean directory;
    private long position;
    private boolean closed;
    private FlockTable.Key lockKey;

    WindowsFile(WindowsFiles files, long handle, int flags, boolean directory) {
        this.files = files;
        this.handle = handle;
        int accmode = flags & OpenFlags.O_ACCMODE;
        this.pathOnly = (flags & OpenFlags.O_PATH) != 0;
        this.readable = !pathOnly && (accmode == OpenFlags.O_RDONLY || accmode == OpenFlags.O_RDWR);
        this.writable = !pathOnly && (accmode == OpenFlags.O_WRONLY || accmode == OpenFlags.O_RDWR);
        this.append = (flags & OpenFlags.O_APPEND) != 0;
        this.directory = directory;
    }

    private void checkRead() throws ErrnoException {
        if (!readable) {
            throw new ErrnoException(Errno.EBADF);
        }
        if (directory) {
            throw new ErrnoException(Errno.EISDIR);
        }
    }

    private void checkWrite() throws ErrnoException {
        if (!writable) {
            throw new ErrnoException(Errno.EBADF);
        }
    }

    private void checkOpen() throws ErrnoException {
        if (pathOnly) {
            throw new ErrnoException(Errno.EBADF);
        }
    }

    @Override
    public synchronized int read(MemorySegment dst) throws ErrnoException {
        int n = pread(dst, position);
        position += n;
        return n;
    }

    @Override
    public synchronized int write(MemorySegment src) throws ErrnoException {
        checkWrite();
        try {
            if (append) {
                int n = files.nt.write(handle, src, NtLayer.WRITE_TO_END_OF_FILE);
                position = files.nt.queryStandard(handle).endOfFile();
                return n;
            }
            int n = files.nt.write(handle, src, position);
            position += n;
            return n;
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    @Override
    public int pread(MemorySegment dst, long offset) throws ErrnoException {
        checkRead();
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        try {
            return files.nt.read(handle, dst, offset);
        } catch (NtException e) {
            if (e.status() == NtStatus.END_OF_FILE) {
                return 0;
            }
            throw NtErrors.of(e);
        }
    }

    /** pwrite64(2); on a file opened O_APPEND it appends whatever the offset, as Linux's does. */
    @Override
    public int pwrite(MemorySegment src, long offset) throws ErrnoException {
        checkWrite();
        if (offset < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        try {
            return files.nt.write(handle, src, append ? NtLayer.WRITE_TO_END_OF_FILE : offset);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    @Override
    public synchronized long seek(long offset, int whence) throws ErrnoException {
        checkOpen();
        long size = size();
        long next = switch (whence) {
            case Fcntl.SEEK_SET -> offset;
            case Fcntl.SEEK_CUR -> position + offset;
            case Fcntl.SEEK_END -> size + offset;
            case Fcntl.SEEK_DATA -> {
                if (offset < 0 || offset >= size) {
                    throw new ErrnoException(offset < 0 ? Errno.EINVAL : Errno.ENXIO);
                }
                yield offset;
            }
            case Fcntl.SEEK_HOLE -> {
                if (offset < 0 || offset >= size) {
                    throw new ErrnoException(offset < 0 ? Errno.EINVAL : Errno.ENXIO);
                }
                yield size;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (next < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        position = next;
        return next;
    }

    private long size() throws ErrnoException {
        try {
            return files.nt.queryStandard(handle).endOfFile();
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    @Override
    public HostStat stat() throws ErrnoException {
        return files.stat(handle);
    }

    @Override
    public void truncate(long length) throws ErrnoException {
        if (!writable || directory) {
            throw new ErrnoException(pathOnly ? Errno.EBADF : Errno.EINVAL);
        }
        if (length < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        try {
            files.nt.setEndOfFile(handle, length);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        checkOpen();
        try {
            files.nt.flush(handle);
        } catch (NtException e) {
            if (e.status() != NtStatus.INVALID_DEVICE_REQUEST) {
                throw NtErrors.of(e);
            }
        }
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        checkOpen();
        files.chmod(handle, mode);
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        checkOpen();
        files.chown(handle, uid, gid);
    }

    @Override
    public void utimens(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        checkOpen();
        files.utimens(handle, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
    }

    /** fallocate(2): mode 0 grows the file with zeros, KEEP_SIZE reserves; holes NTFS punches only for sparse files. */
    @Override
    public void allocate(int mode, long offset, long length) throws ErrnoException {
        checkWrite();
        if (offset < 0 || length <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((mode & ~FALLOC_FL_KEEP_SIZE) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        try {
            long end = Math.addExact(offset, length);
            if ((mode & FALLOC_FL_KEEP_SIZE) != 0) {
                if (end > size()) {
                    files.nt.setAllocation(handle, end);
                }
            } else if (end > size()) {
                files.nt.setEndOfFile(handle, end);
            }
        } catch (ArithmeticException e) {
            throw new ErrnoException(Errno.EFBIG);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    @Override
    public synchronized int bytesReadable() throws ErrnoException {
        checkOpen();
        if (directory) {
            // FIONREAD is for regular files, pipes, sockets and terminals.
            throw new ErrnoException(Errno.ENOTTY);
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, size() - position));
    }

    @Override
    public HostStatfs statfs() throws ErrnoException {
        return files.statfs(handle);
    }

    @Override
    public void flock(int operation) throws ErrnoException {
        checkOpen();
        files.flocks.lock(lockKey(), this, operation);
    }

    private synchronized FlockTable.Key lockKey() throws ErrnoException {
        if (lockKey == null) {
            try {
                NtLayer.IdInfo id = files.nt.queryId(handle);
                lockKey = new FlockTable.Key(id.volumeSerial(), id.fileId());
            } catch (NtException e) {
                throw NtErrors.of(e);
            }
        }
        return lockKey;
    }

    @Override
    public boolean isTerminal() {
        return false;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (lockKey != null) {
            files.flocks.release(lockKey, this);
        }
        files.close(handle);
    }

    /** Views start at multiples of Windows' allocation granule: a guest offset between them gets an interior part. */
    private static final long GRANULE = 64 * 1024;

    /**
     * A view of the file (NtMapViewOfSection). NTFS keeps a mapped file from shrinking, so a guest's
     * truncation of it is EBUSY while it is mapped (README, Quirks) and no mapped page ever lies past
     * the end.
     */
    @Override
    public HostMapping mapShared(long offset, long length, boolean writable) throws ErrnoException {
        long lead = offset & (GRANULE - 1);
        long size = (length + 4095) & -4096L;
        NtLayer.View view;
        try {
            view = files.nt.mapView(handle, offset - lead, lead + size, writable);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
        MemorySegment segment = MemorySegment.ofAddress(view.address() + lead).reinterpret(size);
        return new HostMapping() {
            @Override
            public MemorySegment segment() {
                return segment;
            }

            @Override
            public void sync(long at, long n) {
                view.flush(lead + at, n);
            }

            @Override
            public void zeroFrom(long at) {
                // Nothing to do: the truncation that would cut these pages off is refused while they are mapped.
            }

            @Override
            public void close() {
                view.close();
            }
        };
    }
}
