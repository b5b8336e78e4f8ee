package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * The old {@code struct linux_dirent} of getdents(2) ({@code fs/readdir.c}): inode, offset, record
 * length, the NUL-terminated name, then the type in the record's last byte.
 */
public record Dirent(long ino, long off, int type, byte[] name) {
    public static final int D_INO = 0;
    public static final int D_OFF = 8;
    public static final int D_RECLEN = 16;
    public static final int D_NAME = 18;

    /** Header, name, NUL and the type byte, padded to 8 bytes. */
    public int reclen() {
        return (D_NAME + name.length + 2 + 7) & ~7;
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + D_INO, ino).putLong(offset + D_OFF, off)
                .putShort(offset + D_RECLEN, (short) reclen()).put(offset + D_NAME, name);
        for (int i = offset + D_NAME + name.length; i < offset + reclen() - 1; i++) {
            buf.put(i, (byte) 0);
        }
        buf.put(offset + reclen() - 1, (byte) type);
    }
}
