package dev.jlx.core.host;

/**
 * File metadata in Linux units: {@code mode} holds Linux {@code S_IF*} type bits and permission
 * bits, times are seconds and nanoseconds since the epoch. The birth time is {@link #NO_BTIME}
 * where the file system or host does not keep one. Core encodes it into guest structs.
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
        long ctimeNsec,
        long btimeSec,
        long btimeNsec) {
    /** The birth time's seconds when there is none to report (statx leaves STATX_BTIME clear). */
    public static final long NO_BTIME = Long.MIN_VALUE;

    /** Metadata without a birth time. */
    public HostStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size, long blksize,
            long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, long ctimeSec, long ctimeNsec) {
        this(dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, atimeSec, atimeNsec, mtimeSec, mtimeNsec,
                ctimeSec, ctimeNsec, NO_BTIME, 0);
    }

    public boolean hasBtime() {
        return btimeSec != NO_BTIME;
    }
}
