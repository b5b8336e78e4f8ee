package dev.jlx.core.kernel;

import static dev.jlx.abi.IoUring.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.AnonInodeFile;
import dev.jlx.core.fs.EventFd;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.mem.AddressSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An io_uring instance (io_uring/io_uring.c's struct io_ring_ctx), anon_inode:[io_uring]: the SQ
 * and CQ rings in one host allocation laid out as Linux's struct io_rings (IORING_FEAT_SINGLE_MMAP:
 * IORING_OFF_SQ_RING and IORING_OFF_CQ_RING map the same pages), the SQE array in another, both
 * mapped shared into the guest by mmap of the descriptor, so the guest and jlx share the very
 * bytes, as with Linux. jlx reads the SQ tail and writes the CQ tail with acquire and release
 * ordering, as the kernel does. CQEs that find the CQ ring full wait in an overflow list
 * (IORING_FEAT_NODROP) and go in once the guest made room. Guarded by its own monitor, which
 * io_uring_enter's wait waits on; an eventfd is signalled and the file's readiness woken after
 * leaving it.
 */
public final class IoUringRing extends AnonInodeFile {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final HostMemory host;
    private final MemorySegment rings;
    private final MemorySegment sqes;
    private final int sqEntries;
    private final int cqEntries;
    private final int setupFlags;
    /** The SQ index array's offset in the rings, or -1 with IORING_SETUP_NO_SQARRAY. */
    private final int sqArray;
    private final int cqeSize;
    private final int sqeSize;
    private final int uid;
    private final int gid;
    private final Readiness readiness = new Readiness();
    /** The file and each mapping hold the memory; it goes back to the host when none does. */
    private int holders = 1;
    private boolean closed;
    /** Linux's cached_sq_head: the SQEs taken so far, whatever the guest writes into sq.head. */
    private int sqHead;
    private final ArrayDeque<long[]> overflow = new ArrayDeque<>();
    private volatile EventFd eventFd;
    private volatile boolean eventFdAsync;
    private volatile boolean disabled;
    /** IORING_SETUP_SINGLE_ISSUER's task, once known. */
    private volatile GuestThread submitter;
    /** Requests that wait (polls, timeouts, reads armed on readiness), for cancellation. */
    private final List<Pending> pending = new ArrayList<>();
    /** The syscall layer's state of submissions (links, drains, timeouts), made with the ring. */
    private final Object submissions;

    /** A request that waits, with its file (null for a timeout) and what cancels it (true when it still waited and is cancelled now). */
    public record Pending(long userData, int opcode, OpenFile file, java.util.function.BooleanSupplier cancel) {}

    /**
     * A ring of {@code sqEntries} SQEs and {@code cqEntries} CQEs (powers of two, as io_uring_setup
     * rounded them) with the IORING_SETUP_* {@code flags} and the syscall layer's {@code submissions}; ENOMEM when the host refuses the memory.
     */
    public IoUringRing(HostMemory host, int sqEntries, int cqEntries, int flags, int uid, int gid, Object submissions)
            throws ErrnoException {
        super(dev.jlx.abi.OpenFlags.O_RDWR, uid, gid);
        this.submissions = submissions;
        this.host = host;
        this.sqEntries = sqEntries;
        this.cqEntries = cqEntries;
        this.setupFlags = flags;
        this.uid = uid;
        this.gid = gid;
        this.cqeSize = (flags & IORING_SETUP_CQE32) != 0 ? 2 * CQE_SIZE : CQE_SIZE;
        this.sqeSize = (flags & IORING_SETUP_SQE128) != 0 ? 2 * SQE_SIZE : SQE_SIZE;
        // rings_size: the CQEs after the header, cache-line aligned, then the SQ index array.
        long cqEnd = (RING_CQES + (long) cqEntries * cqeSize + 63) & ~63L;
        this.sqArray = (flags & IORING_SETUP_NO_SQARRAY) != 0 ? -1 : (int) cqEnd;
        long size = sqArray < 0 ? cqEnd : cqEnd + 4L * sqEntries;
        this.rings = host.allocate(AddressSpace.pageUp(size));
        if (rings == null) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        this.sqes = host.allocate(AddressSpace.pageUp((long) sqEntries * sqeSize));
        if (sqes == null) {
            host.free(rings);
            throw new ErrnoException(Errno.ENOMEM);
        }
        rings.set(ValueLayout.JAVA_INT, RING_SQ_MASK, sqEntries - 1);
        rings.set(ValueLayout.JAVA_INT, RING_CQ_MASK, cqEntries - 1);
        rings.set(ValueLayout.JAVA_INT, RING_SQ_ENTRIES, sqEntries);
        rings.set(ValueLayout.JAVA_INT, RING_CQ_ENTRIES, cqEntries);
        this.disabled = (flags & IORING_SETUP_R_DISABLED) != 0;
    }

    public int cqEntries() {
        return cqEntries;
    }

    public int setupFlags() {
        return setupFlags;
    }

    /** The SQ index array's offset (sq_off.array), 0 without one. */
    public int sqArrayOffset() {
        return Math.max(sqArray, 0);
    }

