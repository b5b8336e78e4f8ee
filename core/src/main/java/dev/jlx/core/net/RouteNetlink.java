package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.abi.Socket.AF_INET;
import static dev.jlx.abi.Socket.AF_INET6;
import static dev.jlx.abi.Socket.AF_UNSPEC;
import static dev.jlx.core.net.NetlinkKernel.*;

import dev.jlx.abi.Errno;
import dev.jlx.core.net.Interfaces.Address;
import dev.jlx.core.net.Interfaces.Link;
import dev.jlx.core.net.Interfaces.Route;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel's side of NETLINK_ROUTE (Linux's netlink_rcv_skb with rtnetlink_rcv_msg): the requests
 * of one sendmsg are taken in turn; RTM_GETLINK, RTM_GETADDR and RTM_GETROUTE dumps and RTM_GETLINK
 * of one link are answered from a snapshot of {@link Interfaces}, as rtnl_fill_ifinfo,
 * inet_fill_ifaddr, inet6_fill_ifaddr, fib_dump_info and rt6_fill_node fill them (the attributes
 * jlx knows; zero statistics); acks and errors as netlink_ack makes them. Changes (RTM_NEW*,
 * RTM_DEL*, RTM_SET*) are EPERM: jlx grants no CAP_NET_ADMIN, and the host's interfaces are not
 * the guest's to change. Other requests are EOPNOTSUPP, as for a family without a handler.
 */
final class RouteNetlink {
    private RouteNetlink() {}

    /** rtnetlink_rcv: netlink_rcv_skb with rtnetlink_rcv_msg, over a snapshot of the interfaces. */
    static void receive(byte[] buffer, int portid, Options options, List<Link> links, Sink sink) {
        NetlinkKernel.receive(buffer, portid, options, sink, (r, s) -> message(r, links, s));
    }

    /** rtnetlink_rcv_msg: 0, a negative errno, or {@link #DUMP_STARTED}. */
    private static int message(Request r, List<Link> links, Sink sink) {
        if (r.type > RTM_MAX) {
            return -Errno.EOPNOTSUPP.number();
        }
        // Every message carries at least the family byte; an empty one is done with.
        if (r.payload() < 1) {
            return 0;
        }
        int family = r.u8(0);
        int kind = (r.type - RTM_BASE) & 3;
        if (kind != 2) {
            return -Errno.EPERM.number();
        }
        if ((r.flags & NLM_F_DUMP) == NLM_F_DUMP) {
            Dump d = switch (r.type) {
                case RTM_GETLINK -> linkDump(r, family, links);
                case RTM_GETADDR -> addressDump(r, family, links);
                case RTM_GETROUTE -> routeDump(r, family, links);
                default -> null;
            };
            if (d == null) {
                return -Errno.EOPNOTSUPP.number();
            }
            return startDump(sink, d);
        }
        if (r.type == RTM_GETLINK) {
            return getLink(r, links, sink);
        }
        return -Errno.EOPNOTSUPP.number();
    }

    // ---- links ----

    /** rtnl_getlink: by index, else by IFLA_IFNAME; the link's RTM_NEWLINK alone. */
    private static int getLink(Request r, List<Link> links, Sink sink) {
        if (r.payload() < IFINFOMSG_SIZE) {
            return r.invalid(r.options.strict() ? "Invalid header for get link" : "Invalid header length");
        }
        List<int[]> attrs = attributes(r, IFINFOMSG_SIZE);
        if (r.options.strict()) {
            if (r.u8(1) != 0 || r.u16(2) != 0 || r.i32(8) != 0 || r.i32(12) != 0) {
                return r.invalid("Invalid values in header for get link request");
            }
            for (int[] a : attrs) {
                if (a[0] != IFLA_IFNAME && a[0] != IFLA_EXT_MASK && a[0] != 46 && a[0] != 53) {
                    return r.invalid("Unsupported attribute in get link request");
                }
            }
        }
        int index = r.i32(4);
        Link link;
        if (index > 0) {
            link = Interfaces.byIndex(links, index);
        } else {
            String name = null;
            for (int[] a : attrs) {
                if (a[0] == IFLA_IFNAME) {
                    name = cString(r.bytes, a[1], a[2]);
                }
            }
            if (name == null) {
                return -Errno.EINVAL.number();
            }
            link = Interfaces.byName(links, name);
        }
        if (link == null) {
            return -Errno.ENODEV.number();
        }
        sink.unicast(newLink(link, r.seq, r.portid, 0));
        return 0;
    }

