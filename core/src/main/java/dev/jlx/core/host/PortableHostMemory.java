package dev.jlx.core.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Host memory from the JDK alone (FFM arenas), for any host: what a backend without a memory
 * implementation of its own gets. It costs what it holds from the start (an arena zeroes, and so
 * touches, every byte), a piece given back is kept until its whole allocation goes, and fork copies
 * everything. Allocations are aligned to and sized in multiples of {@code granule}, so that a
 * backend can show what its host's allocation unit does to jlx (Windows' 64 KiB) on any host.
 */
public final class PortableHostMemory implements HostMemory {
    private static final long PAGE = 4096;
    /** Memory in 4 KiB pages, for backends without their own. */
    public static final PortableHostMemory PAGES = new PortableHostMemory(PAGE);

    private final long granule;
    /** The live allocations, each given back by closing its arena. */
    private final Allocations<Arena> allocations = new Allocations<>();

    /** Memory whose allocations take whole {@code granule}s (a power of two, at least 4 KiB). */
    public PortableHostMemory(long granule) {
        if (granule < PAGE || Long.bitCount(granule) != 1) {
            throw new IllegalArgumentException("granule " + granule);
        }
        this.granule = granule;
    }

    @Override
    public long pageSize() {
        return PAGE;
    }

    @Override
    public long granule() {
        return granule;
    }

    @Override
    public MemorySegment allocate(long size) {
        long rounded = (size + granule - 1) & -granule;
        // A shared arena: the pages are freed by whichever thread unmaps them, and closing one is rare.
        Arena arena = Arena.ofShared();
        MemorySegment m;
        try {
            m = arena.allocate(rounded, granule);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            return null;
        }
        allocations.add(m.address(), size, arena);
        // Unscoped, as mapped host pages are: core keeps no reference past the free.
        return MemorySegment.ofAddress(m.address()).reinterpret(size);
    }

    @Override
    public void free(MemorySegment part) {
        Arena last = allocations.free(part);
        if (last != null) {
            last.close();
        }
    }

    @Override
    public void copy(MemorySegment from, MemorySegment to) {
        MemorySegment.copy(from, 0, to, 0, from.byteSize());
    }

    @Override
    public long residentBytes(MemorySegment m) {
        return m.byteSize();
    }
}
