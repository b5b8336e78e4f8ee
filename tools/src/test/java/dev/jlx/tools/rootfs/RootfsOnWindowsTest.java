package dev.jlx.tools.rootfs;

/**
 * {@link RootfsTest} on the Windows backend, over its fake NT layer on the local disk: modes, owners,
 * symlinks and FIFOs kept as WSL keeps them, in extended attributes and reparse points.
 */
class RootfsOnWindowsTest extends RootfsTest {
    @Override
    String backend() {
        return "windows";
    }
}
