package dev.jlx.core.fs;

import dev.jlx.core.host.HostStat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file on Linux's anonymous inodes (anon_inode:[eventfd], [timerfd], [io_uring]...): mode 0600 with
 * no file type, owned by its creator, on the anon_inode device; pollable. Each has an inode number of
 * its own, as the kernel's secure anonymous inodes have.
 */
public abstract class AnonInodeFile extends OpenFile {
    /** anon_inodefs's device number, as Linux's "0:14". */
    public static final long ANON_INODE_DEV = 0xe;
    private static final AtomicLong INODES = new AtomicLong(200_000);
    private final long inode = INODES.incrementAndGet();
    private final int uid;
    private final int gid;

    protected AnonInodeFile(int statusFlags, int uid, int gid) {
        super(statusFlags);
        this.uid = uid;
        this.gid = gid;
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public final HostStat stat() {
        return new HostStat(ANON_INODE_DEV, inode, 0600, 1, uid, gid, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }
}
