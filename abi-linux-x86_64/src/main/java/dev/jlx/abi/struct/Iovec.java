package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct iovec} ({@code linux/uio.h}), 16 bytes. */
public record Iovec(long base, long len) {
    public static final int SIZE = 16;
    public static final int IOV_BASE = 0;
    public static final int IOV_LEN = 8;

    public static Iovec readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Iovec(buf.getLong(offset + IOV_BASE), buf.getLong(offset + IOV_LEN));
    }
}
