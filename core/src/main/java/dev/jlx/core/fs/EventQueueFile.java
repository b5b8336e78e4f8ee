package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import java.util.ArrayDeque;

/**
 * An fsnotify group's descriptor (inotify, fanotify): a queue of events a reader takes whole,
 * readable while one waits, with no offset (noop_llseek). Guarded by the file's monitor.
 */
abstract class EventQueueFile<E> extends AnonInodeFile {
    protected final ArrayDeque<E> queue = new ArrayDeque<>();
    private long readerWakeups;
    private final Readiness readiness = new Readiness();

    protected EventQueueFile(int statusFlags, int uid, int gid) {
        super(statusFlags, uid, gid);
    }

    /** The bytes {@code e} takes in a read. */
    protected abstract int size(E e);

    /** Wakes the readers of an event just queued (under the monitor). */
    protected final void queued() {
        readerWakeups++;
        notifyAll();
        readiness.wake(Readiness.INPUT);
    }

    /** Waits while the queue is empty (under the monitor): EAGAIN with O_NONBLOCK, EINTR on a signal. */
    protected final void awaitEvent() throws ErrnoException {
        while (queue.isEmpty()) {
            if ((statusFlags() & OpenFlags.O_NONBLOCK) != 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            Monitors.await(this);
        }
    }

    /** FIONREAD: the bytes of every queued event. */
    @Override
    public synchronized int bytesReadable() {
        int total = 0;
        for (E e : queue) {
            total += size(e);
        }
        return total;
    }

    @Override
    public synchronized int poll(int events) {
        return queue.isEmpty() ? 0 : events & (Poll.POLLIN | Poll.POLLRDNORM);
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    public synchronized long pollGeneration(boolean input) {
        return input ? readerWakeups : 0;
    }

    /** noop_llseek: the offset stays 0. */
    @Override
    public long seek(long offset, int whence) {
        return 0;
    }
}
