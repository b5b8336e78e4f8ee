package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct mq_attr} ({@code linux/mqueue.h}), 64 bytes: four longs, then four reserved. */
public record MqAttr(long flags, long maxmsg, long msgsize, long curmsgs) {
    public static final int SIZE = 64;
    public static final int FLAGS = 0;
    public static final int MAXMSG = 8;
    public static final int MSGSIZE = 16;
    public static final int CURMSGS = 24;

    public static MqAttr readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new MqAttr(buf.getLong(offset + FLAGS), buf.getLong(offset + MAXMSG), buf.getLong(offset + MSGSIZE),
                buf.getLong(offset + CURMSGS));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        buf.putLong(offset + FLAGS, flags).putLong(offset + MAXMSG, maxmsg).putLong(offset + MSGSIZE, msgsize)
                .putLong(offset + CURMSGS, curmsgs);
    }
}
