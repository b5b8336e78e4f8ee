package dev.jlx.core.host;

/** The portable host memory in 4 KiB pages. */
class PortableHostMemoryTest extends HostMemoryContract {
    @Override
    protected HostMemory memory() {
        return PortableHostMemory.PAGES;
    }
}
