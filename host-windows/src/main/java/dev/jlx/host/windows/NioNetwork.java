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
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostSocket;

/**
 * The host network through java.nio alone (the Windows backend's; it runs on any JDK host): TCP
 * as {@link NioStreamSocket}, UDP as {@link NioDatagramSocket}, their readiness through one
 * selector thread ({@link NioPoller}). What the JDK cannot make answers as a Linux that does not
 * let the guest have it: a ping socket EACCES (the default ping_group_range, "1 0"), a raw one
 * EPERM (no CAP_NET_RAW), UDP-Lite and MPTCP EPROTONOSUPPORT (a kernel without them). A host's
 * AF_UNIX socket is reached as JEP 380's stream channel ({@link #connectUnix}).
 */
public final class NioNetwork implements HostNetwork {
    /** The host's own path of a host path in the backend's form (its files' {@code /C:/...}, or the path itself). */
    @FunctionalInterface
    public interface NativePaths {
        java.nio.file.Path of(ByteString hostPath) throws ErrnoException;
    }

    private final NativePaths paths;

    /** A network whose host paths are the host's own (a POSIX host's). */
    public NioNetwork() {
        this(p -> java.nio.file.Path.of(p.utf8()));
    }

    public NioNetwork(NativePaths paths) {
        this.paths = paths;
    }

    /**
     * A stream channel connected to the host socket at {@code hostPath} (JDK 16+, Windows 10 too).
     * The JDK has no other kind (a datagram channel of the UNIX family is unsupported, seqpacket
     * unknown): a datagram or seqpacket connect is refused (ECONNREFUSED), as by a host without such
     * a listener. A UNIX channel's connect finishes at once; it has no SO_PEERCRED in ids (the JDK
     * gives names), so none is offered.
     */
    @Override
    public HostSocket connectUnix(ByteString hostPath, int type) throws ErrnoException {
        if (type != SOCK_STREAM) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        java.net.UnixDomainSocketAddress to;
        try {
            to = java.net.UnixDomainSocketAddress.of(paths.of(hostPath));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        java.nio.channels.SocketChannel c;
        try {
            c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        } catch (UnsupportedOperationException e) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        } catch (java.io.IOException e) {
            throw NioErrors.of(e);
        }
        boolean made;
        try {
            c.configureBlocking(false);
            made = c.connect(to);
        } catch (java.io.IOException | RuntimeException e) {
            close(c);
            throw NioErrors.of(e);
        }
        if (!made) {
            // Only a listener with a full backlog leaves a unix connect pending: the caller tries again.
            close(c);
            throw new ErrnoException(Errno.EAGAIN);
        }
        return NioStreamSocket.connected(c);
    }

    private static void close(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (java.io.IOException e) {
            // a channel that never connected
        }
    }

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
