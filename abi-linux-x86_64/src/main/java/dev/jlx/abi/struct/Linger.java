package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct linger} ({@code linux/socket.h}), 8 bytes: SO_LINGER's on/off and seconds. */
public record Linger(int onoff, int linger) {
    public static final int SIZE = 8;
    public static final int L_ONOFF = 0;
    public static final int L_LINGER = 4;

    public static Linger readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Linger(buf.getInt(offset + L_ONOFF), buf.getInt(offset + L_LINGER));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + L_ONOFF, onoff).putInt(offset + L_LINGER, linger);
    }
}
