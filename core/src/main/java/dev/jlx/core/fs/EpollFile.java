package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (Linux's eventpoll): the interest list, keyed as Linux keys it by descriptor
 * and open file. Readiness is the files' own poll answer when a wait looks; each watched file's
 * {@link Readiness} queue wakes this instance's own (as Linux's ep_poll_callback), on which
 * epoll_wait and the polls of this descriptor wait. An edge-triggered
 * interest reports a side (input, output) again only after its {@link OpenFile#pollGeneration}
 * moved (data came, room was made), and one whose file cannot tell is level-triggered. An entry whose descriptor was
 * closed or now names another file is dropped, as Linux drops it with the file's last close.
 */
public final class EpollFile extends AnonInodeFile {
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLWAKEUP = 1 << 29;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    /** The event bits a file's readiness can have (the rest are modes). */
    private static final int EVENT_BITS = 0xffff | EPOLLRDHUP;

    private final int uid;
    private final int gid;

    private record Key(int fd, OpenFile file) {}

    /**
     * One watched file: the events asked for, the guest's data, for EPOLLET the generations last
     * reported, and its registration with the file's queue.
     */
    private static final class Interest {
        int events;
        long data;
        long reportedInput = Long.MIN_VALUE;
        long reportedOutput = Long.MIN_VALUE;
        boolean disabled;
        final Readiness source;
        final Readiness.Watch watch;

        Interest(int events, long data, Readiness source, Readiness.Watch watch) {
            this.events = events;
            this.data = data;
            this.source = source;
            this.watch = watch;
        }
    }

    private final Map<Key, Interest> interests = new LinkedHashMap<>();
    /** Woken when a watched file may have become ready; an instance that watches host files cannot tell when they do. */
    private final Readiness readiness = new Readiness(this::watchesUnseen);
    /** What a watched file's change does: this descriptor may have become readable. */
    private final Readiness.Listener forward = events -> readiness.wake(Readiness.INPUT);

    /** The changes of a watched file that may make it ready for {@code events}. */
    private static int watchEvents(int events) {
        return (events & EVENT_BITS) | EPOLLERR | EPOLLHUP;
    }

    public EpollFile(int statusFlags, int uid, int gid) {
        super(statusFlags, uid, gid);
        this.uid = uid;
        this.gid = gid;
    }

    /**
     * The file watched under descriptor {@code fd}, the {@code offset}-th of those (a descriptor
     * closed and reused may have left more than one), for kcmp's KCMP_EPOLL_TFD; ENOENT for none.
     */
    public synchronized OpenFile target(int fd, long offset) throws ErrnoException {
        long seen = 0;
        for (Key k : interests.keySet()) {
            if (k.fd() == fd && seen++ == offset) {
                return k.file();
            }
        }
        throw new ErrnoException(Errno.ENOENT);
    }

    /**
     * Linux's epnested_mutex: a loop check and the change it allows are made one at a time, so two
     * instances cannot come to watch each other through two changes made at once.
     */
    private static final Object NESTING = new Object();

    /**
     * epoll_ctl's EPOLL_CTL_ADD ({@code add}) or EPOLL_CTL_MOD; ELOOP when {@code file} is an epoll
     * instance that is or watches, through the instances it watches, this one.
     */
    public void control(boolean add, int fd, OpenFile file, int events, long data) throws ErrnoException {
        if (!(file instanceof EpollFile inner)) {
            change(add, fd, file, events, data);
            return;
        }
        synchronized (NESTING) {
            if (inner.reaches(this)) {
                throw new ErrnoException(Errno.ELOOP);
            }
            change(add, fd, file, events, data);
        }
    }

    private void change(boolean add, int fd, OpenFile file, int events, long data) throws ErrnoException {
        if (add) {
            add(fd, file, events, data);
        } else {
            modify(fd, file, events, data);
        }
    }

    /** Whether this instance is or watches, through the instances it watches, {@code target}. */
    private boolean reaches(EpollFile target) {
        if (this == target) {
            return true;
        }
        for (OpenFile f : watched()) {
            if (f instanceof EpollFile e && e.reaches(target)) {
                return true;
            }
        }
        return false;
    }

    /**
     * EPOLL_CTL_ADD: EEXIST when the file is already watched under {@code fd}. A wait in progress
     * looks again, as the file may be ready already.
     */
    private synchronized void add(int fd, OpenFile file, int events, long data) throws ErrnoException {
        Key key = new Key(fd, file);
        if (interests.containsKey(key)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        Readiness source = file.readiness();
        interests.put(key, new Interest(events, data, source, source.watch(watchEvents(events), forward)));
        readiness.wake(Readiness.ALL);
    }

    /** EPOLL_CTL_MOD: ENOENT when not watched; re-arms a EPOLLONESHOT entry. */
    private synchronized void modify(int fd, OpenFile file, int events, long data) throws ErrnoException {
        Interest i = interests.get(new Key(fd, file));
        if (i == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        i.events = events;
        i.data = data;
        i.disabled = false;
        i.reportedInput = Long.MIN_VALUE;
        i.reportedOutput = Long.MIN_VALUE;
        i.watch.setEvents(watchEvents(events));
        readiness.wake(Readiness.ALL);
    }

    /** EPOLL_CTL_DEL: ENOENT when not watched. */
    public synchronized void delete(int fd, OpenFile file) throws ErrnoException {
        Interest i = interests.remove(new Key(fd, file));
        if (i == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        i.source.unwatch(i.watch);
    }

    /** Whether a watched file, or one a watched instance watches, is one whose changes jlx does not see. */
    private synchronized boolean watchesUnseen() {
        for (Interest i : interests.values()) {
            if (i.source.unseen()) {
                return true;
            }
        }
        return false;
    }

    /** The files watched now (for epoll_ctl's loop check). */
    private synchronized List<OpenFile> watched() {
        return interests.keySet().stream().map(Key::file).toList();
    }

    /** A ready file's report: its events and the guest's data. */
    public record Ready(int events, long data) {}

    /**
     * The files ready now, at most {@code max}, consuming what a report consumes (EPOLLONESHOT
     * disarms, EPOLLET remembers the generation); entries whose descriptor no longer names their
     * file in {@code fds} are dropped.
     */
    public synchronized List<Ready> collect(FdTable fds, int max) {
        List<Ready> ready = new ArrayList<>();
        var it = interests.entrySet().iterator();
        while (it.hasNext() && ready.size() < max) {
            Map.Entry<Key, Interest> e = it.next();
            Interest i = e.getValue();
            OpenFile file = e.getKey().file();
            if (!stillOpen(fds, e.getKey())) {
                it.remove();
                i.source.unwatch(i.watch);
                continue;
            }
            if (i.disabled) {
                continue;
            }
            boolean edge = (i.events & EPOLLET) != 0;
            // The counts before the level: a change counted after the level was read is reported
            // at the next look, never counted as reported without being seen.
            long input = edge ? file.pollGeneration(true) : -1;
            long output = edge ? file.pollGeneration(false) : -1;
            int now = readiness(file, i.events);
            if (now == 0) {
                continue;
            }
            if (edge) {
                now = edges(i, now, input, output);
                if (now == 0) {
                    continue;
                }
            }
            if ((i.events & EPOLLONESHOT) != 0) {
                i.disabled = true;
                i.watch.setEvents(0); // nothing wakes for it until EPOLL_CTL_MOD re-arms it
            }
            ready.add(new Ready(now, i.data));
        }
        return ready;
    }

    /** Output readiness bits; the rest (input, errors, hang-ups) go with input. */
    private static final int OUTPUT_BITS = Readiness.OUTPUT;

    /**
     * EPOLLET: the ready bits {@code now}, if the file was woken since it was last reported by a
     * change of a kind the entry asks for (input, output); then all of them, as Linux's
     * ep_poll_callback queues the entry on such a wake-up and ep_item_poll reports what the file
     * has (a socket that got data also reports it is writable). {@code input} and {@code output}:
     * the file's {@link OpenFile#pollGeneration}s, read before {@code now}.
     */
    private static int edges(Interest i, int now, long input, long output) {
        if (input == -1 || output == -1) {
            return now;
        }
        boolean woken = (input != i.reportedInput && (i.events & EVENT_BITS & ~OUTPUT_BITS) != 0)
                || (output != i.reportedOutput && (i.events & OUTPUT_BITS) != 0);
        if (!woken) {
            return 0;
        }
        i.reportedInput = input;
        i.reportedOutput = output;
        return now;
    }

    private static boolean stillOpen(FdTable fds, Key key) {
        try {
            return fds.peek(key.fd()) == key.file();
        } catch (ErrnoException closed) {
            return false;
        }
    }

    /** What of {@code events} (with EPOLLERR and EPOLLHUP, always reported) the file has now. */
    private static int readiness(OpenFile file, int events) {
        // EPOLLRDHUP is a socket's: a pipe whose writer left says EPOLLHUP only.
        int revents = file.poll((events & 0xffff) | Poll.POLLERR | Poll.POLLHUP);
        return revents & ((events & EVENT_BITS) | EPOLLERR | EPOLLHUP);
    }

    /** An epoll descriptor is itself readable when any of its files is ready (epoll in poll or epoll). */
    @Override
    public synchronized int poll(int events) {
        for (Map.Entry<Key, Interest> e : interests.entrySet()) {
            Interest i = e.getValue();
            if (!i.disabled && readiness(e.getKey().file(), i.events) != 0) {
                return events & (Poll.POLLIN | Poll.POLLRDNORM);
            }
        }
        return 0;
    }

    @Override
    public Readiness readiness() {
        return readiness;
    }

    @Override
    protected synchronized void release() {
        interests.values().forEach(i -> i.source.unwatch(i.watch));
        interests.clear();
    }
}
