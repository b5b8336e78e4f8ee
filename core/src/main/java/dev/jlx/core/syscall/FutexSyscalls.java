package dev.jlx.core.syscall;

import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.Futex;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.Futexes;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.FutexKey;
import dev.jlx.core.mem.GuestMemory;
import java.util.function.IntPredicate;

/** futex(2): wait queues keyed by where the word lives ({@link Futexes}, {@link FutexKey}). */
final class FutexSyscalls {
    private FutexSyscalls() {}

    /** Implements Linux syscall futex(2). */
    static long futex(GuestThread t, Args a) throws ErrnoException {
        long uaddr = a.addr(0);
        int op = a.i32(1);
        int val = a.i32(2);
        long timeout = a.addr(3);
        long uaddr2 = a.addr(4);
        int val3 = a.i32(5);
        int piCmd = op & Futex.FUTEX_CMD_MASK;
        if (piCmd == Futex.FUTEX_LOCK_PI || piCmd == Futex.FUTEX_LOCK_PI2 || piCmd == Futex.FUTEX_TRYLOCK_PI
                || piCmd == Futex.FUTEX_UNLOCK_PI || piCmd == Futex.FUTEX_WAIT_REQUEUE_PI
                || piCmd == Futex.FUTEX_CMP_REQUEUE_PI) {
            return futexPi(t, piCmd, op, uaddr, val, timeout, uaddr2, val3);
        }
        if ((uaddr & 3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int cmd = op & Futex.FUTEX_CMD_MASK;
        boolean realtime = (op & Futex.FUTEX_CLOCK_REALTIME) != 0;
        // Linux takes the realtime clock only for absolute timeouts (FUTEX_WAIT's is relative; 4.5
        // allowed it there too, which was reverted).
        if (realtime && cmd != Futex.FUTEX_WAIT_BITSET) {
            throw new ErrnoException(Errno.ENOSYS);
        }
        Futexes futexes = t.process().kernel().futexes();
        AddressSpace space = t.process().space();
        GuestMemory mem = space.memory();
        // Without FUTEX_PRIVATE_FLAG a word in shared memory is known by what is mapped there.
        boolean shared = (op & Futex.FUTEX_PRIVATE_FLAG) == 0;
        return switch (cmd) {
            case Futex.FUTEX_WAIT, Futex.FUTEX_WAIT_BITSET -> {
                int bitset = cmd == Futex.FUTEX_WAIT ? Futex.FUTEX_BITSET_MATCH_ANY : val3;
                if (bitset == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                long deadline = Long.MAX_VALUE;
                if (timeout != 0) {
                    long ns = TimeSyscalls.readTimespec(t, timeout);
                    if (cmd == Futex.FUTEX_WAIT) {
                        // Relative.
                        deadline = saturatingAdd(System.nanoTime(), ns);
                    } else {
                        long now = TimeSyscalls.now(t, realtime ? Clocks.CLOCK_REALTIME : Clocks.CLOCK_MONOTONIC);
                        deadline = saturatingAdd(System.nanoTime(), TimeSyscalls.until(ns, now));
                    }
                }
                futexes.await(space.futexKey(uaddr, shared), () -> mem.readInt(uaddr), val, bitset, deadline);
                yield 0;
            }
            case Futex.FUTEX_WAKE, Futex.FUTEX_WAKE_BITSET -> {
                int bitset = cmd == Futex.FUTEX_WAKE ? Futex.FUTEX_BITSET_MATCH_ANY : val3;
                if (bitset == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                yield futexes.wakeChecked(space.futexKey(uaddr, shared), Math.max(val, 0), bitset);
            }
            case Futex.FUTEX_REQUEUE, Futex.FUTEX_CMP_REQUEUE -> {
                // The requeue count travels in the timeout argument, as an integer.
                int requeue = (int) timeout;
                if (val < 0 || requeue < 0 || (uaddr2 & 3) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                Futexes.Word word = cmd == Futex.FUTEX_CMP_REQUEUE ? () -> mem.readInt(uaddr) : null;
                yield futexes.requeue(space.futexKey(uaddr, shared), space.futexKey(uaddr2, shared), word, val3, val, requeue);
            }
            case Futex.FUTEX_WAKE_OP -> wakeOp(t, futexes, space.futexKey(uaddr, shared), space.futexKey(uaddr2, shared), uaddr2, val,
                    (int) timeout, val3);
            default -> throw new ErrnoException(Errno.ENOSYS);
        };
    }

    /**
     * The priority-inheritance operations (kernel/futex/pi.c, requeue.c) in Linux's order of checks:
     * the timeout of LOCK_PI, LOCK_PI2 and WAIT_REQUEUE_PI (EFAULT, EINVAL; absolute: LOCK_PI on
     * CLOCK_REALTIME, the others on CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME, which the others
     * refuse, ENOSYS), then each operation's own checks ({@link Futexes}).
     */
    private static long futexPi(GuestThread t, int cmd, int op, long uaddr, int val, long timeout, long uaddr2,
            int val3) throws ErrnoException {
        boolean realtime = (op & Futex.FUTEX_CLOCK_REALTIME) != 0;
        long deadline = Long.MAX_VALUE;
        if (timeout != 0 && cmd != Futex.FUTEX_UNLOCK_PI && cmd != Futex.FUTEX_TRYLOCK_PI
                && cmd != Futex.FUTEX_CMP_REQUEUE_PI) {
            long ns = TimeSyscalls.readTimespec(t, timeout);
            int clock = cmd == Futex.FUTEX_LOCK_PI || realtime ? Clocks.CLOCK_REALTIME : Clocks.CLOCK_MONOTONIC;
            deadline = saturatingAdd(System.nanoTime(), TimeSyscalls.until(ns, TimeSyscalls.now(t, clock)));
        }
        if (realtime && cmd != Futex.FUTEX_WAIT_REQUEUE_PI && cmd != Futex.FUTEX_LOCK_PI2) {
            throw new ErrnoException(Errno.ENOSYS);
        }
        Futexes futexes = t.process().kernel().futexes();
        AddressSpace space = t.process().space();
        GuestMemory mem = space.memory();
        boolean shared = (op & Futex.FUTEX_PRIVATE_FLAG) == 0;
        IntPredicate alive = t.process().kernel()::threadAlive;
        switch (cmd) {
            case Futex.FUTEX_LOCK_PI, Futex.FUTEX_LOCK_PI2, Futex.FUTEX_TRYLOCK_PI -> {
                futexes.lockPi(piKey(space, uaddr, shared), piWord(mem, uaddr), t.tid(), alive, deadline,
                        cmd == Futex.FUTEX_TRYLOCK_PI);
                return 0;
            }
            case Futex.FUTEX_UNLOCK_PI -> {
                // The owner is checked before the address's alignment, as futex_unlock_pi does.
                int uval = mem.readInt(uaddr);
                if ((uval & Futex.FUTEX_TID_MASK) != t.tid()) {
                    throw new ErrnoException(Errno.EPERM);
                }
                futexes.unlockPi(piKey(space, uaddr, shared), piWord(mem, uaddr), t.tid());
                return 0;
            }
            case Futex.FUTEX_WAIT_REQUEUE_PI -> {
                if (uaddr == uaddr2) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                FutexKey target = piKey(space, uaddr2, shared);
                FutexKey key = piKey(space, uaddr, shared);
                futexes.waitRequeuePi(key, () -> mem.readInt(uaddr), val, target, piWord(mem, uaddr2), t.tid(), deadline);
                return 0;
            }
            default -> {
                // FUTEX_CMP_REQUEUE_PI: the requeue count travels in the timeout argument; only one
                // waiter may be woken (the one that takes the PI futex), as glibc's condition variables ask.
                int requeue = (int) timeout;
                if (val < 0 || requeue < 0 || uaddr == uaddr2 || val != 1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                FutexKey key = piKey(space, uaddr, shared);
                FutexKey target = piKey(space, uaddr2, shared);
                return futexes.requeuePi(key, target, () -> mem.readInt(uaddr), val3, piWord(mem, uaddr2), requeue, alive);
            }
        }
    }

    /** get_futex_key: EINVAL for an unaligned word, EFAULT for a shared one that is not mapped. */
    private static FutexKey piKey(AddressSpace space, long uaddr, boolean shared) throws ErrnoException {
        if ((uaddr & 3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return space.futexKey(uaddr, shared);
    }

    private static Futexes.PiWord piWord(GuestMemory mem, long uaddr) {
        return new Futexes.PiWord() {
            @Override
            public int read() throws ErrnoException {
                return mem.readInt(uaddr);
            }

            @Override
            public boolean compareAndSet(int expected, int value) throws ErrnoException {
                return mem.compareAndSetInt(uaddr, expected, value);
            }
        };
    }

    /** futex2's limits and flags (linux/futex.h): at most 128 futexes, FUTEX2_SIZE_*, FUTEX2_NUMA, FUTEX2_PRIVATE. */
    private static final int FUTEX_WAITV_MAX = 128;
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final int FUTEX2_SIZE_MASK = 0x03;
    private static final int FUTEX2_NUMA = 0x04;
    private static final int FUTEX2_PRIVATE = 128;
    /** struct futex_waitv: u64 val, u64 uaddr, u32 flags, u32 __reserved. */
    private static final int WAITV_SIZE = 24;

    /**
     * The System.nanoTime deadline of futex_waitv's and futex_wait's absolute timeout on {@code clock}
     * (CLOCK_REALTIME or CLOCK_MONOTONIC, else EINVAL), as the guests read it; none without one.
     */
    private static long futex2Deadline(GuestThread t, long timeout, int clock) throws ErrnoException {
        if (timeout == 0) {
            return Long.MAX_VALUE;
        }
        if (clock != Clocks.CLOCK_REALTIME && clock != Clocks.CLOCK_MONOTONIC) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long ns = TimeSyscalls.readTimespec(t, timeout);
        return saturatingAdd(System.nanoTime(), TimeSyscalls.until(ns, TimeSyscalls.now(t, clock)));
    }

    /**
     * Implements Linux syscall futex_waitv(2) with its checks in its order: no flags, 1..128
     * futexes and an array (EINVAL), the timeout's clock (CLOCK_MONOTONIC or CLOCK_REALTIME, an
     * absolute time) and the timeout (EFAULT, EINVAL), then each entry (EFAULT; EINVAL for unknown
     * flags, a reserved field, a size other than FUTEX2_SIZE_U32, a value past 32 bits), then each
     * word's address (EINVAL unaligned, EFAULT). Returns the index of the futex woken. FUTEX2_NUMA
     * (a node id after the word) is EINVAL here: jlx has one node and no NUMA futex hashes.
     */
    static long futex_waitv(GuestThread t, Args a) throws ErrnoException {
        long waiters = a.addr(0);
        long count = Integer.toUnsignedLong(a.i32(1));
        long timeout = a.addr(3);
        int clock = a.i32(4);
        if (a.i32(2) != 0 || count == 0 || count > FUTEX_WAITV_MAX || waiters == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long deadline = futex2Deadline(t, timeout, clock);
        AddressSpace space = t.process().space();
        GuestMemory mem = space.memory();
        int n = (int) count;
        long[] addresses = new long[n];
        int[] values = new int[n];
        boolean[] shared = new boolean[n];
        for (int i = 0; i < n; i++) {
            java.nio.ByteBuffer w = mem.readStruct(waiters + (long) i * WAITV_SIZE, WAITV_SIZE);
            long val = w.getLong(0);
            int flags = w.getInt(16);
            if ((flags & ~(FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_PRIVATE)) != 0 || w.getInt(20) != 0
                    || (flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || (flags & FUTEX2_NUMA) != 0
                    || (val >>> 32) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            addresses[i] = w.getLong(8);
            values[i] = (int) val;
            shared[i] = (flags & FUTEX2_PRIVATE) == 0;
        }
        FutexKey[] keys = new FutexKey[n];
        Futexes.Word[] words = new Futexes.Word[n];
        for (int i = 0; i < n; i++) {
            long address = addresses[i];
            if ((address & 3) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            GuestMemory.accessOk(address, 4);
            keys[i] = space.futexKey(address, shared[i]);
            words[i] = () -> mem.readInt(address);
        }
        return t.process().kernel().futexes().awaitAny(keys, words, values, deadline);
    }

    /**
     * futex_flags_valid for the futex2 calls: EINVAL for bits outside FUTEX2_SIZE_*, FUTEX2_NUMA and
     * FUTEX2_PRIVATE and for any size but FUTEX2_SIZE_U32 (the only one Linux implements).
     */
    private static void checkFutex2Flags(long flags) throws ErrnoException {
        if ((flags & ~(long) (FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_PRIVATE)) != 0
                || (flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * get_futex_key for a futex2 word: EINVAL unaligned (a FUTEX2_NUMA word and the node id after it
     * are aligned together); a NUMA word's node is read (EFAULT) and must be FUTEX_NO_NODE (-1), which
     * becomes node 0 in guest memory, or 0, jlx's one node (EINVAL otherwise); then the key, EFAULT
     * for a shared word that is not mapped.
     */
    private static FutexKey futex2Key(GuestThread t, long uaddr, int flags) throws ErrnoException {
        boolean numa = (flags & FUTEX2_NUMA) != 0;
        if ((uaddr & (numa ? 7 : 3)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        AddressSpace space = t.process().space();
        if (numa) {
            int node = space.memory().readInt(uaddr + 4);
            if (node != -1 && node != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (node == -1) {
                space.memory().writeInt(uaddr + 4, 0);
            }
        }
        return space.futexKey(uaddr, (flags & FUTEX2_PRIVATE) == 0);
    }

    /**
     * Implements Linux syscall futex_wake(2) (Linux 6.7): up to {@code nr} waiters whose mask meets
     * {@code mask} (a negative count wakes one, 0 none, as FLAGS_STRICT); EINVAL for bad flags, a
     * mask of 0 or past 32 bits, an unaligned word.
     */
    static long futex_wake(GuestThread t, Args a) throws ErrnoException {
        long mask = a.u64(1);
        int nr = a.i32(2);
        int flags = a.i32(3);
        checkFutex2Flags(Integer.toUnsignedLong(flags));
        if ((mask >>> 32) != 0 || mask == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        FutexKey key = futex2Key(t, a.addr(0), flags);
        if (nr == 0) {
            return 0;
        }
        return t.process().kernel().futexes().wake(key, nr < 0 ? 1 : nr, (int) mask);
    }

    /**
     * Implements Linux syscall futex_wait(2) (Linux 6.7): flags, a value and mask within 32 bits
     * (EINVAL), the absolute timeout on CLOCK_MONOTONIC or CLOCK_REALTIME (EINVAL, EFAULT), a mask
     * of 0 (EINVAL), then the word as FUTEX_WAIT_BITSET waits on it.
     */
    static long futex_wait(GuestThread t, Args a) throws ErrnoException {
        long uaddr = a.addr(0);
        long val = a.u64(1);
        long mask = a.u64(2);
        int flags = a.i32(3);
        long timeout = a.addr(4);
        int clock = a.i32(5);
        checkFutex2Flags(Integer.toUnsignedLong(flags));
        if ((val >>> 32) != 0 || (mask >>> 32) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long deadline = futex2Deadline(t, timeout, clock);
        if (mask == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        FutexKey key = futex2Key(t, uaddr, flags);
        GuestMemory mem = t.process().space().memory();
        t.process().kernel().futexes().await(key, () -> mem.readInt(uaddr), (int) val, (int) mask, deadline);
        return 0;
    }

    /**
     * Implements Linux syscall futex_requeue(2) (Linux 6.7): no flags and an array of two struct
     * futex_waitv (EINVAL), each read and checked in turn (EFAULT; EINVAL as futex_waitv's), counts
     * not negative (EINVAL), then FUTEX_CMP_REQUEUE from the first word (which must hold the first
     * entry's value, EAGAIN) to the second, each with its own FUTEX2_PRIVATE.
     */
    static long futex_requeue(GuestThread t, Args a) throws ErrnoException {
        long waiters = a.addr(0);
        int nrWake = a.i32(2);
        int nrRequeue = a.i32(3);
        if (a.i32(1) != 0 || waiters == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        long[] addresses = new long[2];
        int[] flags = new int[2];
        int expected = 0;
        for (int i = 0; i < 2; i++) {
            java.nio.ByteBuffer w = mem.readStruct(waiters + (long) i * WAITV_SIZE, WAITV_SIZE);
            long val = w.getLong(0);
            flags[i] = w.getInt(16);
            if (w.getInt(20) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            checkFutex2Flags(Integer.toUnsignedLong(flags[i]));
            if ((val >>> 32) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            addresses[i] = w.getLong(8);
            if (i == 0) {
                expected = (int) val;
            }
        }
        if (nrWake < 0 || nrRequeue < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        FutexKey from = futex2Key(t, addresses[0], flags[0]);
        FutexKey to = futex2Key(t, addresses[1], flags[1]);
        long first = addresses[0];
        return t.process().kernel().futexes().requeue(from, to, () -> mem.readInt(first), expected, nrWake, nrRequeue);
    }

    /**
     * FUTEX_WAKE_OP: changes the word at uaddr2 by the encoded operation, wakes {@code count}
     * waiters of uaddr, and {@code count2} of uaddr2 if the word's old value passes the encoded test.
     */
    private static long wakeOp(GuestThread t, Futexes futexes, FutexKey key, FutexKey key2, long uaddr2,
            int count, int count2, int encoded) throws ErrnoException {
        int op = (encoded >>> 28) & 0xf;
        int cmp = (encoded >>> 24) & 0xf;
        int oparg = (encoded << 8) >> 20;
        int cmparg = (encoded << 20) >> 20;
        if ((op & 8) != 0) {
            // FUTEX_OP_OPARG_SHIFT: the argument is a shift count, which Linux cuts to 0..31 (with a
            // warning in its log) rather than refuse.
            op &= 7;
            oparg = 1 << (oparg & 31);
        }
        GuestMemory mem = t.process().space().memory();
        int old;
        synchronized (futexes) {
            old = mem.readInt(uaddr2);
            int updated = switch (op) {
                case 0 -> oparg;
                case 1 -> old + oparg;
                case 2 -> old | oparg;
                case 3 -> old & ~oparg;
                case 4 -> old ^ oparg;
                default -> throw new ErrnoException(Errno.ENOSYS);
            };
            mem.writeInt(uaddr2, updated);
        }
        boolean pass = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            case 5 -> old >= cmparg;
            default -> throw new ErrnoException(Errno.ENOSYS);
        };
        int woken = futexes.wake(key, Math.max(count, 0), -1);
        if (pass) {
            woken += futexes.wake(key2, Math.max(count2, 0), -1);
        }
        return woken;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }
}
