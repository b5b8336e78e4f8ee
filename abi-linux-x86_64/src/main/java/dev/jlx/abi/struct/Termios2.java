package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * The kernel's {@code struct termios2} ({@code asm-generic/termbits.h}) that TCGETS2/TCSETS2 take,
 * 44 bytes: {@link Termios} followed by the input and output rates.
 */
public record Termios2(Termios termios, int ispeed, int ospeed) {
    public static final int SIZE = 44;
    public static final int C_ISPEED = 36;
    public static final int C_OSPEED = 40;

    public void writeTo(ByteBuffer buf, int offset) {
        termios.writeTo(buf, offset);
        Layout.littleEndian(buf).putInt(offset + C_ISPEED, ispeed).putInt(offset + C_OSPEED, ospeed);
    }

    public static Termios2 readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Termios2(Termios.readFrom(buf, offset), buf.getInt(offset + C_ISPEED), buf.getInt(offset + C_OSPEED));
    }
}
