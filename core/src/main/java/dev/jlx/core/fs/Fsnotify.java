package dev.jlx.core.fs;

import static dev.jlx.abi.Inotify.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.Kernel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The watches of every inotify instance and the events that feed them, as Linux's fsnotify: the
 * VFS calls a hook after each operation a guest makes through it (create, open, read, write,
 * truncate, attribute changes, close, unlink, rename, link), and the hook gives the event to the
 * watches ({@link Mark}) on the inode and, for events on a directory's child, on the directory,
 * with the child's name, in Linux's order. Inodes are named by (dev, ino) as stat shows them, so
 * one host file is one inode across mounts, and the hooks cost nothing while no watch exists.
 *
 * <p>A host process's changes to a host directory do not pass through jlx: a watched host file or
 * directory is polled ({@link #POLL_MILLIS}) and a change no guest made becomes IN_MODIFY,
 * IN_ATTRIB, IN_CREATE, IN_DELETE or IN_DELETE_SELF, as the stat and the listing tell.
 *
 * <p>Lock order: {@link #LOCK} (the watches, the counts, the polled snapshots), then an instance's
 * monitor (its queue). No host call is made under {@link #LOCK}.
 */
public final class Fsnotify {
    private Fsnotify() {}

    /** An inode as stat names it. */
    public record Inode(long dev, long ino) {
        static Inode of(HostStat st) {
            return new Inode(st.dev(), st.ino());
        }
    }

    /** One watch (Linux's inotify_inode_mark): an instance's interest in one inode. */
    static final class Mark {
        final InotifyFile group;
        final int wd;
        final Inode inode;
        /** Events asked for (IN_ALL_EVENTS bits), and IN_ONESHOT, IN_EXCL_UNLINK. */
        int mask;
        int flags;

        Mark(InotifyFile group, int wd, Inode inode) {
            this.group = group;
            this.wd = wd;
            this.inode = inode;
        }
    }

    /**
     * A dnotify watch (Linux's dnotify_struct): fcntl(F_NOTIFY) through descriptor {@code fd} of
     * {@code file} by the holder of descriptor table {@code table}; {@code mask} is in fsnotify's bits.
     */
    static final class Dnotify {
        final OpenFile file;
        final FdTable table;
        final Inode inode;
        final Kernel kernel;
        int fd;
        int mask;

        Dnotify(OpenFile file, FdTable table, Inode inode, Kernel kernel) {
            this.file = file;
            this.table = table;
            this.inode = inode;
            this.kernel = kernel;
        }
    }

    /** fsnotify's FS_RENAME: a rename, to the old and new directory (dnotify's DN_RENAME). */
    private static final int FS_RENAME = 0x10000000;
    /** fsnotify's FS_DN_MULTISHOT. */
    private static final int FS_DN_MULTISHOT = 0x20000000;
    /** POLL_MSG, send_sigio's reason for dnotify, and its band (band_table: POLLIN | POLLRDNORM | POLLMSG). */
    private static final int POLL_MSG = 3;
    private static final long POLL_MSG_BAND = 0x0001 | 0x0040 | 0x0400;

    static final Object LOCK = new Object();
    private static final Map<Inode, List<Dnotify>> DNOTIFY = new HashMap<>();
    private static final Map<Inode, List<Mark>> MARKS = new HashMap<>();
    private static final Map<Integer, Integer> INSTANCES = new HashMap<>();
    private static final Map<Integer, Integer> WATCHES = new HashMap<>();
    private static volatile boolean active;
    /** fsnotify_get_cookie: one per rename, shared by its IN_MOVED_FROM and IN_MOVED_TO. */
    private static final AtomicInteger COOKIES = new AtomicInteger();

    /**
     * max_user_watches as Linux sets it at boot: 1% of RAM over the cost of a watch (a mark and two
     * inodes, about 1,312 bytes on x86-64), kept within [8192, 1048576].
     */
    public static final int MAX_USER_WATCHES = (int) Math.clamp(
            ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize() / 100 / 1312, 8192, 1048576);

    /** Under LOCK: after a watch or mark came or went. */
    static void updateActive() {
        active = !MARKS.isEmpty() || !DNOTIFY.isEmpty() || FanotifyMarks.any();
    }

    /** Whether any watch exists: the hooks do nothing (and ask the host nothing) otherwise. */
    public static boolean active() {
        return active;
    }

    /** inotify_init1 once its flags are checked: EMFILE past max_user_instances for {@code euid}. */
    public static InotifyFile newInstance(int statusFlags, int euid, int egid) throws ErrnoException {
        synchronized (LOCK) {
            int n = INSTANCES.getOrDefault(euid, 0);
            if (n >= DEFAULT_MAX_USER_INSTANCES) {
                throw new ErrnoException(Errno.EMFILE);
            }
            INSTANCES.put(euid, n + 1);
        }
        return new InotifyFile(statusFlags, euid, egid, DEFAULT_MAX_QUEUED_EVENTS);
    }

    private static final Map<Integer, Integer> FANOTIFY_GROUPS = new HashMap<>();

    /** fanotify_init once its flags are checked: EMFILE past max_user_groups (128) for {@code euid}. */
    public static FanotifyFile newFanotifyGroup(int flags, int eventFlags, int euid, int egid, boolean unprivileged)
            throws ErrnoException {
        synchronized (LOCK) {
            int n = FANOTIFY_GROUPS.getOrDefault(euid, 0);
            if (n >= dev.jlx.abi.Fanotify.DEFAULT_MAX_GROUPS) {
                throw new ErrnoException(Errno.EMFILE);
            }
            FANOTIFY_GROUPS.put(euid, n + 1);
        }
        return new FanotifyFile(flags, eventFlags, euid, egid, unprivileged);
    }

    /** A fanotify group's last descriptor is closed. */
    static void destroyFanotify(FanotifyFile g) {
        synchronized (LOCK) {
            FANOTIFY_GROUPS.computeIfPresent(g.owner, (uid, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The instance's last descriptor is closed: its watches go without IN_IGNORED, as the group does. */
    static void destroy(InotifyFile g) {
        synchronized (LOCK) {
            for (Mark m : List.copyOf(g.marks.values())) {
                detach(m);
            }
            INSTANCES.computeIfPresent(g.owner, (uid, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * inotify_update_watch for the inode {@code st} of the walked path {@code r}: the instance's
     * watch on it, changed (replaced, or added to with IN_MASK_ADD; EEXIST with IN_MASK_CREATE), or a
     * new one (ENOSPC past max_user_watches). Returns its descriptor.
     */
    public static int addWatch(InotifyFile g, Vfs.Resolved r, HostStat st, int arg) throws ErrnoException {
        Inode inode = Inode.of(st);
        boolean host = r.fs() instanceof HostDirectoryFs;
        boolean directory = (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
        Polled snapshot = host ? Polled.take(r.fs(), r.path(), directory) : null;
        synchronized (LOCK) {
            Mark m = null;
            for (Mark each : MARKS.getOrDefault(inode, List.of())) {
                if (each.group == g) {
                    m = each;
                }
            }
            if (m != null) {
                if ((arg & IN_MASK_CREATE) != 0) {
                    throw new ErrnoException(Errno.EEXIST);
                }
                if ((arg & IN_MASK_ADD) == 0) {
                    m.mask = 0;
                    m.flags = 0;
                }
            } else {
                int watches = WATCHES.getOrDefault(g.owner, 0);
                if (watches >= MAX_USER_WATCHES) {
                    throw new ErrnoException(Errno.ENOSPC);
                }
                m = new Mark(g, g.nextWd(), inode);
                WATCHES.put(g.owner, watches + 1);
                MARKS.computeIfAbsent(inode, i -> new ArrayList<>()).add(m);
                g.marks.put(m.wd, m);
                active = true;
                if (snapshot != null && POLLED.putIfAbsent(inode, snapshot) == null) {
                    startPolling();
                }
            }
            m.mask |= arg & IN_ALL_EVENTS;
            m.flags |= arg & (IN_ONESHOT | IN_EXCL_UNLINK);
            return m.wd;
        }
    }

    /** inotify_rm_watch: IN_IGNORED, and the watch goes; EINVAL for a descriptor the instance has not. */
    public static void removeWatch(InotifyFile g, int wd) throws ErrnoException {
        synchronized (LOCK) {
            Mark m = g.marks.get(wd);
            if (m == null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            ignore(m);
        }
    }

    /** inotify_fdinfo: "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0" per watch, by descriptor. */
    static String fdinfo(InotifyFile g) {
        StringBuilder s = new StringBuilder();
        synchronized (LOCK) {
            for (Mark m : new TreeMap<>(g.marks).values()) {
                s.append(String.format("inotify wd:%x ino:%x sdev:%x mask:%x ignored_mask:0\n", m.wd,
                        m.inode.ino(), m.inode.dev(), m.mask | m.flags));
            }
        }
        return s.toString();
    }

    /** Under LOCK: the watch ends with IN_IGNORED. */
    private static void ignore(Mark m) {
        m.group.queue(m.wd, IN_IGNORED, 0, null);
        detach(m);
    }

    /** Under LOCK: every watch on {@code inode} ends with IN_IGNORED (the inode is gone). */
    private static void ignoreAll(Inode inode) {
        for (Mark m : List.copyOf(MARKS.getOrDefault(inode, List.of()))) {
            ignore(m);
        }
    }

    private static void detach(Mark m) {
        List<Mark> marks = MARKS.get(m.inode);
        if (marks != null) {
            marks.remove(m);
            if (marks.isEmpty()) {
                MARKS.remove(m.inode);
                POLLED.remove(m.inode);
                SUSPECT.remove(m.inode);
            }
        }
        m.group.marks.remove(m.wd);
        WATCHES.computeIfPresent(m.group.owner, (uid, n) -> n == 1 ? null : n - 1);
        updateActive();
    }

    /**
     * Under LOCK: the event to one watch, as inotify_handle_inode_event: not for an unlinked file's
     * path with IN_EXCL_UNLINK, not unless asked for; an IN_ONESHOT watch then ends.
     */
    private static void deliver(Mark m, int mask, byte[] name, int cookie, boolean unlinked) {
        if (unlinked && (m.flags & IN_EXCL_UNLINK) != 0) {
            return;
        }
        if ((m.mask & mask & IN_ALL_EVENTS) == 0) {
            return;
        }
        m.group.queue(m.wd, mask, cookie, name);
        if ((m.flags & IN_ONESHOT) != 0) {
            ignore(m);
        }
    }

    /** Under LOCK: the event to every watch on {@code inode}, inotify's and dnotify's. */
    private static void toInode(Inode inode, int mask, byte[] name, int cookie, boolean unlinked) {
        if (inode == null) {
            return;
        }
        for (Mark m : List.copyOf(MARKS.getOrDefault(inode, List.of()))) {
            deliver(m, mask, name, cookie, unlinked);
        }
        dnotify(inode, mask);
    }

    /**
     * Under LOCK: dnotify_handle_event: each dnotify watch on the directory {@code inode} that asked
     * for the event sends its owner SIGIO, or F_SETSIG's signal with the descriptor and POLL_MSG;
     * one without DN_MULTISHOT then ends.
     */
    private static void dnotify(Inode inode, int mask) {
        List<Dnotify> watches = DNOTIFY.get(inode);
        if (watches == null) {
            return;
        }
        for (Dnotify dn : List.copyOf(watches)) {
            if ((dn.mask & mask & ~FS_DN_MULTISHOT) == 0) {
                continue;
            }
            // F_NOTIFY made the caller's process the owner; a later F_SETOWN may name another.
            OpenFile.Owner owner = dn.file.owner();
            GuestProcess p = owner.pid() == 0 ? null : dn.kernel.process(owner.pid());
            if (p != null) {
                int sig = owner.signal();
                p.signal(null, sig == 0 ? Siginfo.kill(Signals.SIGIO, Signals.SI_KERNEL, 0, 0)
                        : new Siginfo(sig, 0, POLL_MSG, new Siginfo.Poll(POLL_MSG_BAND, dn.fd)));
            }
            if ((dn.mask & FS_DN_MULTISHOT) == 0) {
                removeDnotify(dn);
            }
        }
    }

    private static void removeDnotify(Dnotify dn) {
        List<Dnotify> watches = DNOTIFY.get(dn.inode);
        watches.remove(dn);
        if (watches.isEmpty()) {
            DNOTIFY.remove(dn.inode);
        }
        updateActive();
    }

    /**
     * fcntl(F_NOTIFY) on directory {@code file} (stat {@code st}) through descriptor {@code fd} of
     * {@code table}, as fcntl_dirnotify: an empty mask removes this table's watch of the file; else
     * the events asked for are added to it (a new one made if none), and the file's owner becomes
     * the caller's process.
     */
    public static void setDnotify(Kernel kernel, OpenFile file, int fd, FdTable table, HostStat st, int arg) {
        int mask = (arg & Fcntl.DN_MULTISHOT) != 0 ? FS_DN_MULTISHOT : 0;
        if ((arg & Fcntl.DN_DELETE) != 0) {
            mask |= IN_DELETE | IN_MOVED_FROM;
        }
        if ((arg & Fcntl.DN_MODIFY) != 0) {
            mask |= IN_MODIFY;
        }
        if ((arg & Fcntl.DN_ACCESS) != 0) {
            mask |= IN_ACCESS;
        }
        if ((arg & Fcntl.DN_ATTRIB) != 0) {
            mask |= IN_ATTRIB;
        }
        if ((arg & Fcntl.DN_RENAME) != 0) {
            mask |= FS_RENAME;
        }
        if ((arg & Fcntl.DN_CREATE) != 0) {
            mask |= IN_CREATE | IN_MOVED_TO;
        }
        Inode inode = Inode.of(st);
        synchronized (LOCK) {
            Dnotify found = null;
            for (Dnotify dn : DNOTIFY.getOrDefault(inode, List.of())) {
                if (dn.file == file && dn.table == table) {
                    found = dn;
                }
            }
            if ((mask & ~FS_DN_MULTISHOT) == 0) {
                if (found != null) {
                    removeDnotify(found);
                }
                return;
            }
            if (found == null) {
                found = new Dnotify(file, table, inode, kernel);
                DNOTIFY.computeIfAbsent(inode, i -> new ArrayList<>()).add(found);
                active = true;
            }
            found.fd = fd;
            found.mask |= mask;
        }
    }

    /** dnotify_flush: a close of any descriptor of {@code file} in {@code table} ends that table's watch of it. */
    public static void flushDnotify(OpenFile file, FdTable table) {
        if (!active) {
            return;
        }
        synchronized (LOCK) {
            for (List<Dnotify> watches : List.copyOf(DNOTIFY.values())) {
                for (Dnotify dn : List.copyOf(watches)) {
                    if (dn.file == file && dn.table == table) {
                        removeDnotify(dn);
                    }
                }
            }
        }
    }

    /**
     * Under LOCK: an event on a file (fsnotify_parent then fsnotify): to the watches on its directory
     * with its name, then to its own without.
     */
    private static void child(Inode dir, byte[] name, Inode self, int mask, boolean unlinked) {
        toInode(dir, mask, name, 0, unlinked);
        toInode(self, mask, null, 0, unlinked);
    }

    /** A name, looked at before or after an operation: its directory's inode, and its own stat (null: none). */
    public record Target(Inode dir, byte[] name, HostStat stat, FileSystem fs, ByteString path) {
        Inode inode() {
            return stat == null ? null : Inode.of(stat);
        }

        boolean directory() {
            return stat != null && (stat.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
        }

        int isdir() {
            return directory() ? IN_ISDIR : 0;
        }
    }

    /** What {@code r} names now, for a hook after the operation; null while no watch exists. */
    public static Target target(Vfs.Resolved r) {
        return active ? look(r.fs(), r.path()) : null;
    }

    private static Target look(FileSystem fs, ByteString path) {
        int slash = path.lastIndexOf((byte) '/');
        Inode dir = null;
        if (slash >= 0 && path.length() > 1) {
            try {
                dir = Inode.of(fs.stat(slash == 0 ? ByteString.ROOT : path.substring(0, slash), true));
            } catch (ErrnoException gone) {
                // No directory to tell.
            }
        }
        HostStat st;
        try {
            st = fs.stat(path, false);
        } catch (ErrnoException absent) {
            st = null;
        }
        return new Target(dir, path.substring(slash + 1).toByteArray(), st, fs, path);
    }

    /** A name was made (open's O_CREAT, mkdir, mknod, symlink, bind): IN_CREATE to its directory. */
    public static void created(Vfs.Resolved r) {
        Target t = target(r);
        if (t == null || t.stat() == null) {
            return;
        }
        synchronized (LOCK) {
            toInode(t.dir(), IN_CREATE | t.isdir(), t.name(), 0, false);
            FanotifyMarks.event(IN_CREATE | t.isdir(), t.dir(), t.name(), t.inode(), null, null, null);
        }
        refresh(t.dir());
    }

    /**
     * A name was removed (unlink, rmdir; {@code before} looked at first): IN_ATTRIB for the link
     * count; with its last link gone the inode is deleted ({@link #deleted}); IN_DELETE to the
     * directory, as vfs_unlink and d_delete_notify.
     */
    public static void removed(Target before) {
        if (before == null || before.stat() == null) {
            return;
        }
        boolean last = before.directory() || before.stat().nlink() <= 1;
        int open = last ? openDescriptions(before.inode()) : 0;
        synchronized (LOCK) {
            if (!before.directory()) {
                toInode(before.inode(), IN_ATTRIB, null, 0, false);
                FanotifyMarks.event(IN_ATTRIB, null, null, before.inode(), null, null, null);
            }
            if (last) {
                deleted(before.inode(), open, before.isdir());
            }
            toInode(before.dir(), IN_DELETE | before.isdir(), before.name(), 0, false);
            FanotifyMarks.event(IN_DELETE | before.isdir(), before.dir(), before.name(), before.inode(), null, null, null);
        }
        refresh(before.dir(), last ? null : before.inode());
    }

    /** Open descriptions of an inode whose last link is gone, by inode: its deletion waits for their close. */
    private static final Map<Inode, Integer> PENDING = new HashMap<>();

    /**
     * Under LOCK: the inode lost its last link. With no description open on it, it is deleted now:
     * IN_DELETE_SELF, and its watches end (IN_IGNORED), as fsnotify_inoderemove; otherwise at the
     * last close of the {@code open} descriptions (the dentry's last reference).
     */
    private static void deleted(Inode inode, int open, int isdir) {
        if (open > 0) {
            PENDING.put(inode, open);
            return;
        }
        toInode(inode, IN_DELETE_SELF, null, 0, false);
        ignoreAll(inode);
        FanotifyMarks.event(IN_DELETE_SELF | isdir, null, null, inode, null, null, null);
        FanotifyMarks.gone(inode);
    }

    /**
     * How many open descriptions of the caller's guests are of {@code inode}, when it is watched
     * (0 otherwise: nobody is told of its deletion). A scan of every descriptor table, made only when
     * a watched inode loses its last link.
     */
    private static int openDescriptions(Inode inode) {
        synchronized (LOCK) {
            if (!MARKS.containsKey(inode) && !FanotifyMarks.any()) {
                return 0;
            }
        }
        dev.jlx.core.kernel.GuestThread t = dev.jlx.core.kernel.Kernel.caller();
        if (t == null) {
            return 0;
        }
        java.util.Set<OpenFile> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (dev.jlx.core.kernel.GuestProcess p : t.process().kernel().processes()) {
            FdTable fds = p.fds();
            for (int fd = 0; fd <= fds.highest(); fd++) {
                try {
                    if (fds.peek(fd) instanceof VfsFile v && v.guestPath() != null
                            && (v.statusFlags() & OpenFlags.O_PATH) == 0) {
                        seen.add(v);
                    }
                } catch (ErrnoException closed) {
                    // Not open.
                }
            }
        }
        int count = 0;
        for (OpenFile f : seen) {
            try {
                if (Inode.of(f.stat()).equals(inode)) {
                    count++;
                }
            } catch (ErrnoException e) {
                // Gone.
            }
        }
        return count;
    }

    /**
     * The last descriptor of {@code f} is being closed (__fput): IN_CLOSE_WRITE or IN_CLOSE_NOWRITE,
     * then, for the last open description of an inode whose last link is gone, its deletion.
     */
    static void closing(VfsFile f) {
        if (!active || f.quiet()) {
            return;
        }
        file(f, f.writable() ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
        Inode inode;
        int isdir;
        try {
            HostStat st = f.stat();
            inode = Inode.of(st);
            isdir = isdir(st);
        } catch (ErrnoException e) {
            return;
        }
        synchronized (LOCK) {
            Integer open = PENDING.get(inode);
            if (open == null || (f.statusFlags() & OpenFlags.O_PATH) != 0 || f.guestPath() == null) {
                return;
            }
            if (open > 1) {
                PENDING.put(inode, open - 1);
            } else {
                PENDING.remove(inode);
                deleted(inode, 0, isdir);
            }
        }
    }

    /** link(2) made {@code r} a name of an existing inode: IN_ATTRIB for its link count, IN_CREATE to the directory. */
    public static void linked(Vfs.Resolved r) {
        Target t = target(r);
        if (t == null || t.stat() == null) {
            return;
        }
        synchronized (LOCK) {
            toInode(t.inode(), IN_ATTRIB, null, 0, false);
            toInode(t.dir(), IN_CREATE, t.name(), 0, false);
            FanotifyMarks.event(IN_ATTRIB, null, null, t.inode(), null, null, null);
            FanotifyMarks.event(IN_CREATE, t.dir(), t.name(), t.inode(), null, null, null);
        }
        refresh(t.dir(), t.inode());
    }

    /**
     * rename(2) moved {@code from} to {@code to} (both looked at before), as fsnotify_move: IN_MOVED_FROM
     * and IN_MOVED_TO with one cookie, IN_ATTRIB for a replaced target's link count, IN_MOVE_SELF;
     * with RENAME_EXCHANGE the same the other way; a replaced target that lost its last link is then
     * deleted (IN_DELETE_SELF, IN_IGNORED).
     */
    public static void moved(Target from, Target to, int flags) {
        if (from == null || from.stat() == null) {
            return;
        }
        boolean exchange = (flags & Rename.RENAME_EXCHANGE) != 0;
        boolean replaced = !exchange && to.stat() != null && !to.inode().equals(from.inode());
        int targetOpen = replaced ? openDescriptions(to.inode()) : 0;
        synchronized (LOCK) {
            int cookie = COOKIES.incrementAndGet();
            toInode(from.dir(), IN_MOVED_FROM | from.isdir(), from.name(), cookie, false);
            toInode(to.dir(), IN_MOVED_TO | from.isdir(), to.name(), cookie, false);
            // fanotify's order (fsnotify_move): FAN_RENAME to the old directory, then the moves.
            FanotifyMarks.event(FS_RENAME | from.isdir(), from.dir(), from.name(), from.inode(), null, to.dir(),
                    to.name());
            FanotifyMarks.event(IN_MOVED_FROM | from.isdir(), from.dir(), from.name(), from.inode(), null, null, null);
            FanotifyMarks.event(IN_MOVED_TO | from.isdir(), to.dir(), to.name(), from.inode(), null, null, null);
            if (replaced) {
                toInode(to.inode(), IN_ATTRIB | to.isdir(), null, 0, false);
                FanotifyMarks.event(IN_ATTRIB | to.isdir(), null, null, to.inode(), null, null, null);
            }
            toInode(from.inode(), IN_MOVE_SELF, null, 0, false);
            FanotifyMarks.event(IN_MOVE_SELF | from.isdir(), null, null, from.inode(), null, null, null);
            // fsnotify_move's FS_RENAME, which only dnotify asks for: to the old directory and the new.
            dnotify(from.dir(), FS_RENAME);
            if (to.dir() != null && !to.dir().equals(from.dir())) {
                dnotify(to.dir(), FS_RENAME);
            }
            if (exchange && to.stat() != null) {
                cookie = COOKIES.incrementAndGet();
                toInode(to.dir(), IN_MOVED_FROM | to.isdir(), to.name(), cookie, false);
                toInode(from.dir(), IN_MOVED_TO | to.isdir(), from.name(), cookie, false);
                toInode(to.inode(), IN_MOVE_SELF, null, 0, false);
            }
            if (replaced && (to.directory() || to.stat().nlink() <= 1)) {
                deleted(to.inode(), targetOpen, to.isdir());
            }
            movePolled(from.fs(), from.path(), to.path(), exchange);
        }
        refresh(from.dir(), to.dir());
    }

    /** A change by path (chmod, chown, utimes, truncate, xattrs): {@code mask} to the file and its directory. */
    public static void changed(Vfs.Resolved r, int mask) {
        Target t = target(r);
        if (t == null || t.stat() == null) {
            return;
        }
        synchronized (LOCK) {
            child(t.dir(), t.name(), t.inode(), mask | t.isdir(), false);
            FanotifyMarks.event(mask | t.isdir(), t.dir(), t.name(), t.inode(), null, null, null);
        }
        refresh(t.dir(), t.inode());
    }

    /**
     * open(2) gave {@code f}: IN_CREATE to the directory for a file it made, IN_OPEN (do_dentry_open),
     * then IN_MODIFY for one O_TRUNC cut (handle_truncate).
     */
    static void opened(VfsFile f, boolean created, boolean truncated) {
        if (!active || f.guestPath() == null) {
            return;
        }
        if (created) {
            created(f.resolved());
        }
        file(f, IN_OPEN);
        if (truncated) {
            file(f, IN_MODIFY);
        }
    }

    /**
     * An event on an open file (open, read, write, close, and changes through the descriptor): to
     * its watches and its directory's, with the name it was opened by. A file whose last link is
     * gone counts as unlinked (IN_EXCL_UNLINK). Not for O_PATH descriptors, as fsnotify_file.
     */
    public static void file(VfsFile f, int mask) {
        if (!active || f.guestPath() == null || (f.statusFlags() & OpenFlags.O_PATH) != 0 || f.quiet()) {
            return;
        }
        HostStat st;
        try {
            st = f.stat();
        } catch (ErrnoException e) {
            return;
        }
        boolean directory = (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
        Target t = look(f.fileSystem(), f.fsPath());
        boolean unlinked = !directory && st.nlink() == 0;
        synchronized (LOCK) {
            child(t.dir(), t.name(), Inode.of(st), mask | (directory ? IN_ISDIR : 0), unlinked);
            FanotifyMarks.event(mask | (directory ? IN_ISDIR : 0), t.dir(), t.name(), Inode.of(st), f, null, null);
        }
        if ((mask & (IN_MODIFY | IN_ATTRIB)) != 0) {
            refresh(t.dir(), Inode.of(st));
        }
    }

    /**
     * The event of a utimensat (fsnotify_change): both times set is IN_ATTRIB, the access time alone
     * IN_ACCESS, the modification time alone IN_MODIFY, neither none.
     */
    public static int timesEvent(long atimeNsec, long mtimeNsec) {
        boolean atime = atimeNsec != dev.jlx.abi.Fcntl.UTIME_OMIT;
        boolean mtime = mtimeNsec != dev.jlx.abi.Fcntl.UTIME_OMIT;
        return atime && mtime ? IN_ATTRIB : atime ? IN_ACCESS : mtime ? IN_MODIFY : 0;
    }

    // Host changes: polling.

    /** How often a watched host file or directory is looked at for changes that no guest made. */
    static final long POLL_MILLIS = 200;
    /** A directory's children are each stat'd (for their IN_MODIFY and IN_ATTRIB) only up to this many. */
    private static final int MAX_POLLED_CHILDREN = 1000;

    /** A watched host inode as last seen: its stat and, for a directory, its children's. */
    private record Polled(FileSystem fs, ByteString path, boolean directory, HostStat stat,
            Map<ByteString, HostStat> children) {
        /** Looks at {@code path} now; a stat of null: it is gone. */
        static Polled take(FileSystem fs, ByteString path, boolean directory) {
            HostStat st;
            try {
                st = fs.stat(path, false);
            } catch (ErrnoException gone) {
                return new Polled(fs, path, directory, null, Map.of());
            }
            Map<ByteString, HostStat> children = new TreeMap<>();
            if (directory) {
                try {
                    List<HostDirEntry> entries = fs.list(path);
                    for (HostDirEntry e : entries) {
                        ByteString name = ByteString.of(e.name());
                        HostStat child = null;
                        if (entries.size() <= MAX_POLLED_CHILDREN) {
                            try {
                                child = fs.stat(path.child(name), false);
                            } catch (ErrnoException gone) {
                                continue;
                            }
                        }
                        children.put(name, child != null ? child
                                : new HostStat(st.dev(), e.ino(), e.type(), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
                    }
                } catch (ErrnoException unreadable) {
                    // Seen as empty.
                }
            }
            return new Polled(fs, path, directory, st, children);
        }

        Polled at(ByteString newPath) {
            return new Polled(fs, newPath, directory, stat, children);
        }
    }

    private static final Map<Inode, Polled> POLLED = new HashMap<>();
    private static Thread poller;

    /** Under LOCK: a polling thread runs while any host inode is watched. */
    private static void startPolling() {
        if (poller != null) {
            return;
        }
        poller = Thread.ofPlatform().daemon().name("jlx-inotify-poll").start(Fsnotify::poll);
    }

    private static void poll() {
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                // Not interrupted by jlx: look again.
            }
            Map<Inode, Polled> seen;
            synchronized (LOCK) {
                if (POLLED.isEmpty()) {
                    poller = null;
                    return;
                }
                seen = new HashMap<>(POLLED);
            }
            seen.forEach((inode, before) -> {
                Polled now = Polled.take(before.fs(), before.path(), before.directory());
                synchronized (LOCK) {
                    if (POLLED.get(inode) != before) {
                        // A guest's change refreshed the snapshot since: it told its own events.
                        SUSPECT.remove(inode);
                        return;
                    }
                    List<HostEvent> events = compare(inode, before, now);
                    if (events.isEmpty()) {
                        SUSPECT.remove(inode);
                    } else if (SUSPECT.get(inode) != before) {
                        // Seen once: a guest's change may be between its operation and its hook's refresh.
                        SUSPECT.put(inode, before);
                    } else {
                        SUSPECT.remove(inode);
                        POLLED.put(inode, now);
                        for (HostEvent e : events) {
                            toInode(inode, e.mask(), e.name(), 0, false);
                        }
                        if ((events.getLast().mask() & IN_DELETE_SELF) != 0) {
                            ignoreAll(inode);
                        }
                    }
                }
            });
        }
    }

    /**
     * Snapshots that differed from the host at one look, not yet told: a difference is told at the
     * next look if no guest's change refreshed the snapshot in between, so that a guest's change
     * seen between its operation and its hook is not told twice.
     */
    private static final Map<Inode, Polled> SUSPECT = new HashMap<>();

    /** An event a host process's change makes. */
    private record HostEvent(int mask, byte[] name) {}

    /** The events for what changed between two looks at a host inode, IN_DELETE_SELF last when it is gone. */
    private static List<HostEvent> compare(Inode inode, Polled before, Polled now) {
        List<HostEvent> events = new ArrayList<>();
        if (now.stat() == null || !Inode.of(now.stat()).equals(inode)) {
            events.add(new HostEvent(IN_DELETE_SELF, null));
            return events;
        }
        if (!before.directory()) {
            int change = change(before.stat(), now.stat());
            if (change != 0) {
                events.add(new HostEvent(change, null));
            }
            return events;
        }
        if (attributes(before.stat(), now.stat())) {
            events.add(new HostEvent(IN_ATTRIB | IN_ISDIR, null));
        }
        before.children().forEach((name, old) -> {
            HostStat current = now.children().get(name);
            if (current == null || current.ino() != old.ino()) {
                events.add(new HostEvent(IN_DELETE | isdir(old), name.toByteArray()));
            }
        });
        now.children().forEach((name, current) -> {
            HostStat old = before.children().get(name);
            if (old == null || current.ino() != old.ino()) {
                events.add(new HostEvent(IN_CREATE | isdir(current), name.toByteArray()));
            } else if (isdir(current) == 0 && change(old, current) != 0) {
                events.add(new HostEvent(change(old, current), name.toByteArray()));
            }
        });
        return events;
    }

    private static int isdir(HostStat st) {
        return (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR ? IN_ISDIR : 0;
    }

    /** IN_MODIFY for new contents (size, mtime), IN_ATTRIB for a new inode change time alone; 0 for none. */
    private static int change(HostStat a, HostStat b) {
        if (a.size() != b.size() || a.mtimeSec() != b.mtimeSec() || a.mtimeNsec() != b.mtimeNsec()) {
            return IN_MODIFY;
        }
        if (a.ctimeSec() != b.ctimeSec() || a.ctimeNsec() != b.ctimeNsec() || attributes(a, b)) {
            return IN_ATTRIB;
        }
        return 0;
    }

    private static boolean attributes(HostStat a, HostStat b) {
        return a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid();
    }

    /** After a guest's change: the polled snapshots of these inodes are taken again, so it is not told twice. */
    private static void refresh(Inode... inodes) {
        for (Inode inode : inodes) {
            Polled before;
            synchronized (LOCK) {
                before = inode == null ? null : POLLED.get(inode);
            }
            if (before == null) {
                continue;
            }
            Polled now = Polled.take(before.fs(), before.path(), before.directory());
            synchronized (LOCK) {
                POLLED.computeIfPresent(inode, (i, p) -> p.fs() == now.fs() ? now.at(p.path()) : p);
            }
        }
    }

    /** Under LOCK: a guest's rename moved the polled paths at or below {@code from} to {@code to} (and back, exchanged). */
    private static void movePolled(FileSystem fs, ByteString from, ByteString to, boolean exchange) {
        POLLED.replaceAll((inode, p) -> {
            if (p.fs() != fs) {
                return p;
            }
            ByteString moved = rebase(p.path(), from, to);
            if (moved == null && exchange) {
                moved = rebase(p.path(), to, from);
            }
            return moved == null ? p : p.at(moved);
        });
    }

    private static ByteString rebase(ByteString path, ByteString from, ByteString to) {
        if (path.equals(from)) {
            return to;
        }
        if (path.startsWith(from.child(ByteString.EMPTY))) {
            return to.concat(path.substring(from.length()));
        }
        return null;
    }
}
