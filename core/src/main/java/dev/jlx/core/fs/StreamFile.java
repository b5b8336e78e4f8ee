package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;

/**
 * A guest standard stream connected to a Java stream by the embedding API. To the guest it looks
 * like the pipe it would be if a native program's output were captured: fstat reports a FIFO and
 * lseek is ESPIPE. Each write is flushed, so output order matches the guest's own.
 */
public final class StreamFile extends OpenFile {
    private static final int CHUNK = 65536;

    private final InputStream in;
    private final OutputStream out;
    private final long inode;

    private StreamFile(InputStream in, OutputStream out, int flags, long inode) {
        super(flags);
        this.in = in;
        this.out = out;
        this.inode = inode;
    }

    public static StreamFile reading(InputStream in, long inode) {
        return new StreamFile(in, null, OpenFlags.O_RDONLY, inode);
    }

    public static StreamFile writing(OutputStream out, long inode) {
        return new StreamFile(null, out, OpenFlags.O_WRONLY, inode);
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        if (in == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        byte[] buf = new byte[(int) Math.min(dst.byteSize(), CHUNK)];
        // A Java stream need not be thread-safe: the guest's readers take turns, as on a pipe.
        synchronized (in) {
            try {
                int n = in.read(buf);
                if (n <= 0) {
                    return 0;
                }
                MemorySegment.copy(buf, 0, dst, JAVA_BYTE, 0, n);
                return n;
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO, e.toString());
            }
        }
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        if (out == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        // Each write goes out whole, never interleaved with another thread's, as a pipe's.
        synchronized (out) {
            try {
                out.write(src.toArray(JAVA_BYTE));
                out.flush();
                return (int) src.byteSize();
            } catch (IOException e) {
                throw new ErrnoException(Errno.EPIPE, e.toString());
            }
        }
    }

    @Override
    public HostStat stat() {
        return Pipe.stat(inode, 0, 0);
    }

    @Override
    public int bytesReadable() throws ErrnoException {
        if (in == null) {
            return 0;
        }
        // Not under the readers' lock: FIONREAD must not wait for a read that waits for data.
        try {
            return in.available();
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, e.toString());
        }
    }

    @Override
    public HostStatfs statfs() {
        return Pipe.statfs();
    }

    @Override
    protected void release() {
        // The Java streams belong to the embedding application, which closes them.
    }

    /** A stream stands for a pipe: poll and epoll take it (and find it always ready). */
    @Override
    public boolean pollable() {
        return true;
    }
}
