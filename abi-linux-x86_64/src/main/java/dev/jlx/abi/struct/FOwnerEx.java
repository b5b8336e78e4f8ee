package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct f_owner_ex} of fcntl(2) F_GETOWN_EX and F_SETOWN_EX ({@code asm-generic/fcntl.h}), 8 bytes. */
public record FOwnerEx(int type, int pid) {
    public static final int SIZE = 8;
    public static final int TYPE = 0;
    public static final int PID = 4;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + TYPE, type).putInt(offset + PID, pid);
    }

    public static FOwnerEx readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new FOwnerEx(buf.getInt(offset + TYPE), buf.getInt(offset + PID));
    }
}
