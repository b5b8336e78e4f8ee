package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * x86-64 {@code struct rt_sigframe} ({@code arch/x86/include/asm/sigframe.h}, kernel-internal), 440
 * bytes: the handler's return address (sa_restorer), the ucontext rt_sigreturn restores, and the
 * siginfo the handler gets. The FPU state ({@link Fpstate}) lies above it, where
 * {@code uc_mcontext.fpstate} points.
 */
public record RtSigframe(long pretcode, Ucontext uc, Siginfo info) {
    public static final int SIZE = 440;
    public static final int PRETCODE = 0;
    public static final int UC = 8;
    public static final int INFO = 312;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + PRETCODE, pretcode);
        uc.writeTo(buf, offset + UC);
        info.writeTo(buf, offset + INFO);
    }
}
