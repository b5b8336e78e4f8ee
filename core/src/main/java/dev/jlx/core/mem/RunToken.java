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
 */
public final class RunToken {
    /** How long a thread runs before a waiting one gets its turn. */
    private static final long SLICE_NANOS = 4_000_000;

    private final ReentrantLock lock = new ReentrantLock(true);
    private long since;
    /** The engine of the thread that holds the token, for a waiter to stop. */
    private volatile CpuEngine holder;

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
    }

    public void release() {
        holder = null;
        lock.unlock();
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
        if (lock.hasQueuedThreads() && System.nanoTime() - since > SLICE_NANOS) {
            CpuEngine mine = holder;
            release();
            acquire(mine);
        }
    }
}
