package dev.jlx.host.windows;

import static dev.jlx.abi.Inet.IPV6_V6ONLY;
import static dev.jlx.abi.Inet.SOL_IPV6;
import static dev.jlx.abi.Socket.SOL_SOCKET;
import static dev.jlx.abi.Socket.SO_ERROR;
import static dev.jlx.abi.Socket.SO_LINGER;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostSocket;
import dev.jlx.core.host.InetEndpoint;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What the java.nio network's stream and datagram sockets share: Linux's {@code sk_err} and
 * {@code sk_shutdown}, which the JDK does not keep the way Linux does (a failed connect closes the
 * channel, a shut input reads as end of file at once); the options ({@link NioOptions}, IPV6_V6ONLY,
 * SO_ERROR); the addresses; and the poller's registration. Every call holds the socket's lock and
 * none blocks under it (the channels never block); the listener is told outside it.
 */
abstract sealed class NioSocket implements HostSocket, NioPoller.Target permits NioStreamSocket, NioDatagramSocket {
    /** sk_shutdown's bits (RCV_SHUTDOWN, SEND_SHUTDOWN): shutdown(2)'s {@code how} plus one. */
    static final int RCV_SHUTDOWN = 1;
    static final int SEND_SHUTDOWN = 2;
    static final int SHUTDOWN_MASK = 3;
    /** The most a socket reads ahead of its guest: stream bytes, or one datagram (the largest UDP's). */
    static final int AHEAD = 64 * 1024;

    final boolean ipv6;
    private final boolean stream;
    final NioOptions.Values values;
    /** sk_err: an errno the next call (or SO_ERROR) reports and clears; 0 for none. */
    int error;
    /** sk_shutdown. */
    int shutdown;
    boolean closed;
    /** IPV6_V6ONLY, which the JDK cannot set: see {@link #checkV6only}. */
    boolean v6only;
    private volatile IntConsumer listener;
    /** The changes noted and not yet told (POLL* bits). */
    private int untold;
    private NioPoller poller;
    private SelectionKey key;
    private int armed;

    NioSocket(boolean ipv6, boolean stream, NioOptions.Values values) {
        this.ipv6 = ipv6;
        this.stream = stream;
        this.values = values;
    }

    // ---- what each kind says ----

    /** The channel options are set on now; null for none. */
    abstract NetworkChannel optionChannel();

    /** The channel the poller watches now; null for none. */
    abstract SelectableChannel selectable();

    /** The SelectionKey operations the socket waits for now (0: none). */
    abstract int interest();

    /** Takes what {@code readyOps} says is ready (the poller's thread, the lock held), noting what {@link #changed}. */
    abstract void take(int readyOps);

    /** Whether the socket has a local port (inet_num): IPV6_V6ONLY is fixed from then on. */
    abstract boolean hasPort();

    // ---- readiness ----

    @Override
    public boolean watch(IntConsumer l) {
        NioPoller p = NioPoller.get();
        if (p == null) {
            return false;
        }
        synchronized (this) {
            if (listener != null || closed) {
                return false;
            }
            listener = l;
            poller = p;
            rearm();
        }
        return true;
    }

    /**
     * Brings the poller's registration in line with the socket (its lock held): a channel the socket
     * has become is registered once it waits for something (an idle channel stays unregistered, so
     * that closing it frees its port at once), and the interest follows {@link #interest}.
     */
    final void rearm() {
        if (poller == null) {
            return;
        }
        SelectableChannel c = closed ? null : selectable();
        if (key != null && key.channel() != c) {
            key = null;
            armed = 0;
        }
        int want = c == null ? 0 : interest();
        if (key == null) {
            if (want != 0) {
                armed = want;
                key = poller.register(c, want, this);
            }
            return;
        }
        if (want != armed) {
            int old = armed;
            armed = want;
            poller.changed(key, old, want);
        }
    }

    @Override
    public final void fired(SelectionKey k, int readyOps) {
        synchronized (this) {
            if (closed || k != key) {
                return;
            }
            take(readyOps);
            rearm();
        }
        flush();
    }

