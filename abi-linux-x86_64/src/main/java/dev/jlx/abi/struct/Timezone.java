package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct timezone} ({@code linux/time.h}), 8 bytes. */
public record Timezone(int minuteswest, int dsttime) {
    public static final int SIZE = 8;
    public static final int TZ_MINUTESWEST = 0;
    public static final int TZ_DSTTIME = 4;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + TZ_MINUTESWEST, minuteswest).putInt(offset + TZ_DSTTIME, dsttime);
    }
}
