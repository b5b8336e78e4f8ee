package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct utimbuf} ({@code linux/utime.h}), 16 bytes: access and modification times in seconds. */
public record Utimbuf(long actime, long modtime) {
    public static final int SIZE = 16;
    public static final int ACTIME = 0;
    public static final int MODTIME = 8;

    public static Utimbuf readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Utimbuf(buf.getLong(offset + ACTIME), buf.getLong(offset + MODTIME));
    }
}
