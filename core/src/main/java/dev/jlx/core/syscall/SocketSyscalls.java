package dev.jlx.core.syscall;

import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ioctl;
import dev.jlx.abi.Netlink;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.struct.Cmsghdr;
import dev.jlx.abi.struct.Mmsghdr;
import dev.jlx.abi.struct.Msghdr;
import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.net.HostInetSocket;
import dev.jlx.core.net.Incoming;
import dev.jlx.core.net.NetlinkSocket;
import dev.jlx.core.net.Outgoing;
import dev.jlx.core.net.SocketFile;
import dev.jlx.core.net.UnixSocket;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket calls (Linux's net/socket.c): the descriptor and argument checks in Linux's order,
 * sockaddrs and msghdrs in and out of guest memory, control messages (net/core/scm.c); the rest is
 * the socket's ({@link SocketFile}). Every descriptor that is not a socket is ENOTSOCK.
 */
final class SocketSyscalls {
    /** SOCK_CLOEXEC and SOCK_NONBLOCK: the flags socket, socketpair and accept4 take. */
    private static final int SOCK_FLAGS = SOCK_CLOEXEC | SOCK_NONBLOCK;
    /** MSG_CMSG_COMPAT: only 32-bit callers may pass it (EINVAL here). */
    private static final int MSG_CMSG_COMPAT = 0x80000000;
    /** IPPROTO_MAX: inet protocols are below it. */
    private static final int IPPROTO_MAX = 263;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int IPPROTO_UDPLITE = 136;
    private static final int IPPROTO_MPTCP = 262;

    private SocketSyscalls() {}

    /** The socket behind {@code fd}: EBADF, ENOTSOCK (sockfd_lookup_light). */
    static SocketFile socket(GuestThread t, int fd) throws ErrnoException {
        if (t.process().fds().get(fd) instanceof SocketFile s) {
            return s;
        }
        throw new ErrnoException(Errno.ENOTSOCK);
    }

    /**
     * __sock_create: the family's range, then the type's, then the family's own checks. AF_UNIX and
     * AF_NETLINK (NETLINK_ROUTE) are jlx's; AF_INET and AF_INET6 answer their argument errors as
     * Linux's inet_create does, then are the host's (EAFNOSUPPORT on a backend without a network);
     * every other family is
     * EAFNOSUPPORT, as on a kernel without its module.
     */
    private static SocketFile create(GuestThread t, int family, int type, int protocol, int statusFlags)
            throws ErrnoException {
        if (family < 0 || family >= AF_MAX) {
            throw new ErrnoException(Errno.EAFNOSUPPORT);
        }
        if (type < 0 || type >= SOCK_MAX) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        return switch (family) {
            case AF_UNIX -> UnixSocket.create(p.kernel().unixSockets(), type, protocol, statusFlags,
                    p.credentials().fsuid(), p.credentials().fsgid());
            case AF_INET, AF_INET6 -> {
                checkInet(family, type, protocol);
                if (type == SOCK_RAW && !p.credentials().capable(GuestProcess.CAP_NET_RAW)) {
                    // CAP_NET_RAW is the guest's to have first; the host may refuse it still.
                    throw new ErrnoException(Errno.EPERM);
                }
                yield HostInetSocket.open(p.kernel().host().network(), p.kernel().inetSockets(), family, type,
                        protocol, statusFlags, p.credentials().fsuid(), p.credentials().fsgid());
            }
            case AF_NETLINK -> NetlinkSocket.create(p.kernel().netlinkSockets(), type, protocol, statusFlags,
                    p.credentials().fsuid(), p.credentials().fsgid());
            default -> throw new ErrnoException(Errno.EAFNOSUPPORT);
        };
    }

    /**
     * inet_create's and inet6_create's checks of a type and protocol: the protocol's range (EINVAL),
     * a type with no protocols (ESOCKTNOSUPPORT), a protocol the type has not (EPROTONOSUPPORT; 0
     * picks the type's first, and raw sockets take any other). Whether a ping socket's group is in
     * ping_group_range (EACCES) and whether a raw socket may be made (CAP_NET_RAW, else EPERM) is
     * the host's to say.
     */
    private static void checkInet(int family, int type, int protocol) throws ErrnoException {
        if (protocol < 0 || protocol >= IPPROTO_MAX) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int ping = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
        int[] protocols = switch (type) {
            case SOCK_STREAM -> new int[] {IPPROTO_TCP, IPPROTO_MPTCP};
            case SOCK_DGRAM -> new int[] {IPPROTO_UDP, ping, IPPROTO_UDPLITE};
            case SOCK_RAW -> new int[] {0};
            default -> new int[0];
        };
        if (protocols.length == 0) {
            throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        }
        boolean found = false;
        for (int p : protocols) {
            // inetsw's match: the same protocol (not 0), 0 asked (the first entry), or a wildcard entry.
            if (p == protocol ? protocol != 0 : protocol == 0 || p == 0) {
                found = true;
                break;
            }
        }
        if (!found) {
            throw new ErrnoException(Errno.EPROTONOSUPPORT);
        }
    }

    /** Implements Linux syscall socket(2). */
    static long socket(GuestThread t, Args a) throws ErrnoException {
        int type = a.i32(1);
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~SOCK_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        SocketFile s = create(t, a.i32(0), type & SOCK_TYPE_MASK, a.i32(2), flags & SOCK_NONBLOCK);
        return FileSyscalls.installNew(t.process(), s, (flags & SOCK_CLOEXEC) != 0);
    }

    /**
     * Implements Linux syscall socketpair(2): the descriptors are taken and written out first (EMFILE,
     * EFAULT), then the sockets made and joined, as __sys_socketpair does.
     */
    static long socketpair(GuestThread t, Args a) throws ErrnoException {
        int type = a.i32(1);
        int flags = type & ~SOCK_TYPE_MASK;
        if ((flags & ~SOCK_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        FdTable fds = p.fds();
        boolean cloexec = (flags & SOCK_CLOEXEC) != 0;
        long limit = FileSyscalls.nofile(p);
        Reserved first = new Reserved(p);
        int fd1 = fds.install(first, 0, cloexec, limit);
        int fd2;
        try {
            fd2 = fds.install(new Reserved(p), 0, cloexec, limit);
        } catch (ErrnoException e) {
            fds.close(fd1);
            throw e;
        }
        try {
            GuestMemory mem = p.space().memory();
            mem.writeInt(a.addr(3), fd1);
            mem.writeInt(a.addr(3) + 4, fd2);
            int family = a.i32(0);
            int kind = type & SOCK_TYPE_MASK;
            if ((family == AF_INET || family == AF_INET6) && kind < SOCK_MAX) {
                // inet sockets are made, then refuse to pair (sock_no_socketpair).
                checkInet(family, kind, a.i32(2));
                throw new ErrnoException(Errno.EOPNOTSUPP);
            }
            SocketFile s1 = create(t, family, kind, a.i32(2), flags & SOCK_NONBLOCK);
            SocketFile s2;
            try {
                s2 = create(t, family, kind, a.i32(2), flags & SOCK_NONBLOCK);
            } catch (ErrnoException e) {
                s1.close();
                throw e;
            }
            s1.pair(t, s2);
            fds.installAt(fd1, s1, cloexec);
            fds.installAt(fd2, s2, cloexec);
            return 0;
        } catch (ErrnoException e) {
            fds.close(fd1);
            fds.close(fd2);
            throw e;
        }
    }

    /** A descriptor held while a call makes the file it will hold (Linux's get_unused_fd_flags). */
    private static final class Reserved extends OpenFile {
        private final GuestProcess owner;

        Reserved(GuestProcess owner) {
            super(OpenFlags.O_RDWR);
            this.owner = owner;
        }

        @Override
        public dev.jlx.core.host.HostStat stat() throws ErrnoException {
            throw new ErrnoException(Errno.EBADF);
        }

        @Override
        protected void release() {
        }
    }

    /** move_addr_to_kernel: a sockaddr of at most sockaddr_storage's size (EINVAL), EFAULT when unreadable. */
    private static byte[] address(GuestThread t, long addr, int len) throws ErrnoException {
        if (len < 0 || len > SOCKADDR_STORAGE_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return len == 0 ? new byte[0] : t.process().space().memory().read(addr, len);
    }

    /**
     * move_addr_to_user: as many bytes of {@code address} as the guest's length at {@code lenAddr}
     * allows (negative: EINVAL), then the full length written there.
     */
    private static void putAddress(GuestThread t, byte[] address, long addr, long lenAddr) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        int len = mem.readInt(lenAddr);
        if (len > address.length) {
            len = address.length;
        }
        if (len < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (len > 0) {
            mem.write(addr, address, 0, len);
        }
        mem.writeInt(lenAddr, address.length);
    }

    /** Implements Linux syscall bind(2). */
    static long bind(GuestThread t, Args a) throws ErrnoException {
        SocketFile s = socket(t, a.fd(0));
        s.bind(t, address(t, a.addr(1), a.i32(2)));
        return 0;
    }

    /** Implements Linux syscall connect(2): the address is read before the descriptor is known to be a socket. */
    static long connect(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        byte[] address = address(t, a.addr(1), a.i32(2));
        if (!(f instanceof SocketFile s)) {
            throw new ErrnoException(Errno.ENOTSOCK);
        }
        s.connect(t, address);
        return 0;
    }

    /** Implements Linux syscall listen(2): a backlog above somaxconn (unsigned, so a negative one too) is cut to it. */
    static long listen(GuestThread t, Args a) throws ErrnoException {
        SocketFile s = socket(t, a.fd(0));
        int backlog = a.i32(1);
        s.listen(t, Integer.compareUnsigned(backlog, SocketFile.SOMAXCONN) > 0 ? SocketFile.SOMAXCONN : backlog);
        return 0;
    }

    /** Implements Linux syscall accept(2). */
    static long accept(GuestThread t, Args a) throws ErrnoException {
        return accept(t, a.fd(0), a.addr(1), a.addr(2), 0);
    }

    /** Implements Linux syscall accept4(2). */
    static long accept4(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(3);
        if ((flags & ~SOCK_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return accept(t, a.fd(0), a.addr(1), a.addr(2), flags);
    }

    /**
     * do_accept: the connection becomes a descriptor (the lowest free; EMFILE leaves it queued), and
     * its peer's address is written out after, as Linux's (a fault then loses the connection).
     */
    private static long accept(GuestThread t, int fd, long addr, long lenAddr, int flags) throws ErrnoException {
        SocketFile s = socket(t, fd);
        GuestProcess p = t.process();
        boolean cloexec = (flags & SOCK_CLOEXEC) != 0;
        // No free descriptor is EMFILE before any wait, as do_accept takes one first; one taken
        // meanwhile by another thread leaves the connection queued.
        p.fds().close(p.fds().install(new Reserved(p), 0, cloexec, FileSyscalls.nofile(p)));
        SocketFile conn = s.accept(t, s.nonblocking(), flags & SOCK_NONBLOCK);
        int newFd;
        try {
            newFd = p.fds().install(conn, 0, cloexec, FileSyscalls.nofile(p));
        } catch (ErrnoException e) {
            if (s instanceof UnixSocket u) {
                u.unaccept(conn);
            } else {
                conn.close();
            }
            throw e;
        }
        if (addr != 0) {
            try {
                putAddress(t, conn.acceptedPeerAddress(), addr, lenAddr);
            } catch (ErrnoException e) {
                p.fds().close(newFd);
                throw e.errno() == Errno.ENOTCONN ? new ErrnoException(Errno.ECONNABORTED) : e;
            }
        }
        return newFd;
    }

    /** Implements Linux syscall getsockname(2). */
    static long getsockname(GuestThread t, Args a) throws ErrnoException {
        SocketFile s = socket(t, a.fd(0));
        putAddress(t, s.localAddress(), a.addr(1), a.addr(2));
        return 0;
    }

    /** Implements Linux syscall getpeername(2). */
    static long getpeername(GuestThread t, Args a) throws ErrnoException {
        SocketFile s = socket(t, a.fd(0));
        putAddress(t, s.peerAddress(), a.addr(1), a.addr(2));
        return 0;
    }

    /** Implements Linux syscall shutdown(2). */
    static long shutdown(GuestThread t, Args a) throws ErrnoException {
        socket(t, a.fd(0)).shutdown(a.i32(1));
        return 0;
    }

    /** Implements Linux syscall setsockopt(2): a negative optlen is EINVAL once the socket is found. */
    static long setsockopt(GuestThread t, Args a) throws ErrnoException {
        SocketFile s = socket(t, a.fd(0));
        int optlen = a.i32(4);
        if (optlen < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long optval = a.addr(3);
        GuestMemory mem = t.process().space().memory();
        s.setOption(t, a.i32(1), a.i32(2), new SocketFile.OptionValue() {
            @Override
            public int length() {
                return optlen;
            }

            @Override
            public byte[] read(int n) throws ErrnoException {
                return mem.read(optval, Math.min(n, optlen));
            }
        });
        return 0;
    }

    /**
     * Implements Linux syscall getsockopt(2): optlen is read (EFAULT, EINVAL when negative) for
     * SOL_SOCKET before the option is looked at; the value and its length are written back.
     */
    static long getsockopt(GuestThread t, Args a) throws ErrnoException {
        SocketFile s = socket(t, a.fd(0));
        int level = a.i32(1);
        GuestMemory mem = t.process().space().memory();
        long lenAddr = a.addr(4);
        int len;
        if (level == SOL_SOCKET) {
            len = mem.readInt(lenAddr);
            if (len < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        } else {
            // A family without options of its own (AF_UNIX) says so before optlen is read.
            if (!s.hasProtocolOptions()) {
                throw new ErrnoException(Errno.EOPNOTSUPP);
            }
            len = mem.readInt(lenAddr);
        }
        if (level == SOL_SOCKET && a.i32(2) == SO_PEERPIDFD) {
            peerPidfd(t, s, a.addr(3), lenAddr, len);
            return 0;
        }
        byte[] value = s.option(level, a.i32(2), len);
        int reported = s.optionLength(level, a.i32(2), value.length);
        if (value.length > 0) {
            try {
                mem.write(a.addr(3), value);
            } catch (ErrnoException fault) {
                // netlink_getsockopt writes NETLINK_LIST_MEMBERSHIPS's optlen even when the bitmap faulted.
                if (level == Netlink.SOL_NETLINK && a.i32(2) == Netlink.NETLINK_LIST_MEMBERSHIPS) {
                    mem.writeInt(lenAddr, reported);
                }
                throw fault;
            }
        }
        mem.writeInt(lenAddr, reported);
        return 0;
    }

    /**
     * SO_PEERPIDFD: a new pidfd (close-on-exec) of the peer's process, ENODATA for none; at most an
     * int is written, and the descriptor is taken back when it cannot be.
     */
    private static void peerPidfd(GuestThread t, SocketFile s, long valueAddr, long lenAddr, int len)
            throws ErrnoException {
        len = Math.min(len, 4);
        GuestProcess peer = s.peerProcess();
        if (peer == null) {
            throw new ErrnoException(Errno.ENODATA);
        }
        GuestMemory mem = t.process().space().memory();
        int fd = PidFdSyscalls.install(t.process(), peer, 0);
        try {
            byte[] b = GuestMemory.structBuffer(4).putInt(0, fd).array();
            mem.write(valueAddr, java.util.Arrays.copyOf(b, len));
            mem.writeInt(lenAddr, len);
        } catch (ErrnoException fault) {
            t.process().fds().close(fd);
            throw fault;
        }
    }

    // ---- sending and receiving ----

    /** MSG_DONTWAIT added for a socket opened O_NONBLOCK, as the send and receive calls do. */
    private static int withFileFlags(SocketFile s, int flags) {
        return s.nonblocking() ? flags | MSG_DONTWAIT : flags;
    }

    /** The guest memory of an iovec's [base, length) pairs as pieces, up to the first that cannot be reached. */
    private record Pieces(List<MemorySegment> pieces, boolean faulted) {}

    private static Pieces pieces(GuestMemory mem, long[] iov, boolean intoGuest) {
        List<MemorySegment> out = new ArrayList<>();
        for (int i = 0; i < iov.length; i += 2) {
            long done = 0;
            while (done < iov[i + 1]) {
                MemorySegment s;
                try {
                    s = mem.slice(iov[i] + done, iov[i + 1] - done, intoGuest);
                } catch (ErrnoException fault) {
                    return new Pieces(out, true);
                }
                out.add(s);
                done += s.byteSize();
            }
        }
        return new Pieces(out, false);
    }

    /** One buffer's pieces: import_ubuf checks the range (EFAULT), the length capped at MAX_RW_COUNT. */
    private static Pieces buffer(GuestThread t, long addr, long len, boolean intoGuest) throws ErrnoException {
        long n = ReadWriteSyscalls.capped(len);
        GuestMemory.accessOk(addr, n);
        return pieces(t.process().space().memory(), new long[] {addr, n}, intoGuest);
    }

    /** Implements Linux syscall sendto(2): the buffer's range is checked before the descriptor. */
    static long sendto(GuestThread t, Args a) throws ErrnoException {
        Pieces data = buffer(t, a.addr(1), a.u64(2), false);
        SocketFile s = socket(t, a.fd(0));
        byte[] to = null;
        if (a.addr(4) != 0) {
            to = address(t, a.addr(4), a.i32(5));
            if (to.length == 0) {
                to = null;
            }
        }
        return s.send(t, new Outgoing(data.pieces(), to, null, null, withFileFlags(s, a.i32(3)), data.faulted()));
    }

    /** Implements Linux syscall recvfrom(2): the source address is written only when asked for and the call succeeds. */
    static long recvfrom(GuestThread t, Args a) throws ErrnoException {
        Pieces into = buffer(t, a.addr(1), a.u64(2), true);
        SocketFile s = socket(t, a.fd(0));
        long from = a.addr(4);
        Incoming in = new Incoming(into.pieces(), withFileFlags(s, a.i32(3)), from != 0, into.faulted());
        long n = s.receive(t, in);
        closeAll(in.rights);
        if (from != 0) {
            putAddress(t, in.address != null ? in.address : new byte[0], from, a.addr(5));
        }
        return n;
    }

    /** read(2) and readv(2) of a socket: a receive without flags; nothing to read returns 0 at once. */
    static long read(GuestThread t, SocketFile s, long[] iov) throws ErrnoException {
        Pieces into = pieces(t.process().space().memory(), iov, true);
        if (into.pieces().isEmpty() && !into.faulted()) {
            return 0;
        }
        Incoming in = new Incoming(into.pieces(), withFileFlags(s, 0), false, into.faulted());
        long n = s.receive(t, in);
        closeAll(in.rights);
        return n;
    }

    /** write(2) and writev(2) of a socket: a send without flags (a seqpacket's with MSG_EOR). */
    static long write(GuestThread t, SocketFile s, long[] iov) throws ErrnoException {
        Pieces data = pieces(t.process().space().memory(), iov, false);
        int flags = s.type() == SOCK_SEQPACKET ? MSG_EOR : 0;
        return s.send(t, new Outgoing(data.pieces(), null, null, null, withFileFlags(s, flags), data.faulted()));
    }

    private static void closeAll(List<OpenFile> files) {
        if (files == null) {
            return;
        }
        for (OpenFile f : files) {
            try {
                f.close();
            } catch (ErrnoException ignored) {
                // Files nobody received: their close has no caller to tell.
            }
        }
    }

    /** Implements Linux syscall sendmsg(2). */
    static long sendmsg(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        SocketFile s = socket(t, a.fd(0));
        return sendOne(t, s, a.addr(1), flags);
    }

    /**
     * ___sys_sendmsg: the msghdr (EFAULT), its iovec count (EMSGSIZE) and name (EINVAL), the iovecs
     * (EINVAL, EFAULT), the control data (ENOBUFS past optmem_max, EFAULT), then its messages.
     */
    private static long sendOne(GuestThread t, SocketFile s, long msgAddr, int flags) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Msghdr h = Msghdr.readFrom(mem.readStruct(msgAddr, Msghdr.SIZE), 0);
        int namelen = h.name() == 0 ? 0 : h.namelen();
        if (namelen < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(h.iovlen(), ReadWriteSyscalls.IOV_MAX) > 0) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        byte[] to = namelen == 0 ? null : address(t, h.name(), Math.min(namelen, SOCKADDR_STORAGE_SIZE));
        long[] iov = ReadWriteSyscalls.iovecs(mem, h.iov(), h.iovlen());
        byte[] control = null;
        if (h.controllen() != 0) {
            if (Long.compareUnsigned(h.controllen(), Integer.MAX_VALUE) > 0 || h.controllen() > SocketFile.OPTMEM_MAX) {
                throw new ErrnoException(Errno.ENOBUFS);
            }
            control = mem.read(h.control(), (int) h.controllen());
        }
        Control c = control(t, s, control);
        Pieces data = pieces(mem, iov, false);
        return s.send(t, new Outgoing(data.pieces(), to, c.rights(), c.credentials(), withFileFlags(s, flags),
                data.faulted()));
    }

    /** What a sendmsg's control messages ask: files to pass, credentials to claim. */
    private record Control(List<OpenFile> rights, Ucred credentials) {}

    /**
     * __scm_send: each control message's length must fit (EINVAL); those of other levels are skipped;
     * SCM_RIGHTS (AF_UNIX only) names open descriptors (EBADF), at most SCM_MAX_FD in all (EINVAL);
     * SCM_CREDENTIALS must be exactly a ucred, the caller's own (EPERM, unless privileged), of a live
     * process (ESRCH) and valid ids; any other SOL_SOCKET type is EINVAL.
     */
    private static Control control(GuestThread t, SocketFile s, byte[] control) throws ErrnoException {
        if (control == null || control.length < Cmsghdr.SIZE) {
            return new Control(null, null);
        }
        ByteBuffer b = ByteBuffer.wrap(control).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<OpenFile> rights = null;
        Ucred credentials = null;
        GuestProcess p = t.process();
        for (int at = 0; at + Cmsghdr.SIZE <= control.length;) {
            Cmsghdr c = Cmsghdr.readFrom(b, at);
            if (Long.compareUnsigned(c.len(), Cmsghdr.SIZE) < 0 || Long.compareUnsigned(c.len(), control.length - at) > 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (c.level() == SOL_SOCKET) {
                int data = (int) c.len() - Cmsghdr.SIZE;
                switch (c.type()) {
                    case SCM_RIGHTS -> {
                        if (s.family() != AF_UNIX) {
                            throw new ErrnoException(Errno.EINVAL);
                        }
                        int n = data / 4;
                        if (n > SCM_MAX_FD) {
                            throw new ErrnoException(Errno.EINVAL);
                        }
                        if (n > 0) {
                            if (rights == null) {
                                rights = new ArrayList<>();
                            }
                            if (rights.size() + n > SCM_MAX_FD) {
                                throw new ErrnoException(Errno.EINVAL);
                            }
                            for (int i = 0; i < n; i++) {
                                rights.add(p.fds().get(b.getInt(at + Cmsghdr.SIZE + 4 * i)));
                            }
                        }
                    }
                    case SCM_CREDENTIALS -> {
                        if (c.len() != Cmsghdr.len(Ucred.SIZE)) {
                            throw new ErrnoException(Errno.EINVAL);
                        }
                        credentials = checkedCredentials(p, Ucred.readFrom(b, at + Cmsghdr.SIZE));
                    }
                    default -> throw new ErrnoException(Errno.EINVAL);
                }
            }
            at += (int) Cmsghdr.align(c.len());
        }
        return new Control(rights, credentials);
    }

    /** scm_check_creds and the pid's lookup. */
    private static Ucred checkedCredentials(GuestProcess p, Ucred c) throws ErrnoException {
        if (c.uid() == -1 || c.gid() == -1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess.Credentials own = p.credentials();
        boolean pidOk = c.pid() == p.pid() || own.capable(GuestProcess.CAP_SYS_ADMIN);
        boolean uidOk = c.uid() == own.uid() || c.uid() == own.euid() || c.uid() == own.suid()
                || own.capable(GuestProcess.CAP_SETUID);
        boolean gidOk = c.gid() == own.gid() || c.gid() == own.egid() || c.gid() == own.sgid()
                || own.capable(GuestProcess.CAP_SETGID);
        if (!pidOk || !uidOk || !gidOk) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (c.pid() != p.pid() && p.kernel().process(c.pid()) == null) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return c;
    }

    /** Implements Linux syscall recvmsg(2). */
    static long recvmsg(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        SocketFile s = socket(t, a.fd(0));
        return receiveOne(t, s, a.addr(1), flags);
    }

    /**
     * ___sys_recvmsg: the msghdr and iovecs as for sendmsg, then one receive; the source address,
     * msg_flags (with MSG_CMSG_CLOEXEC echoed) and the control data used are written back.
     */
    private static long receiveOne(GuestThread t, SocketFile s, long msgAddr, int flags) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Msghdr h = Msghdr.readFrom(mem.readStruct(msgAddr, Msghdr.SIZE), 0);
        if (h.name() != 0 && h.namelen() < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(h.iovlen(), ReadWriteSyscalls.IOV_MAX) > 0) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        long[] iov = ReadWriteSyscalls.iovecs(mem, h.iov(), h.iovlen());
        Pieces into = pieces(mem, iov, true);
        Incoming in = new Incoming(into.pieces(), withFileFlags(s, flags), h.name() != 0, into.faulted());
        in.control = controlArea(mem, h.control(), h.controllen());
        long n;
        try {
            n = s.receive(t, in);
        } catch (ErrnoException e) {
            closeAll(in.rights);
            throw e;
        }
        int msgFlags = in.resultFlags | (flags & MSG_CMSG_CLOEXEC);
        long used;
        try {
            if (h.name() != 0) {
                putAddress(t, in.address != null ? in.address : new byte[0], h.name(), msgAddr + Msghdr.MSG_NAMELEN);
            }
            ControlOut out = new ControlOut(mem, h.control(), h.controllen());
            if (h.control() == 0) {
                if (in.credentials != null || in.rights != null || !in.messages.isEmpty() || in.passPidfd) {
                    out.truncated = true;
                }
                closeAll(in.rights);
            } else {
                for (Incoming.Control c : in.messages) {
                    out.put(c.level(), c.type(), c.data());
                }
                if (in.credentials != null) {
                    ByteBuffer c = GuestMemory.structBuffer(Ucred.SIZE);
                    in.credentials.writeTo(c, 0);
                    out.put(SOL_SOCKET, SCM_CREDENTIALS, c.array());
                }
                if (in.rights != null) {
                    out.rights(t, in.rights, (flags & MSG_CMSG_CLOEXEC) != 0);
                }
                if (in.passPidfd) {
                    out.pidfd(t, in.sender);
                }
            }
            if (out.truncated) {
                msgFlags |= MSG_CTRUNC;
            }
            used = in.controlLength > 0 ? in.controlLength : out.used();
        } finally {
            in.rights = null;
        }
        mem.writeInt(msgAddr + Msghdr.MSG_FLAGS, msgFlags);
        mem.writeLong(msgAddr + Msghdr.MSG_CONTROLLEN, used);
        return n;
    }

    /**
     * The guest's control buffer as memory a host may write its control messages into: as much of
     * it as lies in one writable mapping (the rest cannot be reached: put_cmsg cuts them there),
     * null for none.
     */
    private static MemorySegment controlArea(GuestMemory mem, long control, long length) {
        if (control == 0 || length == 0) {
            return null;
        }
        try {
            // msg_controllen is a size_t: one past Long.MAX_VALUE reaches as far as any mapping.
            return mem.slice(control, length < 0 ? Long.MAX_VALUE : length, true);
        } catch (ErrnoException fault) {
            return null;
        }
    }

    /** The control buffer of a recvmsg, filled as put_cmsg and scm_detach_fds fill it. */
    private static final class ControlOut {
        private final GuestMemory mem;
        private long at;
        private long left;
        private final long start;
        boolean truncated;

        ControlOut(GuestMemory mem, long control, long length) {
            this.mem = mem;
            this.at = control;
            this.start = control;
            this.left = length;
        }

        long used() {
            return at - start;
        }

        /** put_cmsg: the header and as much of the data as fits (MSG_CTRUNC when not all). */
        void put(int level, int type, byte[] data) throws ErrnoException {
            if (at == 0 || left < Cmsghdr.SIZE) {
                truncated = true;
                return;
            }
            long len = Cmsghdr.len(data.length);
            if (left < len) {
                truncated = true;
                len = left;
            }
            ByteBuffer h = GuestMemory.structBuffer(Cmsghdr.SIZE);
            new Cmsghdr(len, level, type).writeTo(h, 0);
            mem.writeStruct(at, h);
            mem.write(at + Cmsghdr.SIZE, data, 0, (int) (len - Cmsghdr.SIZE));
            advance(Cmsghdr.space(data.length));
        }

        private void advance(long space) {
            long step = Math.min(space, left);
            at += step;
            left -= step;
        }

        /**
         * scm_pidfd_recv: without room for the whole message, MSG_CTRUNC; with a sender, a new
         * pidfd of its process (close-on-exec, whatever MSG_CMSG_CLOEXEC says), or the negative
         * errno that making one gave.
         */
        void pidfd(GuestThread t, GuestProcess sender) throws ErrnoException {
            if (at == 0 || left < Cmsghdr.len(4)) {
                truncated = true;
                return;
            }
            if (sender == null) {
                return;
            }
            int fd;
            try {
                fd = PidFdSyscalls.install(t.process(), sender, 0);
            } catch (ErrnoException e) {
                fd = -e.errno().number();
            }
            try {
                put(SOL_SOCKET, SCM_PIDFD, GuestMemory.structBuffer(4).putInt(0, fd).array());
            } catch (ErrnoException fault) {
                if (fd >= 0) {
                    t.process().fds().close(fd);
                }
                throw fault;
            }
        }

        /**
         * scm_detach_fds: as many files as fit become descriptors (like dup: the lowest free), the
         * rest are closed and MSG_CTRUNC set; the files' references pass to the descriptors.
         */
        void rights(GuestThread t, List<OpenFile> files, boolean cloexec) throws ErrnoException {
            GuestProcess p = t.process();
            int max = left <= Cmsghdr.SIZE ? 0 : (int) Math.min(Integer.MAX_VALUE, (left - Cmsghdr.SIZE) / 4);
            int fit = Math.min(max, files.size());
            int i = 0;
            try {
                for (; i < fit; i++) {
                    int fd = p.fds().install(files.get(i), 0, cloexec, FileSyscalls.nofile(p));
                    try {
                        mem.writeInt(at + Cmsghdr.SIZE + 4L * i, fd);
                    } catch (ErrnoException e) {
                        // receive_fd gives the number back when it cannot write it: the file goes with the rest.
                        files.get(i).retain();
                        p.fds().close(fd);
                        throw e;
                    }
                }
            } catch (ErrnoException stop) {
                // EMFILE or a fault ends the list where it is, as scm_detach_fds stops.
            }
            if (i > 0) {
                long len = Cmsghdr.len(4L * i);
                ByteBuffer h = GuestMemory.structBuffer(Cmsghdr.SIZE);
                new Cmsghdr(len, SOL_SOCKET, SCM_RIGHTS).writeTo(h, 0);
                mem.writeStruct(at, h);
                advance(Cmsghdr.space(4L * i));
            }
            if (i < files.size()) {
                truncated = true;
            }
            closeAll(files.subList(i, files.size()));
        }
    }

    /**
     * Implements Linux syscall sendmmsg(2): at most UIO_MAXIOV messages, each sent as sendmsg; the
     * count sent, or the first one's error; msg_len gets each one's bytes.
     */
    static long sendmmsg(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(3);
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        SocketFile s = socket(t, a.fd(0));
        long vlen = Math.min(Integer.toUnsignedLong(a.i32(2)), ReadWriteSyscalls.IOV_MAX);
        GuestMemory mem = t.process().space().memory();
        int sent = 0;
        for (; sent < vlen; sent++) {
            long entry = a.addr(1) + (long) sent * Mmsghdr.SIZE;
            long n;
            try {
                n = sendOne(t, s, entry + Mmsghdr.MSG_HDR, sent + 1 < vlen ? flags | MSG_BATCH : flags);
                mem.writeInt(entry + Mmsghdr.MSG_LEN, (int) n);
            } catch (ErrnoException e) {
                if (sent == 0) {
                    throw e;
                }
                break;
            }
        }
        return sent;
    }

    /** MSG_WAITFORONE: after the first message, recvmmsg waits no more. */
    private static final int MSG_WAITFORONE = 0x10000;

    /**
     * Implements Linux syscall recvmmsg(2): up to {@code vlen} messages, each received as recvmsg;
     * the timeout is only looked at between messages (as Linux's). An error after some messages is
     * kept as the socket's pending error (but EAGAIN), for the next call to report.
     */
    static long recvmmsg(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(3);
        if ((flags & MSG_CMSG_COMPAT) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long timeoutAddr = a.addr(4);
        long start = System.nanoTime();
        long timeout = timeoutAddr == 0 ? 0 : TimeSyscalls.readTimespec(t, timeoutAddr);
        SocketFile s = socket(t, a.fd(0));
        int pending = s.takeError();
        if (pending != 0) {
            throw new ErrnoException(Errno.of(pending));
        }
        GuestMemory mem = t.process().space().memory();
        long vlen = Integer.toUnsignedLong(a.i32(2));
        int received = 0;
        ErrnoException failure = null;
        while (received < vlen) {
            long entry = a.addr(1) + (long) received * Mmsghdr.SIZE;
            try {
                long n = receiveOne(t, s, entry + Mmsghdr.MSG_HDR, flags & ~MSG_WAITFORONE);
                mem.writeInt(entry + Mmsghdr.MSG_LEN, (int) n);
            } catch (ErrnoException e) {
                failure = e;
                break;
            }
            received++;
            if ((flags & MSG_WAITFORONE) != 0) {
                flags |= MSG_DONTWAIT;
            }
            if (timeoutAddr != 0) {
                long left = timeout - (System.nanoTime() - start);
                TimeSyscalls.putTimespec(mem, timeoutAddr, Math.max(0, left));
                if (left <= 0) {
                    break;
                }
            }
        }
        if (received == 0 && failure != null) {
            throw failure;
        }
        if (failure != null && failure.errno() != Errno.EAGAIN) {
            s.keepError(failure.errno());
        }
        return received;
    }

    /**
     * ioctl(2) on a socket, after the calls every file takes: SIOCINQ (FIONREAD) and SIOCOUTQ, the
     * owner (FIOSETOWN, FIOGETOWN and their SIOC*PGRP aliases), the interface queries
     * ({@link InterfaceIoctls}); any other request is ENOTTY, logged unless it is a terminal call.
     */
    static long ioctl(GuestThread t, SocketFile s, int request, long arg) throws ErrnoException {
        if (InterfaceIoctls.handles(s.family(), request)) {
            return InterfaceIoctls.ioctl(t, request, arg);
        }
        GuestMemory mem = t.process().space().memory();
        switch (request) {
            case Ioctl.FIONREAD -> mem.writeInt(arg, s.inputQueued());
            case Ioctl.TIOCOUTQ -> mem.writeInt(arg, s.outputQueued());
            // sock_ioctl's own, for every family: the file's owner, as fcntl's F_SETOWN and F_GETOWN.
            case Ioctl.FIOSETOWN, Ioctl.SIOCSPGRP -> FileSyscalls.setOwner(t, s, mem.readInt(arg));
            case Ioctl.FIOGETOWN, Ioctl.SIOCGPGRP -> mem.writeInt(arg, FileSyscalls.owner(t, s));
            default -> {
                // A terminal call ('T') on a socket is ENOTTY as on any file that is no terminal, no gap.
                if ((request >> 8 & 0xff) == 'T') {
                    throw new ErrnoException(Errno.ENOTTY);
                }
                int mark = request == Ioctl.SIOCATMARK ? s.atMark() : -1;
                if (mark >= 0) {
                    mem.writeInt(arg, mark);
                    return 0;
                }
                // sock_do_ioctl: a socket request (type 0x89) the family does not take is a device's,
                // whose struct ifreq is read first; dev_ioctl knows none of the rest.
                if ((request >> 8 & 0xff) == 0x89) {
                    mem.readStruct(arg, Netlink.IFREQ_SIZE);
                    if (request == Ioctl.SIOCATMARK) {
                        throw new ErrnoException(Errno.ENOTTY);
                    }
                }
                t.process().kernel().warnOnce("socket-ioctl-" + request, "unimplemented socket ioctl 0x"
                        + Integer.toHexString(request) + ": ENOTTY");
                throw new ErrnoException(Errno.ENOTTY);
            }
        }
        return 0;
    }
}
