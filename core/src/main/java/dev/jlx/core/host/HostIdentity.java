package dev.jlx.core.host;

/**
 * The host process a guest appears to be started by: its user, its resource limits, and the host's
 * name for uname(2).
 */
public interface HostIdentity {
    /**
     * The system property with the soft RLIMIT_NOFILE jlx was started with, which the launcher passes:
     * the JVM raises its own soft limit to the hard one as it starts (HotSpot's MaxFDLimit).
     */
    String START_NOFILE = "jlx.startNofile";

    int uid();

    int gid();

    int euid();

    int egid();

    /** The supplementary group ids (getgroups(2)). */
    int[] groups();

    /** The host name, for uname's nodename. */
    String hostname();

    /** The nice value of the thread that asks (-20..19), which the first guest process starts with. */
    default int nice() {
        return 0;
    }

    /**
     * The limit jlx was started with for a resource by its Linux number (RLIMIT_*), for the first
     * guest process to start with as a child of jlx's starter would; null where the host has no such
     * limit.
     */
    default HostRlimit rlimit(int resource) {
        return null;
    }

    /**
     * The system property with the /proc/self/coredump_filter jlx was started with (hex), which the
     * launcher passes: HotSpot adds bits to its own as it starts.
     */
    String START_COREDUMP_FILTER = "jlx.startCoredumpFilter";

    /**
     * jlx's starter's core dump filter (/proc/PID/coredump_filter, core(5)), for the first guest
     * process to start with as a child of it would: {@value #START_COREDUMP_FILTER} where the launcher
     * gave it, else the JVM's own where the host is Linux; -1 where it has none.
     */
    default int coredumpFilter() {
        String value = System.getProperty(START_COREDUMP_FILTER);
        try {
            if (value == null) {
                value = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/coredump_filter"));
            }
            return Integer.parseUnsignedInt(value.strip(), 16);
        } catch (java.io.IOException | NumberFormatException | UnsupportedOperationException none) {
            return -1;
        }
    }
}
