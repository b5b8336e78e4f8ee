package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.tty.NodeStat;
import java.lang.foreign.MemorySegment;

/**
 * /dev/userfaultfd opened (fs/userfaultfd.c's misc device): its one operation is the ioctl
 * USERFAULTFD_IOC_NEW, which makes a userfaultfd; reads and writes are EINVAL. Found by its number,
 * as Linux finds the driver, on jlx's devfs or the host's /dev.
 */
public final class UserfaultfdDevice extends OpenFile {
    /** 10:257 (new_encode_dev), the dynamic misc minor Debian's 6.x kernels give it. */
    public static final long DEV = (257 & 0xff) | (10 << 8) | ((long) (257 & ~0xff) << 12);

    private final NodeStat node;

    public UserfaultfdDevice(int statusFlags, NodeStat node) {
        super(statusFlags);
        this.node = node;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** noop_llseek: the offset stays 0. */
    @Override
    public long seek(long offset, int whence) {
        return 0;
    }

    @Override
    public HostStat stat() throws ErrnoException {
        return node.get();
    }

    @Override
    protected void release() {
        // Nothing to give back.
    }
}
