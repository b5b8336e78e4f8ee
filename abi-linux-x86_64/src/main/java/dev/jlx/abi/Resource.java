package dev.jlx.abi;

/**
 * Resource limits of getrlimit(2) / prlimit64(2), getrusage(2) targets and getpriority(2) kinds, from
 * {@code asm-generic/resource.h} and {@code linux/resource.h}.
 */
public final class Resource {
    private Resource() {}

    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_STACK = 3;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_RSS = 5;
    public static final int RLIMIT_NPROC = 6;
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    public static final int RLIMIT_AS = 9;
    public static final int RLIMIT_LOCKS = 10;
    public static final int RLIMIT_SIGPENDING = 11;
    public static final int RLIMIT_MSGQUEUE = 12;
    public static final int RLIMIT_NICE = 13;
    public static final int RLIMIT_RTPRIO = 14;
    public static final int RLIMIT_RTTIME = 15;
    public static final int RLIM_NLIMITS = 16;

    /** {@code ~0UL}: no limit. Also RLIM64_INFINITY, the two are the same on a 64-bit kernel. */
    public static final long RLIM_INFINITY = -1L;

    public static final int RUSAGE_SELF = 0;
    public static final int RUSAGE_CHILDREN = -1;
    public static final int RUSAGE_BOTH = -2;
    public static final int RUSAGE_THREAD = 1;

    public static final int PRIO_PROCESS = 0;
    public static final int PRIO_PGRP = 1;
    public static final int PRIO_USER = 2;

    private static final String[] NAMES = {
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    };

    /** The name of a resource, {@code "RLIMIT_NOFILE"}, or null when it is not in 0..RLIM_NLIMITS-1. */
    public static String name(int resource) {
        return resource >= 0 && resource < RLIM_NLIMITS ? NAMES[resource] : null;
    }
}
