package dev.jlx.abi;

/** The per-call {@code RWF_*} flags of preadv2(2) and pwritev2(2) ({@code linux/fs.h}), those of Linux 6.1. */
public final class ReadWriteFlags {
    private ReadWriteFlags() {}

    public static final int RWF_HIPRI = 0x01;
    public static final int RWF_DSYNC = 0x02;
    public static final int RWF_SYNC = 0x04;
    public static final int RWF_NOWAIT = 0x08;
    public static final int RWF_APPEND = 0x10;
    public static final int RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND;
}
