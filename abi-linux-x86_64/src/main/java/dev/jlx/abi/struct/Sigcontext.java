package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * x86-64 {@code struct sigcontext} ({@code asm/sigcontext.h}), 256 bytes: the general registers
 * from r8 to eflags (the {@code gregs}, 8 bytes each in that order), the cs and ss selectors (gs and
 * fs are unused slots), the fault's error code, trap number and address, the old mask, and a
 * pointer to the FPU state.
 */
public record Sigcontext(long[] gregs, short cs, short gs, short fs, short ss, long err, long trapno,
        long oldmask, long cr2, long fpstate) {
    public static final int SIZE = 256;
    public static final int R8 = 0;
    public static final int R9 = 8;
    public static final int R10 = 16;
    public static final int R11 = 24;
    public static final int R12 = 32;
    public static final int R13 = 40;
    public static final int R14 = 48;
    public static final int R15 = 56;
    public static final int RDI = 64;
    public static final int RSI = 72;
    public static final int RBP = 80;
    public static final int RBX = 88;
    public static final int RDX = 96;
    public static final int RAX = 104;
    public static final int RCX = 112;
    public static final int RSP = 120;
    public static final int RIP = 128;
    public static final int EFLAGS = 136;
    public static final int CS = 144;
    public static final int GS = 146;
    public static final int FS = 148;
    public static final int SS = 150;
    public static final int ERR = 152;
    public static final int TRAPNO = 160;
    public static final int OLDMASK = 168;
    public static final int CR2 = 176;
    public static final int FPSTATE = 184;
    public static final int RESERVED1 = 192;
    /** How many general registers lead the struct: r8 (index 0) to eflags (index EFLAGS / 8). */
    public static final int GREGS = EFLAGS / 8 + 1;

    public Sigcontext {
        if (gregs.length != GREGS) {
            throw new IllegalArgumentException("struct sigcontext holds " + GREGS + " general registers");
        }
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < GREGS; i++) {
            buf.putLong(offset + R8 + 8 * i, gregs[i]);
        }
        buf.putShort(offset + CS, cs).putShort(offset + GS, gs).putShort(offset + FS, fs).putShort(offset + SS, ss)
                .putLong(offset + ERR, err).putLong(offset + TRAPNO, trapno).putLong(offset + OLDMASK, oldmask)
                .putLong(offset + CR2, cr2).putLong(offset + FPSTATE, fpstate);
        for (int i = RESERVED1; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
    }

    public static Sigcontext readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        long[] gregs = new long[GREGS];
        for (int i = 0; i < GREGS; i++) {
            gregs[i] = buf.getLong(offset + R8 + 8 * i);
        }
        return new Sigcontext(gregs, buf.getShort(offset + CS), buf.getShort(offset + GS), buf.getShort(offset + FS),
                buf.getShort(offset + SS), buf.getLong(offset + ERR), buf.getLong(offset + TRAPNO),
                buf.getLong(offset + OLDMASK), buf.getLong(offset + CR2), buf.getLong(offset + FPSTATE));
    }
}
