package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** x86-64 {@code struct statfs} as statfs(2) fills it ({@code asm-generic/statfs.h}), 120 bytes. */
public record Statfs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree, long fsid,
        long namelen, long frsize, long flags) {
    public static final int SIZE = 120;
    public static final int F_TYPE = 0;
    public static final int F_BSIZE = 8;
    public static final int F_BLOCKS = 16;
    public static final int F_BFREE = 24;
    public static final int F_BAVAIL = 32;
    public static final int F_FILES = 40;
    public static final int F_FFREE = 48;
    public static final int F_FSID = 56;
    public static final int F_NAMELEN = 64;
    public static final int F_FRSIZE = 72;
    public static final int F_FLAGS = 80;
    /** f_spare[4], written as zeros. */
    public static final int F_SPARE = 88;

    /** f_flags bits (ST_* of statvfs.h) that statfs reports. */
    public static final int ST_RDONLY = 0x1;
    public static final int ST_NOSUID = 0x2;
    public static final int ST_NODEV = 0x4;
    public static final int ST_NOEXEC = 0x8;
    public static final int ST_SYNCHRONOUS = 0x10;
    public static final int ST_VALID = 0x20;
    public static final int ST_NOATIME = 0x400;
    public static final int ST_RELATIME = 0x1000;
    /** DEVPTS_SUPER_MAGIC of linux/magic.h. */
    public static final long DEVPTS_SUPER_MAGIC = 0x1cd1L;
    /** TMPFS_MAGIC of linux/magic.h. */
    public static final long TMPFS_MAGIC = 0x01021994L;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + F_TYPE, type).putLong(offset + F_BSIZE, bsize)
                .putLong(offset + F_BLOCKS, blocks).putLong(offset + F_BFREE, bfree).putLong(offset + F_BAVAIL, bavail)
                .putLong(offset + F_FILES, files).putLong(offset + F_FFREE, ffree).putLong(offset + F_FSID, fsid)
                .putLong(offset + F_NAMELEN, namelen).putLong(offset + F_FRSIZE, frsize).putLong(offset + F_FLAGS, flags);
        for (int i = 0; i < 4; i++) {
            buf.putLong(offset + F_SPARE + 8 * i, 0);
        }
    }
}
