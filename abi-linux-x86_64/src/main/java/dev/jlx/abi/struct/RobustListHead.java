package dev.jlx.abi.struct;

/**
 * {@code struct robust_list_head} ({@code linux/futex.h}), 24 bytes: the list of robust futexes a
 * thread holds, the offset of the futex word in each entry, and the entry being taken or released.
 */
public final class RobustListHead {
    public static final int SIZE = 24;
    public static final int LIST = 0;
    public static final int FUTEX_OFFSET = 8;
    public static final int LIST_OP_PENDING = 16;

    private RobustListHead() {}
}
