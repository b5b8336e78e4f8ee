package dev.jlx.core.syscall;

import static dev.jlx.abi.MountFlags.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.DetachedMount;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.FsContext;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The file-descriptor mount API (fs/fsopen.c, fs/namespace.c): fsopen, fspick, fsconfig, fsmount,
 * move_mount, open_tree and mount_setattr, on the same run-wide table as mount(2), with Linux's
 * checks in Linux's order.
 */
final class NewMountSyscalls {
    private static final int PAGE = 4096;
    private static final long ST_NODIRATIME = 0x800;
    private static final int FSMOUNT_VALID_FLAGS = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
            | MOUNT_ATTR_NOEXEC | MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW;
    private static final int AT_RECURSIVE = 0x8000;

    private NewMountSyscalls() {}

    private static boolean mayMount(GuestThread t) {
        return t.process().credentials().capable(GuestProcess.CAP_SYS_ADMIN);
    }

    /** strndup_user: EFAULT, EINVAL when no NUL comes within {@code max} bytes. */
    private static ByteString userString(GuestThread t, long address, int max) throws ErrnoException {
        try {
            return ByteString.of(t.process().space().memory().readCString(address, max - 1));
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENAMETOOLONG ? new ErrnoException(Errno.EINVAL) : e;
        }
    }

    /** Whether jlx makes instances of {@code type} (mount(2)'s types). */
    private static boolean knownType(ByteString type) {
        return Set.of("tmpfs", "proc", "sysfs", "devpts").contains(type.latin1());
    }

    /** Implements Linux syscall fsopen(2): a context for a new file system of a type jlx makes (ENODEV for others). */
    static long fsopen(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(1);
        if (!mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~FSOPEN_CLOEXEC) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString type = userString(t, a.addr(0), PAGE);
        if (!knownType(type)) {
            t.process().kernel().warnOnce("mount:" + type.latin1(), "fsopen of file system type " + type.latin1()
                    + ": jlx makes tmpfs, proc, sysfs and devpts only: ENODEV");
            throw new ErrnoException(Errno.ENODEV);
        }
        return FileSyscalls.installNew(t.process(), new FsContext(type), (flags & FSOPEN_CLOEXEC) != 0);
    }

