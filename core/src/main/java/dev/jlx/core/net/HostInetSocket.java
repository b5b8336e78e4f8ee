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
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
public final class HostInetSocket extends SocketFile {
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
    /** What ends any wait: an error or the connection's end. */
    private static final int ALWAYS = Poll.POLLERR | Poll.POLLHUP;

    /**
     * The options passed to the host, as (level &lt;&lt; 32 | name): those whose values are plain
     * data (ints, struct linger, ip_mreqn, ipv6_mreq, tcp_info, a congestion control's name),
     * never ones that carry a guest pointer (SO_ATTACH_FILTER) or make control messages jlx does
     * not pass on (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, SO_TIMESTAMP). The value says whether a
     * host that lacks the option may have its value remembered instead (options programs set and
     * never look at the effect of: glibc's resolver sets IP_RECVERR).
     */
    private static final Map<Long, Boolean> OPTIONS = options();
    /** The SOL_SOCKET options the host keeps: set there as well as here, and read from there. */
    private static final int[] HOST_SOCKET_OPTIONS = {SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_SNDBUF, SO_RCVBUF,
        SO_LINGER, SO_OOBINLINE, SO_REUSEPORT, SO_DONTROUTE, SO_PRIORITY, SO_RCVLOWAT};

    private static Map<Long, Boolean> options() {
        Map<Long, Boolean> m = new java.util.HashMap<>();
        for (int name : new int[] {IP_TOS, IP_TTL, IP_HDRINCL, IP_OPTIONS, IP_MTU_DISCOVER, IP_MTU, IP_FREEBIND,
            IP_BIND_ADDRESS_NO_PORT, IP_MULTICAST_IF, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_ADD_MEMBERSHIP,
            IP_DROP_MEMBERSHIP, IP_MULTICAST_ALL}) {
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
            IPV6_TCLASS}) {
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
    /** An error recvmmsg kept for the next call (sk_err), reported before the host's own. */
    private volatile int keptError;
    /** Values of options the host lacks, remembered as Linux would report them (see {@link #OPTIONS}). */
    private final Map<Long, byte[]> remembered = new ConcurrentHashMap<>();

    private HostInetSocket(int family, int type, int protocol, int statusFlags, int uid, int gid, HostSocket host) {
        super(family, type, protocol, statusFlags, uid, gid);
        this.protocol = protocol;
        this.host = host;
        this.readiness = new Readiness();
    }

    /**
     * A new socket of the host's network; {@code type} and {@code protocol} already checked as
     * inet_create checks them, the protocol 0 resolved to the type's own (SO_PROTOCOL reports it).
     */
    public static HostInetSocket open(HostNetwork network, int family, int type, int protocol, int statusFlags,
            int uid, int gid) throws ErrnoException {
        int resolved = protocol != 0 ? protocol : switch (type) {
            case SOCK_STREAM -> IPPROTO_TCP;
            case SOCK_DGRAM -> IPPROTO_UDP;
            default -> 0;
        };
        HostSocket host = network.open(family, type, protocol);
        return new HostInetSocket(family, type, resolved, statusFlags, uid, gid, host);
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
        boolean all = (events & ALWAYS) != 0;
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

    /**
     * Waits until the host socket is ready for one of {@code events} (or has an error or hung up):
     * true; false when {@code timeout} nanoseconds ({@link #FOREVER}: none) have passed since
     * {@code start}. A signal ends the wait with EINTR (see {@link SocketFile#interrupted}). The
     * wait is the host's own where it has one ({@link HostSocket#await}: the host's kernel wakes
     * this thread, as it would a blocked call); else it parks until the host tells of a change.
     */
    private boolean await(int events, long timeout, long start) throws ErrnoException {
        int want = events | ALWAYS;
        Thread me = Thread.currentThread();
        while (true) {
            long left = timeout == FOREVER ? Long.MAX_VALUE : timeout - (System.nanoTime() - start);
            if (me.isInterrupted() || left <= 0) {
                // A last look, as at the end of the wait below (which needs no watch for it).
                if ((host.poll() & want) != 0) {
                    return true;
                }
                if (me.isInterrupted()) {
                    throw interrupted(timeout);
                }
                return false;
            }
            int ready = host.await(want, timeout == FOREVER ? -1 : left);
            if (ready == -1) {
                return parkUntilReady(want, timeout, start);
            }
            if ((ready & want) != 0) {
                return true;
            }
        }
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

    /** inet_bind and inet6_bind: the address's length and family, then the host's checks. */
    @Override
    public void bind(GuestThread t, byte[] address) throws ErrnoException {
        host.bind(family() == AF_INET ? inet4(address, true, false) : inet6(address));
    }

    /**
     * inet_stream_connect and inet_dgram_connect: AF_UNSPEC dissolves; a stream connect that cannot
     * finish at once is EINPROGRESS for a non-blocking socket, and waits (SO_SNDTIMEO: EINPROGRESS
     * when it passes) for the others; a connect that a signal interrupts goes on connecting (the
     * next one waits again, or is EALREADY without waiting), as Linux's.
     */
    @Override
    public void connect(GuestThread t, byte[] address) throws ErrnoException {
        if (address.length < 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (family(address) == AF_UNSPEC) {
            host.disconnect();
            return;
        }
        InetEndpoint to;
        if (family() == AF_INET) {
            to = inet4(address, false, false);
        } else if (!stream() && family(address) == AF_INET) {
            // ip6_datagram_connect takes an IPv4 address (the host refuses it on an IPV6_V6ONLY socket).
            to = inet4(address, false, false);
        } else {
            to = inet6(address);
        }
        boolean nonblocking = nonblocking();
        long timeout = sendTimeout(false);
        long start = System.nanoTime();
        while (true) {
            try {
                host.connect(to);
                return;
            } catch (ErrnoException e) {
                if ((e.errno() != Errno.EINPROGRESS && e.errno() != Errno.EALREADY) || nonblocking) {
                    throw e;
                }
            }
            if (!await(Poll.POLLOUT, timeout, start)) {
                throw new ErrnoException(Errno.EINPROGRESS);
            }
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
                return new HostInetSocket(family(), type(), protocol, statusFlags, c.fsuid(), c.fsgid(), a.socket());
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
        List<MemorySegment> data = m.data();
        long length = m.length();
        if (m.faulted() && (length == 0 || !stream())) {
            throw new ErrnoException(Errno.EFAULT);
        }
        boolean dontwait = (m.flags() & MSG_DONTWAIT) != 0;
        long timeout = sendTimeout(dontwait);
        long start = System.nanoTime();
        long sent = 0;
        while (true) {
            try {
                sent += host.send(sent == 0 ? data : skip(data, sent), m.flags() & SEND_FLAGS, to);
                if (!stream() || sent >= length || dontwait) {
                    return sent;
                }
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EPIPE) {
                    sigpipe(t, m.flags());
                }
                if (e.errno() != Errno.EAGAIN || timeout == 0) {
                    if (sent > 0 && e.errno() == Errno.EAGAIN) {
                        return sent;
                    }
                    throw e;
                }
            }
            try {
                if (!await(Poll.POLLOUT, timeout, start)) {
                    if (sent > 0) {
                        return sent;
                    }
                    throw new ErrnoException(Errno.EAGAIN);
                }
            } catch (ErrnoException interrupted) {
                if (sent > 0) {
                    return sent;
                }
                throw interrupted;
            }
        }
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

    /** The pieces of {@code data} after its first {@code n} bytes. */
    private static List<MemorySegment> skip(List<MemorySegment> data, long n) {
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
        boolean dontwait = (in.flags & MSG_DONTWAIT) != 0;
        boolean waitall = stream() && (in.flags & (MSG_WAITALL | MSG_PEEK | MSG_TRUNC)) == MSG_WAITALL;
        long timeout = receiveTimeout(dontwait);
        long start = System.nanoTime();
        long capacity = in.capacity();
        long got = 0;
        while (true) {
            try {
                HostSocket.Received r = host.receive(got == 0 ? in.buffer : skip(in.buffer, got),
                        in.flags & RECEIVE_FLAGS, in.wantAddress);
                got += r.length();
                in.resultFlags = r.flags();
                if (in.wantAddress && got == r.length()) {
                    in.address = r.source() == null ? null : sockaddr(r.source());
                }
                if (!waitall || r.length() == 0 || got >= capacity || dontwait) {
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
            try {
                if (!await(Poll.POLLIN | Poll.POLLRDHUP, timeout, start)) {
                    if (got > 0) {
                        return got;
                    }
                    throw new ErrnoException(Errno.EAGAIN);
                }
            } catch (ErrnoException interrupted) {
                if (got > 0) {
                    return got;
                }
                throw interrupted;
            }
        }
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

    private Boolean supported(int level, int name) throws ErrnoException {
        Boolean b = OPTIONS.get(key(level, name));
        if (b == null || (level == SOL_IPV6 && family() == AF_INET) || (level == SOL_TCP && !stream())
                || (level == SOL_UDP && !datagram())) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        return b;
    }

    // ---- the open file ----

    @Override
    protected void release() {
        host.close();
    }
}
