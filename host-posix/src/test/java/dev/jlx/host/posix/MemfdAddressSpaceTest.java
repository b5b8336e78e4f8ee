package dev.jlx.host.posix;

import dev.jlx.core.host.HostMemory;
import dev.jlx.core.mem.AddressSpaceTest;

/** The address-space tests on the POSIX host memory with Linux's memfd page files (fork copy-on-write). */
class MemfdAddressSpaceTest extends AddressSpaceTest {
    @Override
    protected HostMemory memory() {
        return new PosixHostMemory(true);
    }
}
