package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct __kernel_timespec} ({@code linux/time_types.h}), 16 bytes. */
public record Timespec(long sec, long nsec) {
    public static final int SIZE = 16;
    public static final int TV_SEC = 0;
    public static final int TV_NSEC = 8;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + TV_SEC, sec).putLong(offset + TV_NSEC, nsec);
    }

    public static Timespec readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Timespec(buf.getLong(offset + TV_SEC), buf.getLong(offset + TV_NSEC));
    }
}
