package dev.jlx.abi;

/** openat2(2)'s {@code struct open_how} and its RESOLVE_* flags, from {@code linux/openat2.h}. */
public final class Openat2 {
    private Openat2() {}

    /** The first published size of struct open_how (u64 flags, u64 mode, u64 resolve). */
    public static final int OPEN_HOW_SIZE_VER0 = 24;
    public static final int OPEN_HOW_SIZE_LATEST = OPEN_HOW_SIZE_VER0;

    public static final int RESOLVE_NO_XDEV = 0x01;
    public static final int RESOLVE_NO_MAGICLINKS = 0x02;
    public static final int RESOLVE_NO_SYMLINKS = 0x04;
    public static final int RESOLVE_BENEATH = 0x08;
    public static final int RESOLVE_IN_ROOT = 0x10;
    public static final int RESOLVE_CACHED = 0x20;
    public static final int RESOLVE_ALL = 0x3f;
}
