package dev.jlx.core.ipc;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A descriptor of a POSIX message queue (mq_open): it reads as Linux's mqueue file does (the queue's
 * size and notification, one line), polls readable while the queue holds messages and writable while
 * it has room. A regular file of the mqueue file system to fstat, 80 bytes long as Linux's.
 */
public final class MqueueFile extends OpenFile {
    /** The mqueue file system's device: an anonymous one (0:N), apart from every other file system of jlx. */
    private static final long DEV = 0x13;
    /** Linux's FILENT_SIZE: the size an mqueue file shows. */
    private static final int FILENT_SIZE = 80;
    private final PosixQueue queue;
    private long position;

    public MqueueFile(PosixQueue queue, int flags) {
        super(flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_CLOEXEC));
        this.queue = queue;
    }

    public PosixQueue queue() {
        return queue;
    }

    @Override
    public synchronized int read(MemorySegment dst) {
        byte[] text = queue.describe().getBytes(StandardCharsets.US_ASCII);
        int n = (int) Math.max(0, Math.min(dst.byteSize(), text.length - position));
        MemorySegment.copy(text, (int) position, dst, JAVA_BYTE, 0, n);
        position += n;
        return n;
    }

    @Override
    public HostStat stat() {
        long sec = queue.ctime / 1000;
        long nsec = queue.ctime % 1000 * 1_000_000;
        return new HostStat(DEV, queue.inode, FileMode.S_IFREG | queue.mode(), 1, queue.uid(), queue.gid(), 0,
                FILENT_SIZE, 4096, 0, sec, nsec, sec, nsec, sec, nsec);
    }

    @Override
    public int poll(int events) {
        return queue.poll(events);
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public Readiness readiness() {
        return queue.readiness;
    }

    @Override
    public long pollGeneration(boolean input) {
        return queue.generation(input);
    }

    @Override
    protected void release() throws ErrnoException {
        // The queue lives while its name or another descriptor holds it: nothing to give back.
    }
}
