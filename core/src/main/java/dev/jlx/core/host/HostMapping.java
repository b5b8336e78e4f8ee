package dev.jlx.core.host;

import java.lang.foreign.MemorySegment;

/**
 * A shared mapping of part of a host file ({@link HostFile#mapShared}): memory whose writes reach
 * the file. Fork shares it between address spaces; it is closed when none maps it any more.
 */
public interface HostMapping {
    /** The mapped bytes, page-rounded. */
    MemorySegment segment();

    /** msync(MS_SYNC) of [offset, offset + length) of the mapping: written back to the file, waited for. */
    void sync(long offset, long length);

    /**
     * The file is about to shrink so that the mapping's bytes from {@code offset} (page aligned) on
     * lie past its end: they become private zero pages, since the host faults a touch of a mapped
     * page past the end, which inside the engine would end the JVM.
     */
    void zeroFrom(long offset);

    /** Unmaps it; only once. */
    void close();
}
