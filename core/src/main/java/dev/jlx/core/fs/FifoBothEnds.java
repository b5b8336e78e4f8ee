package dev.jlx.core.fs;

import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;

/** A FIFO opened O_RDWR: reads from and writes to the same pipe, holding one end of each kind. */
final class FifoBothEnds extends OpenFile {
    private final PipeEnd reader;
    private final PipeEnd writer;

    FifoBothEnds(PipeEnd reader, PipeEnd writer, int status) {
        super(OpenFlags.O_RDWR | status);
        this.reader = reader;
        this.writer = writer;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        reader.setStatusFlags(OpenFlags.O_RDONLY | (statusFlags & ~OpenFlags.O_ACCMODE));
        return reader.read(dst);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        writer.setStatusFlags(OpenFlags.O_WRONLY | (statusFlags & ~OpenFlags.O_ACCMODE));
        return writer.write(src);
    }

    @Override
    public HostStat stat() {
        return reader.stat();
    }

    @Override
    public int poll(int events) {
        return reader.poll(events) | writer.poll(events);
    }

    @Override
    public int bytesReadable() {
        return reader.bytesReadable();
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public Readiness readiness() {
        return reader.readiness();
    }

    @Override
    public long pollGeneration(boolean input) {
        return reader.pollGeneration(input);
    }

    @Override
    public Pipe pipe() {
        return reader.pipe();
    }

    @Override
    public boolean isPipe() {
        return true;
    }

    @Override
    protected void release() throws ErrnoException {
        reader.close();
        writer.close();
    }
}