    public boolean disabled() {
        return disabled;
    }

    /** IORING_REGISTER_ENABLE_RINGS; EBADFD when the ring was not disabled. */
    public void enable(GuestThread caller) throws ErrnoException {
        if (!disabled) {
            throw new ErrnoException(Errno.EBADFD);
        }
        if ((setupFlags & IORING_SETUP_SINGLE_ISSUER) != 0 && submitter == null) {
            submitter = caller;
        }
        disabled = false;
    }

    public GuestThread submitter() {
        return submitter;
    }

    public void setSubmitter(GuestThread t) {
        submitter = t;
    }

    /**
     * The region mmap maps at {@code offset} (its bits IORING_OFF_MMAP_MASK select it: the rings at
     * IORING_OFF_SQ_RING and IORING_OFF_CQ_RING, the SQEs at IORING_OFF_SQES), at most {@code length}
     * bytes of it: a longer mapping's pages past the region are the caller's to fill (Linux inserts
     * only the region's pages). ENOMEM for another region, as Linux's get_unmapped_area gives.
     */
    public HostMapping mapping(long offset, long length) throws ErrnoException {
        long which = offset & 0xf8000000L;
        MemorySegment region = which == IORING_OFF_SQ_RING || which == IORING_OFF_CQ_RING ? rings
                : which == IORING_OFF_SQES ? sqes : null;
        if (region == null) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        synchronized (this) {
            holders++;
        }
        MemorySegment part = region.asSlice(0, Math.min(AddressSpace.pageUp(length), region.byteSize()));
        return new HostMapping() {
            private boolean done;

            @Override
            public MemorySegment segment() {
                return part;
            }

            @Override
            public void sync(long offset, long length) {
                // Memory, not a file: nothing to write back.
            }

            @Override
            public void zeroFrom(long offset) {
                // The rings never shrink.
            }

            @Override
            public void close() {
                synchronized (IoUringRing.this) {
                    if (done) {
                        return;
                    }
                    done = true;
                }
                drop();
            }
        };
    }

    private void drop() {
        boolean last;
        synchronized (this) {
            last = --holders == 0;
        }
        if (last) {
            host.free(rings);
            host.free(sqes);
        }
    }

    private int ringInt(int offset) {
        return (int) INT.getAcquire(rings, (long) offset);
    }

    /** SQEs the guest has queued and jlx not yet taken. */
    public synchronized int sqReady() {
        return ringInt(RING_SQ_TAIL) - sqHead;
    }

