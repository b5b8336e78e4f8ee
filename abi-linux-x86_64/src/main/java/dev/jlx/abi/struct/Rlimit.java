package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct rlimit64} ({@code linux/resource.h}), 16 bytes; x86-64's struct rlimit is the same. */
public record Rlimit(long cur, long max) {
    public static final int SIZE = 16;
    public static final int RLIM_CUR = 0;
    public static final int RLIM_MAX = 8;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + RLIM_CUR, cur).putLong(offset + RLIM_MAX, max);
    }

    public static Rlimit readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Rlimit(buf.getLong(offset + RLIM_CUR), buf.getLong(offset + RLIM_MAX));
    }
}
