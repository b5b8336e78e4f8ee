package dev.jlx.core.syscall;

import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Inet;
import dev.jlx.abi.Netlink;
import dev.jlx.abi.Socket;
import dev.jlx.abi.struct.Cmsghdr;
import dev.jlx.abi.struct.Iovec;
import dev.jlx.abi.struct.Linger;
import dev.jlx.abi.struct.Msghdr;
import dev.jlx.abi.struct.Ucred;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.net.NetlinkSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * How {@code --trace} spells the socket calls' arguments, as strace does: sockaddrs
 * ({@code {sa_family=AF_UNIX, sun_path="/tmp/s"}}, {@code sun_path=@"abstract"},
 * {@code {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}}), value-result
 * lengths ({@code [110 => 8]}), msghdrs with their iovecs and control messages (SCM_RIGHTS,
 * SCM_CREDENTIALS decoded; the others' types named), option levels, names and values, MSG_* flags.
 */
final class SocketTrace {
    private static final Map<Long, String> MSG = Tracer.Names.of(Socket.class, "MSG_");
    private static final Map<Long, String> SO = Tracer.Names.of(Socket.class, "SO_");
    private static final Map<Long, String> IP = Tracer.Names.of(Inet.class, "IP_");
    private static final Map<Long, String> TCP = Tracer.Names.of(Inet.class, "TCP_");
    private static final Map<Long, String> UDP = Tracer.Names.of(Inet.class, "UDP_");
    private static final Map<Long, String> IPV6 = Tracer.Names.of(Inet.class, "IPV6_");
    private static final Map<Long, String> IPPROTO = Tracer.Names.of(Inet.class, "IPPROTO_");
    private static final Map<Long, String> TYPE_FLAGS = Map.of((long) SOCK_CLOEXEC, "SOCK_CLOEXEC",
            (long) SOCK_NONBLOCK, "SOCK_NONBLOCK");
    private static final Map<Long, String> LEVELS = Map.of(0L, "SOL_IP", (long) SOL_SOCKET, "SOL_SOCKET", 6L,
            "SOL_TCP", 17L, "SOL_UDP", 41L, "SOL_IPV6", (long) Netlink.SOL_NETLINK, "SOL_NETLINK");
    private static final Map<Long, String> NETLINK_OPTIONS = Map.of((long) Netlink.NETLINK_ADD_MEMBERSHIP,
            "NETLINK_ADD_MEMBERSHIP", (long) Netlink.NETLINK_DROP_MEMBERSHIP, "NETLINK_DROP_MEMBERSHIP",
            (long) Netlink.NETLINK_PKTINFO, "NETLINK_PKTINFO", (long) Netlink.NETLINK_BROADCAST_ERROR,
            "NETLINK_BROADCAST_ERROR", (long) Netlink.NETLINK_NO_ENOBUFS, "NETLINK_NO_ENOBUFS",
            (long) Netlink.NETLINK_LISTEN_ALL_NSID, "NETLINK_LISTEN_ALL_NSID", (long) Netlink.NETLINK_LIST_MEMBERSHIPS,
            "NETLINK_LIST_MEMBERSHIPS", (long) Netlink.NETLINK_CAP_ACK, "NETLINK_CAP_ACK", (long) Netlink.NETLINK_EXT_ACK,
            "NETLINK_EXT_ACK", (long) Netlink.NETLINK_GET_STRICT_CHK, "NETLINK_GET_STRICT_CHK");
    private static final Map<Long, String> SHUT = Map.of((long) SHUT_RD, "SHUT_RD", (long) SHUT_WR, "SHUT_WR",
            (long) SHUT_RDWR, "SHUT_RDWR");

    private SocketTrace() {}

    /** Records the value-result lengths (a sockaddr's or an option's) before the call changes them. */
    static void enter(ArgFormat[] formats, long[] regs, int[] before, GuestMemory mem) {
        for (int i = 0; i < formats.length; i++) {
            if (formats[i] == ArgFormat.SOCKLEN_OUT) {
                try {
                    before[i] = regs[1 + i] == 0 ? 0 : mem.readInt(regs[1 + i]);
                } catch (ErrnoException e) {
                    before[i] = -1;
                }
            }
        }
    }

    /** Appends argument {@code i} if its format is a socket one; false for any other format. */
    static boolean format(StringBuilder b, ArgFormat f, long[] args, int i, int[] before, long result,
            GuestMemory mem) {
        long v = args[i];
        long next = i + 1 < args.length ? args[i + 1] : 0;
        switch (f) {
            case SOCK_FAMILY -> {
                String n = familyName((int) v);
                b.append(n != null ? n : Integer.toString((int) v));
            }
            case SOCK_TYPE -> {
                int type = (int) v & SOCK_TYPE_MASK;
                String n = type == 0 ? null : typeName(type);
                StringBuilder flags = new StringBuilder();
                Tracer.flagsOrZero(flags, v & ~SOCK_TYPE_MASK, TYPE_FLAGS, "");
                if (n == null && type != 0) {
                    n = Integer.toString(type);
                }
                b.append(n == null ? (flags.isEmpty() ? "0" : flags) : flags.isEmpty() ? n : n + "|" + flags);
            }
            case SOCK_PROTOCOL -> {
                int family = (int) args[i - 2];
                String n = family == AF_NETLINK ? Netlink.protocolName((int) v)
                        : family == AF_INET || family == AF_INET6 ? IPPROTO.get(v & 0xffffffffL) : null;
                b.append(n != null ? n : Integer.toString((int) v));
            }
            case SOCK_FLAGS -> Tracer.flagsOrZero(b, v & 0xffffffffL, TYPE_FLAGS, "0");
            case MSG_FLAGS -> Tracer.flagsOrZero(b, v & 0xffffffffL, MSG, "0");
            case SHUT_HOW -> b.append(Tracer.named(SHUT, v));
            case SOCKOPT_LEVEL -> b.append(Tracer.named(LEVELS, (int) v));
            case SOCKOPT_NAME -> {
                Map<Long, String> names = switch ((int) args[i - 1]) {
                    case SOL_SOCKET -> SO;
                    case Inet.SOL_IP -> IP;
                    case Inet.SOL_TCP -> TCP;
                    case Inet.SOL_UDP -> UDP;
                    case Inet.SOL_IPV6 -> IPV6;
                    case Netlink.SOL_NETLINK -> NETLINK_OPTIONS;
                    default -> Map.of();
                };
                b.append(Tracer.named(names, (int) v));
            }
            case SOCKADDR_IN -> sockaddr(b, mem, v, (int) next);
            case SOCKADDR_OUT -> {
                if (v == 0) {
                    b.append("NULL");
                    return true;
                }
                if (result < 0) {
                    b.append("0x").append(Long.toHexString(v));
                    return true;
                }
                int len = readInt(mem, next);
                sockaddr(b, mem, v, Math.min(len, before[i + 1]));
            }
            case FD_PAIR -> {
                if (result < 0) {
                    b.append("0x").append(Long.toHexString(v));
                } else {
                    b.append('[').append(readInt(mem, v)).append(", ").append(readInt(mem, v + 4)).append(']');
                }
            }
            case SOCKOPT_IN -> option(b, mem, args[i - 2], args[i - 1], v, (int) next);
            case SOCKOPT_OUT -> {
                if (result < 0) {
                    b.append("0x").append(Long.toHexString(v));
                } else {
                    option(b, mem, args[i - 2], args[i - 1], v, readInt(mem, next));
                }
            }
            case BUF_IN, BUF_OUT -> {
                // A netlink socket's data is netlink messages (the fd is the first argument of every such call).
                int protocol = netlinkProtocol((int) args[0]);
                if (protocol < 0 || (f == ArgFormat.BUF_OUT && result < 0)) {
                    return false;
                }
                messages(b, mem, v, f == ArgFormat.BUF_IN ? next : Math.min(result, next), protocol);
            }
            case MSGHDR_IN -> msghdr(b, mem, v, -1, netlinkProtocol((int) args[0]));
            case MSGHDR_OUT -> {
                if (result < 0) {
                    b.append("0x").append(Long.toHexString(v));
                } else {
                    msghdr(b, mem, v, result, netlinkProtocol((int) args[0]));
                }
            }
            case SOCKLEN_OUT -> {
                if (v == 0) {
                    b.append("NULL");
                    return true;
                }
                int now = readInt(mem, v);
                b.append('[').append(before[i]);
                if (result >= 0 && now != before[i]) {
                    b.append(" => ").append(now);
                }
                b.append(']');
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static int readInt(GuestMemory mem, long address) {
        try {
            return mem.readInt(address);
        } catch (ErrnoException e) {
            return 0;
        }
    }

    /** strace's sockaddr: the family, then the family's fields; the address when it cannot be read. */
    static void sockaddr(StringBuilder b, GuestMemory mem, long address, int len) {
        if (address == 0) {
            b.append("NULL");
            return;
        }
        if (len <= 0) {
            b.append(len == 0 ? "{}" : "0x" + Long.toHexString(address));
            return;
        }
        byte[] a;
        try {
            a = mem.read(address, Math.min(len, SOCKADDR_STORAGE_SIZE));
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
            return;
        }
        if (a.length < 2) {
            b.append("{sa_family=???}");
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        int family = buf.getShort(0) & 0xffff;
        String name = familyName(family);
        b.append("{sa_family=").append(name != null ? name : Integer.toString(family));
        if (family == AF_UNIX) {
            if (a.length > 2) {
                b.append(", sun_path=");
                if (a[2] == 0) {
                    b.append('@');
                    quote(b, a, 3, a.length);
                } else {
                    int end = 2;
                    while (end < a.length && a[end] != 0) {
                        end++;
                    }
                    quote(b, a, 2, end);
                }
            }
        } else if (family == AF_INET && a.length >= 16) {
            b.append(", sin_port=htons(").append(port(a, 2)).append("), sin_addr=inet_addr(\"")
                    .append(a[4] & 0xff).append('.').append(a[5] & 0xff).append('.').append(a[6] & 0xff).append('.')
                    .append(a[7] & 0xff).append("\")");
        } else if (family == AF_INET6 && a.length >= 24) {
            ByteBuffer be = ByteBuffer.wrap(a).order(ByteOrder.BIG_ENDIAN);
            b.append(", sin6_port=htons(").append(port(a, 2)).append("), sin6_flowinfo=htonl(")
                    .append(Integer.toUnsignedString(be.getInt(4))).append("), inet_pton(AF_INET6, \"")
                    .append(inet6(a, 8)).append("\", &sin6_addr)");
            if (a.length >= 28) {
                b.append(", sin6_scope_id=").append(Integer.toUnsignedString(buf.getInt(24)));
            }
        } else if (family == AF_NETLINK && a.length >= Netlink.SOCKADDR_NL_SIZE) {
            b.append(", nl_pid=").append(Integer.toUnsignedString(buf.getInt(4))).append(", nl_groups=")
                    .append(String.format("%08x", buf.getInt(8)));
        } else if (a.length > 2) {
            b.append(", sa_data=");
            quote(b, a, 2, a.length);
        }
        b.append('}');
    }

    private static int port(byte[] a, int at) {
        return (a[at] & 0xff) << 8 | (a[at + 1] & 0xff);
    }

    /** inet_ntop's spelling of an IPv6 address: the longest run of two or more zero groups as "::". */
    private static String inet6(byte[] a, int at) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[at + 2 * i] & 0xff) << 8 | (a[at + 2 * i + 1] & 0xff);
        }
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (a[at + 12] & 0xff) + "." + (a[at + 13] & 0xff) + "." + (a[at + 14] & 0xff) + "."
                    + (a[at + 15] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** Bytes [from, to) of {@code a} quoted as strace quotes a string, cut at its limit. */
    private static void quote(StringBuilder b, byte[] a, int from, int to) {
        int end = Math.min(to, from + Tracer.STRING_LIMIT);
        Tracer.quote(b, a, from, end, to > end);
    }

    /** An option's value as strace shows it: an int in brackets, a linger, a ucred or a timeval. */
    private static void option(StringBuilder b, GuestMemory mem, long level, long name, long address, int len) {
        if (address == 0) {
            b.append("NULL");
            return;
        }
        try {
            if (level == SOL_SOCKET && name == SO_LINGER && len >= Linger.SIZE) {
                Linger l = Linger.readFrom(mem.readStruct(address, Linger.SIZE), 0);
                b.append("{l_onoff=").append(l.onoff()).append(", l_linger=").append(l.linger()).append('}');
            } else if (level == SOL_SOCKET && name == SO_PEERCRED && len >= Ucred.SIZE) {
                ucred(b, Ucred.readFrom(mem.readStruct(address, Ucred.SIZE), 0));
            } else if (level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD
                    || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW) && len >= 16) {
                ByteBuffer t = mem.readStruct(address, 16);
                b.append("{tv_sec=").append(t.getLong(0)).append(", tv_usec=").append(t.getLong(8)).append('}');
            } else if (len == 4) {
                b.append('[').append(mem.readInt(address)).append(']');
            } else {
                Tracer.string(b, address, len, mem);
            }
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
        }
    }

    private static void ucred(StringBuilder b, Ucred c) {
        b.append("{pid=").append(c.pid()).append(", uid=").append(Integer.toUnsignedString(c.uid())).append(", gid=")
                .append(Integer.toUnsignedString(c.gid())).append('}');
    }

    /**
     * A msghdr: its name, iovecs (for a receive, the bytes it got: {@code received} in all) and
     * control messages, as strace prints them.
     */
    /** The netlink protocol of the caller's descriptor {@code fd}, -1 when it is no netlink socket. */
    private static int netlinkProtocol(int fd) {
        GuestThread t = Kernel.caller();
        try {
            return t != null && t.process().fds().peek(fd) instanceof NetlinkSocket s ? s.protocol() : -1;
        } catch (ErrnoException closed) {
            return -1;
        }
    }

    private static final Map<Long, String> NLMSG = Map.of(1L, "NLMSG_NOOP", 2L, "NLMSG_ERROR", 3L, "NLMSG_DONE",
            4L, "NLMSG_OVERRUN");
    private static final Map<Long, String> RTM = Tracer.Names.of(Netlink.class, "RTM_", "RTM_BASE", "RTM_MAX");
    private static final Map<Long, String> NLM_F = Map.of(1L, "NLM_F_REQUEST", 2L, "NLM_F_MULTI", 4L, "NLM_F_ACK",
            8L, "NLM_F_ECHO", 0x10L, "NLM_F_DUMP_INTR", 0x20L, "NLM_F_DUMP_FILTERED");
    private static final int NETLINK_ROUTE = 0;
    private static final int NETLINK_SOCK_DIAG = 4;
    /** SOCK_DIAG_BY_FAMILY and SOCK_DESTROY. */
    private static final Map<Long, String> SOCK_DIAG = Map.of(20L, "SOCK_DIAG_BY_FAMILY", 21L, "SOCK_DESTROY");

    /**
     * {@code length} bytes of netlink messages as strace shows them: each header decoded
     * ({@code {nlmsg_len=20, nlmsg_type=RTM_GETLINK, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, ...}}),
     * its payload quoted; a list in brackets when there are several.
     */
    private static void messages(StringBuilder b, GuestMemory mem, long address, long length, int protocol) {
        byte[] d;
        try {
            d = address == 0 ? null : mem.read(address, (int) Math.min(Math.max(length, 0), 4096));
        } catch (ErrnoException e) {
            d = null;
        }
        if (d == null || d.length < 16) {
            Tracer.string(b, address, length, mem);
            return;
        }
        ByteBuffer m = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder list = new StringBuilder();
        int count = 0;
        int at = 0;
        while (d.length - at >= 16 && count < Tracer.STRING_LIMIT) {
            long len = Integer.toUnsignedLong(m.getInt(at));
            int type = Short.toUnsignedInt(m.getShort(at + 4));
            int flags = Short.toUnsignedInt(m.getShort(at + 6));
            if (count++ > 0) {
                list.append(", ");
            }
            int end = len < 16 || len > d.length - at ? d.length : at + (int) len;
            if (end > at + 16) {
                list.append('[');
            }
            list.append("{nlmsg_len=").append(len).append(", nlmsg_type=");
            String name = type < 16 ? NLMSG.get((long) type)
                    : protocol == NETLINK_ROUTE ? RTM.get((long) type)
                    : protocol == NETLINK_SOCK_DIAG ? SOCK_DIAG.get((long) type) : null;
            list.append(name != null ? name : "0x" + Integer.toHexString(type)).append(", nlmsg_flags=");
            // NLM_F_ROOT|NLM_F_MATCH is NLM_F_DUMP for the requests that read (rtnetlink's GETs, sock_diag's).
            boolean get = (protocol == NETLINK_ROUTE && type >= 16 && type % 4 == 2) || protocol == NETLINK_SOCK_DIAG;
            int rest = flags;
            if (get && (flags & 0x300) == 0x300) {
                rest &= ~0x300;
            }
            StringBuilder f = new StringBuilder();
            Tracer.flagsOrZero(f, rest, NLM_F, "0");
            if (rest != flags) {
                f = new StringBuilder(rest == 0 ? "NLM_F_DUMP" : f + "|NLM_F_DUMP");
            }
            list.append(f).append(", nlmsg_seq=").append(Integer.toUnsignedLong(m.getInt(at + 8)))
                    .append(", nlmsg_pid=").append(Integer.toUnsignedLong(m.getInt(at + 12))).append('}');
            if (end > at + 16) {
                list.append(", ");
                quote(list, d, at + 16, end);
                list.append(']');
            }
            at = len < 16 ? d.length : (int) Math.min(d.length, at + ((len + 3) & ~3L));
        }
        if (at < d.length) {
            list.append(", ");
            quote(list, d, at, d.length);
            count++;
        }
        b.append(count > 1 ? "[" : "").append(list).append(count > 1 ? "]" : "");
        if (length > d.length) {
            b.append("...");
        }
    }

    private static void msghdr(StringBuilder b, GuestMemory mem, long address, long received, int netlink) {
        Msghdr h;
        try {
            h = Msghdr.readFrom(mem.readStruct(address, Msghdr.SIZE), 0);
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
            return;
        }
        b.append("{msg_name=");
        if (h.name() == 0) {
            b.append("NULL");
        } else {
            sockaddr(b, mem, h.name(), h.namelen());
        }
        b.append(", msg_namelen=").append(h.namelen()).append(", msg_iov=");
        iovecs(b, mem, h.iov(), h.iovlen(), received, netlink);
        b.append(", msg_iovlen=").append(h.iovlen()).append(", msg_control=");
        control(b, mem, h.control(), h.controllen());
        b.append(", msg_controllen=").append(h.controllen()).append(", msg_flags=");
        Tracer.flagsOrZero(b, h.flags() & 0xffffffffL, MSG, "0");
        b.append('}');
    }

    private static void iovecs(StringBuilder b, GuestMemory mem, long address, long count, long received,
            int netlink) {
        if (address == 0) {
            b.append("NULL");
            return;
        }
        try {
            int n = (int) Math.min(Math.max(count, 0), 1024);
            ByteBuffer v = mem.readStruct(address, n * Iovec.SIZE);
            b.append('[');
            long left = received;
            for (int i = 0; i < n; i++) {
                Iovec iov = Iovec.readFrom(v, i * Iovec.SIZE);
                if (i > 0) {
                    b.append(", ");
                }
                b.append("{iov_base=");
                long shown = received < 0 ? iov.len() : Math.min(iov.len(), Math.max(left, 0));
                if (netlink >= 0) {
                    messages(b, mem, iov.base(), shown, netlink);
                } else {
                    Tracer.string(b, iov.base(), shown, mem);
                }
                left -= iov.len();
                b.append(", iov_len=").append(Long.toUnsignedString(iov.len())).append('}');
            }
            b.append(']');
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
        }
    }

    private static void control(StringBuilder b, GuestMemory mem, long address, long length) {
        if (address == 0 || length < Cmsghdr.SIZE) {
            b.append(address == 0 ? "NULL" : "0x" + Long.toHexString(address));
            return;
        }
        try {
            byte[] c = mem.read(address, (int) Math.min(length, 4096));
            ByteBuffer buf = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
            b.append('[');
            for (int at = 0; at + Cmsghdr.SIZE <= c.length;) {
                Cmsghdr h = Cmsghdr.readFrom(buf, at);
                if (at > 0) {
                    b.append(", ");
                }
                b.append("{cmsg_len=").append(h.len()).append(", cmsg_level=")
                        .append(Tracer.named(LEVELS, h.level())).append(", cmsg_type=");
                long data = Math.min(h.len(), c.length - at) - Cmsghdr.SIZE;
                if (h.level() == SOL_SOCKET && h.type() == SCM_RIGHTS) {
                    b.append("SCM_RIGHTS, cmsg_data=[");
                    for (int i = 0; i + 4 <= data; i += 4) {
                        b.append(i > 0 ? ", " : "").append(buf.getInt(at + Cmsghdr.SIZE + i));
                    }
                    b.append("]}");
                } else if (h.level() == SOL_SOCKET && h.type() == SCM_PIDFD && data >= 4) {
                    b.append("SCM_PIDFD, cmsg_data=[").append(buf.getInt(at + Cmsghdr.SIZE)).append("]}");
                } else if (h.level() == SOL_SOCKET && h.type() == SCM_CREDENTIALS && data >= Ucred.SIZE) {
                    b.append("SCM_CREDENTIALS, cmsg_data=");
                    ucred(b, Ucred.readFrom(buf, at + Cmsghdr.SIZE));
                    b.append('}');
                } else {
                    // Other types by their level's names: timestamps, IP_PKTINFO, IP_TTL, IP_RECVERR, IPV6_PKTINFO...
                    Map<Long, String> names = h.level() == SOL_SOCKET ? SO : h.level() == Inet.SOL_IP ? IP
                            : h.level() == Inet.SOL_IPV6 ? IPV6 : Map.of();
                    b.append(Tracer.named(names, h.type())).append('}');
                }
                if (h.len() < Cmsghdr.SIZE) {
                    break;
                }
                at += (int) Cmsghdr.align(h.len());
            }
            b.append(']');
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
        }
    }
}
