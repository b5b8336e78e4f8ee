package dev.jlx.abi;

/** Options of prctl(2), from {@code linux/prctl.h} (the first argument only; sub-values as needed). */
public final class Prctl {
    private Prctl() {}

    public static final int PR_SET_PDEATHSIG = 1;
    public static final int PR_GET_PDEATHSIG = 2;
    public static final int PR_GET_DUMPABLE = 3;
    public static final int PR_SET_DUMPABLE = 4;
    public static final int PR_GET_UNALIGN = 5;
    public static final int PR_SET_UNALIGN = 6;
    public static final int PR_GET_KEEPCAPS = 7;
    public static final int PR_SET_KEEPCAPS = 8;
    public static final int PR_GET_FPEMU = 9;
    public static final int PR_SET_FPEMU = 10;
    public static final int PR_GET_FPEXC = 11;
    public static final int PR_SET_FPEXC = 12;
    public static final int PR_GET_TIMING = 13;
    public static final int PR_SET_TIMING = 14;
    /** The thread's comm name: 16 bytes including the NUL (TASK_COMM_LEN). */
    public static final int PR_SET_NAME = 15;
    public static final int TASK_COMM_LEN = 16;
    public static final int PR_GET_NAME = 16;
    public static final int PR_GET_ENDIAN = 19;
    public static final int PR_SET_ENDIAN = 20;
    public static final int PR_GET_SECCOMP = 21;
    public static final int PR_SET_SECCOMP = 22;
    public static final int PR_CAPBSET_READ = 23;
    public static final int PR_CAPBSET_DROP = 24;
    public static final int PR_GET_TSC = 25;
    public static final int PR_SET_TSC = 26;
    public static final int PR_GET_SECUREBITS = 27;
    public static final int PR_SET_SECUREBITS = 28;
    public static final int PR_SET_TIMERSLACK = 29;
    public static final int PR_GET_TIMERSLACK = 30;
    public static final int PR_TASK_PERF_EVENTS_DISABLE = 31;
    public static final int PR_TASK_PERF_EVENTS_ENABLE = 32;
    public static final int PR_MCE_KILL = 33;
    public static final int PR_MCE_KILL_GET = 34;
    public static final int PR_SET_MM = 35;
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;
    public static final int PR_GET_TID_ADDRESS = 40;
    public static final int PR_SET_THP_DISABLE = 41;
    public static final int PR_GET_THP_DISABLE = 42;
    public static final int PR_MPX_ENABLE_MANAGEMENT = 43;
    public static final int PR_MPX_DISABLE_MANAGEMENT = 44;
    public static final int PR_SET_FP_MODE = 45;
    public static final int PR_GET_FP_MODE = 46;
    public static final int PR_CAP_AMBIENT = 47;
    public static final int PR_SVE_SET_VL = 50;
    public static final int PR_SVE_GET_VL = 51;
    public static final int PR_GET_SPECULATION_CTRL = 52;
    public static final int PR_SET_SPECULATION_CTRL = 53;
    public static final int PR_PAC_RESET_KEYS = 54;
    public static final int PR_SET_TAGGED_ADDR_CTRL = 55;
    public static final int PR_GET_TAGGED_ADDR_CTRL = 56;
    public static final int PR_SET_IO_FLUSHER = 57;
    public static final int PR_GET_IO_FLUSHER = 58;
    public static final int PR_SET_SYSCALL_USER_DISPATCH = 59;
    public static final int PR_PAC_SET_ENABLED_KEYS = 60;
    public static final int PR_PAC_GET_ENABLED_KEYS = 61;
    public static final int PR_SCHED_CORE = 62;
    public static final int PR_SME_SET_VL = 63;
    public static final int PR_SME_GET_VL = 64;
    /** The odd values are ASCII tags ("Yama", "SVMA"), not numbers in the sequence. */
    public static final int PR_SET_PTRACER = 0x59616d61;
    public static final int PR_SET_VMA = 0x53564d41;
    public static final int PR_SET_VMA_ANON_NAME = 0;

    /** PR_SET_PTRACER: any process may trace the caller. */
    public static final long PR_SET_PTRACER_ANY = -1L;
}
