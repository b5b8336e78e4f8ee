package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** x86-64 {@code struct stat} ({@code arch/x86/include/uapi/asm/stat.h}), 144 bytes. */
public record Stat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size, long blksize,
        long blocks, long atime, long atimeNsec, long mtime, long mtimeNsec, long ctime, long ctimeNsec) {
    public static final int SIZE = 144;
    public static final int ST_DEV = 0;
    public static final int ST_INO = 8;
    public static final int ST_NLINK = 16;
    public static final int ST_MODE = 24;
    public static final int ST_UID = 28;
    public static final int ST_GID = 32;
    public static final int ST_RDEV = 40;
    public static final int ST_SIZE = 48;
    public static final int ST_BLKSIZE = 56;
    public static final int ST_BLOCKS = 64;
    public static final int ST_ATIME = 72;
    public static final int ST_ATIME_NSEC = 80;
    public static final int ST_MTIME = 88;
    public static final int ST_MTIME_NSEC = 96;
    public static final int ST_CTIME = 104;
    public static final int ST_CTIME_NSEC = 112;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf)
                .putLong(offset + ST_DEV, dev).putLong(offset + ST_INO, ino).putLong(offset + ST_NLINK, nlink)
                .putInt(offset + ST_MODE, mode).putInt(offset + ST_UID, uid).putInt(offset + ST_GID, gid)
                .putInt(offset + 36, 0).putLong(offset + ST_RDEV, rdev).putLong(offset + ST_SIZE, size)
                .putLong(offset + ST_BLKSIZE, blksize).putLong(offset + ST_BLOCKS, blocks)
                .putLong(offset + ST_ATIME, atime).putLong(offset + ST_ATIME_NSEC, atimeNsec)
                .putLong(offset + ST_MTIME, mtime).putLong(offset + ST_MTIME_NSEC, mtimeNsec)
                .putLong(offset + ST_CTIME, ctime).putLong(offset + ST_CTIME_NSEC, ctimeNsec)
                .putLong(offset + 120, 0).putLong(offset + 128, 0).putLong(offset + 136, 0);
    }
}
