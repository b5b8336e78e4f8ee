package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct epoll_event} ({@code linux/eventpoll.h}), 12 bytes: packed on x86-64
 * (EPOLL_PACKED), so the u64 data follows the u32 events with no padding.
 */
public record EpollEvent(int events, long data) {
    public static final int SIZE = 12;
    public static final int EVENTS = 0;
    public static final int DATA = 4;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + EVENTS, events).putLong(offset + DATA, data);
    }

    public static EpollEvent readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new EpollEvent(buf.getInt(offset + EVENTS), buf.getLong(offset + DATA));
    }
}
