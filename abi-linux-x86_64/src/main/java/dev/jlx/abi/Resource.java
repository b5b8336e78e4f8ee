package dev.jlx.abi;

/** Resource limits of getrlimit(2), from {@code asm-generic/resource.h}. */
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

    /** RLIM_INFINITY: all ones. */
    public static final long RLIM_INFINITY = -1L;

    /** The constant's name for {@code value} (the RLIMIT_ name), or null. Reflection: used by tracing only. */
    public static String name(int value) {
        return AbiNames.nameOf(Resource.class, "RLIMIT_", value);
    }
}
