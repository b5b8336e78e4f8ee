package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;

/**
 * An open file of a file system jlx makes up (devfs, procfs, sysfs): there is nothing to truncate or
 * write back, its mode and owner do not change, it takes no whole-file locks, is no terminal and
 * holds nothing to release.
 */
public abstract class SyntheticFile implements FileOps {
    /** As truncate(2) of a device or a pseudo file: nothing changes. */
    @Override
    public void truncate(long length) {
        // Nothing is stored.
    }

    @Override
    public void sync(boolean dataOnly) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    @Override
    public void flock(int operation) throws ErrnoException {
        throw new ErrnoException(Errno.ENOLCK);
    }

    @Override
    public void close() {
        // Nothing is held.
    }
}
