package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct timeval} ({@code linux/time.h}), 16 bytes. */
public record Timeval(long sec, long usec) {
    public static final int SIZE = 16;
    public static final int TV_SEC = 0;
    public static final int TV_USEC = 8;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + TV_SEC, sec).putLong(offset + TV_USEC, usec);
    }

    public static Timeval readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Timeval(buf.getLong(offset + TV_SEC), buf.getLong(offset + TV_USEC));
    }
}
