package dev.jlx.host.posix;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A host poller (gVisor's fdnotifier in Java): one host event queue and one daemon thread waiting on
 * it for every host socket of the JVM, each socket added once, edge-triggered, for all it can
 * report; each event goes to the socket's listener (Linux POLL* bits), which wakes whoever waits in
 * jlx. An event names the socket by a number of its own, never by the descriptor, so an event for a
 * socket closed meanwhile (whose descriptor may be someone else's now) finds no listener. Linux's is
 * {@link EpollPoller}, macOS's {@link KqueuePoller}.
 *
 * <p>Adding a socket that is ready already queues an event at once, which the thread delivers some
 * time later: {@link #add} waits until it has (a barrier: a wake-up of the queue the thread sees
 * after everything queued before it), so that the socket's first report is never taken for a change
 * made after its owner first looked.
 */
abstract class HostPoller {
    /** The number the barrier's events carry (socket registrations start at 1). */
    static final long BARRIER = 0;
    /** The most events one wait takes. */
    static final int BATCH = 64;

    private final Map<Long, IntConsumer> listeners = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Barriers asked for, and the last one passed: every event queued before it was asked is delivered. */
    private final AtomicLong barriersAsked = new AtomicLong();
    private long barriersPassed;

    /** Starts the thread; for the subclass's constructor to call last. */
    final void start() {
        Thread t = new Thread(this::run, "jlx-host-poller");
        t.setDaemon(true);
        t.start();
    }

    /** Adds {@code fd} to the host's queue for all it can report, edge-triggered, its events carrying {@code id}. */
    abstract boolean register(int fd, long id);

    /** Takes {@code fd} out of the host's queue (before the descriptor is closed). */
    abstract void unregister(int fd);

    /** Wakes the thread with a barrier event. */
    abstract void trigger();

    /**
     * Waits for events (not at all when {@code now}), at most {@link #BATCH}, and hands each to
     * {@link #deliver} (a barrier's too, which it consumes): how many were taken.
     */
    abstract int await(boolean now);

    /** Adds {@code fd}, whose changes go to {@code listener}: the registration's number, or -1 when refused. */
    final long add(int fd, IntConsumer listener) {
        long id = ids.incrementAndGet();
        listeners.put(id, listener);
        if (!register(fd, id)) {
            listeners.remove(id);
            return -1;
        }
        barrier();
        return id;
    }

    /** Removes registration {@code id} of {@code fd}, before the descriptor is closed. */
    final void remove(int fd, long id) {
        listeners.remove(id);
        unregister(fd);
    }

    /** Returns once the thread has delivered every event queued before this call. */
    private void barrier() {
        long mine = barriersAsked.incrementAndGet();
        trigger();
        boolean interrupted = false;
        synchronized (this) {
            while (barriersPassed < mine) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One event of registration {@code id}: the Linux POLL* bits that may have changed. */
    final void deliver(long id, int events) {
        IntConsumer l = listeners.get(id);
        if (l != null) {
            try {
                l.accept(events);
            } catch (RuntimeException e) {
                System.getLogger("dev.jlx.host.posix").log(System.Logger.Level.ERROR,
                        "a host socket's readiness listener failed", e);
            }
        }
    }

    private void run() {
        long passed = 0;
        while (true) {
            // Barriers asked before this wait: each one's events are in the ready list by now, so a
            // wait that empties the list (fewer than BATCH events) has delivered them all.
            long asked = barriersAsked.get();
            int n = await(asked > passed);
            if (n >= 0 && n < BATCH && asked > passed) {
                passed = asked;
                synchronized (this) {
                    barriersPassed = asked;
                    notifyAll();
                }
            }
        }
    }
}
