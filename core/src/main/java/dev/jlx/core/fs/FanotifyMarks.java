package dev.jlx.core.fs;

import static dev.jlx.abi.Fanotify.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;

/**
 * The marks of every fanotify group and the events {@link Fsnotify}'s hooks give them, as Linux's
 * fanotify_handle_event: a mark is on an inode (and, with FAN_EVENT_ON_CHILD, its directory's
 * children), on a mount or on a whole file system (jlx's device number); each hook's event goes once
 * to each group whose marks ask for it and do not ignore it. Guarded by {@link Fsnotify#LOCK}.
 */
public final class FanotifyMarks {
    private FanotifyMarks() {}

    /** One mark (fsnotify_mark with its fanotify masks). */
    static final class Mark {
        final FanotifyFile group;
        final int type;
        /** What it is on: an inode, a mount, or a file system (by device). */
        final Fsnotify.Inode inode;
        final Mount mount;
        final long dev;
        final boolean directory;
        int mask;
        int ignored;
        int flags;

        Mark(FanotifyFile group, int type, Fsnotify.Inode inode, Mount mount, long dev, boolean directory) {
            this.group = group;
            this.type = type;
            this.inode = inode;
            this.mount = mount;
            this.dev = dev;
            this.directory = directory;
        }

        boolean sameObject(Mark o) {
            return type == o.type && (type == FAN_MARK_INODE ? inode.equals(o.inode)
                    : type == FAN_MARK_MOUNT ? mount == o.mount : dev == o.dev);
        }
    }

    private static final List<Mark> MARKS = new ArrayList<>();

    /** Under LOCK: whether any group has a mark. */
    static boolean any() {
        return !MARKS.isEmpty();
    }

