package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostSocket;
import dev.jlx.core.host.InetEndpoint;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@link HostNetwork} over the host's BSD sockets ({@link SocketCalls}). On Linux the numbers are
 * the guest's own and pass unchanged; on macOS each is translated where it differs (noted at each
 * table: AF_INET6 30, SOL_SOCKET 0xffff, the MSG_* and POLL* bits, the options, sockaddr's
 * {@code sin_len} byte, struct msghdr's int-sized counts). The {@code posix} profile on Linux makes
 * sockets non-blocking and close-on-exec in one call (SOCK_NONBLOCK, accept4) and tells of
 * readiness through an epoll thread ({@link EpollPoller}); the {@code portable} profile, as macOS,
 * uses fcntl, and leaves waiters to look with poll now and then; macOS tells of readiness through a
 * kqueue thread ({@link KqueuePoller}).
 */
final class PosixNetwork implements HostNetwork {
    private static final int LINUX_AF_INET = 2;
    private static final int LINUX_AF_INET6 = 10;
    /** macOS's AF_INET6 (sys/socket.h). */
    private static final int DARWIN_AF_INET6 = 30;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;
    // Linux's MSG_* and POLL* (the guest's).
    private static final int MSG_OOB = 0x1;
    private static final int MSG_PEEK = 0x2;
    private static final int MSG_DONTROUTE = 0x4;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_EOR = 0x80;
    private static final int MSG_WAITALL = 0x100;
    private static final int MSG_ERRQUEUE = 0x2000;
    private static final int LINUX_SOL_SOCKET = 1;
    private static final int LINUX_SO_TIMESTAMP_OLD = 29;
    private static final int LINUX_SO_TIMESTAMP_NEW = 63;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int POLL_ALL = 0x1 | 0x2 | 0x4 | 0x40 | 0x80 | 0x100 | 0x200 | 0x2000;
    // macOS's (sys/socket.h, sys/poll.h, sys/filio.h).
    private static final int DARWIN_O_NONBLOCK = 0x4;
    private static final int DARWIN_MSG_EOR = 0x8;
    private static final int DARWIN_MSG_TRUNC = 0x10;
    private static final int DARWIN_MSG_CTRUNC = 0x20;
    private static final int DARWIN_MSG_WAITALL = 0x40;
    private static final int DARWIN_MSG_DONTWAIT = 0x80;
    private static final int DARWIN_SOL_SOCKET = 0xffff;
    private static final int DARWIN_SO_NOSIGPIPE = 0x1022;
    private static final int DARWIN_SO_NREAD = 0x1020;
    private static final int DARWIN_SO_NWRITE = 0x1024;
    private static final int DARWIN_POLLRDBAND = 0x80;
    private static final int DARWIN_POLLWRBAND = 0x100;
    /** FIONREAD and SIOCOUTQ (TIOCOUTQ) of Linux. */
    private static final long LINUX_FIONREAD = 0x541B;
    private static final long LINUX_SIOCOUTQ = 0x5411;
    /** SIOCATMARK of Linux, and of macOS (_IOR('s', 7, int)). */
    private static final long LINUX_SIOCATMARK = 0x8905;
    private static final long DARWIN_SIOCATMARK = 0x40047307L;
    private static final int LINUX_O_NONBLOCK = 0x800;
    /** AF_UNIX (1 on both hosts) and sizeof(sun_path): Linux's 108, macOS's 104 (after sun_len and a u8 family). */
    private static final int AF_UNIX = 1;
    private static final int LINUX_SUN_PATH = 108;
    private static final int DARWIN_SUN_PATH = 104;
    /** SO_PEERCRED (Linux, struct ucred); macOS's LOCAL_PEERCRED at SOL_LOCAL 0 (sys/un.h), a struct xucred. */
    private static final int LINUX_SO_PEERCRED = 17;
    private static final int DARWIN_SOL_LOCAL = 0;
    private static final int DARWIN_LOCAL_PEERCRED = 1;
    /** struct xucred (sys/ucred.h): u_int cr_version, uid_t cr_uid at 4, short cr_ngroups, gid_t cr_groups[16] at 12. */
    private static final int XUCRED_UID = 4;
    private static final int XUCRED_GROUPS = 12;
    private static final int XUCRED_SIZE = 76;

    private final boolean linux;
    /** Whether the Linux-only calls may be used: SOCK_NONBLOCK|SOCK_CLOEXEC, accept4, epoll. */
    private final boolean linuxOnly;
    private final HostConstants constants;
    private final Map<Long, HostOption> options;

