package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * pselect6's sixth argument, {@code struct sigset_argpack} ({@code fs/select.c}; no uapi header):
 * a pointer to the signal mask to wait with and that mask's size, 16 bytes.
 */
public record SigsetArgpack(long sigset, long size) {
    public static final int SIZE = 16;
    public static final int P = 0;
    public static final int SIGSET_SIZE = 8;

    public static SigsetArgpack readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new SigsetArgpack(buf.getLong(offset + P), buf.getLong(offset + SIGSET_SIZE));
    }
}