    /** rtnl_dump_ifinfo (and, for AF_BRIDGE, the bridge ports' dump: none here). */
    private static Dump linkDump(Request r, int family, List<Link> links) {
        int answerFlags = 0;
        int master = 0;
        if (r.options.strict()) {
            if (r.payload() < IFINFOMSG_SIZE) {
                return failed(r, r.invalid("Invalid header for link dump"), 0);
            }
            if (r.u8(1) != 0 || r.u16(2) != 0 || r.i32(8) != 0 || r.i32(12) != 0) {
                return failed(r, r.invalid("Invalid values in header for link dump request"), 0);
            }
            if (r.i32(4) != 0) {
                return failed(r, r.invalid("Filter by device index not supported for link dumps"), 0);
            }
            for (int[] a : attributes(r, IFINFOMSG_SIZE)) {
                switch (a[0]) {
                    case 10 -> master = a[2] >= 4 ? r.b.getInt(a[1]) : 0;
                    case IFLA_EXT_MASK, 18, 46 -> { }
                    default -> {
                        return failed(r, r.invalid("Unsupported attribute in link dump request"), 0);
                    }
                }
            }
            if (master != 0) {
                answerFlags = NLM_F_DUMP_FILTERED;
            }
        }
        List<byte[]> messages = new ArrayList<>();
        // AF_BRIDGE has its own dump, of bridge ports; no link is a bridge's here, and none has a master.
        if (family != 7 && master == 0) {
            for (Link l : links) {
                messages.add(newLink(l, r.seq, r.portid, NLM_F_MULTI));
            }
        }
        return new Dump(messages, done(r, 0, answerFlags), false);
    }

    /**
     * rtnl_fill_ifinfo: the ifinfomsg and the attributes jlx knows, in Linux's order. The limits are
     * lo's, and for other devices the kernel's defaults for an Ethernet device (which jlx cannot ask
     * the host's driver for).
     */
    private static byte[] newLink(Link l, int seq, int portid, int flags) {
        boolean loopback = (l.flags() & IFF_LOOPBACK) != 0;
        Message m = new Message(RTM_NEWLINK, flags, seq, portid);
        m.u8(AF_UNSPEC).u8(0).u16(l.type()).i32(l.index()).i32(l.flags()).i32(0);
        m.string(IFLA_IFNAME, l.name());
        m.u32(IFLA_TXQLEN, l.txqlen());
        m.u8(IFLA_OPERSTATE, l.operstate());
        m.u8(IFLA_LINKMODE, 0);
        m.u32(IFLA_MTU, l.mtu());
        m.u32(IFLA_MIN_MTU, loopback ? 0 : 68);
        m.u32(IFLA_MAX_MTU, loopback ? 0 : Math.max(1500, l.mtu()));
        m.u32(IFLA_GROUP, 0);
        m.u32(IFLA_PROMISCUITY, 0);
        m.u32(IFLA_ALLMULTI, 0);
        m.u32(IFLA_NUM_TX_QUEUES, 1);
        m.u32(IFLA_GSO_MAX_SEGS, 65535);
        m.u32(IFLA_GSO_MAX_SIZE, 65536);
        m.u32(IFLA_GRO_MAX_SIZE, 65536);
        m.u32(IFLA_TSO_MAX_SIZE, loopback ? 524280 : 65536);
        m.u32(IFLA_TSO_MAX_SEGS, 65535);
        m.u32(IFLA_NUM_RX_QUEUES, 1);
        m.u8(IFLA_CARRIER, l.up() ? 1 : 0);
        m.u32(IFLA_CARRIER_CHANGES, 0);
        m.u32(IFLA_CARRIER_UP_COUNT, 0);
        m.u32(IFLA_CARRIER_DOWN_COUNT, 0);
        m.u8(IFLA_PROTO_DOWN, 0);
        if (l.hardware().length > 0) {
            m.bytes(IFLA_ADDRESS, l.hardware());
            m.bytes(IFLA_BROADCAST, l.hardwareBroadcast());
        }
        // jlx counts no packets per interface: the statistics are all zero.
        m.bytes(IFLA_STATS64, new byte[RTNL_LINK_STATS64_SIZE]);
        m.bytes(IFLA_STATS, new byte[RTNL_LINK_STATS_SIZE]);
        m.string(IFLA_QDISC, l.qdisc());
        if (l.addresses().stream().anyMatch(Address::inet6)) {
            Message inet6 = new Message();
            inet6.u32(IFLA_INET6_FLAGS, IF_READY);
            inet6.u8(IFLA_INET6_ADDR_GEN_MODE, 0);
            Message spec = new Message();
            spec.bytes(AF_INET6, inet6.body());
            m.bytes(IFLA_AF_SPEC, spec.body());
        }
        m.bytes(IFLA_MAP, new byte[RTNL_LINK_IFMAP_SIZE]);
        return m.end();
    }

