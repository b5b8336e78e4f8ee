package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code stack_t}, {@code struct sigaltstack} ({@code asm-generic/signal.h}), 24 bytes. */
public record Sigaltstack(long sp, int flags, long size) {
    public static final int SIZE = 24;
    public static final int SS_SP = 0;
    public static final int SS_FLAGS = 8;
    public static final int SS_SIZE = 16;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + SS_SP, sp).putInt(offset + SS_FLAGS, flags)
                .putInt(offset + SS_FLAGS + 4, 0).putLong(offset + SS_SIZE, size);
    }

    public static Sigaltstack readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Sigaltstack(buf.getLong(offset + SS_SP), buf.getInt(offset + SS_FLAGS), buf.getLong(offset + SS_SIZE));
    }
}
