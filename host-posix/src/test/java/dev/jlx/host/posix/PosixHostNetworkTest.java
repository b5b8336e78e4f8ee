package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostNetworkContract;

/** The host network of the posix profile (on Linux: SOCK_NONBLOCK, accept4 and the epoll poller). */
class PosixHostNetworkTest extends HostNetworkContract {
    @Override
    protected HostNetwork network() {
        return HostBackends.get("posix").network();
    }
}
