package dev.jlx.abi;

/**
 * Types of the auxiliary vector entries the kernel puts on a new program's stack after envp, from
 * {@code linux/auxvec.h} and the x86 {@code asm/auxvec.h}. Each entry is two 64-bit words, type then
 * value, and {@link #AT_NULL} ends the vector. AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN (Linux 6.3) and
 * AT_HWCAP3/4 (6.9) are newer than this machine's 6.1 headers; their values come from later kernels.
 */
public final class Auxv {
    private Auxv() {}

    public static final int AT_NULL = 0;
    public static final int AT_IGNORE = 1;
    public static final int AT_EXECFD = 2;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_FLAGS = 8;
    public static final int AT_ENTRY = 9;
    public static final int AT_NOTELF = 10;
    public static final int AT_UID = 11;
    public static final int AT_EUID = 12;
    public static final int AT_GID = 13;
    public static final int AT_EGID = 14;
    public static final int AT_PLATFORM = 15;
    public static final int AT_HWCAP = 16;
    public static final int AT_CLKTCK = 17;
    // 18..22 are reserved.
    public static final int AT_SECURE = 23;
    public static final int AT_BASE_PLATFORM = 24;
    public static final int AT_RANDOM = 25;
    public static final int AT_HWCAP2 = 26;
    public static final int AT_RSEQ_FEATURE_SIZE = 27;
    public static final int AT_RSEQ_ALIGN = 28;
    public static final int AT_HWCAP3 = 29;
    public static final int AT_HWCAP4 = 30;
    public static final int AT_EXECFN = 31;
    /** 32-bit x86 only (the vsyscall entry point); an x86-64 kernel never emits it. */
    public static final int AT_SYSINFO = 32;
    public static final int AT_SYSINFO_EHDR = 33;
    public static final int AT_MINSIGSTKSZ = 51;

    private static final String[] NAMES = new String[AT_MINSIGSTKSZ + 1];

    static {
        String[] generic = {
            "AT_NULL", "AT_IGNORE", "AT_EXECFD", "AT_PHDR", "AT_PHENT", "AT_PHNUM", "AT_PAGESZ", "AT_BASE",
            "AT_FLAGS", "AT_ENTRY", "AT_NOTELF", "AT_UID", "AT_EUID", "AT_GID", "AT_EGID", "AT_PLATFORM",
            "AT_HWCAP", "AT_CLKTCK",
        };
        System.arraycopy(generic, 0, NAMES, AT_NULL, generic.length);
        String[] later = {
            "AT_SECURE", "AT_BASE_PLATFORM", "AT_RANDOM", "AT_HWCAP2", "AT_RSEQ_FEATURE_SIZE",
            "AT_RSEQ_ALIGN", "AT_HWCAP3", "AT_HWCAP4", "AT_EXECFN", "AT_SYSINFO", "AT_SYSINFO_EHDR",
        };
        System.arraycopy(later, 0, NAMES, AT_SECURE, later.length);
        NAMES[AT_MINSIGSTKSZ] = "AT_MINSIGSTKSZ";
    }

    /** The name of an entry type, {@code "AT_RANDOM"}, or null for a number Linux does not define. */
    public static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : null;
    }
}
