package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * poll and ppoll over jlx's files: each asks its {@link OpenFile} whether it is ready, and a call
 * that must wait looks again every few milliseconds until one is, the timeout passes or a signal
 * interrupts it.
 */
final class PollSyscalls {
    /** struct pollfd: int fd, short events, short revents. */
    private static final int POLLFD = 8;
    /** The longest pause between two looks at the files. */
    private static final long MAX_PAUSE_NANOS = 10_000_000;

    private PollSyscalls() {}

    /** Implements Linux syscall poll(2): the timeout in milliseconds, negative for none. */
    static long poll(GuestThread t, Args a) throws ErrnoException {
        int ms = a.i32(2);
        return poll(t, a.addr(0), a.u64(1), ms < 0 ? -1 : ms * 1_000_000L);
    }

    /** Implements Linux syscall ppoll(2): a timespec timeout (NULL for none) and a mask to wait with. */
    static long ppoll(GuestThread t, Args a) throws ErrnoException {
        long timeout = a.addr(2) == 0 ? -1 : TimeSyscalls.readTimespec(t, a.addr(2));
        if (a.addr(3) != 0) {
            if (a.u64(4) != 8) {
                throw new ErrnoException(Errno.EINVAL);
            }
            t.setRestoreMask(t.signalMask());
            t.setSignalMask(t.process().space().memory().readLong(a.addr(3)));
        }
        return poll(t, a.addr(0), a.u64(1), timeout);
    }

    private static long poll(GuestThread t, long fdsAddr, long nfds, long timeoutNanos) throws ErrnoException {
        if (nfds > t.process().rlimits().soft(dev.jlx.abi.Resource.RLIMIT_NOFILE) || nfds > Integer.MAX_VALUE / POLLFD) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        ByteBuffer fds = nfds == 0 ? GuestMemory.structBuffer(0) : mem.readStruct(fdsAddr, (int) nfds * POLLFD);
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        long pause = 100_000;
        while (true) {
            int ready = scan(t.process().fds(), fds, (int) nfds);
            if (ready > 0 || timeoutNanos == 0 || System.nanoTime() >= deadline) {
                if (nfds > 0) {
                    mem.writeStruct(fdsAddr, fds);
                }
                return ready;
            }
            if (t.process().exiting() || (t.process().pendingSignals() & ~t.signalMask()) != 0) {
                throw new ErrnoException(Errno.EINTR);
            }
            try {
                long left = deadline - System.nanoTime();
                long sleep = Math.min(pause, left);
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException e) {
                throw new ErrnoException(Errno.EINTR);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /** Fills each revents; returns how many entries have any. A bad fd is POLLNVAL, a negative one skipped. */
    private static int scan(FdTable table, ByteBuffer fds, int nfds) {
        int ready = 0;
        for (int i = 0; i < nfds; i++) {
            int fd = fds.getInt(i * POLLFD);
            int events = fds.getShort(i * POLLFD + 4) & 0xffff;
            int revents = 0;
            if (fd >= 0) {
                try {
                    revents = table.get(fd).poll(events | Poll.POLLERR | Poll.POLLHUP);
                } catch (ErrnoException badFd) {
                    revents = Poll.POLLNVAL;
                }
            }
            fds.putShort(i * POLLFD + 6, (short) revents);
            if (revents != 0) {
                ready++;
            }
        }
        return ready;
    }
}
