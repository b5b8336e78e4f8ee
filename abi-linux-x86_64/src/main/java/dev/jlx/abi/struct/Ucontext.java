package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * The kernel's x86-64 {@code struct ucontext} ({@code asm-generic/ucontext.h} with
 * {@code asm/ucontext.h}'s flags), 304 bytes: flags, link, the alternate stack, the machine context
 * and the 8-byte signal mask (glibc's ucontext_t agrees up to the mask, then is longer).
 */
public record Ucontext(long flags, long link, Sigaltstack stack, Sigcontext mcontext, long sigmask) {
    public static final int SIZE = 304;
    public static final int UC_FLAGS = 0;
    public static final int UC_LINK = 8;
    public static final int UC_STACK = 16;
    public static final int UC_MCONTEXT = 40;
    public static final int UC_SIGMASK = 296;

    /** uc_flags: the FPU state has the xsave extension; the sigcontext's ss is real; restore it as is. */
    public static final long UC_FP_XSTATE = 0x1;
    public static final long UC_SIGCONTEXT_SS = 0x2;
    public static final long UC_STRICT_RESTORE_SS = 0x4;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + UC_FLAGS, flags).putLong(offset + UC_LINK, link);
        stack.writeTo(buf, offset + UC_STACK);
        mcontext.writeTo(buf, offset + UC_MCONTEXT);
        buf.putLong(offset + UC_SIGMASK, sigmask);
    }

    public static Ucontext readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Ucontext(buf.getLong(offset + UC_FLAGS), buf.getLong(offset + UC_LINK),
                Sigaltstack.readFrom(buf, offset + UC_STACK), Sigcontext.readFrom(buf, offset + UC_MCONTEXT),
                buf.getLong(offset + UC_SIGMASK));
    }
}
