package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * The kernel's {@code struct sigaction} as rt_sigaction(2) takes it on x86-64
 * ({@code include/linux/signal_types.h} with SA_RESTORER): handler, flags, restorer, 64-bit mask.
 */
public record KernelSigaction(long handler, long flags, long restorer, long mask) {
    public static final int SIZE = 32;
    public static final int SA_HANDLER = 0;
    public static final int SA_FLAGS = 8;
    public static final int SA_RESTORER = 16;
    public static final int SA_MASK = 24;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + SA_HANDLER, handler).putLong(offset + SA_FLAGS, flags)
                .putLong(offset + SA_RESTORER, restorer).putLong(offset + SA_MASK, mask);
    }

    public static KernelSigaction readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new KernelSigaction(buf.getLong(offset + SA_HANDLER), buf.getLong(offset + SA_FLAGS),
                buf.getLong(offset + SA_RESTORER), buf.getLong(offset + SA_MASK));
    }
}
