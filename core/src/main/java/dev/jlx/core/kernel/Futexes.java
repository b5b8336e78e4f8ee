package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.mem.FutexKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The futex wait queues of one kernel, as Linux's futex hash: a waiter sleeps on a key (where the
 * futex word lives, {@link FutexKey}) until a wake on that key whose bitset matches its
 * own, a timeout, or an interruption. One monitor guards every queue; the value check and the
 * enqueue happen under it, so a wake after the guest changed the word can never be missed.
 */
public final class Futexes {
    private final Map<FutexKey, List<Waiter>> queues = new HashMap<>();

    /** Reads the futex word; EFAULT for a bad address. */
    @FunctionalInterface
    public interface Word {
        int read() throws ErrnoException;
    }

    private static final class Waiter {
        final int bitset;
        FutexKey key;
        boolean woken;

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
    }
}
