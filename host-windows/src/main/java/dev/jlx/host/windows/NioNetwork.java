package dev.jlx.host.windows;

import static dev.jlx.abi.Inet.IPPROTO_ICMP;
import static dev.jlx.abi.Inet.IPPROTO_ICMPV6;
import static dev.jlx.abi.Inet.IPPROTO_TCP;
import static dev.jlx.abi.Inet.IPPROTO_UDP;
import static dev.jlx.abi.Socket.AF_INET6;
import static dev.jlx.abi.Socket.SOCK_DGRAM;
import static dev.jlx.abi.Socket.SOCK_RAW;
import static dev.jlx.abi.Socket.SOCK_STREAM;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostSocket;

/**
 * The host network through java.nio alone (the Windows backend's; it runs on any JDK host): TCP
 * as {@link NioStreamSocket}, UDP as {@link NioDatagramSocket}, their readiness through one
 * selector thread ({@link NioPoller}). What the JDK cannot make answers as a Linux that does not
 * let the guest have it: a ping socket EACCES (the default ping_group_range, "1 0"), a raw one
 * EPERM (no CAP_NET_RAW), UDP-Lite and MPTCP EPROTONOSUPPORT (a kernel without them).
 */
public final class NioNetwork implements HostNetwork {
    @Override
    public HostSocket open(int family, int type, int protocol) throws ErrnoException {
        boolean ipv6 = family == AF_INET6;
        return switch (type) {
            case SOCK_STREAM -> {
                if (protocol != 0 && protocol != IPPROTO_TCP) {
                    throw new ErrnoException(Errno.EPROTONOSUPPORT);
                }
                yield NioStreamSocket.open(ipv6);
            }
            case SOCK_DGRAM -> {
                if (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6) {
                    throw new ErrnoException(Errno.EACCES);
                }
                if (protocol != 0 && protocol != IPPROTO_UDP) {
                    throw new ErrnoException(Errno.EPROTONOSUPPORT);
                }
                yield NioDatagramSocket.open(ipv6);
            }
            case SOCK_RAW -> throw new ErrnoException(Errno.EPERM);
            default -> throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        };
    }
}
