package dev.jlx.core.tty;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.Kernel;
import java.time.Instant;

/**
 * A pseudo-terminal pair (Unix 98, drivers/tty/pty.c): the master an open of /dev/ptmx made, the
 * slave devpts shows as /dev/pts/N while the master is open, the window size both share, the slave
 * lock (TIOCSPTLCK, set at first as glibc's unlockpt expects), packet mode (TIOCPKT) and its status
 * byte, and the slave's node (owner, group, mode, times). Its monitor guards both ends; blocked
 * readers and writers wait on it.
 */
public final class Pty {
    final int index;
    final Devpts devpts;
    final PtyEnd master;
    final PtyEnd slave;
    Winsize winsize = new Winsize(0, 0, 0, 0);
    boolean locked = true;
    /** The master's packet mode (ctrl.packet) and the status its next read reports (the slave's ctrl.pktstatus). */
    boolean packet;
    int pktStatus;
    /** Open descriptions of the slave (its tty count less the master's). */
    int slaveOpens;
    boolean masterClosed;
    // The slave's node in devpts.
    int uid;
    int gid;
    int mode;
    long changed = Instant.now().getEpochSecond();
    final long created = changed;

    Pty(Kernel kernel, Devpts devpts, int index, int uid, int gid, int mode) {
        this.index = index;
        this.devpts = devpts;
        this.uid = uid;
        this.gid = gid;
        this.mode = mode;
        this.master = new PtyEnd(kernel, this, true);
        this.slave = new PtyEnd(kernel, this, false);
        master.link = slave;
        slave.link = master;
    }

    public int index() {
        return index;
    }

    /** new_encode_dev (include/linux/kdev_t.h). */
    static long encodeDev(int major, int minor) {
        return (minor & 0xff) | ((long) major << 8) | ((long) (minor & ~0xff) << 12);
    }

    /** The slave node's metadata: a character device 136:N of devpts, inode N + 3 as Linux numbers it. */
    synchronized HostStat slaveStat() {
        return new HostStat(devpts.dev(), index + 3L, FileMode.S_IFCHR | mode, 1, uid, gid, slave.deviceNumber(), 0,
                1024, 0, created, 0, created, 0, changed, 0);
    }

    /** Both ends take what they can and wake their waiters (under the monitor). */
    void settle() {
        while (slave.drain() | master.drain()) {
            // Echoes and output go back and forth until nothing moves.
        }
        notifyAll();
        slave.changed();
        master.changed();
    }

    /** Waits on the pair for a change, at most {@code nanos} (negative: no limit); EINTR on an interrupt. */
    void await(long nanos) throws ErrnoException {
        try {
            if (nanos < 0) {
                wait();
            } else if (nanos > 0) {
                wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        }
    }

    /**
     * pty_open of the slave: EIO once the master is gone or while the slave is locked; EBUSY when
     * exclusive but for root.
     */
    synchronized void openSlave(boolean privileged) throws ErrnoException {
        if (masterClosed || locked) {
            throw new ErrnoException(Errno.EIO);
        }
        if (slave.exclusive && !privileged) {
            throw new ErrnoException(Errno.EBUSY);
        }
        slaveOpens++;
        master.otherClosed = false;
        slave.changed();
        master.changed();
        notifyAll();
    }

    /** The last close of a slave description: the master reads EIO and polls POLLHUP until a slave opens again. */
    void closeSlave() {
        synchronized (this) {
            if (--slaveOpens == 0) {
                master.otherClosed = true;
            }
            notifyAll();
            slave.changed();
            master.changed();
        }
    }

    /**
     * The master closes (pty_close): the slave's node goes from devpts, the slave hangs up (its
     * readers see end of file, its writers EIO) and its session loses it, the leader getting SIGHUP
     * and SIGCONT.
     */
    void closeMaster() {
        synchronized (this) {
            masterClosed = true;
            slave.otherClosed = true;
            slave.hungUp = true;
            packet = false;
            notifyAll();
            slave.changed();
            master.changed();
        }
        devpts.remove(this);
        slave.hangUpSession();
    }
}
