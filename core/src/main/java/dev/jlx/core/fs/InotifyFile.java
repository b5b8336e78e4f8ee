package dev.jlx.core.fs;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Inotify;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An inotify instance (Linux's fsnotify_group with its inotify_fops): a queue of events that
 * {@link Fsnotify} fills for the watches ({@link Fsnotify.Mark}) the instance holds, read as
 * struct inotify_event records. As Linux's fsnotify_add_event, an event identical to the last one
 * queued (mask, wd and name) is merged with it, and once {@code max_queued_events} are queued one
 * IN_Q_OVERFLOW event (wd -1) stands for every event dropped after them.
 */
public final class InotifyFile extends EventQueueFile<InotifyFile.Event> {

    /** One queued event; {@code name} is null for none. */
    record Event(int wd, int mask, int cookie, byte[] name) {
        /** The record's size: the name NUL-padded to a multiple of the header's 16 bytes (round_event_name_len). */
        int size() {
            return Inotify.EVENT_SIZE + paddedNameLength();
        }

        int paddedNameLength() {
            if (name == null) {
                return 0;
            }
            return (name.length + 1 + Inotify.EVENT_SIZE - 1) / Inotify.EVENT_SIZE * Inotify.EVENT_SIZE;
        }
    }

    /** The euid that created it, whose instance and watch counts it takes from (Linux's ucounts). */
    final int owner;
    private final int gid;
    private final int maxEvents;
    private boolean overflowQueued;

    /** The watches by descriptor, guarded by {@link Fsnotify#LOCK}. */
    final Map<Integer, Fsnotify.Mark> marks = new HashMap<>();
    /** The last descriptor given: they are given cyclically from 1 (idr_alloc_cyclic); guarded by {@link Fsnotify#LOCK}. */
    private int lastWd;

    InotifyFile(int statusFlags, int owner, int gid, int maxEvents) {
        super(OpenFlags.O_RDONLY | statusFlags, owner, gid);
        this.owner = owner;
        this.gid = gid;
        this.maxEvents = maxEvents;
    }

    /** The next free watch descriptor after the last one given, from 1 up to INT_MAX and round again. */
    int nextWd() {
        int wd = lastWd;
        do {
            wd = wd == Integer.MAX_VALUE ? 1 : wd + 1;
        } while (marks.containsKey(wd));
        lastWd = wd;
        return wd;
    }

    /** Queues an event, merged with an identical last one or replaced by the overflow event (fsnotify_add_event). */
    synchronized void queue(int wd, int mask, int cookie, byte[] name) {
        if (queue.size() >= maxEvents) {
            if (overflowQueued) {
                return;
            }
            overflowQueued = true;
            queue.add(new Event(-1, Inotify.IN_Q_OVERFLOW, 0, null));
        } else {
            Event last = queue.peekLast();
            if (last != null && (last.mask & Inotify.IN_IGNORED) == 0 && last.mask == mask && last.wd == wd
                    && Arrays.equals(last.name, name)) {
                return;
            }
            queue.add(new Event(wd, mask, cookie, name));
        }
        queued();
    }

    /**
     * inotify_read: as many whole events as fit, at least one (EINVAL when the first does not fit);
     * waits while there is none unless O_NONBLOCK (EAGAIN); a signal ends the wait with EINTR.
     */
    @Override
    public synchronized int read(MemorySegment dst) throws ErrnoException {
        awaitEvent();
        long at = 0;
        while (!queue.isEmpty()) {
            Event e = queue.peekFirst();
            if (e.size() > dst.byteSize() - at) {
                if (at == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                break;
            }
            queue.removeFirst();
            if (e.mask == Inotify.IN_Q_OVERFLOW && e.wd == -1) {
                overflowQueued = false;
            }
            MemorySegment record = dst.asSlice(at, e.size());
            record.fill((byte) 0);
            record.set(JAVA_INT_UNALIGNED, Inotify.EVENT_WD, e.wd);
            record.set(JAVA_INT_UNALIGNED, Inotify.EVENT_MASK, e.mask);
            record.set(JAVA_INT_UNALIGNED, Inotify.EVENT_COOKIE, e.cookie);
            record.set(JAVA_INT_UNALIGNED, Inotify.EVENT_LEN, e.paddedNameLength());
            if (e.name != null) {
                MemorySegment.copy(MemorySegment.ofArray(e.name), 0, record, Inotify.EVENT_SIZE, e.name.length);
            }
            at += e.size();
        }
        return (int) at;
    }

    @Override
    protected int size(Event e) {
        return e.size();
    }

    /** What /proc/PID/fdinfo shows after the common lines: one line per watch (inotify_fdinfo). */
    public String fdinfo() {
        return Fsnotify.fdinfo(this);
    }

    @Override
    protected void release() {
        Fsnotify.destroy(this);
    }
}
