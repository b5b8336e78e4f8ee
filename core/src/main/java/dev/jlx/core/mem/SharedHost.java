package dev.jlx.core.mem;

import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostMemory;
import java.lang.foreign.MemorySegment;

/**
 * The host memory behind a MAP_SHARED mapping, which fork shares between address spaces: a host
 * file's shared mapping, or shared anonymous memory (one allocation, which every process of this
 * JVM sees at the same place; a System V segment is one too, held by its segment as well). It goes
 * back to the host only when no address space maps any of it any more, and its holder let it go.
 */
public final class SharedHost {
    /** Told of each VMA that maps the memory coming or going (a System V segment's shm_nattch). */
    public interface Attachments {
        /** {@code delta} VMAs (+1 or -1) of some address space map it now; called under that space's lock. */
        void changed(int delta);
    }

    private final MemorySegment whole;
    /** The file mapping, or null for anonymous memory. */
    private final HostMapping file;
    /** Where anonymous memory goes back to. */
    private final HostMemory memory;
    private int spaces = 1;
    /** Who counts the VMAs that map it, or null. */
    final Attachments attachments;

    SharedHost(HostMapping file) {
        this.whole = file.segment();
        this.file = file;
        this.memory = null;
        this.attachments = null;
    }

    private SharedHost(MemorySegment whole, HostMemory memory, Attachments attachments) {
        this.whole = whole;
        this.file = null;
        this.memory = memory;
        this.attachments = attachments;
    }

    /** {@code size} bytes of new shared anonymous memory; null when the host refuses. */
    static SharedHost allocate(HostMemory memory, long size) {
        return anonymous(memory, size, null);
    }

    /**
     * {@code size} bytes (whole pages) of new zeroed shared memory held by its caller, who lets it go with
     * {@link #release}, with {@code attachments} told of every VMA mapping it; null when the host refuses.
     */
    public static SharedHost anonymous(HostMemory memory, long size, Attachments attachments) {
        MemorySegment m = memory.allocate(size);
        return m == null ? null : new SharedHost(m, memory, attachments);
    }

    /** Its size in bytes. */
    public long size() {
        return whole.byteSize();
    }

    /** The host memory. */
    public MemorySegment memory() {
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

    /** An address space has unmapped its last part of it, or its holder lets it go. */
    public void release() {
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
