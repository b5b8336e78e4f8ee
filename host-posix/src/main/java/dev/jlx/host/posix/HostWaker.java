package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What lets a thread wait for a host socket in the host's own poll, as a blocking call waits in the
 * kernel (the kernel wakes it, with no thread of jlx's in between), and still be ended by
 * {@link Thread#interrupt}, which is how jlx tells a thread of a signal: a pipe polled beside the
 * socket, which the interrupt writes to. The interrupt reaches it the way it reaches a blocked
 * selector: {@link AbstractSelector#begin} has the JDK call {@link #wakeup} when the thread is
 * interrupted (or at once if it already is); this class is a selector for that alone.
 *
 * <p>Wakers are pooled ({@link #take}, {@link #give}): a JVM holds as many as threads ever waited
 * at once. A late wake-up (an interrupt that raced with the wait's end) leaves a byte that makes a
 * later wait return early once, which its caller takes as a spurious wake-up.
 */
final class HostWaker extends AbstractSelector {
    private static final ConcurrentLinkedQueue<HostWaker> POOL = new ConcurrentLinkedQueue<>();
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;

    private final int readFd;
    private final int writeFd;
    /** The byte {@link #wakeup} writes, and its errno capture: it runs on the interrupter's thread, maybe amid a call. */
    private final MemorySegment one;
    private final MemorySegment capture;

    private HostWaker(int readFd, int writeFd) {
        super(null);
        this.readFd = readFd;
        this.writeFd = writeFd;
        Arena arena = Arena.ofAuto();
        one = arena.allocate(1);
        one.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
        capture = SocketCalls.newCapture(arena);
    }

    /** A waker from the pool, or a new one; null when the host refuses a pipe (the caller waits otherwise). */
    static HostWaker take(int nonblockFlag) {
        HostWaker w = POOL.poll();
        if (w != null) {
            return w;
        }
        SocketCalls.Scratch s = SocketCalls.scratch();
        if (SocketCalls.pipe(s) < 0) {
            return null;
        }
        int r = s.length.get(JAVA_INT, 0);
        int w1 = s.length.get(JAVA_INT, 4);
        for (int fd : new int[] {r, w1}) {
            int fl = SocketCalls.fcntl(s, fd, F_GETFL, 0);
            if (fl < 0 || SocketCalls.fcntl(s, fd, F_SETFL, fl | nonblockFlag) < 0
                    || SocketCalls.fcntl(s, fd, F_SETFD, FD_CLOEXEC) < 0) {
                SocketCalls.close(s, r);
                SocketCalls.close(s, w1);
                return null;
            }
        }
        return new HostWaker(r, w1);
    }

    static void give(HostWaker w) {
        POOL.offer(w);
    }

    /**
     * poll(2) of {@code fd} for the host's {@code events} and of this waker, for up to
     * {@code timeoutMillis} (-1: no limit), ended by an interrupt of the calling thread: {@code fd}'s
     * revents, 0 when none (the time passed, an interrupt, a spurious wake-up).
     */
    int await(int fd, short events, int timeoutMillis) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        int r;
        begin();
        try {
            r = SocketCalls.pollWith(s, fd, events, readFd, timeoutMillis);
        } finally {
            end();
        }
        if ((r & 1 << 16) != 0) {
            // Drained: an interrupt writes one byte, a late one maybe another.
            while (SocketCalls.read(s, readFd, s.value, s.value.byteSize()) > 0) {
                // more bytes
            }
        }
        return r & 0xffff;
    }

    /** The thread waiting in {@link #await} was interrupted: its poll ends (the pipe's full already does too). */
    @Override
    public Selector wakeup() {
        SocketCalls.write(capture, writeFd, one, 1);
        return this;
    }

    // ---- the rest of a selector, which this is not ----

    @Override
    protected void implCloseSelector() {
        throw new UnsupportedOperationException();
    }

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<SelectionKey> keys() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int selectNow() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int select(long timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int select() {
        throw new UnsupportedOperationException();
    }
}
