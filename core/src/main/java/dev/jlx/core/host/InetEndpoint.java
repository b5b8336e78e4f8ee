package dev.jlx.core.host;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 socket address in host-neutral form: the address bytes in network order (4 for
 * IPv4, 16 for IPv6), the port, and IPv6's flow label and scope; what a sockaddr_in or sockaddr_in6
 * says, without any host's layout.
 */
public record InetEndpoint(byte[] address, int port, int flowInfo, int scopeId) {
    public InetEndpoint {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        address = address.clone();
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    public boolean ipv6() {
        return address.length == 16;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InetEndpoint e && Arrays.equals(address, e.address) && port == e.port
                && flowInfo == e.flowInfo && scopeId == e.scopeId;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + port;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (address.length == 4) {
            for (int i = 0; i < 4; i++) {
                b.append(i > 0 ? "." : "").append(address[i] & 0xff);
            }
            return b.append(':').append(port).toString();
        }
        b.append('[');
        for (int i = 0; i < 16; i += 2) {
            b.append(i > 0 ? ":" : "").append(Integer.toHexString((address[i] & 0xff) << 8 | (address[i + 1] & 0xff)));
        }
        return b.append("]:").append(port).toString();
    }
}
