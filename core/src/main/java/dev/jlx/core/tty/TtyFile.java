package dev.jlx.core.tty;

import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.MemorySegment;

/**
 * An open pty end (Linux's struct file over tty_fops): the master /dev/ptmx gave, or the slave opened
 * as /dev/pts/N, through TIOCGPTPEER or as /dev/tty. fstat shows the node it was opened by.
 */
public final class TtyFile extends OpenFile {
    /** /dev/tty's device number, 5:0 (new_encode_dev): a file opened through it takes no controlling terminal. */
    public static final long DEV_TTY = 5 << 8;
    /** /dev/ptmx's, 5:2. */
    public static final long DEV_PTMX = (5 << 8) | 2;
    private final PtyEnd end;
    private final NodeStat node;

    TtyFile(PtyEnd end, int statusFlags, NodeStat node) {
        super(statusFlags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC));
        this.end = end;
        this.node = node;
    }

    private boolean nonblocking() {
        return (statusFlags & OpenFlags.O_NONBLOCK) != 0;
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        return end.read(Kernel.caller(), dst, nonblocking());
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        return end.write(Kernel.caller(), src, nonblocking());
    }

    @Override
    public HostStat stat() throws ErrnoException {
        return node.get();
    }

    @Override
    public boolean isPipe() {
        return false;
    }

    /** FIONREAD; EIO on a hung-up slave, as its other ioctls. */
    @Override
    public int bytesReadable() throws ErrnoException {
        if (end.hungUp()) {
            throw new ErrnoException(dev.jlx.abi.Errno.EIO);
        }
        return end.inputQueued();
    }

    @Override
    public boolean pollable() {
        return true;
    }

    @Override
    public Readiness readiness() {
        return end.readiness();
    }

    @Override
    public long pollGeneration(boolean input) {
        return end.changes(input);
    }

    @Override
    public int poll(int events) {
        return end.poll(events);
    }

    @Override
    public Terminal terminal() {
        return end;
    }

    @Override
    public void chmod(int mode) throws ErrnoException {
        if (end.master()) {
            super.chmod(mode);
        } else {
            end.pty().devpts.chmod(end.pty(), mode);
        }
    }

    @Override
    public void chown(int uid, int gid) throws ErrnoException {
        if (end.master()) {
            super.chown(uid, gid);
        } else {
            end.pty().devpts.chown(end.pty(), uid, gid);
        }
    }

    @Override
    protected void release() {
        if (end.master()) {
            end.pty().closeMaster();
        } else {
            end.pty().closeSlave();
        }
    }
}
