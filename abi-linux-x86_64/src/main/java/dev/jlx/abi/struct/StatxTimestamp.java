package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct statx_timestamp} ({@code linux/stat.h}), 16 bytes: unlike timespec, nanoseconds are a u32
 * followed by a reserved s32 that must be zero.
 */
public record StatxTimestamp(long sec, int nsec) {
    public static final int SIZE = 16;
    public static final int TV_SEC = 0;
    public static final int TV_NSEC = 8;
    private static final int RESERVED = 12;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + TV_SEC, sec).putInt(offset + TV_NSEC, nsec)
                .putInt(offset + RESERVED, 0);
    }
}
