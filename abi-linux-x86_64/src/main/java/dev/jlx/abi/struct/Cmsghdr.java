package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct cmsghdr} ({@code linux/socket.h}), 16 bytes: the length (size_t) of the header and
 * its data, the level and the type; the data follows at {@link #SIZE}. CMSG_ALIGN rounds to 8.
 */
public record Cmsghdr(long len, int level, int type) {
    public static final int SIZE = 16;
    public static final int CMSG_LEN = 0;
    public static final int CMSG_LEVEL = 8;
    public static final int CMSG_TYPE = 12;

    public static Cmsghdr readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Cmsghdr(buf.getLong(offset + CMSG_LEN), buf.getInt(offset + CMSG_LEVEL),
                buf.getInt(offset + CMSG_TYPE));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putLong(offset + CMSG_LEN, len).putInt(offset + CMSG_LEVEL, level)
                .putInt(offset + CMSG_TYPE, type);
    }

    /** CMSG_ALIGN: a length rounded up to the next multiple of 8. */
    public static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** CMSG_LEN: the header and {@code data} bytes. */
    public static long len(long data) {
        return SIZE + data;
    }

    /** CMSG_SPACE: the header and {@code data} bytes, padded to the next header. */
    public static long space(long data) {
        return SIZE + align(data);
    }
}
