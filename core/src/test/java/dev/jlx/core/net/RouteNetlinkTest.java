package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.abi.Socket.AF_INET;
import static dev.jlx.abi.Socket.AF_INET6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NETLINK_ROUTE's answers for interfaces besides lo, which the integration tests (a namespace with lo
 * alone) cannot show: dumps over several links and addresses, datagrams cut at the room Linux gives,
 * the routes Linux makes for an Ethernet subnet. The layouts are those Linux 6.x sends (checked
 * against the host's eth0 with strace).
 */
class RouteNetlinkTest {
    private static final byte[] MAC = HexFormat.of().parseHex("02fc00000001");
    private static final Interfaces.Link ETH0 = new Interfaces.Link(4, "eth0",
            IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP, 1400, ARPHRD_ETHER, MAC,
            HexFormat.of().parseHex("ffffffffffff"), 1000, "pfifo_fast",
            List.of(new Interfaces.Address(new byte[] {(byte) 192, 0, 2, 2}, 24, new byte[] {(byte) 192, 0, 2, (byte) 255},
                            RT_SCOPE_UNIVERSE),
                    new Interfaces.Address(HexFormat.of().parseHex("fd000000000000000000000000000002"), 64, null,
                            RT_SCOPE_UNIVERSE),
                    new Interfaces.Address(HexFormat.of().parseHex("fe8000000000000000fc00fffe000001"), 64, null,
                            RT_SCOPE_LINK)));
    private static final List<Interfaces.Link> LINKS = Interfaces.fixed(List.of(ETH0)).get();
    private static final NetlinkKernel.Options PLAIN = new NetlinkKernel.Options(false, false, false, 0);

    /** What the kernel side sent: datagrams at once, and each dump's datagrams at the room given. */
    private static final class Collected implements NetlinkKernel.Sink {
        final List<byte[]> datagrams = new ArrayList<>();
        final int room;

        Collected(int room) {
            this.room = room;
        }

        @Override
        public void unicast(byte[] datagram) {
            datagrams.add(datagram);
        }

        @Override
        public int startDump(NetlinkKernel.Dump dump) {
            while (!dump.finished()) {
                datagrams.add(dump.nextDatagram(room));
            }
            return 0;
        }
    }

    private static byte[] request(int type, int flags, byte... body) {
        ByteBuffer b = ByteBuffer.allocate(NLMSG_HDRLEN + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(NLMSG_HDRLEN + body.length).putShort((short) type).putShort((short) flags).putInt(7).putInt(0).put(body);
        return b.array();
    }

    private static Collected send(byte[] request, int room) {
        Collected c = new Collected(room);
        RouteNetlink.receive(request, 1234, PLAIN, LINKS, c);
        return c;
    }

    /** The messages of a datagram: [type, flags, and for RTM_NEWADDR the family and index]. */
    private static List<String> messages(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        for (int at = 0; at < datagram.length;) {
            int len = b.getInt(at);
            int type = b.getShort(at + 4);
            assertEquals(7, b.getInt(at + 8), "seq echoed");
            assertEquals(1234, b.getInt(at + 12), "the requester's port id");
            String m = switch (type) {
                case RTM_NEWLINK -> "link " + b.getInt(at + 20);
                case RTM_NEWADDR -> "addr " + b.get(at + 16) + "/" + b.getInt(at + 20);
                case RTM_NEWROUTE -> "route " + b.get(at + 16) + " table " + (b.get(at + 20) & 0xff) + " type "
                        + b.get(at + 23);
                case NLMSG_DONE -> "done " + b.getInt(at + 16);
                default -> "type " + type;
            };
            out.add(m);
            at += (len + 3) & ~3;
        }
        return out;
    }

    @Test
    void linkDumpGivesEveryLinkThenDoneInADatagramOfItsOwn() {
        Collected c = send(request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, (byte) 0), 3776);
        assertEquals(2, c.datagrams.size());
        assertEquals(List.of("link 1", "link 4"), messages(c.datagrams.get(0)));
        assertEquals(List.of("done 0"), messages(c.datagrams.get(1)));
    }

    @Test
    void aDumpIsCutWhereTheNextMessageWouldNotFit() {
        int one = messages(send(request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, (byte) 0), 3776).datagrams.get(0))
                .size();
        assertEquals(2, one);
        Collected c = send(request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, (byte) 0), 100);
        assertEquals(List.of("link 1"), messages(c.datagrams.get(0)));
        assertEquals(List.of("link 4"), messages(c.datagrams.get(1)));
        assertEquals(List.of("done 0"), messages(c.datagrams.get(2)));
    }

    @Test
    void addressDumpsListIpv4ThenIpv6ByLink() {
        Collected all = send(request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, (byte) 0), 3776);
        assertEquals(List.of("addr 2/1", "addr 2/4", "addr 10/1", "addr 10/4", "addr 10/4"),
                messages(all.datagrams.get(0)));
        assertEquals(List.of("done 0"), messages(all.datagrams.get(1)));
        // inet6's own dump ends in the same datagram.
        Collected six = send(request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, (byte) AF_INET6), 3776);
        assertEquals(List.of(List.of("addr 10/1", "addr 10/4", "addr 10/4", "done 0")),
                six.datagrams.stream().map(RouteNetlinkTest::messages).toList());
    }

    @Test
    void theRoutesOfAnEthernetSubnet() {
        List<String> v4 = messages(send(request(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, (byte) AF_INET), 3776)
                .datagrams.get(0));
        // main: 192.0.2.0/24; local: lo's /8, 127.0.0.1, its broadcast, then eth0's address and broadcast.
        assertEquals(List.of("route 2 table 254 type 1", "route 2 table 255 type 2", "route 2 table 255 type 2",
                "route 2 table 255 type 3", "route 2 table 255 type 2", "route 2 table 255 type 3"), v4);
        List<Interfaces.Route> six = Interfaces.routes(LINKS, AF_INET6);
        assertEquals(List.of("254 fd00:0:0:0:0:0:0:0/64", "254 fe80:0:0:0:0:0:0:0/64", "255 0:0:0:0:0:0:0:1/128",
                "255 fd00:0:0:0:0:0:0:2/128", "255 fe80:0:0:0:fc:ff:fe00:1/128", "255 ff00:0:0:0:0:0:0:0/8"),
                six.stream().map(r -> r.table() + " " + v6(r.dst()) + "/" + r.dstLen()).toList());
    }

    private static String v6(byte[] a) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            b.append(i > 0 ? ":" : "").append(Integer.toHexString((a[i] & 0xff) << 8 | (a[i + 1] & 0xff)));
        }
        return b.toString();
    }

    @Test
    void oneLinkByNameWithItsAttributes() {
        byte[] body = ByteBuffer.allocate(IFINFOMSG_SIZE + 12).order(ByteOrder.LITTLE_ENDIAN).putInt(IFINFOMSG_SIZE,
                (IFLA_IFNAME << 16) | 9).put(IFINFOMSG_SIZE + 4, "eth0".getBytes()).array();
        Collected c = send(request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, body), 3776);
        assertEquals(2, c.datagrams.size());
        ByteBuffer b = ByteBuffer.wrap(c.datagrams.get(0)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(RTM_NEWLINK, b.getShort(4));
        assertEquals(0, b.getShort(6), "a reply that is not part of a dump");
        assertEquals(ARPHRD_ETHER, b.getShort(18));
        assertEquals(4, b.getInt(20));
        byte[] address = null;
        for (int at = NLMSG_HDRLEN + IFINFOMSG_SIZE; at < b.capacity(); at += (b.getShort(at) + 3) & ~3) {
            if (b.getShort(at + 2) == IFLA_ADDRESS) {
                address = new byte[b.getShort(at) - 4];
                b.get(at + 4, address);
            }
        }
        assertArrayEquals(MAC, address);
        ByteBuffer ack = ByteBuffer.wrap(c.datagrams.get(1)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(NLMSG_ERROR, ack.getShort(4));
        assertEquals(NLM_F_CAPPED, ack.getShort(6));
        assertEquals(0, ack.getInt(16));
        assertEquals(36, ack.getInt(0));
    }

    @Test
    void changesArePermissionDenied() {
        Collected c = send(request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, new byte[IFINFOMSG_SIZE]), 3776);
        ByteBuffer err = ByteBuffer.wrap(c.datagrams.getFirst()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(NLMSG_ERROR, err.getShort(4));
        assertEquals(-1, err.getInt(16), "EPERM");
        assertTrue(err.getInt(0) > 36, "an error carries the request");
    }
}
