package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostNetworkContract;

/** The host network of the portable profile: fcntl instead of SOCK_NONBLOCK, accept, no poller. */
class PortableHostNetworkTest extends HostNetworkContract {
    @Override
    protected HostNetwork network() {
        return HostBackends.get("portable").network();
    }
}
