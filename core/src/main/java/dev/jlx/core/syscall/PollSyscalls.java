package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.abi.struct.EpollEvent;
import dev.jlx.abi.struct.Pollfd;
import dev.jlx.abi.struct.SigsetArgpack;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.abi.struct.Timeval;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.EpollFile;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * poll, select and epoll over jlx's files: each asks its {@link OpenFile} whether it is ready, and
 * a call that must wait sleeps on the files' {@link Readiness} queues until one of them changes,
 * the timeout passes or a signal interrupts it.
 */
final class PollSyscalls {
    private PollSyscalls() {}

    /** Implements Linux syscall poll(2): the timeout in milliseconds, negative for none. */
    static long poll(GuestThread t, Args a) throws ErrnoException {
        int ms = a.i32(2);
        return poll(t, a.addr(0), a.i32(1) & 0xffffffffL, ms < 0 ? -1 : ms * 1_000_000L);
    }

    /** Implements Linux syscall ppoll(2): a timespec timeout (NULL for none) and a mask to wait with. */
    static long ppoll(GuestThread t, Args a) throws ErrnoException {
        long timeout = a.addr(2) == 0 ? -1 : TimeSyscalls.readTimespec(t, a.addr(2));
        swapMask(t, a.addr(3), a.u64(4));
        return poll(t, a.addr(0), a.i32(1) & 0xffffffffL, timeout);
    }

