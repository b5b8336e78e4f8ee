package dev.jlx.abi;

/** Codes of arch_prctl(2), from the x86 {@code asm/prctl.h}. */
public final class ArchPrctl {
    private ArchPrctl() {}

    public static final int ARCH_SET_GS = 0x1001;
    public static final int ARCH_SET_FS = 0x1002;
    public static final int ARCH_GET_FS = 0x1003;
    public static final int ARCH_GET_GS = 0x1004;
    public static final int ARCH_GET_CPUID = 0x1011;
    public static final int ARCH_SET_CPUID = 0x1012;
    public static final int ARCH_GET_XCOMP_SUPP = 0x1021;
    public static final int ARCH_GET_XCOMP_PERM = 0x1022;
    public static final int ARCH_REQ_XCOMP_PERM = 0x1023;
    public static final int ARCH_GET_XCOMP_GUEST_PERM = 0x1024;
    public static final int ARCH_REQ_XCOMP_GUEST_PERM = 0x1025;
    public static final int ARCH_MAP_VDSO_X32 = 0x2001;
    public static final int ARCH_MAP_VDSO_32 = 0x2002;
    public static final int ARCH_MAP_VDSO_64 = 0x2003;
}
