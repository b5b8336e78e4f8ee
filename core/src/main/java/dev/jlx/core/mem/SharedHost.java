package dev.jlx.core.mem;

import dev.jlx.core.cpu.HostPages;
import java.lang.foreign.MemorySegment;

/**
 * The host memory behind a MAP_SHARED mapping, which fork shares between address spaces: it goes
 * back to the host only when no address space maps any of it any more.
 */
final class SharedHost {
    private final MemorySegment whole;
    private int spaces = 1;

    SharedHost(MemorySegment whole) {
        this.whole = whole;
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
            SharedFiles.unmapped(whole.address());
            HostPages.free(whole.address(), whole.byteSize());
        }
    }
}
