package dev.jlx.core.cpu;

/** Unicorn's x86 register ids ({@code unicorn/x86.h}, enum uc_x86_reg) for the registers jlx uses. */
public final class X86Reg {
    private X86Reg() {}

    public static final int EFLAGS = 25;
    public static final int FPSW = 31;
    public static final int RAX = 35;
    public static final int RBP = 36;
    public static final int RBX = 37;
    public static final int RCX = 38;
    public static final int RDI = 39;
    public static final int RDX = 40;
    public static final int RIP = 41;
    public static final int RSI = 43;
    public static final int RSP = 44;
    public static final int CR4 = 54;
    public static final int R8 = 106;
    /** ST0..ST7 (80-bit) and XMM0..XMM15 (128-bit) are consecutive ids. */
    public static final int ST0 = 114;
    public static final int XMM0 = 122;
    public static final int R9 = 107;
    public static final int R10 = 108;
    public static final int R11 = 109;
    public static final int R12 = 110;
    public static final int R13 = 111;
    public static final int R14 = 112;
    public static final int R15 = 113;
    public static final int FPCW = 246;
    public static final int FPTAG = 247;
    public static final int MXCSR = 249;
    public static final int FS_BASE = 250;
    public static final int GS_BASE = 251;
}
