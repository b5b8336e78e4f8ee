package dev.jlx.abi;

/** arch_prctl(2) codes, from {@code asm/prctl.h}. */
public final class ArchPrctl {
    private ArchPrctl() {}

    public static final int ARCH_SET_GS = 0x1001;
    public static final int ARCH_SET_FS = 0x1002;
    public static final int ARCH_GET_FS = 0x1003;
    public static final int ARCH_GET_GS = 0x1004;
    public static final int ARCH_GET_CPUID = 0x1011;
    public static final int ARCH_SET_CPUID = 0x1012;
    public static final int ARCH_MAP_VDSO_X32 = 0x2001;
    public static final int ARCH_MAP_VDSO_32 = 0x2002;
    public static final int ARCH_MAP_VDSO_64 = 0x2003;
}