    PosixNetwork(HostConstants constants, boolean linuxOnly) {
        this.constants = constants;
        this.linux = constants.isLinux();
        this.linuxOnly = linuxOnly && linux;
        this.options = linux ? LINUX_OPTIONS : DARWIN_OPTIONS;
    }

    /** A Linux option as the host names it; {@code oneByte}: its value is a u_char there (an int in Linux). */
    private record HostOption(int level, int name, boolean oneByte) {}

    private static long key(int level, int name) {
        return (long) level << 32 | (name & 0xffffffffL);
    }

    /** The options passed to the host: the same pairs on Linux. */
    private static final Map<Long, HostOption> LINUX_OPTIONS = linuxOptions();

    private static Map<Long, HostOption> linuxOptions() {
        Map<Long, HostOption> m = new HashMap<>();
        int[][] pairs = {
            // SOL_SOCKET: REUSEADDR, ERROR, DONTROUTE, BROADCAST, SNDBUF, RCVBUF, KEEPALIVE, OOBINLINE,
            // PRIORITY, LINGER, REUSEPORT, RCVLOWAT, MEMINFO (read by core for /proc/net/udp), TIMESTAMP_OLD,
            // TIMESTAMPNS_OLD, TIMESTAMP_NEW, TIMESTAMPNS_NEW, PEEK_OFF.
            {1, 2}, {1, 4}, {1, 5}, {1, 6}, {1, 7}, {1, 8}, {1, 9}, {1, 10}, {1, 12}, {1, 13}, {1, 15}, {1, 18},
            {1, 55}, {1, 29}, {1, 35}, {1, 63}, {1, 64}, {1, 42},
            // SOL_IP: TOS, TTL, HDRINCL, OPTIONS, MTU_DISCOVER, RECVERR, MTU, FREEBIND, BIND_ADDRESS_NO_PORT,
            // MULTICAST_IF, MULTICAST_TTL, MULTICAST_LOOP, ADD_MEMBERSHIP, DROP_MEMBERSHIP, MULTICAST_ALL, PKTINFO,
            // RECVTTL, RECVTOS, RECVOPTS, RETOPTS, RECVORIGDSTADDR.
            {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 10}, {0, 11}, {0, 14}, {0, 15}, {0, 24}, {0, 32}, {0, 33}, {0, 34},
            {0, 35}, {0, 36}, {0, 49}, {0, 8}, {0, 12}, {0, 13}, {0, 6}, {0, 7}, {0, 20},
            // SOL_TCP: NODELAY ... NOTSENT_LOWAT.
            {6, 1}, {6, 2}, {6, 3}, {6, 4}, {6, 5}, {6, 6}, {6, 7}, {6, 8}, {6, 9}, {6, 10}, {6, 11}, {6, 12},
            {6, 13}, {6, 18}, {6, 23}, {6, 25},
            // SOL_UDP: UDP_CORK.
            {17, 1},
            // SOL_IPV6: UNICAST_HOPS, MULTICAST_IF/HOPS/LOOP, ADD/DROP_MEMBERSHIP, MTU_DISCOVER, MTU, RECVERR,
            // V6ONLY, MULTICAST_ALL, TCLASS, RECVPKTINFO, RECVHOPLIMIT, RECVTCLASS.
            {41, 16}, {41, 17}, {41, 18}, {41, 19}, {41, 20}, {41, 21}, {41, 23}, {41, 24}, {41, 25}, {41, 26},
            {41, 29}, {41, 67}, {41, 49}, {41, 51}, {41, 66},
        };
        for (int[] p : pairs) {
            m.put(key(p[0], p[1]), new HostOption(p[0], p[1], false));
        }
        return Map.copyOf(m);
    }

