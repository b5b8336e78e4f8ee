package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Timex;
import dev.jlx.core.ErrnoException;

/**
 * The wall clock a run's guests see, analogous to Linux's timekeeping and NTP state
 * (kernel/time/timekeeping.c, ntp.c): an offset from the host's CLOCK_REALTIME that settimeofday,
 * clock_settime and ADJ_SETOFFSET move (the host's clock never changes), the TAI offset, the time
 * zone settimeofday keeps, and the NTP values adjtimex stores and reads back. Those values steer
 * nothing: the clock ticks as the host's does. Guarded by its own monitor.
 */
public final class TimeKeeping {
    public static final int STA_PLL = 0x0001;
    public static final int STA_PPSFREQ = 0x0002;
    public static final int STA_PPSTIME = 0x0004;
    public static final int STA_UNSYNC = 0x0040;
    public static final int STA_PPSSIGNAL = 0x0100;
    public static final int STA_PPSJITTER = 0x0200;
    public static final int STA_PPSWANDER = 0x0400;
    public static final int STA_PPSERROR = 0x0800;
    public static final int STA_CLOCKERR = 0x1000;
    public static final int STA_NANO = 0x2000;
    public static final int STA_MODE = 0x4000;
    public static final int STA_CLK = 0x8000;
    /** The bits adjtimex never sets from the guest's status. */
    private static final int STA_RONLY = STA_PPSSIGNAL | STA_PPSJITTER | STA_PPSWANDER | STA_PPSERROR | STA_CLOCKERR
            | STA_NANO | STA_MODE | STA_CLK;

    public static final int ADJ_OFFSET = 0x0001;
    public static final int ADJ_FREQUENCY = 0x0002;
    public static final int ADJ_MAXERROR = 0x0004;
    public static final int ADJ_ESTERROR = 0x0008;
    public static final int ADJ_STATUS = 0x0010;
    public static final int ADJ_TIMECONST = 0x0020;
    public static final int ADJ_TAI = 0x0080;
    public static final int ADJ_SETOFFSET = 0x0100;
    public static final int ADJ_MICRO = 0x1000;
    public static final int ADJ_NANO = 0x2000;
    public static final int ADJ_TICK = 0x4000;
    public static final int ADJ_ADJTIME = 0x8000;
    public static final int ADJ_OFFSET_READONLY = 0x2000;
    public static final int ADJ_OFFSET_SINGLESHOT = 0x0001;

    public static final int TIME_OK = 0;
    public static final int TIME_ERROR = 5;

    private static final long NANOS = 1_000_000_000L;
    /** NTP_PHASE_LIMIT: the largest maxerror and esterror, in microseconds. */
    private static final long NTP_PHASE_LIMIT = 16_000_000;
    /** MAXFREQ / NSEC_PER_USEC: how much maxerror grows each second, in microseconds. */
    private static final long MAXERROR_PER_SECOND = 500;
    /** Linux's frequency scale: time_freq is in 2^-32 ns per ns; PPM_SCALE turns ppm * 2^16 into it. */
    private static final int NTP_SCALE_SHIFT = 32;
    private static final long PPM_SCALE = 1000L << (NTP_SCALE_SHIFT - 16);
    private static final int PPM_SCALE_INV_SHIFT = 19;
    private static final long PPM_SCALE_INV = (1L << (PPM_SCALE_INV_SHIFT + NTP_SCALE_SHIFT)) / PPM_SCALE + 1;
    private static final long MAXFREQ_SCALED = 500_000L << NTP_SCALE_SHIFT;
    private static final long MAXPHASE = 500_000_000L;
    private static final long MAXTC = 10;
    private static final long MAX_TAI_OFFSET = 100_000;
    /** USER_HZ: tick is the microseconds of one of its ticks. */
    private static final long USER_HZ = 100;
    /** TIME_SETTOD_SEC_MAX: the seconds past which Linux refuses to set the clock (KTIME_SEC_MAX less 30 years). */
    public static final long SETTOD_SEC_MAX = Long.MAX_VALUE / NANOS - 30L * 365 * 24 * 3600;

