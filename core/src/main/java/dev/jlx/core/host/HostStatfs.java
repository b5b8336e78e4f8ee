package dev.jlx.core.host;

/** File system statistics in Linux's terms (struct statfs): magic type, sizes, counts, id, flags. */
public record HostStatfs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
        long fsid, long namelen, long frsize, long flags) {}
