package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The host poller of Linux hosts (gVisor's fdnotifier in Java): one epoll instance and one daemon
 * thread in epoll_wait for every host socket of the JVM. Each socket is added once, edge-triggered,
 * for all it can report (EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLPRI), as Go's netpoller registers; each
 * event goes to the socket's listener, which wakes whoever waits in jlx. An event names the
 * socket by a number of its own, never by the descriptor, so an event for a socket closed meanwhile
 * (whose descriptor may be someone else's now) finds no listener.
 *
 * <p>Adding a socket that is ready already queues an event at once, which the thread delivers some
 * time later: {@link #add} waits until it has (a barrier through an eventfd), so that the socket's
 * first report is never taken for a change made after its owner first looked.
 */
final class EpollPoller {
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 0x1;
    private static final int EPOLLPRI = 0x2;
    private static final int EPOLLOUT = 0x4;
    private static final int EPOLLRDHUP = 0x2000;
    private static final int EPOLLET = 1 << 31;
    /** struct epoll_event is packed on x86-64 (12 bytes: events, then data); elsewhere data is 8-aligned. */
    private static final boolean PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    private static final int EVENT_SIZE = PACKED ? 12 : 16;
    private static final int DATA_OFFSET = PACKED ? 4 : 8;
    private static final int BATCH = 64;

    private static volatile EpollPoller instance;

    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    /** The eventfd's registration number (socket registrations start at 1). */
    private static final long BARRIER = 0;

    private final int epfd;
    private final int barrierFd;
    private final Map<Long, IntConsumer> listeners = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Barriers asked for, and the last one passed: every event queued before it was asked is delivered. */
    private final AtomicLong barriersAsked = new AtomicLong();
    private long barriersPassed;

    private EpollPoller(int epfd, int barrierFd) {
        this.epfd = epfd;
        this.barrierFd = barrierFd;
        Thread t = new Thread(this::run, "jlx-host-poller");
        t.setDaemon(true);
        t.start();
    }

    /** The JVM's poller, made on first use; null when the host refuses an epoll instance. */
    static EpollPoller get() {
        EpollPoller p = instance;
        if (p == null) {
            synchronized (EpollPoller.class) {
                p = instance;
                if (p == null) {
                    SocketCalls.Scratch s = SocketCalls.scratch();
                    int fd = SocketCalls.Epoll.create1(s, EPOLL_CLOEXEC);
                    if (fd < 0) {
                        return null;
                    }
                    int efd = SocketCalls.Epoll.eventfd(s, EFD_CLOEXEC | EFD_NONBLOCK);
                    MemorySegment ev = s.value;
                    ev.set(JAVA_INT_UNALIGNED, 0, EPOLLIN);
                    ev.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, BARRIER);
                    if (efd < 0 || SocketCalls.Epoll.ctl(s, fd, EPOLL_CTL_ADD, efd, ev) < 0) {
                        SocketCalls.close(s, fd);
                        return null;
                    }
                    p = instance = new EpollPoller(fd, efd);
                }
            }
        }
        return p;
    }

    /** Adds {@code fd}, whose changes go to {@code listener}: the registration's number, or -1 when refused. */
    long add(int fd, IntConsumer listener) {
        long id = ids.incrementAndGet();
        listeners.put(id, listener);
        SocketCalls.Scratch s = SocketCalls.scratch();
        MemorySegment ev = s.value;
        ev.set(JAVA_INT_UNALIGNED, 0, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET);
        ev.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, id);
        if (SocketCalls.Epoll.ctl(s, epfd, EPOLL_CTL_ADD, fd, ev) < 0) {
            listeners.remove(id);
            return -1;
        }
        barrier(s);
        return id;
    }

    /** Returns once the thread has delivered every event queued before this call. */
    private void barrier(SocketCalls.Scratch s) {
        long mine = barriersAsked.incrementAndGet();
        s.value.set(JAVA_LONG_UNALIGNED, 0, 1);
        SocketCalls.write(s, barrierFd, s.value, 8);
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

    /** Removes registration {@code id} of {@code fd}, before the descriptor is closed. */
    void remove(int fd, long id) {
        listeners.remove(id);
        SocketCalls.Scratch s = SocketCalls.scratch();
        SocketCalls.Epoll.ctl(s, epfd, EPOLL_CTL_DEL, fd, s.value);
    }

    private void run() {
        SocketCalls.Scratch s = SocketCalls.scratch();
        MemorySegment events = Arena.ofAuto().allocate((long) EVENT_SIZE * BATCH, 8);
        long passed = 0;
        while (true) {
            // Barriers asked before this wait: each one's events are in the ready list by now, so a
            // wait that empties the list (fewer than BATCH events) has delivered them all.
            long asked = barriersAsked.get();
            int n = SocketCalls.Epoll.await(s, epfd, events, BATCH, asked > passed ? 0 : -1);
            for (int i = 0; i < n; i++) {
                long at = (long) i * EVENT_SIZE;
                int mask = events.get(JAVA_INT_UNALIGNED, at);
                long id = events.get(JAVA_LONG_UNALIGNED, at + DATA_OFFSET);
                if (id == BARRIER) {
                    SocketCalls.read(s, barrierFd, s.value, 8);
                    continue;
                }
                IntConsumer l = listeners.get(id);
                if (l != null) {
                    try {
                        l.accept(mask & ~EPOLLET);
                    } catch (RuntimeException e) {
                        System.getLogger("dev.jlx.host.posix").log(System.Logger.Level.ERROR,
                                "a host socket's readiness listener failed", e);
                    }
                }
            }
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
