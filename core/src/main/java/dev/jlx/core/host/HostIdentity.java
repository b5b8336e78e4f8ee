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
}
