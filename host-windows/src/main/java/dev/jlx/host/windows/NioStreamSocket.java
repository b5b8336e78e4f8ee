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
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A TCP socket of the java.nio network: a {@link SocketChannel} until it listens, then a
 * {@link ServerSocketChannel} (bound to the address the first had, which is closed first: a channel
 * that never waited is never registered, so its port is free at once). Its state is Linux's
 * (sk_state, sock-&gt;state's SS_CONNECTING, sk_err, sk_shutdown), which the calls answer from as
 * tcp_poll, tcp_recvmsg, tcp_sendmsg, inet_stream_connect and inet_shutdown do.
 *
 * <p>The socket reads ahead of its guest into a buffer of {@link #AHEAD} bytes at most: what poll,
 * FIONREAD and MSG_PEEK look at, and what the poller fills as data comes (so that each arrival is a
 * change a waiter hears of, even while unread data waits). A listener likewise takes one waiting
 * connection ahead.
 */
final class NioStreamSocket extends NioSocket {
    /** sk_state, as far as the JDK tells the states apart (the closing ones are ESTABLISHED with sk_shutdown). */
    private enum State { CLOSE, SYN_SENT, ESTABLISHED, LISTEN }

    private State state = State.CLOSE;
    /** sock-&gt;state SS_CONNECTING: a connect began, and no connect has seen its end since. */
    private boolean connecting;
    /** The channel before it listens; null after a failed connect (the JDK closes it) until one is needed. */
    private SocketChannel channel;
    private ServerSocketChannel server;
    /** What bind asked for, which a new channel binds again (Linux keeps a port bind chose). */
    private InetEndpoint bound;
    /** Bytes read ahead, in read mode; null until first needed. */
    private ByteBuffer ahead;
    /** The peer's end of data was read (the channel has nothing more to give). */
    private boolean peerDone;
    /** A send found no room: POLLOUT is off until the poller says there is. */
    private boolean writeBlocked;
    /** A connection taken ahead for the guest's accept; a listener whose accept failed waits for the guest's. */
    private SocketChannel waiting;
    private boolean acceptFailed;

    private NioStreamSocket(boolean ipv6, NioOptions.Values values, SocketChannel channel, State state) {
        super(ipv6, true, values);
        this.channel = channel;
        this.state = state;
    }

    static NioStreamSocket open(boolean ipv6) throws ErrnoException {
        return new NioStreamSocket(ipv6, new NioOptions.Values(), newChannel(ipv6), State.CLOSE);
    }

    /**
     * A connection made elsewhere ({@link NioNetwork#connectUnix}: a UNIX channel, non-blocking and
     * connected): data, readiness, shutdown and close as a TCP connection's (its options are core's).
     */
    static NioStreamSocket connected(SocketChannel c) {
        return new NioStreamSocket(false, new NioOptions.Values(), c, State.ESTABLISHED);
    }

    private static SocketChannel newChannel(boolean ipv6) throws ErrnoException {
        try {
            SocketChannel c = SocketChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            c.configureBlocking(false);
            return c;
        } catch (UnsupportedOperationException e) {
            throw new ErrnoException(Errno.EAFNOSUPPORT);
        } catch (IOException e) {
            throw NioErrors.of(e);
        }
    }

    /** The socket's SocketChannel, a new one (with the options and the address bind gave) after a failed connect. */
    private SocketChannel channel() throws ErrnoException {
        if (channel == null) {
            SocketChannel c = newChannel(ipv6);
            try {
                values.applyAll(c, true, ipv6);
                if (bound != null) {
                    c.bind(address(bound));
                }
            } catch (ErrnoException e) {
                quietly(c);
                throw e;
            } catch (IOException e) {
                quietly(c);
                throw NioErrors.of(e);
            }
            channel = c;
        }
        return channel;
    }

    private static void quietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // a channel that was never used
        }
    }

    @Override
    NetworkChannel optionChannel() {
        return server != null ? server : channel;
    }

    @Override
    SelectableChannel selectable() {
        return server != null ? server : channel;
    }

    @Override
    int interest() {
        return switch (state) {
            case LISTEN -> waiting == null && !acceptFailed ? SelectionKey.OP_ACCEPT : 0;
            case SYN_SENT -> SelectionKey.OP_CONNECT;
            case ESTABLISHED -> (!peerDone && error == 0 && (ahead == null || ahead.remaining() < AHEAD)
                    ? SelectionKey.OP_READ : 0) | (writeBlocked ? SelectionKey.OP_WRITE : 0);
            case CLOSE -> 0;
        };
    }

    @Override
    void take(int readyOps) {
        if ((readyOps & SelectionKey.OP_ACCEPT) != 0) {
            fillAccept();
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            settle();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            fill();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && writeBlocked) {
            writeBlocked = false;
            changed(POLLOUT | POLLWRNORM);
        }
    }

    @Override
    boolean hasPort() {
        try {
            NetworkChannel c = optionChannel();
            SocketAddress a = c != null && c.isOpen() ? c.getLocalAddress() : null;
            return a != null || bound != null;
        } catch (IOException e) {
            return bound != null;
        }
    }

    // ---- reading ahead ----

    /** Reads what the channel has into the read-ahead buffer (an established connection): the bytes read. */
    private int fill() {
        if (state != State.ESTABLISHED || peerDone || error != 0 || channel == null) {
            return 0;
        }
        if (ahead == null) {
            ahead = ByteBuffer.allocate(AHEAD).flip();
        }
        if (ahead.remaining() == AHEAD) {
            return 0;
        }
        ahead.compact();
        int n;
        try {
            n = channel.read(ahead);
        } catch (IOException e) {
            fail(e);
            return 0;
        } finally {
            ahead.flip();
        }
        if (n < 0) {
            peerDone();
            return 0;
        }
        if (n > 0) {
            changed(POLLIN | POLLRDNORM);
        }
        return n;
    }

    /** The peer sent its FIN (tcp_fin): nothing more comes. */
    private void peerDone() {
        peerDone = true;
        shutdown |= RCV_SHUTDOWN;
        changed(POLLIN | POLLRDNORM | POLLRDHUP);
    }

    /**
     * The connection ended in an error (tcp_reset, tcp_done): sk_err, CLOSE, both directions shut. A
     * reset in CLOSE_WAIT (the peer had sent its FIN) is EPIPE there, as tcp_reset makes it.
     */
    private void fail(Exception e) {
        Errno x = NioErrors.errno(e);
        error = (x == Errno.ECONNRESET && peerDone ? Errno.EPIPE : x).number();
        state = State.CLOSE;
        shutdown = SHUTDOWN_MASK;
        changed(POLLIN | POLLRDNORM | POLLRDHUP | POLLOUT | POLLWRNORM | POLLERR | POLLHUP);
    }

    /** Takes a waiting connection ahead (a listener). */
    private void fillAccept() {
        if (state != State.LISTEN || waiting != null || acceptFailed) {
            return;
        }
        try {
            waiting = acceptOne();
        } catch (IOException e) {
            acceptFailed = true;
        }
        if (waiting != null || acceptFailed) {
            changed(POLLIN | POLLRDNORM);
        }
    }

    /** The next connection the listener has (null: none), leaving out IPv4 ones on an IPV6_V6ONLY listener. */
    private SocketChannel acceptOne() throws IOException {
        while (true) {
            SocketChannel c = server.accept();
            if (c == null || !v6only || !(c.getRemoteAddress() instanceof InetSocketAddress a)
                    || a.getAddress().getAddress().length == 16) {
                return c;
            }
            // The JDK's listener is dual-stack: an IPv4 peer of a v6-only one is reset (quirk).
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.close();
        }
    }

    /** A connect under way has ended, or not (the JDK's finishConnect, which closes the channel when it failed). */
    private void settle() {
        if (state != State.SYN_SENT) {
            return;
        }
        try {
            if (channel.finishConnect()) {
                state = State.ESTABLISHED;
                changed(POLLOUT | POLLWRNORM);
            }
        } catch (IOException e) {
            fail(e);
            channel = null;
            released();
        }
    }

    // ---- the calls ----

    @Override
    public void bind(InetEndpoint local) throws ErrnoException {
        synchronized (this) {
            if (ipv6 && v6only && mapped(local.address())) {
                throw new ErrnoException(Errno.EINVAL);
            }
            // inet_bind: a socket bound already (itself or by connect or listen) or not closed.
            if (state != State.CLOSE || connecting || hasPort()) {
                throw new ErrnoException(Errno.EINVAL);
            }
            try {
                channel().bind(address(local));
            } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                throw NioErrors.of(e);
            }
            bound = local;
        }
    }

    /**
     * inet_listen: a socket that is neither connected nor connecting starts listening, on the
     * address it was bound to (the wildcard and a port of the host's choice when none); listening
     * already, it goes on (the JDK cannot change a backlog).
     */
    @Override
    public void listen(int backlog) throws ErrnoException {
        synchronized (this) {
            if (connecting || state == State.ESTABLISHED || state == State.SYN_SENT) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (state == State.LISTEN) {
                return;
            }
            SocketAddress local = null;
            try {
                if (channel != null) {
                    local = channel.getLocalAddress();
                }
            } catch (IOException e) {
                throw NioErrors.of(e);
            }
            if (local == null) {
                local = bound != null ? address(bound) : wildcard(0);
            }
            ServerSocketChannel s;
            try {
                s = ServerSocketChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            } catch (IOException e) {
                throw NioErrors.of(e);
            }
            try {
                s.configureBlocking(false);
                // The JDK makes a listener SO_REUSEADDR on its own; Linux's is the guest's choice.
                s.setOption(StandardSocketOptions.SO_REUSEADDR, false);
                values.applyAll(s, true, ipv6);
                if (channel != null) {
                    channel.close();
                    channel = null;
                }
                s.bind(local, Math.max(backlog, 1));
            } catch (IOException | IllegalArgumentException | ErrnoException e) {
                quietly(s);
                throw e instanceof ErrnoException x ? x : NioErrors.of(e);
            }
            server = s;
            state = State.LISTEN;
            acceptFailed = false;
            rearm();
        }
    }

    @Override
    public Accepted accept() throws ErrnoException {
        synchronized (this) {
            if (state != State.LISTEN) {
                throw new ErrnoException(Errno.EINVAL);
            }
            SocketChannel c = waiting;
            waiting = null;
            acceptFailed = false;
            try {
                if (c == null) {
                    c = acceptOne();
                }
                if (c == null) {
                    rearm();
                    throw new ErrnoException(Errno.EAGAIN);
                }
                c.configureBlocking(false);
                // The connection inherits the listener's options, as Linux's copy of its listener does.
                NioOptions.Values inherited = values.copy();
                inherited.applyAll(c, true, ipv6);
                NioStreamSocket s = new NioStreamSocket(ipv6, inherited, c, State.ESTABLISHED);
                s.v6only = v6only;
                InetEndpoint peer = endpoint(c.getRemoteAddress());
                rearm();
                return new Accepted(s, peer);
            } catch (IOException e) {
                if (c != null) {
                    quietly(c);
                }
                rearm();
                throw NioErrors.of(e);
            }
        }
    }

    /**
     * inet_stream_connect, as the host socket's connect answers it: EINPROGRESS when the connection
     * is under way; called again, EALREADY while it is, 0 once it is made (EISCONN after), or the error
     * that ended it (ECONNABORTED when SO_ERROR took it already), after which the socket is as new.
     */
    @Override
    public void connect(InetEndpoint remote) throws ErrnoException {
        try {
            synchronized (this) {
                if (connecting) {
                    settle();
                    if (state == State.SYN_SENT) {
                        throw new ErrnoException(Errno.EALREADY);
                    }
                    connecting = false;
                    if (state == State.ESTABLISHED) {
                        return;
                    }
                    // The connect failed: tcp_disconnect makes the socket as new.
                    ErrnoException e = takeError();
                    shutdown = 0;
                    throw e != null ? e : new ErrnoException(Errno.ECONNABORTED);
                }
                if (state != State.CLOSE) {
                    throw new ErrnoException(Errno.EISCONN);
                }
                checkV6only(remote);
                SocketChannel c = channel();
                boolean made;
                try {
                    made = c.connect(destination(remote));
                } catch (IOException | IllegalStateException | IllegalArgumentException e) {
                    // The JDK closes a channel whose connect failed.
                    if (!c.isOpen()) {
                        channel = null;
                        released();
                    }
                    throw NioErrors.of(e);
                }
                shutdown = 0;
                error = 0;
                if (made) {
                    state = State.ESTABLISHED;
                    changed(POLLOUT | POLLWRNORM);
                    rearm();
                    return;
                }
                state = State.SYN_SENT;
                connecting = true;
                rearm();
                throw new ErrnoException(Errno.EINPROGRESS);
            }
        } finally {
            flush();
        }
    }

    /** tcp_disconnect (connect to AF_UNSPEC): a connection is reset, a listener stops, the socket is as new. */
    @Override
    public void disconnect() throws ErrnoException {
        synchronized (this) {
            if (channel != null && state == State.ESTABLISHED) {
                try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException e) {
                    // closed anyway
                }
            }
            closeChannels();
            channel = null;
            state = State.CLOSE;
            connecting = false;
            shutdown = 0;
            error = 0;
            peerDone = false;
            writeBlocked = false;
            ahead = null;
            changed(POLLIN | POLLOUT | POLLHUP);
        }
        released();
        flush();
    }

    /**
     * tcp_sendmsg: a socket that is not connected is EPIPE (EAGAIN while connecting), an error is
     * reported first, a shut side is EPIPE; then what the channel takes (EAGAIN for nothing). MSG_OOB
     * sends its last byte as urgent data; MSG_MORE, MSG_EOR and MSG_CONFIRM are hints nio has no
     * use for.
     */
    @Override
    public long send(List<MemorySegment> data, int flags, InetEndpoint to) throws ErrnoException {
        try {
            synchronized (this) {
                settle();
                if (state != State.ESTABLISHED) {
                    ErrnoException e = takeError();
                    if (e != null) {
                        throw e;
                    }
                    throw new ErrnoException(state == State.SYN_SENT ? Errno.EAGAIN : Errno.EPIPE);
                }
                if (error != 0) {
                    throw takeError();
                }
                if ((shutdown & SEND_SHUTDOWN) != 0) {
                    throw new ErrnoException(Errno.EPIPE);
                }
                long total = length(data);
                if (total == 0) {
                    return 0;
                }
                boolean urgent = (flags & MSG_OOB) != 0;
                long n;
                try {
                    n = write(data, urgent ? total - 1 : total);
                    if (urgent && n == total - 1) {
                        byte last = data.getLast().get(java.lang.foreign.ValueLayout.JAVA_BYTE,
                                data.getLast().byteSize() - 1);
                        channel.socket().sendUrgentData(last);
                        n++;
                    }
                } catch (IOException e) {
                    if (NioErrors.errno(e) == Errno.EAGAIN) {
                        n = 0;
                    } else {
                        fail(e);
                        throw takeError();
                    }
                }
                if (n < total) {
                    writeBlocked = true;
                    rearm();
                }
                if (n == 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                return n;
            }
        } finally {
            flush();
        }
    }

    /** Writes up to {@code limit} bytes of {@code data} to the channel: the bytes taken. */
    private long write(List<MemorySegment> data, long limit) throws IOException {
        ByteBuffer[] bs = buffers(data, 0);
        long left = limit;
        for (ByteBuffer b : bs) {
            int k = (int) Math.min(b.remaining(), Math.max(left, 0));
            b.limit(b.position() + k);
            left -= k;
        }
        return channel.write(bs);
    }

    /**
     * tcp_recvmsg: data first (what was read ahead, then the channel's); without data, the error,
     * then 0 once the input is shut (the peer's FIN or SHUT_RD), ENOTCONN on a socket never
     * connected, else EAGAIN. MSG_PEEK looks at the read-ahead, MSG_TRUNC drops what it counts.
     * MSG_OOB is EINVAL (no urgent data is ever kept: quirk), MSG_ERRQUEUE finds its queue empty.
     */
    @Override
    public Received receive(List<MemorySegment> into, int flags, boolean wantSource) throws ErrnoException {
        try {
            synchronized (this) {
                if (state == State.LISTEN) {
                    throw new ErrnoException(Errno.ENOTCONN);
                }
                if ((flags & MSG_ERRQUEUE) != 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                if ((flags & MSG_OOB) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                settle();
                long capacity = length(into);
                long got = (flags & MSG_PEEK) != 0 ? peek(into, capacity)
                        : (flags & MSG_TRUNC) != 0 ? discard(capacity) : read(into, capacity);
                rearm();
                if (got > 0 || capacity == 0) {
                    return new Received(got, null, 0);
                }
                ErrnoException e = takeError();
                if (e != null) {
                    throw e;
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) {
                    return new Received(0, null, 0);
                }
                throw new ErrnoException(state == State.CLOSE ? Errno.ENOTCONN : Errno.EAGAIN);
            }
        } finally {
            flush();
        }
    }

    private int peek(List<MemorySegment> into, long capacity) {
        fill();
        if (ahead == null) {
            return 0;
        }
        ByteBuffer view = ahead.duplicate();
        return copy(view, into, 0, (int) Math.min(capacity, view.remaining()));
    }

    private long discard(long capacity) {
        long got = 0;
        while (got < capacity) {
            if (ahead == null || !ahead.hasRemaining()) {
                fill();
                if (ahead == null || !ahead.hasRemaining()) {
                    break;
                }
            }
            int k = (int) Math.min(capacity - got, ahead.remaining());
            ahead.position(ahead.position() + k);
            got += k;
        }
        return got;
    }

    /** What was read ahead, then straight from the channel into the guest's buffers. */
    private long read(List<MemorySegment> into, long capacity) {
        long got = 0;
        if (ahead != null && ahead.hasRemaining()) {
            got = copy(ahead, into, 0, (int) Math.min(capacity, ahead.remaining()));
        }
        if (got < capacity && (ahead == null || !ahead.hasRemaining()) && state == State.ESTABLISHED && !peerDone
                && error == 0) {
            try {
                long n = channel.read(buffers(into, got));
                if (n < 0) {
                    peerDone();
                } else {
                    got += n;
                }
            } catch (IOException e) {
                fail(e);
            }
        }
        return got;
    }

    /**
     * inet_shutdown: a socket not connected is ENOTCONN (its sk_shutdown set all the same), a
     * listener stops listening on SHUT_RD (keeping its port), a connect under way is abandoned.
     * SHUT_RD of a connection is Linux's own: nothing is sent, data that comes is still read, and
     * reads end at 0 once none is left (the JDK's shutdownInput would end them at once; Windows'
     * would reset the connection when more data came). SHUT_WR sends the FIN.
     */
    @Override
    public void shutdown(int how) throws ErrnoException {
        if (how < 0 || how > 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int bits = how + 1;
        boolean left = false;
        try {
            synchronized (this) {
                settle();
                switch (state) {
                    case CLOSE -> {
                        shutdown |= bits;
                        connecting = false;
                        throw new ErrnoException(Errno.ENOTCONN);
                    }
                    case LISTEN -> {
                        if ((bits & RCV_SHUTDOWN) != 0) {
                            try {
                                bound = endpoint(server.getLocalAddress());
                            } catch (IOException e) {
                                // keeps what bind gave
                            }
                            closeChannels();
                            state = State.CLOSE;
                            shutdown = 0;
                            left = true;
                        }
                    }
                    case SYN_SENT -> {
                        closeChannels();
                        state = State.CLOSE;
                        connecting = false;
                        shutdown = 0;
                        left = true;
                    }
                    case ESTABLISHED -> {
                        if ((bits & SEND_SHUTDOWN) != 0 && (shutdown & SEND_SHUTDOWN) == 0) {
                            try {
                                channel.shutdownOutput();
                            } catch (IOException e) {
                                // the connection is gone: its error is the next call's
                                fail(e);
                            }
                        }
                        shutdown |= bits;
                    }
                }
                rearm();
            }
        } finally {
            synchronized (this) {
                changed(POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP | POLLRDHUP);
            }
            if (left) {
                released();
            }
            flush();
        }
    }

    /**
     * inet_getname: the channel's address (the JDK gives a connecting one's only once connected: until
     * then it is what bind gave, or the wildcard: quirk).
     */
    @Override
    public InetEndpoint localAddress() throws ErrnoException {
        try {
            synchronized (this) {
                settle();
                NetworkChannel c = optionChannel();
                try {
                    SocketAddress a = c != null && c.isOpen() ? c.getLocalAddress() : null;
                    if (a != null) {
                        return endpoint(a);
                    }
                } catch (IOException e) {
                    throw NioErrors.of(e);
                }
                return bound != null ? bound : unbound();
            }
        } finally {
            flush();
        }
    }

    /** inet_getname: a peer only once connected and while not CLOSE. */
    @Override
    public InetEndpoint peerAddress() throws ErrnoException {
        try {
            synchronized (this) {
                settle();
                if (state != State.ESTABLISHED) {
                    throw new ErrnoException(Errno.ENOTCONN);
                }
                try {
                    return endpoint(channel.getRemoteAddress());
                } catch (IOException e) {
                    throw NioErrors.of(e);
                }
            }
        } finally {
            flush();
        }
    }

    /** SIOCINQ: what was read ahead (at most {@link #AHEAD} bytes: quirk); EINVAL on a listener. */
    @Override
    public int available() throws ErrnoException {
        try {
            synchronized (this) {
                if (state == State.LISTEN) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                fill();
                rearm();
                return ahead == null ? 0 : ahead.remaining();
            }
        } finally {
            flush();
        }
    }

    /** SIOCOUTQ: nio cannot tell what the host has not sent yet: 0 (quirk); EINVAL on a listener. */
    @Override
    public int unsent() throws ErrnoException {
        synchronized (this) {
            if (state == State.LISTEN) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return 0;
        }
    }

    /** tcp_poll (inet_csk_listen_poll for a listener), from the state the socket knows after a look. */
    @Override
    public int poll() {
        try {
            synchronized (this) {
                if (closed) {
                    return POLLNVAL;
                }
                settle();
                if (state == State.LISTEN) {
                    fillAccept();
                    rearm();
                    return waiting != null || acceptFailed ? POLLIN | POLLRDNORM : 0;
                }
                fill();
                int mask = 0;
                if (shutdown == SHUTDOWN_MASK || state == State.CLOSE) {
                    mask |= POLLHUP;
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) {
                    mask |= POLLIN | POLLRDNORM | POLLRDHUP;
                }
                if (state != State.SYN_SENT) {
                    if (ahead != null && ahead.hasRemaining()) {
                        mask |= POLLIN | POLLRDNORM;
                    }
                    if ((shutdown & SEND_SHUTDOWN) != 0 || !writeBlocked) {
                        mask |= POLLOUT | POLLWRNORM;
                    }
                }
                if (error != 0) {
                    mask |= POLLERR;
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
        for (java.nio.channels.Channel c : new java.nio.channels.Channel[] {channel, server, waiting}) {
            if (c != null) {
                quietly(c);
            }
        }
        channel = null;
        server = null;
        waiting = null;
    }
}
