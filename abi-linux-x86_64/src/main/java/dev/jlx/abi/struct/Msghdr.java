package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct user_msghdr} ({@code linux/socket.h}), 56 bytes: the name and its length (an int,
 * then 4 bytes of padding), the iovec array and its count, the control buffer and its length
 * (size_t), and the flags recvmsg returns.
 */
public record Msghdr(long name, int namelen, long iov, long iovlen, long control, long controllen, int flags) {
    public static final int SIZE = 56;
    public static final int MSG_NAME = 0;
    public static final int MSG_NAMELEN = 8;
    public static final int MSG_IOV = 16;
    public static final int MSG_IOVLEN = 24;
    public static final int MSG_CONTROL = 32;
    public static final int MSG_CONTROLLEN = 40;
    public static final int MSG_FLAGS = 48;

    public static Msghdr readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Msghdr(buf.getLong(offset + MSG_NAME), buf.getInt(offset + MSG_NAMELEN), buf.getLong(offset + MSG_IOV),
                buf.getLong(offset + MSG_IOVLEN), buf.getLong(offset + MSG_CONTROL),
                buf.getLong(offset + MSG_CONTROLLEN), buf.getInt(offset + MSG_FLAGS));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + MSG_NAME, name).putInt(offset + MSG_NAMELEN, namelen)
                .putInt(offset + MSG_NAMELEN + 4, 0).putLong(offset + MSG_IOV, iov).putLong(offset + MSG_IOVLEN, iovlen)
                .putLong(offset + MSG_CONTROL, control).putLong(offset + MSG_CONTROLLEN, controllen)
                .putInt(offset + MSG_FLAGS, flags).putInt(offset + MSG_FLAGS + 4, 0);
    }
}
