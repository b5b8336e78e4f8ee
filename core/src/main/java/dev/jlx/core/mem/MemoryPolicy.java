package dev.jlx.core.mem;

/**
 * A NUMA memory policy (Linux's struct mempolicy): a thread's (set_mempolicy) or a mapping's
 * (mbind). The mode and its mode flags; the node mask get_mempolicy reports (the caller's own with
 * MPOL_F_STATIC_NODES or MPOL_F_RELATIVE_NODES); the home node set_mempolicy_home_node gave, -1 for
 * none. Two policies are equal as Linux's mpol_equal, so VMAs merge only when theirs are.
 */
public record MemoryPolicy(int mode, int flags, long nodes, int homeNode) {
    /** MPOL_DEFAULT: a thread's when it set none. A mapping without a policy keeps null instead. */
    public static final MemoryPolicy DEFAULT = new MemoryPolicy(0, 0, 0, -1);

    public MemoryPolicy withHomeNode(int node) {
        return new MemoryPolicy(mode, flags, nodes, node);
    }
}
