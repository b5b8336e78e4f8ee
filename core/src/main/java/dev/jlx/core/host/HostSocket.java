package dev.jlx.core.host;

import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One socket of the host ({@link HostNetwork#open}, {@link HostNetwork#connectUnix}), non-blocking: a call that would wait is EAGAIN
 * (connect: EINPROGRESS), and whoever waits does so in jlx, where a signal can end the wait. Flags,
 * options and readiness are Linux's values; errors are Linux errno as the host's Linux (or what a
 * Linux would say, translated) gives them. A send never raises SIGPIPE on the host: EPIPE is
 * returned and the caller decides. Calls may come from several threads at once, as on a descriptor.
 */
public interface HostSocket extends AutoCloseable {
    /** bind(2). */
    void bind(InetEndpoint local) throws ErrnoException;

    /** listen(2). */
    void listen(int backlog) throws ErrnoException;

    /** accept(2): the next connection, non-blocking too, and its peer; EAGAIN when none is waiting. */
    Accepted accept() throws ErrnoException;

    /** A connection {@link #accept} took, and the address of its peer then (null when the host gave none). */
    record Accepted(HostSocket socket, InetEndpoint peer) {}

    /**
     * connect(2): 0, or EINPROGRESS while a stream connection is made; called again, the host's
     * answer for the state it is in (EALREADY while it goes on, success once made, the error that
     * ended it, EISCONN after).
     */
    void connect(InetEndpoint remote) throws ErrnoException;

    /** connect(2) with an AF_UNSPEC address: dissolves a datagram socket's association (or a stream's connection). */
    void disconnect() throws ErrnoException;

    /**
     * sendmsg(2) of {@code data} to {@code to} (null: the connected peer), with the Linux MSG_*
     * {@code flags} the host supports (MSG_DONTWAIT and MSG_NOSIGNAL are always added); the bytes taken.
     */
    long send(List<MemorySegment> data, int flags, InetEndpoint to) throws ErrnoException;

    /**
     * recvmsg(2) into {@code into} with Linux MSG_* {@code flags} (MSG_DONTWAIT always added): the
     * bytes received (with MSG_TRUNC on a datagram, its whole length), the sender (when
     * {@code wantSource} and the host gave one), and the Linux msg_flags (MSG_TRUNC, MSG_EOR, MSG_OOB...).
     */
    Received receive(List<MemorySegment> into, int flags, boolean wantSource) throws ErrnoException;

    /**
     * {@link #receive(List, int, boolean)} with the control messages the host gives (those the
     * socket's options ask for: IP_PKTINFO, IP_TTL, timestamps, IP_RECVERR's...), written into
     * {@code control} (null: no room) in Linux's layout and cut as Linux's put_cmsg cuts them
     * (MSG_CTRUNC in the flags); {@link Received#controlLength} says how much of it they took. A
     * host that gives none leaves it untouched, as this default does.
     */
    default Received receive(List<MemorySegment> into, int flags, boolean wantSource, MemorySegment control)
            throws ErrnoException {
        return receive(into, flags, wantSource);
    }

    /** A receive's outcome; {@code controlLength}: the bytes of control messages written (msg_controllen). */
    record Received(long length, InetEndpoint source, int flags, long controlLength) {
        public Received(long length, InetEndpoint source, int flags) {
            this(length, source, flags, 0);
        }
    }

    /** shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR. */
    void shutdown(int how) throws ErrnoException;

    /**
     * Whether the host has the Linux option ({@code level}, {@code name}) at all (a pair the host
     * lacks, such as IP_RECVERR on macOS, is left to the caller, which may remember its value).
     */
    boolean hasOption(int level, int name);

    /**
     * setsockopt(2) of an option {@link #hasOption} has, the value in Linux's layout (an int, a
     * struct linger with seconds, an ip_mreqn...).
     */
    void setOption(int level, int name, byte[] value) throws ErrnoException;

    /** getsockopt(2) into a buffer of {@code length} bytes: the bytes the host wrote (optlen), in Linux's layout. */
    byte[] option(int level, int name, int length) throws ErrnoException;

    /** getsockname(2). */
    InetEndpoint localAddress() throws ErrnoException;

    /** getpeername(2); ENOTCONN without a peer. */
    InetEndpoint peerAddress() throws ErrnoException;

    /** FIONREAD (SIOCINQ): the bytes waiting to be read (a datagram socket: the next datagram's size). */
    int available() throws ErrnoException;

    /** SIOCOUTQ: the bytes sent and not yet acknowledged (stream) or not yet sent (datagram). */
    int unsent() throws ErrnoException;

    /** SIOCATMARK of a stream socket: 1 when the next byte to read is the urgent mark, else 0. */
    int atMark() throws ErrnoException;

    /** poll(2) with a zero timeout: the Linux POLL* bits that hold now (POLLIN, POLLOUT, POLLRDHUP, POLLERR, POLLHUP...). */
    int poll();

    /**
     * Asks the host to tell {@code listener} (with the Linux POLL* bits that may have changed; on
     * any thread, which must not block) each time the socket's readiness may change, as an
     * edge-triggered epoll does: data came (even to a queue that had some), room was made, the
     * peer went, an error came. False when this host cannot tell: a waiter must then look with
     * {@link #poll} now and then. At most one listener per socket; {@link #close} ends it.
     */
    boolean watch(IntConsumer listener);

    /**
     * Waits in the host, as a blocking call waits in the kernel, until the socket is ready for one
     * of the Linux POLL* {@code events} (an error or a hang-up ends it too), {@code nanos} pass
     * (negative: no limit), or the calling thread is interrupted ({@link Thread#interrupt}, which
     * ends the wait at once): the POLL* bits that hold then, 0 when none does (the time passed, an
     * interrupt, or a spurious wake-up). -1 at once when this host cannot wait so: the caller then
     * waits for {@link #watch}'s reports, or looks with {@link #poll}.
     */
    default int await(int events, long nanos) {
        return -1;
    }

    /** close(2): the host socket is gone (a lingering one as the host's close lingers). */
    @Override
    void close();
}
