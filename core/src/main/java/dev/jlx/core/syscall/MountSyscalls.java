package dev.jlx.core.syscall;

import static dev.jlx.abi.MountFlags.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Procfs;
import dev.jlx.core.fs.Sysfs;
import dev.jlx.core.fs.Tmpfs;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * mount(2) and umount2(2) on the caller's mount namespace's table (fs/namespace.c: path_mount,
 * path_umount): new tmpfs, proc, sysfs and devpts instances, bind mounts of what the guest can name,
 * remounts, moves and propagation types, each checked in Linux's order. A propagation type is kept
 * and shown but nothing propagates, between namespaces either.
 */
final class MountSyscalls {
    /** The per-mount ST_* bits mount(2) sets (MNT_NOSUID ... MNT_RELATIME as statfs reports them). */
    private static final long ST_NODIRATIME = 0x800;
    private static final long ATIME_BITS = Statfs.ST_NOATIME | ST_NODIRATIME | Statfs.ST_RELATIME;
    private static final long PROPAGATION = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;
    /** Peer group ids of shared mounts (mnt_group_ida): run-wide, from 1. */
    private static final java.util.concurrent.atomic.AtomicInteger GROUPS = new java.util.concurrent.atomic.AtomicInteger();

    private MountSyscalls() {}

    /**
     * Implements Linux syscall mount(2): the type, source and data are copied first (EFAULT), then
     * the mount point is walked (following links), then path_mount's checks.
     */
    static long mount(GuestThread t, Args a) throws ErrnoException {
        ByteString type = mountString(t, a.addr(2));
        ByteString source = mountString(t, a.addr(0));
        String data = mountData(t, a.addr(4));
        long flags = a.u64(3);
        Vfs.Resolved target = existing(t, FileSyscalls.path(t, a.addr(1)), true);
        if ((flags & MS_MGC_MSK) == MS_MGC_VAL) {
            flags &= ~MS_MGC_MSK;
        }
        if ((flags & MS_NOUSER) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        if (!p.credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        long st = stFlags(flags);
        boolean readOnly = (flags & MS_RDONLY) != 0;
        if ((flags & MS_REMOUNT) != 0 && (flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)) == 0) {
            st = st & ~ATIME_BITS | effectiveFlags(target.mount()) & ATIME_BITS;
        }
        Vfs vfs = p.fsView().vfs();
        if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) {
            Mount m = mountRoot(target);
            vfs.change(List.of(), Set.of(), List.of(m.withFlags(readOnly, st)));
            return 0;
        }
        if ((flags & MS_REMOUNT) != 0) {
            Mount m = mountRoot(target);
            checkOptions(m.fs(), data, true);
            vfs.change(List.of(), Set.of(), List.of(m.withFlags(readOnly, st)));
            vfs.setSuperReadOnly(m.fs(), readOnly || hasOption(data, "ro"));
            return 0;
        }
        if ((flags & MS_BIND) != 0) {
            return bind(t, vfs, target, source, (flags & MS_REC) != 0);
        }
        if ((flags & PROPAGATION) != 0) {
            return changeType(vfs, target, flags);
        }
        if ((flags & MS_MOVE) != 0) {
            return move(t, vfs, target, source);
        }
        return newMount(t, vfs, target, type, source, data, readOnly, st);
    }

    /** Per-mount ST_* bits of mount(2)'s flags, relatime unless noatime or strictatime (path_mount). */
    private static long stFlags(long flags) {
        long st = (flags & MS_NOATIME) == 0 ? Statfs.ST_RELATIME : 0;
        st |= (flags & MS_NOSUID) != 0 ? Statfs.ST_NOSUID : 0;
        st |= (flags & MS_NODEV) != 0 ? Statfs.ST_NODEV : 0;
        st |= (flags & MS_NOEXEC) != 0 ? Statfs.ST_NOEXEC : 0;
        st |= (flags & MS_NOATIME) != 0 ? Statfs.ST_NOATIME : 0;
        st |= (flags & MS_NODIRATIME) != 0 ? ST_NODIRATIME : 0;
        if ((flags & MS_STRICTATIME) != 0) {
            st &= ~(Statfs.ST_RELATIME | Statfs.ST_NOATIME);
        }
        return st;
    }

    /** A mount's ST_* bits, those of its file system for a mount the run started with. */
    static long effectiveFlags(Mount m) {
        if (m.flags() != Mount.FROM_FS) {
            return m.flags();
        }
        try {
            return m.fs().statfs(ByteString.ROOT).flags() & ~Statfs.ST_RDONLY;
        } catch (ErrnoException gone) {
            return Statfs.ST_RELATIME;
        }
    }

