package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * An AF_NETLINK socket (SOCK_RAW or SOCK_DGRAM, which netlink treats alike) of one of the protocols
 * a Debian kernel has built in, simulated in the JVM as Linux's af_netlink.c does it: a port id (the
 * tgid for a process's first socket of the protocol), multicast groups, a receive queue of datagrams
 * charged to SO_RCVBUF with their skb truesize (a kernel reply that does not fit is dropped and the
 * socket gets ENOBUFS), and one dump at a time, whose datagrams are made as the reader takes the
 * previous ones. Requests to port id 0 go to the protocol's kernel side ({@link RouteNetlink},
 * {@link SockDiag}, {@link KernelFamilies}); a privileged guest may also send to another socket's
 * port id or group.
 */
public final class NetlinkSocket extends JvmSocket {
    /** SKB_WITH_OVERHEAD of a page: the least room a dump's datagram gets (NLMSG_GOODSIZE). */
    private static final int GOODSIZE = 3776;
    /** The most room: SKB_WITH_OVERHEAD(32768), what a large reader's buffer earns. */
    private static final int MAX_DUMP_ROOM = 32448;
    /**
     * The protocols a Debian kernel builds in, but NETLINK_FIB_LOOKUP (its route lookups are not
     * done); NETLINK_CRYPTO and the rest are modules jlx has not.
     */
    private static final long PROTOCOLS = 1L << NETLINK_ROUTE | 1L << NETLINK_USERSOCK | 1L << NETLINK_SOCK_DIAG
            | 1L << NETLINK_XFRM | 1L << NETLINK_SELINUX | 1L << NETLINK_AUDIT | 1L << NETLINK_CONNECTOR | 1L << NETLINK_NETFILTER | 1L << NETLINK_KOBJECT_UEVENT | 1L << NETLINK_GENERIC;
    /** The protocols whose groups anyone may join (NL_CFG_F_NONROOT_RECV); others need CAP_NET_ADMIN. */
    private static final long NONROOT_RECV = 1L << NETLINK_ROUTE | 1L << NETLINK_SOCK_DIAG | 1L << NETLINK_SELINUX
            | 1L << NETLINK_KOBJECT_UEVENT | 1L << NETLINK_GENERIC;

    private final NetlinkDomain domain;
    private final int protocol;
    /** The protocol's multicast groups: RTNLGRP_MAX for NETLINK_ROUTE, genetlink's 64, at least 32 for all. */
    private final int groupCount;

    // Under domain.lock.
    private int portid;
    private boolean bound;
    private long groups;
    private boolean groupsAllocated;
    private int dstPortid;
    private int dstGroup;
    private boolean extAck;
    private boolean capAck;
    private boolean strict;
    private boolean pktinfo;
    private boolean noEnobufs;
    private boolean broadcastError;
    private boolean listenAllNsid;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long rmem;
    private boolean congested;
    private int drops;
    private int maxRecvmsgLen;
    private NetlinkKernel.Dump dump;
    private boolean dead;

    /** One datagram: its bytes, who sent it (port id, group) with what credentials, its truesize. */
    private record Datagram(byte[] data, int portid, int group, Ucred credentials, long truesize) {}

    private NetlinkSocket(NetlinkDomain domain, int type, int protocol, int statusFlags, int uid, int gid) {
        super(domain.lock, AF_NETLINK, type, protocol, statusFlags, uid, gid);
        this.domain = domain;
        this.protocol = protocol;
        this.groupCount = protocol == NETLINK_ROUTE ? 39 : protocol == NETLINK_GENERIC ? 64 : 32;
    }

    /**
     * netlink_create: the type first (SOCK_RAW or SOCK_DGRAM, else ESOCKTNOSUPPORT), then the protocol
     * (outside [0, MAX_LINKS), or one a Debian kernel has not built in: EPROTONOSUPPORT).
     */
    public static NetlinkSocket create(NetlinkDomain domain, int type, int protocol, int statusFlags, int uid, int gid)
            throws ErrnoException {
        if (type != SOCK_RAW && type != SOCK_DGRAM) {
            throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        }
        if (protocol < 0 || protocol >= MAX_LINKS || (PROTOCOLS >>> protocol & 1) == 0) {
            throw new ErrnoException(Errno.EPROTONOSUPPORT);
        }
        return new NetlinkSocket(domain, type, protocol, statusFlags, uid, gid);
    }

