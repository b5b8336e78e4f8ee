package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.lang.foreign.MemorySegment;

/** One end of a {@link Pipe}, as pipe(2) returns it: read-only or write-only, never seekable. */
public final class PipeEnd extends OpenFile {
    private final Pipe pipe;
    private final boolean reader;

    /** Both ends of a new pipe, [read, write], with pipe2's O_NONBLOCK and O_DIRECT status flags. */
    public static PipeEnd[] create(int uid, int gid, int flags) {
        Pipe pipe = new Pipe(uid, gid);
        int status = flags & (OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT);
        return new PipeEnd[] {new PipeEnd(pipe, true, status), new PipeEnd(pipe, false, status)};
    }

    private PipeEnd(Pipe pipe, boolean reader, int status) {
        super((reader ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY) | status);
        this.pipe = pipe;
        this.reader = reader;
        this.fifoStat = null;
        this.writersSeen = -1;
        pipe.open(reader);
    }

    /** The FIFO's own metadata for an end opened through the file system; null for pipe(2)'s ends. */
    private final java.util.function.Supplier<HostStat> fifoStat;
    /** What {@link Pipe#openFifo} returned for this end: POLLHUP waits for a writer when not -1. */
    private final long writersSeen;

    private PipeEnd(FileSystem.FifoNode fifo, boolean reader, int status, long writersSeen) {
        super((reader ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY) | status);
        this.pipe = fifo.pipe();
        this.reader = reader;
        this.fifoStat = fifo.stat();
        this.writersSeen = writersSeen;
    }

    /**
     * Opens a FIFO kept in the JVM with open(2)'s flags: read or write end as the access mode says,
     * waiting for the other side as {@link Pipe#openFifo} does. O_RDWR gives a read end whose pipe
     * also counts a writer (so it never sees end of file), as Linux's FIFO opened read-write.
     */
    public static OpenFile openFifo(FileSystem.FifoNode fifo, int flags) throws ErrnoException {
        int access = flags & OpenFlags.O_ACCMODE;
        int status = flags & (OpenFlags.O_NONBLOCK | OpenFlags.O_DIRECT | OpenFlags.O_APPEND);
        boolean nonblocking = (flags & OpenFlags.O_NONBLOCK) != 0;
        if (access == OpenFlags.O_RDWR) {
            long writersSeen = fifo.pipe().openFifo(true, true);
            fifo.pipe().openFifo(false, true);
            return new FifoBothEnds(new PipeEnd(fifo, true, status, writersSeen), new PipeEnd(fifo, false, status, -1),
                    status);
        }
        boolean reader = access == OpenFlags.O_RDONLY;
        long writersSeen = fifo.pipe().openFifo(reader, nonblocking);
        return new PipeEnd(fifo, reader, status, writersSeen);
    }

    /** "pipe:[inode]", the name /proc/PID/fd shows. */
    public String name() {
        return "pipe:[" + pipe.inode() + "]";
    }

    private boolean nonblocking() {
        return (statusFlags & OpenFlags.O_NONBLOCK) != 0;
    }

    private boolean packetMode() {
        return (statusFlags & OpenFlags.O_DIRECT) != 0;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        if (!reader) {
            throw new ErrnoException(Errno.EBADF);
        }
        return pipe.read(dst, nonblocking(), packetMode());
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        if (reader) {
            throw new ErrnoException(Errno.EBADF);
        }
        return pipe.write(src, nonblocking(), packetMode());
    }

    @Override
    public HostStat stat() {
        return fifoStat != null ? fifoStat.get() : pipe.stat();
    }

    @Override
    public HostStatfs statfs() {
        return Pipe.statfs();
    }

    @Override
    public int bytesReadable() {
        return pipe.available();
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public Readiness readiness() {
        return pipe.readiness();
    }

    @Override
    public long pollGeneration(boolean input) {
        return pipe.generation(input);
    }

    @Override
    public Pipe pipe() {
        return pipe;
    }

    @Override
    public boolean isPipe() {
        return true;
    }

    @Override
    public int poll(int events) {
        return pipe.poll(reader, events, writersSeen);
    }

    /** F_GETPIPE_SZ. */
    public int capacity() {
        return pipe.capacity();
    }

    /** F_SETPIPE_SZ, at most {@code max} (fs.pipe-max-size); returns the size granted. */
    public int resize(long size, int max) throws ErrnoException {
        return pipe.resize(size, max);
    }

    @Override
    protected void release() {
        pipe.close(reader);
    }
}
