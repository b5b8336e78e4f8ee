package dev.jlx.host.windows;

import static dev.jlx.abi.Inet.*;
import static dev.jlx.abi.Socket.*;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * The Linux socket options the java.nio network has, each with the JDK option it is
 * ({@link java.net.StandardSocketOptions}, {@link jdk.net.ExtendedSocketOptions}), Linux's checks of its value
 * (ip_setsockopt, do_tcp_setsockopt, do_ipv6_setsockopt) and its value when read from a channel that
 * lacks it. A socket keeps the values it was given ({@link Values}) and hands them to each channel it
 * becomes (a listener's ServerSocketChannel, a connection accept makes, which inherits them as a
 * Linux socket does its listener's). An option the JDK has not on this host (TCP_KEEPIDLE on some
 * Windows, SO_REUSEPORT there) is none of the socket's: core keeps or refuses it.
 */
final class NioOptions {
    private NioOptions() {}

    /** How a value goes between Linux's int and the JDK's option. */
    enum Kind {
        /** A Boolean option: any non-zero int is true. */
        FLAG,
        /** An Integer option taken as it is. */
        NUMBER,
        /** SO_SNDBUF, SO_RCVBUF: Linux reports twice what was asked (the JDK on Linux halves it back). */
        BUFFER,
        /** SO_LINGER: a struct linger; the JDK's Integer is the seconds, or -1 when off. */
        LINGER,
    }

    /**
     * A Linux option ({@code level}, {@code name}) as the JDK's option of that name (a standard or
     * extended one, or the JDK's own SO_OOBINLINE, which only a channel's supportedOptions gives), for
     * stream and/or datagram sockets of either family, and its Linux value where no channel has it.
     */
    record Option(int level, int name, String option, Kind kind, boolean stream, boolean datagram,
            boolean ipv4, boolean ipv6, int streamDefault, int datagramDefault) {}

    private static final Map<Long, Option> TABLE = table();

    private static Map<Long, Option> table() {
        Map<Long, Option> m = new HashMap<>();
        // SOL_SOCKET, for both kinds and families; defaults as Linux's sysctl defaults give them
        // (tcp_wmem[1], tcp_rmem[1], wmem_default, rmem_default).
        put(m, new Option(SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", Kind.FLAG, true, true, true,
                true, 0, 0));
        put(m, new Option(SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT", Kind.FLAG, true, true, true,
                true, 0, 0));
        put(m, new Option(SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", Kind.FLAG, true, false, true,
                true, 0, 0));
        put(m, new Option(SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST", Kind.FLAG, false, true, true,
                true, 0, 0));
        put(m, new Option(SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF", Kind.BUFFER, true, true, true, true,
                16384, 212992));
        put(m, new Option(SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF", Kind.BUFFER, true, true, true, true,
                131072, 212992));
        put(m, new Option(SOL_SOCKET, SO_LINGER, "SO_LINGER", Kind.LINGER, true, false, true,
                true, 0, 0));
        put(m, new Option(SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE", Kind.FLAG, true, false, true,
                true, 0, 0));
        // SOL_TCP; the keepalive defaults are tcp_keepalive_time, _intvl and _probes'.
        put(m, new Option(SOL_TCP, TCP_NODELAY, "TCP_NODELAY", Kind.FLAG, true, false, true, true,
                0, 0));
        put(m, new Option(SOL_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE", Kind.NUMBER, true, false, true,
                true, 7200, 0));
        put(m, new Option(SOL_TCP, TCP_KEEPINTVL, "TCP_KEEPINTERVAL", Kind.NUMBER, true, false,
                true, true, 75, 0));
        put(m, new Option(SOL_TCP, TCP_KEEPCNT, "TCP_KEEPCOUNT", Kind.NUMBER, true, false, true,
                true, 9, 0));
        put(m, new Option(SOL_TCP, TCP_QUICKACK, "TCP_QUICKACK", Kind.FLAG, true, false, true,
                true, 1, 0));
        // SOL_IP on IPv4 sockets: the JDK's IP_TOS on an IPv6 channel is IPV6_TCLASS, not Linux's IP_TOS there.
        put(m, new Option(SOL_IP, IP_TOS, "IP_TOS", Kind.NUMBER, true, true, true, false, 0, 0));
        put(m, new Option(SOL_IP, IP_MULTICAST_TTL, "IP_MULTICAST_TTL", Kind.NUMBER, false, true,
                true, false, 0, 1));
        put(m, new Option(SOL_IP, IP_MULTICAST_LOOP, "IP_MULTICAST_LOOP", Kind.FLAG, false, true,
                true, false, 0, 1));
        // SOL_IPV6 (IPV6_V6ONLY is the socket's own, see NioSocket).
        put(m, new Option(SOL_IPV6, IPV6_TCLASS, "IP_TOS", Kind.NUMBER, true, true, false, true,
                0, 0));
        put(m, new Option(SOL_IPV6, IPV6_MULTICAST_HOPS, "IP_MULTICAST_TTL", Kind.NUMBER, false,
                true, false, true, 0, 1));
        put(m, new Option(SOL_IPV6, IPV6_MULTICAST_LOOP, "IP_MULTICAST_LOOP", Kind.FLAG, false,
                true, false, true, 0, 1));
        return Map.copyOf(m);
    }

