package dev.jlx.core.host;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;

/**
 * The host's IPv4 and IPv6 network: sockets of the host, spoken to in Linux units (AF_*, SOCK_*,
 * IPPROTO_*, MSG_*, POLL* values and Linux errno, whatever the host's own numbers are). The
 * guest's sockaddrs, msghdrs and option checks stay in core; a backend sees only
 * {@link InetEndpoint}s, buffers and the option pairs it says it has.
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
}
