package dev.jlx.abi;

/** Clock ids of clock_gettime(2) and friends, and the timer flag, from {@code linux/time.h}. */
public final class Clocks {
    private Clocks() {}

    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    public static final int CLOCK_THREAD_CPUTIME_ID = 3;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_REALTIME_COARSE = 5;
    public static final int CLOCK_MONOTONIC_COARSE = 6;
    public static final int CLOCK_BOOTTIME = 7;
    public static final int CLOCK_REALTIME_ALARM = 8;
    public static final int CLOCK_BOOTTIME_ALARM = 9;
    /** Reserved: the SGI cycle counter was removed, the number is never reused. */
    public static final int CLOCK_SGI_CYCLE = 10;
    public static final int CLOCK_TAI = 11;

    /** clock_nanosleep(2) and timer_settime(2): the time is absolute, not relative. */
    public static final int TIMER_ABSTIME = 0x01;
}
