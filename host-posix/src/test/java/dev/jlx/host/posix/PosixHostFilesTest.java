package dev.jlx.host.posix;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFilesContract;

/** The file contract on the POSIX backend, found the way core finds it: through ServiceLoader. */
class PosixHostFilesTest extends HostFilesContract {
    @Override
    protected HostBackend backend() {
        return HostBackends.get("posix");
    }
}
