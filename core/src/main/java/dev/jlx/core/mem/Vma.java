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

    Vma(long start, long end, int prot, int flags, String name, MemorySegment host) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.name = name;
        this.host = host;
    }

    /** The part [from, to) of this VMA, with another protection. */
    Vma slice(long from, long to, int newProt) {
        return new Vma(from, to, newProt, flags, name, host.asSlice(from - start, to - from));
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

    /** "[heap]", "[stack]", a file path, or null for an anonymous mapping. */
    public String name() {
        return name;
    }
}