    // ---- addresses ----

    /**
     * inet_dump_ifaddr and inet6_dump_ifaddr, one or both (AF_UNSPEC and families without their own
     * dump: rtnl_dump_all); with strict checking, the header must be clean and ifa_index filters.
     */
    private static Dump addressDump(Request r, int family, List<Link> links) {
        int index = 0;
        int answerFlags = 0;
        if (r.options.strict()) {
            if (r.payload() < IFADDRMSG_SIZE) {
                return failed(r, r.invalid("Invalid header for address dump request"), 0);
            }
            if (r.u8(1) != 0 || r.u8(2) != 0 || r.u8(3) != 0) {
                return failed(r, r.invalid("Invalid values in header for address dump request"), 0);
            }
            for (int[] a : attributes(r, IFADDRMSG_SIZE)) {
                if (a[0] != 10) {
                    return failed(r, r.invalid("Unsupported attribute in dump request"), 0);
                }
            }
            index = r.i32(4);
            if (index != 0) {
                answerFlags = NLM_F_DUMP_FILTERED;
                if (Interfaces.byIndex(links, index) == null) {
                    return failed(r, -Errno.ENODEV.number(), answerFlags);
                }
            }
        }
        boolean v4 = family != AF_INET6;
        boolean v6 = family != AF_INET;
        List<byte[]> messages = new ArrayList<>();
        int flags = NLM_F_MULTI | answerFlags;
        for (boolean six : new boolean[] {false, true}) {
            if (six ? !v6 : !v4) {
                continue;
            }
            for (Link l : links) {
                if (index != 0 && l.index() != index) {
                    continue;
                }
                for (Address a : l.addresses()) {
                    if (a.inet6() == six) {
                        messages.add(newAddress(l, a, r.seq, r.portid, flags));
                    }
                }
            }
        }
        // inet6's dump says it is finished in the call that gave the last address; the others in the next.
        return new Dump(messages, done(r, 0, answerFlags), family == AF_INET6);
    }

