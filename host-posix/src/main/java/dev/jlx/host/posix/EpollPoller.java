package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@link HostPoller} of Linux hosts: one epoll instance, each socket added with EPOLLIN,
 * EPOLLOUT, EPOLLRDHUP, EPOLLPRI and EPOLLET (as Go's netpoller registers), whose events are
 * Linux's POLL* bits already; the barrier is an eventfd.
 */
final class EpollPoller extends HostPoller {
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

    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;

    private static volatile EpollPoller instance;

    private final int epfd;
    private final int barrierFd;
    private final MemorySegment events = Arena.ofAuto().allocate((long) EVENT_SIZE * BATCH, 8);

    private EpollPoller(int epfd, int barrierFd) {
        this.epfd = epfd;
        this.barrierFd = barrierFd;
        start();
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

    @Override
    boolean register(int fd, long id) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        MemorySegment ev = s.value;
        ev.set(JAVA_INT_UNALIGNED, 0, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET);
        ev.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, id);
        return SocketCalls.Epoll.ctl(s, epfd, EPOLL_CTL_ADD, fd, ev) >= 0;
    }

    @Override
    void unregister(int fd) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        SocketCalls.Epoll.ctl(s, epfd, EPOLL_CTL_DEL, fd, s.value);
    }

    @Override
    void trigger() {
        SocketCalls.Scratch s = SocketCalls.scratch();
        s.value.set(JAVA_LONG_UNALIGNED, 0, 1);
        SocketCalls.write(s, barrierFd, s.value, 8);
    }

    @Override
    int await(boolean now) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        int n = SocketCalls.Epoll.await(s, epfd, events, BATCH, now ? 0 : -1);
        for (int i = 0; i < n; i++) {
            long at = (long) i * EVENT_SIZE;
            int mask = events.get(JAVA_INT_UNALIGNED, at);
            long id = events.get(JAVA_LONG_UNALIGNED, at + DATA_OFFSET);
            if (id == BARRIER) {
                SocketCalls.read(s, barrierFd, s.value, 8);
            } else {
                deliver(id, mask & ~EPOLLET);
            }
        }
        return n;
    }
}
