package dev.jlx.abi;

/** NUMA memory policies: uapi/linux/mempolicy.h. */
public final class Mempolicy {
    private Mempolicy() {}

    // Modes (Linux 6.1's: MPOL_WEIGHTED_INTERLEAVE, 6, came in 6.9).
    public static final int MPOL_DEFAULT = 0;
    public static final int MPOL_PREFERRED = 1;
    public static final int MPOL_BIND = 2;
    public static final int MPOL_INTERLEAVE = 3;
    public static final int MPOL_LOCAL = 4;
    public static final int MPOL_PREFERRED_MANY = 5;
    public static final int MPOL_MAX = 6;

    // Mode flags, or'ed into the mode.
    public static final int MPOL_F_NUMA_BALANCING = 1 << 13;
    public static final int MPOL_F_RELATIVE_NODES = 1 << 14;
    public static final int MPOL_F_STATIC_NODES = 1 << 15;
    public static final int MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;

    // get_mempolicy's flags.
    public static final int MPOL_F_NODE = 1;
    public static final int MPOL_F_ADDR = 2;
    public static final int MPOL_F_MEMS_ALLOWED = 4;

    // mbind's, migrate_pages' and move_pages' flags.
    public static final int MPOL_MF_STRICT = 1;
    public static final int MPOL_MF_MOVE = 2;
    public static final int MPOL_MF_MOVE_ALL = 4;
}
