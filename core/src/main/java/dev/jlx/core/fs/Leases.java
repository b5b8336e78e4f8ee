package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.Deadline;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.Kernel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * File leases (fcntl F_SETLEASE), as Linux's fs/locks.c keeps them, for all guest processes of a
 * kernel: an open of the file by any guest that conflicts (a write open with any lease, a read open
 * with a write lease) tells the holder with SIGIO (or F_SETSIG's signal) and waits until the holder
 * gives the lease up or downgrades it, or /proc/sys/fs/lease-break-time seconds pass; O_NONBLOCK
 * opens are EWOULDBLOCK. Host processes' opens are not seen. Guarded by its monitor, which waiting
 * openers wait on.
 */
public final class Leases {
    /** /proc/sys/fs/lease-break-time's default, in seconds. */
    public static final int LEASE_BREAK_TIME = 45;
    /** POLL_MSG, kill_fasync's reason for a lease break, and its band (POLLIN | POLLRDNORM | POLLMSG). */
    private static final int POLL_MSG = 3;
    private static final long POLL_MSG_BAND = 0x0001 | 0x0040 | 0x0400;

    private static final class Lease {
        final OpenFile file;
        final int fd;
        int type;
        /** While a break is pending: the type the holder must go to (F_UNLCK or F_RDLCK); -1 otherwise. */
        int target = -1;
        long deadline;

        Lease(OpenFile file, int fd, int type) {
            this.file = file;
            this.fd = fd;
            this.type = type;
        }
    }

    private final Kernel kernel;
    private final Map<RecordLocks.FileKey, List<Lease>> byFile = new HashMap<>();
    private volatile boolean empty = true;

    public Leases(Kernel kernel) {
        this.kernel = kernel;
    }

    /** F_GETLEASE: the lease this open file holds, or the type a pending break asks for; F_UNLCK for none. */
    public synchronized int get(OpenFile f) throws ErrnoException {
        RecordLocks.FileKey key = f.lockKey();
        List<Lease> list = key == null ? null : byFile.get(key);
        if (list == null) {
            return Fcntl.F_UNLCK;
        }
        timeOut(key, list);
        for (Lease l : list) {
            if (l.file == f) {
                return l.target >= 0 ? l.target : l.type;
            }
        }
        return Fcntl.F_UNLCK;
    }

    /**
     * F_SETLEASE once its own checks passed: F_UNLCK drops this file's lease (EAGAIN for none); a read
     * lease needs the file open for writing nowhere, a write lease no open but this one and no other
     * lease; another's pending unlock refuses a new lease (EAGAIN). The caller's process becomes the
     * file's owner, whom a break signals.
     */
    public synchronized void set(GuestProcess caller, OpenFile f, int fd, int type) throws ErrnoException {
        RecordLocks.FileKey key = f.lockKey();
        List<Lease> list = byFile.computeIfAbsent(key, k -> new ArrayList<>());
        Lease mine = null;
        for (Lease l : list) {
            if (l.file == f) {
                mine = l;
            }
        }
        try {
            if (type == Fcntl.F_UNLCK) {
                if (mine == null) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                list.remove(mine);
                unlocked(mine);
                return;
            }
            int[] opens = opens(key);
            if (type == Fcntl.F_RDLCK ? opens[1] > 0
                    : opens[1] != (f.writable() ? 1 : 0) || opens[0] != (!f.writable() && f.readable() ? 1 : 0)) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            for (Lease l : list) {
                if (l != mine && (type == Fcntl.F_WRLCK || l.target == Fcntl.F_UNLCK)) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
            }
            if (mine != null) {
                mine.type = type;
                if (type == Fcntl.F_RDLCK && mine.target == Fcntl.F_RDLCK) {
                    mine.target = -1;
                }
            } else {
                list.add(new Lease(f, fd, type));
            }
            f.setOwner(Fcntl.F_OWNER_PID, caller.pid(), caller.credentials().uid(), caller.credentials().euid());
        } finally {
            if (list.isEmpty()) {
                byFile.remove(key);
            }
            empty = byFile.isEmpty();
            notifyAll();
        }
    }

    /**
     * The read-only and writable open file descriptions of the file in every guest process
     * (Linux's i_readcount and i_writecount), each description once.
     */
    private int[] opens(RecordLocks.FileKey key) {
        java.util.Set<OpenFile> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int[] counts = new int[2];
        for (GuestProcess p : kernel.processes()) {
            FdTable fds = p.fds();
            for (int fd = 0; fd <= fds.highest(); fd++) {
                OpenFile f;
                try {
                    f = fds.peek(fd);
                    if (f == null || !seen.add(f) || !key.equals(f.lockKey())) {
                        continue;
                    }
                } catch (ErrnoException none) {
                    continue;
                }
                if (f.writable()) {
                    counts[1]++;
                } else if (f.readable()) {
                    counts[0]++;
                }
            }
        }
        return counts;
    }

    /**
     * __break_lease: before an open of the file ({@code write} for a writable or truncating one) is
     * let through, each conflicting lease's holder is told and the opener waits for them;
     * EWOULDBLOCK when {@code nonblock}, EINTR for a signal.
     */
    public void breakLease(OpenFile opened, boolean write, boolean nonblock) throws ErrnoException {
        if (empty) {
            return;
        }
        RecordLocks.FileKey key = opened.lockKey();
        if (key == null) {
            return;
        }
        synchronized (this) {
            List<Lease> list = byFile.get(key);
            if (list == null || !conflicts(list, opened, write)) {
                return;
            }
            long deadline = System.nanoTime() + LEASE_BREAK_TIME * 1_000_000_000L;
            for (Lease l : list) {
                if (l.file == opened || !(write || l.type == Fcntl.F_WRLCK)) {
                    continue;
                }
                if (write ? l.target == Fcntl.F_UNLCK : l.target >= 0) {
                    continue;
                }
                l.target = write ? Fcntl.F_UNLCK : Fcntl.F_RDLCK;
                l.deadline = deadline;
                tell(l);
            }
            if (nonblock) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            while (true) {
                list = byFile.get(key);
                if (list == null) {
                    return;
                }
                timeOut(key, list);
                if (!conflicts(list, opened, write)) {
                    return;
                }
                long first = Long.MAX_VALUE;
                for (Lease l : list) {
                    if (l.target >= 0) {
                        first = Math.min(first, l.deadline);
                    }
                }
                try {
                    Deadline.waitOn(this, first);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ErrnoException(Errno.EINTR);
                }
            }
        }
    }

    private static boolean conflicts(List<Lease> list, OpenFile opened, boolean write) {
        for (Lease l : list) {
            if (l.file != opened && (write || l.type == Fcntl.F_WRLCK)) {
                return true;
            }
        }
        return false;
    }

    /** lease_break_callback: SIGIO, or F_SETSIG's signal with the lease's descriptor and POLL_MSG, to the file's owner. */
    private void tell(Lease l) {
        OpenFile.Owner owner = l.file.owner();
        GuestProcess p = owner.pid() == 0 ? null : kernel.process(owner.pid());
        if (p != null) {
            int sig = owner.signal();
            p.signal(null, sig == 0 ? Siginfo.kill(Signals.SIGIO, Signals.SI_KERNEL, 0, 0)
                    : new Siginfo(sig, 0, POLL_MSG, new Siginfo.Poll(POLL_MSG_BAND, l.fd)));
        }
    }

    /** lease_modify's F_UNLCK: the file loses its owner and F_SETSIG's signal with the lease. */
    private static void unlocked(Lease l) {
        OpenFile.Owner o = l.file.owner();
        l.file.setOwner(o.type(), 0, o.uid(), o.euid());
        l.file.setOwnerSignal(0);
    }

    /** time_out_leases: a break whose time passed unlocks or downgrades the lease itself. */
    private void timeOut(RecordLocks.FileKey key, List<Lease> list) {
        long now = System.nanoTime();
        list.removeIf(l -> {
            boolean over = l.target == Fcntl.F_UNLCK && now - l.deadline >= 0;
            if (over) {
                unlocked(l);
            }
            return over;
        });
        for (Lease l : list) {
            if (l.target == Fcntl.F_RDLCK && now - l.deadline >= 0) {
                l.type = Fcntl.F_RDLCK;
                l.target = -1;
            }
        }
        if (list.isEmpty()) {
            byFile.remove(key);
            empty = byFile.isEmpty();
        }
    }

    /** The last close of an open file description drops its lease (locks_remove_lease). */
    public void release(OpenFile f) {
        if (empty) {
            return;
        }
        synchronized (this) {
            try {
                RecordLocks.FileKey key = f.lockKey();
                List<Lease> list = key == null ? null : byFile.get(key);
                if (list != null && list.removeIf(l -> l.file == f)) {
                    if (list.isEmpty()) {
                        byFile.remove(key);
                    }
                    empty = byFile.isEmpty();
                    notifyAll();
                }
            } catch (ErrnoException unkeyed) {
                // A file without an identity holds no lease.
            }
        }
    }
}