    private static long poll(GuestThread t, long fdsAddr, long nfds, long timeoutNanos) throws ErrnoException {
        // nfds is an unsigned int (the register's upper half is ignored): Linux compares it with
        // RLIMIT_NOFILE as such.
        if (Long.compareUnsigned(nfds, t.process().rlimits().soft(dev.jlx.abi.Resource.RLIMIT_NOFILE)) > 0
                || Long.compareUnsigned(nfds, Integer.MAX_VALUE / Pollfd.SIZE) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        ByteBuffer fds = nfds == 0 ? GuestMemory.structBuffer(0) : mem.readStruct(fdsAddr, (int) nfds * Pollfd.SIZE);
        int ready = await(t, timeoutNanos, waiter -> scan(t.process().fds(), fds, (int) nfds, waiter));
        if (nfds > 0) {
            mem.writeStruct(fdsAddr, fds);
        }
        return ready;
    }

    /** Readiness's wait, ended with EINTR by a signal the thread does not block or the end of the process. */
    private static int await(GuestThread t, long timeoutNanos, Readiness.Scan scan) throws ErrnoException {
        return Readiness.await(timeoutNanos, () -> t.ending() || t.signalPending(), scan);
    }

    /** Implements Linux syscall select(2): a struct timeval timeout (NULL for none), updated with the time left. */
    static long select(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long tv = a.addr(4);
        long timeout = -1;
        if (tv != 0) {
            Timeval timeval = Timeval.readFrom(mem.readStruct(tv, Timeval.SIZE), 0);
            long usec = timeval.usec();
            // Linux folds whole seconds of tv_usec into tv_sec, in 64-bit arithmetic that may wrap, and
            // then refuses what is not a valid timespec.
            long sec = timeval.sec() + usec / 1_000_000;
            long nsec = usec % 1_000_000 * 1000;
            if (sec < 0 || nsec < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            timeout = sec >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : sec * 1_000_000_000L + nsec;
        }
        return select(t, a, timeout, tv, true);
    }

    /** Implements Linux syscall pselect6(2): a timespec timeout, updated, and a {sigset *, size} to wait with. */
    static long pselect6(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long ts = a.addr(4);
        long timeout = ts == 0 ? -1 : TimeSyscalls.readTimespec(t, ts);
        long sigArg = a.addr(5);
        if (sigArg != 0) {
            SigsetArgpack pack = SigsetArgpack.readFrom(mem.readStruct(sigArg, SigsetArgpack.SIZE), 0);
            swapMask(t, pack.sigset(), pack.size());
        }
        return select(t, a, timeout, ts, false);
    }

    /**
     * select over the sets of {@code a}, then the time left written back to the timeval (when
     * {@code timeval}) or timespec at {@code timeoutAddr} (unless 0).
     */
    private static long select(GuestThread t, Args a, long timeout, long timeoutAddr, boolean timeval)
            throws ErrnoException {
        long start = System.nanoTime();
        try {
            return select(t, a.i32(0), a.addr(1), a.addr(2), a.addr(3), timeout);
        } finally {
            if (timeoutAddr != 0) {
                long left = Math.max(0, timeout - (System.nanoTime() - start));
                ByteBuffer b = GuestMemory.structBuffer(timeval ? Timeval.SIZE : Timespec.SIZE);
                if (timeval) {
                    new Timeval(left / 1_000_000_000L, left % 1_000_000_000L / 1000).writeTo(b, 0);
                } else {
                    new Timespec(left / 1_000_000_000L, left % 1_000_000_000L).writeTo(b, 0);
                }
                t.process().space().memory().writeStruct(timeoutAddr, b);
            }
        }
    }

    /** What counts as ready for each of select's three sets (Linux's POLLIN_SET, POLLOUT_SET, POLLEX_SET). */
    private static final int[] SELECT_EVENTS = {Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLHUP | Poll.POLLERR,
            Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLERR, Poll.POLLPRI};

    /**
     * select over the three fd_sets (bitmaps of longs) for fds below {@code nfds}: EBADF for a
     * set fd that is not open; the sets are rewritten with the ready ones, and their count returned.
     */
    private static long select(GuestThread t, int fdLimit, long readSet, long writeSet, long exceptSet,
            long timeoutNanos) throws ErrnoException {
        if (fdLimit < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        FdTable table = t.process().fds();
        // As Linux's core_sys_select: no fd above the table's size can be set, so the sets are read
        // only that far (a set past it may end at an unmapped page).
        int nfds = Math.min(fdLimit, table.capacity());
        GuestMemory mem = t.process().space().memory();
        int words = (nfds + 63) / 64;
        long[] sets = {readSet, writeSet, exceptSet};
        long[][] in = new long[3][words];
        for (int k = 0; k < 3; k++) {
            for (int w = 0; w < words && sets[k] != 0; w++) {
                in[k][w] = mem.readLong(sets[k] + 8L * w);
                if (w == words - 1 && nfds % 64 != 0) {
                    in[k][w] &= (1L << (nfds % 64)) - 1;
                }
            }
        }
        for (int fd = 0; fd < nfds; fd++) {
            long bit = 1L << (fd % 64);
            if (((in[0][fd / 64] | in[1][fd / 64] | in[2][fd / 64]) & bit) != 0) {
                table.peek(fd);
            }
        }
        long[][] out = new long[3][words];
        int ready = await(t, timeoutNanos, waiter -> {
            int count = 0;
            for (int fd = 0; fd < nfds; fd++) {
                long bit = 1L << (fd % 64);
                int w = fd / 64;
                if (((in[0][w] | in[1][w] | in[2][w]) & bit) == 0) {
                    continue;
                }
                OpenFile file = table.peek(fd);
                int asked = 0;
                for (int k = 0; k < 3; k++) {
                    asked |= (in[k][w] & bit) != 0 ? SELECT_EVENTS[k] : 0;
                }
                waiter.watch(file, asked);
                int revents = file.poll(SELECT_EVENTS[0] | SELECT_EVENTS[1] | SELECT_EVENTS[2]);
                for (int k = 0; k < 3; k++) {
                    if ((in[k][w] & bit) != 0 && (revents & SELECT_EVENTS[k]) != 0) {
                        out[k][w] |= bit;
                        count++;
                    }
                }
            }
            return count;
        });
        for (int k = 0; k < 3; k++) {
            for (int w = 0; w < words && sets[k] != 0; w++) {
                mem.writeLong(sets[k] + 8L * w, ready > 0 ? out[k][w] : 0);
            }
        }
        return ready;
    }

    /** Fills each revents; returns how many entries have any. A bad fd is POLLNVAL, a negative one skipped. */
    private static int scan(FdTable table, ByteBuffer fds, int nfds, Readiness.Waiter waiter) {
        int ready = 0;
        for (int i = 0; i < nfds; i++) {
            Pollfd p = Pollfd.readFrom(fds, i * Pollfd.SIZE);
            int fd = p.fd();
            int events = p.events() & 0xffff;
            int revents = 0;
            if (fd >= 0) {
                try {
                    OpenFile file = table.peek(fd);
                    waiter.watch(file, events | Poll.POLLERR | Poll.POLLHUP);
                    revents = file.poll(events | Poll.POLLERR | Poll.POLLHUP);
                } catch (ErrnoException badFd) {
                    revents = Poll.POLLNVAL;
                }
            }
            new Pollfd(fd, p.events(), (short) revents).writeTo(fds, i * Pollfd.SIZE);
            if (revents != 0) {
                ready++;
            }
        }
        return ready;
    }

    /** epoll_create1's only flag, and epoll_ctl's operations. */
    private static final int EPOLL_CLOEXEC = dev.jlx.abi.OpenFlags.O_CLOEXEC;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;

    /** Implements Linux syscall epoll_create(2): the size must be positive and means nothing else. */
    static long epoll_create(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(0) <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return newEpoll(t, 0);
    }

    /** Implements Linux syscall epoll_create1(2). */
    static long epoll_create1(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(0);
        if ((flags & ~EPOLL_CLOEXEC) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return newEpoll(t, flags);
    }

    private static long newEpoll(GuestThread t, int flags) throws ErrnoException {
        GuestProcess p = t.process();
        EpollFile epoll = new EpollFile(dev.jlx.abi.OpenFlags.O_RDWR, p.credentials().fsuid(), p.credentials().fsgid());
        return FileSyscalls.installNew(p, epoll, (flags & EPOLL_CLOEXEC) != 0);
    }

    /**
     * Implements Linux syscall epoll_ctl(2): EBADF for a bad descriptor, EINVAL when epfd is not an
     * epoll instance or is fd itself, EPERM for a file poll cannot wait on (a regular file), ELOOP
     * for an epoll instance that watches this one.
     */
    static long epoll_ctl(GuestThread t, Args a) throws ErrnoException {
        int op = a.i32(1);
        // The event is read first, for every operation but EPOLL_CTL_DEL (EFAULT before EBADF).
        EpollEvent ev = op == EPOLL_CTL_DEL ? null
                : EpollEvent.readFrom(t.process().space().memory().readStruct(a.addr(3), EpollEvent.SIZE), 0);
        FdTable fds = t.process().fds();
        OpenFile epfile = fds.get(a.fd(0));
        int fd = a.fd(2);
        OpenFile file = fds.get(fd);
        if (!(epfile instanceof EpollFile epoll) || file == epfile) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (!file.pollable()) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (op == EPOLL_CTL_DEL) {
            epoll.delete(fd, file);
            return 0;
        }
        if (op != EPOLL_CTL_ADD && op != EPOLL_CTL_MOD) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int events = ev.events();
        if ((events & EpollFile.EPOLLEXCLUSIVE) != 0 && (op == EPOLL_CTL_MOD
                || (events & ~(EpollFile.EPOLLEXCLUSIVE | EpollFile.EPOLLET | EpollFile.EPOLLWAKEUP | 0xffff)) != 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        epoll.control(op == EPOLL_CTL_ADD, fd, file, events, ev.data());
        return 0;
    }

    /** Implements Linux syscall epoll_wait(2): the timeout in milliseconds, negative for none. */
    static long epoll_wait(GuestThread t, Args a) throws ErrnoException {
        int ms = a.i32(3);
        return epollWait(t, a.fd(0), a.addr(1), a.i32(2), ms < 0 ? -1 : ms * 1_000_000L);
    }

    /** Implements Linux syscall epoll_pwait(2): as epoll_wait, with the signal mask swapped for the wait. */
    static long epoll_pwait(GuestThread t, Args a) throws ErrnoException {
        int ms = a.i32(3);
        swapMask(t, a.addr(4), a.u64(5));
        return epollWait(t, a.fd(0), a.addr(1), a.i32(2), ms < 0 ? -1 : ms * 1_000_000L);
    }

    /** Implements Linux syscall epoll_pwait2(2): a timespec timeout (NULL for none). */
    static long epoll_pwait2(GuestThread t, Args a) throws ErrnoException {
        long timeout = a.addr(3) == 0 ? -1 : TimeSyscalls.readTimespec(t, a.addr(3));
        swapMask(t, a.addr(4), a.u64(5));
        return epollWait(t, a.fd(0), a.addr(1), a.i32(2), timeout);
    }

    /** The mask a p-variant waits with, restored when the call returns (after any handler runs). */
    static void swapMask(GuestThread t, long maskAddr, long size) throws ErrnoException {
        if (maskAddr == 0) {
            return;
        }
        if (size != 8) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.setRestoreMask(t.signalMask());
        t.setSignalMask(t.process().space().memory().readLong(maskAddr));
    }

    private static long epollWait(GuestThread t, int epfd, long events, int max, long timeoutNanos)
            throws ErrnoException {
        FdTable fds = t.process().fds();
        OpenFile f = fds.get(epfd);
        if (!(f instanceof EpollFile epoll) || max <= 0 || max > Integer.MAX_VALUE / EpollEvent.SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        List<EpollFile.Ready> ready = new ArrayList<>();
        await(t, timeoutNanos, waiter -> {
            waiter.watch(epoll, Poll.POLLIN);
            ready.addAll(epoll.collect(fds, max));
            return ready.size();
        });
        if (ready.isEmpty()) {
            return 0;
        }
        ByteBuffer out = GuestMemory.structBuffer(ready.size() * EpollEvent.SIZE);
        for (int i = 0; i < ready.size(); i++) {
            new EpollEvent(ready.get(i).events(), ready.get(i).data()).writeTo(out, i * EpollEvent.SIZE);
        }
        t.process().space().memory().writeStruct(events, out);
        return ready.size();
    }
}