    /**
     * Notes (the lock held) that the readiness of {@code events} changed: data or a connection was
     * taken ahead, a connect ended, an error or the peer's end came, room was made. Whichever thread
     * finds such a change (the poller's, or a call's own look) tells the listener when it lets go of
     * the lock ({@link #flush}), so that a change is heard of even when a guest's poll found it first
     * (an EPOLLET waiter would otherwise miss an edge the selector will not fire again).
     */
    final void changed(int events) {
        untold |= events;
    }

    /** Tells the listener of the changes noted (never with the socket's lock held). */
    final void flush() {
        int events;
        synchronized (this) {
            events = untold;
            untold = 0;
        }
        IntConsumer l = listener;
        if (events != 0 && l != null) {
            l.accept(events);
        }
    }

    /** A channel the socket leaves is closed: the poller lets go of it now. */
    final void released() {
        if (poller != null) {
            poller.closed();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeChannels();
            key = null;
        }
        released();
    }

    /** Closes every channel of the socket (its lock held). */
    abstract void closeChannels();

    /** SIOCATMARK: java.nio cannot ask the host where the urgent mark is: never at it (a quirk). */
    @Override
    public int atMark() {
        return 0;
    }

    /**
     * Takes sk_err (sock_error), the lock held: the error, or null for none. A socket that stopped
     * waiting for data while it had one waits again.
     */
    final ErrnoException takeError() {
        int e = error;
        error = 0;
        rearm();
        return e == 0 ? null : new ErrnoException(Errno.of(e));
    }

    // ---- options ----

    @Override
    public boolean hasOption(int level, int name) {
        return (level == SOL_SOCKET && name == SO_ERROR) || (level == SOL_IPV6 && name == IPV6_V6ONLY && ipv6)
                || NioOptions.find(level, name, stream, ipv6) != null;
    }

    private NioOptions.Option find(int level, int name) throws ErrnoException {
        NioOptions.Option o = NioOptions.find(level, name, stream, ipv6);
        if (o == null) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        return o;
    }

    @Override
    public void setOption(int level, int name, byte[] value) throws ErrnoException {
        if (level == SOL_IPV6 && name == IPV6_V6ONLY && ipv6) {
            // do_ipv6_setsockopt: an int, and only before the socket has a port.
            synchronized (this) {
                if (value.length < 4 || hasPort()) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                v6only = le(value).getInt(0) != 0;
            }
            return;
        }
        NioOptions.Option o = find(level, name);
        int v;
        int seconds = 0;
        if (level == SOL_SOCKET && name == SO_LINGER) {
            if (value.length < 8) {
                throw new ErrnoException(Errno.EINVAL);
            }
            v = le(value).getInt(0) != 0 ? 1 : 0;
            seconds = le(value).getInt(4);
        } else {
            v = NioOptions.parse(o, value);
        }
        synchronized (this) {
            NioOptions.apply(optionChannel(), o, v, seconds);
            values.put(o, v, seconds);
        }
    }

