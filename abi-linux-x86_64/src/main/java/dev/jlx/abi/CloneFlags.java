package dev.jlx.abi;

/**
 * Flags of clone(2) and clone3(2), from {@code linux/sched.h}. The low byte of clone(2)'s flags is not
 * a flag but the signal sent to the parent when the child exits ({@link #CSIGNAL}); the two flags above
 * bit 31 exist only for clone3(2), whose flags are 64 bits wide, hence {@code long}.
 */
public final class CloneFlags {
    private CloneFlags() {}

    public static final int CSIGNAL = 0x000000ff;
    public static final int CLONE_NEWTIME = 0x00000080;
    public static final int CLONE_VM = 0x00000100;
    public static final int CLONE_FS = 0x00000200;
    public static final int CLONE_FILES = 0x00000400;
    public static final int CLONE_SIGHAND = 0x00000800;
    public static final int CLONE_PIDFD = 0x00001000;
    public static final int CLONE_PTRACE = 0x00002000;
    public static final int CLONE_VFORK = 0x00004000;
    public static final int CLONE_PARENT = 0x00008000;
    public static final int CLONE_THREAD = 0x00010000;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_SYSVSEM = 0x00040000;
    public static final int CLONE_SETTLS = 0x00080000;
    public static final int CLONE_PARENT_SETTID = 0x00100000;
    public static final int CLONE_CHILD_CLEARTID = 0x00200000;
    public static final int CLONE_DETACHED = 0x00400000;
    public static final int CLONE_UNTRACED = 0x00800000;
    public static final int CLONE_CHILD_SETTID = 0x01000000;
    public static final int CLONE_NEWCGROUP = 0x02000000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWIPC = 0x08000000;
    public static final int CLONE_NEWUSER = 0x10000000;
    public static final int CLONE_NEWPID = 0x20000000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int CLONE_IO = 0x80000000;
    public static final long CLONE_CLEAR_SIGHAND = 0x100000000L;
    public static final long CLONE_INTO_CGROUP = 0x200000000L;

    /** Sizes of the successive versions of struct clone_args, as clone3(2) accepts them. */
    public static final int CLONE_ARGS_SIZE_VER0 = 64;
    public static final int CLONE_ARGS_SIZE_VER1 = 80;
    public static final int CLONE_ARGS_SIZE_VER2 = 88;
}