    private volatile long realtimeOffset;
    private volatile int taiSeconds;
    private int minuteswest;
    private int dsttime;
    private int status = STA_UNSYNC;
    private long freqScaled;
    private long maxerror = NTP_PHASE_LIMIT;
    private long maxerrorSince = System.nanoTime();
    private long esterror = NTP_PHASE_LIMIT;
    private long constant = 2;
    private long tick = 1_000_000 / USER_HZ;
    private long offsetNanos;
    private long adjustMicros;

    /** What the guests' CLOCK_REALTIME is ahead of the host's, in nanoseconds. */
    public long realtimeOffset() {
        return realtimeOffset;
    }

    /** The seconds CLOCK_TAI is ahead of CLOCK_REALTIME (adjtimex's tai, 0 until ADJ_TAI). */
    public int taiSeconds() {
        return taiSeconds;
    }

    /** Sets the guests' CLOCK_REALTIME to {@code nanos} as the host's reads {@code hostNow}. */
    public void setRealtime(long nanos, long hostNow) {
        realtimeOffset = nanos - hostNow;
    }

    /** {minuteswest, dsttime}: the time zone settimeofday last set, as gettimeofday reports it. */
    public synchronized int[] timezone() {
        return new int[] {minuteswest, dsttime};
    }

    public synchronized void setTimezone(int minuteswest, int dsttime) {
        this.minuteswest = minuteswest;
        this.dsttime = dsttime;
    }

