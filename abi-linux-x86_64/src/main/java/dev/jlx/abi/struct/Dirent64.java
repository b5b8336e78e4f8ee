package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct linux_dirent64} as getdents64(2) returns it ({@code linux/dirent.h}): 64-bit inode
 * and offset, record length, type, then the NUL-terminated name, each record 8-byte aligned.
 */
public record Dirent64(long ino, long off, int type, byte[] name) {
    public static final int D_INO = 0;
    public static final int D_OFF = 8;
    public static final int D_RECLEN = 16;
    public static final int D_TYPE = 18;
    public static final int D_NAME = 19;

    /** d_type values ({@code DT_*} of dirent.h): the file type bits of st_mode shifted right by 12. */
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    /** The record's length: header, name, NUL, padded to 8 bytes. */
    public int reclen() {
        return (D_NAME + name.length + 1 + 7) & ~7;
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + D_INO, ino).putLong(offset + D_OFF, off)
                .putShort(offset + D_RECLEN, (short) reclen()).put(offset + D_TYPE, (byte) type)
                .put(offset + D_NAME, name);
        for (int i = offset + D_NAME + name.length; i < offset + reclen(); i++) {
            buf.put(i, (byte) 0);
        }
    }
}
