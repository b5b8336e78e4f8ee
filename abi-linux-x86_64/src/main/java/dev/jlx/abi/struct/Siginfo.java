package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code siginfo_t} ({@code asm-generic/siginfo.h}), 128 bytes: signo, errno and code, then a
 * union whose member the signal and code choose (the kernel's siginfo_layout); the rest is zero.
 */
public record Siginfo(int signo, int errno, int code, Fields fields) {
    public static final int SIZE = 128;
    public static final int SI_SIGNO = 0;
    public static final int SI_ERRNO = 4;
    public static final int SI_CODE = 8;
    /** The union, from offset 16. _kill, _rt and _sigchld: the sender's pid and real uid. */
    public static final int SI_PID = 16;
    public static final int SI_UID = 20;
    /** _sigchld: the exit code or signal, then the child's user and system time in clock ticks. */
    public static final int SI_STATUS = 24;
    public static final int SI_UTIME = 32;
    public static final int SI_STIME = 40;
    /** _rt and _timer: the sigval. */
    public static final int SI_VALUE = 24;
    /** _timer: the timer id and its overrun count. */
    public static final int SI_TID = 16;
    public static final int SI_OVERRUN = 20;
    /** _sigfault: the faulting address. */
    public static final int SI_ADDR = 16;
    /** _sigpoll: the band event and the descriptor. */
    public static final int SI_BAND = 16;
    public static final int SI_FD = 24;

    /** A signal sent by a process (kill, tkill, sigqueue without a value) or by the kernel (SI_KERNEL). */
    public static Siginfo kill(int signo, int code, int pid, int uid) {
        return new Siginfo(signo, 0, code, new Kill(pid, uid));
    }

    /** The union member the signal carries. */
    public sealed interface Fields {
        void writeTo(ByteBuffer buf, int offset);
    }

    /** {@code _kill}: who sent it. */
    public record Kill(int pid, int uid) implements Fields {
        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.putInt(offset + SI_PID, pid).putInt(offset + SI_UID, uid);
        }
    }

    /** {@code _sigchld}: the child that changed state, its status and its CPU times in clock ticks. */
    public record Child(int pid, int uid, int status, long utime, long stime) implements Fields {
        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.putInt(offset + SI_PID, pid).putInt(offset + SI_UID, uid).putInt(offset + SI_STATUS, status)
                    .putLong(offset + SI_UTIME, utime).putLong(offset + SI_STIME, stime);
        }
    }

    /** {@code _timer}: a POSIX timer's id, the expiries it missed (overrun) and the sigevent's value. */
    public record Timer(int timerId, int overrun, long value) implements Fields {
        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.putInt(offset + SI_TID, timerId).putInt(offset + SI_OVERRUN, overrun).putLong(offset + SI_VALUE, value);
        }
    }

    /** {@code _rt}: who sent it and the sigval it carries (sigqueue, a message queue's notification). */
    public record Rt(int pid, int uid, long value) implements Fields {
        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.putInt(offset + SI_PID, pid).putInt(offset + SI_UID, uid).putLong(offset + SI_VALUE, value);
        }
    }

    /** {@code _sigpoll}: the poll band of the event and the descriptor it is about (SIGIO, F_SETSIG's signal). */
    public record Poll(long band, int fd) implements Fields {
        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.putLong(offset + SI_BAND, band).putInt(offset + SI_FD, fd);
        }
    }

    /** {@code _sigfault}: the address a CPU fault was at. */
    public record Fault(long addr) implements Fields {
        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.putLong(offset + SI_ADDR, addr);
        }
    }

    /**
     * A siginfo a process wrote (rt_sigqueueinfo, pidfd_send_signal): bytes 12 to 47 of the kernel's
     * 48-byte kernel_siginfo, kept as given, as Linux keeps them; the rest reads back as zero.
     */
    public record Raw(byte[] bytes) implements Fields {
        /** Where the kept bytes start: the padding after si_code. */
        public static final int FROM = 12;
        /** sizeof(struct kernel_siginfo). */
        public static final int KERNEL_SIZE = 48;

        public int intAt(int offset) {
            return ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(offset - FROM);
        }

        public long longAt(int offset) {
            return ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(offset - FROM);
        }

        @Override
        public void writeTo(ByteBuffer buf, int offset) {
            buf.put(offset + FROM, bytes);
        }
    }

    /** Writes all 128 bytes: the fields, and zero where the union member ends. */
    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        for (int i = 0; i < SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
        buf.putInt(offset + SI_SIGNO, signo).putInt(offset + SI_ERRNO, errno).putInt(offset + SI_CODE, code);
        fields.writeTo(buf, offset);
    }
}
