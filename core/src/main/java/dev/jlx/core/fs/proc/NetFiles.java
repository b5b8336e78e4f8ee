package dev.jlx.core.fs.proc;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.abi.Socket.AF_INET;

import dev.jlx.core.net.InetSockets;
import dev.jlx.core.net.Interfaces;
import dev.jlx.core.net.Interfaces.Address;
import dev.jlx.core.net.Interfaces.Link;
import dev.jlx.core.net.Interfaces.Route;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The interface files of /proc/net, from one snapshot of {@link Interfaces}, in Linux's column layouts. */
final class NetFiles {
    private NetFiles() {}

    /** /proc/net/dev (dev_seq_show): every counter 0, as jlx counts no packets per interface. */
    static byte[] dev(List<Link> links) {
        StringBuilder b = new StringBuilder();
        b.append("Inter-|   Receive                                                |  Transmit\n");
        b.append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls"
                + " carrier compressed\n");
        for (Link l : links) {
            b.append(String.format("%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n", l.name(), 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        return bytes(b);
    }

    /**
     * /proc/net/if_inet6 (if6_seq_show): address, index, prefix, IPv6 scope (IFA_HOST 0x10, IFA_LINK
     * 0x20, IFA_SITE 0x40, global 0), flags (permanent), name.
     */
    static byte[] ifInet6(List<Link> links) {
        StringBuilder b = new StringBuilder();
        for (Link l : links) {
            for (Address a : l.addresses()) {
                if (!a.inet6()) {
                    continue;
                }
                for (byte x : a.address()) {
                    b.append(String.format("%02x", x));
                }
                int scope = switch (a.scope()) {
                    case RT_SCOPE_HOST -> 0x10;
                    case RT_SCOPE_LINK -> 0x20;
                    case RT_SCOPE_SITE -> 0x40;
                    default -> 0;
                };
                b.append(String.format(" %02x %02x %02x %02x %8s\n", l.index(), a.prefix(), scope, IFA_F_PERMANENT,
                        l.name()));
            }
        }
        return bytes(b);
    }

    /**
     * /proc/net/route (fib_route_seq_show): the main table's IPv4 unicast routes, each line padded to
     * 127 characters; addresses as their network-order words in hex, flags RTF_UP (and RTF_HOST for /32).
     */
    static byte[] route(List<Link> links) {
        StringBuilder b = new StringBuilder();
        pad(b, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
        for (Route r : Interfaces.routes(links, AF_INET)) {
            if (r.table() != RT_TABLE_MAIN || r.type() != RTN_UNICAST) {
                continue;
            }
            Link l = Interfaces.byIndex(links, r.oif());
            byte[] mask = new Address(r.dst(), r.dstLen(), null, 0).netmask();
            int flags = 0x1 | (r.dstLen() == 32 ? 0x4 : 0);
            pad(b, String.format("%s\t%s\t%s\t%04X\t%d\t%d\t%d\t%s\t%d\t%d\t%d", l.name(), InetSockets.hex4(r.dst()),
                    "00000000", flags, 0, 0, r.priority(), InetSockets.hex4(mask), 0, 0, 0));
        }
        return bytes(b);
    }

    private static void pad(StringBuilder b, String line) {
        b.append(String.format("%-127s\n", line));
    }

    private static byte[] bytes(StringBuilder b) {
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
