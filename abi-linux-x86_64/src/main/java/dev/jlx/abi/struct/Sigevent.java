package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct sigevent} ({@code asm-generic/siginfo.h}), 64 bytes: the sigval a signal carries,
 * the signal, how to notify (SIGEV_*), then a union of which the kernel reads only the thread id
 * of SIGEV_THREAD_ID ({@code sigev_notify_thread_id}).
 */
public record Sigevent(long value, int signo, int notification, int threadId) {
    public static final int SIZE = 64;
    public static final int SIGEV_VALUE = 0;
    public static final int SIGEV_SIGNO = 8;
    public static final int SIGEV_NOTIFY = 12;
    public static final int SIGEV_THREAD_ID = 16;

    public static Sigevent readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Sigevent(buf.getLong(offset + SIGEV_VALUE), buf.getInt(offset + SIGEV_SIGNO),
                buf.getInt(offset + SIGEV_NOTIFY), buf.getInt(offset + SIGEV_THREAD_ID));
    }

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        buf.putLong(offset + SIGEV_VALUE, value).putInt(offset + SIGEV_SIGNO, signo).putInt(offset + SIGEV_NOTIFY, notification)
                .putInt(offset + SIGEV_THREAD_ID, threadId);
    }
}
