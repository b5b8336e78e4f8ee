package dev.jlx.core.host;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * The allocations a {@link HostMemory} has handed out, each with what gives it back ({@code T}), so
 * that they can be given back piece by piece (a guest munmap of part of a mapping): an allocation
 * goes when its last piece does. Thread-safe.
 */
public final class Allocations<T> {
    /** One allocation: what gives it back, the bytes handed out, and how many are not given back yet. */
    private static final class Allocation<T> {
        final T handle;
        final long size;
        long live;

        Allocation(T handle, long size) {
            this.handle = handle;
            this.size = size;
            this.live = size;
        }
    }

    /** The live allocations by start address. */
    private final TreeMap<Long, Allocation<T>> live = new TreeMap<>();

    /** {@code size} bytes from {@code address} are handed out, given back with {@code handle}. */
    public synchronized void add(long address, long size, T handle) {
        live.put(address, new Allocation<>(handle, size));
    }

    /**
     * Counts {@code part} of an allocation as given back: its handle when that was the allocation's
     * last piece (it is forgotten then), else null.
     */
    public synchronized T free(MemorySegment part) {
        Map.Entry<Long, Allocation<T>> e = live.floorEntry(part.address());
        if (e == null || part.address() + part.byteSize() > e.getKey() + e.getValue().size) {
            throw new IllegalArgumentException("not allocated here: 0x" + Long.toHexString(part.address()));
        }
        Allocation<T> a = e.getValue();
        a.live -= part.byteSize();
        if (a.live > 0) {
            return null;
        }
        live.remove(e.getKey());
        return a.handle;
    }
}
