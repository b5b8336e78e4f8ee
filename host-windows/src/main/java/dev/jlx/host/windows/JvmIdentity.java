package dev.jlx.host.windows;

import dev.jlx.abi.Resource;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostRlimit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * jlx's user as the JDK tells it, with no native binding: on a POSIX host (where the backend stands in
 * for Windows) the JDK's {@code com.sun.security.auth.module.UnixSystem}, and the resource limits of
 * /proc/self/limits; where there are none (Windows), the first user of a Linux system, 1000, and the
 * limits a Linux login starts with (core's {@code Rlimits} defaults), RLIMIT_NPROC and
 * RLIMIT_SIGPENDING computed from the host's memory as Linux computes them at boot. The host name from
 * the environment or the JDK.
 */
final class JvmIdentity implements HostIdentity {
    static final int DEFAULT_ID = 1000;
    /**
     * Linux's fork_init: max_threads is the memory over 8 thread stacks (THREAD_SIZE 16 KiB on x86-64),
     * within MIN_THREADS and MAX_THREADS (FUTEX_TID_MASK), and init's RLIMIT_NPROC and
     * RLIMIT_SIGPENDING are half of it (kernel/fork.c).
     */
    private static final long THREAD_BYTES = 8 * 16 * 1024;
    private static final long MIN_THREADS = 20;
    private static final long MAX_THREADS = 0x3fffffff;

    private final int uid;
    private final int gid;
    private final int[] groups;
    private final String hostname;
    /** Each RLIMIT_* of the POSIX host jlx runs on, or null on Windows. */
    private final HostRlimit[] hostLimits;
    private final long memoryBytes;

    JvmIdentity(int uid, int gid, int[] groups, String hostname, HostRlimit[] hostLimits, long memoryBytes) {
        this.uid = uid;
        this.gid = gid;
        this.groups = groups;
        this.hostname = hostname;
        this.hostLimits = hostLimits;
        this.memoryBytes = memoryBytes;
    }

    static JvmIdentity of() {
        int uid = DEFAULT_ID;
        int gid = DEFAULT_ID;
        int[] groups = {DEFAULT_ID};
        try {
            var user = new com.sun.security.auth.module.UnixSystem();
            uid = (int) user.getUid();
            gid = (int) user.getGid();
            long[] g = user.getGroups();
            groups = g == null ? new int[] {gid} : java.util.Arrays.stream(g).mapToInt(x -> (int) x).toArray();
        } catch (LinkageError | RuntimeException notPosix) {
            // Windows: no POSIX ids; the default user's.
        }
        HostRlimit[] limits;
        try {
            limits = limits(Files.readAllLines(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException noProc) {
            limits = null;
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return new JvmIdentity(uid, gid, groups, hostName(), limits, memory);
    }

    /**
     * /proc/PID/limits (fs/proc/base.c, proc_pid_limits): a heading, then one line per RLIMIT_* in
     * number order, the name in 25 columns and a space, then the soft and hard limits, numbers or
     * "unlimited".
     */
    static HostRlimit[] limits(List<String> lines) {
        HostRlimit[] limits = new HostRlimit[Resource.RLIM_NLIMITS];
        for (int r = 0; r < limits.length && r + 1 < lines.size(); r++) {
            String[] values = lines.get(r + 1).substring(26).strip().split("\\s+");
            limits[r] = new HostRlimit(limit(values[0]), limit(values[1]));
        }
        return limits;
    }

    private static long limit(String value) {
        return value.equals("unlimited") ? Resource.RLIM_INFINITY : Long.parseUnsignedLong(value);
    }

    /**
     * The host's limit where it has them, RLIMIT_NOFILE's soft one as jlx was started with it (the
     * JVM raises its own); on Windows RLIMIT_NPROC and RLIMIT_SIGPENDING as Linux would give this
     * machine, the others Linux's login defaults (null).
     */
    @Override
    public HostRlimit rlimit(int resource) {
        if (hostLimits != null) {
            HostRlimit l = hostLimits[resource];
            Long started = Long.getLong(START_NOFILE);
            if (l != null && resource == Resource.RLIMIT_NOFILE && started != null && started >= 0
                    && Long.compareUnsigned(started, l.hard()) <= 0) {
                return new HostRlimit(started, l.hard());
            }
            return l;
        }
        if (resource == Resource.RLIMIT_NPROC || resource == Resource.RLIMIT_SIGPENDING) {
            long threads = Math.clamp(memoryBytes / THREAD_BYTES, MIN_THREADS, MAX_THREADS);
            return new HostRlimit(threads / 2, threads / 2);
        }
        return null;
    }

    private static String hostName() {
        for (String env : new String[] {"COMPUTERNAME", "HOSTNAME"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                return env.equals("COMPUTERNAME") ? v.toLowerCase(java.util.Locale.ROOT) : v;
            }
        }
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String v = Files.readString(Path.of(file)).strip();
                if (!v.isEmpty()) {
                    return v;
                }
            } catch (IOException | RuntimeException absent) {
                // Not this host's way of keeping it.
            }
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public int gid() {
        return gid;
    }

    @Override
    public int euid() {
        return uid;
    }

    @Override
    public int egid() {
        return gid;
    }

    @Override
    public int[] groups() {
        return groups.clone();
    }

    @Override
    public String hostname() {
        return hostname;
    }
}
