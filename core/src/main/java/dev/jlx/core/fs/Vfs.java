package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Openat2;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.mem.SharedFiles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks guest paths component by component, as Linux's {@code path_walk}, over a mount table of
 * host directories (the guest's root and any directories mounted below it). Symbolic links are read
 * and followed here, never by the host, and {@code ..} stops at the guest root, so no guest path
 * can name a host file outside the mounts.
 */
public final class Vfs {
    /** MAXSYMLINKS: Linux gives ELOOP after this many links in one walk. */
    static final int MAX_SYMLINKS = 40;
    public static final int PATH_MAX = 4096;
    private static final java.util.Set<ByteString> HIDDEN_HOST_TREES = java.util.Set.of(ByteString.of("proc"),
            ByteString.of("sys"));
    /** NAME_MAX: the longest name of one path component, in bytes. */
    private static final int NAME_MAX = 255;

    /** The first mount id a run gives: 1 and 2 are Linux's rootfs and jlx's anonymous mount (MountTable). */
    private static final int FIRST_ID = 3;

    /**
     * One state of the mount table: {@code lookup} deepest guest path first, of one depth the latest
     * mount first, so the first match is the mount a walk sees; {@code order} as /proc/PID/mounts
     * lists them (the order they were mounted, those a run starts with shallowest first).
     */
    private record Table(List<Mount> lookup, List<Mount> order) {
        static Table of(List<Mount> order) {
            List<Mount> lookup = new ArrayList<>(order.reversed());
            lookup.sort((a, b) -> Integer.compare(b.components().size(), a.components().size()));
            return new Table(List.copyOf(lookup), List.copyOf(order));
        }
    }

    /**
     * The mount namespace's table, of which this is a chroot's view (null when this is the table
     * itself): one per mount namespace of the run, which the guest's mount calls change.
     */
    private final Vfs base;
    /** A view's root, as a guest path of {@link #base}; empty for the run's table. */
    private final List<ByteString> root;
    /** The run's table, or the view made from {@link #viewOf}. */
    private volatile Table table;
    private volatile Table viewOf;
    /** The next mount id, shared by the run's mount namespaces. */
    private final java.util.concurrent.atomic.AtomicInteger nextId;

    /** {@code mounts} must include one at "/". */
    public Vfs(List<Mount> mounts) {
        if (mounts.stream().noneMatch(m -> m.guestPath().equals(ByteString.ROOT))) {
            throw new IllegalArgumentException("no mount at /");
        }
        List<Mount> order = new ArrayList<>(mounts.stream()
                .sorted(java.util.Comparator.comparingInt(m -> m.components().size())).toList());
        nextId = new java.util.concurrent.atomic.AtomicInteger(FIRST_ID);
        for (int i = 0; i < order.size(); i++) {
            order.set(i, order.get(i).withId(nextId.getAndIncrement()));
        }
        this.base = null;
        this.root = List.of();
        this.table = Table.of(order);
    }

    private Vfs(Vfs base, List<ByteString> root) {
        this.base = base;
        this.root = List.copyOf(root);
        this.nextId = base.nextId;
    }

    /** A new mount namespace's table: a copy of {@code of}'s, changed apart from it from now on. */
    private Vfs(Table of, java.util.concurrent.atomic.AtomicInteger nextId) {
        this.base = null;
        this.root = List.of();
        this.table = of;
        this.nextId = nextId;
    }

    /**
     * copy_mnt_ns: this view in a new mount namespace whose table is a copy of this one's (the
     * copies keep their mount ids and peer groups; Linux numbers them anew), chrooted as this is.
     */
    public Vfs unshared() {
        Vfs run = base == null ? this : base;
        return viewIn(new Vfs(run.table, nextId));
    }

    /** The table this is a view of (this for a table): its mount namespace's root. */
    public Vfs namespaceRoot() {
        return base == null ? this : base;
    }

    /** This view's root in the table {@code other} (another mount namespace's). */
    public Vfs viewIn(Vfs other) {
        return base == null ? other : new Vfs(other, root);
    }

    /** The table as this process sees it: the run's, or for a chroot the part below its root. */
    private Table table() {
        if (base == null) {
            return table;
        }
        Table of = base.table;
        Table view = table;
        if (viewOf != of || view == null) {
            view = view(of);
            table = view;
            viewOf = of;
        }
        return view;
    }

    /** chroot's view of the run's table {@code of}: the mount holding the root at "/", those below it. */
    private Table view(Table of) {
        List<Mount> order = new ArrayList<>();
        Mount holder = mountOf(of, root);
        ByteString inHolder = inMount(holder, root);
        order.add(new Mount(ByteString.ROOT, holder.fs(), holder.readOnly(),
                inHolder.equals(ByteString.ROOT) ? ByteString.EMPTY : inHolder, holder.id(), holder.flags(),
                holder.source(), holder.propagation(), holder.group(), holder.superReadOnly()));
        for (Mount m : of.order()) {
            List<ByteString> c = m.components();
            if (c.size() > root.size() && c.subList(0, root.size()).equals(root)) {
                order.add(m.at(ByteString.absolute(c.subList(root.size(), c.size()))));
            }
        }
        return Table.of(order);
    }

    /**
     * The mounts in the order a system would have mounted them, each after the one it lies in: the
     * root first, then by depth, mounts of one depth in the order given, then those the guest made
     * in the order it made them (/proc/PID/mounts).
     */
    public List<Mount> mounts() {
        return table().order();
    }

    /** The mount that holds the guest path {@code guestPath} (absolute and normalized). */
    public Mount mountOf(ByteString guestPath) {
        return mountOf(guestPath.components());
    }

    /** The mount {@code m} is mounted on (the one it covers at the same path, if any); null for the root. */
    public Mount parentOf(Mount m) {
        List<Mount> lookup = table().lookup();
        List<ByteString> c = m.components();
        boolean after = false;
        for (Mount under : lookup) {
            if (under.id() == m.id()) {
                after = true;
            } else if (after && under.components().size() <= c.size()
                    && c.subList(0, under.components().size()).equals(under.components())) {
                return under;
            }
        }
        return null;
    }

    /** The mount with id {@code id} in this view, or null. */
    public Mount mountById(long id) {
        for (Mount m : mounts()) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    /**
     * mount(2)'s change of the run's table: {@code added} (guest paths of this view; ids given here)
     * go on top of their mount points, the mounts of the ids in {@code removed} go, and those in
     * {@code changed} replace the mounts of their ids (moved, remounted: their guest paths of this
     * view too). One change at a time, seen whole by every walk after it. Returns the ids given to
     * {@code added}, in order.
     */
    public List<Integer> change(List<Mount> added, java.util.Set<Integer> removed, List<Mount> changed) {
        if (base != null) {
            return base.change(added.stream().map(this::toBase).toList(), removed,
                    changed.stream().map(this::toBase).toList());
        }
        synchronized (this) {
            // Listed by mount id, as Linux 6.8's mount tree: a moved or changed mount keeps its place.
            List<Mount> order = new ArrayList<>();
            for (Mount m : table.order()) {
                if (!removed.contains(m.id())) {
                    order.add(changed.stream().filter(c -> c.id() == m.id()).findFirst().orElse(m));
                }
            }
            List<Integer> ids = new ArrayList<>();
            for (Mount m : added) {
                int id = nextId.getAndIncrement();
                ids.add(id);
                order.add(m.withId(id));
            }
            table = Table.of(order);
            return ids;
        }
    }

    /** Makes {@code fs} read-only or writable as a whole, for every mount of it (Linux's SB_RDONLY). */
    public void setSuperReadOnly(FileSystem fs, boolean readOnly) {
        if (base != null) {
            base.setSuperReadOnly(fs, readOnly);
            return;
        }
        synchronized (this) {
            table = Table.of(table.order().stream().map(m -> m.fs() == fs ? m.withSuperReadOnly(readOnly) : m).toList());
        }
    }

    /** Mounts umount2's MNT_EXPIRE has marked (mnt_expiry_mark); jlx never clears a mark on use. */
    private final java.util.Set<Integer> expired = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Marks mount {@code id} for MNT_EXPIRE: whether it was marked before. */
    public boolean markExpired(int id) {
        return base != null ? base.markExpired(id) : !expired.add(id);
    }

    /** A mount of this view as the run's table holds it (a chroot's root mount keeps the table's root). */
    private Mount toBase(Mount m) {
        List<ByteString> c = new ArrayList<>(root);
        c.addAll(m.components());
        Mount original = base.mountById(m.id());
        if (m.id() != 0 && original != null && m.guestPath().equals(ByteString.ROOT)) {
            return new Mount(original.guestPath(), m.fs(), m.readOnly(), original.fsRoot(), m.id(), m.flags(),
                    m.source(), m.propagation(), m.group(), m.superReadOnly());
        }
        return m.at(ByteString.absolute(c));
    }

    /** sync(2) of every mounted file system. */
    public void syncAll() {
        for (Mount m : table().lookup()) {
            m.fs().sync();
        }
    }

    /** A walked path: the guest's absolute path, its mount, and the path within that mount's file system. */
    public record Resolved(ByteString guestPath, ByteString path, Mount mount) {
        public FileSystem fs() {
            return mount.fs();
        }

        /** EROFS when the path lies on a read-only mount: for every call that would change it. */
        public Resolved writable() throws ErrnoException {
            if (mount.refusesWrites()) {
                throw new ErrnoException(Errno.EROFS);
            }
            return this;
        }
    }

    /**
     * Resolves {@code path} (relative to the guest directory {@code cwd}); a symlink in the last
     * component is followed when {@code followLast}. The last component need not exist; every
     * earlier one must be a directory (ENOENT, ENOTDIR, ELOOP otherwise).
     */
    public Resolved resolve(ByteString cwd, ByteString path, boolean followLast) throws ErrnoException {
        return resolve(cwd, path, followLast, 0);
    }

    /**
     * {@link #resolve} under openat2's RESOLVE_* flags {@code how} (linux/openat2.h; RESOLVE_CACHED
     * is the caller's): with RESOLVE_BENEATH or RESOLVE_IN_ROOT, {@code cwd} is the root of the walk.
     */
    public Resolved resolve(ByteString cwd, ByteString path, boolean followLast, int how) throws ErrnoException {
        checkLength(path);
        boolean mustBeDirectory = path.endsWith((byte) '/');
        Resolved plain = mustBeDirectory || how != 0 ? null : plainCandidate(cwd, path);
        if (plain != null && plain.fs().isPlainPath(plain.path())) {
            return plain;
        }
        return walk(cwd, path, followLast, mustBeDirectory, how);
    }

    /** ENOENT for an empty path, ENAMETOOLONG for one of PATH_MAX bytes or more. */
    private static void checkLength(ByteString path) throws ErrnoException {
        if (path.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (path.length() >= PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
    }

    /**
     * openat(2) of {@code path} (relative to the guest directory {@code cwd}) with the guest's
     * {@code O_*} {@code flags} (less O_CLOEXEC, which is the descriptor's) and {@code perm}, the
     * mode of a new file after the umask. The VFS's policy is here: EROFS for a change on a
     * read-only mount, a FIFO that the file system keeps in the JVM opened as a pipe end, shared
     * mappings of a file told before O_TRUNC cuts it. A path that may be plain is resolved and opened
     * by its file system in one descent ({@link FileSystem#openIfPlain}: one host resolution on
     * hostfs); any other is walked here and then opened.
     */
    public OpenFile open(ByteString cwd, ByteString path, int flags, int perm) throws ErrnoException {
        return open(cwd, path, flags, perm, 0);
    }

    /** {@link #open} with the path walked under openat2's RESOLVE_* flags {@code how} (see {@link #resolve}). */
    public OpenFile open(ByteString cwd, ByteString path, int flags, int perm, int how) throws ErrnoException {
        if (!Fsnotify.active()) {
            return openFile(cwd, path, flags, perm, how);
        }
        // inotify's events: IN_CREATE for a file the open makes, IN_MODIFY for one it truncates, IN_OPEN.
        boolean existed = true;
        if ((flags & OpenFlags.O_CREAT) != 0) {
            try {
                existed = exists(resolve(cwd, path, (flags & OpenFlags.O_NOFOLLOW) == 0, how));
            } catch (ErrnoException e) {
                existed = false;
            }
        }
        OpenFile f = openFile(cwd, path, flags, perm, how);
        if (f instanceof VfsFile v && (flags & OpenFlags.O_PATH) == 0) {
            boolean truncated = existed && (flags & OpenFlags.O_TRUNC) != 0
                    && (v.stat().mode() & FileMode.S_IFMT) == FileMode.S_IFREG;
            Fsnotify.opened(v, !existed, truncated);
        }
        return f;
    }

    private OpenFile openFile(ByteString cwd, ByteString path, int flags, int perm, int how) throws ErrnoException {
        checkLength(path);
        boolean create = (flags & OpenFlags.O_CREAT) != 0;
        boolean writes = (flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0;
        int statusFlags = flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY | OpenFlags.O_TRUNC);
        boolean truncatesMapped = (flags & OpenFlags.O_TRUNC) != 0
                && (flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY && SharedFiles.any();
        boolean landlock = dev.jlx.core.kernel.Landlock.restrictsFiles();
        Resolved plain = truncatesMapped || landlock || how != 0 || path.endsWith((byte) '/') ? null
                : plainCandidate(cwd, path);
        if (plain != null && plain.guestPath().startsWith(DEV)) {
            // Walked, so that the terminal devices jlx serves are found (openDevice).
            plain = null;
        }
        if (plain != null && !(plain.mount().refusesWrites() && (writes || create))) {
            FileOps file = plain.fs().openIfPlain(plain.path(), flags, perm);
            if (file != null) {
                return new VfsFile(file, statusFlags, plain);
            }
        }
        boolean follow = (flags & OpenFlags.O_NOFOLLOW) == 0 && !(create && (flags & OpenFlags.O_EXCL) != 0);
        Resolved r = resolve(cwd, path, follow, how);
        if (r.mount().refusesWrites() && (writes || (create && !exists(r)))) {
            throw new ErrnoException(Errno.EROFS);
        }
        if (landlock) {
            long denied = dev.jlx.core.kernel.Landlock.checkOpen(r, flags, false);
            return dev.jlx.core.kernel.Landlock.opened(openResolved(r, flags, perm, statusFlags, truncatesMapped),
                    denied);
        }
        return openResolved(r, flags, perm, statusFlags, truncatesMapped);
    }

    /** The walked open's part after the walk: devices, FIFOs, then the file system's own files. */
    private OpenFile openResolved(Resolved r, int flags, int perm, int statusFlags, boolean truncatesMapped)
            throws ErrnoException {
        boolean create = (flags & OpenFlags.O_CREAT) != 0;
        OpenFile device = (flags & OpenFlags.O_PATH) == 0 ? openDevice(r, flags) : null;
        if (device != null) {
            return device;
        }
        FileSystem.FifoNode fifo = (flags & OpenFlags.O_PATH) == 0 ? r.fs().fifo(r.path(), flags) : null;
        if (fifo != null) {
            if (create && (flags & OpenFlags.O_EXCL) != 0) {
                throw new ErrnoException(Errno.EEXIST);
            }
            return PipeEnd.openFifo(fifo, flags);
        }
        if (truncatesMapped && exists(r)) {
            HostStat st = r.fs().stat(r.path(), true);
            SharedFiles.truncating(st.dev(), st.ino(), 0);
        }
        return new VfsFile(r.fs().open(r.path(), flags, perm), statusFlags, r);
    }

    private static final ByteString DEV = ByteString.of("/dev/");

    /**
     * The terminal devices jlx serves itself, as Linux finds a character device's driver by its
     * number: devpts's nodes, and under /dev a node 5:0 (/dev/tty, the caller's controlling terminal)
     * or 5:2 (/dev/ptmx, a new pty in the kernel's devpts), or /dev/userfaultfd's 10:257, on any file system (the host's /dev
     * included). Null for any other file, and for /dev/tty when that is jlx's own terminal, which
     * the file system opens (the host's /dev/tty).
     */
    private OpenFile openDevice(Resolved r, int flags) throws ErrnoException {
        OpenFile device = r.fs().openDevice(r.path(), flags);
        if (device != null || !r.guestPath().startsWith(DEV)) {
            return device;
        }
        dev.jlx.core.kernel.GuestThread t = dev.jlx.core.kernel.Kernel.caller();
        if (t == null) {
            return null;
        }
        HostStat st;
        try {
            st = r.fs().stat(r.path(), true);
        } catch (ErrnoException absent) {
            return null;
        }
        if ((st.mode() & dev.jlx.abi.FileMode.S_IFMT) != dev.jlx.abi.FileMode.S_IFCHR) {
            return null;
        }
        if (st.rdev() == dev.jlx.core.tty.TtyFile.DEV_TTY) {
            return dev.jlx.core.tty.Terminal.openCurrent(t.process(), flags, () -> r.fs().stat(r.path(), true));
        }
        if (st.rdev() == dev.jlx.core.tty.TtyFile.DEV_PTMX && devpts() != null) {
            return devpts().openMaster(t.process().kernel(), t.process(), flags, () -> r.fs().stat(r.path(), true));
        }
        if (st.rdev() == UserfaultfdDevice.DEV) {
            return new UserfaultfdDevice(flags & (OpenFlags.O_ACCMODE | OpenFlags.O_NONBLOCK | OpenFlags.O_APPEND),
                    () -> r.fs().stat(r.path(), true));
        }
        return null;
    }

    /** The devpts mounted here (at /dev/pts), where /dev/ptmx makes its ptys; null for none. */
    public dev.jlx.core.tty.Devpts devpts() {
        for (Mount m : table().lookup()) {
            if (m.fs() instanceof dev.jlx.core.tty.Devpts d) {
                return d;
            }
        }
        return null;
    }

    /** Whether the resolved name is there (a dangling link is). */
    public static boolean exists(Resolved r) {
        try {
            r.fs().stat(r.path(), false);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    /**
     * The walk; {@code how} holds openat2's RESOLVE_* flags, with Linux's errors (fs/namei.c):
     * EXDEV for a step out of the scoped root (an absolute path or link under RESOLVE_BENEATH, ".."
     * above it) or across a mount under RESOLVE_NO_XDEV, ELOOP for a link under RESOLVE_NO_SYMLINKS
     * and a magic one under RESOLVE_NO_MAGICLINKS (EXDEV for a magic one in a scoped walk).
     */
    private Resolved walk(ByteString cwd, ByteString path, boolean followLast, boolean mustBeDirectory, int how)
            throws ErrnoException {
        boolean beneath = (how & Openat2.RESOLVE_BENEATH) != 0;
        boolean scoped = beneath || (how & Openat2.RESOLVE_IN_ROOT) != 0;
        boolean noXdev = (how & Openat2.RESOLVE_NO_XDEV) != 0;
        // Under RESOLVE_IN_ROOT "/" and ".." stop at the root, which is the walk's start (the dirfd).
        List<ByteString> root = scoped ? cwd.components() : List.of();
        List<ByteString> current = new ArrayList<>();
        if (!path.startsWith((byte) '/')) {
            current.addAll(cwd.components());
        } else if (beneath) {
            throw new ErrnoException(Errno.EXDEV);
        } else {
            current.addAll(root);
        }
        Mount on = mountOf(current);
        Deque<ByteString> pending = new ArrayDeque<>(path.components());
        int links = 0;
        while (!pending.isEmpty()) {
            ByteString name = pending.removeFirst();
            if (name.equals(ByteString.DOT)) {
                continue;
            }
            if (name.equals(ByteString.DOT_DOT)) {
                if (scoped && current.size() == root.size()) {
                    if (beneath) {
                        throw new ErrnoException(Errno.EXDEV);
                    }
                } else if (!current.isEmpty()) {
                    current.removeLast();
                }
                on = crossing(on, current, noXdev);
                continue;
            }
            if (name.length() > NAME_MAX) {
                throw new ErrnoException(Errno.ENAMETOOLONG);
            }
            current.add(name);
            // A mount on the last component is crossed too (handle_mounts), followed or not.
            on = crossing(on, current, noXdev);
            boolean last = pending.isEmpty();
            if (last && !followLast && !mustBeDirectory) {
                break;
            }
            HostStat st;
            try {
                Mount m = mountOf(current);
                st = m.fs().stat(inMount(m, current), false);
            } catch (ErrnoException e) {
                if (last && e.errno() == Errno.ENOENT) {
                    break;
                }
                throw e;
            }
            int type = st.mode() & FileMode.S_IFMT;
            if (type == FileMode.S_IFLNK) {
                if (++links > MAX_SYMLINKS || (how & Openat2.RESOLVE_NO_SYMLINKS) != 0) {
                    throw new ErrnoException(Errno.ELOOP);
                }
                Mount m = mountOf(current);
                if ((how & (Openat2.RESOLVE_NO_MAGICLINKS | Openat2.RESOLVE_BENEATH | Openat2.RESOLVE_IN_ROOT)) != 0
                        && m.fs().isMagicLink(inMount(m, current))) {
                    // nd_jump_link: refused outright, or (scoped walks) as unsafe to follow.
                    throw new ErrnoException((how & Openat2.RESOLVE_NO_MAGICLINKS) != 0 ? Errno.ELOOP : Errno.EXDEV);
                }
                if (m.fs().isObjectLink(inMount(m, current))) {
                    // nd_jump_link to an object (a namespace): the walk ends there, or goes no further.
                    if (!last || mustBeDirectory) {
                        throw new ErrnoException(Errno.ENOTDIR);
                    }
                    break;
                }
                ByteString target = ByteString.of(m.fs().readlink(inMount(m, current)));
                current.removeLast();
                if (target.startsWith((byte) '/')) {
                    // nd_jump_root: out of a scoped root, or (RESOLVE_NO_XDEV) off the root's mount.
                    if (beneath) {
                        throw new ErrnoException(Errno.EXDEV);
                    }
                    current.clear();
                    current.addAll(root);
                    if (noXdev && mountOf(current) != on) {
                        throw new ErrnoException(Errno.EXDEV);
                    }
                }
                List<ByteString> t = target.components();
                for (int i = t.size() - 1; i >= 0; i--) {
                    pending.addFirst(t.get(i));
                }
                if (target.isEmpty()) {
                    throw new ErrnoException(Errno.ENOENT);
                }
            } else if (!last && type != FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR);
            } else if (last && mustBeDirectory && type != FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
        }
        Mount mount = mountOf(current);
        if (mount.components().isEmpty() && mount.fsRoot().isEmpty() && !current.isEmpty()
                && HIDDEN_HOST_TREES.contains(current.getFirst())) {
            // The host's /proc and /sys describe the JVM, not the guest: where jlx mounts no procfs or
            // sysfs of its own over them they stay out of sight.
            throw new ErrnoException(Errno.ENOENT);
        }
        return new Resolved(ByteString.absolute(current), inMount(mount, current), mount);
    }

    /** The mount {@code current} is on; EXDEV when that is another than {@code on} and the walk may not cross. */
    private Mount crossing(Mount on, List<ByteString> current, boolean noXdev) throws ErrnoException {
        Mount now = mountOf(current);
        if (noXdev && now != on) {
            throw new ErrnoException(Errno.EXDEV);
        }
        return now;
    }

    /**
     * A guest path that was walked before (a working directory, an open directory's path), of any
     * length: the strings a guest gives are shorter than PATH_MAX, the places they lead to need not be.
     */
    public Resolved walked(ByteString guestPath) throws ErrnoException {
        return resolve(guestPath, ByteString.DOT, true);
    }

    /**
     * stat or lstat of a path: {@link #resolve} then stat, but a path that may be plain goes to the
     * host in one resolution ({@link FileSystem#lstatIfPlain}), and a link at its end is followed
     * from there, which for the stat-heavy {@code ls -l} (and its stat of /etc/localtime per file)
     * or {@code find} is most of what jlx asks the host.
     */
    public HostStat stat(ByteString cwd, ByteString path, boolean followLast) throws ErrnoException {
        return statOnMount(cwd, path, followLast).stat();
    }

    /** A stat's answer, with the mount the file is on and whether it is that mount's root (for statx). */
    public record Stated(HostStat stat, Mount mount, boolean mountRoot) {}

    /** {@link #stat}, also telling the mount. */
    public Stated statOnMount(ByteString cwd, ByteString path, boolean followLast) throws ErrnoException {
        ByteString p = path;
        for (int links = 0; !p.isEmpty() && p.length() < PATH_MAX && !p.endsWith((byte) '/'); links++) {
            Resolved plain = plainCandidate(cwd, p);
            HostStat st = plain == null ? null : plain.fs().lstatIfPlain(plain.path());
            if (st == null) {
                break;
            }
            if (!followLast || (st.mode() & FileMode.S_IFMT) != FileMode.S_IFLNK) {
                // A plain path is on the root mount, and not its root.
                return new Stated(st, plain.mount(), false);
            }
            if (links == MAX_SYMLINKS) {
                throw new ErrnoException(Errno.ELOOP);
            }
            ByteString target = ByteString.of(plain.fs().readlink(plain.path()));
            if (target.isEmpty()) {
                throw new ErrnoException(Errno.ENOENT);
            }
            p = target.startsWith((byte) '/') ? target : parentOf(plain.guestPath()).child(target);
        }
        Resolved r = resolve(cwd, p, followLast);
        return new Stated(r.fs().stat(r.path(), followLast), r.mount(), r.guestPath().equals(r.mount().guestPath()));
    }

    /** The guest directory that holds {@code guestPath}, itself not "/". */
    private static ByteString parentOf(ByteString guestPath) {
        int slash = guestPath.lastIndexOf((byte) '/');
        return slash == 0 ? ByteString.ROOT : guestPath.substring(0, slash);
    }

    /**
     * The resolution of a path with no "..", in the root mount and outside the host trees jlx hides,
     * if none of its components turns out to be a symbolic link or a mount point; null when it is
     * not such a path. The file system still has to confirm there is no link.
     */
    private Resolved plainCandidate(ByteString cwd, ByteString p) throws ErrnoException {
        int n = p.length();
        if (n >= 2 && p.byteAt(n - 2) == '/' && p.endsWith((byte) '.')) {
            // "x/." asks that x be a directory, which only the walk checks.
            return null;
        }
        // The absolute, normalized guest path, made byte by byte: this runs for most path calls.
        boolean relative = !p.startsWith((byte) '/');
        int base = relative ? cwd.length() - (cwd.endsWith((byte) '/') ? 1 : 0) : 0;
        byte[] out = new byte[base + n + 1];
        if (base > 0) {
            cwd.copyTo(out, 0);
        }
        int length = base;
        for (int i = 0; i < n;) {
            while (i < n && p.byteAt(i) == '/') {
                i++;
            }
            int from = i;
            while (i < n && p.byteAt(i) != '/') {
                i++;
            }
            int c = i - from;
            if (c == 0 || (c == 1 && p.byteAt(from) == '.')) {
                continue;
            }
            if (c == 2 && p.byteAt(from) == '.' && p.byteAt(from + 1) == '.') {
                return null;
            }
            if (c > NAME_MAX) {
                throw new ErrnoException(Errno.ENAMETOOLONG);
            }
            out[length++] = '/';
            for (int k = from; k < i; k++) {
                out[length++] = p.byteAt(k);
            }
        }
        if (length == 0) {
            return null;
        }
        ByteString guest = ByteString.of(out, 0, length);
        for (Mount m : table().lookup()) {
            if (m.guestPath().equals(ByteString.ROOT)) {
                if (m.fsRoot().isEmpty() && hiddenHostTree(guest)) {
                    return null;
                }
                return new Resolved(guest, m.fsRoot().concat(guest), m);
            }
            if (guest.startsWith(m.guestPath())
                    && (guest.length() == m.guestPath().length() || guest.byteAt(m.guestPath().length()) == '/')) {
                return null;
            }
        }
        throw new IllegalStateException("no mount at /");
    }

    /** Whether the absolute {@code guestPath}'s first component is a host tree jlx hides (/proc, /sys). */
    private static boolean hiddenHostTree(ByteString guestPath) {
        int end = guestPath.indexOf((byte) '/', 1);
        ByteString first = guestPath.substring(1, end < 0 ? guestPath.length() : end);
        return HIDDEN_HOST_TREES.contains(first);
    }

    /**
     * Mount points directly inside the guest directory {@code guestDirectory}, as names. A mount
     * point need not exist in the file system below it; listings show it anyway, as a directory.
     */
    public List<ByteString> mountPointsIn(ByteString guestDirectory) {
        List<ByteString> dir = guestDirectory.components();
        List<ByteString> names = new ArrayList<>();
        for (Mount m : table().lookup()) {
            List<ByteString> c = m.components();
            if (c.size() == dir.size() + 1 && c.subList(0, dir.size()).equals(dir)) {
                names.add(c.getLast());
            }
        }
        return names;
    }

    private Mount mountOf(List<ByteString> components) {
        return mountOf(table(), components);
    }

    private static Mount mountOf(Table t, List<ByteString> components) {
        for (Mount m : t.lookup()) {
            List<ByteString> prefix = m.components();
            if (components.size() >= prefix.size() && components.subList(0, prefix.size()).equals(prefix)) {
                return m;
            }
        }
        throw new IllegalStateException("no mount at /");
    }

    /** The path of {@code components} inside mount {@code m}'s file system. */
    private static ByteString inMount(Mount m, List<ByteString> components) {
        List<ByteString> rest = components.subList(m.components().size(), components.size());
        return rest.isEmpty() && !m.fsRoot().isEmpty() ? m.fsRoot() : m.fsRoot().concat(ByteString.absolute(rest));
    }

    /**
     * chroot(2)'s view: {@code directory} (a resolved directory) becomes "/", the mounts below it
     * keep their places under it, and nothing outside it can be named any more (".." stops at the
     * new root, absolute link targets start there). The view follows the run's table as it changes.
     */
    public Vfs chroot(Resolved directory) {
        Vfs run = base == null ? this : base;
        List<ByteString> newRoot = new ArrayList<>(root);
        newRoot.addAll(directory.guestPath().components());
        return new Vfs(run, newRoot);
    }
}