    /**
     * Takes the next SQE (io_get_sqe): a copy of its bytes, or null when its index in the SQ array
     * is out of range, which counts in sq_dropped. The head moves either way.
     */
    public synchronized java.nio.ByteBuffer takeSqe() {
        int slot = sqHead++ & (sqEntries - 1);
        if (sqArray >= 0) {
            slot = rings.get(ValueLayout.JAVA_INT, sqArray + 4L * slot);
            if (Integer.compareUnsigned(slot, sqEntries) >= 0) {
                rings.set(ValueLayout.JAVA_INT, RING_SQ_DROPPED, rings.get(ValueLayout.JAVA_INT, RING_SQ_DROPPED) + 1);
                return null;
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(sqeSize).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        MemorySegment.copy(sqes, (long) slot * sqeSize, MemorySegment.ofBuffer(b), 0, sqeSize);
        return b;
    }

    /** io_commit_sqring: the guest sees the SQEs taken. */
    public void commitSq() {
        synchronized (this) {
            INT.setRelease(rings, (long) RING_SQ_HEAD, sqHead);
        }
        readiness.wake(Readiness.OUTPUT);
    }

    /** Sets the eventfd signalled on each CQE ({@code async}: only those of requests that waited); null to stop. */
    public void setEventFd(EventFd e, boolean async) {
        eventFd = e;
        eventFdAsync = async;
    }

    public EventFd eventFd() {
        return eventFd;
    }

    public Object submissions() {
        return submissions;
    }

    /**
     * Posts a CQE {user_data, res, flags}: into the CQ ring at its tail, or the overflow list when
     * the ring is full (sq_flags' IORING_SQ_CQ_OVERFLOW says so); {@code waited} says whether the
     * request waited (IORING_REGISTER_EVENTFD_ASYNC signals only those).
     */
    public void post(long userData, long res, int flags, boolean waited) {
        synchronized (this) {
            if (closed) {
                return;
            }
            flushOverflow();
            if (!overflow.isEmpty() || !put(userData, res, flags)) {
                overflow.add(new long[] {userData, res, flags});
                setSqFlag(IORING_SQ_CQ_OVERFLOW, true);
            }
            notifyAll();
        }
        readiness.wake(Readiness.INPUT);
        EventFd e = eventFd;
        if (e != null && (waited || !eventFdAsync)) {
            e.signal();
        }
    }

    private boolean put(long userData, long res, int flags) {
        int tail = rings.get(ValueLayout.JAVA_INT, RING_CQ_TAIL);
        if (tail - ringInt(RING_CQ_HEAD) >= cqEntries) {
            return false;
        }
        long at = RING_CQES + (long) (tail & (cqEntries - 1)) * cqeSize;
        rings.set(ValueLayout.JAVA_LONG_UNALIGNED, at, userData);
        rings.set(ValueLayout.JAVA_INT, at + 8, (int) res);
        rings.set(ValueLayout.JAVA_INT, at + 12, flags);
        if (cqeSize > CQE_SIZE) {
            rings.asSlice(at + CQE_SIZE, CQE_SIZE).fill((byte) 0);
        }
        INT.setRelease(rings, (long) RING_CQ_TAIL, tail + 1);
        return true;
    }

    /** Moves overflowed CQEs into the ring while it has room (io_cqring_overflow_flush). */
    private void flushOverflow() {
        while (!overflow.isEmpty()) {
            long[] c = overflow.peek();
            if (!put(c[0], c[1], (int) c[2])) {
                return;
            }
            overflow.poll();
        }
        setSqFlag(IORING_SQ_CQ_OVERFLOW, false);
    }

    private void setSqFlag(int bit, boolean on) {
        int old = ringInt(RING_SQ_FLAGS);
        INT.setRelease(rings, (long) RING_SQ_FLAGS, on ? old | bit : old & ~bit);
    }

    /** CQEs the guest has not reaped yet (with those that overflowed). */
    private int cqReady() {
        return ringInt(RING_CQ_TAIL) - ringInt(RING_CQ_HEAD) + overflow.size();
    }

    /**
     * io_cqring_wait: returns once at least {@code min} CQEs are ready, or at {@code deadline} (a
     * System.nanoTime() value, Long.MAX_VALUE for none: ETIME), or at a signal (EINTR); either error
     * is 0 when a CQE is ready by then, as Linux's.
     */
    public synchronized void awaitCqes(int min, long deadline) throws ErrnoException {
        flushOverflow();
        while (cqReady() < min) {
            Errno error = null;
            try {
                if (!Deadline.waitOn(this, deadline)) {
                    error = Errno.ETIME;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = Errno.EINTR;
            }
            flushOverflow();
            if (error != null) {
                if (ringInt(RING_CQ_TAIL) != ringInt(RING_CQ_HEAD)) {
                    return;
                }
                throw new ErrnoException(error);
            }
        }
    }

    /** Whether {@code min} CQEs are ready (overflowed ones flushed first), as io_cqring_wait asks before it waits. */
    public synchronized boolean cqReadyAtLeast(int min) {
        flushOverflow();
        return cqReady() >= min;
    }

    /** Registers a request that waits. */
    public synchronized void addPending(Pending p) {
        pending.add(p);
    }

    /** A waiting request is done; false when it was no longer registered (cancelled meanwhile). */
    public synchronized boolean removePending(Pending p) {
        return pending.remove(p);
    }

    /** The waiting requests that {@code match}, taken out of the list. */
    public synchronized List<Pending> takePending(Predicate<Pending> match) {
        List<Pending> out = new ArrayList<>();
        pending.removeIf(p -> match.test(p) && out.add(p));
        return out;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    /** io_uring_poll: POLLOUT while the SQ ring has room, POLLIN while a CQE waits to be reaped. */
    @Override
    public synchronized int poll(int events) {
        int mask = 0;
        if (ringInt(RING_SQ_TAIL) - sqHead < sqEntries) {
            mask |= Poll.POLLOUT | Poll.POLLWRNORM;
        }
        if (cqReady() > 0) {
            mask |= Poll.POLLIN | Poll.POLLRDNORM;
        }
        return mask & (events | Poll.POLLERR | Poll.POLLHUP);
    }

    /** The last descriptor went: waiting requests are cancelled, registrations dropped, the memory freed once unmapped. */
    @Override
    protected void release() {
        List<Pending> waiting = takePending(p -> true);
        for (Pending p : waiting) {
            p.cancel().getAsBoolean();
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        eventFd = null;
        closeFiles(setFiles(null));
        drop();
    }

    /** IORING_REGISTER_FILES' table (null entries for sparse slots), or null; each file is held. */
    private OpenFile[] files;
    /** IORING_REGISTER_BUFFERS' buffers as {base, length} pairs, or null. */
    private volatile long[] buffers;

    public synchronized OpenFile[] files() {
        return files;
    }

    /** Replaces the registered files, returning the old table for the caller to close outside the lock. */
    public synchronized OpenFile[] setFiles(OpenFile[] table) {
        OpenFile[] old = files;
        files = table;
        return old;
    }

    /** Closes the files of a table {@link #setFiles} gave back. */
    public static void closeFiles(OpenFile[] table) {
        if (table == null) {
            return;
        }
        for (OpenFile f : table) {
            if (f != null) {
                try {
                    f.close();
                } catch (ErrnoException e) {
                    // As close(2) after the descriptor is gone: nobody hears it.
                }
            }
        }
    }

    public long[] buffers() {
        return buffers;
    }

    public void setBuffers(long[] b) {
        buffers = b;
    }
}
