package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.abi.Socket.AF_INET;
import static dev.jlx.abi.Socket.AF_INET6;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The network interfaces the guest sees, in Linux's terms: NETLINK_ROUTE, the SIOCGIF* ioctls and
 * /proc/net answer from one snapshot of them. A {@link Source} takes the snapshots; the host's comes
 * from the JDK's {@link NetworkInterface}, which works on every host and binds nothing native, and
 * tests give fixed ones.
 *
 * <p>{@code lo} is always there, as Linux's loopback: index 1, 127.0.0.1/8 and ::1/128, up, MTU 65536.
 * The host's other interfaces are mirrored (its loopback is {@code lo}'s), because the guest's inet
 * sockets are the host's: glibc's AI_ADDRCONFIG (getaddrinfo asks only for the families of the
 * non-loopback addresses it finds) then decides as it would on the host, so a name resolves to what
 * the host can reach; with loopback alone every AF_INET lookup with AI_ADDRCONFIG would fail
 * (EAI_NONAME), as it does in a network namespace that has only lo.
 */
public final class Interfaces {
    /** One address of an interface: 4 or 16 bytes, its prefix, the IPv4 broadcast (or null), its rtnetlink scope. */
    public record Address(byte[] address, int prefix, byte[] broadcast, int scope) {
        public boolean inet6() {
            return address.length == 16;
        }

