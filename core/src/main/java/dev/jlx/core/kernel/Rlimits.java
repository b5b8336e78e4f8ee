package dev.jlx.core.kernel;

import dev.jlx.abi.Resource;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostRlimit;

/**
 * A process's resource limits ({@code struct rlimit} per RLIMIT_*). The first process starts with
 * the limits jlx itself was started with, as a child of whoever started jlx would ({@link
 * #inherited}); a limit the host does not have starts at Linux's default for a login session
 * (init_task plus Debian's systemd settings). The monitor guards them, so a pair is read and
 * changed whole.
 */
public final class Rlimits {
    public static final long INFINITY = Resource.RLIM_INFINITY;
    /** Linux's fs.nr_open default: the most descriptors a process may have, so RLIMIT_NOFILE's ceiling. */
    public static final long NR_OPEN = 1L << 20;

    private final long[] soft = new long[Resource.RLIM_NLIMITS];
    private final long[] hard = new long[Resource.RLIM_NLIMITS];

    /** The first process's limits: {@code host}'s where it has them (RLIMIT_NOFILE at most NR_OPEN), else Linux's defaults. */
    static Rlimits inherited(HostIdentity host) {
        Rlimits r = new Rlimits();
        for (int resource = 0; resource < Resource.RLIM_NLIMITS; resource++) {
            HostRlimit l = host.rlimit(resource);
            if (l != null && resource == Resource.RLIMIT_NOFILE) {
                r.set(resource, atMostNrOpen(l.soft()), atMostNrOpen(l.hard()));
            } else if (l != null) {
                r.set(resource, l.soft(), l.hard());
            }
        }
        return r;
    }

    private static long atMostNrOpen(long limit) {
        return Long.compareUnsigned(limit, NR_OPEN) > 0 ? NR_OPEN : limit;
    }

    private Rlimits() {
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
    synchronized Rlimits copy() {
        Rlimits c = new Rlimits();
        System.arraycopy(soft, 0, c.soft, 0, soft.length);
        System.arraycopy(hard, 0, c.hard, 0, hard.length);
        return c;
    }

    public synchronized long soft(int resource) {
        return soft[resource];
    }

    public synchronized long hard(int resource) {
        return hard[resource];
    }

    public synchronized void set(int resource, long soft, long hard) {
        this.soft[resource] = soft;
        this.hard[resource] = hard;
    }

    /** One resource's soft and hard limit. */
    public record Limit(long soft, long hard) {}

    public synchronized Limit get(int resource) {
        return new Limit(soft[resource], hard[resource]);
    }

    /** Decides whether a new limit may replace the current one: EPERM, EINVAL, or nothing. */
    @FunctionalInterface
    public interface Check {
        void allow(Limit current) throws ErrnoException;
    }

    /** setrlimit and prlimit: {@code next} replaces the limit if {@code check} allows it; returns the one replaced. */
    public synchronized Limit change(int resource, Limit next, Check check) throws ErrnoException {
        Limit old = get(resource);
        check.allow(old);
        set(resource, next.soft(), next.hard());
        return old;
    }
}
