package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;

/**
 * An eventfd (Linux's eventfd_ctx): an unsigned 64-bit counter. A read takes the whole count (or
 * 1 in semaphore mode) and waits while it is 0; a write adds to it and waits while the sum would
 * pass 2^64 - 2. Reads and writes move exactly 8 bytes. A blocked call wakes with EINTR when its
 * Java thread is interrupted.
 */
public final class EventFd extends AnonInodeFile {
    private static final long MAX = 0xfffffffffffffffeL;

    private final boolean semaphore;
    private final int uid;
    private final int gid;
    private long count;
    /** Changes that may let a reader, or a writer, go on (for edge-triggered epoll). */
    private long readerWakeups;
    private long writerWakeups;
    private final Readiness readiness = new Readiness();

    public EventFd(long initial, boolean semaphore, int statusFlags, int uid, int gid) {
        super(OpenFlags.O_RDWR | statusFlags, uid, gid);
        this.count = initial;
        this.semaphore = semaphore;
        this.uid = uid;
        this.gid = gid;
    }

    private boolean nonblocking() {
        return (statusFlags() & OpenFlags.O_NONBLOCK) != 0;
    }

    @Override
    public synchronized int read(MemorySegment dst) throws ErrnoException {
        if (dst.byteSize() < 8) {
            throw new ErrnoException(Errno.EINVAL);
        }
        while (count == 0) {
            await();
        }
        long value = semaphore ? 1 : count;
        count -= value;
        dst.set(JAVA_LONG_UNALIGNED, 0, value);
        writerWakeups++;
        notifyAll();
        readiness.wake(Readiness.OUTPUT);
        return 8;
    }

    @Override
    public synchronized int write(MemorySegment src) throws ErrnoException {
        if (src.byteSize() < 8) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long value = src.get(JAVA_LONG_UNALIGNED, 0);
        if (value == -1L) {
            throw new ErrnoException(Errno.EINVAL);
        }
        while (Long.compareUnsigned(value, MAX - count) > 0) {
            await();
        }
        count += value;
        if (value != 0) {
            readerWakeups++;
            notifyAll();
            readiness.wake(Readiness.INPUT);
        }
        return 8;
    }

    /** Linux's eventfd_signal: adds 1 for the kernel's own use (AIO's completions), never blocking, saturating. */
    public synchronized void signal() {
        if (count != -1L) {
            count++;
            readerWakeups++;
            notifyAll();
            readiness.wake(Readiness.INPUT);
        }
    }

    private void await() throws ErrnoException {
        if (nonblocking()) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        Monitors.await(this);
    }

    @Override
    public synchronized int poll(int events) {
        int ready = 0;
        if (count != 0) {
            ready |= events & (Poll.POLLIN | Poll.POLLRDNORM);
        }
        if (Long.compareUnsigned(count, MAX) < 0) {
            ready |= events & (Poll.POLLOUT | Poll.POLLWRNORM);
        }
        return ready;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public synchronized long pollGeneration(boolean input) {
        return input ? readerWakeups : writerWakeups;
    }

    @Override
    public synchronized int bytesReadable() {
        return 0;
    }

    @Override
    protected void release() {
        // Nothing outside the JVM to give back.
    }
}
