package dev.jlx.abi;

/** Operations and flags of futex(2), from {@code linux/futex.h}. */
public final class Futex {
    private Futex() {}

    public static final int FUTEX_WAIT = 0;
    public static final int FUTEX_WAKE = 1;
    public static final int FUTEX_FD = 2;
    public static final int FUTEX_REQUEUE = 3;
    public static final int FUTEX_CMP_REQUEUE = 4;
    public static final int FUTEX_WAKE_OP = 5;
    public static final int FUTEX_LOCK_PI = 6;
    public static final int FUTEX_UNLOCK_PI = 7;
    public static final int FUTEX_TRYLOCK_PI = 8;
    public static final int FUTEX_WAIT_BITSET = 9;
    public static final int FUTEX_WAKE_BITSET = 10;
    public static final int FUTEX_WAIT_REQUEUE_PI = 11;
    public static final int FUTEX_CMP_REQUEUE_PI = 12;
    public static final int FUTEX_LOCK_PI2 = 13;

    /** The futex is not shared with another process: glibc sets it on almost every call. */
    public static final int FUTEX_PRIVATE_FLAG = 128;
    public static final int FUTEX_CLOCK_REALTIME = 256;
    /** Masks the flags off the op argument, leaving the command. */
    public static final int FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);

    public static final int FUTEX_WAIT_PRIVATE = FUTEX_WAIT | FUTEX_PRIVATE_FLAG;
    public static final int FUTEX_WAKE_PRIVATE = FUTEX_WAKE | FUTEX_PRIVATE_FLAG;
    public static final int FUTEX_WAIT_BITSET_PRIVATE = FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG;
    public static final int FUTEX_WAKE_BITSET_PRIVATE = FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG;

    /** The bitset that makes FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET behave like plain WAIT / WAKE. */
    public static final int FUTEX_BITSET_MATCH_ANY = 0xffffffff;

    // Robust futex list (set_robust_list(2)): bits of the futex word.
    public static final int FUTEX_WAITERS = 0x80000000;
    public static final int FUTEX_OWNER_DIED = 0x40000000;
    public static final int FUTEX_TID_MASK = 0x3fffffff;
}
