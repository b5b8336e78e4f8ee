package dev.jlx.core.net;

import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostSocket;
import dev.jlx.core.host.InetEndpoint;
import dev.jlx.core.kernel.GuestThread;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocking calls on a socket that lives on the host, shared by {@link HostInetSocket} and a
 * {@link UnixSocket} connected to a host's socket: the host socket never blocks, so jlx sends what
 * it takes, receives what it has and waits in between itself, keeping what went across a signal or
 * a timeout (tcp_sendmsg, unix_stream_sendmsg and their receives return the bytes moved before an
 * error or a signal, and only a call that moved none fails).
 */
final class HostTransfer {
    /** What ends any wait: an error or the connection's end. */
    static final int ALWAYS = Poll.POLLERR | Poll.POLLHUP;

    private HostTransfer() {}

    /** A socket's wait for its host socket (see {@link #await}). */
    @FunctionalInterface
    interface Wait {
        /**
         * Waits until the host socket has one of {@code events}: true; false when {@code timeout}
         * nanoseconds ({@link SocketFile#FOREVER}: none) have passed since {@code start}; a signal
         * is {@link SocketFile#interrupted}'s EINTR.
         */
        boolean await(int events, long timeout, long start) throws ErrnoException;
    }

    /** What a receive does with each piece the host gave besides counting it, given the total so far. */
    @FunctionalInterface
    interface Took {
        void took(HostSocket.Received r, long total);
    }

    /**
     * {@link Wait#await} in the host's own wait ({@link HostSocket#await}: the host's kernel wakes
     * the thread, as it would a blocked call; an interrupt ends it), or in {@code otherwise} on a
     * host without one.
     */
    static boolean await(HostSocket host, int events, long timeout, long start, Wait otherwise)
            throws ErrnoException {
        int want = events | ALWAYS;
        Thread me = Thread.currentThread();
        while (true) {
            long left = timeout == SocketFile.FOREVER ? Long.MAX_VALUE : timeout - (System.nanoTime() - start);
            if (me.isInterrupted() || left <= 0) {
                // A last look, as a wait that ends looks once more.
                if ((host.poll() & want) != 0) {
                    return true;
                }
                if (me.isInterrupted()) {
                    throw SocketFile.interrupted(timeout);
                }
                return false;
            }
            int ready = host.await(want, timeout == SocketFile.FOREVER ? -1 : left);
            if (ready == -1) {
                return otherwise.await(want, timeout, start);
            }
            if ((ready & want) != 0) {
                return true;
            }
        }
    }

    /**
     * A send of {@code m}'s bytes with the host's {@code flags} to {@code to} (null: the peer): as
     * much as the host takes; a blocking {@code stream} send goes on until all is taken. EPIPE
     * raises SIGPIPE unless MSG_NOSIGNAL, when nothing went.
     */
    static long send(GuestThread t, HostSocket host, Outgoing m, int flags, InetEndpoint to, boolean stream,
            long timeout, Wait wait) throws ErrnoException {
        List<MemorySegment> data = m.data();
        long length = m.length();
        long start = System.nanoTime();
        long sent = 0;
        while (true) {
            try {
                sent += host.send(sent == 0 ? data : skip(data, sent), flags, to);
                if (!stream || sent >= length || timeout == 0) {
                    return sent;
                }
            } catch (ErrnoException e) {
                if (sent > 0) {
                    return sent;
                }
                if (e.errno() == Errno.EPIPE) {
                    SocketFile.sigpipe(t, m.flags());
                }
                if (e.errno() != Errno.EAGAIN || timeout == 0) {
                    throw e;
                }
            }
            if (!waitOrKeep(wait, Poll.POLLOUT, timeout, start, sent)) {
                return sent;
            }
        }
    }

    /**
     * A receive into {@code in}'s buffer with the host's {@code flags} (the source when
     * {@code wantSource}, control messages into {@code in.control} when {@code control}): what the
     * host has, waiting for it unless {@code timeout} is 0 (EAGAIN when it passes). MSG_WAITALL on a
     * {@code stream} goes on until the buffer is full, the peer is done, an error or a signal.
     */
    static long receive(HostSocket host, Incoming in, int flags, boolean wantSource, boolean control,
            boolean stream, long timeout, Wait wait, Took took) throws ErrnoException {
        boolean waitall = stream && (in.flags & (MSG_WAITALL | MSG_PEEK | MSG_TRUNC)) == MSG_WAITALL;
        long start = System.nanoTime();
        long capacity = in.capacity();
        long got = 0;
        while (true) {
            try {
                List<MemorySegment> into = got == 0 ? in.buffer : skip(in.buffer, got);
                HostSocket.Received r = control ? host.receive(into, flags, wantSource, in.control)
                        : host.receive(into, flags, wantSource);
                got += r.length();
                in.resultFlags = r.flags();
                if (r.controlLength() > 0) {
                    in.controlLength = r.controlLength();
                }
                if (took != null) {
                    took.took(r, got);
                }
                if (!waitall || r.length() == 0 || got >= capacity || timeout == 0) {
                    return got;
                }
            } catch (ErrnoException e) {
                if (got > 0) {
                    return got;
                }
                if (e.errno() != Errno.EAGAIN || timeout == 0) {
                    throw e;
                }
            }
            if (!waitOrKeep(wait, Poll.POLLIN | Poll.POLLRDHUP, timeout, start, got)) {
                return got;
            }
        }
    }

    /** A wait between two pieces: true to go on; false when it ended and {@code moved} bytes did (else its error). */
    private static boolean waitOrKeep(Wait wait, int events, long timeout, long start, long moved)
            throws ErrnoException {
        try {
            if (wait.await(events, timeout, start)) {
                return true;
            }
        } catch (ErrnoException interrupted) {
            if (moved > 0) {
                return false;
            }
            throw interrupted;
        }
        if (moved > 0) {
            return false;
        }
        throw new ErrnoException(Errno.EAGAIN);
    }

    /** The pieces of {@code data} after its first {@code n} bytes. */
    static List<MemorySegment> skip(List<MemorySegment> data, long n) {
        List<MemorySegment> rest = new ArrayList<>();
        for (MemorySegment s : data) {
            if (n >= s.byteSize()) {
                n -= s.byteSize();
                continue;
            }
            rest.add(n == 0 ? s : s.asSlice(n));
            n = 0;
        }
        return rest;
    }
}
