package dev.jlx.abi.struct;

/**
 * x86-64 {@code struct _fpstate_64} ({@code asm/sigcontext.h}), 512 bytes: the FXSAVE image of the
 * x87, MMX and SSE state a signal frame saves; its last 48 bytes are left to software (sw_reserved
 * marks an XSAVE extension when its magic is set). FXSAVE needs it 16-byte aligned.
 */
public final class Fpstate {
    public static final int SIZE = 512;
    public static final int CWD = 0;
    public static final int SWD = 2;
    public static final int TWD = 4;
    public static final int FOP = 6;
    public static final int RIP = 8;
    public static final int RDP = 16;
    public static final int MXCSR = 24;
    public static final int MXCSR_MASK = 28;
    public static final int ST_SPACE = 32;
    public static final int XMM_SPACE = 160;
    public static final int RESERVED2 = 416;
    public static final int SW_RESERVED = 464;

    private Fpstate() {}
}
