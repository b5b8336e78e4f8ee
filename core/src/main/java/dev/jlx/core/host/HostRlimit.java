package dev.jlx.core.host;

/** A soft and a hard resource limit in Linux units: RLIM_INFINITY is -1. */
public record HostRlimit(long soft, long hard) {}
