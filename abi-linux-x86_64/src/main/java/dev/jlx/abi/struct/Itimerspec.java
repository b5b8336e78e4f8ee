package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct itimerspec} ({@code linux/time_types.h}), 32 bytes: the reload interval, then the time left. */
public record Itimerspec(Timespec interval, Timespec value) {
    public static final int SIZE = 32;
    public static final int IT_INTERVAL = 0;
    public static final int IT_VALUE = 16;

    public void writeTo(ByteBuffer buf, int offset) {
        interval.writeTo(buf, offset + IT_INTERVAL);
        value.writeTo(buf, offset + IT_VALUE);
    }

    public static Itimerspec readFrom(ByteBuffer buf, int offset) {
        return new Itimerspec(Timespec.readFrom(buf, offset + IT_INTERVAL), Timespec.readFrom(buf, offset + IT_VALUE));
    }
}