    private static void put(Map<Long, Option> m, Option o) {
        m.put(key(o.level, o.name), o);
    }

    static long key(int level, int name) {
        return (long) level << 32 | (name & 0xffffffffL);
    }

    /** The options of this JDK's stream and datagram channels by name (the same for both families). */
    private static volatile Map<String, SocketOption<?>> streamOptions;
    private static volatile Map<String, SocketOption<?>> datagramOptions;

    private static Map<String, SocketOption<?>> supported(boolean stream) {
        Map<String, SocketOption<?>> s = stream ? streamOptions : datagramOptions;
        if (s == null) {
            Map<String, SocketOption<?>> m = new HashMap<>();
            try (NetworkChannel c = stream ? SocketChannel.open(StandardProtocolFamily.INET)
                    : DatagramChannel.open(StandardProtocolFamily.INET)) {
                for (SocketOption<?> o : c.supportedOptions()) {
                    m.put(o.name(), o);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no channel of that kind on this host: no options
            }
            s = Map.copyOf(m);
            if (stream) {
                streamOptions = s;
            } else {
                datagramOptions = s;
            }
        }
        return s;
    }

    /** The option (level, name) of a socket of this kind and family, when the JDK has it here; else null. */
    static Option find(int level, int name, boolean stream, boolean ipv6) {
        Option o = TABLE.get(key(level, name));
        if (o == null || !(stream ? o.stream : o.datagram) || !(ipv6 ? o.ipv6 : o.ipv4)
                || !supported(stream).containsKey(o.option)) {
            return null;
        }
        return o;
    }

    /**
     * The int Linux takes from {@code value} for {@code o}, after its checks (EINVAL): at least an
     * int, except SOL_IP's, which also take one byte (and an empty value as 0, as ip_setsockopt).
     */
    static int parse(Option o, byte[] value) throws ErrnoException {
        int v;
        if (value.length >= 4) {
            v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        } else if (o.level == SOL_IP && (value.length >= 1 || o.name == IP_TOS)) {
            v = value.length == 0 ? 0 : value[0] & 0xff;
        } else {
            throw new ErrnoException(Errno.EINVAL);
        }
        switch (o.level << 16 | o.name) {
            // MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT.
            case SOL_TCP << 16 | TCP_KEEPIDLE, SOL_TCP << 16 | TCP_KEEPINTVL -> range(v, 1, 32767);
            case SOL_TCP << 16 | TCP_KEEPCNT -> range(v, 1, 127);
            case SOL_IP << 16 | IP_MULTICAST_TTL, SOL_IPV6 << 16 | IPV6_MULTICAST_HOPS -> {
                range(v, -1, 255);
                v = v == -1 ? 1 : v;
            }
            case SOL_IPV6 << 16 | IPV6_TCLASS -> {
                range(v, -1, 255);
                v = v == -1 ? 0 : v;
            }
            case SOL_IPV6 << 16 | IPV6_MULTICAST_LOOP -> range(v, 0, 1);
            // ip_sock_set_tos keeps a byte.
            case SOL_IP << 16 | IP_TOS -> v &= 0xff;
            default -> { }
        }
        return v;
    }

    private static void range(int v, int min, int max) throws ErrnoException {
        if (v < min || v > max) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** The JDK's value for Linux's {@code v} (for SO_LINGER, {@code seconds} when on). */
    static Object toJava(Option o, int v, int seconds) {
        return switch (o.kind) {
            case FLAG -> v != 0;
            case NUMBER -> v;
            // Linux takes the size as a u32 it caps at the maximum: a negative one is the most.
            case BUFFER -> v < 0 ? Integer.MAX_VALUE : v;
            case LINGER -> v == 0 ? -1 : seconds < 0 ? Integer.MAX_VALUE : seconds;
        };
    }

    /** Linux's int for the JDK's {@code value}: for SO_LINGER, whether it is on. */
    static int fromJava(Option o, Object value) {
        return switch (o.kind) {
            case FLAG -> (Boolean) value ? 1 : 0;
            case NUMBER -> (Integer) value;
            case BUFFER -> (Integer) value * 2;
            case LINGER -> (Integer) value >= 0 ? 1 : 0;
        };
    }

    /** The JDK's option {@code o} is on channel {@code c}, if that has it (a listener lacks TCP_NODELAY...). */
    private static SocketOption<?> on(NetworkChannel c, Option o) {
        if (c == null || !c.isOpen()) {
            return null;
        }
        for (SocketOption<?> s : c.supportedOptions()) {
            if (s.name().equals(o.option)) {
                return s;
            }
        }
        return null;
    }

    /** Sets {@code o} on {@code c} to Linux's {@code v}, when the channel has it. */
    @SuppressWarnings("unchecked")
    static void apply(NetworkChannel c, Option o, int v, int seconds) throws ErrnoException {
        SocketOption<?> option = on(c, o);
        if (option == null) {
            return;
        }
        try {
            c.setOption((SocketOption<Object>) option, toJava(o, v, seconds));
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            throw e instanceof UnsupportedOperationException ? new ErrnoException(Errno.ENOPROTOOPT) : NioErrors.of(e);
        }
    }

    /**
     * The bytes getsockopt writes for {@code v} into a buffer of {@code length}: an int cut to the
     * length (tcp_getsockopt, do_ipv6_getsockopt, sock_getsockopt), except SOL_IP's, which writes one
     * byte into a smaller buffer for a value that fits (ip_getsockopt).
     */
    static byte[] encode(int level, int v, int length) {
        if (level == SOL_IP && length > 0 && length < 4 && v >= 0 && v <= 255) {
            return new byte[] {(byte) v};
        }
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, v).array();
        return length >= 4 ? b : java.util.Arrays.copyOf(b, Math.max(length, 0));
    }

    /**
     * The values a socket was given, Linux's ints by option (SO_LINGER's seconds apart), which each
     * new channel of the socket takes and a connection accept makes inherits.
     */
    static final class Values {
        private final Map<Long, Integer> set = new HashMap<>();
        private int lingerSeconds;

        Values copy() {
            Values v = new Values();
            v.set.putAll(set);
            v.lingerSeconds = lingerSeconds;
            return v;
        }

        void put(Option o, int v, int seconds) {
            set.put(key(o.level, o.name), v);
            if (o.kind == Kind.LINGER && v != 0) {
                lingerSeconds = seconds;
            }
        }

        /** Linux's value of {@code o}: read from {@code c} when it has it, else as set, else Linux's default. */
        int get(Option o, NetworkChannel c, boolean stream) throws ErrnoException {
            SocketOption<?> option = on(c, o);
            if (option != null) {
                try {
                    return fromJava(o, c.getOption(option));
                } catch (IOException | UnsupportedOperationException e) {
                    throw NioErrors.of(e);
                }
            }
            Integer v = set.get(key(o.level, o.name));
            if (v == null) {
                return stream ? o.streamDefault : o.datagramDefault;
            }
            // A buffer's size as sock_setsockopt keeps it: doubled, between SOCK_MIN_*BUF and twice *mem_max.
            if (o.kind != Kind.BUFFER) {
                return v;
            }
            int capped = Integer.compareUnsigned(v, 212992) > 0 ? 212992 : v;
            return Math.max(capped * 2, o.name == SO_SNDBUF ? 4608 : 2304);
        }

        int lingerSeconds() {
            return lingerSeconds;
        }

        /** Gives {@code c} every value set (a channel the socket has just become). */
        void applyAll(NetworkChannel c, boolean stream, boolean ipv6) throws ErrnoException {
            for (Map.Entry<Long, Integer> e : set.entrySet()) {
                Option o = find((int) (e.getKey() >>> 32), (int) (long) e.getKey(), stream, ipv6);
                if (o != null) {
                    apply(c, o, e.getValue(), lingerSeconds);
                }
            }
        }
    }
}
