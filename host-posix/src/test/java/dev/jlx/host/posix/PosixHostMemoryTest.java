package dev.jlx.host.posix;

import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.HostMemoryContract;

/** The POSIX host memory with memfd page files (Linux's posix profile). */
class PosixHostMemoryTest extends HostMemoryContract {
    @Override
    protected HostMemory memory() {
        return new PosixHostMemory(true);
    }
}
