package dev.jlx.core.mem;

import dev.jlx.core.ByteString;
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
    final ByteString name;
    /**
     * Host memory holding this VMA's bytes: guest {@code start} is {@code host} offset 0. Null for
     * private pages that were never accessible: they get host memory when they become so.
     */
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
    /**
     * For private pages: the memory file {@code host} maps at offset {@code start} (shared when
     * {@code owned}, the address space's own file; else privately, a file fork froze), or null for
     * plain host pages.
     */
    final MemoryFile memoryFile;
    final boolean owned;
    /** mbind's policy (Linux's vm_policy), null for none: the thread's policy applies. */
    final MemoryPolicy policy;

    Vma(long start, long end, int prot, int flags, ByteString name, MemorySegment host, int maxProt, long fileOffset,
            SharedHost sharedHost, MemoryFile memoryFile, boolean owned) {
        this(start, end, prot, flags, name, host, maxProt, fileOffset, sharedHost, memoryFile, owned, null);
    }

    Vma(long start, long end, int prot, int flags, ByteString name, MemorySegment host, int maxProt, long fileOffset,
            SharedHost sharedHost, MemoryFile memoryFile, boolean owned, MemoryPolicy policy) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.name = name;
        this.host = host;
        this.maxProt = maxProt;
        this.fileOffset = fileOffset;
        this.sharedHost = sharedHost;
        this.memoryFile = memoryFile;
        this.owned = owned;
        this.policy = policy;
    }

    /** This VMA with its pages now in {@code file} (shared when {@code owned}). */
    Vma backedBy(MemoryFile file, boolean owned) {
        return new Vma(start, end, prot, flags, name, host, maxProt, fileOffset, null, file, owned, policy);
    }

    /** This VMA with other mmap flags (mlock's MAP_LOCKED). */
    Vma withFlags(int newFlags) {
        return new Vma(start, end, prot, newFlags, name, host, maxProt, fileOffset, sharedHost, memoryFile, owned, policy);
    }

    /** This VMA with another memory policy (mbind). */
    Vma withPolicy(MemoryPolicy newPolicy) {
        return new Vma(start, end, prot, flags, name, host, maxProt, fileOffset, sharedHost, memoryFile, owned, newPolicy);
    }

    /** The part [from, to) of this VMA, with another protection. */
    Vma slice(long from, long to, int newProt) {
        return new Vma(from, to, newProt, flags, name, host == null ? null : host.asSlice(from - start, to - from), maxProt,
                name == null ? 0 : fileOffset + (from - start), sharedHost, memoryFile, owned, policy);
    }

    /** Whether the engines map this VMA: a PROT_NONE one is no region of theirs (see {@link AddressSpace}). */
    boolean inEngines() {
        return inEngines(prot);
    }

    static boolean inEngines(int prot) {
        return prot != dev.jlx.abi.Mman.PROT_NONE;
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

    /** mbind's policy, null for none. */
    public MemoryPolicy policy() {
        return policy;
    }

    /** "[heap]", "[stack]", a file path, or null for an anonymous mapping. */
    public ByteString name() {
        return name;
    }
}