    @Override
    public byte[] option(int level, int name, int length) throws ErrnoException {
        if (level == SOL_SOCKET && name == SO_ERROR) {
            // What the socket knows of now: a connect's end, a datagram's ICMP error.
            poll();
            synchronized (this) {
                ErrnoException e = takeError();
                return NioOptions.encode(level, e == null ? 0 : e.errno().number(), length);
            }
        }
        if (level == SOL_IPV6 && name == IPV6_V6ONLY && ipv6) {
            synchronized (this) {
                return NioOptions.encode(level, v6only ? 1 : 0, length);
            }
        }
        NioOptions.Option o = find(level, name);
        synchronized (this) {
            int v = values.get(o, optionChannel(), stream);
            if (level == SOL_SOCKET && name == SO_LINGER) {
                byte[] linger = le(new byte[8]).putInt(0, v).putInt(4, values.lingerSeconds()).array();
                return java.util.Arrays.copyOf(linger, Math.min(Math.max(length, 0), 8));
            }
            return NioOptions.encode(level, v, length);
        }
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---- addresses ----

    /** The JDK's address for {@code e} (an IPv4-mapped IPv6 address becomes the IPv4 one, as the JDK does). */
    static InetSocketAddress address(InetEndpoint e) {
        byte[] a = e.address();
        try {
            InetAddress ia = e.ipv6() && e.scopeId() != 0 && !mapped(a)
                    ? Inet6Address.getByAddress(null, a, e.scopeId()) : InetAddress.getByAddress(a);
            return new InetSocketAddress(ia, e.port());
        } catch (UnknownHostException x) {
            throw new IllegalStateException("an address of 4 or 16 bytes", x);
        }
    }

    /**
     * Where a connect or send to {@code e} goes: Linux takes the wildcard address for the loopback
     * one (ip_route_connect), where the JDK would take the address of the host's name.
     */
    static InetSocketAddress destination(InetEndpoint e) {
        byte[] a = e.address();
        boolean any = true;
        for (byte b : a) {
            any &= b == 0;
        }
        if (any) {
            a[a.length - 1] = 1;
            if (a.length == 4) {
                a[0] = 127;
            }
            return address(new InetEndpoint(a, e.port(), e.flowInfo(), e.scopeId()));
        }
        return address(e);
    }

    /** {@code a} as this socket's endpoint: an IPv6 socket's IPv4 peer is an IPv4-mapped address, as Linux gives it. */
    final InetEndpoint endpoint(SocketAddress s) {
        if (!(s instanceof InetSocketAddress isa) || isa.getAddress() == null) {
            return unbound();
        }
        byte[] a = isa.getAddress().getAddress();
        if (ipv6 && a.length == 4) {
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(a, 0, m, 12, 4);
            a = m;
        }
        int scope = isa.getAddress() instanceof Inet6Address i6 ? i6.getScopeId() : 0;
        return new InetEndpoint(a, isa.getPort(), 0, scope);
    }

    /** The wildcard address and port 0: a socket's name before bind. */
    final InetEndpoint unbound() {
        return new InetEndpoint(new byte[ipv6 ? 16 : 4], 0, 0, 0);
    }

    /** The wildcard address of the socket's family with {@code port}. */
    final InetSocketAddress wildcard(int port) {
        return address(new InetEndpoint(new byte[ipv6 ? 16 : 4], port, 0, 0));
    }

    static boolean mapped(byte[] a) {
        if (a.length != 16 || a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code e} is an IPv4 address (plain or IPv4-mapped), which an IPV6_V6ONLY socket does not reach. */
    static boolean ipv4(InetEndpoint e) {
        return !e.ipv6() || mapped(e.address());
    }

    /**
     * IPV6_V6ONLY's refusal of IPv4 for this socket: ENETUNREACH for a connect or send to an IPv4
     * address (tcp_v6_connect, ip6_datagram_connect, udpv6_sendmsg). The JDK's IPv6 channels are
     * dual-stack whatever the option says: see the callers for what is still not as Linux.
     */
    final void checkV6only(InetEndpoint to) throws ErrnoException {
        if (ipv6 && v6only && ipv4(to)) {
            throw new ErrnoException(Errno.ENETUNREACH);
        }
    }

    // ---- buffers ----

    /** The guest's pieces as ByteBuffers (each at most 2 GiB), after the first {@code skip} bytes. */
    static ByteBuffer[] buffers(List<MemorySegment> pieces, long skip) {
        List<ByteBuffer> out = new ArrayList<>(pieces.size());
        for (MemorySegment p : pieces) {
            long size = p.byteSize();
            if (skip >= size) {
                skip -= size;
                continue;
            }
            for (long at = skip; at < size; at += Integer.MAX_VALUE) {
                out.add(p.asSlice(at, Math.min(Integer.MAX_VALUE, size - at)).asByteBuffer());
            }
            skip = 0;
        }
        return out.toArray(ByteBuffer[]::new);
    }

    static long length(List<MemorySegment> pieces) {
        long n = 0;
        for (MemorySegment p : pieces) {
            n += p.byteSize();
        }
        return n;
    }

    /** Copies up to {@code n} bytes from {@code from} (advancing it) into the pieces after {@code skip}: the bytes copied. */
    static int copy(ByteBuffer from, List<MemorySegment> pieces, long skip, int n) {
        int copied = 0;
        for (ByteBuffer b : buffers(pieces, skip)) {
            if (copied == n) {
                break;
            }
            int k = Math.min(b.remaining(), n - copied);
            b.put(b.position(), from, from.position(), k);
            from.position(from.position() + k);
            copied += k;
        }
        return copied;
    }
}
