package dev.jlx.core.mem;

import dev.jlx.core.cpu.CpuEngine;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who may run guest code on one address space: LOCK-prefixed instructions are not atomic across
 * Unicorn engines (docs/engine.md), so the engines of a process's threads take turns. A thread
 * holds the token while its engine runs and gives it up in every call that may block. A thread
 * that has waited a whole slice stops the holder's engine, which then gives the token up before
 * its next translated block; a holder that makes a syscall after its slice, with another thread
 * waiting, lets that one run first. The token guards no kernel data: objects that threads share
 * have locks of their own (docs/design.md, Concurrency).
 *
 * <p>Processes can share writable memory too (MAP_SHARED, and fork hands it on), and their atomic
 * instructions on it (a process-shared semaphore's) must not interleave either: an address space
 * that maps writable shared memory {@linkplain #join joins} {@link #SHARED_MEMORY}, which its
 * threads then hold as well as its own token while they run guest code.
 */
public final class RunToken {
    /** How long a thread runs before a waiting one gets its turn. */
    private static final long SLICE_NANOS = 4_000_000;

    /**
     * The turn-taking of every address space in this JVM that maps writable shared memory. One for
     * the JVM, not per machine: two machines may map one host file.
     */
    public static final RunToken SHARED_MEMORY = new RunToken();

    private final ReentrantLock lock = new ReentrantLock(true);
    private long since;
    /** The engine of the thread that holds the token, for a waiter to stop. */
    private volatile CpuEngine holder;
    /**
     * {@link #SHARED_MEMORY} once this space maps writable shared memory, else null; set under
     * {@link #lock}, so whoever holds this token holds that one too exactly when it is set.
     */
    private volatile RunToken joined;

    /**
     * Blocks until the calling thread, whose engine is {@code engine}, may run guest code; after
     * each slice of waiting it asks the holder's engine to stop. Interrupts are kept for later.
     */
    public void acquire(CpuEngine engine) {
        boolean interrupted = false;
        while (true) {
            try {
                // A timed tryLock keeps the lock's fairness (the untimed one barges).
                if (lock.tryLock(SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                continue;
            }
            CpuEngine h = holder;
            if (h != null && h.stopsExactly()) {
                h.stop();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        holder = engine;
        since = System.nanoTime();
        RunToken j = joined;
        if (j != null) {
            j.acquire(engine);
        }
    }

    public void release() {
        RunToken j = joined;
        if (j != null) {
            j.release();
        }
        holder = null;
        lock.unlock();
    }

    /**
     * From now on whoever runs this space also holds {@code common} (its memory became shared with
     * other spaces'). The caller holds this token (a syscall that does not block) or runs no guest
     * code of this space (then it waits for the holder to let go).
     */
    public void join(RunToken common) {
        if (joined != null) {
            return;
        }
        if (lock.isHeldByCurrentThread()) {
            common.acquire(holder);
            joined = common;
        } else {
            lock.lock();
            try {
                joined = common;
            } finally {
                lock.unlock();
            }
        }
    }

    /** fork's child space, which no thread runs yet, shares what {@code parent}'s has joined. */
    public void inherit(RunToken parent) {
        joined = parent.joined;
    }

    /** Lets the other threads run while the caller waits in {@code wait} (for them, or for a vfork child). */
    public void releasedDuring(Runnable wait) {
        CpuEngine mine = holder;
        release();
        try {
            wait.run();
        } finally {
            acquire(mine);
        }
    }

    /** At a syscall: after a whole slice with another thread waiting, lets it run first. */
    public void yieldIfDue() {
        // Every syscall passes here: the cheap question first.
        RunToken j = joined;
        if ((lock.hasQueuedThreads() || j != null && j.lock.hasQueuedThreads()) && System.nanoTime() - since > SLICE_NANOS) {
            CpuEngine mine = holder;
            release();
            acquire(mine);
        }
    }
}
