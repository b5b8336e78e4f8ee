package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFilesContract;

/** The file contract on the {@code portable} profile: the POSIX backend without Linux-only calls. */
class PortableHostFilesTest extends HostFilesContract {
    @Override
    protected HostBackend backend() {
        return HostBackends.get("portable");
    }
}
