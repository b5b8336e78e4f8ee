package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@link HostPoller} of macOS: one kqueue, each socket added with EVFILT_READ and EVFILT_WRITE,
 * both EV_ADD|EV_CLEAR (edge-triggered: reported again only after a change); an EVFILT_READ event
 * is POLLIN (with EV_EOF, the peer's end: POLLRDHUP), an EVFILT_WRITE one POLLOUT (with EV_EOF:
 * POLLHUP), either with a pending error in fflags POLLERR. The barrier is an EVFILT_USER event.
 * Numbers and layouts from Apple's sys/event.h: struct kevent is ident (uintptr_t), filter (int16),
 * flags (uint16), fflags (uint32), data (intptr_t), udata (void *), 32 bytes on 64-bit hosts.
 * Written from the headers; not run on macOS yet.
 */
final class KqueuePoller extends HostPoller {
    private static final int KEVENT_SIZE = 32;
    private static final long IDENT = 0;
    private static final long FILTER = 8;
    private static final long FLAGS = 10;
    private static final long FFLAGS = 12;
    private static final long UDATA = 24;
    private static final short EVFILT_READ = -1;
    private static final short EVFILT_WRITE = -2;
    private static final short EVFILT_USER = -10;
    private static final short EV_ADD = 0x0001;
    private static final short EV_DELETE = 0x0002;
    private static final short EV_CLEAR = 0x0020;
    private static final int EV_ERROR = 0x4000;
    private static final int EV_EOF = 0x8000;
    private static final int NOTE_TRIGGER = 0x01000000;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    // Linux's POLL* bits.
    private static final int POLLIN = 0x1;
    private static final int POLLOUT = 0x4;
    private static final int POLLERR = 0x8;
    private static final int POLLHUP = 0x10;
    private static final int POLLRDHUP = 0x2000;

    private static volatile KqueuePoller instance;

    private final int kq;
    private final MemorySegment events;
    /** A zero struct timespec: a wait that only looks. */
    private final MemorySegment noWait;

    private KqueuePoller(int kq) {
        this.kq = kq;
        Arena arena = Arena.ofAuto();
        this.events = arena.allocate((long) KEVENT_SIZE * BATCH, 8);
        this.noWait = arena.allocate(16, 8);
        start();
    }

    /** The JVM's poller, made on first use; null when the host refuses a kqueue. */
    static KqueuePoller get() {
        KqueuePoller p = instance;
        if (p == null) {
            synchronized (KqueuePoller.class) {
                p = instance;
                if (p == null) {
                    SocketCalls.Scratch s = SocketCalls.scratch();
                    int kq = SocketCalls.Kqueue.kqueue(s);
                    if (kq < 0) {
                        return null;
                    }
                    MemorySegment c = change(s.value, 0, IDENT, EVFILT_USER, (short) (EV_ADD | EV_CLEAR), 0, BARRIER);
                    if (SocketCalls.fcntl(s, kq, F_SETFD, FD_CLOEXEC) < 0
                            || SocketCalls.Kqueue.kevent(s, kq, c, 1, MemorySegment.NULL, 0, MemorySegment.NULL) < 0) {
                        SocketCalls.close(s, kq);
                        return null;
                    }
                    p = instance = new KqueuePoller(kq);
                }
            }
        }
        return p;
    }

    /** Fills the {@code i}th struct kevent of {@code list} (EV_SET): the list. */
    private static MemorySegment change(MemorySegment list, int i, long ident, short filter, short flags, int fflags,
            long udata) {
        MemorySegment k = list.asSlice((long) i * KEVENT_SIZE, KEVENT_SIZE);
        k.fill((byte) 0);
        k.set(JAVA_LONG, IDENT, ident);
        k.set(JAVA_SHORT, FILTER, filter);
        k.set(JAVA_SHORT, FLAGS, flags);
        k.set(JAVA_INT, FFLAGS, fflags);
        k.set(JAVA_LONG, UDATA, udata);
        return list;
    }

    @Override
    boolean register(int fd, long id) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        change(s.value, 0, fd, EVFILT_READ, (short) (EV_ADD | EV_CLEAR), 0, id);
        change(s.value, 1, fd, EVFILT_WRITE, (short) (EV_ADD | EV_CLEAR), 0, id);
        return SocketCalls.Kqueue.kevent(s, kq, s.value, 2, MemorySegment.NULL, 0, MemorySegment.NULL) >= 0;
    }

    @Override
    void unregister(int fd) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        change(s.value, 0, fd, EVFILT_READ, EV_DELETE, 0, 0);
        change(s.value, 1, fd, EVFILT_WRITE, EV_DELETE, 0, 0);
        SocketCalls.Kqueue.kevent(s, kq, s.value, 2, MemorySegment.NULL, 0, MemorySegment.NULL);
    }

    @Override
    void trigger() {
        SocketCalls.Scratch s = SocketCalls.scratch();
        change(s.value, 0, IDENT, EVFILT_USER, (short) 0, NOTE_TRIGGER, BARRIER);
        SocketCalls.Kqueue.kevent(s, kq, s.value, 1, MemorySegment.NULL, 0, MemorySegment.NULL);
    }

    @Override
    int await(boolean now) {
        SocketCalls.Scratch s = SocketCalls.scratch();
        int n = SocketCalls.Kqueue.kevent(s, kq, MemorySegment.NULL, 0, events, BATCH, now ? noWait : MemorySegment.NULL);
        for (int i = 0; i < n; i++) {
            MemorySegment k = events.asSlice((long) i * KEVENT_SIZE, KEVENT_SIZE);
            short filter = k.get(JAVA_SHORT, FILTER);
            int flags = k.get(JAVA_SHORT, FLAGS) & 0xffff;
            if (filter == EVFILT_USER || (flags & EV_ERROR) != 0) {
                continue;
            }
            boolean eof = (flags & EV_EOF) != 0;
            int bits = filter == EVFILT_READ ? POLLIN | (eof ? POLLRDHUP : 0) : POLLOUT | (eof ? POLLHUP : 0);
            if (k.get(JAVA_INT, FFLAGS) != 0) {
                bits |= POLLERR;
            }
            deliver(k.get(JAVA_LONG, UDATA), bits);
        }
        return n;
    }
}
