package dev.jlx.core.kernel;

import dev.jlx.abi.Futex;
import dev.jlx.abi.struct.RobustListHead;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;

/**
 * The robust futex list a thread registered with set_robust_list, walked when it dies or execs,
 * as Linux's exit_robust_list: each futex word the thread still owns gets FUTEX_OWNER_DIED (its
 * FUTEX_WAITERS bit kept) and, when it has waiters, one is woken, so that the next locker of a
 * PTHREAD_MUTEX_ROBUST mutex sees EOWNERDEAD instead of waiting forever.
 */
final class RobustList {
    /** Linux's ROBUST_LIST_LIMIT: a walk stops after this many entries (a list may be corrupt or circular). */
    static final int LIMIT = 2048;

    private RobustList() {}

    /** Walks {@code thread}'s list, if it registered one; a bad pointer ends the walk, as a fault does on Linux. */
    static void release(GuestThread thread) {
        long head = thread.robustList();
        if (head == 0) {
            return;
        }
        AddressSpace space = thread.process().space();
        GuestMemory mem = space.memory();
        Futexes futexes = thread.process().kernel().futexes();
        int tid = thread.tid();
        try {
            long entry = mem.readLong(head + RobustListHead.LIST);
            long offset = mem.readLong(head + RobustListHead.FUTEX_OFFSET);
            long pending = mem.readLong(head + RobustListHead.LIST_OP_PENDING);
            // Bit 0 of each pointer marks a PI futex.
            for (int limit = LIMIT; (entry & ~1L) != head; ) {
                long next;
                try {
                    next = mem.readLong(entry & ~1L);
                } catch (ErrnoException fault) {
                    next = -1;
                }
                if ((entry & ~1L) != (pending & ~1L)) {
                    died(space, mem, futexes, (entry & ~1L) + offset, tid, (entry & 1) != 0, false);
                }
                if (next == -1 || --limit == 0) {
                    break;
                }
                entry = next;
            }
            if ((pending & ~1L) != 0) {
                died(space, mem, futexes, (pending & ~1L) + offset, tid, (pending & 1) != 0, true);
            }
        } catch (ErrnoException fault) {
            // The head is unreadable: nothing to walk.
        }
    }

    /**
     * handle_futex_death for the word at {@code address}: a pending op's unowned word wakes a waiter
     * (the releaser died between unlocking and waking); a word {@code tid} owns gets FUTEX_OWNER_DIED,
     * and one waiter of a non-PI futex is woken when FUTEX_WAITERS is set.
     */
    private static void died(AddressSpace space, GuestMemory mem, Futexes futexes, long address, int tid, boolean pi,
            boolean pendingOp) {
        if ((address & 3) != 0) {
            return;
        }
        try {
            // Linux wakes as for a shared futex: a word in shared memory wakes another process's waiter.
            var key = space.futexKey(address, true);
            int word;
            synchronized (futexes) {
                word = mem.readInt(address);
                if (pendingOp && !pi && word == 0) {
                    futexes.wake(key, 1, -1);
                    return;
                }
                if ((word & Futex.FUTEX_TID_MASK) != tid) {
                    return;
                }
                mem.writeInt(address, (word & Futex.FUTEX_WAITERS) | Futex.FUTEX_OWNER_DIED);
            }
            if (!pi && (word & Futex.FUTEX_WAITERS) != 0) {
                futexes.wake(key, 1, -1);
            }
        } catch (ErrnoException fault) {
            // An unmapped word: nobody to tell.
        }
    }
}
