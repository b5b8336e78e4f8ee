package dev.jlx.abi;

/** Options of wait4(2) and waitid(2), and waitid's id types, from {@code linux/wait.h}. */
public final class Wait {
    private Wait() {}

    public static final int WNOHANG = 0x00000001;
    public static final int WUNTRACED = 0x00000002;
    public static final int WSTOPPED = WUNTRACED;
    public static final int WEXITED = 0x00000004;
    public static final int WCONTINUED = 0x00000008;
    public static final int WNOWAIT = 0x01000000;
    /** {@code __WNOTHREAD}: only children of the calling thread, not of its whole group. */
    public static final int WNOTHREAD = 0x20000000;
    /** {@code __WALL}: children of any kind, clone or not. */
    public static final int WALL = 0x40000000;
    /** {@code __WCLONE}: only children that do not signal SIGCHLD at exit. */
    public static final int WCLONE = 0x80000000;

    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PGID = 2;
    public static final int P_PIDFD = 3;
}