    /**
     * Linux's timekeeping_validate_timex: EINVAL and EPERM in its order; {@code mayChange} is
     * CAP_SYS_TIME.
     */
    public static void validate(Timex tx, boolean mayChange) throws ErrnoException {
        int modes = tx.modes();
        if ((modes & ADJ_ADJTIME) != 0) {
            if ((modes & ADJ_OFFSET_SINGLESHOT) == 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if ((modes & ADJ_OFFSET_READONLY) == 0 && !mayChange) {
                throw new ErrnoException(Errno.EPERM);
            }
        } else {
            if (modes != 0 && !mayChange) {
                throw new ErrnoException(Errno.EPERM);
            }
            if ((modes & ADJ_TICK) != 0 && (tx.tick() < 900_000 / USER_HZ || tx.tick() > 1_100_000 / USER_HZ)) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        if ((modes & ADJ_SETOFFSET) != 0) {
            if (!mayChange) {
                throw new ErrnoException(Errno.EPERM);
            }
            if (tx.timeUsec() < 0 || tx.timeUsec() >= ((modes & ADJ_NANO) != 0 ? NANOS : 1_000_000)) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        if ((modes & ADJ_FREQUENCY) != 0
                && (Long.MIN_VALUE / PPM_SCALE > tx.freq() || Long.MAX_VALUE / PPM_SCALE < tx.freq())) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * Linux's do_adjtimex after the validation: ADJ_SETOFFSET moves the clock, the other modes store
     * their values, and the result is the state now, with {@code hostNow} the host's CLOCK_REALTIME.
     * Returns the struct to write back; the call's result is {@link #state(Timex)}'s.
     */
    public synchronized Timex adjust(Timex tx, long hostNow) {
        int modes = tx.modes();
        if ((modes & ADJ_SETOFFSET) != 0) {
            long delta = tx.timeSec() * NANOS + ((modes & ADJ_NANO) != 0 ? tx.timeUsec() : tx.timeUsec() * 1000);
            realtimeOffset += delta;
        }
        long now = hostNow + realtimeOffset;
        long reportedOffset;
        if ((modes & ADJ_ADJTIME) != 0) {
            reportedOffset = adjustMicros;
            if ((modes & ADJ_OFFSET_READONLY) == 0) {
                adjustMicros = tx.offset();
            }
        } else {
            if (modes != 0) {
                store(tx);
            }
            reportedOffset = (status & STA_NANO) != 0 ? offsetNanos : offsetNanos / 1000;
        }
        long freq = shiftRight((freqScaled >> PPM_SCALE_INV_SHIFT) * PPM_SCALE_INV, NTP_SCALE_SHIFT);
        long usec = (status & STA_NANO) != 0 ? Math.floorMod(now, NANOS) : Math.floorMod(now, NANOS) / 1000;
        return new Timex(modes, reportedOffset, freq, currentMaxerror(), esterror, status, constant, 1,
                MAXFREQ_SCALED / PPM_SCALE, Math.floorDiv(now, NANOS), usec, tick, 0, 0, 0, 0, 0, 0, 0, 0, taiSeconds);
    }

    /** adjtimex's result for the state {@code tx} reports: TIME_ERROR for an unsynchronised clock, else TIME_OK. */
    public static int state(Timex tx) {
        int s = tx.status();
        boolean error = (s & (STA_UNSYNC | STA_CLOCKERR)) != 0
                || (s & (STA_PPSFREQ | STA_PPSTIME)) != 0 && (s & STA_PPSSIGNAL) == 0
                || (s & (STA_PPSTIME | STA_PPSJITTER)) == (STA_PPSTIME | STA_PPSJITTER)
                || (s & STA_PPSFREQ) != 0 && (s & (STA_PPSWANDER | STA_PPSERROR)) != 0;
        return error ? TIME_ERROR : TIME_OK;
    }

    /** Linux's process_adjtimex_modes, storing only. */
    private void store(Timex tx) {
        int modes = tx.modes();
        if ((modes & ADJ_STATUS) != 0) {
            if ((status & STA_PLL) != 0 && (tx.status() & STA_PLL) == 0) {
                status = STA_UNSYNC;
            }
            status &= STA_RONLY;
            status |= tx.status() & ~STA_RONLY;
        }
        if ((modes & ADJ_NANO) != 0) {
            status |= STA_NANO;
        }
        if ((modes & ADJ_MICRO) != 0) {
            status &= ~STA_NANO;
        }
        if ((modes & ADJ_FREQUENCY) != 0) {
            freqScaled = Math.clamp(tx.freq() * PPM_SCALE, -MAXFREQ_SCALED, MAXFREQ_SCALED);
        }
        if ((modes & ADJ_MAXERROR) != 0) {
            maxerror = Math.clamp(tx.maxerror(), 0, NTP_PHASE_LIMIT);
            maxerrorSince = System.nanoTime();
        }
        if ((modes & ADJ_ESTERROR) != 0) {
            esterror = Math.clamp(tx.esterror(), 0, NTP_PHASE_LIMIT);
        }
        if ((modes & ADJ_TIMECONST) != 0) {
            constant = Math.clamp(tx.constant(), 0, MAXTC);
            if ((status & STA_NANO) == 0) {
                constant = Math.min(constant + 4, MAXTC);
            }
        }
        if ((modes & ADJ_TAI) != 0 && tx.constant() >= 0 && tx.constant() <= MAX_TAI_OFFSET) {
            taiSeconds = (int) tx.constant();
        }
        if ((modes & ADJ_OFFSET) != 0 && (status & STA_PLL) != 0) {
            // ntp_update_offset: kept only while the PLL is on, in nanoseconds, within MAXPHASE.
            long nanos = (status & STA_NANO) != 0 ? tx.offset() : tx.offset() * 1000;
            offsetNanos = Math.clamp(nanos, -MAXPHASE, MAXPHASE);
        }
        if ((modes & ADJ_TICK) != 0) {
            tick = tx.tick();
        }
    }

    /** maxerror grows by 500 µs each second up to NTP_PHASE_LIMIT, as Linux's second_overflow adds it. */
    private long currentMaxerror() {
        long seconds = (System.nanoTime() - maxerrorSince) / NANOS;
        long grown = maxerror + Math.min(seconds, NTP_PHASE_LIMIT) * MAXERROR_PER_SECOND;
        if (grown > NTP_PHASE_LIMIT) {
            status |= STA_UNSYNC;
            return NTP_PHASE_LIMIT;
        }
        return grown;
    }

    private static long shiftRight(long x, int s) {
        return x < 0 ? -((-x) >> s) : x >> s;
    }
}
