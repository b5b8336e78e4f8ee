package dev.jlx.core.host;

/**
 * File metadata in Linux units: {@code mode} holds Linux {@code S_IF*} type bits and permission
 * bits, times are seconds and nanoseconds since the epoch. The birth time is {@link #NO_BTIME}
 * where the file system or host does not keep one. {@code attributes} and {@code attributesMask}
 * are statx's STATX_ATTR_* bits as the file system sets and supports them (0 where it tells none).
 * Core encodes it into guest structs.
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
        long btimeNsec,
        long attributes,
        long attributesMask) {
    /** The birth time's seconds when there is none to report (statx leaves STATX_BTIME clear). */
    public static final long NO_BTIME = Long.MIN_VALUE;

    /** Metadata without a birth time or attributes. */
    public HostStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size, long blksize,
            long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, long ctimeSec, long ctimeNsec) {
        this(dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, atimeSec, atimeNsec, mtimeSec, mtimeNsec,
                ctimeSec, ctimeNsec, NO_BTIME, 0);
    }

    /** Metadata without attributes. */
    public HostStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size, long blksize,
            long blocks, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, long ctimeSec, long ctimeNsec,
            long btimeSec, long btimeNsec) {
        this(dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, atimeSec, atimeNsec, mtimeSec, mtimeNsec,
                ctimeSec, ctimeNsec, btimeSec, btimeNsec, 0, 0);
    }

    /** The same with the file system's statx attributes and the ones it supports. */
    public HostStat withAttributes(long attrs, long mask) {
        return new HostStat(dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks, atimeSec, atimeNsec,
                mtimeSec, mtimeNsec, ctimeSec, ctimeNsec, btimeSec, btimeNsec, attrs, mask);
    }

    public boolean hasBtime() {
        return btimeSec != NO_BTIME;
    }
}
