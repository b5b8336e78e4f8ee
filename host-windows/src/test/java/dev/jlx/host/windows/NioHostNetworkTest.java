package dev.jlx.host.windows;

import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostNetworkContract;

/** The java.nio host network of the windows backend, run here on the JDK's channels of this host. */
class NioHostNetworkTest extends HostNetworkContract {
    private static final HostNetwork NETWORK = new NioNetwork();

    @Override
    protected HostNetwork network() {
        return NETWORK;
    }
}
