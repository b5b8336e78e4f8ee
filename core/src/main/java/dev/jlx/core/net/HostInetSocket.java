package dev.jlx.core.net;

import static dev.jlx.abi.Inet.*;
import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostSocket;
import dev.jlx.core.host.InetEndpoint;
import dev.jlx.core.kernel.GuestThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An AF_INET or AF_INET6 socket (TCP, UDP, ping, raw) that lives on the host, as gVisor's hostinet:
 * the host's kernel keeps the connection, its buffers and its state machine, so jlx never queues a
 * guest's bytes; jlx reads the guest's sockaddrs with Linux's checks (inet_bind, inet_stream_connect,
 * udp_sendmsg...), waits itself where a Linux call would block (the host socket never blocks, so a
 * signal or SO_RCVTIMEO/SO_SNDTIMEO ends a wait as signal(7) says), raises SIGPIPE itself, and
 * passes on the options of a named list ({@link #OPTIONS}); any other is ENOPROTOOPT.
 *
 * <p>Readiness: when the host tells of changes ({@link HostSocket#watch}: an epoll thread on Linux),
 * each one bumps the side's {@link #pollGeneration} and wakes the socket's {@link Readiness} queue;
 * otherwise the socket's queue is {@link Readiness#UNSEEN} and waits look again now and then. The
 * host is asked to tell only once poll, select or epoll first looks at the socket: a socket used
 * with blocking calls alone waits in the host ({@link HostSocket#await}) and costs the host's
 * poller nothing.
 */
public final class HostInetSocket extends SocketFile implements InetSockets.Member {
    /** sizeof(struct sockaddr_in); SIN6_LEN_RFC2133 (a sockaddr_in6 without sin6_scope_id) and the whole one. */
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SIN6_LEN_RFC2133 = 24;
    private static final int SOCKADDR_IN6_SIZE = 28;
    /** The most of an option value jlx passes on (TCP_INFO, the largest it lets through, has ~240 bytes). */
    private static final int OPTION_MAX = 512;
    /** The looks of a wait on a host that does not tell of changes: the first and the longest pause. */
    private static final long FIRST_PAUSE_NANOS = 50_000;
    private static final long MAX_PAUSE_NANOS = 10_000_000;
    private static final int INPUT_EVENTS = Poll.POLLIN | Poll.POLLPRI | Poll.POLLRDNORM | Poll.POLLRDBAND
            | Poll.POLLRDHUP;
    private static final int OUTPUT_EVENTS = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;

    /**
     * The options passed to the host, as (level &lt;&lt; 32 | name): those whose values are plain
     * data (ints, struct linger, ip_mreqn, ipv6_mreq, tcp_info, a congestion control's name) and
     * those that make the host add control messages to what recvmsg receives (IP_PKTINFO,
     * IP_RECVTTL, IP_RECVTOS, IP_RECVERR, IPV6_RECVPKTINFO...: the host writes them in Linux's
     * layout), never ones that carry a guest pointer (SO_ATTACH_FILTER). The value says whether a
     * host that lacks the option may have its value remembered instead (options programs set and
     * never look at the effect of: glibc's resolver sets IP_RECVERR).
     */
    private static final Map<Long, Boolean> OPTIONS = options();
    /** The SOL_SOCKET options the host keeps: set there as well as here, and read from there. */
    private static final int[] HOST_SOCKET_OPTIONS = {SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_SNDBUF, SO_RCVBUF,
        SO_LINGER, SO_OOBINLINE, SO_REUSEPORT, SO_DONTROUTE, SO_PRIORITY, SO_RCVLOWAT, SO_TIMESTAMP_OLD,
        SO_TIMESTAMPNS_OLD, SO_TIMESTAMP_NEW, SO_TIMESTAMPNS_NEW, SO_MEMINFO, SO_PEEK_OFF};

    private static Map<Long, Boolean> options() {
        Map<Long, Boolean> m = new java.util.HashMap<>();
        for (int name : new int[] {IP_TOS, IP_TTL, IP_HDRINCL, IP_OPTIONS, IP_MTU_DISCOVER, IP_MTU, IP_FREEBIND,
            IP_BIND_ADDRESS_NO_PORT, IP_MULTICAST_IF, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_ADD_MEMBERSHIP,
            IP_DROP_MEMBERSHIP, IP_MULTICAST_ALL, IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, IP_RECVOPTS, IP_RETOPTS,
            IP_RECVORIGDSTADDR}) {
            m.put(key(SOL_IP, name), false);
        }
        m.put(key(SOL_IP, IP_RECVERR), true);
        for (int name : new int[] {TCP_NODELAY, TCP_MAXSEG, TCP_INFO, TCP_CONGESTION}) {
            m.put(key(SOL_TCP, name), false);
        }
        for (int name : new int[] {TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2,
            TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_USER_TIMEOUT, TCP_FASTOPEN,
            TCP_NOTSENT_LOWAT}) {
            m.put(key(SOL_TCP, name), true);
        }
        for (int name : new int[] {IPV6_UNICAST_HOPS, IPV6_MULTICAST_IF, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP,
            IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP, IPV6_MTU_DISCOVER, IPV6_MTU, IPV6_V6ONLY, IPV6_MULTICAST_ALL,
            IPV6_TCLASS, IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS}) {
            m.put(key(SOL_IPV6, name), false);
        }
        m.put(key(SOL_IPV6, IPV6_RECVERR), true);
        m.put(key(SOL_UDP, UDP_CORK), false);
        return Map.copyOf(m);
    }

    private static long key(int level, int name) {
        return (long) level << 32 | (name & 0xffffffffL);
    }

    private final HostSocket host;
    /** The kernel's /proc/net tables, which list this socket while it lives (a TCP or UDP one). */
    private final InetSockets tables;
    /** Whether the host tells of changes: {@link #UNASKED} until {@link #watched} first asks it. */
    private volatile int watchState = UNASKED;
    private static final int UNASKED = 0;
    private static final int WATCHED = 1;
    private static final int UNSEEN = 2;
    private final Readiness readiness;
    private final AtomicLong inputChanges = new AtomicLong();
    private final AtomicLong outputChanges = new AtomicLong();
    /** The protocol, 0 resolved to the type's own (what SO_PROTOCOL reports and accept hands down). */
    private final int protocol;
    private volatile boolean listening;
    /**
     * The count of input changes when a read last left the stream's queue empty (-1: never): a read
     * that empties the queue takes the peer's FIN too if it had come, which /proc/net/tcp's rx_queue
     * counts until then.
     */
    private volatile long drained = -1;
    /**
     * A stream's sock->state as jlx's connects and accept left it (SS_UNCONNECTED, SS_CONNECTING,
     * SS_CONNECTED), and where it was connecting to: connect looks at it before the address.
     */
    private static final int SS_UNCONNECTED = 1;
    private static final int SS_CONNECTING = 2;
    private static final int SS_CONNECTED = 3;
    private volatile int connection = SS_UNCONNECTED;
    private volatile InetEndpoint connectingTo;
    /** The peer of an accepted connection as the host's accept gave it (null otherwise). */
    private volatile InetEndpoint acceptedFrom;
    /** An error recvmmsg kept for the next call (sk_err), reported before the host's own. */
    private volatile int keptError;
    /** Values of options the host lacks, remembered as Linux would report them (see {@link #OPTIONS}). */
    private final Map<Long, byte[]> remembered = new ConcurrentHashMap<>();

    private HostInetSocket(InetSockets tables, int family, int type, int protocol, int statusFlags, int uid, int gid,
            HostSocket host) {
        super(family, type, protocol, statusFlags, uid, gid);
        this.protocol = protocol;
        this.host = host;
        this.tables = tables;
        this.readiness = new Readiness();
        if (table() != null) {
            tables.add(this);
        }
    }

    /**
     * A new socket of the host's network; {@code type} and {@code protocol} already checked as
     * inet_create checks them, the protocol 0 resolved to the type's own (SO_PROTOCOL reports it).
     */
    public static HostInetSocket open(HostNetwork network, InetSockets tables, int family, int type, int protocol,
            int statusFlags, int uid, int gid) throws ErrnoException {
        int resolved = protocol != 0 ? protocol : switch (type) {
            case SOCK_STREAM -> IPPROTO_TCP;
            case SOCK_DGRAM -> IPPROTO_UDP;
            default -> 0;
        };
        HostSocket host = network.open(family, type, protocol);
        return new HostInetSocket(tables, family, type, resolved, statusFlags, uid, gid, host);
    }

    private boolean stream() {
        return type() == SOCK_STREAM;
    }

    private boolean datagram() {
        return type() == SOCK_DGRAM;
    }

    // ---- readiness ----

    /** The host's word that the socket's readiness may have changed (on the host's poller thread). */
    private void hostChanged(int events) {
        boolean all = (events & HostTransfer.ALWAYS) != 0;
        if (all || (events & INPUT_EVENTS) != 0) {
            inputChanges.incrementAndGet();
        }
        if (all || (events & OUTPUT_EVENTS) != 0) {
            outputChanges.incrementAndGet();
        }
        readiness.wake(all ? Readiness.ALL : events);
    }

    /**
     * Whether the host tells of the socket's changes, asking it to on the first call: before the
     * caller first looks at the socket, so that no change after that look goes untold.
     */
    private boolean watched() {
        int state = watchState;
        if (state == UNASKED) {
            synchronized (this) {
                state = watchState;
                if (state == UNASKED) {
                    state = watchState = host.watch(this::hostChanged) ? WATCHED : UNSEEN;
                }
            }
        }
        return state == WATCHED;
    }

    @Override
    public Readiness readiness() {
        return watched() ? readiness : Readiness.UNSEEN;
    }

    @Override
    public long pollGeneration(boolean input) {
        if (!watched()) {
            return -1;
        }
        return input ? inputChanges.get() : outputChanges.get();
    }

    @Override
    protected int readyEvents() {
        return host.poll();
    }

    /** {@link HostTransfer#await}: in the host's wait, else parked until the host tells of a change. */
    private boolean await(int events, long timeout, long start) throws ErrnoException {
        return HostTransfer.await(host, events, timeout, start, this::parkUntilReady);
    }

    /** {@link #await} on a host without a wait of its own: parks until told of a change, or looks now and then. */
    private boolean parkUntilReady(int want, long timeout, long start) throws ErrnoException {
        Thread me = Thread.currentThread();
        boolean watched = watched();
        Readiness.Watch w = watched ? readiness.watch(want, e -> LockSupport.unpark(me)) : null;
        try {
            long pause = FIRST_PAUSE_NANOS;
            while (true) {
                // Registered first, then looked: a change after this look wakes the park below.
                if ((host.poll() & want) != 0) {
                    return true;
                }
                if (me.isInterrupted()) {
                    throw interrupted(timeout);
                }
                long left = timeout == FOREVER ? Long.MAX_VALUE : timeout - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, watched ? left : Math.min(pause, left));
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
        } finally {
            if (w != null) {
                readiness.unwatch(w);
            }
        }
    }

    // ---- addresses ----

    /**
     * A sockaddr_in (16 bytes at least, else EINVAL) of family AF_INET, or AF_UNSPEC where
     * {@code unspecAny} allows it: inet_bind takes AF_UNSPEC with INADDR_ANY, udp_sendmsg any
     * AF_UNSPEC address (EAFNOSUPPORT otherwise).
     */
    private static InetEndpoint inet4(byte[] a, boolean unspecAny, boolean unspecAll) throws ErrnoException {
        if (a.length < SOCKADDR_IN_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int family = family(a);
        if (family != AF_INET) {
            boolean any = a[4] == 0 && a[5] == 0 && a[6] == 0 && a[7] == 0;
            if (family != AF_UNSPEC || !(unspecAll || (unspecAny && any))) {
                throw new ErrnoException(Errno.EAFNOSUPPORT);
            }
        }
        return new InetEndpoint(Arrays.copyOfRange(a, 4, 8), port(a), 0, 0);
    }

    /** A sockaddr_in6: SIN6_LEN_RFC2133 bytes at least (EINVAL), AF_INET6 (EAFNOSUPPORT); the scope id when given. */
    private static InetEndpoint inet6(byte[] a) throws ErrnoException {
        if (a.length < SIN6_LEN_RFC2133) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (family(a) != AF_INET6) {
            throw new ErrnoException(Errno.EAFNOSUPPORT);
        }
        ByteBuffer b = ByteBuffer.wrap(a);
        int scope = a.length >= SOCKADDR_IN6_SIZE ? b.order(ByteOrder.LITTLE_ENDIAN).getInt(24) : 0;
        return new InetEndpoint(Arrays.copyOfRange(a, 8, 24), port(a), b.order(ByteOrder.BIG_ENDIAN).getInt(4), scope);
    }

    private static int family(byte[] a) {
        return (a[0] & 0xff) | (a[1] & 0xff) << 8;
    }

    private static int port(byte[] a) {
        return (a[2] & 0xff) << 8 | (a[3] & 0xff);
    }

    /** The sockaddr_in or sockaddr_in6 for {@code e}, as inet_getname and inet6_getname write it. */
    static byte[] sockaddr(InetEndpoint e) {
        byte[] ip = e.address();
        ByteBuffer b = ByteBuffer.allocate(e.ipv6() ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE);
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) (e.ipv6() ? AF_INET6 : AF_INET));
        b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) e.port());
        if (e.ipv6()) {
            b.putInt(4, e.flowInfo()).put(8, ip).order(ByteOrder.LITTLE_ENDIAN).putInt(24, e.scopeId());
        } else {
            b.put(4, ip);
        }
        return b.array();
    }

    // ---- the calls ----

    /**
     * Landlock's check of a TCP socket's bind or connect (hook_socket_bind, hook_socket_connect),
     * before the protocol's: the port of an address of the socket's family; others are the
     * protocol's to refuse.
     */
    private void landlockPort(GuestThread t, byte[] address, long access) throws ErrnoException {
        int size = family() == AF_INET ? 16 : 28;
        if (t.landlock() != null && stream() && address.length >= size && family(address) == family()) {
            dev.jlx.core.kernel.Landlock.checkPort(t, (address[2] & 0xff) << 8 | (address[3] & 0xff), access);
        }
    }

    /** inet_bind and inet6_bind: the address's length and family, then the host's checks. */
    @Override
    public void bind(GuestThread t, byte[] address) throws ErrnoException {
        landlockPort(t, address, dev.jlx.core.kernel.Landlock.BIND_TCP);
        host.bind(family() == AF_INET ? inet4(address, true, false) : inet6(address));
    }

    /**
     * inet_stream_connect and inet_dgram_connect: AF_UNSPEC dissolves; a stream connect that cannot
     * finish at once is EINPROGRESS for a non-blocking socket, and waits (SO_SNDTIMEO: EINPROGRESS
     * when it passes) for the others; a connect that a signal interrupts goes on connecting (the
     * next one waits again, or is EALREADY without waiting), as Linux's.
     *
     * <p>The address is the protocol's to check, after the socket's state: a stream that is connected
     * or listening is EISCONN whatever the address, one still connecting goes on with the connect it
     * began (__inet_stream_connect); a datagram socket gets its port first (inet_dgram_connect's
     * autobind), so a bad address leaves it bound.
     */
    @Override
    public void connect(GuestThread t, byte[] address) throws ErrnoException {
        if (address.length < 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        landlockPort(t, address, dev.jlx.core.kernel.Landlock.CONNECT_TCP);
        if (family(address) == AF_UNSPEC) {
            host.disconnect();
            connection = SS_UNCONNECTED;
            return;
        }
        InetEndpoint to;
        try {
            to = remote(address);
        } catch (ErrnoException bad) {
            if (datagram()) {
                autobind();
                throw bad;
            }
            if (!stream()) {
                throw bad;
            }
            to = connectingTo;
            if (connection == SS_CONNECTED || listening) {
                throw new ErrnoException(Errno.EISCONN);
            }
            if (connection != SS_CONNECTING || to == null) {
                throw bad;
            }
        }
        boolean nonblocking = nonblocking();
        long timeout = sendTimeout(false);
        long start = System.nanoTime();
        boolean asked = false;
        while (true) {
            try {
                host.connect(to);
                connection = SS_CONNECTED;
                return;
            } catch (ErrnoException e) {
                boolean going = e.errno() == Errno.EINPROGRESS || e.errno() == Errno.EALREADY;
                if (going) {
                    connectingTo = to;
                    connection = SS_CONNECTING;
                } else if (asked && e.errno() == Errno.EISCONN) {
                    // This wait's own connect has finished (a BSD host says so where Linux returns 0).
                    connection = SS_CONNECTED;
                    return;
                } else if (e.errno() != Errno.EISCONN) {
                    connection = SS_UNCONNECTED;
                }
                if (!going || nonblocking) {
                    throw e;
                }
            }
            // On the loopback the handshake is over by the time the first call returns EINPROGRESS:
            // asking again at once spares the poll.
            if (asked && !await(Poll.POLLOUT, timeout, start)) {
                throw new ErrnoException(Errno.EINPROGRESS);
            }
            asked = true;
        }
    }

    /**
     * The destination of a connect as tcp_v4_connect, tcp_v6_connect and the datagram connects check
     * it: an AF_INET6 datagram socket takes an IPv4 address too (EAFNOSUPPORT first when IPV6_V6ONLY).
     */
    private InetEndpoint remote(byte[] address) throws ErrnoException {
        if (family() == AF_INET) {
            return inet4(address, false, false);
        }
        if (!stream() && family(address) == AF_INET) {
            if (address.length < SOCKADDR_IN_SIZE && host.hasOption(SOL_IPV6, IPV6_V6ONLY)
                    && host.option(SOL_IPV6, IPV6_V6ONLY, 4)[0] != 0) {
                throw new ErrnoException(Errno.EAFNOSUPPORT);
            }
            // The host refuses an IPv4 address of the right length on an IPV6_V6ONLY socket itself.
            return inet4(address, false, false);
        }
        return inet6(address);
    }

    /** inet_autobind: an unbound datagram socket takes a port (EAGAIN when none is free). */
    private void autobind() throws ErrnoException {
        if (host.localAddress().port() != 0) {
            return;
        }
        try {
            host.bind(new InetEndpoint(new byte[family() == AF_INET ? 4 : 16], 0, 0, 0));
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.EAGAIN);
        }
    }

    @Override
    public void listen(GuestThread t, int backlog) throws ErrnoException {
        host.listen(backlog);
        listening = true;
    }

    /** inet_accept: waits as long as SO_RCVTIMEO allows (EAGAIN after), unless non-blocking. */
    @Override
    public SocketFile accept(GuestThread t, boolean nonblocking, int statusFlags) throws ErrnoException {
        long timeout = receiveTimeout(nonblocking);
        long start = System.nanoTime();
        while (true) {
            try {
                HostSocket.Accepted a = host.accept();
                var c = t.process().credentials();
                HostInetSocket s = new HostInetSocket(tables, family(), type(), protocol, statusFlags, c.fsuid(),
                        c.fsgid(), a.socket());
                s.connection = SS_CONNECTED;
                s.acceptedFrom = a.peer();
                return s;
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EAGAIN || timeout == 0) {
                    throw e;
                }
            }
            if (!await(Poll.POLLIN, timeout, start)) {
                throw new ErrnoException(Errno.EAGAIN);
            }
        }
    }

    @Override
    public byte[] localAddress() throws ErrnoException {
        return sockaddr(host.localAddress());
    }

    @Override
    public byte[] peerAddress() throws ErrnoException {
        return sockaddr(host.peerAddress());
    }

    /** inet_getname with peer 2 skips the state check: a connection reset before accept still names its peer. */
    @Override
    public byte[] acceptedPeerAddress() throws ErrnoException {
        InetEndpoint from = acceptedFrom;
        return from != null ? sockaddr(from) : peerAddress();
    }

    /** The MSG_* flags a send passes to the host (the rest are jlx's: MSG_DONTWAIT, MSG_NOSIGNAL, MSG_BATCH...). */
    private static final int SEND_FLAGS = MSG_OOB | MSG_DONTROUTE | MSG_EOR | MSG_MORE | MSG_CONFIRM;
    private static final int RECEIVE_FLAGS = MSG_OOB | MSG_PEEK | MSG_TRUNC | MSG_ERRQUEUE;

    /**
     * inet_sendmsg: the destination checked as udp_sendmsg or udpv6_sendmsg does (a stream ignores
     * it, as tcp_sendmsg); then as much as the host takes. A blocking stream send goes on until all
     * is taken (a signal or SO_SNDTIMEO ends it with what was, or EINTR/EAGAIN when nothing was);
     * EPIPE raises SIGPIPE unless MSG_NOSIGNAL.
     */
    @Override
    public long send(GuestThread t, Outgoing m) throws ErrnoException {
        InetEndpoint to = m.address() == null || stream() ? null : destination(m.address());
        if (m.faulted() && (m.length() == 0 || !stream())) {
            throw new ErrnoException(Errno.EFAULT);
        }
        long timeout = sendTimeout((m.flags() & MSG_DONTWAIT) != 0);
        return HostTransfer.send(t, host, m, m.flags() & SEND_FLAGS, to, stream(), timeout, this::await);
    }

    /** A datagram's destination: udp_sendmsg's checks on AF_INET, udpv6_sendmsg's on AF_INET6 (AF_UNSPEC: none). */
    private InetEndpoint destination(byte[] a) throws ErrnoException {
        if (family() == AF_INET) {
            return inet4(a, false, true);
        }
        if (a.length < 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return switch (family(a)) {
            case AF_INET6 -> inet6(a);
            case AF_INET -> inet4(a, false, false);
            case AF_UNSPEC -> null;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    /**
     * inet_recvmsg: what the host has, waiting for it unless MSG_DONTWAIT (SO_RCVTIMEO: EAGAIN when
     * it passes); MSG_WAITALL on a stream goes on until the buffer is full, the peer is done, an
     * error comes or a signal (with what it has).
     */
    @Override
    public long receive(GuestThread t, Incoming in) throws ErrnoException {
        if (in.faulted && in.capacity() == 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
        // The error queue is read at once, empty or not (ip_recv_error: EAGAIN).
        long timeout = receiveTimeout((in.flags & (MSG_DONTWAIT | MSG_ERRQUEUE)) != 0);
        long capacity = in.capacity();
        return HostTransfer.receive(host, in, in.flags & RECEIVE_FLAGS, in.wantAddress, true, stream(), timeout,
                this::await, (r, got) -> {
                    if (got < capacity && stream() && (in.flags & MSG_PEEK) == 0) {
                        drained = inputChanges.get();
                    }
                    if (in.wantAddress && got == r.length()) {
                        in.address = r.source() == null ? null : sockaddr(r.source());
                    }
                });
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        host.shutdown(how);
    }

    @Override
    public int inputQueued() throws ErrnoException {
        return host.available();
    }

    @Override
    public int outputQueued() throws ErrnoException {
        return host.unsent();
    }

    /** tcp_ioctl's SIOCATMARK, from the host; UDP and raw sockets have none. */
    @Override
    public int atMark() throws ErrnoException {
        return type() == SOCK_STREAM ? host.atMark() : -1;
    }

    @Override
    protected boolean listening() {
        return listening;
    }

    @Override
    public int takeError() {
        int kept = keptError;
        if (kept != 0) {
            keptError = 0;
            return kept;
        }
        try {
            return ByteBuffer.wrap(host.option(SOL_SOCKET, SO_ERROR, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        } catch (ErrnoException e) {
            return 0;
        }
    }

    @Override
    public void keepError(Errno e) {
        keptError = e.number();
    }

    @Override
    protected boolean reusesPorts() {
        return true;
    }

    // ---- options ----

    @Override
    public boolean hasProtocolOptions() {
        return true;
    }

    /** UDP's and TCP's peek offset is the host's own (its MSG_PEEK reads from it): where the host has one. */
    @Override
    protected boolean peeksAtOffset() {
        return host.hasOption(SOL_SOCKET, SO_PEEK_OFF);
    }

    /** The host's kernel stamps what it receives and writes the control message. */
    @Override
    protected boolean timestamps(int name) {
        return host.hasOption(SOL_SOCKET, name);
    }

    private static boolean hostKeeps(int name) {
        for (int n : HOST_SOCKET_OPTIONS) {
            if (n == name) {
                return true;
            }
        }
        return false;
    }

    /** The host gets each SOL_SOCKET option it keeps; the *FORCE sizes as the plain ones (the host caps them). */
    @Override
    protected void socketOptionSet(int name, OptionValue value) throws ErrnoException {
        int hostName = name == SO_SNDBUFFORCE ? SO_SNDBUF : name == SO_RCVBUFFORCE ? SO_RCVBUF : name;
        if (hostKeeps(hostName) && host.hasOption(SOL_SOCKET, hostName)) {
            host.setOption(SOL_SOCKET, hostName, value.read(Math.min(value.length(), OPTION_MAX)));
        }
    }

    @Override
    protected byte[] socketOption(int name, int length) throws ErrnoException {
        if (hostKeeps(name) && host.hasOption(SOL_SOCKET, name)) {
            return host.option(SOL_SOCKET, name, length);
        }
        return null;
    }

    /**
     * The options of the protocol levels: an IPv6 level on an AF_INET socket is ENOPROTOOPT (as
     * ip_setsockopt's), an option outside {@link #OPTIONS} too; the rest is the host's, which checks
     * the value's length and the socket's type as Linux does.
     */
    @Override
    protected void setProtocolOption(int level, int name, OptionValue value) throws ErrnoException {
        if ((level == SOL_IP || level == SOL_IPV6) && (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP)) {
            joinOrLeave(level, name == MCAST_JOIN_GROUP, value);
            return;
        }
        Boolean rememberable = supported(level, name);
        byte[] v = value.read(Math.min(value.length(), OPTION_MAX));
        if (host.hasOption(level, name)) {
            host.setOption(level, name, v);
        } else if (rememberable) {
            if (v.length < 4) {
                throw new ErrnoException(Errno.EINVAL);
            }
            remembered.put(key(level, name), Arrays.copyOf(v, 4));
        } else {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
    }

    @Override
    protected byte[] protocolOption(int level, int name, int length) throws ErrnoException {
        Boolean rememberable = supported(level, name);
        if (host.hasOption(level, name)) {
            return host.option(level, name, Math.min(length, OPTION_MAX));
        }
        if (!rememberable) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        if (length < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] v = remembered.getOrDefault(key(level, name), new byte[4]);
        return Arrays.copyOf(v, Math.min(length, 4));
    }

    /**
     * MCAST_JOIN_GROUP and MCAST_LEAVE_GROUP (ip_mcast_join_leave, ipv6_mcast_join_leave): a whole
     * struct group_req (EINVAL when shorter, EFAULT unreadable) whose group is of the level's family
     * (EINVAL), passed to the host as the ip_mreqn or ipv6_mreq of IP_ADD_MEMBERSHIP and its kin,
     * which joins and answers as Linux (EADDRINUSE joined twice, EADDRNOTAVAIL leaving a group not joined).
     */
    private void joinOrLeave(int level, boolean join, OptionValue value) throws ErrnoException {
        boolean v6 = level == SOL_IPV6;
        int name = v6 ? join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP : join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP;
        supported(level, name);
        if (value.length() < GROUP_REQ_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer greq = ByteBuffer.wrap(value.read(GROUP_REQ_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        int ifindex = greq.getInt(0);
        if (Short.toUnsignedInt(greq.getShort(8)) != (v6 ? AF_INET6 : AF_INET)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (!host.hasOption(level, name)) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        // ip_mreqn {imr_multiaddr, imr_address 0, imr_ifindex}; ipv6_mreq {ipv6mr_multiaddr, ipv6mr_interface}.
        ByteBuffer mreq = ByteBuffer.allocate(v6 ? 20 : 12).order(ByteOrder.LITTLE_ENDIAN);
        if (v6) {
            mreq.put(0, greq.array(), 8 + 8, 16).putInt(16, ifindex);
        } else {
            mreq.put(0, greq.array(), 8 + 4, 4).putInt(8, ifindex);
        }
        host.setOption(level, name, mreq.array());
    }

    private Boolean supported(int level, int name) throws ErrnoException {
        Boolean b = OPTIONS.get(key(level, name));
        if (b == null || (level == SOL_IPV6 && family() == AF_INET) || (level == SOL_TCP && !stream())
                || (level == SOL_UDP && !datagram())) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        return b;
    }

    // ---- /proc/net/tcp, tcp6, udp and udp6 ----

    /** TCP states (include/net/tcp_states.h) the tables print. */
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_CLOSE = 7;
    private static final int TCP_LISTEN = 10;
    /** struct tcp_info's fields the tables use: tcpi_state (u8), and u32s in microseconds or counts. */
    private static final int TCPI_RETRANSMITS = 2;
    private static final int TCPI_PROBES = 3;
    private static final int TCPI_RTO = 8;
    private static final int TCPI_ATO = 12;
    private static final int TCPI_UNACKED = 24;
    private static final int TCPI_SND_SSTHRESH = 76;
    private static final int TCPI_SND_CWND = 80;
    private static final int TCP_INFO_USED = 84;
    /** TCP_INFINITE_SSTHRESH: a connection still in its first slow start (the tables print -1). */
    private static final int TCP_INFINITE_SSTHRESH = 0x7fffffff;
    /** sk_meminfo's SK_MEMINFO_RMEM_ALLOC, SK_MEMINFO_WMEM_ALLOC and SK_MEMINFO_DROPS, and its size. */
    private static final int MEMINFO_RMEM = 0;
    private static final int MEMINFO_WMEM = 2;
    private static final int MEMINFO_DROPS = 8;
    private static final int MEMINFO_SIZE = 36;
    /** The kernel address column (%pK), hidden as for a reader without CAP_SYSLOG. */
    private static final String HIDDEN_POINTER = "0000000000000000";

    /** tcp or udp (tcp6, udp6 for AF_INET6); null for the other protocols, which other files list. */
    @Override
    public InetSockets.Table table() {
        boolean v4 = family() == AF_INET;
        if (stream() && protocol == IPPROTO_TCP) {
            return v4 ? InetSockets.Table.TCP : InetSockets.Table.TCP6;
        }
        if (datagram() && protocol == IPPROTO_UDP) {
            return v4 ? InetSockets.Table.UDP : InetSockets.Table.UDP6;
        }
        return null;
    }

    /**
     * The socket's line as tcp4_seq_show, udp4_format_sock and their IPv6 forms print it, from what
     * the host tells now: addresses, state (TCP_INFO's where the host has it), queues (SIOCOUTQ and
     * SIOCINQ for TCP, SO_MEMINFO's memory counts for UDP), the inode's owner and number. Timers
     * are not known (0). A TCP socket is listed while listening or connected (Linux's hash tables
     * hold no closed or only bound one), a UDP one once bound.
     */
    @Override
    public InetSockets.Line procLine() {
        try {
            InetEndpoint local = host.localAddress();
            return stream() ? tcpLine(local) : udpLine(local);
        } catch (ErrnoException gone) {
            return null;
        }
    }

    /** The host's TCP_INFO, or null where it has none. */
    private ByteBuffer tcpInfo() throws ErrnoException {
        if (host.hasOption(SOL_TCP, TCP_INFO)) {
            byte[] i = host.option(SOL_TCP, TCP_INFO, TCP_INFO_USED);
            if (i.length >= TCP_INFO_USED) {
                return ByteBuffer.wrap(i).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        return null;
    }

    private int tcpState(ByteBuffer info, InetEndpoint peer) {
        return info != null ? info.get(0) & 0xff : listening ? TCP_LISTEN : peer != null ? TCP_ESTABLISHED : TCP_CLOSE;
    }

    /**
     * What inet_diag reports of the socket (inet_sk_diag_fill), when /proc/net lists it: a listener's
     * queues are its accept queue and backlog as TCP_INFO tells them, others' SIOCINQ and SIOCOUTQ.
     */
    @Override
    public InetSockets.Diag diag() {
        if (table() == null) {
            return null;
        }
        try {
            InetEndpoint local = host.localAddress();
            InetEndpoint peer = peerOrNull();
            int state;
            int rq;
            int wq;
            if (stream()) {
                ByteBuffer info = tcpInfo();
                state = tcpState(info, peer);
                if (state == TCP_CLOSE) {
                    return null;
                }
                rq = state == TCP_LISTEN ? (info != null ? info.getInt(TCPI_UNACKED) : 0) : queue(true);
                wq = state == TCP_LISTEN ? (info != null ? info.getInt(TCPI_UNACKED + 4) : 0) : queue(false);
            } else {
                if (local.port() == 0) {
                    return null;
                }
                state = peer != null ? TCP_ESTABLISHED : TCP_CLOSE;
                rq = queue(true);
                wq = queue(false);
            }
            return new InetSockets.Diag(family(), stream() ? IPPROTO_TCP : IPPROTO_UDP, state, local,
                    peer, rq, wq, uid(), inode());
        } catch (ErrnoException gone) {
            return null;
        }
    }

    private InetSockets.Line tcpLine(InetEndpoint local) throws ErrnoException {
        ByteBuffer info = tcpInfo();
        InetEndpoint peer = peerOrNull();
        int state = tcpState(info, peer);
        if (state == TCP_CLOSE) {
            return null;
        }
        int tx = 0;
        int rx;
        String tail;
        if (state == TCP_LISTEN) {
            // A listener's receive queue is its accept queue; the rest is what a listener has:
            // TCP_TIMEOUT_INIT (100 clock ticks), TCP_INIT_CWND, the TCP_FASTOPEN queue's length.
            rx = info != null ? info.getInt(TCPI_UNACKED) : 0;
            int fastopen = 0;
            if (host.hasOption(SOL_TCP, TCP_FASTOPEN)) {
                fastopen = ByteBuffer.wrap(Arrays.copyOf(host.option(SOL_TCP, TCP_FASTOPEN, 4), 4))
                        .order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            }
            tail = "100 0 0 10 " + fastopen;
        } else {
            tx = queue(false);
            // rcv_nxt - copied_seq: SIOCINQ, and the peer's FIN until a read empties the queue after it
            // came (no change told since that read; a host that tells none: any such read).
            int inq = queue(true);
            rx = inq + (finReceived(state) && (inq > 0 || drained != inputChanges.get()) ? 1 : 0);
            // rto and ato in clock ticks (USER_HZ 100: microseconds / 10000); the quick-ack count is not known.
            int rto = info != null ? info.getInt(TCPI_RTO) / 10_000 : 20;
            int ato = info != null ? info.getInt(TCPI_ATO) / 10_000 : 0;
            int cwnd = info != null ? info.getInt(TCPI_SND_CWND) : 10;
            int ssthresh = info != null ? info.getInt(TCPI_SND_SSTHRESH) : TCP_INFINITE_SSTHRESH;
            tail = rto + " " + ato + " 0 " + cwnd + " "
                    + (Integer.compareUnsigned(ssthresh, TCP_INFINITE_SSTHRESH) >= 0 ? -1 : ssthresh);
        }
        int retransmits = info != null ? info.get(TCPI_RETRANSMITS) & 0xff : 0;
        int probes = info != null ? info.get(TCPI_PROBES) & 0xff : 0;
        return new InetSockets.Line(String.format("%s %s %02X %08X:%08X 00:00000000 %08X %5d %8d %d 1 %s %s",
                hex(local), hex(peer), state, tx, rx, retransmits, Integer.toUnsignedLong(uid()), probes, inode(),
                HIDDEN_POINTER, tail), state == TCP_LISTEN);
    }

    private InetSockets.Line udpLine(InetEndpoint local) throws ErrnoException {
        if (local.port() == 0) {
            return null;
        }
        InetEndpoint peer = peerOrNull();
        int tx;
        int rx;
        int drops = 0;
        if (host.hasOption(SOL_SOCKET, SO_MEMINFO)) {
            ByteBuffer m = ByteBuffer.wrap(Arrays.copyOf(host.option(SOL_SOCKET, SO_MEMINFO, MEMINFO_SIZE),
                    MEMINFO_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
            rx = m.getInt(4 * MEMINFO_RMEM);
            tx = m.getInt(4 * MEMINFO_WMEM);
            drops = m.getInt(4 * MEMINFO_DROPS);
        } else {
            tx = queue(false);
            rx = queue(true);
        }
        return new InetSockets.Line(String.format("%s %s %02X %08X:%08X 00:00000000 00000000 %5d        0 %d 2 %s %d",
                hex(local), hex(peer), peer != null ? TCP_ESTABLISHED : TCP_CLOSE, tx, rx,
                Integer.toUnsignedLong(uid()), inode(), HIDDEN_POINTER, drops), false);
    }

    /** CLOSE_WAIT, LAST_ACK, CLOSING and TIME_WAIT: the states after the peer's FIN came. */
    private static boolean finReceived(int state) {
        return state == 8 || state == 9 || state == 11 || state == 6;
    }

    private InetEndpoint peerOrNull() {
        try {
            return host.peerAddress();
        } catch (ErrnoException e) {
            return null;
        }
    }

    /** SIOCINQ or SIOCOUTQ, 0 when the host has no answer. */
    private int queue(boolean input) {
        try {
            return input ? host.available() : host.unsent();
        } catch (ErrnoException e) {
            return 0;
        }
    }

    /** An address and port as the tables print them (none: zeros). */
    private String hex(InetEndpoint e) {
        if (e == null) {
            return family() == AF_INET ? "00000000:0000" : "00000000000000000000000000000000:0000";
        }
        byte[] a = e.address();
        return (a.length == 4 ? InetSockets.hex4(a) : InetSockets.hex6(a)) + String.format(":%04X", e.port());
    }

    // ---- the open file ----

    @Override
    protected void release() {
        if (table() != null) {
            tables.remove(this);
        }
        host.close();
    }
}
