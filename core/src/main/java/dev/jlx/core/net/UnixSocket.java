package dev.jlx.core.net;

import static dev.jlx.abi.Socket.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.abi.Resource;
import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.host.HostSocket;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An AF_UNIX socket kept in the JVM, as Linux's net/unix/af_unix.c: SOCK_STREAM, SOCK_DGRAM and
 * SOCK_SEQPACKET; names in the file system (a socket node, found again by its {@link UnixPaths.NodeKey}),
 * abstract names per kernel and autobind; SCM_RIGHTS carrying any open file and SCM_CREDENTIALS;
 * SO_PEERCRED. Each write becomes a packet (Linux's skb) in the receiver's queue, charged to the
 * sender's send buffer with the truesize Linux gives it, so a flood blocks (or is EAGAIN) where
 * Linux's does; a datagram receiver not connected back also takes at most max_dgram_qlen packets,
 * a listener its backlog plus one connections.
 *
 * <p>All state is guarded by the kernel's {@link UnixDomain} lock; a waiter waits on the condition
 * of the socket whose change it waits for, and {@link #changed} wakes them.
 *
 * <p>A socket connected to one a host process bound ({@link UnixDomain#hostSockets}, a socket node on
 * a host mount that no guest socket is bound to) is the host's from then on: its data, readiness and
 * end are those of a host socket connected there ({@link dev.jlx.core.host.HostNetwork#connectUnix}),
 * as HostInetSocket's are; its name, options and credentials stay here.
 */
public final class UnixSocket extends JvmSocket {
    // sk_state values (net/tcp_states.h), as /proc/net/unix shows them.
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_CLOSE = 7;
    private static final int TCP_LISTEN = 10;
    private static final int RCV_SHUTDOWN = 1;
    private static final int SEND_SHUTDOWN = 2;
    private static final int SHUTDOWN_MASK = 3;
    /** net.unix.max_dgram_qlen: a new socket's sk_max_ack_backlog. */
    private static final int MAX_DGRAM_QLEN = 10;
    /** offsetof(struct sockaddr_un, sun_path). */
    private static final int PATH_OFFSET = 2;
    private static final int SOCKADDR_UN_SIZE = PATH_OFFSET + UNIX_PATH_MAX;
    /** SKB_MAX_HEAD(0) and UNIX_SKB_FRAGS_SZ: a stream write's packets take at most this much. */
    private static final int SKB_MAX_HEAD = 3776;
    private static final int UNIX_SKB_FRAGS_SZ = 32768;
    /** SKB_MAX_ALLOC: a datagram up to this is one linear buffer; past it, pages. */
    private static final int SKB_MAX_ALLOC = 16064;
    private static final int MAX_SKB_FRAGS = 17;
    private static final int PAGE = 4096;

    private final UnixDomain domain;
    private int state = TCP_CLOSE;
    /** The bound address: sockaddr_un bytes as long as Linux keeps them; null while unbound. */
    private byte[] address;
    private UnixSocket peer;
    private int shutdown;
    private boolean dead;
    /** A connection made by connect and not accepted yet: it has no descriptor (no sk_socket). */
    private boolean embryo;
    private int backlog = MAX_DGRAM_QLEN;
    /** sk_wmem_alloc less its 1: the truesize of this socket's packets not freed yet. */
    private long wmem;
    private Ucred peerCred;
    /** The process of SO_PEERCRED's pid (sk_peer_pid), for SO_PEERPIDFD; null for a host's peer. */
    private GuestProcess peerProcess;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    /** The host socket this one is connected to, or null: see the class comment. */
    private volatile HostSocket host;
    /** Whether the host tells of {@link #host}'s changes; when it does not, waits look again now and then. */
    private volatile boolean hostWatched;
    /** The name {@link #host} was connected to, as getpeername reports it. */
    private byte[] hostPeer;
    /** The looks of a wait on a host socket that is not watched: the first and the longest pause. */
    private static final long FIRST_PAUSE_NANOS = 50_000;
    private static final long MAX_PAUSE_NANOS = 10_000_000;

    /** One skb: bytes (some read already, on a stream), its sender, what it carries besides. */
    private static final class Packet {
        final byte[] data;
        int consumed;
        final UnixSocket sender;
        final long truesize;
        /** The credentials it carries, or null: pid 0 and the invalid uid and gid (shown as the overflow ids). */
        Ucred credentials;
        /** The process of the credentials' pid (UNIXCB's pid), for SCM_PIDFD; null for none. */
        GuestProcess process;
        /** An empty datagram once peeked (skb->peeked): a peek at offset 0 passes over it after. */
        boolean peeked;
        List<OpenFile> rights;
        /** For a listener's queue: the connection it stands for. */
        final UnixSocket connection;

        Packet(byte[] data, UnixSocket sender, long truesize, UnixSocket connection) {
            this.data = data;
            this.sender = sender;
            this.truesize = truesize;
            this.connection = connection;
        }

        int left() {
            return data.length - consumed;
        }
    }

    private UnixSocket(UnixDomain domain, int type, int statusFlags, int uid, int gid) {
        super(domain.lock, AF_UNIX, type, 0, statusFlags, uid, gid);
        this.domain = domain;
    }

    /**
     * unix_create: a new socket of {@code type} with {@code protocol}; the protocol is checked first
     * (EPROTONOSUPPORT), then the type (SOCK_RAW is a datagram socket, others ESOCKTNOSUPPORT).
     */
    public static UnixSocket create(UnixDomain domain, int type, int protocol, int statusFlags, int uid, int gid)
            throws ErrnoException {
        if (protocol != 0 && protocol != AF_UNIX) {
            throw new ErrnoException(Errno.EPROTONOSUPPORT);
        }
        int kind = switch (type) {
            case SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET -> type;
            case SOCK_RAW -> SOCK_DGRAM;
            default -> throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        };
        UnixSocket s = new UnixSocket(domain, kind, statusFlags, uid, gid);
        domain.lock.lock();
        try {
            domain.add(s);
        } finally {
            domain.lock.unlock();
        }
        return s;
    }

    private boolean connectionOriented() {
        return type() != SOCK_DGRAM;
    }

    // ---- waiting ----

    /** Waits on {@code s}'s condition (the lock held) for at most {@code left} nanoseconds; the time left. */
    private long await(UnixSocket s, long left) throws ErrnoException {
        return await(s.wake, left);
    }

    // ---- names ----

    /** unix_validate_addr: more than the family, at most a sockaddr_un, and AF_UNIX. */
    private static void validate(byte[] a) throws ErrnoException {
        if (a.length <= PATH_OFFSET || a.length > SOCKADDR_UN_SIZE || family(a) != AF_UNIX) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    private static int family(byte[] a) {
        return (a[0] & 0xff) | (a[1] & 0xff) << 8;
    }

    /** A path name's bytes up to its first NUL (unix_mkname_bsd). */
    private static ByteString path(byte[] a) {
        int end = PATH_OFFSET;
        while (end < a.length && a[end] != 0) {
            end++;
        }
        return ByteString.of(a, PATH_OFFSET, end - PATH_OFFSET);
    }

    /** unix_find_other: the socket bound to {@code a} for this type; its errors as Linux's. */
    private UnixSocket findOther(GuestThread t, byte[] a) throws ErrnoException {
        if (a[PATH_OFFSET] != 0) {
            // The file system is asked without the lock: it may block, and takes locks of its own.
            domain.lock.unlock();
            UnixPaths.Found found;
            try {
                found = UnixPaths.find(t, path(a));
            } finally {
                domain.lock.lock();
            }
            UnixSocket s = domain.findPath(found.key());
            if (s == null) {
                if (found.hostPath() != null && domain.hostSockets()) {
                    // Only connect reaches a host's socket (connectHost); a sendto naming one does not.
                    domain.lock.unlock();
                    try {
                        t.process().kernel().warnOnce("host-unix-sendto", "sendto " + path(a) + ", a host's"
                                + " AF_UNIX socket: only a connected socket reaches one (ECONNREFUSED)");
                    } finally {
                        domain.lock.lock();
                    }
                }
                throw new ErrnoException(Errno.ECONNREFUSED);
            }
            if (s.type() != type()) {
                throw new ErrnoException(Errno.EPROTOTYPE);
            }
            return s;
        }
        UnixSocket s = domain.findAbstract(type(), a);
        if (s == null) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        return s;
    }

    /** unix_autobind: an abstract name of five hex digits, unless bound already. */
    private void autobind() throws ErrnoException {
        if (address != null) {
            return;
        }
        byte[] name = domain.autobindName(type());
        if (name == null) {
            throw new ErrnoException(Errno.ENOSPC);
        }
        domain.bindAbstract(type(), name, this);
        address = name;
    }

    @Override
    public void bind(GuestThread t, byte[] a) throws ErrnoException {
        if (a.length == PATH_OFFSET && family(a) == AF_UNIX) {
            domain.lock.lock();
            try {
                autobind();
            } finally {
                domain.lock.unlock();
            }
            return;
        }
        validate(a);
        if (a[PATH_OFFSET] == 0) {
            domain.lock.lock();
            try {
                if (address != null) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (!domain.bindAbstract(type(), a, this)) {
                    throw new ErrnoException(Errno.EADDRINUSE);
                }
                address = a.clone();
            } finally {
                domain.lock.unlock();
            }
            return;
        }
        ByteString name = path(a);
        // Linux keeps the path with its NUL: the address is that long whatever the length given.
        byte[] bound = Arrays.copyOf(a, PATH_OFFSET + name.length() + 1);
        bound[bound.length - 1] = 0;
        UnixPaths.NodeKey key = UnixPaths.make(t, name);
        domain.lock.lock();
        try {
            if (address == null) {
                domain.bindPath(key, this);
                address = bound;
                return;
            }
        } finally {
            domain.lock.unlock();
        }
        UnixPaths.unmake(t, name);
        throw new ErrnoException(Errno.EINVAL);
    }

    @Override
    public byte[] localAddress() {
        domain.lock.lock();
        try {
            return address != null ? address.clone() : unnamed();
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    public byte[] peerAddress() throws ErrnoException {
        domain.lock.lock();
        try {
            if (hostPeer != null) {
                return hostPeer.clone();
            }
            if (peer == null) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            return peer.address != null ? peer.address.clone() : unnamed();
        } finally {
            domain.lock.unlock();
        }
    }

    /** An unbound socket's name: the family alone (length 2). */
    private static byte[] unnamed() {
        return new byte[] {AF_UNIX, 0};
    }

    // ---- connections ----

    private static Ucred credentialsOf(GuestThread t) {
        GuestProcess p = t.process();
        return new Ucred(p.pid(), p.credentials().euid(), p.credentials().egid());
    }

    @Override
    public void pair(GuestThread t, SocketFile other) throws ErrnoException {
        UnixSocket b = (UnixSocket) other;
        domain.lock.lock();
        try {
            peer = b;
            b.peer = this;
            peerCred = credentialsOf(t);
            b.peerCred = peerCred;
            peerProcess = t.process();
            b.peerProcess = peerProcess;
            state = TCP_ESTABLISHED;
            b.state = TCP_ESTABLISHED;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    public void listen(GuestThread t, int requested) throws ErrnoException {
        if (!connectionOriented()) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        domain.lock.lock();
        try {
            if (address == null || (state != TCP_CLOSE && state != TCP_LISTEN)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (requested > backlog) {
                changed(false, false);
            }
            backlog = requested;
            state = TCP_LISTEN;
            // What a connecting socket will see as SO_PEERCRED (update_peercred).
            peerCred = credentialsOf(t);
            peerProcess = t.process();
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    public void connect(GuestThread t, byte[] a) throws ErrnoException {
        if (!connectionOriented()) {
            connectDatagram(t, a);
            return;
        }
        validate(a);
        if (connectHost(t, a)) {
            return;
        }
        long left = sendTimeout(nonblocking());
        domain.lock.lock();
        try {
            if (mayPassCredentials()) {
                autobind();
            }
            while (true) {
                UnixSocket listener = findOther(t, a);
                if (listener.state != TCP_LISTEN || (listener.shutdown & RCV_SHUTDOWN) != 0) {
                    throw new ErrnoException(Errno.ECONNREFUSED);
                }
                if (listener.queue.size() > listener.backlog) {
                    if (left == 0) {
                        throw new ErrnoException(Errno.EAGAIN);
                    }
                    checkSignal(left);
                    left = await(listener, left);
                    continue;
                }
                if (state != TCP_CLOSE) {
                    throw new ErrnoException(state == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EINVAL);
                }
                UnixSocket conn = new UnixSocket(domain, type(), 0, listener.uid(), 0);
                conn.embryo = true;
                conn.state = TCP_ESTABLISHED;
                conn.peer = this;
                conn.peerCred = credentialsOf(t);
                conn.peerProcess = t.process();
                conn.address = listener.address;
                domain.add(conn);
                peerCred = listener.peerCred;
                peerProcess = listener.peerProcess;
                state = TCP_ESTABLISHED;
                peer = conn;
                listener.queue.addLast(new Packet(new byte[0], conn, 0, conn));
                listener.changed(true, false);
                return;
            }
        } finally {
            domain.lock.unlock();
        }
    }

    /** unix_dgram_connect: AF_UNSPEC dissolves the association; another peer drops what the old one sent. */
    private void connectDatagram(GuestThread t, byte[] a) throws ErrnoException {
        if (a.length < PATH_OFFSET) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (family(a) != AF_UNSPEC) {
            validate(a);
            if (connectHost(t, a)) {
                return;
            }
        }
        dropHost();
        List<OpenFile> dropped = new ArrayList<>();
        domain.lock.lock();
        try {
            UnixSocket other = null;
            if (family(a) != AF_UNSPEC) {
                validate(a);
                if (mayPassCredentials()) {
                    autobind();
                }
                other = findOther(t, a);
                if (!maySend(other)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                state = TCP_ESTABLISHED;
                other.state = TCP_ESTABLISHED;
            }
            UnixSocket old = peer;
            peer = other;
            if (old == null) {
                return;
            }
            if (other == null) {
                state = TCP_CLOSE;
            }
            changed(false, true);
            if (other != old) {
                disconnected(old, dropped);
                if (old.peer == null) {
                    old.state = TCP_CLOSE;
                }
            }
        } finally {
            domain.lock.unlock();
            closeAll(dropped);
        }
    }

    /**
     * unix_dgram_disconnected: what came from the old peer is dropped; if it was connected back and
     * is alive, it learns with ECONNRESET.
     */
    private void disconnected(UnixSocket old, List<OpenFile> dropped) {
        if (queue.isEmpty()) {
            return;
        }
        purge(dropped);
        if (!old.dead && old.peer == this) {
            old.error = Errno.ECONNRESET.number();
            old.changed(true, true);
        }
    }

    /** unix_may_send: a datagram socket connected elsewhere (to a guest's socket or the host's) takes nothing from others. */
    private boolean maySend(UnixSocket other) {
        return other.host == null && (other.peer == null || other.peer == this);
    }

    // ---- a host's socket ----

    /**
     * unix_find_other for a socket node on a host mount that no guest socket is bound to: when the
     * user lets guests reach the host's sockets, a host socket connected there becomes this one's
     * (true); otherwise false, and the guest's own lookup answers (ECONNREFUSED, told once in the
     * log so that a user learns of --host-unix-sockets). The path is the host's as the guest's
     * mounts resolve it, never one outside them.
     */
    private boolean connectHost(GuestThread t, byte[] a) throws ErrnoException {
        if (a[PATH_OFFSET] == 0) {
            return false;
        }
        UnixPaths.Found found;
        try {
            found = UnixPaths.find(t, path(a));
        } catch (ErrnoException e) {
            // The guest's own lookup meets the same error.
            return false;
        }
        domain.lock.lock();
        try {
            if (found.hostPath() == null || domain.findPath(found.key()) != null) {
                return false;
            }
        } finally {
            domain.lock.unlock();
        }
        var kernel = t.process().kernel();
        if (!domain.hostSockets()) {
            kernel.warnOnce("host-unix-socket", "connect to " + path(a) + ", a socket no guest bound (a host"
                    + " process's), is refused (ECONNREFUSED): `jlx run --host-unix-sockets` lets guests reach"
                    + " the host's sockets");
            return false;
        }
        domain.lock.lock();
        try {
            if (mayPassCredentials()) {
                autobind();
            }
            if (connectionOriented() && state != TCP_CLOSE) {
                throw new ErrnoException(state == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EINVAL);
            }
        } finally {
            domain.lock.unlock();
        }
        if (!connectionOriented() && peer != null) {
            // A datagram socket's association with a guest's socket is dissolved first, as a new connect's.
            connectDatagram(t, new byte[PATH_OFFSET]);
        }
        HostSocket h = hostConnect(kernel.host().network(), found.hostPath());
        byte[] name = Arrays.copyOf(a, PATH_OFFSET + path(a).length() + 1);
        name[name.length - 1] = 0;
        Ucred cred = hostCredentials(t, h);
        boolean watched = h.watch(this::hostChanged);
        HostSocket old;
        domain.lock.lock();
        try {
            if (connectionOriented() && state != TCP_CLOSE) {
                // Another thread connected meanwhile.
                old = h;
                h = null;
            } else {
                old = host;
                host = h;
                hostWatched = watched;
                hostPeer = name;
                peerCred = cred;
                peerProcess = null;
                state = TCP_ESTABLISHED;
                changed(true, true);
            }
        } finally {
            domain.lock.unlock();
        }
        if (old != null) {
            old.close();
        }
        if (h == null) {
            throw new ErrnoException(Errno.EISCONN);
        }
        return true;
    }

    /**
     * The host's connect, waiting while the listener's backlog is full (EAGAIN), as unix_wait_for_peer
     * waits: not at all for a non-blocking socket, at most SO_SNDTIMEO, until a signal. The host
     * does not tell when room is made: the wait looks again now and then.
     */
    private HostSocket hostConnect(dev.jlx.core.host.HostNetwork network, ByteString hostPath) throws ErrnoException {
        long timeout = sendTimeout(nonblocking());
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            try {
                return network.connectUnix(hostPath, type());
            } catch (ErrnoException e) {
                if (e.errno() != Errno.EAGAIN || !connectionOriented()) {
                    throw e;
                }
            }
            long left = timeout == FOREVER ? FOREVER : timeout - (System.nanoTime() - start);
            if (left <= 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            checkSignal(timeout);
            java.util.concurrent.locks.LockSupport.parkNanos(this, Math.min(pause, left));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /**
     * SO_PEERCRED of a host's socket: pid 0, as for a peer outside the guest's pid namespace, and the
     * uid and gid the host reports (the guest's ids are the host user's); where the host cannot tell,
     * the connecting process's own.
     */
    private static Ucred hostCredentials(GuestThread t, HostSocket h) {
        if (h.hasOption(SOL_SOCKET, SO_PEERCRED)) {
            try {
                byte[] b = h.option(SOL_SOCKET, SO_PEERCRED, Ucred.SIZE);
                if (b.length >= Ucred.SIZE) {
                    Ucred c = Ucred.readFrom(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), 0);
                    return new Ucred(0, c.uid(), c.gid());
                }
            } catch (ErrnoException e) {
                // The host's answer is missing: the connecting process's ids stand for it.
            }
        }
        GuestProcess p = t.process();
        return new Ucred(0, p.credentials().euid(), p.credentials().egid());
    }

    /** A datagram socket connected to a host's socket connects elsewhere (or dissolves): the host's socket goes. */
    private void dropHost() {
        HostSocket h;
        domain.lock.lock();
        try {
            h = host;
            if (h == null) {
                return;
            }
            host = null;
            hostPeer = null;
            peerCred = null;
            peerProcess = null;
            state = TCP_CLOSE;
            changed(true, true);
        } finally {
            domain.lock.unlock();
        }
        h.close();
    }

    /** The host's word that the host socket's readiness may have changed (on its poller's thread). */
    private void hostChanged(int events) {
        boolean all = (events & (Poll.POLLERR | Poll.POLLHUP)) != 0;
        domain.lock.lock();
        try {
            changed(all || (events & Readiness.INPUT) != 0, all || (events & Readiness.OUTPUT) != 0);
        } finally {
            domain.lock.unlock();
        }
    }

    /** {@link HostTransfer#await}: in the host's wait, else on this socket's until the host tells of a change. */
    private boolean awaitHost(HostSocket h, int events, long timeout, long start) throws ErrnoException {
        return HostTransfer.await(h, events, timeout, start, (want, t, s) -> awaitHostChange(h, want, t, s));
    }

    /**
     * The wait of {@link #awaitHost} on a host without one: until the host tells of a change (or,
     * where it does not tell, looking again now and then). No host call is made with the lock held:
     * a change counted after the look wakes the wait.
     */
    private boolean awaitHostChange(HostSocket h, int want, long timeout, long start) throws ErrnoException {
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            long seen;
            domain.lock.lock();
            try {
                seen = inputChanges + outputChanges;
            } finally {
                domain.lock.unlock();
            }
            if ((h.poll() & want) != 0) {
                return true;
            }
            long left = timeout == FOREVER ? FOREVER : timeout - (System.nanoTime() - start);
            if (left <= 0) {
                return false;
            }
            checkSignal(timeout);
            domain.lock.lock();
            try {
                if (inputChanges + outputChanges == seen) {
                    await(wake, hostWatched ? left : Math.min(pause, left));
                }
            } catch (ErrnoException interrupted) {
                throw interrupted(timeout);
            } finally {
                domain.lock.unlock();
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /**
     * A send to the host's socket: as much as it takes, a blocking stream send going on until all is
     * (SO_SNDTIMEO or a signal end it with what went). jlx's files are not the host's descriptors:
     * SCM_RIGHTS is EOPNOTSUPP (logged once); explicit SCM_CREDENTIALS, checked already, are not
     * passed on: the host's kernel gives the host peer jlx's own.
     */
    private long sendHost(GuestThread t, HostSocket h, Outgoing m) throws ErrnoException {
        if (m.address() != null && type() == SOCK_STREAM) {
            throw new ErrnoException(Errno.EISCONN);
        }
        if (m.rights() != null && !m.rights().isEmpty()) {
            t.process().kernel().warnOnce("host-unix-rights", "SCM_RIGHTS to a host's AF_UNIX socket: jlx's files"
                    + " are no host descriptors (EOPNOTSUPP)");
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        if (m.faulted() && (m.length() == 0 || type() != SOCK_STREAM)) {
            throw new ErrnoException(Errno.EFAULT);
        }
        long timeout = sendTimeout((m.flags() & MSG_DONTWAIT) != 0);
        return HostTransfer.send(t, h, m, 0, null, type() == SOCK_STREAM, timeout,
                (events, to, start) -> awaitHost(h, events, to, start));
    }

    /**
     * A receive from the host's socket, waiting unless MSG_DONTWAIT (SO_RCVTIMEO: EAGAIN when it
     * passes); MSG_WAITALL on a stream goes on until the buffer is full, the peer is done, an error
     * or a signal. The sender is the name connected to; with SO_PASSCRED the credentials are the
     * peer's (SO_PEERCRED's). Files the host peer sends are not taken (the host's kernel drops them
     * and says MSG_CTRUNC).
     */
    private long receiveHost(HostSocket h, Incoming m) throws ErrnoException {
        if (m.faulted && m.capacity() == 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
        long timeout = receiveTimeout((m.flags & MSG_DONTWAIT) != 0);
        long got = HostTransfer.receive(h, m, m.flags & (MSG_PEEK | MSG_TRUNC), false, false, type() == SOCK_STREAM,
                timeout, (events, to, start) -> awaitHost(h, events, to, start), null);
        domain.lock.lock();
        try {
            if (m.wantAddress && hostPeer != null) {
                m.address = hostPeer.clone();
            }
            m.credentials = passCredentials() && peerCred != null ? peerCred : null;
            m.passPidfd = passPidfd();
        } finally {
            domain.lock.unlock();
        }
        return got;
    }

    @Override
    public SocketFile accept(GuestThread t, boolean nonblocking, int statusFlags) throws ErrnoException {
        if (!connectionOriented()) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        long left = receiveTimeout(nonblocking);
        domain.lock.lock();
        try {
            if (state != TCP_LISTEN) {
                throw new ErrnoException(Errno.EINVAL);
            }
            while (queue.isEmpty()) {
                int err = takeErrorLocked();
                if (err != 0) {
                    throw new ErrnoException(Errno.of(err));
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (left == 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                checkSignal(left);
                left = await(this, left);
            }
            UnixSocket conn = queue.removeFirst().connection;
            changed(false, false);
            conn.embryo = false;
            conn.setStatusFlags(statusFlags);
            conn.inheritFlags(this);
            return conn;
        } finally {
            domain.lock.unlock();
        }
    }

    /** Puts a connection {@link #accept} took back at the head of the queue: its descriptor could not be made. */
    public void unaccept(SocketFile connection) {
        UnixSocket conn = (UnixSocket) connection;
        domain.lock.lock();
        try {
            conn.embryo = true;
            queue.addFirst(new Packet(new byte[0], conn, 0, conn));
            changed(true, false);
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    public void shutdown(int how) throws ErrnoException {
        if (how < SHUT_RD || how > SHUT_RDWR) {
            throw new ErrnoException(Errno.EINVAL);
        }
        HostSocket h = host;
        if (h != null) {
            h.shutdown(how);
            return;
        }
        int mode = how + 1;
        domain.lock.lock();
        try {
            shutdown |= mode;
            changed(true, true);
            if (peer != null && connectionOriented()) {
                int peerMode = ((mode & RCV_SHUTDOWN) != 0 ? SEND_SHUTDOWN : 0)
                        | ((mode & SEND_SHUTDOWN) != 0 ? RCV_SHUTDOWN : 0);
                peer.shutdown |= peerMode;
                peer.changed(true, true);
            }
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    protected void release() {
        releaseSocket(false);
    }

    /**
     * unix_release_sock: the names go, a connected peer sees the end (and ECONNRESET if this socket
     * had data it never read, or was a connection nobody accepted), the queue is freed (a
     * listener's connections with it).
     */
    private void releaseSocket(boolean unaccepted) {
        List<OpenFile> dropped = new ArrayList<>();
        List<UnixSocket> connections = new ArrayList<>();
        HostSocket h;
        domain.lock.lock();
        try {
            h = host;
            host = null;
            domain.remove(this);
            dead = true;
            int was = state;
            shutdown = SHUTDOWN_MASK;
            state = TCP_CLOSE;
            UnixSocket pair = peer;
            peer = null;
            changed(true, true);
            if (pair != null && connectionOriented()) {
                pair.shutdown = SHUTDOWN_MASK;
                if (!queue.isEmpty() || unaccepted) {
                    pair.error = Errno.ECONNRESET.number();
                }
                pair.changed(true, true);
            }
            if (was == TCP_LISTEN) {
                for (Packet p : queue) {
                    connections.add(p.connection);
                }
                queue.clear();
            }
            purge(dropped);
        } finally {
            domain.lock.unlock();
        }
        for (UnixSocket c : connections) {
            c.releaseSocket(true);
        }
        closeAll(dropped);
        if (h != null) {
            h.close();
        }
    }

    /** Frees every packet queued here; the files they carried go to {@code dropped}, to be closed unlocked. */
    private void purge(List<OpenFile> dropped) {
        while (!queue.isEmpty()) {
            free(queue.removeFirst(), dropped);
        }
    }

    /** A packet leaves the receiver: its sender's buffer has room again (unix_write_space). */
    private void free(Packet p, List<OpenFile> dropped) {
        if (p.rights != null) {
            dropped.addAll(p.rights);
            domain.inflight(p.sender.uid(), -p.rights.size());
            p.rights = null;
        }
        UnixSocket s = p.sender;
        s.wmem -= p.truesize;
        if (p.truesize > 0) {
            s.changed(false, s.hasRoom());
        }
    }

    private static void closeAll(List<OpenFile> files) {
        for (OpenFile f : files) {
            try {
                f.close();
            } catch (ErrnoException ignored) {
                // A file dropped in flight has no caller to hear of its close's error.
            }
        }
    }

    // ---- sending ----

    /** unix_writable: not listening, and a quarter of the send buffer or less in use. */
    private boolean hasRoom() {
        return state != TCP_LISTEN && (wmem + 1) * 4 <= sendBuffer();
    }

    /** The truesize Linux gives an skb of {@code linear} bytes in its head and {@code paged} in pages. */
    static long truesize(int linear, int paged) {
        int object = ((linear + 63) & ~63) + 320;
        int slab;
        if (object <= 8192) {
            slab = 32;
            for (int size : new int[] {32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192}) {
                slab = size;
                if (size >= object) {
                    break;
                }
            }
        } else {
            slab = Integer.highestOneBit(object - 1) << 1;
        }
        // The head as kmalloc rounded it (less the shared info at its end), the skb struct and shared info.
        return slab - 320 + 576 + (long) paged;
    }

    private static int pageAlign(int n) {
        return (n + PAGE - 1) & ~(PAGE - 1);
    }

    /**
     * sock_alloc_send_pskb's wait: this socket's buffer must have room (less in use than SO_SNDBUF);
     * a pending error, a shut-down sending side (EPIPE), no time left (EAGAIN) or a signal end it.
     */
    private long awaitRoom(long left) throws ErrnoException {
        while (true) {
            int err = takeErrorLocked();
            if (err != 0) {
                throw new ErrnoException(Errno.of(err));
            }
            if ((shutdown & SEND_SHUTDOWN) != 0) {
                throw new ErrnoException(Errno.EPIPE);
            }
            if (wmem + 1 < sendBuffer()) {
                return left;
            }
            if (left == 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            checkSignal(left);
            left = await(this, left);
        }
    }

    @Override
    public long send(GuestThread t, Outgoing m) throws ErrnoException {
        if ((m.flags() & MSG_OOB) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        HostSocket h = host;
        if (h != null && (m.address() == null || type() != SOCK_DGRAM)) {
            return sendHost(t, h, m);
        }
        List<OpenFile> dropped = new ArrayList<>();
        domain.lock.lock();
        try {
            return type() == SOCK_STREAM ? sendStream(t, m) : sendDatagram(t, m, dropped);
        } finally {
            domain.lock.unlock();
            closeAll(dropped);
        }
    }

    /** unix_stream_sendmsg: the bytes go in packets of at most half the send buffer, waiting for room between them. */
    private long sendStream(GuestThread t, Outgoing m) throws ErrnoException {
        if (m.address() != null) {
            throw new ErrnoException(state == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EOPNOTSUPP);
        }
        UnixSocket other = peer;
        if (other == null) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
        if ((shutdown & SEND_SHUTDOWN) != 0) {
            sigpipe(t, m.flags());
            throw new ErrnoException(Errno.EPIPE);
        }
        long length = m.length();
        if (length == 0 && m.faulted()) {
            throw new ErrnoException(Errno.EFAULT);
        }
        long left = sendTimeout((m.flags() & MSG_DONTWAIT) != 0);
        Cursor from = new Cursor(m.data());
        long sent = 0;
        boolean rightsSent = false;
        while (sent < length) {
            int size = (int) Math.min(length - sent, Math.min(sendBuffer() / 2 - 64, SKB_MAX_HEAD + UNIX_SKB_FRAGS_SZ));
            try {
                left = awaitRoom(left);
            } catch (ErrnoException e) {
                if (sent > 0) {
                    return sent;
                }
                throw e;
            }
            if (other.dead || (other.shutdown & RCV_SHUTDOWN) != 0) {
                if (sent == 0) {
                    sigpipe(t, m.flags());
                }
                if (sent > 0) {
                    return sent;
                }
                throw new ErrnoException(Errno.EPIPE);
            }
            int paged = size > SKB_MAX_HEAD ? Math.min(size, pageAlign(size - SKB_MAX_HEAD)) : 0;
            Packet p = new Packet(from.take(size), this, truesize(size - paged, paged), null);
            if (!rightsSent) {
                attach(t, p, m);
                rightsSent = true;
            } else {
                explicitCredentials(t, p, m);
            }
            addCredentials(t, p, other);
            queueTo(other, p);
            sent += size;
        }
        return m.faulted() && sent == 0 ? fault() : sent;
    }

    private static long fault() throws ErrnoException {
        throw new ErrnoException(Errno.EFAULT);
    }

    /** unix_dgram_sendmsg (and seqpacket's, after its own checks): one packet, whole or not at all. */
    private long sendDatagram(GuestThread t, Outgoing m, List<OpenFile> dropped)
            throws ErrnoException {
        byte[] to = m.address();
        if (type() == SOCK_SEQPACKET) {
            int err = takeErrorLocked();
            if (err != 0) {
                throw new ErrnoException(Errno.of(err));
            }
            if (state != TCP_ESTABLISHED) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            to = null;
        }
        UnixSocket other = null;
        if (to != null) {
            validate(to);
        } else {
            other = peer;
            if (other == null) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
        }
        if (mayPassCredentials()) {
            autobind();
        }
        long length = m.length();
        if (length > sendBuffer() - 32) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        long left = awaitRoom(sendTimeout((m.flags() & MSG_DONTWAIT) != 0));
        if (m.faulted()) {
            throw new ErrnoException(Errno.EFAULT);
        }
        int len = (int) length;
        int paged = len > SKB_MAX_ALLOC ? pageAlign(Math.min(len - SKB_MAX_ALLOC, MAX_SKB_FRAGS * PAGE)) : 0;
        Packet p = new Packet(new Cursor(m.data()).take(len), this, truesize(len - paged, paged), null);
        attach(t, p, m);
        try {
            while (true) {
                if (other == null) {
                    other = findOther(t, to);
                }
                // The receiver's filter (sk_filter) may drop the datagram, which the sender is not told of, or cut it.
                int keep = other.filtered(p.data);
                if (keep < 0) {
                    release(p, dropped);
                    return len;
                }
                if (keep < p.data.length) {
                    Packet cut = new Packet(Arrays.copyOf(p.data, keep), this, p.truesize, null);
                    cut.credentials = p.credentials;
                    cut.process = p.process;
                    cut.rights = p.rights;
                    p = cut;
                }
                if (!maySend(other)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (other.dead) {
                    if (type() == SOCK_SEQPACKET) {
                        throw new ErrnoException(Errno.EPIPE);
                    }
                    if (peer == other) {
                        peer = null;
                        state = TCP_CLOSE;
                        changed(false, true);
                        disconnected(other, dropped);
                        throw new ErrnoException(Errno.ECONNREFUSED);
                    }
                    if (to == null) {
                        throw new ErrnoException(Errno.ECONNRESET);
                    }
                    other = null;
                    continue;
                }
                if ((other.shutdown & RCV_SHUTDOWN) != 0) {
                    throw new ErrnoException(Errno.EPIPE);
                }
                if (other != this && other.peer != this && other.queue.size() > other.backlog) {
                    if (left == 0) {
                        throw new ErrnoException(Errno.EAGAIN);
                    }
                    checkSignal(left);
                    left = await(other, left);
                    if (to != null) {
                        other = null;
                    }
                    continue;
                }
                break;
            }
        } catch (ErrnoException e) {
            release(p, dropped);
            throw e;
        }
        addCredentials(t, p, other);
        queueTo(other, p);
        return len;
    }

    /** A datagram not sent: the files it carried are closed (once the lock is let go) and no longer in flight. */
    private void release(Packet p, List<OpenFile> dropped) {
        if (p.rights != null) {
            dropped.addAll(p.rights);
            domain.inflight(uid(), -p.rights.size());
        }
    }

    /**
     * unix_scm_to_skb: the explicit credentials, and the files, counted against the sender's
     * RLIMIT_NOFILE while in flight (too_many_unix_fds: ETOOMANYREFS, unless privileged).
     */
    private void attach(GuestThread t, Packet p, Outgoing m) throws ErrnoException {
        explicitCredentials(t, p, m);
        List<OpenFile> rights = m.rights();
        if (rights == null || rights.isEmpty()) {
            return;
        }
        GuestProcess proc = t.process();
        if (domain.inflight(uid(), 0) > proc.rlimits().soft(Resource.RLIMIT_NOFILE)
                && !proc.credentials().capable(GuestProcess.CAP_SYS_RESOURCE)
                && !proc.credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.ETOOMANYREFS);
        }
        for (OpenFile f : rights) {
            f.retain();
        }
        p.rights = new ArrayList<>(rights);
        domain.inflight(uid(), rights.size());
    }

    /**
     * maybe_add_creds: without explicit ones, a packet carries the sender's when either side asked
     * for them (SO_PASSCRED), or the receiver is a connection not accepted yet.
     */
    private void addCredentials(GuestThread t, Packet p, UnixSocket other) {
        if (p.credentials == null && (passCredentials() || passPidfd() || other.embryo || other.passCredentials()
                || other.passPidfd())) {
            GuestProcess proc = t.process();
            p.credentials = new Ucred(proc.pid(), proc.credentials().uid(), proc.credentials().gid());
            p.process = proc;
        }
    }

    /** unix_may_passcred: SO_PASSCRED or SO_PASSPIDFD, either of which wants to know who sent. */
    private boolean mayPassCredentials() {
        return passCredentials() || passPidfd();
    }

    /** SCM_CREDENTIALS given by the sender (already checked): their pid names the process (find_get_pid). */
    private static void explicitCredentials(GuestThread t, Packet p, Outgoing m) {
        p.credentials = m.credentials();
        if (p.credentials != null) {
            p.process = t.process().kernel().process(p.credentials.pid());
        }
    }

    /** unix_ioctl's SIOCATMARK: jlx's AF_UNIX sockets carry no out-of-band byte, so none is ever at the mark. */
    @Override
    public int atMark() {
        return 0;
    }

    /** Any receive timestamp may be asked for: datagrams get one as they are read, streams none (as Linux's). */
    @Override
    protected boolean timestamps(int name) {
        return true;
    }

    private void queueTo(UnixSocket other, Packet p) {
        wmem += p.truesize;
        other.queue.addLast(p);
        other.changed(true, false);
    }

    /** Reads the bytes of an iovec's pieces in order. */
    static final class Cursor {
        private final List<MemorySegment> pieces;
        private int index;
        private long offset;

        Cursor(List<MemorySegment> pieces) {
            this.pieces = pieces;
        }

        byte[] take(int n) {
            byte[] out = new byte[n];
            int done = 0;
            while (done < n) {
                MemorySegment s = pieces.get(index);
                int chunk = (int) Math.min(n - done, s.byteSize() - offset);
                MemorySegment.copy(s, JAVA_BYTE, offset, out, done, chunk);
                done += chunk;
                offset += chunk;
                if (offset == s.byteSize()) {
                    index++;
                    offset = 0;
                }
            }
            return out;
        }

        /** Copies {@code n} bytes of {@code data} from {@code at} into the pieces, where the cursor is. */
        void put(byte[] data, int at, int n) {
            int done = 0;
            while (done < n) {
                MemorySegment s = pieces.get(index);
                int chunk = (int) Math.min(n - done, s.byteSize() - offset);
                MemorySegment.copy(data, at + done, s, JAVA_BYTE, offset, chunk);
                done += chunk;
                offset += chunk;
                if (offset == s.byteSize()) {
                    index++;
                    offset = 0;
                }
            }
        }
    }

    // ---- receiving ----

    @Override
    public long receive(GuestThread t, Incoming m) throws ErrnoException {
        if ((m.flags & MSG_OOB) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        HostSocket h = host;
        if (h != null) {
            return receiveHost(h, m);
        }
        List<OpenFile> dropped = new ArrayList<>();
        domain.lock.lock();
        try {
            return type() == SOCK_STREAM ? receiveStream(m, dropped) : receiveDatagram(m, dropped);
        } finally {
            domain.lock.unlock();
            closeAll(dropped);
        }
    }

    /**
     * unix_stream_read_generic: packets glued up to the size asked (or until the low-water mark is
     * met), never past one that carries files, nor across credentials when they are asked for.
     */
    private long receiveStream(Incoming m, List<OpenFile> dropped) throws ErrnoException {
        if (state != TCP_ESTABLISHED) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long size = m.capacity();
        boolean peek = (m.flags & MSG_PEEK) != 0;
        long target = Math.min((m.flags & MSG_WAITALL) != 0 ? size : receiveLowWater(), size);
        target = Math.max(target, 1);
        long left = receiveTimeout((m.flags & MSG_DONTWAIT) != 0);
        Cursor into = new Cursor(m.buffer);
        long copied = 0;
        ErrnoException failure = null;
        boolean checkCredentials = false;
        Ucred credentials = null;
        GuestProcess sender = null;
        List<OpenFile> rights = null;
        reading:
        do {
            // A peek starts at the offset (re-read from the front after each wait), past whole packets.
            int skip = Math.max(peekOffset(m.flags), 0);
            Iterator<Packet> next = queue.iterator();
            Packet p = null;
            while (next.hasNext()) {
                Packet q = next.next();
                if (skip < q.left()) {
                    p = q;
                    break;
                }
                skip -= q.left();
            }
            if (p == null) {
                if (copied >= target) {
                    break;
                }
                int err = takeErrorLocked();
                if (err != 0) {
                    failure = new ErrnoException(Errno.of(err));
                    break;
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) {
                    break;
                }
                if (left == 0) {
                    failure = new ErrnoException(Errno.EAGAIN);
                    break;
                }
                try {
                    checkSignal(left);
                    left = await(this, left);
                } catch (ErrnoException interrupted) {
                    failure = interrupted;
                    break;
                }
                continue;
            }
            while (true) {
                if (checkCredentials) {
                    if (!java.util.Objects.equals(credentials, p.credentials)) {
                        break reading;
                    }
                } else if (mayPassCredentials()) {
                    credentials = p.credentials;
                    sender = p.process;
                    checkCredentials = true;
                }
                if (m.wantAddress && m.address == null && p.sender.address != null) {
                    m.address = p.sender.address.clone();
                }
                int chunk = (int) Math.min(p.left() - skip, size);
                if (chunk < p.left() - skip && size == 0 && m.faulted && copied == 0) {
                    // skb_copy_datagram_msg would fault: nothing is taken.
                    failure = new ErrnoException(Errno.EFAULT);
                    break reading;
                }
                into.put(p.data, p.consumed + skip, chunk);
                copied += chunk;
                size -= chunk;
                if (!peek) {
                    p.consumed += chunk;
                    peekBackward(chunk);
                    if (p.rights != null) {
                        rights = p.rights;
                        domain.inflight(p.sender.uid(), -rights.size());
                        p.rights = null;
                    }
                    if (p.left() > 0) {
                        break reading;
                    }
                    queue.removeFirst();
                    free(p, dropped);
                    if (rights != null) {
                        break reading;
                    }
                    break;
                }
                peekForward(chunk);
                skip = 0;
                if (p.rights != null) {
                    rights = retained(p.rights);
                    break reading;
                }
                if (size == 0 || !next.hasNext()) {
                    break reading;
                }
                p = next.next();
            }
        } while (size > 0);
        if (copied == 0 && failure != null) {
            throw failure;
        }
        // With SO_PASSCRED a reply always says who sent; before any packet was read, nobody (all zero).
        m.credentials = !passCredentials() ? null : checkCredentials ? orNobody(credentials) : new Ucred(0, 0, 0);
        m.passPidfd = passPidfd();
        m.sender = sender;
        m.rights = rights;
        return copied;
    }

    /** A packet's credentials as SCM_CREDENTIALS reports them: without any, pid 0 and the overflow ids. */
    private static Ucred orNobody(Ucred c) {
        return c != null ? c : new Ucred(0, OVERFLOW_ID, OVERFLOW_ID);
    }

    /** overflowuid and overflowgid: what an id with no mapping reads as. */
    private static final int OVERFLOW_ID = 65534;

    private static List<OpenFile> retained(List<OpenFile> files) {
        for (OpenFile f : files) {
            f.retain();
        }
        return new ArrayList<>(files);
    }

    /** __unix_dgram_recvmsg: one packet, cut to the buffer (MSG_TRUNC) or peeked. */
    private long receiveDatagram(Incoming m, List<OpenFile> dropped) throws ErrnoException {
        if (type() == SOCK_SEQPACKET && state != TCP_ESTABLISHED) {
            throw new ErrnoException(Errno.ENOTCONN);
        }
        boolean peek = (m.flags & MSG_PEEK) != 0;
        long left = receiveTimeout((m.flags & MSG_DONTWAIT) != 0);
        int[] skip = new int[1];
        Packet p;
        while ((p = next(peek, peekOffset(m.flags), skip)) == null) {
            if (left == 0) {
                if (type() == SOCK_SEQPACKET && (shutdown & RCV_SHUTDOWN) != 0) {
                    return 0;
                }
                throw new ErrnoException(Errno.EAGAIN);
            }
            // __skb_wait_for_more_packets' order: an error, a shut-down side, a lost connection, a signal.
            int err = takeErrorLocked();
            if (err != 0) {
                throw new ErrnoException(Errno.of(err));
            }
            if ((shutdown & RCV_SHUTDOWN) != 0) {
                return 0;
            }
            if (type() == SOCK_SEQPACKET && state != TCP_ESTABLISHED && state != TCP_LISTEN) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            checkSignal(left);
            left = await(this, left);
        }
        // Senders waiting for room in this queue (unix_wait_for_peer) may go on.
        changed(false, true);
        if (m.wantAddress && p.sender.address != null) {
            m.address = p.sender.address.clone();
        }
        long capacity = m.capacity();
        int n = p.data.length - skip[0];
        if (capacity < n && m.faulted) {
            // The copy faults: the datagram is gone all the same, unless only peeked.
            if (!peek) {
                free(p, dropped);
            }
            throw new ErrnoException(Errno.EFAULT);
        }
        if (capacity < n) {
            n = (int) capacity;
            m.resultFlags |= MSG_TRUNC;
        }
        new Cursor(m.buffer).put(p.data, skip[0], n);
        // unix_dgram_recvmsg stamps a datagram as it is read (nothing stamped it before).
        stamp(m);
        m.credentials = passCredentials() ? orNobody(p.credentials) : null;
        m.passPidfd = passPidfd();
        m.sender = p.process;
        if (peek) {
            peekForward(n);
            m.rights = p.rights != null ? retained(p.rights) : null;
        } else {
            m.rights = p.rights;
            if (p.rights != null) {
                domain.inflight(p.sender.uid(), -p.rights.size());
                p.rights = null;
            }
            peekBackward(p.data.length);
            free(p, dropped);
        }
        return (m.flags & MSG_TRUNC) != 0 ? p.data.length - skip[0] : n;
    }

    /**
     * __skb_try_recv_from_queue: a read takes the first datagram; a peek with an offset in use
     * passes over the datagrams wholly before it ({@code skip[0]} gets the offset left inside the one
     * found), and over an empty one it has peeked before. Null when there is none.
     */
    private Packet next(boolean peek, int offset, int[] skip) {
        if (!peek) {
            skip[0] = 0;
            return queue.pollFirst();
        }
        int off = Math.max(offset, 0);
        for (Packet q : queue) {
            if (offset >= 0 && off >= q.data.length && (off != 0 || q.peeked)) {
                off -= q.data.length;
                continue;
            }
            if (q.data.length == 0) {
                q.peeked = true;
            }
            skip[0] = off;
            return q;
        }
        return null;
    }

    // ---- state ----

    @Override
    public int inputQueued() throws ErrnoException {
        HostSocket h = host;
        if (h != null) {
            return h.available();
        }
        domain.lock.lock();
        try {
            if (state == TCP_LISTEN) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (type() == SOCK_DGRAM) {
                return queue.isEmpty() ? 0 : queue.peekFirst().data.length;
            }
            long n = 0;
            for (Packet p : queue) {
                n += p.left();
            }
            return (int) n;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    public int outputQueued() throws ErrnoException {
        HostSocket h = host;
        if (h != null) {
            return h.unsent();
        }
        domain.lock.lock();
        try {
            return (int) wmem;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    protected boolean listening() {
        domain.lock.lock();
        try {
            return state == TCP_LISTEN;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    protected Ucred peerCredentials() {
        domain.lock.lock();
        try {
            return peerCred;
        } finally {
            domain.lock.unlock();
        }
    }

    /** unix_set_peek_off, for every type; a socket connected to the host's peeks from the front. */
    @Override
    protected boolean peeksAtOffset() {
        return true;
    }

    @Override
    public GuestProcess peerProcess() {
        domain.lock.lock();
        try {
            return peerProcess;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    protected boolean takesCredentials() {
        return true;
    }

    /** unix_poll (stream) and unix_dgram_poll (datagram, seqpacket). */
    @Override
    protected int readyEvents() {
        HostSocket h = host;
        if (h != null) {
            return h.poll();
        }
        domain.lock.lock();
        try {
            int mask = 0;
            if (error != 0) {
                mask |= Poll.POLLERR;
            }
            if (shutdown == SHUTDOWN_MASK) {
                mask |= Poll.POLLHUP;
            }
            if ((shutdown & RCV_SHUTDOWN) != 0) {
                mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
            }
            if (!queue.isEmpty()) {
                mask |= Poll.POLLIN | Poll.POLLRDNORM;
            }
            if (connectionOriented() && state == TCP_CLOSE) {
                mask |= Poll.POLLHUP;
            }
            boolean out = hasRoom();
            if (out && type() != SOCK_STREAM && peer != null && peer.peer != this && !peer.dead
                    && peer.queue.size() > peer.backlog) {
                out = false;
            }
            if (out) {
                mask |= Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
            }
            return mask;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    long generation(boolean input) {
        if (changesUnseen()) {
            return -1;
        }
        // A datagram sender also waits for room in its peer's queue: changes there are its too.
        long peerInput = type() != SOCK_STREAM && peer != null && !input ? peer.outputFromReceiver() : 0;
        return input ? inputChanges : outputChanges + peerInput;
    }

    @Override
    boolean changesUnseen() {
        return host != null && !hostWatched;
    }

    /** Counts the packets taken from this socket's queue, for senders waiting on it. */
    private long outputFromReceiver() {
        return outputChanges;
    }

    /**
     * What unix_diag reports of the socket (sk_diag_fill), the lock held; null for a connection not
     * accepted yet, which Linux's table does not hold. A connection not accepted has no inode (0) as
     * a peer or in a listener's queue; a listener's queues are its queue's length and backlog.
     */
    SockDiag.Unix diag(UnixPaths.NodeKey node) {
        if (embryo) {
            return null;
        }
        long rq = 0;
        if (state == TCP_LISTEN) {
            rq = queue.size();
        } else if (type() == SOCK_DGRAM) {
            rq = queue.isEmpty() ? 0 : queue.peekFirst().data.length;
        } else {
            for (Packet p : queue) {
                rq += p.left();
            }
        }
        byte[] name = address == null ? null : Arrays.copyOfRange(address, PATH_OFFSET, address.length);
        long peerInode = peer == null || peer.embryo ? 0 : peer.inode();
        return new SockDiag.Unix(type(), state, inode(), name, node, peer != null, peerInode,
                state == TCP_LISTEN ? queue.size() : 0, (int) rq,
                state == TCP_LISTEN ? backlog : (int) wmem, uid(), shutdown);
    }

    /** A line of /proc/net/unix (unix_seq_show), the lock held by the caller or not needed. */
    void procLine(StringBuilder b) {
        domain.lock.lock();
        try {
            int refs = (embryo ? 1 : 2);
            for (UnixSocket s : domain.socketsView()) {
                if (s.peer == this) {
                    refs++;
                }
            }
            int st = embryo ? (state == TCP_ESTABLISHED ? 2 : 4) : (state == TCP_ESTABLISHED ? 3 : 1);
            b.append(String.format("0000000000000000: %08X %08X %08X %04X %02X %5d", refs, 0,
                    state == TCP_LISTEN ? 0x10000 : 0, type(), st, embryo ? 0 : inode()));
            if (address != null) {
                b.append(' ');
                int len = address.length - PATH_OFFSET;
                int i = 0;
                if (address[PATH_OFFSET] != 0) {
                    len--;
                } else {
                    b.append('@');
                    i++;
                }
                for (; i < len; i++) {
                    byte c = address[PATH_OFFSET + i];
                    b.append(c == 0 ? '@' : (char) (c & 0xff));
                }
            }
            b.append('\n');
        } finally {
            domain.lock.unlock();
        }
    }
}