    /**
     * macOS's names for the Linux options it has (sys/socket.h, netinet/in.h, netinet/tcp.h,
     * netinet6/in6.h): SO_LINGER as SO_LINGER_SEC (seconds, as Linux's), TCP_KEEPIDLE as
     * TCP_KEEPALIVE, IP_MULTICAST_TTL and _LOOP as u_char options, the options that ask for control
     * messages as their macOS names (translated by {@link DarwinControl}; SO_TIMESTAMP_NEW as
     * SO_TIMESTAMP, the same timeval on 64-bit). What macOS lacks (SO_PRIORITY, IP_RECVERR, TCP_CORK,
     * TCP_INFO's Linux layout, SO_TIMESTAMPNS...) is not here.
     */
    private static final Map<Long, HostOption> DARWIN_OPTIONS = Map.ofEntries(
            darwin(1, 2, DARWIN_SOL_SOCKET, 0x4, false), // SO_REUSEADDR
            darwin(1, 4, DARWIN_SOL_SOCKET, 0x1007, false), // SO_ERROR
            darwin(1, 5, DARWIN_SOL_SOCKET, 0x10, false), // SO_DONTROUTE
            darwin(1, 6, DARWIN_SOL_SOCKET, 0x20, false), // SO_BROADCAST
            darwin(1, 7, DARWIN_SOL_SOCKET, 0x1001, false), // SO_SNDBUF
            darwin(1, 8, DARWIN_SOL_SOCKET, 0x1002, false), // SO_RCVBUF
            darwin(1, 9, DARWIN_SOL_SOCKET, 0x8, false), // SO_KEEPALIVE
            darwin(1, 10, DARWIN_SOL_SOCKET, 0x100, false), // SO_OOBINLINE
            darwin(1, 13, DARWIN_SOL_SOCKET, 0x1080, false), // SO_LINGER as SO_LINGER_SEC
            darwin(1, 15, DARWIN_SOL_SOCKET, 0x200, false), // SO_REUSEPORT
            darwin(1, 18, DARWIN_SOL_SOCKET, 0x1004, false), // SO_RCVLOWAT
            darwin(1, 29, DARWIN_SOL_SOCKET, 0x400, false), // SO_TIMESTAMP
            darwin(1, 63, DARWIN_SOL_SOCKET, 0x400, false), // SO_TIMESTAMP_NEW as SO_TIMESTAMP
            darwin(0, 8, 0, 26, false), // IP_PKTINFO as IP_RECVPKTINFO
            darwin(0, 12, 0, 24, false), // IP_RECVTTL
            darwin(0, 13, 0, 27, false), // IP_RECVTOS
            darwin(41, 49, 41, 61, false), // IPV6_RECVPKTINFO
            darwin(41, 51, 41, 37, false), // IPV6_RECVHOPLIMIT
            darwin(41, 66, 41, 35, false), // IPV6_RECVTCLASS
            darwin(0, 1, 0, 3, false), // IP_TOS
            darwin(0, 2, 0, 4, false), // IP_TTL
            darwin(0, 3, 0, 2, false), // IP_HDRINCL
            darwin(0, 4, 0, 1, false), // IP_OPTIONS
            darwin(0, 32, 0, 9, false), // IP_MULTICAST_IF
            darwin(0, 33, 0, 10, true), // IP_MULTICAST_TTL
            darwin(0, 34, 0, 11, true), // IP_MULTICAST_LOOP
            darwin(0, 35, 0, 12, false), // IP_ADD_MEMBERSHIP
            darwin(0, 36, 0, 13, false), // IP_DROP_MEMBERSHIP
            darwin(6, 1, 6, 1, false), // TCP_NODELAY
            darwin(6, 2, 6, 2, false), // TCP_MAXSEG
            darwin(6, 4, 6, 0x10, false), // TCP_KEEPIDLE as TCP_KEEPALIVE
            darwin(6, 5, 6, 0x101, false), // TCP_KEEPINTVL
            darwin(6, 6, 6, 0x102, false), // TCP_KEEPCNT
            darwin(6, 23, 6, 0x105, false), // TCP_FASTOPEN
            darwin(6, 25, 6, 0x201, false), // TCP_NOTSENT_LOWAT
            darwin(41, 16, 41, 4, false), // IPV6_UNICAST_HOPS
            darwin(41, 17, 41, 9, false), // IPV6_MULTICAST_IF
            darwin(41, 18, 41, 10, false), // IPV6_MULTICAST_HOPS
            darwin(41, 19, 41, 11, false), // IPV6_MULTICAST_LOOP
            darwin(41, 20, 41, 12, false), // IPV6_ADD_MEMBERSHIP as IPV6_JOIN_GROUP
            darwin(41, 21, 41, 13, false), // IPV6_DROP_MEMBERSHIP as IPV6_LEAVE_GROUP
            darwin(41, 26, 41, 27, false), // IPV6_V6ONLY
            darwin(41, 67, 41, 36, false)); // IPV6_TCLASS

    private static Map.Entry<Long, HostOption> darwin(int level, int name, int hostLevel, int hostName, boolean b) {
        return Map.entry(key(level, name), new HostOption(hostLevel, hostName, b));
    }

    private ErrnoException error(SocketCalls.Scratch s) {
        return new ErrnoException(constants.linuxErrno(s.errno()));
    }

