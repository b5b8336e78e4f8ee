package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** x86-64 {@code struct flock} of fcntl(2) record locks ({@code asm-generic/fcntl.h}), 32 bytes. */
public record Flock(short type, short whence, long start, long len, int pid) {
    public static final int SIZE = 32;
    public static final int L_TYPE = 0;
    public static final int L_WHENCE = 2;
    public static final int L_START = 8;
    public static final int L_LEN = 16;
    public static final int L_PID = 24;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putShort(offset + L_TYPE, type).putShort(offset + L_WHENCE, whence)
                .putInt(offset + 4, 0).putLong(offset + L_START, start).putLong(offset + L_LEN, len)
                .putInt(offset + L_PID, pid).putInt(offset + 28, 0);
    }

    public static Flock readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Flock(buf.getShort(offset + L_TYPE), buf.getShort(offset + L_WHENCE), buf.getLong(offset + L_START),
                buf.getLong(offset + L_LEN), buf.getInt(offset + L_PID));
    }
}
