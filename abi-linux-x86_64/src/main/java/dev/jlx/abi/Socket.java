package dev.jlx.abi;

import java.util.Map;
import java.util.TreeMap;

/**
 * Socket constants of x86-64 Linux: address families and socket types ({@code linux/socket.h},
 * {@code linux/net.h}), SOL_SOCKET options ({@code asm-generic/socket.h}, which x86 uses
 * unchanged), message flags, control message types and shutdown modes.
 */
public final class Socket {
    private Socket() {}

    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    /** NPROTO: a family at or past it is EAFNOSUPPORT before anything else is looked at. */
    public static final int AF_MAX = 46;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_RDM = 4;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_DCCP = 6;
    public static final int SOCK_PACKET = 10;
    /** One past the last type: a type at or past it is EINVAL. */
    public static final int SOCK_MAX = 11;
    public static final int SOCK_TYPE_MASK = 0xf;
    public static final int SOCK_NONBLOCK = OpenFlags.O_NONBLOCK;
    public static final int SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;

    public static final int SOL_SOCKET = 1;

    public static final int SO_DEBUG = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_NO_CHECK = 11;
    public static final int SO_PRIORITY = 12;
    public static final int SO_LINGER = 13;
    public static final int SO_BSDCOMPAT = 14;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_SNDLOWAT = 19;
    /** SO_RCVTIMEO on 64-bit: a {@code struct timeval}. */
    public static final int SO_RCVTIMEO_OLD = 20;
    public static final int SO_SNDTIMEO_OLD = 21;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_PEERNAME = 28;
    /** SO_TIMESTAMP on 64-bit: an SCM_TIMESTAMP (the same number) with a {@code struct timeval}. */
    public static final int SO_TIMESTAMP_OLD = 29;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_PEERSEC = 31;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_PASSSEC = 34;
    /** SO_TIMESTAMPNS on 64-bit: an SCM_TIMESTAMPNS (the same number) with a {@code struct timespec}. */
    public static final int SO_TIMESTAMPNS_OLD = 35;
    public static final int SO_MARK = 36;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int SO_RXQ_OVFL = 40;
    public static final int SO_PEEK_OFF = 42;
    public static final int SO_INCOMING_CPU = 49;
    /** The socket's memory counters (u32 sk_meminfo: SK_MEMINFO_RMEM_ALLOC first, SK_MEMINFO_DROPS ninth). */
    public static final int SO_MEMINFO = 55;
    public static final int SO_COOKIE = 57;
    /** The time64 forms, whose control messages have their own types (the same layouts on 64-bit). */
    public static final int SO_TIMESTAMP_NEW = 63;
    public static final int SO_TIMESTAMPNS_NEW = 64;
    public static final int SO_RCVTIMEO_NEW = 66;
    public static final int SO_SNDTIMEO_NEW = 67;
    /** A classic BPF program ({@code struct sock_fprog}); getsockopt of the same number is SO_GET_FILTER. */
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_GET_FILTER = SO_ATTACH_FILTER;
    public static final int SO_DETACH_FILTER = 27;
    /** SO_TIMESTAMPING's flags (SOF_TIMESTAMPING_*), getsockopt's {@code struct so_timestamping}. */
    public static final int SO_TIMESTAMPING_OLD = 37;
    public static final int SO_WIFI_STATUS = 41;
    public static final int SO_NOFCS = 43;
    public static final int SO_LOCK_FILTER = 44;
    public static final int SO_SELECT_ERR_QUEUE = 45;
    public static final int SO_BUSY_POLL = 46;
    public static final int SO_MAX_PACING_RATE = 47;
    public static final int SO_BPF_EXTENSIONS = 48;
    public static final int SO_ATTACH_BPF = 50;
    public static final int SO_ATTACH_REUSEPORT_CBPF = 51;
    public static final int SO_ATTACH_REUSEPORT_EBPF = 52;
    public static final int SO_CNX_ADVICE = 53;
    public static final int SO_INCOMING_NAPI_ID = 56;
    public static final int SO_PEERGROUPS = 59;
    public static final int SO_ZEROCOPY = 60;
    public static final int SO_TXTIME = 61;
    public static final int SO_BINDTOIFINDEX = 62;
    public static final int SO_TIMESTAMPING_NEW = 65;
    public static final int SO_DETACH_REUSEPORT_BPF = 68;
    public static final int SO_PREFER_BUSY_POLL = 69;
    public static final int SO_BUSY_POLL_BUDGET = 70;
    public static final int SO_NETNS_COOKIE = 71;
    public static final int SO_BUF_LOCK = 72;
    public static final int SO_RESERVE_MEM = 73;
    public static final int SO_TXREHASH = 74;
    public static final int SO_RCVMARK = 75;
    /** Ask for an SCM_PIDFD control message: a pidfd of the sender's process (AF_UNIX only). */
    public static final int SO_PASSPIDFD = 76;
    /** getsockopt: a new pidfd of the peer's process (ENODATA for none). */
    public static final int SO_PEERPIDFD = 77;

