package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct sembuf} ({@code linux/sem.h}), 6 bytes: semaphore number, operation, flags. */
public record Sembuf(int num, int op, int flags) {
    public static final int SIZE = 6;
    public static final int NUM = 0;
    public static final int OP = 2;
    public static final int FLG = 4;

    public static Sembuf readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Sembuf(Short.toUnsignedInt(buf.getShort(offset + NUM)), buf.getShort(offset + OP),
                buf.getShort(offset + FLG));
    }
}
