package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.EventFd;
import dev.jlx.core.mem.GuestMemory;

/**
 * One Linux AIO context (fs/aio.c's struct kioctx): a ring in guest memory at the context's id,
 * laid out as Linux's struct aio_ring (id, nr, head, tail, magic, compat_features, incompat_features,
 * header_length) and followed by its struct io_event slots, so that libaio can reap events in user
 * space as it does on Linux. jlx writes an event at the tail when a request completes; io_getevents
 * and the guest itself take them at the head. Guarded by its own monitor, which io_getevents waits on.
 */
public final class AioContext {
    public static final int RING_HEADER = 32;
    public static final int EVENT_SIZE = 32;
    private static final int AIO_RING_MAGIC = 0xa10a10a1;
    private static final int AIO_RING_COMPAT_FEATURES = 1;
    private static final int RING_ID = 0;
    private static final int RING_NR = 4;
    private static final int RING_HEAD = 8;
    private static final int RING_TAIL = 12;

    private final GuestMemory memory;
    private final long base;
    private final long mapSize;
    private final int slots;
    private final int maxRequests;
    private final int id;
    /** Linux's trusted ctx->tail: where the next event goes, whatever the guest writes into the ring. */
    private int tail;
    /** Requests submitted and not yet completed (POLL's waits). */
    private int inFlight;
    private boolean dead;
    /** The requests io_cancel can cancel (POLL's waits), by their iocb's address, with what cancels each. */
    private final java.util.Map<Long, Runnable> cancellable = new java.util.HashMap<>();

    /**
     * A context whose ring of {@code slots} events the caller mapped at {@code base} ({@code mapSize}
     * bytes); {@code maxRequests} is what io_setup asked for, as /proc/sys/fs/aio-nr counts it.
     */
    public AioContext(GuestMemory memory, long base, long mapSize, int slots, int maxRequests, int id)
            throws ErrnoException {
        this.memory = memory;
        this.base = base;
        this.mapSize = mapSize;
        this.slots = slots;
        this.maxRequests = maxRequests;
        this.id = id;
        memory.writeInt(base + RING_ID, id);
        memory.writeInt(base + RING_NR, slots);
        memory.writeInt(base + RING_HEAD, 0);
        memory.writeInt(base + RING_TAIL, 0);
        memory.writeInt(base + 16, AIO_RING_MAGIC);
        memory.writeInt(base + 20, AIO_RING_COMPAT_FEATURES);
        memory.writeInt(base + 24, 0);
        memory.writeInt(base + 28, RING_HEADER);
    }

    /** The context's index in its process's table, as Linux writes it to the ring's id. */
    public int id() {
        return id;
    }

    public long base() {
        return base;
    }

    public long mapSize() {
        return mapSize;
    }

    public int slots() {
        return slots;
    }

    public int maxRequests() {
        return maxRequests;
    }

    /**
     * Takes a slot for a new request, as Linux's get_reqs_available: the ring keeps one slot free and
     * an event not yet reaped holds its slot; EAGAIN when none is left.
     */
    public synchronized void reserve() throws ErrnoException {
        int head = Math.floorMod(readRing(RING_HEAD), slots);
        int unreaped = Math.floorMod(tail - head, slots);
        if (dead || unreaped + inFlight >= slots - 1) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        inFlight++;
    }

    /** Gives back a slot {@link #reserve} took for a request that was refused. */
    public synchronized void release() {
        inFlight--;
    }

    /**
     * Linux's aio_complete: the event {obj, data, res, res2} goes into the ring at the tail, the
     * eventfd (if any) is signalled and io_getevents woken.
     */
    public void complete(long obj, long data, long res, long res2, EventFd resfd) {
        synchronized (this) {
            inFlight--;
            cancellable.remove(obj);
            long slot = base + RING_HEADER + (long) tail * EVENT_SIZE;
            try {
                memory.writeLong(slot, data);
                memory.writeLong(slot + 8, obj);
                memory.writeLong(slot + 16, res);
                memory.writeLong(slot + 24, res2);
                tail = (tail + 1) % slots;
                memory.writeInt(base + RING_TAIL, tail);
            } catch (ErrnoException ringUnmapped) {
                // Linux's ring pages outlive a munmap of them; a guest that unmapped its ring loses the event.
            }
            notifyAll();
        }
        if (resfd != null) {
            resfd.signal();
        }
    }

    /**
     * io_getevents: copies at least {@code minNr} (waiting for them until {@code deadline}, a
     * System.nanoTime() value, Long.MAX_VALUE for none) and at most {@code nr} events to {@code events},
     * as Linux's read_events. EINVAL once the context is destroyed with nothing taken, EFAULT when the
     * first copy fails, EINTR for a signal with nothing taken.
     */
    public synchronized long getEvents(long minNr, long nr, long events, long deadline) throws ErrnoException {
        long taken = 0;
        while (true) {
            taken += take(events + taken * EVENT_SIZE, nr - taken, taken);
            if (dead && taken == 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (taken >= minNr || dead) {
                return taken;
            }
            try {
                if (!Deadline.waitOn(this, deadline)) {
                    return taken;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (taken == 0) {
                    throw new ErrnoException(Errno.EINTR);
                }
                return taken;
            }
        }
    }

    /** aio_read_events_ring: up to {@code max} events from the head; EFAULT only when none was copied before. */
    private long take(long to, long max, long before) throws ErrnoException {
        int head = readRing(RING_HEAD);
        int ringTail = readRing(RING_TAIL);
        if (head == ringTail) {
            return 0;
        }
        head = Math.floorMod(head, slots);
        ringTail = Math.floorMod(ringTail, slots);
        long n = 0;
        try {
            while (n < max && head != ringTail) {
                memory.write(to + n * EVENT_SIZE, memory.read(base + RING_HEADER + (long) head * EVENT_SIZE, EVENT_SIZE));
                head = (head + 1) % slots;
                n++;
            }
        } catch (ErrnoException e) {
            if (n == 0 && before == 0) {
                throw e;
            }
        }
        memory.writeInt(base + RING_HEAD, head);
        return n;
    }

    private int readRing(int offset) {
        try {
            return memory.readInt(base + offset);
        } catch (ErrnoException unmapped) {
            return 0;
        }
    }

    /** Registers a request io_cancel and the context's end cancel by running {@code cancel}, which completes it. */
    public synchronized void cancellable(long obj, Runnable cancel) {
        cancellable.put(obj, cancel);
    }

    /** io_cancel: whether the request of the iocb at {@code obj} was waiting; it is cancelled then. */
    public boolean cancel(long obj) {
        Runnable cancel;
        synchronized (this) {
            cancel = cancellable.remove(obj);
        }
        if (cancel != null) {
            cancel.run();
        }
        return cancel != null;
    }

    /**
     * Marks the context destroyed (io_destroy, exit, exec), cancels the requests that wait and wakes
     * io_getevents, which gives EINVAL.
     */
    public void kill() {
        java.util.List<Runnable> waiting;
        synchronized (this) {
            dead = true;
            notifyAll();
            waiting = java.util.List.copyOf(cancellable.values());
            cancellable.clear();
        }
        waiting.forEach(Runnable::run);
    }

    /** Waits until no request is in flight (io_destroy's wait: a read another thread does blocks it). */
    public synchronized void awaitIdle() {
        boolean interrupted = false;
        while (inFlight > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