    @Override
    public HostSocket open(int family, int type, int protocol) throws ErrnoException {
        SocketCalls.Scratch s = SocketCalls.scratch();
        int hostFamily = family == LINUX_AF_INET6 ? (linux ? LINUX_AF_INET6 : DARWIN_AF_INET6) : LINUX_AF_INET;
        int fd = SocketCalls.socket(s, hostFamily, linuxOnly ? type | SOCK_NONBLOCK | SOCK_CLOEXEC : type, protocol);
        if (fd < 0) {
            throw error(s);
        }
        if (!linuxOnly) {
            try {
                configure(s, fd);
            } catch (ErrnoException e) {
                SocketCalls.close(s, fd);
                throw e;
            }
        }
        return new PosixSocket(fd, family == LINUX_AF_INET6);
    }

    /**
     * A host AF_UNIX socket connected to {@code hostPath}: socket(2) and a non-blocking connect(2)
     * (a unix connect finishes at once, or is EAGAIN while the listener's backlog is full); the host
     * path's bytes in a sockaddr_un of Linux's layout or macOS's (sun_len first).
     */
    @Override
    public HostSocket connectUnix(ByteString hostPath, int type) throws ErrnoException {
        byte[] path = hostPath.toByteArray();
        if (path.length >= (linux ? LINUX_SUN_PATH : DARWIN_SUN_PATH)) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        SocketCalls.Scratch s = SocketCalls.scratch();
        int fd = SocketCalls.socket(s, AF_UNIX, linuxOnly ? type | SOCK_NONBLOCK | SOCK_CLOEXEC : type, 0);
        if (fd < 0) {
            throw error(s);
        }
        try {
            if (!linuxOnly) {
                configure(s, fd);
            }
            int len = 2 + path.length + 1;
            s.sockaddr.asSlice(0, len).fill((byte) 0);
            if (linux) {
                s.sockaddr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            } else {
                s.sockaddr.set(JAVA_BYTE, 0, (byte) len);
                s.sockaddr.set(JAVA_BYTE, 1, (byte) AF_UNIX);
            }
            MemorySegment.copy(path, 0, s.sockaddr, JAVA_BYTE, 2, path.length);
            if (SocketCalls.connect(s, fd, s.sockaddr, len) < 0) {
                throw error(s);
            }
        } catch (ErrnoException e) {
            SocketCalls.close(s, fd);
            throw e;
        }
        return new PosixSocket(fd, false, true);
    }

    /** What SOCK_NONBLOCK and SOCK_CLOEXEC do, by fcntl; on macOS SO_NOSIGPIPE, having no MSG_NOSIGNAL. */
    private void configure(SocketCalls.Scratch s, int fd) throws ErrnoException {
        int fl = SocketCalls.fcntl(s, fd, F_GETFL, 0);
        if (fl < 0 || SocketCalls.fcntl(s, fd, F_SETFL, fl | (linux ? LINUX_O_NONBLOCK : DARWIN_O_NONBLOCK)) < 0
                || SocketCalls.fcntl(s, fd, F_SETFD, FD_CLOEXEC) < 0) {
            throw error(s);
        }
        if (!linux) {
            s.value.set(JAVA_INT, 0, 1);
            if (SocketCalls.setsockopt(s, fd, DARWIN_SOL_SOCKET, DARWIN_SO_NOSIGPIPE, s.value, 4) < 0) {
                throw error(s);
            }
        }
    }

    // ---- sockaddrs: Linux's sa_family is a native u16; macOS has sa_len and a u8 family ----

