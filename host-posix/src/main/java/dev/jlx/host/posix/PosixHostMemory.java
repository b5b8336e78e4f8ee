package dev.jlx.host.posix;

import dev.jlx.core.host.HostMemory;
import java.lang.foreign.MemorySegment;

/**
 * Guest pages as private anonymous host mappings, committed on first touch. On Linux fork shares
 * them copy-on-write through a memfd ({@link MemfdPageFile}); on macOS through mach_vm_copy;
 * elsewhere, or in the portable profile, fork copies the pages the host holds.
 */
final class PosixHostMemory implements HostMemory {
    private final boolean memfd;
    /** Read once: every exec and fork asks. */
    private final int mappingLimit = readMappingLimit();

    /** With {@code memfd}, page files are Linux memfds; without, there are none. */
    PosixHostMemory(boolean memfd) {
        this.memfd = memfd;
    }

    @Override
    public long pageSize() {
        return PosixPages.PAGE_SIZE;
    }

    @Override
    public long granule() {
        return PosixPages.PAGE_SIZE;
    }

    @Override
    public MemorySegment allocate(long size) {
        return PosixPages.anonymous(size);
    }

    @Override
    public void free(MemorySegment part) {
        PosixPages.unmap(part.address(), part.byteSize());
    }

    @Override
    public void copy(MemorySegment from, MemorySegment to) {
        // A piece of an allocation may start inside a host page (16 KiB on Apple silicon): then bytes.
        long shared = from.address() == PosixPages.hostPageDown(from.address())
                ? PosixPages.hostPageDown(from.byteSize()) : 0;
        if (shared > 0 && PosixPages.copyOnWrite(from.address(), shared, to.address())) {
            from = from.asSlice(shared);
            to = to.asSlice(shared);
        }
        MemorySegment src = from;
        MemorySegment dst = to;
        PageRuns.forEachResident(src, (page, count) -> MemorySegment.copy(src, page * PosixPages.GUEST_PAGE, dst,
                page * PosixPages.GUEST_PAGE, count * PosixPages.GUEST_PAGE));
    }

    @Override
    public long residentBytes(MemorySegment m) {
        long[] pages = {0};
        PosixPages.forEachResident(m.address(), m.byteSize(), page -> pages[0]++);
        return pages[0] * PosixPages.GUEST_PAGE;
    }

    @Override
    public void residentPages(MemorySegment m, byte[] out, int at) {
        java.util.Arrays.fill(out, at, at + (int) (m.byteSize() / PosixPages.GUEST_PAGE), (byte) 0);
        PosixPages.forEachResident(m.address(), m.byteSize(), page -> out[at + (int) page] = 1);
    }

    /**
     * Linux's vm.max_map_count (each guest mapping may be a host mapping of its own, and the JVM
     * dies when the host refuses it one), or no limit where the host has no such setting.
     */
    @Override
    public int mappingLimit() {
        return mappingLimit;
    }

    private static int readMappingLimit() {
        // One read: a sysctl file answers a read past its start with nothing (Files.readString reads 1 byte first).
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(
                java.nio.file.Path.of("/proc/sys/vm/max_map_count"))) {
            byte[] b = new byte[32];
            int n = in.read(b);
            return Integer.parseInt(new String(b, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.US_ASCII)
                    .strip());
        } catch (java.io.IOException | NumberFormatException e) {
            return System.getProperty("os.name").startsWith("Linux") ? 65530 : Integer.MAX_VALUE;
        }
    }

    @Override
    public PageFile newPageFile(long size) {
        return memfd ? MemfdPageFile.create(size) : null;
    }
}
