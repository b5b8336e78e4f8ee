package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct tms} ({@code linux/times.h}), filled by times(2): four clock_t in clock ticks, 32 bytes. */
public record Tms(long utime, long stime, long cutime, long cstime) {
    public static final int SIZE = 32;
    public static final int TMS_UTIME = 0;
    public static final int TMS_STIME = 8;
    public static final int TMS_CUTIME = 16;
    public static final int TMS_CSTIME = 24;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + TMS_UTIME, utime).putLong(offset + TMS_STIME, stime)
                .putLong(offset + TMS_CUTIME, cutime).putLong(offset + TMS_CSTIME, cstime);
    }
}