    /**
     * fanotify_add_mark / fanotify_remove_mark on what {@code r} (stat {@code st}) names, with the
     * checked {@code flags} and {@code mask}: ADD adds to the mask (or the ignore mask) of the
     * group's mark on it, made if none; REMOVE takes from it (ENOENT without one), the mark going
     * once both are empty.
     */
    public static void mark(FanotifyFile g, int flags, int mask, Vfs.Resolved r, HostStat st) throws ErrnoException {
        int type = flags & MARK_TYPE_BITS;
        boolean directory = (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
        Mark probe = new Mark(g, type, Fsnotify.Inode.of(st), r.mount(), st.dev(), directory);
        boolean ignore = (flags & MARK_IGNORE_BITS) != 0;
        synchronized (Fsnotify.LOCK) {
            Mark m = null;
            for (Mark each : MARKS) {
                if (each.group == g && each.sameObject(probe)) {
                    m = each;
                }
            }
            if ((flags & FAN_MARK_REMOVE) != 0) {
                if (m == null) {
                    throw new ErrnoException(Errno.ENOENT);
                }
                if (ignore) {
                    m.ignored &= ~mask;
                } else {
                    m.mask &= ~mask;
                }
                if (m.mask == 0 && m.ignored == 0) {
                    MARKS.remove(m);
                    Fsnotify.updateActive();
                }
                return;
            }
            if (m == null) {
                if (g.markCount() >= g.maxMarks()) {
                    throw new ErrnoException(Errno.ENOSPC);
                }
                m = probe;
                MARKS.add(m);
                Fsnotify.updateActive();
            }
            if (ignore) {
                m.ignored |= mask;
            } else {
                m.mask |= mask;
            }
            m.flags |= flags & (FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE);
        }
    }

    /** FAN_MARK_FLUSH: the group's marks of one type go. */
    public static void flush(FanotifyFile g, int type) {
        synchronized (Fsnotify.LOCK) {
            MARKS.removeIf(m -> m.group == g && m.type == type);
            Fsnotify.updateActive();
        }
    }

    /** Under LOCK: the group's marks. */
    static int count(FanotifyFile g) {
        int n = 0;
        for (Mark m : MARKS) {
            if (m.group == g) {
                n++;
            }
        }
        return n;
    }

    /** The group's last descriptor is closed: its marks go. */
    static void destroy(FanotifyFile g) {
        flush(g, FAN_MARK_INODE);
        flush(g, FAN_MARK_MOUNT);
        flush(g, FAN_MARK_FILESYSTEM);
    }

    /** Under LOCK: the inode is gone, and its inode marks with it. */
    static void gone(Fsnotify.Inode inode) {
        if (MARKS.removeIf(m -> m.type == FAN_MARK_INODE && m.inode.equals(inode))) {
            Fsnotify.updateActive();
        }
    }

    /** fdinfo lines of the group's marks (fanotify_fdinfo), inode marks with their inode and device. */
    static String fdinfo(FanotifyFile g) {
        StringBuilder s = new StringBuilder();
        synchronized (Fsnotify.LOCK) {
            for (Mark m : MARKS) {
                if (m.group != g) {
                    continue;
                }
                int mflags = (m.flags & FAN_MARK_IGNORED_SURV_MODIFY) != 0 ? 1 : 0;
                if (m.type == FAN_MARK_INODE) {
                    s.append(String.format("fanotify ino:%x sdev:%x mflags:%x mask:%x ignored_mask:%x\n",
                            m.inode.ino(), m.inode.dev(), mflags, m.mask, m.ignored));
                } else if (m.type == FAN_MARK_MOUNT) {
                    s.append(String.format("fanotify mnt_id:%x mflags:%x mask:%x ignored_mask:%x\n",
                            m.mount.id(), mflags, m.mask, m.ignored));
                } else {
                    s.append(String.format("fanotify sdev:%x mflags:%x mask:%x ignored_mask:%x\n", m.dev, mflags,
                            m.mask, m.ignored));
                }
            }
        }
        return s.toString();
    }

    /**
     * Under LOCK: one fsnotify event to every group that asks for it. {@code mask} is the event with
     * FAN_ONDIR for a directory; a directory-entry event (create, delete, moves, FAN_RENAME) is on
     * directory {@code dir} about its entry {@code name} for {@code obj}; any other is on {@code obj},
     * with {@code dir} and {@code name} its parent and name when the hook knows them. {@code file}
     * is the open file of an event with a path (open, access, modify, close), which groups reporting
     * descriptors need; FAN_RENAME's new directory and name are {@code newDir} and {@code newName}.
     */
    static void event(int mask, Fsnotify.Inode dir, byte[] name, Fsnotify.Inode obj, VfsFile file,
            Fsnotify.Inode newDir, byte[] newName) {
        if (MARKS.isEmpty() || obj == null) {
            return;
        }
        boolean dirent = (mask & DIRENT_EVENTS) != 0;
        boolean ondir = (mask & FAN_ONDIR) != 0;
        Fsnotify.Inode on = dirent ? dir : obj;
        if (on == null) {
            return;
        }
        Mount mount = file == null ? null : file.resolved().mount();
        List<FanotifyFile> groups = new ArrayList<>();
        for (Mark m : MARKS) {
            if (!groups.contains(m.group)) {
                groups.add(m.group);
            }
        }
        for (FanotifyFile g : groups) {
            int marks = 0;
            int ignored = 0;
            for (Mark m : MARKS) {
                if (m.group != g) {
                    continue;
                }
                boolean self = m.type == FAN_MARK_INODE && m.inode.equals(on);
                // A directory's mark sees its children's events with FAN_EVENT_ON_CHILD (fsnotify_parent).
                boolean parent = !dirent && m.type == FAN_MARK_INODE && dir != null && m.inode.equals(dir)
                        && !m.inode.equals(on) && (m.mask & FAN_EVENT_ON_CHILD) != 0;
                boolean wide = m.type == FAN_MARK_MOUNT ? mount != null && m.mount == mount
                        : m.type == FAN_MARK_FILESYSTEM && m.dev == on.dev();
                if (self || parent || wide) {
                    marks |= m.mask;
                    ignored |= m.ignored;
                }
            }
            int test = mask & marks & ~ignored;
            if (ondir && (marks & FAN_ONDIR) == 0) {
                continue;
            }
            if ((test & ~EVENT_FLAGS) == 0) {
                continue;
            }
            int fidMode = g.fidMode();
            int reported = test & ~FAN_EVENT_ON_CHILD;
            if (fidMode == 0) {
                if (file == null) {
                    // No path, no descriptor to give (fanotify_group_event_mask).
                    continue;
                }
                reported &= ~FAN_ONDIR;
            }
            FanotifyFile.Event e = describe(g, reported, dirent, ondir, dir, name, obj, newDir, newName, file);
            if (e != null) {
                g.queue(e);
            }
        }
        if ((mask & FAN_MODIFY) != 0) {
            // An ignore mask without FAN_MARK_IGNORED_SURV_MODIFY ends with the file's modification.
            for (Mark m : MARKS) {
                if (m.type == FAN_MARK_INODE && m.inode.equals(obj) && (m.flags & FAN_MARK_IGNORED_SURV_MODIFY) == 0) {
                    m.ignored = 0;
                }
            }
        }
    }

    /**
     * The event as the group reports it (fanotify_alloc_event): the object's fid, or its directory's
     * and name, as the group's FID flags ask; a descriptor group's event gets its own description
     * of the file, opened with the group's event_f_flags (a host call under {@link Fsnotify#LOCK}, which
     * calls no hook: the event must be queued in the hook's order).
     */
    private static FanotifyFile.Event describe(FanotifyFile g, int mask, boolean dirent, boolean ondir,
            Fsnotify.Inode dir, byte[] name, Fsnotify.Inode obj, Fsnotify.Inode newDir, byte[] newName,
            VfsFile file) {
        GuestThread t = Kernel.caller();
        int pid = t == null ? 0 : (g.flags() & FAN_REPORT_TID) != 0 ? t.tid() : t.process().pid();
        int fidMode = g.fidMode();
        if (fidMode == 0) {
            VfsFile opened;
            try {
                int flags = g.eventFlags();
                opened = VfsFile.quiet(file.fileSystem().open(file.fsPath(), flags & ~OpenFlags.O_CLOEXEC, 0),
                        flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_CREAT | OpenFlags.O_TRUNC), file.resolved());
            } catch (ErrnoException gone) {
                return null;
            }
            return new FanotifyFile.Event(mask, pid, obj, null, null, null, null, null, opened);
        }
        Fsnotify.Inode id = dirent && (fidMode & FAN_REPORT_TARGET_FID) == 0 ? dir : obj;
        Fsnotify.Inode dirId = dirent ? dir : ondir ? obj : dir;
        Fsnotify.Inode child = null;
        byte[] reportedName = null;
        if ((fidMode & FAN_REPORT_DIR_FID) != 0) {
            if (dirId == null) {
                // jlx's hook knows no parent here (a self event off a path): nothing to report.
                return null;
            }
            if ((fidMode & FAN_REPORT_FID) != 0 && !id.equals(dirId) && !ondir) {
                child = id;
            }
            id = dirId;
            if ((fidMode & FAN_REPORT_NAME) != 0) {
                // An event on a directory itself names it "." (copy_info_records).
                reportedName = dirent || !obj.equals(dirId) ? name : child == null ? new byte[] {'.'} : null;
            }
        }
        if ((mask & FAN_RENAME) != 0) {
            return new FanotifyFile.Event(mask, pid, dir, name, child, newDir, newName, obj, null);
        }
        return new FanotifyFile.Event(mask, pid, id, reportedName, child, null, null, obj, null);
    }
}