    // ---- names ----

    private static byte[] sockaddr(int portid, int groups) {
        return ByteBuffer.allocate(SOCKADDR_NL_SIZE).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) AF_NETLINK)
                .putInt(4, portid).putInt(8, groups).array();
    }

    private static int family(byte[] a) {
        return a.length < 2 ? -1 : (a[0] & 0xff) | (a[1] & 0xff) << 8;
    }

    private static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sending to a group or to another socket takes CAP_NET_ADMIN (no built-in protocol has NL_CFG_F_NONROOT_SEND). */
    private static boolean privileged(GuestThread t) {
        return t.process().credentials().capable(GuestProcess.CAP_NET_ADMIN);
    }

    /** Joining a group: anyone for the NL_CFG_F_NONROOT_RECV protocols, else CAP_NET_ADMIN. */
    private boolean mayListen(GuestThread t) {
        return (NONROOT_RECV >>> protocol & 1) != 0 || t != null && privileged(t);
    }

    /** netlink_autobind, the lock held. */
    private void autobind(GuestThread t) {
        if (!bound) {
            portid = domain.autobindId(protocol, t.process().pid());
            domain.insert(protocol, portid, this);
            bound = true;
        }
    }

    /** netlink_bind: a full sockaddr_nl; a bound socket keeps its port id (another is EINVAL). */
    @Override
    public void bind(GuestThread t, byte[] a) throws ErrnoException {
        if (a.length < SOCKADDR_NL_SIZE || family(a) != AF_NETLINK) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int pid = le(a).getInt(4);
        int nlGroups = le(a).getInt(8);
        if (nlGroups != 0 && !mayListen(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        domain.lock.lock();
        try {
            if (bound && pid != portid) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (!bound) {
                if (pid != 0) {
                    if (!domain.insert(protocol, pid, this)) {
                        throw new ErrnoException(Errno.EADDRINUSE);
                    }
                    portid = pid;
                    bound = true;
                } else {
                    autobind(t);
                }
            }
            if (nlGroups != 0) {
                groupsAllocated = true;
            }
            groups = (groups & ~0xffffffffL) | Integer.toUnsignedLong(nlGroups);
        } finally {
            domain.lock.unlock();
        }
    }

    /** netlink_connect: AF_UNSPEC disconnects; a port id or group other than the kernel's needs privilege. */
    @Override
    public void connect(GuestThread t, byte[] a) throws ErrnoException {
        if (a.length < 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        domain.lock.lock();
        try {
            if (family(a) == AF_UNSPEC) {
                dstPortid = 0;
                dstGroup = 0;
                return;
            }
            if (family(a) != AF_NETLINK || a.length < SOCKADDR_NL_SIZE) {
                throw new ErrnoException(Errno.EINVAL);
            }
            int pid = le(a).getInt(4);
            int nlGroups = le(a).getInt(8);
            if ((pid != 0 || nlGroups != 0) && !privileged(t)) {
                throw new ErrnoException(Errno.EPERM);
            }
            autobind(t);
            dstPortid = pid;
            dstGroup = nlGroups == 0 ? 0 : Integer.numberOfTrailingZeros(nlGroups) + 1;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    public byte[] localAddress() {
        domain.lock.lock();
        try {
            return sockaddr(portid, (int) groups);
        } finally {
            domain.lock.unlock();
        }
    }

    /** netlink_getname for the peer: the connected destination, never ENOTCONN. */
    @Override
    public byte[] peerAddress() {
        domain.lock.lock();
        try {
            return sockaddr(dstPortid, groupMask(dstGroup));
        } finally {
            domain.lock.unlock();
        }
    }

    private static int groupMask(int group) {
        return group == 0 ? 0 : 1 << (group - 1);
    }

    // ---- sending ----

    /**
     * netlink_sendmsg: MSG_OOB is EOPNOTSUPP, an empty message ENODATA; the destination from the
     * address or the connection; the message must fit the send buffer (EMSGSIZE); a group gets a copy,
     * then the port id its unicast (0: the kernel).
     */
    @Override
    public long send(GuestThread t, Outgoing m) throws ErrnoException {
        if ((m.flags() & MSG_OOB) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        long len = m.length();
        if (len == 0 && !m.faulted()) {
            throw new ErrnoException(Errno.ENODATA);
        }
        int toPortid;
        int toGroup;
        byte[] to = m.address();
        if (to != null) {
            if (to.length < SOCKADDR_NL_SIZE || family(to) != AF_NETLINK) {
                throw new ErrnoException(Errno.EINVAL);
            }
            toPortid = le(to).getInt(4);
            int nlGroups = le(to).getInt(8);
            toGroup = nlGroups == 0 ? 0 : Integer.numberOfTrailingZeros(nlGroups) + 1;
            if ((toPortid != 0 || toGroup != 0) && !privileged(t)) {
                throw new ErrnoException(Errno.EPERM);
            }
        } else {
            domain.lock.lock();
            try {
                toPortid = dstPortid;
                toGroup = dstGroup;
            } finally {
                domain.lock.unlock();
            }
        }
        domain.lock.lock();
        try {
            autobind(t);
        } finally {
            domain.lock.unlock();
        }
        if (len > sendBuffer() - 32) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        if (m.faulted()) {
            throw new ErrnoException(Errno.EFAULT);
        }
        byte[] data = new UnixSocket.Cursor(m.data()).take((int) len);
        GuestProcess p = t.process();
        Ucred creds = new Ucred(p.pid(), p.credentials().uid(), p.credentials().gid());
        if (toGroup != 0) {
            broadcast(data, toGroup, creds);
        }
        if (toPortid == 0) {
            toKernel(t, data);
        } else {
            toSocket(data, toPortid, creds, (m.flags() & MSG_DONTWAIT) != 0);
        }
        return len;
    }

    /**
     * The protocol's kernel side answers this socket's requests, from snapshots taken now (the
     * interfaces; the sockets sock_diag lists); a protocol whose kernel takes no input refuses
     * (netlink_unicast_kernel, or no kernel socket at all for NETLINK_USERSOCK: ECONNREFUSED).
     */
    private void toKernel(GuestThread t, byte[] data) throws ErrnoException {
        if (protocol == NETLINK_USERSOCK || protocol == NETLINK_SELINUX) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        dev.jlx.core.kernel.Kernel k = t.process().kernel();
        List<Interfaces.Link> links = protocol == NETLINK_ROUTE ? k.interfaces().get() : null;
        SockDiag.Sockets sockets = protocol == NETLINK_SOCK_DIAG
                ? new SockDiag.Sockets(k.inetSockets().diagnoses(), k.unixSockets().diagnoses()) : null;
        domain.lock.lock();
        try {
            NetlinkKernel.Options o = new NetlinkKernel.Options(strict, extAck, capAck,
                    t.process().credentials().caps().effective());
            NetlinkKernel.Sink sink = new NetlinkKernel.Sink() {
                @Override
                public void unicast(byte[] datagram) {
                    fromKernel(datagram, UnixSocket.truesize(datagram.length, 0));
                }

                @Override
                public int startDump(NetlinkKernel.Dump d) {
                    if (dump != null) {
                        return -Errno.EBUSY.number();
                    }
                    if (rmem >= receiveBuffer()) {
                        return -Errno.ENOBUFS.number();
                    }
                    dump = d;
                    dumpStep();
                    return 0;
                }
            };
            switch (protocol) {
                case NETLINK_ROUTE -> RouteNetlink.receive(data, portid, o, links, sink);
                case NETLINK_SOCK_DIAG -> SockDiag.receive(data, portid, o, sockets, domain.allBound(), sink);
                default -> KernelFamilies.receive(protocol, data, portid, o, sink);
            }
        } finally {
            domain.lock.unlock();
        }
    }

    /**
     * A kernel message for this socket (netlink_unicast from the kernel, never waiting): dropped when
     * the queue is over SO_RCVBUF or congested, and then the socket gets ENOBUFS (netlink_overrun).
     */
    private void fromKernel(byte[] datagram, long truesize) {
        if (dead) {
            return;
        }
        if (rmem > receiveBuffer() || congested) {
            overrun();
            return;
        }
        enqueue(new Datagram(datagram, 0, 0, new Ucred(0, 0, 0), truesize));
    }

    private void overrun() {
        if (!noEnobufs && !congested) {
            congested = true;
            error = Errno.ENOBUFS.number();
            changed(true, true);
        }
        drops++;
    }

    /** Queues a message for the reader, as the socket's filter (sk_filter) keeps it: cut short, or dropped. */
    private void enqueue(Datagram d) {
        int keep = filtered(d.data());
        if (keep < 0) {
            return;
        }
        if (keep < d.data().length) {
            d = new Datagram(Arrays.copyOf(d.data(), keep), d.portid(), d.group(), d.credentials(), d.truesize());
        }
        queue.addLast(d);
        rmem += d.truesize();
        changed(true, false);
    }

    /** netlink_dump: the dump's next datagram, as big as the reader's largest buffer earns (the lock held). */
    private void dumpStep() {
        int room = Math.max(GOODSIZE, maxRecvmsgLen);
        byte[] d = dump.nextDatagram(room);
        enqueue(new Datagram(d, 0, 0, new Ucred(0, 0, 0), UnixSocket.truesize(room, 0)));
        if (dump.finished()) {
            dump = null;
        }
    }

    /** netlink_broadcast to the other sockets of {@code group}: a full one drops its copy and gets ENOBUFS. */
    private void broadcast(byte[] data, int group, Ucred creds) {
        domain.lock.lock();
        try {
            for (NetlinkSocket s : domain.boundView(protocol)) {
                if (s != this && (s.groups & 1L << (group - 1)) != 0) {
                    if (s.rmem > s.receiveBuffer() || s.congested) {
                        s.overrun();
                    } else {
                        s.enqueue(new Datagram(data, portid, group, creds, UnixSocket.truesize(data.length, 0)));
                    }
                }
            }
        } finally {
            domain.lock.unlock();
        }
    }

    /**
     * netlink_unicast to a user socket: ECONNREFUSED when nobody has the port id; a full receiver
     * makes the sender wait (SO_SNDTIMEO), or EAGAIN without waiting.
     */
    private void toSocket(byte[] data, int to, Ucred creds, boolean dontwait) throws ErrnoException {
        long left = sendTimeout(dontwait);
        domain.lock.lock();
        try {
            while (true) {
                NetlinkSocket s = domain.find(protocol, to);
                if (s == null || s.dead) {
                    throw new ErrnoException(Errno.ECONNREFUSED);
                }
                if (s.rmem <= s.receiveBuffer() && !s.congested) {
                    s.enqueue(new Datagram(data, portid, 0, creds, UnixSocket.truesize(data.length, 0)));
                    return;
                }
                if (left == 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                checkSignal(left);
                left = await(s.wake, left);
            }
        } finally {
            domain.lock.unlock();
        }
    }

    // ---- receiving ----

    /**
     * netlink_recvmsg: a pending error first, then one datagram (cut to the buffer with MSG_TRUNC in
     * msg_flags; its whole length returned with MSG_TRUNC asked); the sender's address; then the
     * running dump's next datagram when the queue has room again.
     */
    @Override
    public long receive(GuestThread t, Incoming m) throws ErrnoException {
        if ((m.flags & MSG_OOB) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        boolean peek = (m.flags & MSG_PEEK) != 0;
        long left = receiveTimeout((m.flags & MSG_DONTWAIT) != 0);
        domain.lock.lock();
        try {
            Datagram d;
            while (true) {
                if (error != 0) {
                    throw new ErrnoException(Errno.of(takeErrorLocked()));
                }
                d = queue.peekFirst();
                if (d != null) {
                    break;
                }
                if (left == 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                checkSignal(left);
                left = await(wake, left);
            }
            if (!peek) {
                queue.removeFirst();
                rmem -= d.truesize();
            }
            long capacity = m.capacity();
            maxRecvmsgLen = (int) Math.min(Math.max(maxRecvmsgLen, capacity), MAX_DUMP_ROOM);
            int n = d.data().length;
            if (capacity < n) {
                m.resultFlags |= MSG_TRUNC;
                n = (int) capacity;
            }
            try {
                if (m.faulted && capacity < d.data().length) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                new UnixSocket.Cursor(m.buffer).put(d.data(), 0, n);
                if (m.wantAddress) {
                    m.address = sockaddr(d.portid(), groupMask(d.group()));
                }
                if (pktinfo) {
                    // struct nl_pktinfo: the group the message was sent to, 0 for a unicast.
                    m.messages.add(new Incoming.Control(SOL_NETLINK, NETLINK_PKTINFO,
                            le(new byte[4]).putInt(0, d.group()).array()));
                }
                m.credentials = passCredentials() ? d.credentials() : null;
            } finally {
                if (dump != null && rmem <= receiveBuffer() / 2) {
                    dumpStep();
                }
                if (queue.isEmpty()) {
                    congested = false;
                }
                changed(false, true);
            }
            return (m.flags & MSG_TRUNC) != 0 ? d.data().length : n;
        } finally {
            domain.lock.unlock();
        }
    }

    // ---- options ----

    @Override
    public boolean hasProtocolOptions() {
        return true;
    }

    /** netlink_setsockopt: SOL_NETLINK only; the value (0 when shorter than an int) read before the name is looked at. */
    @Override
    protected void setProtocolOption(int level, int name, OptionValue value) throws ErrnoException {
        if (level != SOL_NETLINK) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        int val = value.length() >= 4 ? le(value.read(4)).getInt(0) : 0;
        boolean on = val != 0;
        GuestThread caller = dev.jlx.core.kernel.Kernel.caller();
        domain.lock.lock();
        try {
            switch (name) {
                case NETLINK_ADD_MEMBERSHIP, NETLINK_DROP_MEMBERSHIP -> {
                    if (!mayListen(caller)) {
                        throw new ErrnoException(Errno.EPERM);
                    }
                    groupsAllocated = true;
                    if (val == 0 || Integer.toUnsignedLong(val - 1) >= groupCount) {
                        throw new ErrnoException(Errno.EINVAL);
                    }
                    groups = name == NETLINK_ADD_MEMBERSHIP ? groups | 1L << (val - 1) : groups & ~(1L << (val - 1));
                }
                case NETLINK_BROADCAST_ERROR -> broadcastError = on;
                case NETLINK_NO_ENOBUFS -> {
                    noEnobufs = on;
                    if (on) {
                        congested = false;
                        changed(false, true);
                    }
                }
                case NETLINK_LISTEN_ALL_NSID -> {
                    if (caller == null || !privileged(caller)) {
                        throw new ErrnoException(Errno.EPERM);
                    }
                    listenAllNsid = on;
                }
                case NETLINK_CAP_ACK -> capAck = on;
                case NETLINK_EXT_ACK -> extAck = on;
                case NETLINK_GET_STRICT_CHK -> strict = on;
                case NETLINK_PKTINFO -> pktinfo = on;
                default -> throw new ErrnoException(Errno.ENOPROTOOPT);
            }
        } finally {
            domain.lock.unlock();
        }
    }

    /** netlink_getsockopt: the flags as ints (EINVAL for a buffer shorter than one), the group bitmap. */
    @Override
    protected byte[] protocolOption(int level, int name, int length) throws ErrnoException {
        if (level != SOL_NETLINK) {
            throw new ErrnoException(Errno.ENOPROTOOPT);
        }
        if (length < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        domain.lock.lock();
        try {
            if (name == NETLINK_LIST_MEMBERSHIPS) {
                int size = groupsAllocated ? (groupCount + 31) / 32 * 4 : 0;
                ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
                for (int at = 0; at + 4 <= size && at + 4 <= length; at += 4) {
                    b.putInt(at, (int) (groups >>> (at * 8)));
                }
                return java.util.Arrays.copyOf(b.array(), Math.min(size, length - length % 4));
            }
            boolean flag = switch (name) {
                case NETLINK_PKTINFO -> pktinfo;
                case NETLINK_BROADCAST_ERROR -> broadcastError;
                case NETLINK_NO_ENOBUFS -> noEnobufs;
                case NETLINK_LISTEN_ALL_NSID -> listenAllNsid;
                case NETLINK_CAP_ACK -> capAck;
                case NETLINK_EXT_ACK -> extAck;
                case NETLINK_GET_STRICT_CHK -> strict;
                default -> throw new ErrnoException(Errno.ENOPROTOOPT);
            };
            if (length < 4) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, flag ? 1 : 0).array();
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    protected boolean takesCredentials() {
        return true;
    }

    /** NETLINK_LIST_MEMBERSHIPS: optlen is the bitmap's whole size, however little of it fitted. */
    @Override
    public int optionLength(int level, int name, int copied) {
        if (level == SOL_NETLINK && name == NETLINK_LIST_MEMBERSHIPS) {
            return groupsAllocated ? (groupCount + 31) / 32 * 4 : 0;
        }
        return super.optionLength(level, name, copied);
    }

    /** Timestamps may be asked for; netlink_recvmsg adds none (as Linux's). */
    @Override
    protected boolean timestamps(int name) {
        return true;
    }

    // ---- state ----

    /** No shutdown for netlink (sock_no_shutdown). */
    @Override
    public void shutdown(int how) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** netlink has no ioctls of its own: SIOCINQ is not a socket ioctl there (ENOTTY). */
    @Override
    public int inputQueued() throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    @Override
    public int outputQueued() throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    @Override
    protected boolean listening() {
        return false;
    }

    /** datagram_poll: an error, data queued, and always room to send. */
    @Override
    protected int readyEvents() {
        domain.lock.lock();
        try {
            int mask = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
            if (error != 0) {
                mask |= Poll.POLLERR;
            }
            if (!queue.isEmpty()) {
                mask |= Poll.POLLIN | Poll.POLLRDNORM;
            }
            return mask;
        } finally {
            domain.lock.unlock();
        }
    }

    @Override
    protected void release() {
        domain.lock.lock();
        try {
            dead = true;
            if (bound) {
                domain.remove(protocol, portid, this);
            }
            queue.clear();
            rmem = 0;
            dump = null;
            changed(true, true);
        } finally {
            domain.lock.unlock();
        }
    }

    int protocolNumber() {
        return protocol;
    }

    /** netlink_diag's sk_diag_fill of this socket, the lock held: its netlink_diag_msg (no attributes). */
    void diag(NetlinkKernel.Message m) {
        m.u8(AF_NETLINK).u8(type()).u8(protocol).u8(dstPortid != 0 || dstGroup != 0 ? 1 : 0);
        m.i32(portid).i32(dstPortid).i32(groupMask(dstGroup)).i32((int) inode()).i32((int) inode()).i32(0);
    }

    /** A line of /proc/net/netlink (netlink_seq_show). */
    void procLine(StringBuilder b) {
        domain.lock.lock();
        try {
            b.append(String.format("0000000000000000 %-3d %-10d %08x %-8d %-8d %-5d %-8d %-8d %-8d\n", protocol,
                    Integer.toUnsignedLong(portid), (int) groups, rmem, 0, dump != null ? 1 : 0, 2, drops, inode()));
        } finally {
            domain.lock.unlock();
        }
    }
}
