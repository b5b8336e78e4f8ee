package dev.jlx.core.net;

import static dev.jlx.abi.Netlink.*;
import static dev.jlx.core.net.NetlinkKernel.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernel's side of NETLINK_SOCK_DIAG (Linux's sock_diag.c with inet_diag.c, unix/diag.c and
 * netlink/diag.c): SOCK_DIAG_BY_FAMILY dumps and lookups of the guest's own sockets (TCP and UDP as
 * {@link InetSockets} describes them, AF_UNIX, netlink), and the old TCPDIAG_GETSOCK form (DCCP's
 * is gone, as from Linux 6.16). The
 * sockets' cookies are their inode numbers. Not done: inet_diag's bytecode filters (a request with
 * one is answered unfiltered) and its extensions (idiag_ext: tcp_info, memory); SOCK_DESTROY.
 */
final class SockDiag {
    private SockDiag() {}

    /** The sockets a request may list, described before the netlink lock is taken. */
    record Sockets(List<InetSockets.Diag> inet, List<Unix> unix) {}

    /** An AF_UNIX socket as unix_diag tells it: its name (sun_path's bytes) and the node bound, if any. */
    record Unix(int type, int state, long inode, byte[] name, UnixPaths.NodeKey node, boolean hasPeer, long peerInode,
            int pending, int rqueue, int wqueue, int uid, int shutdown) {}

    private static final int TCPDIAG_GETSOCK = 18;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int SOCK_DESTROY = 21;
    private static final int AF_MAX = 46;
    private static final int INET_DIAG_REQ_V2_SIZE = 56;
    private static final int INET_DIAG_REQ_SIZE = 60;
    private static final int UNIX_DIAG_REQ_SIZE = 24;
    private static final int NETLINK_DIAG_REQ_SIZE = 20;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int TCP_LISTEN = 10;
    private static final int INET_DIAG_SHUTDOWN = 8;
    private static final int INET_DIAG_SKV6ONLY = 11;
    private static final int INET_DIAG_SOCKOPT = 22;
    private static final int NDIAG_PROTO_ALL = 255;

    /** sock_diag_rcv: netlink_rcv_skb with sock_diag_rcv_msg. */
    static void receive(byte[] buffer, int portid, Options options, Sockets sockets, List<NetlinkSocket> netlinks,
            Sink sink) {
        NetlinkKernel.receive(buffer, portid, options, sink, (r, s) -> message(r, sockets, netlinks, s));
    }

    /** sock_diag_rcv_msg and __sock_diag_cmd: the request's length, the family, its handler. */
    private static int message(Request r, Sockets sockets, List<NetlinkSocket> netlinks, Sink sink) {
        switch (r.type) {
            case TCPDIAG_GETSOCK -> {
                if (r.payload() < INET_DIAG_REQ_SIZE) {
                    return -Errno.EINVAL.number();
                }
                return inet(r, r.u8(0), IPPROTO_TCP, r.i32(52), sockets.inet(), sink);
            }
            case SOCK_DIAG_BY_FAMILY, SOCK_DESTROY -> {
                if (r.payload() < 2) {
                    return -Errno.EINVAL.number();
                }
                int family = r.u8(0);
                if (family >= AF_MAX) {
                    return -Errno.EINVAL.number();
                }
                boolean known = family == Socket.AF_INET || family == Socket.AF_INET6 || family == Socket.AF_UNIX
                        || family == Socket.AF_NETLINK;
                if (!known) {
                    return -Errno.ENOENT.number();
                }
                if (r.type == SOCK_DESTROY) {
                    // Only inet has a destroy, and it takes CAP_NET_ADMIN; jlx closes no socket for another.
                    boolean inet = family == Socket.AF_INET || family == Socket.AF_INET6;
                    return -(inet && !r.options.privileged() ? Errno.EPERM : Errno.EOPNOTSUPP).number();
                }
                return switch (family) {
                    case Socket.AF_UNIX -> unix(r, sockets.unix(), sink);
                    case Socket.AF_NETLINK -> netlink(r, netlinks, sink);
                    default -> {
                        if (r.payload() < INET_DIAG_REQ_V2_SIZE) {
                            yield -Errno.EINVAL.number();
                        }
                        yield inet(r, family, r.u8(1), r.i32(4), sockets.inet(), sink);
                    }
                };
            }
            default -> {
                return -Errno.EINVAL.number();
            }
        }
    }

    // ---- inet_diag ----

