package dev.jlx.core.fs;

import static dev.jlx.abi.Fanotify.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fanotify group (Linux's fsnotify_group with fanotify_fops): a queue of the events
 * {@link FanotifyMarks} gives it, read as struct fanotify_event_metadata records, each with a
 * descriptor of the file (a group without FID reporting) or with info records naming the objects
 * by file handle. As fanotify_merge, an event like one of the last 128 queued about its object (same
 * name and process) is merged into it; past max_queued_events one FAN_Q_OVERFLOW event stands for the dropped ones.
 *
 * <p>The file handles are jlx's own (jlx has no name_to_handle_at): 8 bytes, the inode number, of
 * type 1; the fsid is the file system's device number.
 */
public final class FanotifyFile extends EventQueueFile<FanotifyFile.Event> {
    /** FANOTIFY_MAX_MERGE_EVENTS: how many of the last queued events like it a new one may merge with. */
    private static final int MAX_MERGE = 128;
    private static final int HANDLE_BYTES = 8;
    private static final int HANDLE_TYPE = 1;
    /** An info record's fixed part: header, fsid, handle_bytes, handle_type, and the handle. */
    private static final int FID_RECORD = 4 + 8 + 4 + 4 + HANDLE_BYTES;

    /**
     * One event. A group reporting FIDs: {@code fid} (with {@code name}, a directory and entry),
     * {@code child} a second object, {@code newDir}/{@code newName} FAN_RENAME's new entry;
     * {@code object} what it is about. A descriptor group: {@code file}, opened for it.
     */
    static final class Event {
        int mask;
        final int pid;
        final Fsnotify.Inode fid;
        final byte[] name;
        final Fsnotify.Inode child;
        final Fsnotify.Inode newDir;
        final byte[] newName;
        final Fsnotify.Inode object;
        final VfsFile file;

        Event(int mask, int pid, Fsnotify.Inode fid, byte[] name, Fsnotify.Inode child, Fsnotify.Inode newDir,
                byte[] newName, Fsnotify.Inode object, VfsFile file) {
            this.mask = mask;
            this.pid = pid;
            this.fid = fid;
            this.name = name;
            this.child = child;
            this.newDir = newDir;
            this.newName = newName;
            this.object = object;
            this.file = file;
        }

        /** fanotify_should_merge: the same process, object and names, both on a directory or neither. */
        boolean mergesWith(Event o) {
            return pid == o.pid && (mask & FAN_ONDIR) == (o.mask & FAN_ONDIR) && (mask & FAN_RENAME) == 0
                    && (o.mask & FAN_RENAME) == 0 && Objects.equals(fid, o.fid) && Arrays.equals(name, o.name)
                    && Objects.equals(child, o.child) && Objects.equals(object, o.object)
                    && (mask & FAN_Q_OVERFLOW) == 0 && (o.mask & FAN_Q_OVERFLOW) == 0;
        }
    }

    private final int flags;
    private final int eventFlags;
    final int owner;
    private final int gid;
    /**
     * The queued events by object, oldest first: a new event merges with one of the last
     * {@link #MAX_MERGE} about its object, as Linux's look through the hash bucket of its object.
     */
    private final Map<Fsnotify.Inode, ArrayDeque<Event>> byObject = new HashMap<>();
    private boolean overflowQueued;

    /** Made by a caller without CAP_SYS_ADMIN (FANOTIFY_UNPRIV): other processes' events show pid 0. */
    private final boolean unprivileged;

    /** fanotify_init once its checks passed: {@code flags} the group's, {@code eventFlags} its events' descriptors'. */
    public FanotifyFile(int flags, int eventFlags, int owner, int gid, boolean unprivileged) {
        super(OpenFlags.O_RDWR | ((flags & FAN_NONBLOCK) != 0 ? OpenFlags.O_NONBLOCK : 0), owner, gid);
        this.flags = flags;
        this.eventFlags = eventFlags;
        this.owner = owner;
        this.gid = gid;
        this.unprivileged = unprivileged;
    }

    int flags() {
        return flags;
    }

    int eventFlags() {
        return eventFlags;
    }

    public int fidMode() {
        return flags & FID_BITS;
    }

    /** Under LOCK: the marks it holds. */
    int markCount() {
        return FanotifyMarks.count(this);
    }

    /** fanotify_init's max_marks: 8192 per group unless FAN_UNLIMITED_MARKS. */
    int maxMarks() {
        return (flags & FAN_UNLIMITED_MARKS) != 0 ? Integer.MAX_VALUE : 8192;
    }

    /** fsnotify_add_event: merged into a like queued event, or queued, or dropped for the overflow event. */
    synchronized void queue(Event e) {
        ArrayDeque<Event> same = byObject.get(e.object);
        if (same != null) {
            int looked = 0;
            for (var it = same.descendingIterator(); it.hasNext() && looked < MAX_MERGE; looked++) {
                Event old = it.next();
                if (old.mergesWith(e)) {
                    old.mask |= e.mask;
                    closeQuietly(e.file);
                    return;
                }
            }
        }
        int max = (flags & FAN_UNLIMITED_QUEUE) != 0 ? Integer.MAX_VALUE : DEFAULT_MAX_EVENTS;
        if (queue.size() >= max) {
            closeQuietly(e.file);
            if (overflowQueued) {
                return;
            }
            overflowQueued = true;
            queue.add(new Event(FAN_Q_OVERFLOW, -1, null, null, null, null, null, null, null));
        } else {
            queue.add(e);
            byObject.computeIfAbsent(e.object, o -> new ArrayDeque<>()).add(e);
        }
        queued();
    }

    private static void closeQuietly(VfsFile f) {
        if (f != null) {
            try {
                f.close();
            } catch (ErrnoException ignored) {
                // A description no one saw.
            }
        }
    }

    @Override
    protected int size(Event e) {
        if (e.mask == FAN_Q_OVERFLOW && e.object == null) {
            return EVENT_METADATA_LEN;
        }
        int size = EVENT_METADATA_LEN;
        if (fidMode() != 0) {
            size += record(e.name) + (e.child != null ? record(null) : 0) + (e.newDir != null ? record(e.newName) : 0);
        }
        if ((flags & FAN_REPORT_PIDFD) != 0) {
            size += 8;
        }
        return size;
    }

    /** A fid record's length: with a name, its bytes and NUL, rounded to FANOTIFY_INFO_ALIGN (4). */
    private static int record(byte[] name) {
        int n = FID_RECORD + (name == null ? 0 : name.length + 1);
        return (n + 3) & ~3;
    }

    /**
     * fanotify_read: as many whole events as fit, at least one (EINVAL when the first does not);
     * waits while there is none unless O_NONBLOCK (EAGAIN). A descriptor group's event gets a new
     * descriptor in the reader's table (FD_CLOEXEC with O_CLOEXEC in event_f_flags).
     */
    @Override
    public synchronized int read(MemorySegment dst) throws ErrnoException {
        awaitEvent();
        long at = 0;
        while (!queue.isEmpty()) {
            Event e = queue.peekFirst();
            int size = size(e);
            if (size > dst.byteSize() - at) {
                if (at == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                break;
            }
            queue.removeFirst();
            if (e.mask == FAN_Q_OVERFLOW && e.object == null) {
                overflowQueued = false;
            } else {
                ArrayDeque<Event> same = byObject.get(e.object);
                same.removeFirst();
                if (same.isEmpty()) {
                    byObject.remove(e.object);
                }
            }
            int fd = FAN_NOFD;
            if (e.file != null) {
                GuestThread t = Kernel.caller();
                try {
                    fd = t.process().fds().install(e.file, 0, (eventFlags & OpenFlags.O_CLOEXEC) != 0,
                            t.process().rlimits().soft(dev.jlx.abi.Resource.RLIMIT_NOFILE));
                } catch (ErrnoException full) {
                    closeQuietly(e.file);
                    if (at == 0) {
                        throw full;
                    }
                    break;
                }
            }
            MemorySegment r = dst.asSlice(at, size);
            r.fill((byte) 0);
            r.set(JAVA_INT_UNALIGNED, 0, size);
            r.set(JAVA_BYTE, 4, (byte) METADATA_VERSION);
            r.set(JAVA_SHORT_UNALIGNED, 6, (short) EVENT_METADATA_LEN);
            r.set(JAVA_LONG_UNALIGNED, 8, e.mask & 0xffffffffL);
            r.set(JAVA_INT_UNALIGNED, 16, fd);
            boolean hidden = unprivileged && e.pid != Kernel.caller().process().pid();
            r.set(JAVA_INT_UNALIGNED, 20, hidden ? 0 : e.pid);
            int off = EVENT_METADATA_LEN;
            if ((flags & FAN_REPORT_PIDFD) != 0 && e.object != null) {
                // jlx makes no pidfd here: FAN_NOPIDFD, as for a process that has exited.
                r.set(JAVA_BYTE, off, (byte) FAN_EVENT_INFO_TYPE_PIDFD);
                r.set(JAVA_SHORT_UNALIGNED, off + 2, (short) 8);
                r.set(JAVA_INT_UNALIGNED, off + 4, FAN_NOPIDFD);
                off += 8;
            }
            if (fidMode() != 0 && e.object != null) {
                off = records(r, off, e);
            }
            at += size;
        }
        return (int) at;
    }

    /** The info records of a FID group's event (copy_info_records), in Linux's order. */
    private int records(MemorySegment r, int off, Event e) {
        int mode = fidMode();
        if ((e.mask & FAN_RENAME) != 0) {
            off = fid(r, off, FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, e.fid, e.name);
            off = fid(r, off, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, e.newDir, e.newName);
        } else if (e.name != null || e.child != null) {
            off = fid(r, off, e.name != null ? FAN_EVENT_INFO_TYPE_DFID_NAME : FAN_EVENT_INFO_TYPE_DFID, e.fid, e.name);
        } else if ((mode & FAN_REPORT_DIR_FID) == 0) {
            return fid(r, off, FAN_EVENT_INFO_TYPE_FID, e.fid, null);
        } else {
            return fid(r, off, FAN_EVENT_INFO_TYPE_DFID, e.fid, null);
        }
        if (e.child != null) {
            off = fid(r, off, FAN_EVENT_INFO_TYPE_FID, e.child, null);
        }
        return off;
    }

    /** struct fanotify_event_info_fid: header, fsid, struct file_handle, and the name NUL-ended. */
    private static int fid(MemorySegment r, int off, int type, Fsnotify.Inode inode, byte[] name) {
        int len = record(name);
        r.set(JAVA_BYTE, off, (byte) type);
        r.set(JAVA_SHORT_UNALIGNED, off + 2, (short) len);
        r.set(JAVA_INT_UNALIGNED, off + 4, (int) inode.dev());
        r.set(JAVA_INT_UNALIGNED, off + 8, (int) (inode.dev() >>> 32));
        r.set(JAVA_INT_UNALIGNED, off + 12, HANDLE_BYTES);
        r.set(JAVA_INT_UNALIGNED, off + 16, HANDLE_TYPE);
        r.set(JAVA_LONG_UNALIGNED, off + 20, inode.ino());
        if (name != null) {
            MemorySegment.copy(MemorySegment.ofArray(name), 0, r, off + FID_RECORD, name.length);
        }
        return off + len;
    }

    /** What /proc/PID/fdinfo shows after the common lines (fanotify_show_fdinfo). */
    public String fdinfo() {
        return String.format("fanotify flags:%x event-flags:%x\n", flags, eventFlags) + FanotifyMarks.fdinfo(this);
    }

    @Override
    protected void release() {
        FanotifyMarks.destroy(this);
        Fsnotify.destroyFanotify(this);
        synchronized (this) {
            for (Event e : queue) {
                closeQuietly(e.file);
            }
            queue.clear();
            byObject.clear();
        }
    }
}
