package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A file's readiness wait queue, as Linux's wait queue head that poll_wait registers on: a file
 * whose {@link OpenFile#poll} answer may change calls {@link #wake} after each change, and poll,
 * select and epoll ({@link Waiter}) sleep until one of their files wakes them instead of looking
 * again and again. An epoll instance watches its files' queues and wakes its own in turn.
 *
 * <p>{@link #wake} takes no lock (the watch list is copied on change, and a waiter is woken with
 * {@link LockSupport#unpark}), so a file may call it while it holds its own monitor: a poller that
 * holds another file's monitor while it asks this one cannot deadlock with it.
 */
public final class Readiness {
    /** What a change of the input side may make ready: data came, the other side went. */
    public static final int INPUT = Poll.POLLIN | Poll.POLLPRI | Poll.POLLRDNORM | Poll.POLLRDBAND | Poll.POLLRDHUP;
    /** What a change of the output side may make ready: room was made. */
    public static final int OUTPUT = Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
    /** Any change (an end opened or closed, an error): every waiter looks again. */
    public static final int ALL = -1;

    /**
     * The queue of a file whose readiness never changes (a regular file is always ready, as on
     * Linux): nothing ever wakes a waiter on it, and none registers.
     */
    public static final Readiness FIXED = new Readiness(() -> false, false);
    /**
     * The queue of a file whose readiness changes where jlx cannot see it (a host terminal, FIFO or
     * socket, asked through the host's poll): nothing wakes a waiter on it, so a wait that holds
     * one must look again now and then.
     */
    public static final Readiness UNSEEN = new Readiness(() -> true, false);

    /** One registration: its listener hears of the changes that touch any of its (volatile) events. */
    public static final class Watch {
        private volatile int events;
        private final Listener listener;

        private Watch(int events, Listener listener) {
            this.events = events;
            this.listener = listener;
        }

        /** Changes the events heard of (EPOLL_CTL_MOD, an EPOLLONESHOT entry disarmed: 0). */
        public void setEvents(int events) {
            this.events = events;
        }
    }

    /** Told of a change; called by whichever thread made it, maybe holding the file's monitor: must not block. */
    @FunctionalInterface
    public interface Listener {
        void wake(int events);
    }

    private final List<Watch> watches;
    private final BooleanSupplier unseen;

    /** A queue for a file whose every change jlx sees. */
    public Readiness() {
        this(() -> false, true);
    }

    /**
     * A queue whose file may hold files whose readiness jlx cannot see, as {@code unseen} says
     * when asked (an epoll instance watching a host terminal).
     */
    public Readiness(BooleanSupplier unseen) {
        this(unseen, true);
    }

    private Readiness(BooleanSupplier unseen, boolean wakes) {
        this.unseen = unseen;
        this.watches = wakes ? new CopyOnWriteArrayList<>() : null;
    }

    /**
     * The file's readiness may have changed: wakes each watch that asked for any of {@code events}
     * ({@link #INPUT}, {@link #OUTPUT}, {@link #ALL}, or the POLL* bits that changed). Call it after
     * the change is made (and visible to the file's poll), so that a waiter that looked before it
     * is woken, and one that looks after it sees it.
     */
    public void wake(int events) {
        if (watches == null) {
            return;
        }
        for (Watch w : watches) {
            if ((w.events & events) != 0) {
                w.listener.wake(events);
            }
        }
    }

    /** Whether a wait on this file must look again now and then, its changes not being seen. */
    public boolean unseen() {
        return unseen.getAsBoolean();
    }

    /** Registers {@code listener} for the changes that touch {@code events}; undone by {@link #unwatch}. */
    public Watch watch(int events, Listener listener) {
        Watch w = new Watch(events, listener);
        if (watches != null) {
            watches.add(w);
        }
        return w;
    }

    public void unwatch(Watch w) {
        if (watches != null) {
            watches.remove(w);
        }
    }

    /** How many watches are registered (for tests). */
    int watches() {
        return watches == null ? 0 : watches.size();
    }

    /**
     * The first and the longest pause between two looks of a wait whose files include one whose
     * changes jlx does not see ({@link #UNSEEN}: a host terminal, FIFO or socket, which only the
     * host's poll can tell about): such a wait looks again now and then, pausing longer each time,
     * while a change of a jlx file in it still wakes it at once. A wait on jlx files alone sleeps
     * until one of them changes.
     */
    private static final long FIRST_PAUSE_NANOS = 100_000;
    private static final long MAX_PAUSE_NANOS = 10_000_000;

    /** One look at the files of a wait. */
    @FunctionalInterface
    public interface Scan {
        /** Names each file to {@code waiter} before asking its poll; returns how many are ready. */
        int scan(Waiter waiter) throws ErrnoException;
    }

    /**
     * poll's, select's and epoll_wait's wait: looks with {@code scan} until it finds something
     * ready or the timeout (negative: none) passes, sleeping between looks until a file it looked
     * at may have changed; EINTR when {@code interrupted} (a signal the thread does not block
     * arrived, or the process ends) first. Whoever makes {@code interrupted} true interrupts the
     * waiting thread.
     */
    public static int await(long timeoutNanos, BooleanSupplier interrupted, Scan scan) throws ErrnoException {
        // Time is measured from the start (System.nanoTime() may be negative, and a guest's timeout is
        // up to Long.MAX_VALUE): start + timeout could overflow, timeout - elapsed cannot.
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        try (Waiter waiter = new Waiter()) {
            while (true) {
                waiter.look();
                int ready = scan.scan(waiter);
                long left = timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos - (System.nanoTime() - start);
                if (ready > 0 || left <= 0) {
                    return ready;
                }
                if (interrupted.getAsBoolean()) {
                    throw new ErrnoException(Errno.EINTR);
                }
                if (!waiter.armed) {
                    // The first look registered nothing (most calls find a file ready at once):
                    // register with the files' queues, and look once more before sleeping.
                    waiter.armed = true;
                    continue;
                }
                if (waiter.unseen) {
                    waiter.park(Math.min(pause, left));
                    pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
                } else {
                    waiter.park(left);
                }
                if (Thread.currentThread().isInterrupted() && !interrupted.getAsBoolean()) {
                    Thread.interrupted(); // a wake-up with nothing to act on any more
                }
            }
        }
    }

    /**
     * One wait of a thread. Each look at the files starts with {@link #look}, and names each file
     * with {@link #watch} before it asks the file's poll; once armed, watch registers with the
     * file's queue, so a change made after the look asked the file wakes the waiter (no wakeup is
     * lost between the last look and {@link #park}). {@link #close} deregisters.
     */
    public static final class Waiter implements Listener, AutoCloseable {
        private final Thread thread = Thread.currentThread();
        private final IdentityHashMap<Readiness, Watch> registered = new IdentityHashMap<>();
        private volatile boolean woken;
        private boolean armed;
        private boolean unseen;

        private Waiter() {}

        /** A new look at the files begins: the wake-ups before it are seen by it. */
        private void look() {
            woken = false;
            unseen = false;
        }

        /** The look is about to ask {@code file} for {@code events}. */
        public void watch(OpenFile file, int events) {
            if (!armed) {
                return;
            }
            Readiness r = file.readiness();
            if (r.unseen()) {
                unseen = true;
            }
            if (r.watches == null) {
                return;
            }
            Watch w = registered.get(r);
            if (w == null) {
                registered.put(r, r.watch(events, this));
            } else if ((w.events | events) != w.events) {
                w.events |= events;
            }
        }

        @Override
        public void wake(int events) {
            woken = true;
            LockSupport.unpark(thread);
        }

        /**
         * Sleeps until a watched file wakes this waiter (or woke it since {@link #look}), {@code nanos}
         * pass, or the thread is interrupted; may also return early for no reason, as parks do.
         */
        private void park(long nanos) {
            if (!woken) {
                LockSupport.parkNanos(this, nanos);
            }
        }

        @Override
        public void close() {
            registered.forEach(Readiness::unwatch);
            registered.clear();
        }
    }
}
