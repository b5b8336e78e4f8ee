package dev.jlx.core.mem;

import java.lang.foreign.MemorySegment;

/**
 * One mapped range of guest pages with one protection, analogous to Linux's
 * {@code struct vm_area_struct}. Its bytes live in {@code host}, a host allocation that may be
 * shared with neighbouring VMAs split from the same mapping.
 */
public final class Vma {
    final long start;
    final long end;
    final int prot;
    final int flags;
    final String name;
    /** Host memory holding this VMA's bytes: guest {@code start} is {@code host} offset 0. */
    final MemorySegment host;
    /**
     * The protections mprotect may grant: a shared mapping of a file opened read-only never
     * becomes writable (EACCES), as on Linux, and its host pages are read-only too.
     */
    final int maxProt;
    /** The file offset of {@code start} for a file mapping, else 0 ({@code /proc/PID/maps}). */
    final long fileOffset;
    /** For a MAP_SHARED mapping, the host memory other address spaces may share; else null. */
    final SharedHost sharedHost;

    Vma(long start, long end, int prot, int flags, String name, MemorySegment host, int maxProt, long fileOffset,
            SharedHost sharedHost) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.name = name;
        this.host = host;
        this.maxProt = maxProt;
        this.fileOffset = fileOffset;
        this.sharedHost = sharedHost;
    }

    /** The part [from, to) of this VMA, with another protection. */
    Vma slice(long from, long to, int newProt) {
        return new Vma(from, to, newProt, flags, name, host.asSlice(from - start, to - from), maxProt,
                name == null ? 0 : fileOffset + (from - start), sharedHost);
    }

    /** Whether writes reach something outside this process (a MAP_SHARED mapping). */
    boolean shared() {
        return (flags & dev.jlx.abi.Mman.MAP_SHARED_VALIDATE) != dev.jlx.abi.Mman.MAP_PRIVATE;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public int prot() {
        return prot;
    }

    public int flags() {
        return flags;
    }

    public long fileOffset() {
        return fileOffset;
    }

    /** "[heap]", "[stack]", a file path, or null for an anonymous mapping. */
    public String name() {
        return name;
    }
}
