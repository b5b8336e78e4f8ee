package dev.jlx.host.windows;

import static dev.jlx.abi.Poll.*;
import static dev.jlx.abi.Socket.MSG_ERRQUEUE;
import static dev.jlx.abi.Socket.MSG_OOB;
import static dev.jlx.abi.Socket.MSG_PEEK;
import static dev.jlx.abi.Socket.MSG_TRUNC;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.InetEndpoint;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.List;

/**
 * A UDP socket of the java.nio network, over a {@link DatagramChannel}, answering as udp_sendmsg,
 * udp_recvmsg and datagram_poll do. The JDK receives a datagram only whole (cut to the buffer,
 * its length lost) and cannot peek, so the socket takes the next datagram ahead into a buffer of
 * {@link #AHEAD} bytes, the most a UDP datagram carries: MSG_PEEK, MSG_TRUNC's whole length,
 * FIONREAD and poll look there. An ICMP error the host reports on a connected socket becomes
 * sk_err (ECONNREFUSED), which the next call reports, as Linux's.
 */
final class NioDatagramSocket extends NioSocket {
    private final DatagramChannel channel;
    /** The datagram taken ahead (its bytes from 0 to {@link #length}) and its sender; empty when {@code source} is null. */
    private ByteBuffer ahead;
    private int length;
    private SocketAddress source;
    private boolean writeBlocked;
    /** The peer connect gave, as the JDK's address; null when not connected. */
    private InetSocketAddress peer;

    private NioDatagramSocket(boolean ipv6, DatagramChannel channel) {
        super(ipv6, false, new NioOptions.Values());
        this.channel = channel;
    }

    static NioDatagramSocket open(boolean ipv6) throws ErrnoException {
        try {
            DatagramChannel c = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            c.configureBlocking(false);
            return new NioDatagramSocket(ipv6, c);
        } catch (UnsupportedOperationException e) {
            throw new ErrnoException(Errno.EAFNOSUPPORT);
        } catch (IOException e) {
            throw NioErrors.of(e);
        }
    }

    @Override
    NetworkChannel optionChannel() {
        return channel;
    }

    @Override
    SelectableChannel selectable() {
        return channel;
    }

    @Override
    int interest() {
        return (source == null && error == 0 ? SelectionKey.OP_READ : 0) | (writeBlocked ? SelectionKey.OP_WRITE : 0);
    }

