package dev.jlx.core.mem;

import dev.jlx.core.cpu.CpuEngine;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who may run guest code on one address space: LOCK-prefixed instructions are not atomic across
 * Unicorn engines (docs/engine.md), so the engines of a process's threads take turns. A thread
 * holds the token while its engine runs and gives it up in every call that may block; at any
 * other syscall after a whole slice, with another thread waiting, it lets that one run first.
 * Threads are switched at syscalls only: an engine stopped from another thread mid-run was seen
 * to resume with corrupted state, so a thread that spins without syscalls keeps the token.
 */
public final class RunToken {
    /** How long a thread runs before a waiting one gets its turn. */
    private static final long SLICE_NANOS = 4_000_000;

    private final ReentrantLock lock = new ReentrantLock(true);
    private long since;

    /** Blocks until the calling thread may run guest code. */
    public void acquire() {
        lock.lock();
        since = System.nanoTime();
    }

    public void release() {
        lock.unlock();
    }

    /** Lets the other threads run while the caller waits in {@code wait} (for them, or for a vfork child). */
    public void releasedDuring(Runnable wait) {
        release();
        try {
            wait.run();
        } finally {
            acquire();
        }
    }

    /** At a syscall: after a whole slice with another thread waiting, lets it run first. */
    public void yieldIfDue() {
        // Every syscall passes here: the cheap question first.
        if (lock.hasQueuedThreads() && System.nanoTime() - since > SLICE_NANOS) {
            release();
            acquire();
        }
    }
}
