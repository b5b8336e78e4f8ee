package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/** {@code struct iocb} ({@code linux/aio_abi.h}, little-endian), 64 bytes: one request of io_submit(2). */
public record Iocb(long data, int key, int rwFlags, int opcode, short reqprio, int fildes, long buf, long nbytes,
        long offset, long reserved2, int flags, int resfd) {
    public static final int SIZE = 64;
    public static final int AIO_DATA = 0;
    public static final int AIO_KEY = 8;
    public static final int AIO_RW_FLAGS = 12;
    public static final int AIO_LIO_OPCODE = 16;
    public static final int AIO_REQPRIO = 18;
    public static final int AIO_FILDES = 20;
    public static final int AIO_BUF = 24;
    public static final int AIO_NBYTES = 32;
    public static final int AIO_OFFSET = 40;
    public static final int AIO_RESERVED2 = 48;
    public static final int AIO_FLAGS = 56;
    public static final int AIO_RESFD = 60;

    public static Iocb readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Iocb(buf.getLong(offset + AIO_DATA), buf.getInt(offset + AIO_KEY), buf.getInt(offset + AIO_RW_FLAGS),
                Short.toUnsignedInt(buf.getShort(offset + AIO_LIO_OPCODE)), buf.getShort(offset + AIO_REQPRIO),
                buf.getInt(offset + AIO_FILDES), buf.getLong(offset + AIO_BUF), buf.getLong(offset + AIO_NBYTES),
                buf.getLong(offset + AIO_OFFSET), buf.getLong(offset + AIO_RESERVED2), buf.getInt(offset + AIO_FLAGS),
                buf.getInt(offset + AIO_RESFD));
    }
}
