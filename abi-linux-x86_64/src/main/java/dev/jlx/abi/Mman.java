package dev.jlx.abi;

/**
 * Memory-mapping constants for mmap(2), mprotect(2), mremap(2), madvise(2), msync(2) and mlock(2), from
 * {@code asm-generic/mman-common.h}, {@code asm-generic/mman.h}, {@code asm/mman.h} (x86's
 * {@code MAP_32BIT}) and {@code linux/mman.h}.
 */
public final class Mman {
    private Mman() {}

    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;
    public static final int PROT_SEM = 0x8;
    public static final int PROT_GROWSDOWN = 0x01000000;
    public static final int PROT_GROWSUP = 0x02000000;

    // The low nibble is the mapping type, a value rather than a set of bits.
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_SHARED_VALIDATE = 0x03;
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FILE = 0;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_32BIT = 0x40;
    public static final int MAP_GROWSDOWN = 0x0100;
    public static final int MAP_DENYWRITE = 0x0800;
    public static final int MAP_EXECUTABLE = 0x1000;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x008000;
    public static final int MAP_NONBLOCK = 0x010000;
    public static final int MAP_STACK = 0x020000;
    public static final int MAP_HUGETLB = 0x040000;
    public static final int MAP_SYNC = 0x080000;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    public static final int MAP_UNINITIALIZED = 0x4000000;
    /** With MAP_HUGETLB, bits 26..31 hold log2 of the huge page size. */
    public static final int MAP_HUGE_SHIFT = 26;
    public static final int MAP_HUGE_MASK = 0x3f;
    public static final int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
    public static final int MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MREMAP_DONTUNMAP = 4;

    public static final int MS_ASYNC = 1;
    public static final int MS_INVALIDATE = 2;
    public static final int MS_SYNC = 4;

    public static final int MLOCK_ONFAULT = 0x01;
    public static final int MCL_CURRENT = 1;
    public static final int MCL_FUTURE = 2;
    public static final int MCL_ONFAULT = 4;

    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_FREE = 8;
    public static final int MADV_REMOVE = 9;
    public static final int MADV_DONTFORK = 10;
    public static final int MADV_DOFORK = 11;
    public static final int MADV_MERGEABLE = 12;
    public static final int MADV_UNMERGEABLE = 13;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;
    public static final int MADV_DONTDUMP = 16;
    public static final int MADV_DODUMP = 17;
    public static final int MADV_WIPEONFORK = 18;
    public static final int MADV_KEEPONFORK = 19;
    public static final int MADV_COLD = 20;
    public static final int MADV_PAGEOUT = 21;
    public static final int MADV_POPULATE_READ = 22;
    public static final int MADV_POPULATE_WRITE = 23;
    public static final int MADV_DONTNEED_LOCKED = 24;
    public static final int MADV_COLLAPSE = 25;
    public static final int MADV_HWPOISON = 100;
    public static final int MADV_SOFT_OFFLINE = 101;

    public static final int PKEY_DISABLE_ACCESS = 0x1;
    public static final int PKEY_DISABLE_WRITE = 0x2;
    public static final int PKEY_ACCESS_MASK = PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE;
}
