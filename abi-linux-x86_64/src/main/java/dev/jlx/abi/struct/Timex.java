package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct __kernel_timex} ({@code linux/timex.h}), 208 bytes: adjtimex(2)'s and clock_adjtime(2)'s
 * argument, read in and written back whole. {@code timeUsec} holds nanoseconds under STA_NANO (or ADJ_NANO
 * with ADJ_SETOFFSET), as Linux's.
 */
public record Timex(int modes, long offset, long freq, long maxerror, long esterror, int status, long constant,
        long precision, long tolerance, long timeSec, long timeUsec, long tick, long ppsfreq, long jitter, int shift,
        long stabil, long jitcnt, long calcnt, long errcnt, long stbcnt, int tai) {
    public static final int SIZE = 208;
    public static final int MODES = 0;
    public static final int OFFSET = 8;
    public static final int FREQ = 16;
    public static final int MAXERROR = 24;
    public static final int ESTERROR = 32;
    public static final int STATUS = 40;
    public static final int CONSTANT = 48;
    public static final int PRECISION = 56;
    public static final int TOLERANCE = 64;
    public static final int TIME = 72;
    public static final int TICK = 88;
    public static final int PPSFREQ = 96;
    public static final int JITTER = 104;
    public static final int SHIFT = 112;
    public static final int STABIL = 120;
    public static final int JITCNT = 128;
    public static final int CALCNT = 136;
    public static final int ERRCNT = 144;
    public static final int STBCNT = 152;
    public static final int TAI = 160;

    /** Writes every field; the 44 padding bytes after {@code tai} are left as they are. */
    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf).putInt(offset + MODES, modes).putLong(offset + OFFSET, this.offset)
                .putLong(offset + FREQ, freq).putLong(offset + MAXERROR, maxerror).putLong(offset + ESTERROR, esterror)
                .putInt(offset + STATUS, status).putLong(offset + CONSTANT, constant)
                .putLong(offset + PRECISION, precision).putLong(offset + TOLERANCE, tolerance)
                .putLong(offset + TIME, timeSec).putLong(offset + TIME + 8, timeUsec).putLong(offset + TICK, tick)
                .putLong(offset + PPSFREQ, ppsfreq).putLong(offset + JITTER, jitter).putInt(offset + SHIFT, shift)
                .putLong(offset + STABIL, stabil).putLong(offset + JITCNT, jitcnt).putLong(offset + CALCNT, calcnt)
                .putLong(offset + ERRCNT, errcnt).putLong(offset + STBCNT, stbcnt).putInt(offset + TAI, tai);
    }

    public static Timex readFrom(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        return new Timex(buf.getInt(offset + MODES), buf.getLong(offset + OFFSET), buf.getLong(offset + FREQ),
                buf.getLong(offset + MAXERROR), buf.getLong(offset + ESTERROR), buf.getInt(offset + STATUS),
                buf.getLong(offset + CONSTANT), buf.getLong(offset + PRECISION), buf.getLong(offset + TOLERANCE),
                buf.getLong(offset + TIME), buf.getLong(offset + TIME + 8), buf.getLong(offset + TICK),
                buf.getLong(offset + PPSFREQ), buf.getLong(offset + JITTER), buf.getInt(offset + SHIFT),
                buf.getLong(offset + STABIL), buf.getLong(offset + JITCNT), buf.getLong(offset + CALCNT),
                buf.getLong(offset + ERRCNT), buf.getLong(offset + STBCNT), buf.getInt(offset + TAI));
    }
}
