package dev.jlx.core.host;

/** The portable host memory in Windows' 64 KiB allocation granules (the windows profile off Windows). */
class PortableGranuleHostMemoryTest extends HostMemoryContract {
    @Override
    protected HostMemory memory() {
        return new PortableHostMemory(64 * 1024);
    }
}
