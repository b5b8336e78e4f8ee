package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Futex;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.mem.FutexKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The futex wait queues of one kernel, as Linux's futex hash: a waiter sleeps on a key (where the
 * futex word lives, {@link FutexKey}) until a wake on that key whose bitset matches its
 * own, a timeout, or an interruption. One monitor guards every queue; the value check and the
 * enqueue happen under it, so a wake after the guest changed the word can never be missed.
 *
 * <p>Priority-inheritance futexes (kernel/futex/pi.c) queue here too: the word holds the owner's
 * TID with FUTEX_WAITERS and FUTEX_OWNER_DIED; {@link #piOwners} is Linux's pi_state (the owner
 * the kernel knows while a PI futex has waiters). There is no priority boosting: waiters are served
 * first come, first served, as Linux serves tasks that are not real-time.
 */
public final class Futexes {
    private final Map<FutexKey, List<Waiter>> queues = new HashMap<>();
    /** The owner of each PI futex that has waiters queued. */
    private final Map<FutexKey, Integer> piOwners = new HashMap<>();
    /**
     * How often a PI waiter looks at its word: a guest's own compare-and-swap on the word is not
     * atomic with a write of jlx's (docs/design.md, Concurrency), so an owner may unlock in user space
     * over the FUTEX_WAITERS jlx set, and the lock is then free with nobody told.
     */
    private static final long PI_POLL_NANOS = 50_000_000L;
    /** {@link #tryLockPi}'s answer when the lock was taken. */
    private static final int ACQUIRED = -1;

    /** Reads the futex word; EFAULT for a bad address. */
    @FunctionalInterface
    public interface Word {
        int read() throws ErrnoException;
    }

    /** A PI futex word: read, and compare-and-swap (EFAULT for a bad or read-only address). */
    public interface PiWord {
        int read() throws ErrnoException;

        boolean compareAndSet(int expected, int value) throws ErrnoException;
    }

    private static final class Waiter {
        final int bitset;
        FutexKey key;
        boolean woken;
        /** A PI waiter: the thread that waits to own {@link #word}, and that word. */
        int tid;
        PiWord word;
        /** Queued on a PI futex (FUTEX_LOCK_PI, or requeued there by FUTEX_CMP_REQUEUE_PI). */
        boolean pi;
        /** FUTEX_WAIT_REQUEUE_PI's target, while it waits on the plain futex. */
        FutexKey requeueTo;

        Waiter(FutexKey key, int bitset) {
            this.key = key;
            this.bitset = bitset;
        }
    }

