package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** The kernel's {@code struct termios} used by TCGETS/TCSETS ({@code asm-generic/termbits.h}), 36 bytes. */
public record Termios(int iflag, int oflag, int cflag, int lflag, byte line, byte[] cc) {
    public static final int SIZE = 36;
    public static final int NCCS = 19;
    public static final int C_IFLAG = 0;
    public static final int C_OFLAG = 4;
    public static final int C_CFLAG = 8;
    public static final int C_LFLAG = 12;
    public static final int C_LINE = 16;
    public static final int C_CC = 17;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + C_IFLAG, iflag).putInt(offset + C_OFLAG, oflag)
                .putInt(offset + C_CFLAG, cflag).putInt(offset + C_LFLAG, lflag).put(offset + C_LINE, line);
        for (int i = 0; i < NCCS; i++) {
            buf.put(offset + C_CC + i, i < cc.length ? cc[i] : 0);
        }
    }

    public static Termios readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        byte[] cc = new byte[NCCS];
        buf.get(offset + C_CC, cc);
        return new Termios(buf.getInt(offset + C_IFLAG), buf.getInt(offset + C_OFLAG), buf.getInt(offset + C_CFLAG),
                buf.getInt(offset + C_LFLAG), buf.get(offset + C_LINE), cc);
    }
}
