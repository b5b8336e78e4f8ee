package dev.jlx.core.host;

/** The host user a guest appears to run as, and the host's name for uname(2). */
public interface HostIdentity {
    int uid();

    int gid();

    int euid();

    int egid();

    /** The supplementary group ids (getgroups(2)). */
    int[] groups();

    /** The host name, for uname's nodename. */
    String hostname();
}
