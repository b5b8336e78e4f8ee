package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * The old System V {@code struct termio} ({@code asm-generic/termios.h}) that TCGETA/TCSETA take, 18
 * bytes: 16-bit flag words and NCC (8) control characters.
 */
public record Termio(int iflag, int oflag, int cflag, int lflag, byte line, byte[] cc) {
    public static final int SIZE = 18;
    public static final int NCC = 8;
    public static final int C_IFLAG = 0;
    public static final int C_OFLAG = 2;
    public static final int C_CFLAG = 4;
    public static final int C_LFLAG = 6;
    public static final int C_LINE = 8;
    public static final int C_CC = 9;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putShort(offset + C_IFLAG, (short) iflag).putShort(offset + C_OFLAG, (short) oflag)
                .putShort(offset + C_CFLAG, (short) cflag).putShort(offset + C_LFLAG, (short) lflag)
                .put(offset + C_LINE, line);
        for (int i = 0; i < NCC; i++) {
            buf.put(offset + C_CC + i, i < cc.length ? cc[i] : 0);
        }
        buf.put(offset + SIZE - 1, (byte) 0);
    }

    public static Termio readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        byte[] cc = new byte[NCC];
        buf.get(offset + C_CC, cc);
        return new Termio(buf.getShort(offset + C_IFLAG) & 0xffff, buf.getShort(offset + C_OFLAG) & 0xffff,
                buf.getShort(offset + C_CFLAG) & 0xffff, buf.getShort(offset + C_LFLAG) & 0xffff,
                buf.get(offset + C_LINE), cc);
    }
}