    /**
     * The walk of a *at call with AT_EMPTY_PATH-style {@code emptyPath}: "" names {@code dirfd}'s
     * file itself (the cwd for AT_FDCWD), else the path relative to it.
     */
    static Vfs.Resolved at(GuestThread t, int dirfd, ByteString path, boolean follow, boolean emptyPath)
            throws ErrnoException {
        GuestProcess.FsView view = t.process().fsView();
        if (path.isEmpty() && emptyPath) {
            if (dirfd == Fcntl.AT_FDCWD) {
                return view.vfs().walked(view.cwd());
            }
            OpenFile f = t.process().fds().get(dirfd);
            if (!(f instanceof VfsFile h) || h.guestPath() == null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return view.vfs().resolve(ByteString.ROOT, h.guestPath(), false);
        }
        Vfs.Resolved r = view.vfs().resolve(FileSyscalls.base(t, view, dirfd, path), path, follow);
        r.fs().stat(r.path(), follow);
        return r;
    }

    /** Implements Linux syscall fspick(2): a context to reconfigure the mount whose root the path names. */
    static long fspick(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        if (!mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~(FSPICK_CLOEXEC | FSPICK_SYMLINK_NOFOLLOW | FSPICK_NO_AUTOMOUNT | FSPICK_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = FileSyscalls.path(t, a.addr(1));
        Vfs.Resolved r = at(t, a.fd(0), path, (flags & FSPICK_SYMLINK_NOFOLLOW) == 0, (flags & FSPICK_EMPTY_PATH) != 0);
        if (!r.guestPath().equals(r.mount().guestPath())) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return FileSyscalls.installNew(t.process(), new FsContext(r.mount()), (flags & FSPICK_CLOEXEC) != 0);
    }

    /**
     * Implements Linux syscall fsconfig(2): the arguments checked for the command, the context, the
     * key and value copied, then the parameter or command applied (vfs_fsconfig_locked).
     */
    static long fsconfig(GuestThread t, Args a) throws ErrnoException {
        int fd = a.i32(0);
        int cmd = a.i32(1);
        long key = a.addr(2);
        long value = a.addr(3);
        int aux = a.i32(4);
        if (fd < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean bad = switch (cmd) {
            case FSCONFIG_SET_FLAG -> key == 0 || value != 0 || aux != 0;
            case FSCONFIG_SET_STRING -> key == 0 || value == 0 || aux != 0;
            case FSCONFIG_SET_BINARY -> key == 0 || value == 0 || aux <= 0 || aux > 1024 * 1024;
            case FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY -> key == 0 || value == 0
                    || (aux != Fcntl.AT_FDCWD && aux < 0);
            case FSCONFIG_SET_FD -> key == 0 || value != 0 || aux < 0;
            case FSCONFIG_CMD_CREATE, FSCONFIG_CMD_RECONFIGURE, FSCONFIG_CMD_CREATE_EXCL -> key != 0 || value != 0
                    || aux != 0;
            default -> throw new ErrnoException(Errno.EOPNOTSUPP);
        };
        if (bad) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (!(notPath(t, fd) instanceof FsContext fc)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        String name = key == 0 ? null : userString(t, key, 256).latin1();
        String string = null;
        switch (cmd) {
            case FSCONFIG_SET_STRING -> string = userString(t, value, 256).latin1();
            case FSCONFIG_SET_BINARY -> t.process().space().memory().read(value, aux);
            case FSCONFIG_SET_PATH, FSCONFIG_SET_PATH_EMPTY -> {
                ByteString p = FileSyscalls.path(t, value);
                if (p.isEmpty() && cmd == FSCONFIG_SET_PATH) {
                    throw new ErrnoException(Errno.ENOENT);
                }
            }
            case FSCONFIG_SET_FD -> t.process().fds().get(aux);
            default -> { }
        }
        synchronized (fc) {
            if (fc.phase() == FsContext.Phase.AWAITING_RECONF) {
                fc.phase(FsContext.Phase.RECONF_PARAMS);
            }
            switch (cmd) {
                case FSCONFIG_CMD_CREATE, FSCONFIG_CMD_CREATE_EXCL -> create(t, fc);
                case FSCONFIG_CMD_RECONFIGURE -> reconfigure(t, fc);
                default -> parameter(t, fc, cmd, name, string);
            }
        }
        return 0;
    }

    /** fdget: the file at {@code fd}, EBADF for none or an O_PATH one. */
    private static OpenFile notPath(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if ((f.statusFlags() & OpenFlags.O_PATH) != 0) {
            throw new ErrnoException(Errno.EBADF);
        }
        return f;
    }

    /** vfs_cmd_create: the file system made from the parameters given (EBUSY out of turn). */
    private static void create(GuestThread t, FsContext fc) throws ErrnoException {
        if (fc.phase() != FsContext.Phase.CREATE_PARAMS) {
            throw new ErrnoException(Errno.EBUSY);
        }
        if (!mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        try {
            fc.created(MountSyscalls.newFileSystem(t, fc.type(), String.join(",", fc.options())));
        } catch (ErrnoException e) {
            fc.phase(FsContext.Phase.FAILED);
            throw e;
        }
        fc.phase(FsContext.Phase.AWAITING_MOUNT);
    }

    /** vfs_cmd_reconfigure: "ro" or "rw" given make the file system read-only or writable as a whole. */
    private static void reconfigure(GuestThread t, FsContext fc) throws ErrnoException {
        if (fc.phase() != FsContext.Phase.RECONF_PARAMS) {
            throw new ErrnoException(Errno.EBUSY);
        }
        if (!mayMount(t)) {
            fc.phase(FsContext.Phase.FAILED);
            throw new ErrnoException(Errno.EPERM);
        }
        List<String> options = fc.options();
        if (options.contains("ro") || options.contains("rw")) {
            t.process().fsView().vfs().setSuperReadOnly(fc.created(), options.lastIndexOf("ro") > options.lastIndexOf("rw"));
        }
        fc.phase(FsContext.Phase.AWAITING_RECONF);
    }

    /** The superblock flags any file system takes (vfs_parse_sb_flag). */
    private static final Set<String> SB_FLAGS = Set.of("ro", "rw", "sync", "async", "dirsync", "lazytime",
            "nolazytime", "mand", "nomand", "iversion", "noiversion");

    /** vfs_parse_fs_param: "source", a superblock flag, or one of the file system's parameters. */
    private static void parameter(GuestThread t, FsContext fc, int cmd, String key, String string)
            throws ErrnoException {
        if (fc.phase() != FsContext.Phase.CREATE_PARAMS && fc.phase() != FsContext.Phase.RECONF_PARAMS) {
            throw new ErrnoException(Errno.EBUSY);
        }
        if (SB_FLAGS.contains(key) && cmd == FSCONFIG_SET_FLAG) {
            fc.option(key);
            return;
        }
        if (key.equals("source")) {
            if (cmd != FSCONFIG_SET_STRING) {
                throw new ErrnoException(Errno.EINVAL);
            }
            fc.source(ByteString.of(string));
            return;
        }
        String type = fc.type() != null ? fc.type().latin1()
                : fc.created() instanceof dev.jlx.core.fs.Tmpfs ? "tmpfs"
                : fc.created() instanceof dev.jlx.core.fs.Procfs ? "proc"
                : fc.created() instanceof dev.jlx.core.tty.Devpts ? "devpts" : "";
        Set<String> strings = switch (type) {
            case "tmpfs" -> Set.of("size", "nr_blocks", "nr_inodes", "mode", "uid", "gid", "huge", "mpol");
            case "proc" -> Set.of("hidepid", "gid", "subset");
            case "devpts" -> Set.of("uid", "gid", "mode", "ptmxmode", "max");
            default -> Set.of();
        };
        Set<String> flags = switch (type) {
            case "tmpfs" -> Set.of("inode32", "inode64", "noswap");
            case "devpts" -> Set.of("newinstance");
            default -> Set.of();
        };
        boolean ok = cmd == FSCONFIG_SET_STRING ? strings.contains(key) : cmd == FSCONFIG_SET_FLAG && flags.contains(key);
        if (!ok) {
            throw new ErrnoException(Errno.EINVAL);
        }
        String option = string == null ? key : key + "=" + string;
        if (type.equals("tmpfs") && fc.type() != null) {
            MountSyscalls.newFileSystem(t, fc.type(), option);
        }
        fc.option(option);
    }

    /** MOUNT_ATTR_* bits as the ST_* bits of a mount (attr_flags_to_mnt_flags). */
    private static long stOf(long attr) {
        long st = 0;
        st |= (attr & MOUNT_ATTR_NOSUID) != 0 ? Statfs.ST_NOSUID : 0;
        st |= (attr & MOUNT_ATTR_NODEV) != 0 ? Statfs.ST_NODEV : 0;
        st |= (attr & MOUNT_ATTR_NOEXEC) != 0 ? Statfs.ST_NOEXEC : 0;
        st |= (attr & MOUNT_ATTR_NODIRATIME) != 0 ? ST_NODIRATIME : 0;
        return st;
    }

    /** Implements Linux syscall fsmount(2): a detached mount of the context's created file system. */
    static long fsmount(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(1);
        long attr = a.u64(2) & 0xffffffffL;
        if (!mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~FSMOUNT_CLOEXEC) != 0 || (attr & ~(long) FSMOUNT_VALID_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long st = stOf(attr);
        switch ((int) (attr & MOUNT_ATTR__ATIME)) {
            case MOUNT_ATTR_STRICTATIME -> { }
            case MOUNT_ATTR_NOATIME -> st |= Statfs.ST_NOATIME;
            case MOUNT_ATTR_RELATIME -> st |= Statfs.ST_RELATIME;
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        if (!(notPath(t, a.fd(0)) instanceof FsContext fc)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Mount m;
        synchronized (fc) {
            FileSystem fs = fc.created();
            if (fs == null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (fc.phase() != FsContext.Phase.AWAITING_MOUNT) {
                throw new ErrnoException(Errno.EBUSY);
            }
            boolean ro = (attr & MOUNT_ATTR_RDONLY) != 0;
            m = new Mount(ByteString.ROOT, fs, ro, ByteString.EMPTY, 0, st,
                    fc.source() == null ? ByteString.of("none") : fc.source(), 0, 0, fc.options().contains("ro"));
            fc.phase(FsContext.Phase.AWAITING_RECONF);
        }
        return FileSyscalls.installNew(t.process(), new DetachedMount(List.of(m)), (flags & FSMOUNT_CLOEXEC) != 0);
    }

    /** getname_maybe_null: null for "" (or a null pointer) when {@code empty} allows it, else the path (EFAULT, ENOENT...). */
    private static ByteString nameMaybeNull(GuestThread t, long address, boolean empty) throws ErrnoException {
        if (empty && address == 0) {
            return null;
        }
        ByteString p = FileSyscalls.path(t, address);
        if (p.isEmpty()) {
            if (empty) {
                return null;
            }
            throw new ErrnoException(Errno.ENOENT);
        }
        return p;
    }

    /** One end of move_mount: a detached tree's descriptor, or a walked path. */
    private record End(DetachedMount detached, Vfs.Resolved path) {}

    private static End end(GuestThread t, int dirfd, ByteString name, boolean follow) throws ErrnoException {
        if (name == null && dirfd >= 0) {
            OpenFile f = t.process().fds().get(dirfd);
            if (f instanceof DetachedMount d && d.attachedId() == 0) {
                return new End(d, null);
            }
            if (f instanceof DetachedMount d) {
                // Attached since: the descriptor names that mount wherever it is now.
                GuestProcess.FsView view = t.process().fsView();
                Mount m = view.vfs().mountById(d.attachedId());
                if (m == null) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return new End(null, view.vfs().resolve(ByteString.ROOT, m.guestPath(), false));
            }
            return new End(null, at(t, dirfd, ByteString.EMPTY, follow, true));
        }
        if (name == null) {
            // An empty path with AT_FDCWD or a negative descriptor: the walk's answer for "".
            return new End(null, at(t, dirfd, ByteString.EMPTY, follow, dirfd == Fcntl.AT_FDCWD));
        }
        return new End(null, at(t, dirfd, name, follow, false));
    }

    /** Implements Linux syscall move_mount(2): a mount of the table or a detached tree onto a path. */
    static long move_mount(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(4);
        if (!mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~MOVE_MOUNT__MASK) != 0
                || (flags & (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP)) == (MOVE_MOUNT_BENEATH | MOVE_MOUNT_SET_GROUP)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // Linux 6.18 takes and walks the target's name first, then the source's.
        ByteString toName = nameMaybeNull(t, a.addr(3), (flags & MOVE_MOUNT_T_EMPTY_PATH) != 0);
        End to = end(t, a.fd(2), toName, (flags & MOVE_MOUNT_T_SYMLINKS) != 0);
        ByteString fromName = nameMaybeNull(t, a.addr(1), (flags & MOVE_MOUNT_F_EMPTY_PATH) != 0);
        End from = end(t, a.fd(0), fromName, (flags & MOVE_MOUNT_F_SYMLINKS) != 0);
        if (to.detached() != null) {
            t.process().kernel().warnOnce("move_mount:into-detached", "move_mount into a detached mount: EINVAL");
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & (MOVE_MOUNT_SET_GROUP | MOVE_MOUNT_BENEATH)) != 0) {
            t.process().kernel().warnOnce("move_mount:flags", "move_mount with MOVE_MOUNT_SET_GROUP or BENEATH: EINVAL");
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs vfs = t.process().fsView().vfs();
        Vfs.Resolved target = to.path();
        if (from.detached() != null) {
            List<Mount> tree = from.detached().tree();
            if (tree == null || isDirectory(target) != isDirectory(tree.getFirst())) {
                throw new ErrnoException(Errno.EINVAL);
            }
            List<Mount> added = new ArrayList<>();
            DetachedMount d = from.detached();
            for (Mount m : d.take()) {
                added.add(m.at(m.guestPath().equals(ByteString.ROOT) ? target.guestPath()
                        : target.guestPath().equals(ByteString.ROOT) ? m.guestPath() : target.guestPath().concat(m.guestPath())));
            }
            d.attached(vfs.change(added, Set.of(), List.of()).getFirst());
            return 0;
        }
        return MountSyscalls.move(vfs, target, from.path());
    }

    private static boolean isDirectory(Vfs.Resolved r) throws ErrnoException {
        return (r.fs().stat(r.path(), true).mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
    }

    private static boolean isDirectory(Mount m) throws ErrnoException {
        ByteString root = m.fsRoot().isEmpty() ? ByteString.ROOT : m.fsRoot();
        return (m.fs().stat(root, true).mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
    }

    /**
     * Implements Linux syscall open_tree(2): an O_PATH descriptor of the path, or with OPEN_TREE_CLONE
     * a detached copy of its mount (AT_RECURSIVE: with the mounts below it).
     */
    static long open_tree(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        int known = Fcntl.AT_EMPTY_PATH | Fcntl.AT_NO_AUTOMOUNT | AT_RECURSIVE | Fcntl.AT_SYMLINK_NOFOLLOW
                | OPEN_TREE_CLONE | OpenFlags.O_CLOEXEC;
        if ((flags & ~known) != 0 || (flags & (AT_RECURSIVE | OPEN_TREE_CLONE)) == AT_RECURSIVE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean clone = (flags & OPEN_TREE_CLONE) != 0;
        if (clone && !mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        ByteString path = FileSyscalls.path(t, a.addr(1));
        boolean follow = (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0;
        Vfs.Resolved r = at(t, a.fd(0), path, follow, (flags & Fcntl.AT_EMPTY_PATH) != 0);
        boolean cloexec = (flags & OpenFlags.O_CLOEXEC) != 0;
        GuestProcess.FsView view = t.process().fsView();
        if (!clone) {
            OpenFile f = view.vfs().open(ByteString.ROOT, r.guestPath(), OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW, 0);
            return FileSyscalls.installNew(t.process(), f, cloexec);
        }
        Mount old = r.mount();
        if (old.propagation() == MS_UNBINDABLE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        List<Mount> tree = new ArrayList<>();
        ByteString fsRoot = r.path().equals(ByteString.ROOT) ? ByteString.EMPTY : r.path();
        tree.add(new Mount(ByteString.ROOT, old.fs(), old.readOnly(), fsRoot, 0, old.flags(), old.source(), 0, 0,
                old.superReadOnly()));
        if ((flags & AT_RECURSIVE) != 0) {
            ByteString prefix = r.guestPath().child(ByteString.EMPTY);
            for (Mount sub : view.vfs().mounts()) {
                if (sub.id() != old.id() && sub.propagation() != MS_UNBINDABLE
                        && (r.guestPath().equals(ByteString.ROOT) || sub.guestPath().startsWith(prefix))) {
                    ByteString rest = r.guestPath().equals(ByteString.ROOT) ? sub.guestPath()
                            : sub.guestPath().substring(r.guestPath().length());
                    tree.add(new Mount(rest, sub.fs(), sub.readOnly(), sub.fsRoot(), 0, sub.flags(), sub.source(), 0, 0,
                            sub.superReadOnly()));
                }
            }
        }
        return FileSyscalls.installNew(t.process(), new DetachedMount(tree), cloexec);
    }

    /**
     * Implements Linux syscall mount_setattr(2): struct mount_attr checked (its size, trailing
     * zeros, the attributes and propagation), then the mount whose root the path names changed
     * (AT_RECURSIVE: with the mounts below it). MOUNT_ATTR_IDMAP needs a user namespace
     * descriptor, which jlx has none of (EINVAL, EBADF as Linux finds the descriptor).
     */
    static long mount_setattr(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        long address = a.addr(3);
        long size = a.u64(4);
        if ((flags & ~(Fcntl.AT_EMPTY_PATH | AT_RECURSIVE | Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_NO_AUTOMOUNT)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(size, PAGE) > 0) {
            throw new ErrnoException(Errno.E2BIG);
        }
        if (size < MOUNT_ATTR_SIZE_VER0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (!mayMount(t)) {
            throw new ErrnoException(Errno.EPERM);
        }
        GuestMemory memory = t.process().space().memory();
        if (size > MOUNT_ATTR_SIZE_VER0) {
            byte[] rest = memory.read(address + MOUNT_ATTR_SIZE_VER0, (int) size - MOUNT_ATTR_SIZE_VER0);
            for (byte b : rest) {
                if (b != 0) {
                    throw new ErrnoException(Errno.E2BIG);
                }
            }
        }
        ByteBuffer b = ByteBuffer.wrap(memory.read(address, MOUNT_ATTR_SIZE_VER0)).order(ByteOrder.LITTLE_ENDIAN);
        long set = b.getLong(0);
        long clr = b.getLong(8);
        long propagation = b.getLong(16);
        long usernsFd = b.getLong(24);
        if (set == 0 && clr == 0 && propagation == 0) {
            return 0;
        }
        if (propagation != 0 && propagation != MS_UNBINDABLE && propagation != MS_PRIVATE && propagation != MS_SLAVE
                && propagation != MS_SHARED) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long valid = FSMOUNT_VALID_FLAGS | MOUNT_ATTR_IDMAP;
        if (((set | clr) & ~valid) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long stSet = stOf(set);
        long stClr = stOf(clr);
        if ((clr & MOUNT_ATTR__ATIME) != 0) {
            if ((clr & MOUNT_ATTR__ATIME) != MOUNT_ATTR__ATIME) {
                throw new ErrnoException(Errno.EINVAL);
            }
            stClr |= Statfs.ST_RELATIME | Statfs.ST_NOATIME;
            switch ((int) (set & MOUNT_ATTR__ATIME)) {
                case MOUNT_ATTR_RELATIME -> stSet |= Statfs.ST_RELATIME;
                case MOUNT_ATTR_NOATIME -> stSet |= Statfs.ST_NOATIME;
                case MOUNT_ATTR_STRICTATIME -> { }
                default -> throw new ErrnoException(Errno.EINVAL);
            }
        } else if ((set & MOUNT_ATTR__ATIME) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (((set | clr) & MOUNT_ATTR_IDMAP) != 0) {
            if ((clr & MOUNT_ATTR_IDMAP) != 0 || Long.compareUnsigned(usernsFd, Integer.MAX_VALUE) > 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            t.process().fds().get((int) usernsFd);
            // No descriptor jlx gives is a user namespace's (proc_ns_file).
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = FileSyscalls.path(t, a.addr(1));
        Vfs.Resolved r = at(t, a.fd(0), path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0,
                (flags & Fcntl.AT_EMPTY_PATH) != 0);
        Mount m = r.mount();
        if (!r.guestPath().equals(m.guestPath())) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs vfs = t.process().fsView().vfs();
        List<Mount> all = new ArrayList<>(List.of(m));
        if ((flags & AT_RECURSIVE) != 0) {
            all.addAll(MountSyscalls.below(vfs, m));
        }
        List<Mount> changed = new ArrayList<>();
        for (Mount each : all) {
            long st = MountSyscalls.effectiveFlags(each) & ~stClr | stSet;
            boolean ro = (each.readOnly() && (clr & MOUNT_ATTR_RDONLY) == 0) || (set & MOUNT_ATTR_RDONLY) != 0;
            Mount next = each.withFlags(ro, st);
            if (propagation != 0) {
                next = MountSyscalls.withType(next, propagation);
            }
            changed.add(next);
        }
        vfs.change(List.of(), Set.of(), changed);
        return 0;
    }

    /** The first unique mount id is past this (MNT_UNIQUE_ID_OFFSET): statmount's and listmount's ids are jlx's plus it. */
    static final long MNT_UNIQUE_ID_OFFSET = 1L << 31;
    private static final long LSMT_ROOT = -1L;
    private static final int LISTMOUNT_REVERSE = 1;
    private static final int MNT_ID_REQ_SIZE_VER0 = 24;
    private static final int MNT_ID_REQ_SIZE_LATEST = 32;
    /** The one mount namespace's id, as statmount's mnt_ns_id and mnt_id_req's mnt_ns_id name it. */
    private static final long MNT_NS_ID = 1;
    /** sizeof(struct statmount): its fixed part; the strings follow. */
    private static final int STATMOUNT_SIZE = 512;
    private static final int STATMOUNT_SB_BASIC = 0x1;
    private static final int STATMOUNT_MNT_BASIC = 0x2;
    private static final int STATMOUNT_PROPAGATE_FROM = 0x4;
    private static final int STATMOUNT_MNT_ROOT = 0x8;
    private static final int STATMOUNT_MNT_POINT = 0x10;
    private static final int STATMOUNT_FS_TYPE = 0x20;
    private static final int STATMOUNT_MNT_NS_ID = 0x40;
    private static final int STATMOUNT_SB_SOURCE = 0x200;
    private static final int STATMOUNT_STRINGS = STATMOUNT_MNT_ROOT | STATMOUNT_MNT_POINT | STATMOUNT_FS_TYPE
            | STATMOUNT_SB_SOURCE;

    /** struct mnt_id_req as copy_mnt_id_req checks it: mnt_id, param, mnt_ns_id. */
    private record MntIdReq(long mntId, long param, long nsId) {}

    private static MntIdReq mntIdReq(GuestThread t, long address) throws ErrnoException {
        GuestMemory memory = t.process().space().memory();
        int size = memory.readInt(address);
        if (Integer.compareUnsigned(size, PAGE) > 0) {
            throw new ErrnoException(Errno.E2BIG);
        }
        if (Integer.compareUnsigned(size, MNT_ID_REQ_SIZE_VER0) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (size > MNT_ID_REQ_SIZE_LATEST) {
            for (byte b : memory.read(address + MNT_ID_REQ_SIZE_LATEST, size - MNT_ID_REQ_SIZE_LATEST)) {
                if (b != 0) {
                    throw new ErrnoException(Errno.E2BIG);
                }
            }
        }
        ByteBuffer b = ByteBuffer.allocate(MNT_ID_REQ_SIZE_LATEST).order(ByteOrder.LITTLE_ENDIAN);
        b.put(memory.read(address, Math.min(size, MNT_ID_REQ_SIZE_LATEST)));
        int nsFd = b.getInt(4);
        long nsId = b.getLong(24);
        if (nsFd != 0 && nsId != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (nsFd != 0) {
            // No descriptor jlx gives is a mount namespace's.
            t.process().fds().get(nsFd);
            throw new ErrnoException(Errno.EINVAL);
        }
        long mntId = b.getLong(8);
        if (Long.compareUnsigned(mntId, MNT_UNIQUE_ID_OFFSET) <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (nsId != 0 && nsId != MNT_NS_ID) {
            throw new ErrnoException(Errno.ENOENT);
        }
        return new MntIdReq(mntId, b.getLong(16), nsId);
    }

    /** The mount of unique id {@code unique} in the caller's view: ENOENT for none. */
    private static Mount byUniqueId(Vfs vfs, long unique) throws ErrnoException {
        Mount m = unique - MNT_UNIQUE_ID_OFFSET > Integer.MAX_VALUE ? null : vfs.mountById(unique - MNT_UNIQUE_ID_OFFSET);
        if (m == null) {
            throw new ErrnoException(Errno.ENOENT);
        }
        return m;
    }

    /**
     * Implements Linux syscall listmount(2): the unique ids of the mounts below a mount (LSMT_ROOT:
     * the caller's root, itself included), in id order or reversed, from past {@code param}.
     */
    static long listmount(GuestThread t, Args a) throws ErrnoException {
        long idsAddr = a.addr(1);
        long count = a.u64(2);
        int flags = a.i32(3);
        if ((flags & ~LISTMOUNT_REVERSE) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(count, 1_000_000) > 0) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        GuestMemory.accessOk(idsAddr, count * 8);
        MntIdReq req = mntIdReq(t, a.addr(0));
        long last = req.param();
        if (last != 0 && Long.compareUnsigned(last, MNT_UNIQUE_ID_OFFSET) <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs vfs = t.process().fsView().vfs();
        Mount parent = req.mntId() == LSMT_ROOT ? vfs.mountOf(ByteString.ROOT) : byUniqueId(vfs, req.mntId());
        List<Mount> order = new ArrayList<>(vfs.mounts());
        order.sort(java.util.Comparator.comparingInt(Mount::id));
        boolean reverse = (flags & LISTMOUNT_REVERSE) != 0;
        if (reverse) {
            order = order.reversed();
        }
        ByteString prefix = parent.guestPath().child(ByteString.EMPTY);
        List<Long> ids = new ArrayList<>();
        for (Mount m : order) {
            long unique = MNT_UNIQUE_ID_OFFSET + m.id();
            if (ids.size() == count || (last != 0 && (reverse ? unique >= last : unique <= last))) {
                if (ids.size() == count) {
                    break;
                }
                continue;
            }
            if (unique == req.mntId()) {
                continue;
            }
            boolean below = m.id() == parent.id() || parent.guestPath().equals(ByteString.ROOT)
                    || m.guestPath().startsWith(prefix) || m.guestPath().equals(parent.guestPath());
            if (below) {
                ids.add(unique);
            }
        }
        GuestMemory memory = t.process().space().memory();
        for (int i = 0; i < ids.size(); i++) {
            memory.writeLong(idsAddr + 8L * i, ids.get(i));
        }
        return ids.size();
    }

    /**
     * Implements Linux syscall statmount(2): struct statmount of a mount, the parts {@code param}
     * asks for among SB_BASIC, MNT_BASIC, PROPAGATE_FROM, MNT_ROOT, MNT_POINT, FS_TYPE, MNT_NS_ID and
     * SB_SOURCE (others are left out of the mask), strings after the fixed part (EOVERFLOW when they
     * do not fit).
     */
    static long statmount(GuestThread t, Args a) throws ErrnoException {
        long buf = a.addr(1);
        long bufsize = a.u64(2);
        if (a.raw(3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        MntIdReq req = mntIdReq(t, a.addr(0));
        GuestMemory.accessOk(buf, bufsize);
        long mask = req.param();
        if ((mask & STATMOUNT_STRINGS) != 0 && bufsize == STATMOUNT_SIZE) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        Vfs vfs = t.process().fsView().vfs();
        Mount m = byUniqueId(vfs, req.mntId());
        ByteBuffer sm = ByteBuffer.allocate(STATMOUNT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        java.io.ByteArrayOutputStream strings = new java.io.ByteArrayOutputStream();
        long got = 0;
        ByteString root = m.fsRoot().isEmpty() ? ByteString.ROOT : m.fsRoot();
        if ((mask & STATMOUNT_SB_BASIC) != 0) {
            dev.jlx.core.host.HostStat st = m.fs().stat(root, true);
            long dev = st.dev();
            sm.putInt(16, (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL)));
            sm.putInt(20, (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL)));
            dev.jlx.core.host.HostStatfs fs = m.fs().statfs(root);
            sm.putLong(24, fs.type());
            sm.putInt(32, m.superReadOnly() || (fs.flags() & Statfs.ST_RDONLY) != 0 ? 1 : 0);
            got |= STATMOUNT_SB_BASIC;
        }
        if ((mask & STATMOUNT_MNT_BASIC) != 0) {
            Mount parent = vfs.parentOf(m);
            sm.putLong(40, MNT_UNIQUE_ID_OFFSET + m.id());
            sm.putLong(48, MNT_UNIQUE_ID_OFFSET + (parent == null ? m.id() : parent.id()));
            sm.putInt(56, m.id());
            sm.putInt(60, parent == null ? dev.jlx.core.fs.proc.MountTable.ROOTFS_PARENT : parent.id());
            long st = MountSyscalls.effectiveFlags(m);
            long attr = (m.readOnly() ? MOUNT_ATTR_RDONLY : 0) | ((st & Statfs.ST_NOSUID) != 0 ? MOUNT_ATTR_NOSUID : 0)
                    | ((st & Statfs.ST_NODEV) != 0 ? MOUNT_ATTR_NODEV : 0)
                    | ((st & Statfs.ST_NOEXEC) != 0 ? MOUNT_ATTR_NOEXEC : 0)
                    | ((st & ST_NODIRATIME) != 0 ? MOUNT_ATTR_NODIRATIME : 0)
                    | ((st & Statfs.ST_NOATIME) != 0 ? MOUNT_ATTR_NOATIME
                            : (st & Statfs.ST_RELATIME) != 0 ? MOUNT_ATTR_RELATIME : MOUNT_ATTR_STRICTATIME);
            sm.putLong(64, attr);
            sm.putLong(72, m.propagation() == 0 ? MS_PRIVATE : m.propagation());
            sm.putLong(80, m.propagation() == MS_SHARED ? m.group() : 0);
            got |= STATMOUNT_MNT_BASIC;
        }
        if ((mask & STATMOUNT_PROPAGATE_FROM) != 0) {
            got |= STATMOUNT_PROPAGATE_FROM;
        }
        ByteString source = m.source();
        if (source == null) {
            source = m.fs() instanceof dev.jlx.core.fs.HostDirectoryFs h ? h.hostDirectory() : null;
        }
        String type = dev.jlx.core.fs.proc.MountTable.typeName(m);
        // do_statmount's order; the strings start with an empty one, so that offset 0 names none.
        ByteString[] texts = {ByteString.of(type), root, m.guestPath(), source};
        int[] bits = {STATMOUNT_FS_TYPE, STATMOUNT_MNT_ROOT, STATMOUNT_MNT_POINT, STATMOUNT_SB_SOURCE};
        int[] offsets = {36, 104, 108, 124};
        if ((mask & STATMOUNT_STRINGS) != 0) {
            strings.write(0);
        }
        for (int i = 0; i < texts.length; i++) {
            if ((mask & bits[i]) == 0 || texts[i] == null) {
                continue;
            }
            byte[] text = texts[i].toByteArray();
            if (STATMOUNT_SIZE + strings.size() + text.length + 1 > bufsize) {
                throw new ErrnoException(Errno.EOVERFLOW);
            }
            sm.putInt(offsets[i], strings.size());
            strings.write(text, 0, text.length);
            strings.write(0);
            got |= bits[i];
        }
        if ((mask & STATMOUNT_MNT_NS_ID) != 0) {
            sm.putLong(112, MNT_NS_ID);
            got |= STATMOUNT_MNT_NS_ID;
        }
        sm.putLong(8, got);
        int copy = (int) Math.min(bufsize, STATMOUNT_SIZE);
        sm.putInt(0, copy + strings.size());
        GuestMemory memory = t.process().space().memory();
        if (strings.size() > 0) {
            memory.write(buf + STATMOUNT_SIZE, strings.toByteArray());
        }
        memory.write(buf, sm.array(), 0, copy);
        return 0;
    }
}