    @Override
    void take(int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            fill();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && writeBlocked) {
            writeBlocked = false;
            changed(POLLOUT | POLLWRNORM | POLLWRBAND);
        }
    }

    @Override
    boolean hasPort() {
        try {
            return channel.getLocalAddress() != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Takes the next datagram ahead, when none is; an IPV6_V6ONLY socket drops IPv4 ones (the JDK's channel takes them). */
    private void fill() {
        if (source != null || error != 0 || closed) {
            return;
        }
        if (ahead == null) {
            ahead = ByteBuffer.allocate(AHEAD);
        }
        try {
            while (true) {
                ahead.clear();
                SocketAddress from = channel.receive(ahead);
                if (from == null) {
                    return;
                }
                if (v6only && from instanceof InetSocketAddress a && a.getAddress().getAddress().length == 4) {
                    continue;
                }
                length = ahead.position();
                source = from;
                changed(POLLIN | POLLRDNORM);
                return;
            }
        } catch (IOException e) {
            error = NioErrors.errno(e).number();
            changed(POLLERR);
        }
    }

    @Override
    public void bind(InetEndpoint local) throws ErrnoException {
        synchronized (this) {
            if (ipv6 && v6only && mapped(local.address())) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (hasPort()) {
                throw new ErrnoException(Errno.EINVAL);
            }
            try {
                channel.bind(address(local));
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                throw NioErrors.of(e);
            }
        }
    }

    /** UDP has no listen nor accept (sock_no_listen, sock_no_accept). */
    @Override
    public void listen(int backlog) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    @Override
    public Accepted accept() throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** ip4_datagram_connect, ip6_datagram_connect: a new peer replaces the old. */
    @Override
    public void connect(InetEndpoint remote) throws ErrnoException {
        synchronized (this) {
            checkV6only(remote);
            InetSocketAddress to = destination(remote);
            try {
                if (peer != null) {
                    channel.disconnect();
                    peer = null;
                }
                channel.connect(to);
                peer = to;
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                throw NioErrors.of(e);
            }
        }
    }

    @Override
    public void disconnect() throws ErrnoException {
        synchronized (this) {
            try {
                channel.disconnect();
                peer = null;
            } catch (IOException e) {
                throw NioErrors.of(e);
            }
        }
    }

    /**
     * udp_sendmsg: MSG_OOB is EOPNOTSUPP, port 0 EINVAL, no address on an unconnected socket
     * EDESTADDRREQ; then sk_err, then a shut side (EPIPE). One datagram of all the pieces.
     * Another address than a connected socket's peer is EISCONN: the JDK's connected channel sends
     * only there (quirk).
     */
    @Override
    public long send(List<MemorySegment> data, int flags, InetEndpoint to) throws ErrnoException {
        try {
            synchronized (this) {
                if ((flags & MSG_OOB) != 0) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                long total = length(data);
                // udp_sendmsg's own limit, before the datagram is copied here.
                if (total > 0xffff) {
                    throw new ErrnoException(Errno.EMSGSIZE);
                }
                InetSocketAddress target = null;
                if (to != null) {
                    if (to.port() == 0) {
                        throw new ErrnoException(Errno.EINVAL);
                    }
                    checkV6only(to);
                    target = destination(to);
                } else if (peer == null) {
                    throw new ErrnoException(Errno.EDESTADDRREQ);
                }
                ErrnoException e = takeError();
                if (e != null) {
                    throw e;
                }
                if ((shutdown & SEND_SHUTDOWN) != 0) {
                    throw new ErrnoException(Errno.EPIPE);
                }
                if (target != null && peer != null && !target.equals(peer)) {
                    throw new ErrnoException(Errno.EISCONN);
                }
                ByteBuffer datagram = gather(data, total);
                int n;
                try {
                    n = target == null ? channel.write(datagram) : channel.send(datagram, target);
                } catch (IOException | IllegalStateException | IllegalArgumentException x) {
                    throw NioErrors.of(x);
                }
                if (n == 0 && total > 0) {
                    writeBlocked = true;
                    rearm();
                    throw new ErrnoException(Errno.EAGAIN);
                }
                return total;
            }
        } finally {
            flush();
        }
    }

    /** The pieces as one buffer: the guest's own when it is one piece. */
    private static ByteBuffer gather(List<MemorySegment> data, long total) {
        ByteBuffer[] bs = buffers(data, 0);
        if (bs.length == 1) {
            return bs[0];
        }
        ByteBuffer all = ByteBuffer.allocate((int) total);
        for (ByteBuffer b : bs) {
            all.put(b);
        }
        return all.flip();
    }

    /**
     * udp_recvmsg: sk_err first, then the next datagram (cut to the buffer with MSG_TRUNC in the
     * flags; its whole length returned when MSG_TRUNC was asked), then 0 once SHUT_RD was, else
     * EAGAIN. MSG_ERRQUEUE finds the error queue empty (IP_RECVERR is not the host's: quirk).
     */
    @Override
    public Received receive(List<MemorySegment> into, int flags, boolean wantSource) throws ErrnoException {
        try {
            synchronized (this) {
                if ((flags & MSG_ERRQUEUE) != 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                ErrnoException e = takeError();
                if (e != null) {
                    rearm();
                    throw e;
                }
                fill();
                if (source == null) {
                    e = takeError();
                    rearm();
                    if (e != null) {
                        throw e;
                    }
                    if ((shutdown & RCV_SHUTDOWN) != 0) {
                        return new Received(0, null, 0);
                    }
                    throw new ErrnoException(Errno.EAGAIN);
                }
                long capacity = length(into);
                ByteBuffer view = ahead.duplicate().position(0).limit(length);
                int copied = copy(view, into, 0, (int) Math.min(capacity, length));
                boolean truncated = length > capacity;
                InetEndpoint from = wantSource ? endpoint(source) : null;
                long result = (flags & MSG_TRUNC) != 0 ? length : copied;
                if ((flags & MSG_PEEK) == 0) {
                    source = null;
                }
                rearm();
                return new Received(result, from, truncated ? MSG_TRUNC : 0);
            }
        } finally {
            flush();
        }
    }

    /** inet_shutdown: a socket not connected is ENOTCONN, its sk_shutdown set all the same. */
    @Override
    public void shutdown(int how) throws ErrnoException {
        if (how < 0 || how > 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        try {
            synchronized (this) {
                shutdown |= how + 1;
                changed(POLLIN | POLLRDNORM | POLLRDHUP | POLLHUP);
                if (peer == null) {
                    throw new ErrnoException(Errno.ENOTCONN);
                }
            }
        } finally {
            flush();
        }
    }

    @Override
    public InetEndpoint localAddress() throws ErrnoException {
        synchronized (this) {
            try {
                SocketAddress a = channel.getLocalAddress();
                return a != null ? endpoint(a) : unbound();
            } catch (IOException e) {
                throw NioErrors.of(e);
            }
        }
    }

    @Override
    public InetEndpoint peerAddress() throws ErrnoException {
        synchronized (this) {
            if (peer == null) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            try {
                return endpoint(channel.getRemoteAddress());
            } catch (IOException e) {
                throw NioErrors.of(e);
            }
        }
    }

    /** SIOCINQ: the next datagram's length (0 for none). */
    @Override
    public int available() {
        try {
            synchronized (this) {
                fill();
                rearm();
                return source == null ? 0 : length;
            }
        } finally {
            flush();
        }
    }

    /** SIOCOUTQ: nio cannot tell what the host has not sent yet: 0 (quirk). */
    @Override
    public int unsent() {
        return 0;
    }

    /** datagram_poll. */
    @Override
    public int poll() {
        try {
            synchronized (this) {
                if (closed) {
                    return POLLNVAL;
                }
                fill();
                int mask = 0;
                if (error != 0) {
                    mask |= POLLERR;
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) {
                    mask |= POLLRDHUP | POLLIN | POLLRDNORM;
                }
                if (shutdown == SHUTDOWN_MASK) {
                    mask |= POLLHUP;
                }
                if (source != null) {
                    mask |= POLLIN | POLLRDNORM;
                }
                if (!writeBlocked) {
                    mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
                }
                rearm();
                return mask;
            }
        } finally {
            flush();
        }
    }

    @Override
    void closeChannels() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing is left to flush for a datagram
        }
    }
}