    /**
     * inet_diag_handler_cmd (and the compat form): a dump of the family's sockets of the protocol
     * in {@code states}, or the one socket the request's ends name (ENOENT when none).
     */
    private static int inet(Request r, int family, int protocol, int states, List<InetSockets.Diag> all, Sink sink) {
        boolean v2 = r.type == SOCK_DIAG_BY_FAMILY;
        int id = v2 ? 8 : 4;
        boolean handled = protocol == IPPROTO_TCP || protocol == IPPROTO_UDP || protocol == 136 || protocol == 255;
        if ((r.flags & NLM_F_DUMP) != 0 && (v2 || (r.flags & NLM_F_DUMP) == NLM_F_DUMP)) {
            // A protocol without a handler fails the dump's start: its NLMSG_DONE carries the error.
            if (!handled) {
                return startDump(sink, new Dump(List.of(), done(r, -Errno.ENOENT.number(), 0), false));
            }
            List<byte[]> messages = new ArrayList<>();
            for (InetSockets.Diag d : all) {
                if (d.family() == family && d.protocol() == protocol && (states >>> d.state() & 1) != 0) {
                    messages.add(inetMessage(r, d, NLM_F_MULTI));
                }
            }
            return startDump(sink, new Dump(messages, done(r, 0, 0), false));
        }
        if (!handled) {
            return -Errno.ENOENT.number();
        }
        if (family != Socket.AF_INET && family != Socket.AF_INET6) {
            return -Errno.EINVAL.number();
        }
        int sport = Short.toUnsignedInt(Short.reverseBytes(r.b.getShort(NLMSG_HDRLEN + id)));
        int dport = Short.toUnsignedInt(Short.reverseBytes(r.b.getShort(NLMSG_HDRLEN + id + 2)));
        int alen = family == Socket.AF_INET ? 4 : 16;
        byte[] src = Arrays.copyOfRange(r.bytes, NLMSG_HDRLEN + id + 4, NLMSG_HDRLEN + id + 4 + alen);
        byte[] dst = Arrays.copyOfRange(r.bytes, NLMSG_HDRLEN + id + 20, NLMSG_HDRLEN + id + 20 + alen);
        InetSockets.Diag found = null;
        for (InetSockets.Diag d : all) {
            if (d.family() != family || d.protocol() != protocol || d.local().port() != sport) {
                continue;
            }
            boolean localMatch = Arrays.equals(d.local().address(), src) || isAny(d.local().address());
            if (d.peer() != null && localMatch && d.peer().port() == dport && Arrays.equals(d.peer().address(), dst)) {
                found = d;
                break;
            }
            if (d.peer() == null && localMatch && found == null) {
                found = d;
            }
        }
        if (found == null) {
            return -Errno.ENOENT.number();
        }
        int cookieLo = r.i32(id + 40);
        int cookieHi = r.i32(id + 44);
        if ((cookieLo != -1 || cookieHi != -1) && (cookieLo != (int) found.inode() || cookieHi != 0)) {
            return -Errno.ESTALE.number();
        }
        sink.unicast(inetMessage(r, found, 0));
        return 0;
    }

