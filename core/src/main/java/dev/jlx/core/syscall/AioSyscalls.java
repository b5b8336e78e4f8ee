package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Mman;
import dev.jlx.abi.struct.Iocb;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.EventFd;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.fs.proc.Cpu;
import dev.jlx.core.kernel.AioContext;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.net.SocketFile;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Linux's native AIO (fs/aio.c), with its checks in its order. A read, write or sync is done at
 * submission, on the submitting thread, and its event written to the ring at once: Linux does the
 * same for buffered I/O on regular files, and blocks io_submit on a pipe or socket that has nothing
 * to give, as jlx does. IOCB_CMD_POLL waits without blocking, as Linux's, for jlx's own files.
 */
final class AioSyscalls {
    private static final int IOCB_CMD_PREAD = 0;
    private static final int IOCB_CMD_PWRITE = 1;
    private static final int IOCB_CMD_FSYNC = 2;
    private static final int IOCB_CMD_FDSYNC = 3;
    private static final int IOCB_CMD_POLL = 5;
    private static final int IOCB_CMD_PREADV = 7;
    private static final int IOCB_CMD_PWRITEV = 8;
    private static final int IOCB_FLAG_RESFD = 1;
    /** /proc/sys/fs/aio-max-nr's default: the events all contexts together may ask for. */
    static final long AIO_MAX_NR = 65536;
    /** Each context's ring is named so in /proc/PID/maps, as Linux's anonymous aio file. */
    private static final ByteString RING_NAME = ByteString.of("/[aio] (deleted)");

    private AioSyscalls() {}