    /** inet_fill_ifaddr and inet6_fill_ifaddr: every address permanent (no lifetimes). */
    private static byte[] newAddress(Link l, Address a, int seq, int portid, int flags) {
        Message m = new Message(RTM_NEWADDR, flags, seq, portid);
        m.u8(a.inet6() ? AF_INET6 : AF_INET).u8(a.prefix()).u8(IFA_F_PERMANENT).u8(a.scope()).i32(l.index());
        byte[] cacheinfo = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -1).putInt(4, -1).array();
        if (a.inet6()) {
            m.bytes(IFA_ADDRESS, a.address());
            m.bytes(IFA_CACHEINFO, cacheinfo);
            m.u32(IFA_FLAGS, IFA_F_PERMANENT);
            if ((l.flags() & IFF_LOOPBACK) != 0) {
                m.u8(IFA_PROTO, IFAPROT_KERNEL_LO);
            }
        } else {
            m.bytes(IFA_ADDRESS, a.address());
            m.bytes(IFA_LOCAL, a.address());
            if (a.broadcast() != null) {
                m.bytes(IFA_BROADCAST, a.broadcast());
            }
            m.string(IFA_LABEL, l.name());
            m.u32(IFA_FLAGS, IFA_F_PERMANENT);
            m.bytes(IFA_CACHEINFO, cacheinfo);
        }
        return m.end();
    }

    // ---- routes ----

    /**
     * The FIB dumps (inet_dump_fib, inet6_dump_fib; both for AF_UNSPEC); with strict checking the
     * header must be clean and rtm_table, rtm_protocol, RTA_TABLE and RTA_OIF filter. Cached routes
     * (RTM_F_CLONED) there are none.
     */
    private static Dump routeDump(Request r, int family, List<Link> links) {
        int table = 0;
        int protocol = 0;
        int oif = 0;
        boolean cloned = false;
        int answerFlags = 0;
        if (r.options.strict()) {
            if (r.payload() < RTMSG_SIZE) {
                return failed(r, r.invalid("Invalid header for FIB dump request"), 0);
            }
            if (r.u8(2) != 0 || r.u8(3) != 0 || r.u8(6) != 0 || r.u8(7) != 0) {
                return failed(r, r.invalid("Invalid values in header for FIB dump request"), 0);
            }
            int rtmFlags = r.i32(8);
            if ((rtmFlags & ~0x600) != 0) {
                return failed(r, r.invalid("Invalid flags for FIB dump request"), 0);
            }
            cloned = (rtmFlags & 0x200) != 0;
            table = r.u8(4);
            protocol = r.u8(5);
            for (int[] a : attributes(r, RTMSG_SIZE)) {
                switch (a[0]) {
                    case RTA_TABLE -> table = r.b.getInt(a[1]);
                    case RTA_OIF -> {
                        oif = r.b.getInt(a[1]);
                        if (Interfaces.byIndex(links, oif) == null) {
                            return failed(r, -Errno.ENODEV.number(), 0);
                        }
                    }
                    default -> {
                        return failed(r, r.invalid("Unsupported attribute in dump request"), 0);
                    }
                }
            }
            if (rtmFlags != 0 || table != 0 || protocol != 0 || oif != 0) {
                answerFlags = NLM_F_DUMP_FILTERED;
            }
        } else if (r.payload() >= RTMSG_SIZE && (r.i32(8) & 0x200) != 0) {
            cloned = true;
        }
        List<byte[]> messages = new ArrayList<>();
        if (!cloned) {
            for (int f : family == AF_INET || family == AF_INET6 ? new int[] {family} : new int[] {AF_INET, AF_INET6}) {
                for (Route route : Interfaces.routes(links, f)) {
                    if ((table == 0 || route.table() == table) && (protocol == 0 || protocol == RTPROT_KERNEL)
                            && (oif == 0 || route.oif() == oif)) {
                        messages.add(newRoute(route, r.seq, r.portid, NLM_F_MULTI | answerFlags));
                    }
                }
            }
        }
        return new Dump(messages, done(r, 0, answerFlags), false);
    }

    /** fib_dump_info and rt6_fill_node. */
    private static byte[] newRoute(Route route, int seq, int portid, int flags) {
        Message m = new Message(RTM_NEWROUTE, flags, seq, portid);
        m.u8(route.family()).u8(route.dstLen()).u8(0).u8(0).u8(route.table()).u8(RTPROT_KERNEL).u8(route.scope())
                .u8(route.type()).i32(0);
        m.u32(RTA_TABLE, route.table());
        m.bytes(RTA_DST, route.dst());
        if (route.family() == AF_INET) {
            m.bytes(RTA_PREFSRC, route.prefsrc());
            m.u32(RTA_OIF, route.oif());
        } else {
            m.u32(RTA_PRIORITY, route.priority());
            m.u32(RTA_OIF, route.oif());
            m.u8(RTA_PREF, 0);
        }
        return m.end();
    }
}