    private static boolean isAny(byte[] a) {
        for (byte b : a) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** inet_sk_diag_fill: the inet_diag_msg, then the attributes every socket gets (no extensions). */
    private static byte[] inetMessage(Request r, InetSockets.Diag d, int flags) {
        Message m = new Message(r.type == SOCK_DIAG_BY_FAMILY ? SOCK_DIAG_BY_FAMILY : r.type, flags, r.seq, r.portid);
        m.u8(d.family()).u8(d.state()).u8(0).u8(0);
        m.u16(Short.toUnsignedInt(Short.reverseBytes((short) d.local().port())));
        m.u16(d.peer() == null ? 0 : Short.toUnsignedInt(Short.reverseBytes((short) d.peer().port())));
        m.raw(Arrays.copyOf(d.local().address(), 16));
        m.raw(d.peer() == null ? new byte[16] : Arrays.copyOf(d.peer().address(), 16));
        m.i32(0).i32((int) d.inode()).i32(0);
        m.i32(0).i32(d.rqueue()).i32(d.wqueue()).i32(d.uid()).i32((int) d.inode());
        m.u8(INET_DIAG_SHUTDOWN, 0);
        if (d.family() == Socket.AF_INET6 && d.state() == TCP_LISTEN) {
            m.u8(INET_DIAG_SKV6ONLY, 0);
        }
        m.bytes(INET_DIAG_SOCKOPT, new byte[2]);
        return m.end();
    }

    // ---- unix_diag ----

    private static final int UDIAG_SHOW_NAME = 0x1;
    private static final int UDIAG_SHOW_VFS = 0x2;
    private static final int UDIAG_SHOW_PEER = 0x4;
    private static final int UDIAG_SHOW_ICONS = 0x8;
    private static final int UDIAG_SHOW_RQLEN = 0x10;
    private static final int UDIAG_SHOW_MEMINFO = 0x20;
    private static final int UDIAG_SHOW_UID = 0x40;

    /** unix_diag_handler_dump: a dump of the sockets in udiag_states, or the one of inode udiag_ino. */
    private static int unix(Request r, List<Unix> all, Sink sink) {
        if (r.payload() < UNIX_DIAG_REQ_SIZE) {
            return -Errno.EINVAL.number();
        }
        int states = r.i32(4);
        int show = r.i32(12);
        if ((r.flags & NLM_F_DUMP) != 0) {
            List<byte[]> messages = new ArrayList<>();
            for (Unix u : all) {
                if ((states >>> u.state() & 1) != 0) {
                    messages.add(unixMessage(r, u, show, NLM_F_MULTI));
                }
            }
            return startDump(sink, new Dump(messages, done(r, 0, 0), false));
        }
        long ino = Integer.toUnsignedLong(r.i32(8));
        if (ino == 0) {
            return -Errno.EINVAL.number();
        }
        for (Unix u : all) {
            if (u.inode() == ino) {
                int cookieLo = r.i32(16);
                int cookieHi = r.i32(20);
                if ((cookieLo != -1 || cookieHi != -1) && (cookieLo != (int) ino || cookieHi != 0)) {
                    return -Errno.ESTALE.number();
                }
                sink.unicast(unixMessage(r, u, show, 0));
                return 0;
            }
        }
        return -Errno.ENOENT.number();
    }

    /** sk_diag_fill: the unix_diag_msg, then what udiag_show asks for, in Linux's order. */
    private static byte[] unixMessage(Request r, Unix u, int show, int flags) {
        Message m = new Message(SOCK_DIAG_BY_FAMILY, flags, r.seq, r.portid);
        m.u8(Socket.AF_UNIX).u8(u.type()).u8(u.state()).u8(0).i32((int) u.inode()).i32((int) u.inode()).i32(0);
        if ((show & UDIAG_SHOW_NAME) != 0 && u.name() != null) {
            m.bytes(0, u.name());
        }
        if ((show & UDIAG_SHOW_VFS) != 0 && u.node() != null) {
            m.bytes(1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) u.node().ino())
                    .putInt(kernelDev(u.node().dev())).array());
        }
        if ((show & UDIAG_SHOW_PEER) != 0 && u.hasPeer()) {
            m.u32(2, (int) u.peerInode());
        }
        if ((show & UDIAG_SHOW_ICONS) != 0 && u.state() == TCP_LISTEN) {
            m.bytes(3, new byte[4 * u.pending()]);
        }
        if ((show & UDIAG_SHOW_RQLEN) != 0) {
            m.bytes(4, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(u.rqueue()).putInt(u.wqueue())
                    .array());
        }
        if ((show & UDIAG_SHOW_MEMINFO) != 0) {
            m.bytes(5, new byte[36]);
        }
        m.u8(6, u.shutdown());
        if ((show & UDIAG_SHOW_UID) != 0) {
            m.u32(7, u.uid());
        }
        return m.end();
    }

    /** A device number as the kernel keeps it inside (new_encode_dev's inverse: MKDEV's 20-bit minor). */
    private static int kernelDev(long dev) {
        int major = (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfff));
        int minor = (int) ((dev & 0xff) | ((dev >>> 12) & ~0xff));
        return major << 20 | minor;
    }

    // ---- netlink_diag ----

    /** netlink_diag_handler_dump: dumps only (EOPNOTSUPP otherwise), of one protocol or all. */
    private static int netlink(Request r, List<NetlinkSocket> all, Sink sink) {
        if (r.payload() < NETLINK_DIAG_REQ_SIZE) {
            return -Errno.EINVAL.number();
        }
        if ((r.flags & NLM_F_DUMP) == 0) {
            return -Errno.EOPNOTSUPP.number();
        }
        int protocol = r.u8(1);
        List<byte[]> messages = new ArrayList<>();
        for (NetlinkSocket s : all) {
            if (protocol == NDIAG_PROTO_ALL || s.protocolNumber() == protocol) {
                Message m = new Message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, r.seq, r.portid);
                s.diag(m);
                messages.add(m.end());
            }
        }
        return startDump(sink, new Dump(messages, done(r, 0, 0), false));
    }
}
