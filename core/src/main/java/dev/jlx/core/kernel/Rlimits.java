package dev.jlx.core.kernel;

import dev.jlx.abi.Resource;

/**
 * A process's resource limits ({@code struct rlimit} per RLIMIT_*). The start values are Linux's
 * defaults for a login session (init_task plus Debian's systemd settings), not the host's.
 */
public final class Rlimits {
    public static final long INFINITY = Resource.RLIM_INFINITY;

    private final long[] soft = new long[Resource.RLIM_NLIMITS];
    private final long[] hard = new long[Resource.RLIM_NLIMITS];

    public Rlimits() {
        java.util.Arrays.fill(soft, INFINITY);
        java.util.Arrays.fill(hard, INFINITY);
        set(Resource.RLIMIT_STACK, 8L << 20, INFINITY);
        set(Resource.RLIMIT_CORE, 0, INFINITY);
        set(Resource.RLIMIT_NOFILE, 1024, 524288);
        set(Resource.RLIMIT_NPROC, 95000, 95000);
        set(Resource.RLIMIT_MEMLOCK, 8L << 20, 8L << 20);
        set(Resource.RLIMIT_SIGPENDING, 95000, 95000);
        set(Resource.RLIMIT_MSGQUEUE, 819200, 819200);
        set(Resource.RLIMIT_NICE, 0, 0);
        set(Resource.RLIMIT_RTPRIO, 0, 0);
    }

    /** fork's copy: limits are inherited. */
    Rlimits copy() {
        Rlimits c = new Rlimits();
        System.arraycopy(soft, 0, c.soft, 0, soft.length);
        System.arraycopy(hard, 0, c.hard, 0, hard.length);
        return c;
    }

    public long soft(int resource) {
        return soft[resource];
    }

    public long hard(int resource) {
        return hard[resource];
    }

    public void set(int resource, long soft, long hard) {
        this.soft[resource] = soft;
        this.hard[resource] = hard;
    }
}
