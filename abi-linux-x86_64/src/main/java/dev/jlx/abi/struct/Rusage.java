package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct rusage} ({@code linux/resource.h}), filled by getrusage(2) and wait4(2), 144 bytes: two
 * timevals, then fourteen longs of which Linux maintains only maxrss (KiB), minflt, majflt, inblock,
 * oublock, nvcsw and nivcsw; the rest stay zero.
 */
public record Rusage(Timeval utime, Timeval stime, long maxrss, long ixrss, long idrss, long isrss, long minflt,
        long majflt, long nswap, long inblock, long oublock, long msgsnd, long msgrcv, long nsignals, long nvcsw,
        long nivcsw) {
    public static final int SIZE = 144;
    public static final int RU_UTIME = 0;
    public static final int RU_STIME = 16;
    public static final int RU_MAXRSS = 32;
    public static final int RU_IXRSS = 40;
    public static final int RU_IDRSS = 48;
    public static final int RU_ISRSS = 56;
    public static final int RU_MINFLT = 64;
    public static final int RU_MAJFLT = 72;
    public static final int RU_NSWAP = 80;
    public static final int RU_INBLOCK = 88;
    public static final int RU_OUBLOCK = 96;
    public static final int RU_MSGSND = 104;
    public static final int RU_MSGRCV = 112;
    public static final int RU_NSIGNALS = 120;
    public static final int RU_NVCSW = 128;
    public static final int RU_NIVCSW = 136;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        utime.writeTo(buf, offset + RU_UTIME);
        stime.writeTo(buf, offset + RU_STIME);
        buf.putLong(offset + RU_MAXRSS, maxrss).putLong(offset + RU_IXRSS, ixrss).putLong(offset + RU_IDRSS, idrss)
                .putLong(offset + RU_ISRSS, isrss).putLong(offset + RU_MINFLT, minflt)
                .putLong(offset + RU_MAJFLT, majflt).putLong(offset + RU_NSWAP, nswap)
                .putLong(offset + RU_INBLOCK, inblock).putLong(offset + RU_OUBLOCK, oublock)
                .putLong(offset + RU_MSGSND, msgsnd).putLong(offset + RU_MSGRCV, msgrcv)
                .putLong(offset + RU_NSIGNALS, nsignals).putLong(offset + RU_NVCSW, nvcsw)
                .putLong(offset + RU_NIVCSW, nivcsw);
    }
}
