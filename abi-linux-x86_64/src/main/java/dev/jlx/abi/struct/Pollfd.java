package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct pollfd} ({@code asm-generic/poll.h}), 8 bytes. */
public record Pollfd(int fd, short events, short revents) {
    public static final int SIZE = 8;
    public static final int FD = 0;
    public static final int EVENTS = 4;
    public static final int REVENTS = 6;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + FD, fd).putShort(offset + EVENTS, events)
                .putShort(offset + REVENTS, revents);
    }

    public static Pollfd readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Pollfd(buf.getInt(offset + FD), buf.getShort(offset + EVENTS), buf.getShort(offset + REVENTS));
    }
}
