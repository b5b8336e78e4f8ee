package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.struct.IpcInfo;
import dev.jlx.abi.struct.IpcPerm;
import dev.jlx.abi.struct.SemidDs;
import dev.jlx.abi.struct.Sembuf;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.Deadline;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestProcess.Credentials;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * System V semaphores (Linux's ipc/sem.c). The table is guarded by {@link IpcIds}'s monitor, each
 * set's values, waiters and undo adjustments by the set's own (taken after the table's). A semop that
 * must wait joins its set's queue, in order; every change runs the queue as Linux's update_queue does,
 * completing each waiting operation that can now complete on its waiter's behalf.
 */
public final class Semaphores {
    private final IpcIds<SemSet> ids = new IpcIds<>(Ipc.SEMMNI);
    /** Semaphores of all sets (used_sems), under {@link #ids}'s monitor. */
    private int used;

    /** A set (Linux's sem_array). */
    static final class SemSet extends IpcObject {
        final int[] values;
        final int[] pids;
        long otime;
        final List<Waiter> queue = new ArrayList<>();
        /** Each process's SEM_UNDO adjustments (Linux's sem_undo, one list per process: CLONE_SYSVSEM threads share it). */
        final Map<GuestProcess, int[]> undo = new IdentityHashMap<>();

        SemSet(int key, int flags, Credentials c, int nsems) {
            super(key, flags, c);
            this.values = new int[nsems];
            this.pids = new int[nsems];
            this.otime = 0;
        }
    }

    /** A semop waiting in its set's queue (Linux's sem_queue). */
    private static final class Waiter {
        final Sembuf[] sops;
        final GuestProcess process;
        /** The operation it waits on (semncnt and semzcnt count it there). */
        int blocking;
        /** Null while waiting; else how it ended. */
        Errno result;
        boolean done;

        Waiter(Sembuf[] sops, GuestProcess process) {
            this.sops = sops;
            this.process = process;
        }
    }

    /** Implements semget(2). */
    public int get(int key, int nsems, int flags, Credentials c) throws ErrnoException {
        if (nsems < 0 || nsems > Ipc.SEMMSL) {
            throw new ErrnoException(Errno.EINVAL);
        }
        synchronized (ids) {
            return ids.get(key, flags, c, (k, f) -> {
                if (nsems == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if ((long) used + nsems > Ipc.SEMMNS) {
                    throw new ErrnoException(Errno.ENOSPC);
                }
                used += nsems;
                return new SemSet(k, f, c, nsems);
            }, s -> {
                if (nsems > s.values.length) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            });
        }
    }

    /**
     * Implements semop(2) and semtimedop(2) once the operations are read (do_semtimedop): all of them
     * or none, waiting until they can be done, {@code deadline} ({@code System.nanoTime()}, or
     * Long.MAX_VALUE) passes (EAGAIN), a signal comes (EINTR, never restarted) or the set goes (EIDRM).
     */
    public void op(int semid, Sembuf[] sops, long deadline, GuestProcess p) throws ErrnoException {
        int max = 0;
        boolean undos = false;
        boolean alter = false;
        for (Sembuf s : sops) {
            max = Math.max(max, s.num());
            undos |= (s.flags() & Ipc.SEM_UNDO) != 0;
            alter |= s.op() != 0;
        }
        SemSet set = ids.byId(semid);
        synchronized (set) {
            if (max >= set.values.length) {
                throw new ErrnoException(Errno.EFBIG);
            }
            set.checkAccess(p.credentials(), alter ? 0222 : 0444);
            if (set.deleted) {
                throw new ErrnoException(Errno.EIDRM);
            }
            if (undos) {
                undoList(p);
                set.undo.computeIfAbsent(p, k -> new int[set.values.length]);
            }
            Waiter w = new Waiter(sops, p);
            int blocked = perform(set, w);
            if (blocked < 0) {
                set.otime = IpcObject.now();
                if (alter) {
                    updateQueue(set);
                }
                return;
            }
            if ((sops[blocked].flags() & Ipc.IPC_NOWAIT) != 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            w.blocking = blocked;
            set.queue.add(w);
            try {
                while (!w.done) {
                    if (!Deadline.waitOn(set, deadline)) {
                        throw new ErrnoException(Errno.EAGAIN);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (!w.done) {
                    throw ErrnoException.interruptedForGood();
                }
            } finally {
                if (!w.done) {
                    set.queue.remove(w);
                }
            }
            if (w.result != null) {
                throw new ErrnoException(w.result);
            }
        }
    }

    /**
     * Linux's perform_atomic_semop: does all of {@code w}'s operations or none. Returns -1 when done,
     * else the index of the operation that must wait; ERANGE past SEMVMX or the undo range. Under the set's monitor.
     */
    private static int perform(SemSet set, Waiter w) throws ErrnoException {
        int[] values = set.values.clone();
        int[] own = set.undo.get(w.process);
        int[] adjust = own == null ? new int[values.length] : own.clone();
        for (int i = 0; i < w.sops.length; i++) {
            Sembuf s = w.sops[i];
            int value = values[s.num()];
            if (s.op() == 0 && value != 0) {
                return i;
            }
            value += s.op();
            if (value < 0) {
                return i;
            }
            if (value > Ipc.SEMVMX) {
                throw new ErrnoException(Errno.ERANGE);
            }
            if ((s.flags() & Ipc.SEM_UNDO) != 0) {
                int u = adjust[s.num()] - s.op();
                if (u < -Ipc.SEMAEM - 1 || u > Ipc.SEMAEM) {
                    throw new ErrnoException(Errno.ERANGE);
                }
                adjust[s.num()] = u;
            }
            values[s.num()] = value;
        }
        System.arraycopy(values, 0, set.values, 0, values.length);
        if (own != null) {
            System.arraycopy(adjust, 0, own, 0, own.length);
        }
        for (Sembuf s : w.sops) {
            set.pids[s.num()] = w.process.pid();
        }
        return -1;
    }

    /**
     * Linux's update_queue: each waiting operation, oldest first, that can now complete (or now fails)
     * is done and its waiter woken; a completion that changed values starts the walk again.
     */
    private static void updateQueue(SemSet set) {
        boolean again = true;
        while (again) {
            again = false;
            for (Iterator<Waiter> it = set.queue.iterator(); it.hasNext();) {
                Waiter w = it.next();
                int blocked;
                try {
                    blocked = perform(set, w);
                } catch (ErrnoException e) {
                    it.remove();
                    finish(set, w, e.errno());
                    continue;
                }
                if (blocked >= 0) {
                    if ((w.sops[blocked].flags() & Ipc.IPC_NOWAIT) != 0) {
                        it.remove();
                        finish(set, w, Errno.EAGAIN);
                    } else {
                        w.blocking = blocked;
                    }
                    continue;
                }
                it.remove();
                set.otime = IpcObject.now();
                finish(set, w, null);
                boolean altered = false;
                for (Sembuf s : w.sops) {
                    altered |= s.op() != 0;
                }
                if (altered) {
                    again = true;
                    break;
                }
            }
        }
    }

    private static void finish(SemSet set, Waiter w, Errno result) {
        w.result = result;
        w.done = true;
        set.notifyAll();
    }

    /** Implements semctl(2) IPC_STAT, SEM_STAT and SEM_STAT_ANY; the STAT forms take an index and return the id. */
    public int stat(int semidOrIndex, int cmd, Credentials c, ByteBuffer out) throws ErrnoException {
        SemSet set = cmd == Ipc.IPC_STAT ? ids.byId(semidOrIndex) : ids.byIndex(semidOrIndex);
        synchronized (set) {
            if (cmd != Ipc.SEM_STAT_ANY) {
                set.checkAccess(c, 0444);
            }
            new SemidDs(set.perm(), set.otime, set.ctime, set.values.length).writeTo(out, 0);
            return cmd == Ipc.IPC_STAT ? 0 : set.id;
        }
    }

    /** Implements semctl(2) IPC_SET. */
    public void set(int semid, IpcPerm perm, Credentials c) throws ErrnoException {
        SemSet set = ids.byId(semid);
        synchronized (set) {
            set.checkOwner(c);
            set.set(perm);
        }
    }

    /** Implements semctl(2) IPC_RMID: every waiter wakes with EIDRM. */
    public void remove(int semid, Credentials c) throws ErrnoException {
        synchronized (ids) {
            SemSet set = ids.byId(semid);
            synchronized (set) {
                set.checkOwner(c);
                ids.remove(set);
                used -= set.values.length;
                set.deleted = true;
                for (Waiter w : set.queue) {
                    finish(set, w, Errno.EIDRM);
                }
                set.queue.clear();
                set.undo.clear();
            }
        }
    }

    /** Implements semctl(2) IPC_INFO and SEM_INFO (seminfo); returns the highest index in use. */
    public int info(int cmd, ByteBuffer out) {
        synchronized (ids) {
            boolean usage = cmd == Ipc.SEM_INFO;
            IpcInfo.writeSeminfo(out, Ipc.SEMMAP, Ipc.SEMMNI, Ipc.SEMMNS, Ipc.SEMMNU, Ipc.SEMMSL, Ipc.SEMOPM,
                    Ipc.SEMUME, usage ? ids.inUse() : Ipc.SEMUSZ, Ipc.SEMVMX, usage ? used : Ipc.SEMAEM);
            return ids.maxIndex();
        }
    }

    /** The number of semaphores in set {@code semid}, after a read (or, {@code write}, a write) permission check. */
    public int count(int semid, boolean write, Credentials c) throws ErrnoException {
        SemSet set = ids.byId(semid);
        synchronized (set) {
            set.checkAccess(c, write ? 0222 : 0444);
            return set.values.length;
        }
    }

    /**
     * Implements semctl(2) GETVAL, GETPID, GETNCNT and GETZCNT: EINVAL for a semaphore outside the set.
     * semncnt and semzcnt count the waiters whose blocking operation is on it, as Linux 4.x and later.
     */
    public int read(int semid, int semnum, int cmd, Credentials c) throws ErrnoException {
        SemSet set = ids.byId(semid);
        synchronized (set) {
            set.checkAccess(c, 0444);
            if (semnum < 0 || semnum >= set.values.length) {
                throw new ErrnoException(Errno.EINVAL);
            }
            switch (cmd) {
                case Ipc.GETVAL -> {
                    return set.values[semnum];
                }
                case Ipc.GETPID -> {
                    return set.pids[semnum];
                }
                default -> {
                    int n = 0;
                    for (Waiter w : set.queue) {
                        Sembuf s = w.sops[w.blocking];
                        if (s.num() == semnum && (cmd == Ipc.GETZCNT ? s.op() == 0 : s.op() < 0)) {
                            n++;
                        }
                    }
                    return n;
                }
            }
        }
    }

    /** Implements semctl(2) GETALL. */
    public int[] getAll(int semid, Credentials c) throws ErrnoException {
        SemSet set = ids.byId(semid);
        synchronized (set) {
            set.checkAccess(c, 0444);
            if (set.deleted) {
                throw new ErrnoException(Errno.EIDRM);
            }
            return set.values.clone();
        }
    }

    /** Implements semctl(2) SETVAL (ERANGE checked by the caller first, as Linux's): clears that semaphore's undo adjustments. */
    public void setValue(int semid, int semnum, int value, GuestProcess p) throws ErrnoException {
        SemSet set = ids.byId(semid);
        synchronized (set) {
            if (semnum < 0 || semnum >= set.values.length) {
                throw new ErrnoException(Errno.EINVAL);
            }
            set.checkAccess(p.credentials(), 0222);
            for (int[] u : set.undo.values()) {
                u[semnum] = 0;
            }
            set.values[semnum] = value;
            set.pids[semnum] = p.pid();
            set.ctime = IpcObject.now();
            updateQueue(set);
        }
    }

    /** Implements semctl(2) SETALL: ERANGE past SEMVMX; clears every undo adjustment of the set. */
    public void setAll(int semid, int[] values, GuestProcess p) throws ErrnoException {
        SemSet set = ids.byId(semid);
        synchronized (set) {
            set.checkAccess(p.credentials(), 0222);
            for (int v : values) {
                if (v > Ipc.SEMVMX) {
                    throw new ErrnoException(Errno.ERANGE);
                }
            }
            if (set.deleted) {
                throw new ErrnoException(Errno.EIDRM);
            }
            for (int[] u : set.undo.values()) {
                java.util.Arrays.fill(u, 0);
            }
            System.arraycopy(values, 0, set.values, 0, set.values.length);
            java.util.Arrays.fill(set.pids, p.pid());
            set.ctime = IpcObject.now();
            updateQueue(set);
        }
    }

    /**
     * Linux's exit_sem: {@code p}'s SEM_UNDO adjustments are applied as it exits, each value kept
     * within [0, SEMVMX], and the queues run.
     */
    /**
     * The processes that have an undo list (Linux's sem_undo_list, for kcmp's KCMP_SYSVSEM): made by
     * the first SEM_UNDO semop or the first CLONE_SYSVSEM clone (a thread), kept until exit.
     */
    private final java.util.Set<GuestProcess> undoLists = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new IdentityHashMap<>()));

    /** get_undo_list: {@code p} has an undo list from now on. */
    public void undoList(GuestProcess p) {
        undoLists.add(p);
    }

    /** Whether {@code p} has an undo list. */
    public boolean hasUndoList(GuestProcess p) {
        return undoLists.contains(p);
    }

    public void exit(GuestProcess p) {
        undoLists.remove(p);
        List<SemSet> sets;
        synchronized (ids) {
            sets = ids.all();
        }
        for (SemSet set : sets) {
            synchronized (set) {
                int[] adjust = set.undo.remove(p);
                if (adjust == null || set.deleted) {
                    continue;
                }
                for (int i = 0; i < adjust.length; i++) {
                    if (adjust[i] != 0) {
                        set.values[i] = Math.clamp((long) set.values[i] + adjust[i], 0, Ipc.SEMVMX);
                        set.pids[i] = p.pid();
                    }
                }
                updateQueue(set);
            }
        }
    }

    /** /proc/sysvipc/sem, as sysvipc_sem_proc_show prints it. */
    public String proc() {
        StringBuilder out = new StringBuilder(
                "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
        List<SemSet> sets;
        synchronized (ids) {
            sets = ids.all();
        }
        for (SemSet s : sets) {
            synchronized (s) {
                out.append(String.format(Locale.ROOT, "%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d%n", s.key, s.id,
                        s.mode, s.values.length, s.uid, s.gid, s.cuid, s.cgid, s.otime, s.ctime));
            }
        }
        return out.toString();
    }
}
