package dev.jlx.abi;

/** Scheduling policies and priorities of sched(7), from {@code linux/sched.h} and {@code linux/sched/prio.h}. */
public final class Sched {
    private Sched() {}

    public static final int SCHED_OTHER = 0;
    public static final int SCHED_FIFO = 1;
    public static final int SCHED_RR = 2;
    public static final int SCHED_BATCH = 3;
    public static final int SCHED_IDLE = 5;
    public static final int SCHED_DEADLINE = 6;
    /** Or'ed into sched_setscheduler's policy: a new task starts at SCHED_OTHER and a nice of at least 0. */
    public static final int SCHED_RESET_ON_FORK = 0x40000000;

    /** The highest real-time priority (MAX_RT_PRIO - 1); the lowest is 1. */
    public static final int MAX_RT_PRIORITY = 99;
    public static final int MIN_NICE = -20;
    public static final int MAX_NICE = 19;

    /** The real-time policies, whose tasks have a priority of 1..99 (the others have 0). */
    public static boolean realTime(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }
}