    /**
     * FUTEX_WAIT(_BITSET): sleeps while the word still holds {@code expected} (EAGAIN at once
     * otherwise) until woken (0), until {@code System.nanoTime()} reaches {@code deadline}
     * (ETIMEDOUT; {@code Long.MAX_VALUE} for never) or until the thread is interrupted (EINTR).
     */
    public synchronized void await(FutexKey key, Word word, int expected, int bitset, long deadline)
            throws ErrnoException {
        if (word.read() != expected) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        Waiter w = new Waiter(key, bitset);
        queues.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        try {
            while (!w.woken) {
                if (!Deadline.waitOn(this, deadline)) {
                    throw new ErrnoException(Errno.ETIMEDOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        } finally {
            if (!w.woken) {
                remove(w);
            }
        }
    }

    /**
     * futex_waitv: while every word still holds its expected value (EAGAIN at once otherwise),
     * sleeps on all the keys at once until a wake on any of them: the index of the last one woken
     * (futex_unqueue_multiple), as {@link #await} for the deadline and interruptions.
     */
    public synchronized int awaitAny(FutexKey[] keys, Word[] words, int[] expected, long deadline)
            throws ErrnoException {
        for (int i = 0; i < keys.length; i++) {
            if (words[i].read() != expected[i]) {
                throw new ErrnoException(Errno.EAGAIN);
            }
        }
        Waiter[] waiters = new Waiter[keys.length];
        for (int i = 0; i < keys.length; i++) {
            waiters[i] = new Waiter(keys[i], -1);
            queues.computeIfAbsent(keys[i], k -> new ArrayList<>()).add(waiters[i]);
        }
        try {
            while (true) {
                for (int i = waiters.length - 1; i >= 0; i--) {
                    if (waiters[i].woken) {
                        return i;
                    }
                }
                if (!Deadline.waitOn(this, deadline)) {
                    throw new ErrnoException(Errno.ETIMEDOUT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        } finally {
            for (Waiter w : waiters) {
                if (!w.woken) {
                    remove(w);
                }
            }
        }
    }

    /** FUTEX_WAKE(_BITSET): wakes up to {@code count} waiters whose bitset meets {@code bitset}. */
    public synchronized int wake(FutexKey key, int count, int bitset) {
        int woken = 0;
        List<Waiter> q = queues.get(key);
        if (q != null) {
            for (Iterator<Waiter> it = q.iterator(); it.hasNext() && woken < count;) {
                Waiter w = it.next();
                if ((w.bitset & bitset) != 0) {
                    it.remove();
                    w.woken = true;
                    woken++;
                }
            }
            if (q.isEmpty()) {
                queues.remove(key);
            }
        }
        if (woken > 0) {
            notifyAll();
        }
        return woken;
    }

    /**
     * FUTEX_CMP_REQUEUE (and FUTEX_REQUEUE when {@code word} is null): if the word at {@code from}
     * still holds {@code expected}, wakes up to {@code wakeCount} of its waiters and moves up to
     * {@code requeueCount} more to {@code to}. Returns the number woken plus moved.
     */
    public synchronized int requeue(FutexKey from, FutexKey to, Word word, int expected, int wakeCount, int requeueCount)
            throws ErrnoException {
        if (word != null && word.read() != expected) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        checkPlain(from);
        int woken = wake(from, wakeCount, -1);
        int moved = 0;
        List<Waiter> q = queues.get(from);
        if (q != null && !from.equals(to)) {
            List<Waiter> target = queues.computeIfAbsent(to, k -> new ArrayList<>());
            for (Iterator<Waiter> it = q.iterator(); it.hasNext() && moved < requeueCount;) {
                Waiter w = it.next();
                it.remove();
                w.key = to;
                target.add(w);
                moved++;
            }
            if (q.isEmpty()) {
                queues.remove(from);
            }
        }
        return woken + moved;
    }

    private void remove(Waiter w) {
        List<Waiter> q = queues.get(w.key);
        if (q != null) {
            q.remove(w);
            if (q.isEmpty()) {
                queues.remove(w.key);
            }
        }
        if (w.pi && first(w.key) == null) {
            piOwners.remove(w.key);
        }
    }

    private Waiter first(FutexKey key) {
        List<Waiter> q = queues.get(key);
        return q == null || q.isEmpty() ? null : q.get(0);
    }

    /** futex_wake's refusal of a key whose waiters wait for a PI lock or a requeue to one (EINVAL). */
    private void checkPlain(FutexKey key) throws ErrnoException {
        List<Waiter> q = queues.get(key);
        if (q != null) {
            for (Waiter w : q) {
                if (w.pi || w.requeueTo != null) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            }
        }
    }

    /** FUTEX_WAKE(_BITSET) from the guest: as {@link #wake}, EINVAL for a PI or requeue-PI waiter. */
    public synchronized int wakeChecked(FutexKey key, int count, int bitset) throws ErrnoException {
        checkPlain(key);
        return wake(key, count, bitset);
    }

    /**
     * futex_lock_pi_atomic for {@code tid}: EDEADLK when it owns the word already; with waiters
     * queued, the word must agree with the known owner (EINVAL, as attach_to_pi_state); a word with
     * no owner is taken (FUTEX_OWNER_DIED kept, FUTEX_WAITERS if {@code setWaiters}): {@link #ACQUIRED};
     * otherwise FUTEX_WAITERS is set and the owner must be alive (ESRCH, the bit left set): the
     * owner's TID, whom the caller then waits for.
     */
    private int tryLockPi(FutexKey key, PiWord word, int tid, IntPredicate alive, boolean setWaiters)
            throws ErrnoException {
        while (true) {
            int uval = word.read();
            int pid = uval & Futex.FUTEX_TID_MASK;
            if (pid == tid) {
                throw new ErrnoException(Errno.EDEADLK);
            }
            Waiter top = first(key);
            if (top != null) {
                Integer owner = piOwners.get(key);
                if (!top.pi || owner == null
                        || (pid != owner && !((uval & Futex.FUTEX_OWNER_DIED) != 0 && pid == 0))) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return owner;
            }
            if (pid == 0) {
                int taken = (uval & Futex.FUTEX_OWNER_DIED) | tid | (setWaiters ? Futex.FUTEX_WAITERS : 0);
                if (word.compareAndSet(uval, taken)) {
                    return ACQUIRED;
                }
                continue;
            }
            int waiting = uval | Futex.FUTEX_WAITERS;
            if (!word.compareAndSet(uval, waiting)) {
                continue;
            }
            if (!alive.test(pid)) {
                if (word.read() != waiting) {
                    continue;
                }
                throw new ErrnoException(Errno.ESRCH);
            }
            return pid;
        }
    }

    /**
     * FUTEX_LOCK_PI, FUTEX_LOCK_PI2 and FUTEX_TRYLOCK_PI for thread {@code tid}: takes the word or
     * (unless {@code trylock}: EAGAIN) sleeps until the owner's FUTEX_UNLOCK_PI or death hands it
     * over, until {@code deadline} (ETIMEDOUT, FUTEX_WAITERS left set as Linux leaves it) or until
     * a signal, after whose handler the call starts again (ERESTARTNOINTR).
     */
    public synchronized void lockPi(FutexKey key, PiWord word, int tid, IntPredicate alive, long deadline,
            boolean trylock) throws ErrnoException {
        int owner = tryLockPi(key, word, tid, alive, false);
        if (owner == ACQUIRED) {
            return;
        }
        if (trylock) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        Waiter w = new Waiter(key, -1);
        w.tid = tid;
        w.word = word;
        w.pi = true;
        queues.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        piOwners.putIfAbsent(key, owner);
        sleepPi(w, deadline);
    }

    /** A PI waiter's sleep until it owns its word; ETIMEDOUT, or a restart after a signal. */
    private void sleepPi(Waiter w, long deadline) throws ErrnoException {
        try {
            while (!w.woken) {
                Deadline.waitOn(this, Math.min(deadline, System.nanoTime() + PI_POLL_NANOS));
                if (w.woken) {
                    break;
                }
                if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                    throw new ErrnoException(Errno.ETIMEDOUT);
                }
                if (w.pi) {
                    recover(w);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Linux restarts a PI lock after the handler; a requeued waiter's restart would find its
            // condition changed, so Linux gives EWOULDBLOCK at once; a waiter not yet requeued restarts.
            throw !w.pi || w.requeueTo == null ? ErrnoException.restartAlways()
                    : new ErrnoException(Errno.EAGAIN);
        } finally {
            if (!w.woken) {
                remove(w);
            }
        }
    }

    /**
     * A PI waiter's look at its word ({@link #PI_POLL_NANOS}): the first waiter takes a word that
     * an owner freed in user space over jlx's FUTEX_WAITERS; a word that lost the bit gets it back.
     */
    private void recover(Waiter w) throws ErrnoException {
        int uval = w.word.read();
        if ((uval & Futex.FUTEX_TID_MASK) == 0 && first(w.key) == w) {
            if (w.word.compareAndSet(uval, (uval & Futex.FUTEX_OWNER_DIED) | Futex.FUTEX_WAITERS | w.tid)) {
                grant(w);
            }
        } else if ((uval & Futex.FUTEX_WAITERS) == 0) {
            w.word.compareAndSet(uval, uval | Futex.FUTEX_WAITERS);
        }
    }

    /** The lock is {@code w}'s: it leaves the queue, and owns the PI state if others still wait. */
    private void grant(Waiter w) {
        List<Waiter> q = queues.get(w.key);
        q.remove(w);
        if (q.isEmpty()) {
            queues.remove(w.key);
            piOwners.remove(w.key);
        } else {
            piOwners.put(w.key, w.tid);
        }
        w.woken = true;
        notifyAll();
    }

    /**
     * FUTEX_UNLOCK_PI by {@code tid}: EPERM unless it owns the word; the first waiter gets the lock
     * (the word becomes its TID with FUTEX_WAITERS, as wake_futex_pi writes it); with no waiter the
     * word becomes 0 (EAGAIN if the guest changed it meanwhile). EINVAL when the waiters are not PI
     * waiters or the word's owner is not the one they wait for.
     */
    public synchronized void unlockPi(FutexKey key, PiWord word, int tid) throws ErrnoException {
        while (true) {
            int uval = word.read();
            if ((uval & Futex.FUTEX_TID_MASK) != tid) {
                throw new ErrnoException(Errno.EPERM);
            }
            Waiter top = first(key);
            if (top == null) {
                if (!word.compareAndSet(uval, 0)) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                return;
            }
            Integer owner = piOwners.get(key);
            if (!top.pi || owner == null || owner != tid) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (word.compareAndSet(uval, Futex.FUTEX_WAITERS | top.tid)) {
                grant(top);
                return;
            }
            if ((word.read() & Futex.FUTEX_TID_MASK) != tid) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
    }

    /**
     * exit_pi_state_list: thread {@code tid} ended or exec'd: each PI futex it owns with waiters
     * goes to its first waiter, the word becoming that TID with FUTEX_WAITERS and FUTEX_OWNER_DIED
     * (fixup_pi_state_owner for a dead owner).
     */
    public synchronized void ownerExited(int tid) {
        for (FutexKey key : new ArrayList<>(piOwners.keySet())) {
            Waiter top = first(key);
            if (piOwners.get(key) != tid || top == null || !top.pi) {
                continue;
            }
            try {
                int uval;
                do {
                    uval = top.word.read();
                } while (!top.word.compareAndSet(uval, Futex.FUTEX_OWNER_DIED | Futex.FUTEX_WAITERS | top.tid));
            } catch (ErrnoException fault) {
                // The word is gone; the waiter still gets the lock, as Linux's rt_mutex gives it.
            }
            grant(top);
        }
    }

    /**
     * FUTEX_WAIT_REQUEUE_PI for thread {@code tid}: sleeps on {@code key} while its word holds
     * {@code expected} (EAGAIN otherwise; EINVAL when both keys are one), until FUTEX_CMP_REQUEUE_PI
     * gives it the PI futex {@code target} or queues it there and an unlock hands it over (0). A
     * timeout is ETIMEDOUT; a signal restarts the call before the requeue, EAGAIN after.
     */
    public synchronized void waitRequeuePi(FutexKey key, Word word, int expected, FutexKey target, PiWord targetWord,
            int tid, long deadline) throws ErrnoException {
        if (word.read() != expected) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        if (key.equals(target)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Waiter w = new Waiter(key, -1);
        w.tid = tid;
        w.word = targetWord;
        w.requeueTo = target;
        queues.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        sleepPi(w, deadline);
    }

    /**
     * FUTEX_CMP_REQUEUE_PI: if {@code key}'s word holds {@code expected} (EAGAIN), its first waiter
     * takes the PI futex {@code target} if it is free (woken) and up to {@code requeueCount} waiters
     * (the first too when it did not take it) are queued on {@code target}; each must be a
     * FUTEX_WAIT_REQUEUE_PI waiter for {@code target} (EINVAL). Returns the number woken plus moved.
     */
    public synchronized int requeuePi(FutexKey key, FutexKey target, Word word, int expected, PiWord targetWord,
            int requeueCount, IntPredicate alive) throws ErrnoException {
        if (key.equals(target)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (word.read() != expected) {
            throw new ErrnoException(Errno.EAGAIN);
        }
        targetWord.read();
        Waiter top = first(key);
        if (top == null) {
            return 0;
        }
        if (top.requeueTo == null || !top.requeueTo.equals(target)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int owner = tryLockPi(target, targetWord, top.tid, alive, requeueCount != 0);
        int count = 0;
        List<Waiter> q = queues.get(key);
        if (owner == ACQUIRED) {
            q.remove(top);
            top.woken = true;
            count = 1;
            owner = top.tid;
        }
        try {
            for (Iterator<Waiter> it = q.iterator(); it.hasNext() && count - 1 < requeueCount;) {
                Waiter w = it.next();
                if (w.requeueTo == null || !w.requeueTo.equals(target)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                it.remove();
                w.key = target;
                w.pi = true;
                queues.computeIfAbsent(target, k -> new ArrayList<>()).add(w);
                piOwners.putIfAbsent(target, owner);
                count++;
            }
        } finally {
            if (q.isEmpty()) {
                queues.remove(key);
            }
            notifyAll();
        }
        return count;
    }
}
