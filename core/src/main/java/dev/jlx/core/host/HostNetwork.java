package dev.jlx.core.host;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;

/**
 * The host's IPv4 and IPv6 network: sockets of the host, spoken to in Linux units (AF_*, SOCK_*,
 * IPPROTO_*, MSG_*, POLL* values and Linux errno, whatever the host's own numbers are). The
 * guest's sockaddrs, msghdrs and option checks stay in core; a backend sees only
 * {@link InetEndpoint}s, buffers and the option pairs it says it has. Besides, the AF_UNIX sockets
 * that host processes bound, which a guest may reach when its user asks for it ({@link #connectUnix}).
 */
public interface HostNetwork {
    /** A host without a network for guests: every socket is EAFNOSUPPORT, as a kernel without IPv4. */
    HostNetwork NONE = (family, type, protocol) -> {
        throw new ErrnoException(Errno.EAFNOSUPPORT);
    };

    /**
     * socket(2) on the host: {@code family} AF_INET or AF_INET6, {@code type} SOCK_STREAM, SOCK_DGRAM
     * or SOCK_RAW (without flags), {@code protocol} an IPPROTO_* or 0. The socket never blocks and is
     * closed on exec on the host; the host's errors (EACCES for a ping socket outside
     * ping_group_range, EPERM for a raw one, EMFILE) as Linux's.
     */
    HostSocket open(int family, int type, int protocol) throws ErrnoException;

    /**
     * connect(2) of a new host AF_UNIX socket of {@code type} (SOCK_STREAM, SOCK_SEQPACKET or
     * SOCK_DGRAM, without flags) to the socket a host process bound at {@code hostPath}, a host path
     * in the form of the backend's {@link HostFiles}: the connected socket, non-blocking and closed
     * on exec as {@link #open}'s, whose {@link HostSocket#send}, {@link HostSocket#receive},
     * {@link HostSocket#shutdown}, {@link HostSocket#poll}, {@link HostSocket#watch},
     * {@link HostSocket#available}, {@link HostSocket#unsent} and {@link HostSocket#close} serve
     * (sends without a destination, receives without a source); its option SO_PEERCRED, where
     * {@link HostSocket#hasOption} says the host has it, gives the peer's {@code struct ucred} as the
     * host reports it. The host's errors as Linux's: ECONNREFUSED when nobody listens there (or the
     * host cannot reach a socket of this type), EPROTOTYPE for a socket of another type, EAGAIN when
     * a listener's backlog is full, ENAMETOOLONG for a path longer than the host's sockaddr_un holds.
     * This default is a host without such sockets: ECONNREFUSED.
     */
    default HostSocket connectUnix(ByteString hostPath, int type) throws ErrnoException {
        throw new ErrnoException(Errno.ECONNREFUSED);
    }
}
