package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;

/**
 * A userfaultfd (fs/userfaultfd.c's userfaultfd_ctx), opened O_RDONLY. Before UFFDIO_API its reads
 * and ioctls are EINVAL and poll says POLLERR. jlx registers no range (UFFDIO_REGISTER is refused:
 * its engines map a private page whole, so a first touch is never a fault jlx sees), so no fault
 * message ever comes: a read waits until a signal (EAGAIN when non-blocking) and poll finds nothing.
 */
public final class UserfaultFd extends AnonInodeFile {
    /** struct uffd_msg: 32 bytes. */
    public static final int MSG_SIZE = 32;

    private final int uid;
    private final int gid;
    /** UFFDIO_API has been done (UFFD_FEATURE_INITIALIZED). */
    private boolean initialized;

    public UserfaultFd(int statusFlags, int uid, int gid) {
        super(OpenFlags.O_RDONLY | statusFlags, uid, gid);
        this.uid = uid;
        this.gid = gid;
    }

    /** UFFDIO_API's handshake, once: false when it was done before. */
    public synchronized boolean initialize() {
        if (initialized) {
            return false;
        }
        initialized = true;
        return true;
    }

    public synchronized boolean initialized() {
        return initialized;
    }

    /** userfaultfd_read: EINVAL before UFFDIO_API or for less than a uffd_msg; then no message comes. */
    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        synchronized (this) {
            if (!initialized || dst.byteSize() < MSG_SIZE) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if ((statusFlags() & OpenFlags.O_NONBLOCK) != 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            while (true) {
                Monitors.await(this);
            }
        }
    }

    /** An anonymous inode's llseek (noop_llseek): the offset stays 0. */
    @Override
    public long seek(long offset, int whence) {
        return 0;
    }

    @Override
    public synchronized int poll(int events) {
        return initialized ? 0 : Poll.POLLERR;
    }

    @Override
    protected void release() {
        // Nothing outside the JVM to give back.
    }
}
