package dev.jlx.core.host;

/**
 * File metadata in Linux units: {@code mode} holds Linux {@code S_IF*} type bits and permission
 * bits, times are seconds and nanoseconds since the epoch. Core encodes it into guest structs.
 */
public record HostStat(
        long dev,
        long ino,
        int mode,
        long nlink,
        int uid,
        int gid,
        long rdev,
        long size,
        long blksize,
        long blocks,
        long atimeSec,
        long atimeNsec,
        long mtimeSec,
        long mtimeNsec,
        long ctimeSec,
        long ctimeNsec) {}
