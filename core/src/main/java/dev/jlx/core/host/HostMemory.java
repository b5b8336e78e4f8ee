package dev.jlx.core.host;

import java.lang.foreign.MemorySegment;

/**
 * Host memory that backs guest pages. Guest loads and stores never come here: the engines and
 * {@code GuestMemory} use the segments directly; core calls this per mmap, munmap, fork and msync.
 * Sizes and offsets are multiples of the guest's 4 KiB page; an implementation rounds to its own
 * page ({@link #pageSize()}) or allocation granule ({@link #granule()}) inside. Memory is zero
 * when given out. An implementation is shared by every machine on its backend, so thread-safe.
 */
public interface HostMemory {
    /** The host's page, the unit of its mappings (4 KiB; 16 KiB on Apple silicon). */
    long pageSize();

    /** Where a host allocation may start: the page on POSIX hosts, 64 KiB on Windows. */
    long granule();

    /**
     * {@code size} bytes of zeroed read-write memory, committed on first touch where the host can
     * (so a large guest mapping costs nothing until used); null when the host refuses.
     */
    MemorySegment allocate(long size);

    /**
     * Gives back {@code part} of what {@link #allocate} or {@link PageFile#map} returned: the whole,
     * or a piece of it (a guest munmap of part of a mapping). A piece is never given back twice.
     */
    void free(MemorySegment part);

    /** Copies what {@code from} holds into {@code to}, a fresh allocation of its size: fork without a page file. */
    void copy(MemorySegment from, MemorySegment to);

    /** How many bytes of {@code m} the host holds in memory (resident), for getrusage and /proc. */
    long residentBytes(MemorySegment m);

    /**
     * mincore: sets {@code out[at + i]} to 1 for each 4 KiB page {@code i} of {@code m} the host
     * holds in memory, else 0. By default every page counts as held, as {@link #residentBytes}
     * counts them where the host cannot tell.
     */
    default void residentPages(MemorySegment m, byte[] out, int at) {
        java.util.Arrays.fill(out, at, at + (int) (m.byteSize() / 4096), (byte) 1);
    }

    /**
     * How many host mappings all address spaces of this JVM may hold together, the JVM's own
     * needs left aside ({@link Integer#MAX_VALUE} when the host sets no limit jlx knows).
     */
    default int mappingLimit() {
        return Integer.MAX_VALUE;
    }

    /**
     * A new host file of {@code size} bytes, all holes, that holds an address space's private pages
     * at offsets equal to their guest addresses, so that fork can share them copy-on-write (a Linux
     * memfd); null when the host has none, and fork then copies.
     */
    default PageFile newPageFile(long size) {
        return null;
    }

    /**
     * A file of guest pages ({@link #newPageFile}). Its owner maps it shared; fork freezes it, and
     * from then on parent and child map it privately, so the host copies a page only when one of
     * them writes it.
     */
    interface PageFile {
        /** Maps [offset, offset + size) read-write at a new place; null when the host refuses. */
        MemorySegment map(long offset, long size, boolean shared);

        /** Puts [offset, offset + at's size) of this file in place of the memory at {@code at}: the address stays. */
        void remap(MemorySegment at, long offset, boolean shared);

        /** Makes [offset, offset + size) a hole again: it reads as zero and holds no memory. */
        void punch(long offset, long size);

        /**
         * Writes the pages of {@code from} into this file at {@code offset}: with {@code writtenOnly},
         * those written since {@code from} mapped this file privately (the others are the file's
         * already), else every page the host holds.
         */
        void write(MemorySegment from, long offset, boolean writtenOnly);

        /**
         * Copies into {@code to}, a private mapping of the same part of this file as {@code from},
         * the pages {@code from} has written since it mapped the file.
         */
        void copyWritten(MemorySegment from, MemorySegment to);

        /** Gives the file back; its mappings stay until freed. */
        void close();
    }
}