    private static final java.lang.foreign.ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt BE_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    /** Writes {@code e} as the host's sockaddr into {@code sa}: its length. */
    private int encode(InetEndpoint e, MemorySegment sa) {
        int len = e.ipv6() ? 28 : 16;
        sa.asSlice(0, len).fill((byte) 0);
        int family = e.ipv6() ? (linux ? LINUX_AF_INET6 : DARWIN_AF_INET6) : LINUX_AF_INET;
        if (linux) {
            sa.set(JAVA_SHORT, 0, (short) family);
        } else {
            sa.set(JAVA_BYTE, 0, (byte) len);
            sa.set(JAVA_BYTE, 1, (byte) family);
        }
        sa.set(PORT, 2, (short) e.port());
        byte[] ip = e.address();
        if (e.ipv6()) {
            sa.set(BE_INT, 4, e.flowInfo());
            MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 8, 16);
            sa.set(JAVA_INT, 24, e.scopeId());
        } else {
            MemorySegment.copy(ip, 0, sa, JAVA_BYTE, 4, 4);
        }
        return len;
    }

    /** The host's sockaddr of {@code len} bytes as an endpoint; null when it is none (AF_UNSPEC, empty). */
    private InetEndpoint decode(MemorySegment sa, int len) {
        if (len < 2) {
            return null;
        }
        int family = linux ? sa.get(JAVA_SHORT, 0) & 0xffff : sa.get(JAVA_BYTE, 1) & 0xff;
        int port = sa.get(PORT, 2) & 0xffff;
        if (family == LINUX_AF_INET && len >= 8) {
            byte[] ip = new byte[4];
            MemorySegment.copy(sa, JAVA_BYTE, 4, ip, 0, 4);
            return new InetEndpoint(ip, port, 0, 0);
        }
        if (family == (linux ? LINUX_AF_INET6 : DARWIN_AF_INET6) && len >= 24) {
            byte[] ip = new byte[16];
            MemorySegment.copy(sa, JAVA_BYTE, 8, ip, 0, 16);
            return new InetEndpoint(ip, port, sa.get(BE_INT, 4), len >= 28 ? sa.get(JAVA_INT, 24) : 0);
        }
        return null;
    }

    // ---- flags ----

    private int hostSendFlags(int flags) {
        if (linux) {
            return flags | MSG_DONTWAIT | MSG_NOSIGNAL;
        }
        // macOS has no MSG_MORE or MSG_CONFIRM (hints only); SO_NOSIGPIPE stands for MSG_NOSIGNAL.
        return (flags & (MSG_OOB | MSG_DONTROUTE)) | ((flags & MSG_EOR) != 0 ? DARWIN_MSG_EOR : 0) | DARWIN_MSG_DONTWAIT;
    }

    private int hostReceiveFlags(int flags) {
        if (linux) {
            return flags | MSG_DONTWAIT;
        }
        // macOS's recv takes no MSG_TRUNC (the length returned is what was copied) nor MSG_ERRQUEUE.
        return (flags & (MSG_OOB | MSG_PEEK)) | ((flags & MSG_WAITALL) != 0 ? DARWIN_MSG_WAITALL : 0)
                | DARWIN_MSG_DONTWAIT;
    }

    private int linuxResultFlags(int hostFlags) {
        if (linux) {
            return hostFlags;
        }
        return (hostFlags & MSG_OOB) | ((hostFlags & DARWIN_MSG_EOR) != 0 ? MSG_EOR : 0)
                | ((hostFlags & DARWIN_MSG_TRUNC) != 0 ? MSG_TRUNC : 0)
                | ((hostFlags & DARWIN_MSG_CTRUNC) != 0 ? MSG_CTRUNC : 0);
    }

    /** Linux POLL* events as the host's: macOS's POLLWRNORM is POLLOUT, its RDBAND/WRBAND differ, it has no POLLRDHUP. */
    private int hostPollBits(int events) {
        if (linux) {
            return events;
        }
        int r = events & (0x1 | 0x2 | 0x4 | 0x40);
        if ((events & 0x100) != 0) {
            r |= 0x4;
        }
        if ((events & 0x80) != 0) {
            r |= DARWIN_POLLRDBAND;
        }
        if ((events & 0x200) != 0) {
            r |= DARWIN_POLLWRBAND;
        }
        return r;
    }

    /** poll's revents in Linux's bits: macOS's POLLWRNORM is POLLOUT, its RDBAND/WRBAND differ, it has no POLLRDHUP. */
    private int linuxPollBits(int revents) {
        if (linux) {
            return revents;
        }
        int r = revents & (0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40);
        if ((revents & 0x4) != 0) {
            r |= 0x100;
        }
        if ((revents & DARWIN_POLLRDBAND) != 0) {
            r |= 0x80;
        }
        if ((revents & DARWIN_POLLWRBAND) != 0) {
            r |= 0x200;
        }
        return r;
    }

    /** The host's poller for this backend, or null for none (the portable profile on Linux). */
    private HostPoller poller() {
        return linuxOnly ? EpollPoller.get() : linux ? null : KqueuePoller.get();
    }

    /** One host socket. */
    private final class PosixSocket implements HostSocket {
        private final int fd;
        private final boolean ipv6;
        /** An AF_UNIX socket ({@link #connectUnix}): SO_PEERCRED is its one option. */
        private final boolean unix;
        private volatile long registration = -1;
        private volatile boolean closed;
        /** macOS: the guest's timestamps are SO_TIMESTAMP_NEW's (their control message type differs from SO_TIMESTAMP's). */
        private volatile boolean timestampNew;

        PosixSocket(int fd, boolean ipv6) {
            this(fd, ipv6, false);
        }

        PosixSocket(int fd, boolean ipv6, boolean unix) {
            this.fd = fd;
            this.ipv6 = ipv6;
            this.unix = unix;
        }

        /** An endpoint for this socket: macOS takes only IPv6 addresses on an IPv6 socket (IPv4 ones as mapped). */
        private InetEndpoint forSocket(InetEndpoint e) {
            if (linux || !ipv6 || e.ipv6()) {
                return e;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(e.address(), 0, mapped, 12, 4);
            return new InetEndpoint(mapped, e.port(), 0, 0);
        }

        @Override
        public void bind(InetEndpoint local) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            int len = encode(forSocket(local), s.sockaddr);
            if (SocketCalls.bind(s, fd, s.sockaddr, len) < 0) {
                throw error(s);
            }
        }

        @Override
        public void listen(int backlog) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            if (SocketCalls.listen(s, fd, backlog) < 0) {
                throw error(s);
            }
        }

        @Override
        public Accepted accept() throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            s.length.set(JAVA_INT, 0, (int) s.sockaddr.byteSize());
            int c = linuxOnly ? SocketCalls.accept4(s, fd, s.sockaddr, s.length, SOCK_NONBLOCK | SOCK_CLOEXEC)
                    : SocketCalls.accept(s, fd, s.sockaddr, s.length);
            if (c < 0) {
                throw error(s);
            }
            InetEndpoint peer = decode(s.sockaddr, s.length.get(JAVA_INT, 0));
            if (!linuxOnly) {
                try {
                    configure(s, c);
                } catch (ErrnoException e) {
                    SocketCalls.close(s, c);
                    throw e;
                }
            }
            return new Accepted(new PosixSocket(c, ipv6), peer);
        }

        @Override
        public void connect(InetEndpoint remote) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            int len = encode(forSocket(remote), s.sockaddr);
            if (SocketCalls.connect(s, fd, s.sockaddr, len) < 0) {
                throw error(s);
            }
        }

        @Override
        public void disconnect() throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            // A sockaddr of family AF_UNSPEC (0 on both hosts; macOS's sa_len says its size).
            s.sockaddr.asSlice(0, 16).fill((byte) 0);
            if (!linux) {
                s.sockaddr.set(JAVA_BYTE, 0, (byte) 16);
            }
            if (SocketCalls.connect(s, fd, s.sockaddr, 16) < 0) {
                throw error(s);
            }
        }

        /**
         * Fills the scratch msghdr with {@code pieces} as iovecs (at most IOV_MAX of them) and the name
         * (length {@code namelen}, 0 for none): glibc's x86-64 and aarch64 layout (size_t counts), or
         * macOS's (int msg_iovlen at 24, socklen_t msg_controllen at 40, msg_flags at 44).
         */
        private void message(SocketCalls.Scratch s, List<MemorySegment> pieces, int namelen) {
            MemorySegment h = s.msghdr;
            h.fill((byte) 0);
            int n = Math.min(pieces.size(), SocketCalls.Scratch.IOV_MAX);
            for (int i = 0; i < n; i++) {
                MemorySegment p = pieces.get(i);
                s.iov.set(ADDRESS, 16L * i, p);
                s.iov.set(JAVA_LONG, 16L * i + 8, p.byteSize());
            }
            h.set(ADDRESS, 0, namelen == 0 ? MemorySegment.NULL : s.sockaddr);
            h.set(JAVA_INT, 8, namelen);
            h.set(ADDRESS, 16, s.iov);
            if (linux) {
                h.set(JAVA_LONG, 24, n);
            } else {
                h.set(JAVA_INT, 24, n);
            }
        }

        @Override
        public long send(List<MemorySegment> data, int flags, InetEndpoint to) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            message(s, data, to == null ? 0 : encode(forSocket(to), s.sockaddr));
            long n = SocketCalls.sendmsg(s, fd, s.msghdr, hostSendFlags(flags));
            if (n < 0) {
                throw error(s);
            }
            return n;
        }

        @Override
        public Received receive(List<MemorySegment> into, int flags, boolean wantSource) throws ErrnoException {
            return receive(into, flags, wantSource, null);
        }

        /**
         * recvmsg(2). Linux's control messages are the guest's already: the host writes them straight
         * into {@code control}, cut as the guest's own kernel would cut them. macOS's go into the
         * scratch area and are translated ({@link DarwinControl}).
         */
        @Override
        public Received receive(List<MemorySegment> into, int flags, boolean wantSource, MemorySegment control)
                throws ErrnoException {
            if (!linux && (flags & MSG_ERRQUEUE) != 0) {
                // macOS keeps no error queue (IP_RECVERR is only remembered there): it is always empty.
                throw new ErrnoException(Errno.EAGAIN);
            }
            SocketCalls.Scratch s = SocketCalls.scratch();
            message(s, into, wantSource ? (int) s.sockaddr.byteSize() : 0);
            MemorySegment hostControl = control == null ? null : linux ? control : s.control;
            if (hostControl != null) {
                s.msghdr.set(ADDRESS, 32, hostControl);
                if (linux) {
                    s.msghdr.set(JAVA_LONG, 40, hostControl.byteSize());
                } else {
                    s.msghdr.set(JAVA_INT, 40, (int) hostControl.byteSize());
                }
            }
            long n = SocketCalls.recvmsg(s, fd, s.msghdr, hostReceiveFlags(flags));
            if (n < 0) {
                throw error(s);
            }
            int namelen = s.msghdr.get(JAVA_INT, 8);
            int hostFlags = s.msghdr.get(JAVA_INT, linux ? 48 : 44);
            InetEndpoint source = wantSource ? decode(s.sockaddr, namelen) : null;
            if (hostControl == null) {
                return new Received(n, source, linuxResultFlags(hostFlags));
            }
            if (linux) {
                return new Received(n, source, hostFlags, s.msghdr.get(JAVA_LONG, 40));
            }
            DarwinControl.Translated t = DarwinControl.translate(s.control, s.msghdr.get(JAVA_INT, 40) & 0xffffffffL,
                    control, timestampNew);
            int linuxFlags = linuxResultFlags(hostFlags) | (t.truncated() ? MSG_CTRUNC : 0);
            return new Received(n, source, linuxFlags, t.length());
        }

        @Override
        public void shutdown(int how) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            if (SocketCalls.shutdown(s, fd, how) < 0) {
                throw error(s);
            }
        }

        @Override
        public boolean hasOption(int level, int name) {
            if (unix) {
                return level == LINUX_SOL_SOCKET && name == LINUX_SO_PEERCRED;
            }
            return options.containsKey(key(level, name));
        }

        private HostOption hostOption(int level, int name) throws ErrnoException {
            HostOption o = options.get(key(level, name));
            if (o == null) {
                throw new ErrnoException(Errno.ENOPROTOOPT);
            }
            return o;
        }

        @Override
        public void setOption(int level, int name, byte[] value) throws ErrnoException {
            HostOption o = hostOption(level, name);
            SocketCalls.Scratch s = SocketCalls.scratch();
            int len = Math.min(value.length, (int) s.value.byteSize());
            MemorySegment.copy(value, 0, s.value, JAVA_BYTE, 0, len);
            if (o.oneByte() && len >= 4) {
                s.value.set(JAVA_BYTE, 0, (byte) s.value.get(JAVA_INT, 0));
                len = 1;
            }
            if (SocketCalls.setsockopt(s, fd, o.level(), o.name(), s.value, len) < 0) {
                throw error(s);
            }
            if (level == LINUX_SOL_SOCKET && (name == LINUX_SO_TIMESTAMP_OLD || name == LINUX_SO_TIMESTAMP_NEW)) {
                timestampNew = name == LINUX_SO_TIMESTAMP_NEW;
            }
        }

        @Override
        public byte[] option(int level, int name, int length) throws ErrnoException {
            if (unix) {
                return peerCredentials(level, name, length);
            }
            HostOption o = hostOption(level, name);
            SocketCalls.Scratch s = SocketCalls.scratch();
            int room = (int) Math.min(Math.max(length, 0), s.value.byteSize());
            s.value.fill((byte) 0);
            s.length.set(JAVA_INT, 0, length < 0 ? length : room);
            if (SocketCalls.getsockopt(s, fd, o.level(), o.name(), s.value, s.length) < 0) {
                throw error(s);
            }
            int got = s.length.get(JAVA_INT, 0);
            if (o.oneByte() && got == 1) {
                s.value.set(JAVA_INT, 0, s.value.get(JAVA_BYTE, 0) & 0xff);
                got = Math.min(4, room);
            }
            byte[] out = new byte[Math.max(0, Math.min(got, room))];
            MemorySegment.copy(s.value, JAVA_BYTE, 0, out, 0, out.length);
            return out;
        }

        /**
         * SO_PEERCRED of an AF_UNIX socket as Linux's struct ucred: Linux's own; on macOS from
         * LOCAL_PEERCRED's xucred (its first group is the effective gid; the pid is not in it: 0).
         */
        private byte[] peerCredentials(int level, int name, int length) throws ErrnoException {
            if (level != LINUX_SOL_SOCKET || name != LINUX_SO_PEERCRED) {
                throw new ErrnoException(Errno.ENOPROTOOPT);
            }
            SocketCalls.Scratch s = SocketCalls.scratch();
            s.value.asSlice(0, XUCRED_SIZE).fill((byte) 0);
            s.length.set(JAVA_INT, 0, linux ? 12 : XUCRED_SIZE);
            if (SocketCalls.getsockopt(s, fd, linux ? LINUX_SOL_SOCKET : DARWIN_SOL_LOCAL,
                    linux ? LINUX_SO_PEERCRED : DARWIN_LOCAL_PEERCRED, s.value, s.length) < 0) {
                throw error(s);
            }
            byte[] ucred = new byte[12];
            if (linux) {
                MemorySegment.copy(s.value, JAVA_BYTE, 0, ucred, 0, 12);
            } else {
                java.nio.ByteBuffer.wrap(ucred).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(4, s.value.get(JAVA_INT, XUCRED_UID)).putInt(8, s.value.get(JAVA_INT, XUCRED_GROUPS));
            }
            return java.util.Arrays.copyOf(ucred, Math.min(Math.max(length, 0), 12));
        }

        @Override
        public InetEndpoint localAddress() throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            s.length.set(JAVA_INT, 0, (int) s.sockaddr.byteSize());
            if (SocketCalls.getsockname(s, fd, s.sockaddr, s.length) < 0) {
                throw error(s);
            }
            InetEndpoint e = decode(s.sockaddr, s.length.get(JAVA_INT, 0));
            return e != null ? e : new InetEndpoint(new byte[ipv6 ? 16 : 4], 0, 0, 0);
        }

        @Override
        public InetEndpoint peerAddress() throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            s.length.set(JAVA_INT, 0, (int) s.sockaddr.byteSize());
            if (SocketCalls.getpeername(s, fd, s.sockaddr, s.length) < 0) {
                throw error(s);
            }
            InetEndpoint e = decode(s.sockaddr, s.length.get(JAVA_INT, 0));
            if (e == null) {
                throw new ErrnoException(Errno.ENOTCONN);
            }
            return e;
        }

        /** Linux: ioctl FIONREAD; macOS: SO_NREAD, the first datagram's size on a datagram socket as Linux's FIONREAD. */
        @Override
        public int available() throws ErrnoException {
            return linux ? ioctlInt(LINUX_FIONREAD) : darwinSocketInt(DARWIN_SO_NREAD);
        }

        /** Linux: ioctl SIOCOUTQ; macOS: SO_NWRITE. */
        @Override
        public int unsent() throws ErrnoException {
            return linux ? ioctlInt(LINUX_SIOCOUTQ) : darwinSocketInt(DARWIN_SO_NWRITE);
        }

        @Override
        public int atMark() throws ErrnoException {
            return ioctlInt(linux ? LINUX_SIOCATMARK : DARWIN_SIOCATMARK);
        }

        private int ioctlInt(long request) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            s.value.set(JAVA_INT, 0, 0);
            if (SocketCalls.ioctl(s, fd, request, s.value) < 0) {
                throw error(s);
            }
            return s.value.get(JAVA_INT, 0);
        }

        private int darwinSocketInt(int name) throws ErrnoException {
            SocketCalls.Scratch s = SocketCalls.scratch();
            s.length.set(JAVA_INT, 0, 4);
            if (SocketCalls.getsockopt(s, fd, DARWIN_SOL_SOCKET, name, s.value, s.length) < 0) {
                throw error(s);
            }
            return s.value.get(JAVA_INT, 0);
        }

        @Override
        public int poll() {
            int events = linux ? POLL_ALL : 0x1 | 0x2 | 0x4 | 0x40 | DARWIN_POLLRDBAND | DARWIN_POLLWRBAND;
            return linuxPollBits(SocketCalls.pollNow(SocketCalls.scratch(), fd, (short) events));
        }

        /** Linux: the epoll thread (not in the portable profile, whose calls are macOS's too); macOS: the kqueue one. */
        @Override
        public synchronized boolean watch(IntConsumer listener) {
            if (registration >= 0 || closed) {
                return false;
            }
            HostPoller poller = poller();
            if (poller == null) {
                return false;
            }
            registration = poller.add(fd, listener);
            return registration >= 0;
        }

        /** In the host's poll beside a {@link HostWaker}, which an interrupt of the thread writes to. */
        @Override
        public int await(int events, long nanos) {
            HostWaker w = HostWaker.take(linux ? LINUX_O_NONBLOCK : DARWIN_O_NONBLOCK);
            if (w == null) {
                return -1;
            }
            try {
                int millis = nanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, nanos / 1_000_000 + 1);
                int r = w.await(fd, (short) hostPollBits(events), millis);
                // POLLNVAL (the same bit on both hosts): not a socket any more; the call will say what.
                return linuxPollBits((r & 0x20) != 0 ? r | 0x8 : r);
            } finally {
                HostWaker.give(w);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            SocketCalls.Scratch s = SocketCalls.scratch();
            if (registration >= 0) {
                poller().remove(fd, registration);
            }
            SocketCalls.close(s, fd);
        }
    }
}