    /**
     * Implements Linux syscall io_setup(2): EFAULT for an unreadable *ctxp, EINVAL for a non-zero one
     * or no events, EAGAIN past aio-max-nr; the ring is mapped in the caller's memory and its address
     * is the context's id.
     */
    static long io_setup(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        GuestMemory mem = p.space().memory();
        long requested = Integer.toUnsignedLong(a.i32(0));
        long ctxp = a.addr(1);
        if (mem.readLong(ctxp) != 0 || requested == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // ioctx_alloc: room for twice the events (half may sit in per-CPU counters), at least 4 per CPU.
        long events = Math.max(requested, 4L * Cpu.count()) * 2 & 0xffffffffL;
        if (events > 0x10000000L / AioContext.EVENT_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (events == 0 || requested > AIO_MAX_NR) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        long size = AddressSpace.pageUp(AioContext.RING_HEADER + events * AioContext.EVENT_SIZE);
        int slots = (int) ((size - AioContext.RING_HEADER) / AioContext.EVENT_SIZE);
        long base = p.space().map(0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                RING_NAME);
        AtomicLong total = p.kernel().aioRequests();
        if (total.addAndGet(requested) > AIO_MAX_NR) {
            total.addAndGet(-requested);
            p.space().unmap(base, size);
            throw new ErrnoException(Errno.EAGAIN);
        }
        ConcurrentHashMap<Long, AioContext> table = p.aioContexts();
        AioContext ctx;
        synchronized (table) {
            int id = 0;
            while (usedId(table, id)) {
                id++;
            }
            ctx = new AioContext(mem, base, size, slots, (int) requested, id);
            table.put(base, ctx);
        }
        try {
            mem.writeLong(ctxp, base);
        } catch (ErrnoException e) {
            destroy(t, ctx);
            throw e;
        }
        return 0;
    }

    private static boolean usedId(ConcurrentHashMap<Long, AioContext> table, int id) {
        for (AioContext c : table.values()) {
            if (c.id() == id) {
                return true;
            }
        }
        return false;
    }

    /** lookup_ioctx: the caller's context of that id; EINVAL for any other value (another process's too). */
    private static AioContext lookup(GuestThread t, long ctxId) throws ErrnoException {
        AioContext ctx = t.process().aioContexts().get(ctxId);
        if (ctx == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ctx;
    }

    /** Implements Linux syscall io_destroy(2): the ring is unmapped once no request is in flight. */
    static long io_destroy(GuestThread t, Args a) throws ErrnoException {
        AioContext ctx = t.process().aioContexts().remove(a.addr(0));
        if (ctx == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        destroy(t, ctx);
        return 0;
    }

    private static void destroy(GuestThread t, AioContext ctx) {
        t.process().aioContexts().remove(ctx.base(), ctx);
        ctx.kill();
        t.process().kernel().aioRequests().addAndGet(-ctx.maxRequests());
        ctx.awaitIdle();
        try {
            t.process().space().unmap(ctx.base(), ctx.mapSize());
        } catch (ErrnoException alreadyGone) {
            // The guest unmapped or moved its ring itself; Linux's vm_munmap fails the same way, silently.
        }
    }

    /**
     * Implements Linux syscall io_submit(2): at most as many iocbs as the ring holds; the number taken
     * before the first that fails, or that one's error.
     */
    static long io_submit(GuestThread t, Args a) throws ErrnoException {
        long nr = a.raw(1);
        if (nr < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        AioContext ctx = lookup(t, a.addr(0));
        nr = Math.min(nr, ctx.slots());
        GuestMemory mem = t.process().space().memory();
        long i = 0;
        try {
            for (; i < nr; i++) {
                submitOne(t, ctx, mem.readLong(a.addr(2) + i * 8));
            }
        } catch (ErrnoException e) {
            if (i == 0) {
                throw e;
            }
        }
        return i;
    }

    /** io_submit_one and __io_submit_one: the iocb's checks, then the request. */
    private static void submitOne(GuestThread t, AioContext ctx, long iocbAddr) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Iocb cb = Iocb.readFrom(mem.readStruct(iocbAddr, Iocb.SIZE), 0);
        if (cb.reserved2() != 0 || cb.nbytes() < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ctx.reserve();
        boolean submitted = false;
        try {
            OpenFile f = t.process().fds().get(cb.fildes());
            EventFd resfd = null;
            if ((cb.flags() & IOCB_FLAG_RESFD) != 0) {
                if (!(t.process().fds().get(cb.resfd()) instanceof EventFd e)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                resfd = e;
            }
            // The iocb's aio_key becomes KIOCB_KEY (0), which io_cancel checks.
            mem.writeInt(iocbAddr + Iocb.AIO_KEY, 0);
            switch (cb.opcode()) {
                case IOCB_CMD_PREAD, IOCB_CMD_PREADV, IOCB_CMD_PWRITE, IOCB_CMD_PWRITEV ->
                        readWrite(t, ctx, f, cb, iocbAddr, resfd);
                case IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC -> fsync(ctx, f, cb, iocbAddr, resfd);
                case IOCB_CMD_POLL -> poll(ctx, f, cb, iocbAddr, resfd);
                default -> throw new ErrnoException(Errno.EINVAL);
            }
            submitted = true;
        } finally {
            if (!submitted) {
                ctx.release();
            }
        }
    }

    /**
     * aio_read and aio_write: the RWF flags (EOPNOTSUPP), the access mode (EBADF), a directory (EINVAL:
     * no read_iter), the buffer or iovecs (EFAULT, EINVAL) and the offset (EINVAL) are the submission's
     * errors; the transfer's own error is the event's result. Pipes and sockets ignore the offset.
     */
    private static void readWrite(GuestThread t, AioContext ctx, OpenFile f, Iocb cb, long iocbAddr, EventFd resfd)
            throws ErrnoException {
        boolean write = cb.opcode() == IOCB_CMD_PWRITE || cb.opcode() == IOCB_CMD_PWRITEV;
        boolean vectored = cb.opcode() == IOCB_CMD_PREADV || cb.opcode() == IOCB_CMD_PWRITEV;
        ReadWriteSyscalls.checkFlags(f, cb.rwFlags());
        if (write ? !f.writable() : !f.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        if ((f.stat().mode() & FileMode.S_IFMT) == FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long[] iov;
        if (vectored) {
            iov = ReadWriteSyscalls.iovecs(t.process().space().memory(), cb.buf(), cb.nbytes());
        } else {
            GuestMemory.accessOk(cb.buf(), cb.nbytes());
            iov = new long[] {cb.buf(), ReadWriteSyscalls.capped(cb.nbytes())};
        }
        long length = 0;
        for (int i = 1; i < iov.length; i += 2) {
            length += iov[i];
        }
        if (cb.offset() < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ReadWriteSyscalls.checkRange(cb.offset(), length);
        long pos = f.isPipe() || f instanceof SocketFile ? -1 : cb.offset();
        long res;
        try {
            res = write ? ReadWriteSyscalls.writeIovecs(t, f, iov, pos, cb.rwFlags())
                    : ReadWriteSyscalls.readIovecs(t, f, iov, pos);
        } catch (ErrnoException e) {
            res = -e.errno().number();
        }
        ctx.complete(iocbAddr, cb.data(), res, 0, resfd);
    }

    /** aio_fsync: no buffer, offset, length or flags (EINVAL), and a file that syncs (regular files, directories). */
    private static void fsync(AioContext ctx, OpenFile f, Iocb cb, long iocbAddr, EventFd resfd) throws ErrnoException {
        int type = f.stat().mode() & FileMode.S_IFMT;
        if (cb.buf() != 0 || cb.offset() != 0 || cb.nbytes() != 0 || cb.rwFlags() != 0
                || type != FileMode.S_IFREG && type != FileMode.S_IFDIR) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long res = 0;
        try {
            f.sync(cb.opcode() == IOCB_CMD_FDSYNC);
        } catch (ErrnoException e) {
            res = -e.errno().number();
        }
        ctx.complete(iocbAddr, cb.data(), res, 0, resfd);
    }

    /**
     * aio_poll: the events are aio_buf's low 16 bits (EINVAL for more, or for an offset, length or
     * flags), with POLLERR and POLLHUP; the event comes when the file is ready, its result the ready
     * events, or 0 once io_cancel or io_destroy cancels it.
     */
    private static void poll(AioContext ctx, OpenFile f, Iocb cb, long iocbAddr, EventFd resfd) throws ErrnoException {
        if ((cb.buf() & ~0xffffL) != 0 || cb.offset() != 0 || cb.nbytes() != 0 || cb.rwFlags() != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int events = (int) cb.buf() | dev.jlx.abi.Poll.POLLERR | dev.jlx.abi.Poll.POLLHUP;
        int ready = f.poll(events) & events;
        if (ready != 0) {
            ctx.complete(iocbAddr, cb.data(), ready, 0, resfd);
            return;
        }
        AtomicBoolean done = new AtomicBoolean();
        Readiness readiness = f.readiness();
        Readiness.Watch[] watch = new Readiness.Watch[1];
        // Woken, Linux's result is the waker's events (a pipe's write: POLLIN|POLLRDNORM), not only those asked for.
        java.util.function.IntConsumer check = changed -> {
            int now = f.poll(0xffff);
            if ((now & events) != 0 && done.compareAndSet(false, true)) {
                readiness.unwatch(watch[0]);
                int res = now & (changed == Readiness.ALL ? -1 : changed | dev.jlx.abi.Poll.POLLERR | dev.jlx.abi.Poll.POLLHUP);
                ctx.complete(iocbAddr, cb.data(), res, 0, resfd);
            }
        };
        ctx.cancellable(iocbAddr, () -> {
            if (done.compareAndSet(false, true)) {
                readiness.unwatch(watch[0]);
                ctx.complete(iocbAddr, cb.data(), 0, 0, resfd);
            }
        });
        watch[0] = readiness.watch(Readiness.ALL, check::accept);
        // A change between the first look and the watch is seen here.
        check.accept(Readiness.ALL);
    }

    /**
     * Implements Linux syscall io_cancel(2): EFAULT for an unreadable iocb, EINVAL for a key jlx did
     * not write, an unknown context or a request not waiting (every one but POLL completes at
     * submission); a waiting POLL is cancelled, its event delivered through the ring, and the result
     * is EINPROGRESS, as Linux's.
     */
    static long io_cancel(GuestThread t, Args a) throws ErrnoException {
        long iocb = a.addr(1);
        int key = t.process().space().memory().readInt(iocb + Iocb.AIO_KEY);
        if (key != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        AioContext ctx = lookup(t, a.addr(0));
        throw new ErrnoException(ctx.cancel(iocb) ? Errno.EINPROGRESS : Errno.EINVAL);
    }

    /** Implements Linux syscall io_getevents(2). */
    static long io_getevents(GuestThread t, Args a) throws ErrnoException {
        long deadline = deadline(t, a.addr(4));
        return getEvents(t, a, deadline);
    }

    /**
     * Implements Linux syscall io_pgetevents(2): as io_getevents, with the signal mask of its struct
     * __aio_sigset swapped in for the wait (EINVAL for a size but 8).
     */
    static long io_pgetevents(GuestThread t, Args a) throws ErrnoException {
        long deadline = deadline(t, a.addr(4));
        if (a.addr(5) != 0) {
            ByteBuffer sig = t.process().space().memory().readStruct(a.addr(5), 16);
            PollSyscalls.swapMask(t, sig.getLong(0), sig.getLong(8));
        }
        return getEvents(t, a, deadline);
    }

    /**
     * The System.nanoTime() deadline of io_getevents' relative timeout (Long.MAX_VALUE for none);
     * Linux does not check the timespec: its nanoseconds are added as they are, a negative time has passed.
     */
    private static long deadline(GuestThread t, long address) throws ErrnoException {
        if (address == 0) {
            return Long.MAX_VALUE;
        }
        Timespec ts = Timespec.readFrom(t.process().space().memory().readStruct(address, Timespec.SIZE), 0);
        long now = System.nanoTime();
        if (ts.sec() >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        long nanos = ts.sec() * 1_000_000_000L + ts.nsec();
        return nanos <= 0 ? now : now + Math.min(nanos, Long.MAX_VALUE - now - 1);
    }

    private static long getEvents(GuestThread t, Args a, long deadline) throws ErrnoException {
        AioContext ctx = lookup(t, a.addr(0));
        long minNr = a.raw(1);
        long nr = a.raw(2);
        if (minNr > nr || minNr < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ctx.getEvents(minNr, nr, a.addr(3), deadline);
    }
}
