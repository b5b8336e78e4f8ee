package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct winsize} ({@code asm-generic/termios.h}), 8 bytes. */
public record Winsize(int row, int col, int xpixel, int ypixel) {
    public static final int SIZE = 8;
    public static final int WS_ROW = 0;
    public static final int WS_COL = 2;
    public static final int WS_XPIXEL = 4;
    public static final int WS_YPIXEL = 6;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putShort(offset + WS_ROW, (short) row).putShort(offset + WS_COL, (short) col)
                .putShort(offset + WS_XPIXEL, (short) xpixel).putShort(offset + WS_YPIXEL, (short) ypixel);
    }

    public static Winsize readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Winsize(buf.getShort(offset + WS_ROW) & 0xffff, buf.getShort(offset + WS_COL) & 0xffff,
                buf.getShort(offset + WS_XPIXEL) & 0xffff, buf.getShort(offset + WS_YPIXEL) & 0xffff);
    }
}