    /** copy_mount_string: null for a null pointer, EFAULT, EINVAL past PATH_MAX bytes. */
    private static ByteString mountString(GuestThread t, long address) throws ErrnoException {
        if (address == 0) {
            return null;
        }
        try {
            return ByteString.of(t.process().space().memory().readCString(address, Vfs.PATH_MAX));
        } catch (ErrnoException e) {
            throw e.errno() == Errno.ENAMETOOLONG ? new ErrnoException(Errno.EINVAL) : e;
        }
    }

    /**
     * copy_mount_options: the data up to its page's end, as far as it can be read (EFAULT when not
     * one byte can), taken as a NUL-terminated string (jlx's file systems take text options only).
     */
    private static String mountData(GuestThread t, long address) throws ErrnoException {
        if (address == 0) {
            return null;
        }
        int size = (int) (4096 - (address & 4095));
        byte[] out = new byte[size];
        int n = 0;
        for (; n < size; n++) {
            try {
                out[n] = t.process().space().memory().readByte(address + n);
            } catch (ErrnoException fault) {
                if (n == 0) {
                    throw fault;
                }
                break;
            }
            if (out[n] == 0) {
                break;
            }
        }
        return new String(out, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A walked path that must name something (user_path_at): ENOENT when it does not. */
    private static Vfs.Resolved existing(GuestThread t, ByteString path, boolean follow) throws ErrnoException {
        Vfs.Resolved r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, path, follow);
        r.fs().stat(r.path(), follow);
        return r;
    }

    /** The mount whose root {@code r} is: EINVAL when it is no mount's root (path_mounted). */
    private static Mount mountRoot(Vfs.Resolved r) throws ErrnoException {
        if (!r.guestPath().equals(r.mount().guestPath())) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return r.mount();
    }

    private static boolean isDirectory(Vfs.Resolved r) throws ErrnoException {
        return (r.fs().stat(r.path(), true).mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
    }

    /** The mounts strictly below {@code m} in the table, deepest last (the order they are listed). */
    static List<Mount> below(Vfs vfs, Mount m) {
        ByteString prefix = m.guestPath().child(ByteString.EMPTY);
        List<Mount> out = new ArrayList<>();
        for (Mount sub : vfs.mounts()) {
            if (sub.id() != m.id() && (m.guestPath().equals(ByteString.ROOT) || sub.guestPath().startsWith(prefix))) {
                out.add(sub);
            }
        }
        return out;
    }

    /** {@code sub}'s guest path moved from below {@code from} to below {@code to}. */
    private static ByteString rebase(ByteString path, ByteString from, ByteString to) {
        ByteString rest = path.substring(from.equals(ByteString.ROOT) ? 0 : from.length());
        return to.equals(ByteString.ROOT) ? rest : to.concat(rest);
    }

    /** do_loopback: a new mount of what {@code source} names (and, MS_REC, of the mounts below it) at {@code target}. */
    private static long bind(GuestThread t, Vfs vfs, Vfs.Resolved target, ByteString source, boolean recursive)
            throws ErrnoException {
        if (source == null || source.isEmpty()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs.Resolved from = existing(t, source, true);
        Mount old = from.mount();
        if (old.propagation() == MS_UNBINDABLE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (isDirectory(target) != isDirectory(from)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        List<Mount> added = new ArrayList<>();
        ByteString fsRoot = from.path().equals(ByteString.ROOT) ? ByteString.EMPTY : from.path();
        added.add(clone(old, target.guestPath(), fsRoot));
        if (recursive) {
            ByteString prefix = from.guestPath().child(ByteString.EMPTY);
            for (Mount sub : vfs.mounts()) {
                if (sub.id() != old.id() && sub.propagation() != MS_UNBINDABLE
                        && (from.guestPath().equals(ByteString.ROOT) || sub.guestPath().startsWith(prefix))) {
                    added.add(clone(sub, rebase(sub.guestPath(), from.guestPath(), target.guestPath()), sub.fsRoot()));
                }
            }
        }
        vfs.change(added, Set.of(), List.of());
        return 0;
    }

    /** clone_mnt: a new mount of {@code m}'s file system with its flags; a shared one joins its peer group. */
    private static Mount clone(Mount m, ByteString at, ByteString fsRoot) {
        long type = m.propagation() == MS_SHARED ? MS_SHARED : 0;
        return new Mount(at, m.fs(), m.readOnly(), fsRoot, 0, m.flags(), m.source(), type, type == 0 ? 0 : m.group(),
                m.superReadOnly());
    }

    /** do_change_type: one propagation type for the mount (and, MS_REC, those below it). */
    private static long changeType(Vfs vfs, Vfs.Resolved target, long flags) throws ErrnoException {
        Mount m = mountRoot(target);
        long type = flags & ~(MS_REC | MS_SILENT);
        if ((type & ~PROPAGATION) != 0 || Long.bitCount(type) != 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        List<Mount> all = new ArrayList<>(List.of(m));
        if ((flags & MS_REC) != 0) {
            all.addAll(below(vfs, m));
        }
        List<Mount> changed = new ArrayList<>();
        for (Mount each : all) {
            changed.add(withType(each, type));
        }
        vfs.change(List.of(), Set.of(), changed);
        return 0;
    }

    /** {@code m} with propagation type {@code type} (change_mnt_propagation). */
    static Mount withType(Mount m, long type) {
        if (type == MS_SHARED) {
            return m.propagation() == MS_SHARED ? m : m.withPropagation(MS_SHARED, GROUPS.incrementAndGet());
        }
        // A slave of no master (no other peer in this one namespace) is private (do_make_slave).
        return m.withPropagation(type == MS_UNBINDABLE ? MS_UNBINDABLE : 0, 0);
    }

    /** do_move_mount_old: the mount whose root {@code source} names, with those below it, to {@code target}. */
    private static long move(GuestThread t, Vfs vfs, Vfs.Resolved target, ByteString source) throws ErrnoException {
        if (source == null || source.isEmpty()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return move(vfs, target, existing(t, source, true));
    }

    /** do_move_mount: the mount whose root {@code from} is, with those below it, to {@code target}. */
    static long move(Vfs vfs, Vfs.Resolved target, Vfs.Resolved from) throws ErrnoException {
        Mount old = from.mount();
        Mount parent = vfs.parentOf(old);
        if (parent == null || !from.guestPath().equals(old.guestPath())
                || isDirectory(target) != isDirectory(from) || parent.propagation() == MS_SHARED) {
            throw new ErrnoException(Errno.EINVAL);
        }
        for (Mount on = target.mount(); on != null; on = vfs.parentOf(on)) {
            if (on.id() == old.id()) {
                throw new ErrnoException(Errno.ELOOP);
            }
        }
        List<Mount> changed = new ArrayList<>();
        changed.add(old.at(target.guestPath()));
        for (Mount sub : below(vfs, old)) {
            changed.add(sub.at(rebase(sub.guestPath(), old.guestPath(), target.guestPath())));
        }
        vfs.change(List.of(), Set.of(), changed);
        return 0;
    }

    /** do_new_mount: a new instance of a file system jlx can make; ENODEV for any other type. */
    private static long newMount(GuestThread t, Vfs vfs, Vfs.Resolved target, ByteString type, ByteString source,
            String data, boolean readOnly, long st) throws ErrnoException {
        if (type == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        FileSystem fs = newFileSystem(t, type, data);
        if (!isDirectory(target)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        boolean superReadOnly = readOnly || hasOption(data, "ro");
        Mount m = new Mount(target.guestPath(), fs, readOnly, ByteString.EMPTY, 0, st,
                source == null ? ByteString.of("none") : source, 0, 0, superReadOnly);
        vfs.change(List.of(m), Set.of(), List.of());
        return 0;
    }

    /** The types jlx makes new instances of, with their options checked (EINVAL for one the type does not know). */
    static FileSystem newFileSystem(GuestThread t, ByteString type, String data) throws ErrnoException {
        GuestProcess p = t.process();
        FileSystem fs = switch (type.latin1()) {
            case "tmpfs" -> {
                int[] owner = {p.credentials().fsuid(), p.credentials().fsgid(), 01777};
                tmpfsOptions(data, owner);
                yield new Tmpfs(owner[0], owner[1], owner[2], p.kernel().host().files());
            }
            case "proc" -> new Procfs(null, null);
            case "sysfs" -> new Sysfs(null, null);
            case "devpts" -> new dev.jlx.core.tty.Devpts();
            default -> {
                p.kernel().warnOnce("mount:" + type.latin1(), "mount of file system type " + type.latin1()
                        + ": jlx makes tmpfs, proc, sysfs and devpts only: ENODEV");
                throw new ErrnoException(Errno.ENODEV);
            }
        };
        checkOptions(fs, data, false);
        return fs;
    }

    /** The superblock flags any file system takes in its data (vfs_parse_sb_flag). */
    private static final Set<String> SB_OPTIONS = Set.of("ro", "rw", "sync", "async", "dirsync", "lazytime",
            "nolazytime", "mand", "nomand", "iversion", "noiversion");

    private static boolean hasOption(String data, String name) {
        return data != null && List.of(data.split(",")).contains(name);
    }

    /** Each option of {@code data} must be one the file system knows (EINVAL otherwise). */
    private static void checkOptions(FileSystem fs, String data, boolean remount) throws ErrnoException {
        if (data == null || data.isEmpty()) {
            return;
        }
        for (String option : data.split(",")) {
            String key = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            boolean known = option.isEmpty() || SB_OPTIONS.contains(option) || switch (fs) {
                case Tmpfs tmp -> Set.of("size", "nr_blocks", "nr_inodes", "mode", "uid", "gid", "huge", "mpol",
                        "inode32", "inode64", "noswap").contains(key);
                case Procfs proc -> Set.of("hidepid", "gid", "subset").contains(key);
                case dev.jlx.core.tty.Devpts pts -> Set.of("uid", "gid", "mode", "ptmxmode", "newinstance", "max")
                        .contains(key);
                default -> false;
            };
            if (!known) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        if (fs instanceof Tmpfs && !remount) {
            tmpfsOptions(data, new int[3]);
        }
    }

    /**
     * tmpfs's mode=, uid= and gid= into {@code owner} (uid, gid, mode); size=, nr_blocks= and
     * nr_inodes= are checked but jlx's tmpfs has no limit (README Quirks).
     */
    private static void tmpfsOptions(String data, int[] owner) throws ErrnoException {
        if (data == null || data.isEmpty()) {
            return;
        }
        for (String option : data.split(",")) {
            int eq = option.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = option.substring(0, eq);
            String value = option.substring(eq + 1);
            try {
                switch (key) {
                    case "mode" -> owner[2] = Integer.parseInt(value, 8) & 07777;
                    case "uid" -> owner[0] = Integer.parseUnsignedInt(value);
                    case "gid" -> owner[1] = Integer.parseUnsignedInt(value);
                    case "size", "nr_blocks", "nr_inodes" -> {
                        String digits = value.replaceFirst("[kKmMgGtTpPeE%]$", "");
                        Long.parseUnsignedLong(digits);
                    }
                    default -> { }
                }
            } catch (NumberFormatException bad) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
    }

    /**
     * Implements Linux syscall umount2(2): flags first, then the walk, then can_umount's checks (the
     * capability, then whether the path is a mount point) and do_umount's (MNT_EXPIRE marks first and
     * unmounts the next time, EBUSY for a mount in use).
     */
    static long umount2(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(1);
        if ((flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Vfs.Resolved r = existing(t, FileSyscalls.path(t, a.addr(0)), (flags & UMOUNT_NOFOLLOW) == 0);
        GuestProcess p = t.process();
        // can_umount: may_mount before whether the path is a mount point.
        if (!p.credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        Mount m = mountRoot(r);
        Vfs vfs = p.fsView().vfs();
        boolean processRoot = vfs.mountOf(ByteString.ROOT).id() == m.id();
        if ((flags & MNT_EXPIRE) != 0) {
            if (processRoot || (flags & (MNT_FORCE | MNT_DETACH)) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (!vfs.markExpired(m.id())) {
                throw new ErrnoException(Errno.EAGAIN);
            }
        }
        if (processRoot && (flags & MNT_DETACH) == 0) {
            // Linux remounts the root read-only instead; jlx keeps its root as it is.
            p.kernel().warnOnce("umount:root", "umount2 of the root: EBUSY");
            throw new ErrnoException(Errno.EBUSY);
        }
        Set<Integer> gone = new HashSet<>();
        gone.add(m.id());
        if ((flags & MNT_DETACH) != 0) {
            below(vfs, m).forEach(sub -> gone.add(sub.id()));
        } else if (!below(vfs, m).isEmpty() || inUse(p, m)) {
            throw new ErrnoException(Errno.EBUSY);
        }
        vfs.change(List.of(), gone, List.of());
        return 0;
    }

    /**
     * Whether a guest process of the caller's mount namespace has a working directory or an open file
     * on {@code m} (propagate_mount_busy; another namespace's copies keep the mount's id).
     */
    private static boolean inUse(GuestProcess caller, Mount m) {
        for (GuestProcess p : caller.kernel().processes()) {
            if (p.namespaces().mnt() != caller.namespaces().mnt()) {
                continue;
            }
            GuestProcess.FsView view = p.fsView();
            try {
                if (view.vfs().walked(view.cwd()).mount().id() == m.id()) {
                    return true;
                }
            } catch (ErrnoException gone) {
                // A working directory that went away holds nothing.
            }
            int highest = p.fds().highest();
            for (int fd = 0; fd <= highest; fd++) {
                try {
                    OpenFile f = p.fds().peek(fd);
                    if (f instanceof VfsFile v && v.mount() != null && v.mount().id() == m.id()) {
                        return true;
                    }
                } catch (ErrnoException closed) {
                    // No descriptor there.
                }
            }
        }
        return false;
    }
}
