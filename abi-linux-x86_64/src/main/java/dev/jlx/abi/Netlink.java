package dev.jlx.abi;

/**
 * Netlink and rtnetlink constants of x86-64 Linux ({@code linux/netlink.h}, {@code linux/rtnetlink.h},
 * {@code linux/if_link.h}, {@code linux/if_addr.h}, {@code linux/if.h}, {@code linux/if_arp.h}) and the
 * layouts of the messages jlx's NETLINK_ROUTE reads and writes: all little-endian, 4-byte aligned.
 */
public final class Netlink {
    private Netlink() {}

    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_USERSOCK = 2;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_XFRM = 6;
    public static final int NETLINK_SELINUX = 7;
    public static final int NETLINK_AUDIT = 9;
    public static final int NETLINK_CONNECTOR = 11;
    public static final int NETLINK_NETFILTER = 12;
    public static final int NETLINK_KOBJECT_UEVENT = 15;
    public static final int NETLINK_GENERIC = 16;
    /** MAX_LINKS: netlink protocols are below it. */
    public static final int MAX_LINKS = 32;
    /** sizeof(struct sockaddr_nl): family, pad, nl_pid, nl_groups. */
    public static final int SOCKADDR_NL_SIZE = 12;

    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_PKTINFO = 3;
    public static final int NETLINK_BROADCAST_ERROR = 4;
    public static final int NETLINK_NO_ENOBUFS = 5;
    public static final int NETLINK_LISTEN_ALL_NSID = 8;
    public static final int NETLINK_LIST_MEMBERSHIPS = 9;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;

    // struct nlmsghdr: 16 bytes.
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_LEN = 0;
    public static final int NLMSG_TYPE = 4;
    public static final int NLMSG_FLAGS = 6;
    public static final int NLMSG_SEQ = 8;
    public static final int NLMSG_PID = 12;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    /** Types below it are control messages, which the kernel acks without looking at. */
    public static final int NLMSG_MIN_TYPE = 0x10;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** On an NLMSG_ERROR: the request is not appended (always so for an ack of success). */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an NLMSG_ERROR or NLMSG_DONE: extended-ack attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** NLMSGERR_ATTR_MSG: an extended ack's error message string. */
    public static final int NLMSGERR_ATTR_MSG = 1;

    public static final int RTM_BASE = 16;
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_GETROUTE = 26;
    /** The last rtnetlink message type Linux 6.x knows (RTM_GETTUNNEL's group): past it, EOPNOTSUPP. */
    public static final int RTM_MAX = 123;

    // struct ifinfomsg: 16 bytes.
    public static final int IFINFOMSG_SIZE = 16;
    // struct ifaddrmsg: 8 bytes.
    public static final int IFADDRMSG_SIZE = 8;
    // struct rtmsg: 12 bytes.
    public static final int RTMSG_SIZE = 12;
    /** struct rtattr / nlattr header: length, type. */
    public static final int NLA_HDRLEN = 4;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_QDISC = 6;
    public static final int IFLA_STATS = 7;
    public static final int IFLA_MAP = 14;
    public static final int IFLA_TXQLEN = 13;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKMODE = 17;
    public static final int IFLA_STATS64 = 23;
    public static final int IFLA_AF_SPEC = 26;
    public static final int IFLA_GROUP = 27;
    public static final int IFLA_EXT_MASK = 29;
    public static final int IFLA_PROMISCUITY = 30;
    public static final int IFLA_NUM_TX_QUEUES = 31;
    public static final int IFLA_NUM_RX_QUEUES = 32;
    public static final int IFLA_CARRIER = 33;
    public static final int IFLA_CARRIER_CHANGES = 35;
    public static final int IFLA_PROTO_DOWN = 39;
    public static final int IFLA_GSO_MAX_SEGS = 40;
    public static final int IFLA_GSO_MAX_SIZE = 41;
    public static final int IFLA_PAD = 42;
    public static final int IFLA_CARRIER_UP_COUNT = 47;
    public static final int IFLA_CARRIER_DOWN_COUNT = 48;
    public static final int IFLA_MIN_MTU = 50;
    public static final int IFLA_MAX_MTU = 51;
    public static final int IFLA_GRO_MAX_SIZE = 58;
    public static final int IFLA_TSO_MAX_SIZE = 59;
    public static final int IFLA_TSO_MAX_SEGS = 60;
    public static final int IFLA_ALLMULTI = 61;
    /** IFLA_AF_SPEC's AF_INET6 part: the device's IPv6 flags (IF_READY) and address generation mode (EUI-64). */
    public static final int IFLA_INET6_FLAGS = 1;
    public static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    public static final int IF_READY = 0x80000000;
    /** sizeof(struct rtnl_link_stats64) (25 counters) and of struct rtnl_link_stats (24). */
    public static final int RTNL_LINK_STATS64_SIZE = 200;
    public static final int RTNL_LINK_STATS_SIZE = 96;
    /** sizeof(struct rtnl_link_ifmap): three u64, a u16 and two u8, padded. */
    public static final int RTNL_LINK_IFMAP_SIZE = 32;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_PROTO = 11;
    /** IFAPROT_KERNEL_LO: the address the kernel gave lo itself. */
    public static final int IFAPROT_KERNEL_LO = 1;
    public static final int IFA_F_PERMANENT = 0x80;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;
    public static final int RTA_PREF = 20;

    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;
    public static final int RTPROT_KERNEL = 2;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_SITE = 200;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_MULTICAST = 5;

    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_MULTICAST = 0x1000;
    public static final int IFF_LOWER_UP = 0x10000;

    public static final int IF_OPER_UNKNOWN = 0;
    public static final int IF_OPER_DOWN = 2;
    public static final int IF_OPER_UP = 6;

    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;
    public static final int ARPHRD_NONE = 0xFFFE;

    /** IFNAMSIZ: an interface name and its NUL. */
    public static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq): the name, then a 24-byte union (a sockaddr, a short, an int, a struct ifmap...). */
    public static final int IFREQ_SIZE = 40;
    /** sizeof(struct ifconf): ifc_len, padding, then the buffer pointer at 8. */
    public static final int IFCONF_SIZE = 16;

    /** The NETLINK_* protocol name strace prints for {@code protocol}, or null. */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case 0 -> "NETLINK_ROUTE";
            case 2 -> "NETLINK_USERSOCK";
            case 4 -> "NETLINK_SOCK_DIAG";
            case 5 -> "NETLINK_NFLOG";
            case 6 -> "NETLINK_XFRM";
            case 7 -> "NETLINK_SELINUX";
            case 8 -> "NETLINK_ISCSI";
            case 9 -> "NETLINK_AUDIT";
            case 10 -> "NETLINK_FIB_LOOKUP";
            case 11 -> "NETLINK_CONNECTOR";
            case 12 -> "NETLINK_NETFILTER";
            case 13 -> "NETLINK_IP6_FW";
            case 14 -> "NETLINK_DNRTMSG";
            case 15 -> "NETLINK_KOBJECT_UEVENT";
            case 16 -> "NETLINK_GENERIC";
            case 18 -> "NETLINK_SCSITRANSPORT";
            case 19 -> "NETLINK_ECRYPTFS";
            case 20 -> "NETLINK_RDMA";
            case 21 -> "NETLINK_CRYPTO";
            case 22 -> "NETLINK_SMC";
            default -> null;
        };
    }
}