        /** The IPv4 netmask of the prefix, in network order. */
        public byte[] netmask() {
            byte[] m = new byte[address.length];
            for (int i = 0; i < prefix; i++) {
                m[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
            return m;
        }
    }

    /**
     * One interface: index, name, the IFF_* flags (IFF_LOWER_UP included), MTU, ARPHRD_* type, the
     * hardware address and its broadcast (empty for none), transmit queue length, qdisc name, and
     * its addresses in the order Linux lists them (IPv4 as configured, IPv6 by scope: global first).
     */
    public record Link(int index, String name, int flags, int mtu, int type, byte[] hardware, byte[] hardwareBroadcast,
            int txqlen, String qdisc, List<Address> addresses) {
        public boolean up() {
            return (flags & IFF_UP) != 0;
        }

        /** rtnetlink's operstate: lo and interfaces without carrier detection say UNKNOWN, others UP or DOWN. */
        public int operstate() {
            if ((flags & IFF_LOOPBACK) != 0) {
                return IF_OPER_UNKNOWN;
            }
            return (flags & IFF_LOWER_UP) != 0 ? IF_OPER_UP : IF_OPER_DOWN;
        }
    }

    /** Takes a snapshot: the interfaces now, {@code lo} first, by index. */
    @FunctionalInterface
    public interface Source extends Supplier<List<Link>> {}

    /** Linux's loopback as a new network namespace has it once lo is up. */
    public static final Link LOOPBACK = new Link(1, "lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP, 65536,
            ARPHRD_LOOPBACK, new byte[6], new byte[6], 1000, "noqueue",
            List.of(new Address(new byte[] {127, 0, 0, 1}, 8, null, RT_SCOPE_HOST),
                    new Address(ipv6Loopback(), 128, null, RT_SCOPE_HOST)));

    private Interfaces() {}

    private static byte[] ipv6Loopback() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    /** Loopback alone. */
    public static Source loopbackOnly() {
        return () -> List.of(LOOPBACK);
    }

    /** {@code lo} and {@code others} (tests); others are kept in index order. */
    public static Source fixed(List<Link> others) {
        List<Link> all = new ArrayList<>(others);
        all.sort(Comparator.comparingInt(Link::index));
        all.addFirst(LOOPBACK);
        List<Link> snapshot = List.copyOf(all);
        return () -> snapshot;
    }

    /**
     * The host's interfaces through the JDK, its loopback as {@code lo}; loopback alone when the JDK
     * cannot list them. A snapshot serves for {@link #HOST_SNAPSHOT_NANOS}: the JDK asks the host
     * about each interface with a socket of its own (~0.4 ms in all here), and glibc's getaddrinfo
     * with AI_ADDRCONFIG dumps the addresses at every lookup.
     */
    public static Source host() {
        return () -> {
            Snapshot s = lastHostSnapshot;
            long now = System.nanoTime();
            if (s == null || now - s.taken() > HOST_SNAPSHOT_NANOS) {
                s = new Snapshot(now, hostSnapshot());
                lastHostSnapshot = s;
            }
            return s.links();
        };
    }

    /** How long a snapshot of the host's interfaces serves. */
    private static final long HOST_SNAPSHOT_NANOS = 1_000_000_000L;

    private record Snapshot(long taken, List<Link> links) {}

    private static volatile Snapshot lastHostSnapshot;

    private static List<Link> hostSnapshot() {
        List<NetworkInterface> found;
        try {
            var all = NetworkInterface.getNetworkInterfaces();
            found = all == null ? List.of() : java.util.Collections.list(all);
        } catch (SocketException e) {
            found = List.of();
        }
        List<Link> links = new ArrayList<>();
        links.add(LOOPBACK);
        int next = found.stream().mapToInt(NetworkInterface::getIndex).max().orElse(1) + 1;
        for (NetworkInterface n : found) {
            Link l;
            try {
                if (n.isLoopback()) {
                    continue;
                }
                // An index the host gives its non-loopback interface may be lo's on other hosts: renumber it.
                int index = n.getIndex() > 1 ? n.getIndex() : next++;
                l = fromHost(n, index);
            } catch (SocketException gone) {
                continue;
            }
            links.add(l);
        }
        links.sort(Comparator.comparingInt(Link::index));
        return List.copyOf(links);
    }

    /**
     * A host interface in Linux's terms. The JDK says up only when IFF_UP and IFF_RUNNING are both
     * set, so an interface that is up without a carrier shows as down; Ethernet-like ones (a 6-byte
     * hardware address, not point-to-point) broadcast and use ARP, others have no hardware address.
     */
    private static Link fromHost(NetworkInterface n, int index) throws SocketException {
        boolean up = n.isUp();
        boolean p2p = n.isPointToPoint();
        byte[] hw = n.getHardwareAddress();
        boolean ether = hw != null && hw.length == 6 && !p2p;
        int flags = 0;
        if (up) {
            flags |= IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
        }
        if (ether) {
            flags |= IFF_BROADCAST;
        } else {
            flags |= IFF_NOARP;
        }
        if (p2p) {
            flags |= IFF_POINTOPOINT;
        }
        if (n.supportsMulticast()) {
            flags |= IFF_MULTICAST;
        }
        byte[] hardware = ether ? hw : new byte[0];
        byte[] hwBroadcast = new byte[hardware.length];
        Arrays.fill(hwBroadcast, (byte) 0xff);
        List<Address> v4 = new ArrayList<>();
        List<Address> v6 = new ArrayList<>();
        for (InterfaceAddress ia : n.getInterfaceAddresses()) {
            InetAddress a = ia.getAddress();
            if (a instanceof Inet4Address) {
                byte[] brd = ia.getBroadcast() == null ? null : ia.getBroadcast().getAddress();
                v4.add(new Address(a.getAddress(), ia.getNetworkPrefixLength(), brd, scope4(a.getAddress())));
            } else if (a instanceof Inet6Address i6) {
                v6.add(new Address(i6.getAddress(), ia.getNetworkPrefixLength(), null, scope6(i6)));
            }
        }
        // Linux keeps an interface's IPv6 addresses ordered by scope, the widest first.
        v6.sort(Comparator.comparingInt(Address::scope));
        List<Address> addresses = new ArrayList<>(v4);
        addresses.addAll(v6);
        int mtu = n.getMTU();
        // Without a queue the JDK cannot see, an interface that is up has the kernel's default qdisc.
        return new Link(index, n.getName(), flags, mtu > 0 ? mtu : 1500, ether ? ARPHRD_ETHER : ARPHRD_NONE, hardware,
                hwBroadcast, ether ? 1000 : 500, up ? (ether ? "pfifo_fast" : "noqueue") : "noop",
                List.copyOf(addresses));
    }

    private static int scope4(byte[] a) {
        return (a[0] & 0xff) == 127 ? RT_SCOPE_HOST : (a[0] & 0xff) == 169 && (a[1] & 0xff) == 254 ? RT_SCOPE_LINK
                : RT_SCOPE_UNIVERSE;
    }

    private static int scope6(Inet6Address a) {
        if (a.isLoopbackAddress()) {
            return RT_SCOPE_HOST;
        }
        if (a.isLinkLocalAddress()) {
            return RT_SCOPE_LINK;
        }
        return a.isSiteLocalAddress() ? RT_SCOPE_SITE : RT_SCOPE_UNIVERSE;
    }

    /** One route, as the kernel adds them for an interface's addresses. */
    public record Route(int family, byte[] dst, int dstLen, int table, int scope, int type, byte[] prefsrc,
            int priority, int oif) {}

    /**
     * The routes Linux makes for the addresses of the interfaces that are up (fib_add_ifaddr,
     * addrconf): a local route per address, a broadcast route per IPv4 subnet, a prefix route
     * (lo's local), and for IPv6 the link's multicast route; main table first, then local, each by
     * destination. Routes the host added otherwise (its default route) are not known.
     */
    public static List<Route> routes(List<Link> links, int family) {
        List<Route> all = new ArrayList<>();
        for (Link l : links) {
            if (!l.up()) {
                continue;
            }
            boolean loopback = (l.flags() & IFF_LOOPBACK) != 0;
            for (Address a : l.addresses()) {
                if (a.inet6() != (family == AF_INET6)) {
                    continue;
                }
                if (!a.inet6()) {
                    all.add(new Route(AF_INET, a.address(), 32, RT_TABLE_LOCAL, RT_SCOPE_HOST, RTN_LOCAL, a.address(), 0,
                            l.index()));
                    if (a.prefix() < 32) {
                        byte[] net = masked(a.address(), a.prefix(), false);
                        all.add(new Route(AF_INET, net, a.prefix(), loopback ? RT_TABLE_LOCAL : RT_TABLE_MAIN,
                                loopback ? RT_SCOPE_HOST : RT_SCOPE_LINK, loopback ? RTN_LOCAL : RTN_UNICAST,
                                a.address(), 0, l.index()));
                    }
                    if (a.prefix() < 31) {
                        all.add(new Route(AF_INET, masked(a.address(), a.prefix(), true), 32, RT_TABLE_LOCAL,
                                RT_SCOPE_LINK, RTN_BROADCAST, a.address(), 0, l.index()));
                    }
                } else {
                    all.add(new Route(AF_INET6, a.address(), 128, RT_TABLE_LOCAL, RT_SCOPE_UNIVERSE, RTN_LOCAL, null, 0,
                            l.index()));
                    if (a.prefix() < 128 && !loopback) {
                        all.add(new Route(AF_INET6, masked(a.address(), a.prefix(), false), a.prefix(), RT_TABLE_MAIN,
                                RT_SCOPE_UNIVERSE, RTN_UNICAST, null, 256, l.index()));
                    }
                }
            }
            if (family == AF_INET6 && !loopback && (l.flags() & IFF_MULTICAST) != 0
                    && l.addresses().stream().anyMatch(Address::inet6)) {
                byte[] ff00 = new byte[16];
                ff00[0] = (byte) 0xff;
                all.add(new Route(AF_INET6, ff00, 8, RT_TABLE_LOCAL, RT_SCOPE_UNIVERSE, RTN_MULTICAST, null, 256,
                        l.index()));
            }
        }
        List<Route> unique = new ArrayList<>();
        for (Route r : all) {
            if (unique.stream().noneMatch(u -> u.table() == r.table() && u.dstLen() == r.dstLen()
                    && Arrays.equals(u.dst(), r.dst()) && u.type() == r.type())) {
                unique.add(r);
            }
        }
        unique.sort(Comparator.comparingInt(Route::table).thenComparing(Route::dst, Arrays::compareUnsigned)
                .thenComparingInt(Route::dstLen));
        return unique;
    }

    private static byte[] masked(byte[] address, int prefix, boolean broadcast) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            out[bit / 8] = (byte) (broadcast ? out[bit / 8] | mask : out[bit / 8] & ~mask);
        }
        return out;
    }

    /** The interface named {@code name} in {@code links}, or null. */
    public static Link byName(List<Link> links, String name) {
        for (Link l : links) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /** The interface with {@code index} in {@code links}, or null. */
    public static Link byIndex(List<Link> links, int index) {
        for (Link l : links) {
            if (l.index() == index) {
                return l;
            }
        }
        return null;
    }
}
