package dev.jlx.core.mem;

import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostMemory;
import java.lang.foreign.MemorySegment;

/**
 * The host memory behind a MAP_SHARED mapping, which fork shares between address spaces: a host
 * file's shared mapping, or shared anonymous memory (one allocation, which every process of this
 * JVM sees at the same place). It goes back to the host only when no address space maps any of it
 * any more.
 */
final class SharedHost {
    private final MemorySegment whole;
    /** The file mapping, or null for anonymous memory. */
    private final HostMapping file;
    /** Where anonymous memory goes back to. */
    private final HostMemory memory;
    private int spaces = 1;

    SharedHost(HostMapping file) {
        this.whole = file.segment();
        this.file = file;
        this.memory = null;
    }

    private SharedHost(MemorySegment whole, HostMemory memory) {
        this.whole = whole;
        this.file = null;
        this.memory = memory;
    }

    /** {@code size} bytes of new shared anonymous memory; null when the host refuses. */
    static SharedHost allocate(HostMemory memory, long size) {
        MemorySegment m = memory.allocate(size);
        return m == null ? null : new SharedHost(m, memory);
    }

    MemorySegment memory() {
        return whole;
    }

    /** msync(MS_SYNC) of the host bytes [address, address + length), for a file mapping. */
    void sync(long address, long length) {
        if (file != null) {
            file.sync(address - whole.address(), length);
        }
    }

    /** One more address space maps part of it (fork). */
    synchronized void share() {
        spaces++;
    }

    /** An address space has unmapped its last part of it. */
    void release() {
        boolean last;
        synchronized (this) {
            last = --spaces == 0;
        }
        if (last) {
            if (file != null) {
                SharedFiles.unmapped(file);
                file.close();
            } else {
                memory.free(whole);
            }
        }
    }
}