    public static final int MSG_OOB = 0x1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTROUTE = 0x4;
    public static final int MSG_CTRUNC = 0x8;
    public static final int MSG_PROXY = 0x10;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_EOR = 0x80;
    public static final int MSG_WAITALL = 0x100;
    public static final int MSG_FIN = 0x200;
    public static final int MSG_SYN = 0x400;
    public static final int MSG_CONFIRM = 0x800;
    public static final int MSG_RST = 0x1000;
    public static final int MSG_ERRQUEUE = 0x2000;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;
    public static final int MSG_WAITFORONE = 0x10000;
    public static final int MSG_BATCH = 0x40000;
    public static final int MSG_ZEROCOPY = 0x4000000;
    public static final int MSG_FASTOPEN = 0x20000000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;
    /** SO_PASSPIDFD's control message: an int, the pidfd installed (or a negative errno). */
    public static final int SCM_PIDFD = 4;
    /** The most descriptors one message may carry (net/scm.h). */
    public static final int SCM_MAX_FD = 253;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** ioctl requests of sockets ({@code linux/sockios.h}): SIOCINQ is FIONREAD, SIOCOUTQ is TIOCOUTQ. */
    public static final int SIOCINQ = Ioctl.FIONREAD;
    public static final int SIOCOUTQ = Ioctl.TIOCOUTQ;

    /** sun_path's size: a sockaddr_un is 110 bytes, its family then 108 of path. */
    public static final int UNIX_PATH_MAX = 108;
    /** sizeof(struct sockaddr_storage): the most a socket call copies in or out. */
    public static final int SOCKADDR_STORAGE_SIZE = 128;

    private static final String[] FAMILIES = {"AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX", "AF_APPLETALK",
        "AF_NETROM", "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet", "AF_NETBEUI",
        "AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC", "AF_RDS", "AF_SNA",
        "AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS", "AF_CAN", "AF_TIPC", "AF_BLUETOOTH",
        "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET", "AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK",
        "AF_KCM", "AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP"};

    /** The name of address family {@code family} (AF_UNIX...), or null. */
    public static String familyName(int family) {
        return family >= 0 && family < FAMILIES.length ? FAMILIES[family] : null;
    }

    private static final Map<Integer, String> TYPES = new TreeMap<>(Map.of(SOCK_STREAM, "SOCK_STREAM", SOCK_DGRAM,
            "SOCK_DGRAM", SOCK_RAW, "SOCK_RAW", SOCK_RDM, "SOCK_RDM", SOCK_SEQPACKET, "SOCK_SEQPACKET", SOCK_DCCP,
            "SOCK_DCCP", SOCK_PACKET, "SOCK_PACKET"));

    /** The name of socket type {@code type} without flags (SOCK_STREAM...), or null. */
    public static String typeName(int type) {
        return TYPES.get(type);
    }
}
