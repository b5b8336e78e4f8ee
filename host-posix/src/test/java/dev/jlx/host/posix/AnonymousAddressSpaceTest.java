package dev.jlx.host.posix;

import dev.jlx.core.host.HostMemory;
import dev.jlx.core.mem.AddressSpaceTest;

/** The address-space tests on the POSIX host memory without page files (fork copies), as on macOS. */
class AnonymousAddressSpaceTest extends AddressSpaceTest {
    @Override
    protected HostMemory memory() {
        return new PosixHostMemory(false);
    }
}
