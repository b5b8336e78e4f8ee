package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct statx} ({@code linux/stat.h}, as of Linux 6.1), filled by statx(2), 256 bytes. The
 * fields after stx_dio_offset_align are spare and written as zeros, which a newer guest reads as "not
 * supplied" because their STATX_* bits stay clear in stx_mask.
 */
public record Statx(int mask, int blksize, long attributes, int nlink, int uid, int gid, int mode, long ino,
        long size, long blocks, long attributesMask, StatxTimestamp atime, StatxTimestamp btime,
        StatxTimestamp ctime, StatxTimestamp mtime, int rdevMajor, int rdevMinor, int devMajor, int devMinor,
        long mntId, int dioMemAlign, int dioOffsetAlign) {
    public static final int SIZE = 256;
    public static final int STX_MASK = 0;
    public static final int STX_BLKSIZE = 4;
    public static final int STX_ATTRIBUTES = 8;
    public static final int STX_NLINK = 16;
    public static final int STX_UID = 20;
    public static final int STX_GID = 24;
    public static final int STX_MODE = 28;
    public static final int STX_INO = 32;
    public static final int STX_SIZE = 40;
    public static final int STX_BLOCKS = 48;
    public static final int STX_ATTRIBUTES_MASK = 56;
    public static final int STX_ATIME = 64;
    public static final int STX_BTIME = 80;
    public static final int STX_CTIME = 96;
    public static final int STX_MTIME = 112;
    public static final int STX_RDEV_MAJOR = 128;
    public static final int STX_RDEV_MINOR = 132;
    public static final int STX_DEV_MAJOR = 136;
    public static final int STX_DEV_MINOR = 140;
    public static final int STX_MNT_ID = 144;
    public static final int STX_DIO_MEM_ALIGN = 152;
    public static final int STX_DIO_OFFSET_ALIGN = 156;
    private static final int SPARE0 = 30;
    private static final int SPARE3 = 160;

    // Bits of stx_mask (the request and what was filled in).
    public static final int STATX_TYPE = 0x00000001;
    public static final int STATX_MODE = 0x00000002;
    public static final int STATX_NLINK = 0x00000004;
    public static final int STATX_UID = 0x00000008;
    public static final int STATX_GID = 0x00000010;
    public static final int STATX_ATIME = 0x00000020;
    public static final int STATX_MTIME = 0x00000040;
    public static final int STATX_CTIME = 0x00000080;
    public static final int STATX_INO = 0x00000100;
    public static final int STATX_SIZE = 0x00000200;
    public static final int STATX_BLOCKS = 0x00000400;
    /** What stat(2) returns: all of the above. */
    public static final int STATX_BASIC_STATS = 0x000007ff;
    public static final int STATX_BTIME = 0x00000800;
    public static final int STATX_MNT_ID = 0x00001000;
    public static final int STATX_DIOALIGN = 0x00002000;

    /** stx_attributes bits (linux/stat.h). */
    public static final long STATX_ATTR_IMMUTABLE = 0x00000010;
    public static final long STATX_ATTR_APPEND = 0x00000020;
    public static final long STATX_ATTR_NODUMP = 0x00000040;
    public static final long STATX_ATTR_AUTOMOUNT = 0x00001000;
    public static final long STATX_ATTR_MOUNT_ROOT = 0x00002000;
    public static final long STATX_ATTR_DAX = 0x00200000;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + STX_MASK, mask).putInt(offset + STX_BLKSIZE, blksize)
                .putLong(offset + STX_ATTRIBUTES, attributes).putInt(offset + STX_NLINK, nlink)
                .putInt(offset + STX_UID, uid).putInt(offset + STX_GID, gid)
                .putShort(offset + STX_MODE, (short) mode).putShort(offset + SPARE0, (short) 0)
                .putLong(offset + STX_INO, ino).putLong(offset + STX_SIZE, size)
                .putLong(offset + STX_BLOCKS, blocks).putLong(offset + STX_ATTRIBUTES_MASK, attributesMask);
        atime.writeTo(buf, offset + STX_ATIME);
        btime.writeTo(buf, offset + STX_BTIME);
        ctime.writeTo(buf, offset + STX_CTIME);
        mtime.writeTo(buf, offset + STX_MTIME);
        buf.putInt(offset + STX_RDEV_MAJOR, rdevMajor).putInt(offset + STX_RDEV_MINOR, rdevMinor)
                .putInt(offset + STX_DEV_MAJOR, devMajor).putInt(offset + STX_DEV_MINOR, devMinor)
                .putLong(offset + STX_MNT_ID, mntId).putInt(offset + STX_DIO_MEM_ALIGN, dioMemAlign)
                .putInt(offset + STX_DIO_OFFSET_ALIGN, dioOffsetAlign);
        for (int off = SPARE3; off < SIZE; off += Long.BYTES) {
            buf.putLong(offset + off, 0);
        }
    }
}
