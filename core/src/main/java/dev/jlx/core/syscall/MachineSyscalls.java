package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;

/**
 * Calls about the machine as a run sees it, a container with its own PID namespace: reboot(2)
 * ends the run as reboot_pid_ns ends a namespace, acct(2) accounts for its processes
 * ({@link dev.jlx.core.kernel.Accounting}); quotactl(2) finds no disk quotas, since no
 * file system of jlx's lies on a block device or keeps quotas (as tmpfs mounted without them).
 */
final class MachineSyscalls {
    static final int LINUX_REBOOT_MAGIC1 = 0xfee1dead;
    static final int LINUX_REBOOT_MAGIC2 = 672274793;
    static final int LINUX_REBOOT_MAGIC2A = 85072278;
    static final int LINUX_REBOOT_MAGIC2B = 369367448;
    static final int LINUX_REBOOT_MAGIC2C = 537993216;
    static final int LINUX_REBOOT_CMD_RESTART = 0x01234567;
    static final int LINUX_REBOOT_CMD_HALT = 0xcdef0123;
    static final int LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
    static final int LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;

    private MachineSyscalls() {}

    /**
     * Implements Linux syscall reboot(2) in a PID namespace other than the initial one: CAP_SYS_BOOT
     * (EPERM), the magic numbers (EINVAL), then reboot_pid_ns: RESTART and RESTART2 end the run as
     * by SIGHUP, POWER_OFF and HALT as by SIGINT, the caller exiting with 0; any other command
     * (CAD_ON and CAD_OFF included) is EINVAL. RESTART2's string is not read, as there.
     */
    static long reboot(GuestThread t, Args a) throws ErrnoException {
        if (!t.process().credentials().capable(GuestProcess.CAP_SYS_BOOT)) {
            throw new ErrnoException(Errno.EPERM);
        }
        t.process().usedPrivilege();
        int magic2 = a.i32(1);
        if (a.i32(0) != LINUX_REBOOT_MAGIC1 || (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A
                && magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int signal = switch (a.i32(2)) {
            case LINUX_REBOOT_CMD_RESTART, LINUX_REBOOT_CMD_RESTART2 -> Signals.SIGHUP;
            case LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_CMD_HALT -> Signals.SIGINT;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        t.process().kernel().reboot(t.process(), signal);
        return 0;
    }

    private static final long PROC_SUPER_MAGIC = 0x9fa0;
    private static final long SYSFS_MAGIC = 0x62656572;

    /**
     * Implements Linux syscall acct(2) in acct_on's order: CAP_SYS_PACCT (EPERM), the name (getname's
     * errors), its open O_WRONLY|O_APPEND (the open's errors: ENOENT, EACCES, EISDIR, EROFS...), EACCES
     * for what is not a regular file, EINVAL on proc and sysfs. NULL turns accounting off. Switching
     * or turning off writes a record of the caller to the old file first, as Linux.
     */
    static long acct(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        if (!p.credentials().capable(GuestProcess.CAP_SYS_PACCT)) {
            throw new ErrnoException(Errno.EPERM);
        }
        p.usedPrivilege();
        if (a.addr(0) == 0) {
            p.kernel().accounting().set(null, p);
            return 0;
        }
        ByteString path = FileSyscalls.path(t, a.addr(0));
        GuestProcess.FsView view = p.fsView();
        OpenFile f = view.vfs().open(FileSyscalls.base(t, view, Fcntl.AT_FDCWD, path), path,
                OpenFlags.O_WRONLY | OpenFlags.O_APPEND | OpenFlags.O_LARGEFILE, 0, 0);
        try {
            if ((f.stat().mode() & FileMode.S_IFMT) != FileMode.S_IFREG) {
                throw new ErrnoException(Errno.EACCES);
            }
            long type = f.statfs().type();
            if (type == PROC_SUPER_MAGIC || type == SYSFS_MAGIC) {
                throw new ErrnoException(Errno.EINVAL);
            }
        } catch (ErrnoException e) {
            f.close();
            throw e;
        }
        p.kernel().accounting().set(f, p);
        return 0;
    }

    /** quotactl's command word (linux/quota.h): the command above SUBCMDSHIFT, the type below. */
    private static final int SUBCMDSHIFT = 8;
    private static final int SUBCMDMASK = 0xff;
    private static final int MAXQUOTAS = 3;
    private static final int Q_SYNC = 0x800001;
    private static final int Q_GETFMT = 0x800004;
    private static final int Q_GETINFO = 0x800005;
    /** The XFS commands that only read (XQM_CMD(n) = 'X' << 8 | n). */
    private static final int Q_XGETQUOTA = 0x5803;
    private static final int Q_XGETQSTAT = 0x5805;
    private static final int Q_XQUOTASYNC = 0x5807;
    private static final int Q_XGETQSTATV = 0x5808;
    private static final int Q_XGETNEXTQUOTA = 0x5809;

    /**
     * Implements Linux syscall quotactl(2) in its order of checks: the type (EINVAL), no device
     * (Q_SYNC of every file system with quotas, none: 0; else ENODEV), then the device's path as
     * lookup_bdev resolves it (getname's EFAULT, ENAMETOOLONG and ENOENT for "", the walk's errors,
     * ENOTBLK for what is not a block device, EACCES on a nodev mount). No jlx file system lies on
     * a block device, so a block device node names no mounted one: ENODEV.
     */
    static long quotactl(GuestThread t, Args a) throws ErrnoException {
        int cmds = a.i32(0) >>> SUBCMDSHIFT;
        int type = a.i32(0) & SUBCMDMASK;
        if (type >= MAXQUOTAS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (a.addr(1) == 0) {
            if (cmds == Q_SYNC) {
                return 0;
            }
            throw new ErrnoException(Errno.ENODEV);
        }
        // Q_QUOTAON's quota file (addr) is looked up first, but its error only matters to a file
        // system with quotas, which none is.
        Vfs.Resolved r = FileSyscalls.resolve(t, Fcntl.AT_FDCWD, FileSyscalls.path(t, a.addr(1)), true);
        if ((r.fs().stat(r.path(), true).mode() & FileMode.S_IFMT) != FileMode.S_IFBLK) {
            throw new ErrnoException(Errno.ENOTBLK);
        }
        Mount m = r.mount();
        long flags = m.flags() != Mount.FROM_FS ? m.flags() : r.fs().statfs(r.path()).flags();
        if ((flags & Statfs.ST_NODEV) != 0) {
            throw new ErrnoException(Errno.EACCES);
        }
        throw new ErrnoException(Errno.ENODEV);
    }

    /**
     * Implements Linux syscall quotactl_fd(2): the descriptor (EBADF; an O_PATH one will do), the
     * type (EINVAL), a read-only mount for a command that may write (EROFS), then the file system's
     * quota operations: a host directory on ext4 answers as ext4 with quotas off
     * ({@link #ext4QuotasOff}); every other file system of jlx's has none: ENOSYS, as tmpfs mounted
     * without quotas.
     */
    static long quotactl_fd(GuestThread t, Args a) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        int cmds = a.i32(1) >>> SUBCMDSHIFT;
        int type = a.i32(1) & SUBCMDMASK;
        if (type >= MAXQUOTAS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Mount m = f instanceof VfsFile v ? v.mount() : null;
        boolean reads = switch (cmds) {
            case Q_GETFMT, Q_GETINFO, Q_SYNC, Q_XGETQSTAT, Q_XGETQSTATV, Q_XGETQUOTA, Q_XGETNEXTQUOTA,
                    Q_XQUOTASYNC -> true;
            default -> false;
        };
        if (!reads && m != null && m.refusesWrites()) {
            throw new ErrnoException(Errno.EROFS);
        }
        if (m == null || f.statfs().type() != EXT4_SUPER_MAGIC) {
            throw new ErrnoException(Errno.ENOSYS);
        }
        return ext4QuotasOff(t, cmds, type, a.i32(2), a.addr(3), m.superReadOnly());
    }

    private static final long EXT4_SUPER_MAGIC = 0xef53;
    private static final int Q_QUOTAON = 0x800002;
    private static final int Q_QUOTAOFF = 0x800003;
    private static final int Q_SETINFO = 0x800006;
    private static final int Q_GETQUOTA = 0x800007;
    private static final int Q_SETQUOTA = 0x800008;
    private static final int Q_GETNEXTQUOTA = 0x800009;
    private static final int Q_XQUOTAON = 0x5801;
    private static final int Q_XQUOTAOFF = 0x5802;
    private static final int Q_XSETQLIM = 0x5804;
    private static final int Q_XQUOTARM = 0x5806;
    /** if_dqinfo's valid bits (IIF_BGRACE, IIF_IGRACE, IIF_FLAGS) and the one flag Q_SETINFO may set (DQF_ROOT_SQUASH). */
    private static final int IIF_ALL = 7;
    private static final int DQF_SETINFO_MASK = 1;
    private static final int IF_DQINFO_SIZE = 24;
    private static final int IF_DQBLK_SIZE = 72;
    private static final int FS_DISK_QUOTA_SIZE = 112;
    private static final int FS_QSTATV_VERSION1 = 1;
    /** fs_disk_quota's d_fieldmask bits (linux/dqblk_xfs.h): the timers, the realtime one, the warnings. */
    private static final int FS_DQ_TIMER_MASK = 0x1c0;
    private static final int FS_DQ_RTBTIMER = 0x100;
    private static final int FS_DQ_WARNS_MASK = 0xe00;

    /**
     * do_quotactl on ext4 with no quota switched on (its quota operations, none active): the caller's
     * permission (CAP_SYS_ADMIN but for the queries, and Q_GETQUOTA of one's own uid or group), then
     * each command's own checks in the kernel's order: what it copies in first (EFAULT), the
     * operations ext4 lacks (ENOSYS), id -1 (EINVAL), then ESRCH for a quota that is not on; turning
     * quotas off and syncing them succeed, Q_QUOTAON through a descriptor has no quota file (EINVAL).
     */
    private static long ext4QuotasOff(GuestThread t, int cmds, int type, int id, long addr, boolean superReadOnly)
            throws ErrnoException {
        GuestProcess.Credentials c = t.process().credentials();
        boolean query = switch (cmds) {
            case Q_GETFMT, Q_SYNC, Q_GETINFO, Q_XGETQSTAT, Q_XGETQSTATV, Q_XQUOTASYNC -> true;
            case Q_GETQUOTA, Q_XGETQUOTA -> type == 0 && c.euid() == id || type == 1 && inEgroup(c, id);
            default -> false;
        };
        if (!query && !c.capable(GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (!query) {
            t.process().usedPrivilege();
        }
        var memory = t.process().space().memory();
        switch (cmds) {
            case Q_QUOTAON -> throw new ErrnoException(Errno.EINVAL);
            case Q_QUOTAOFF, Q_SYNC -> {
                return 0;
            }
            case Q_GETFMT, Q_GETINFO -> throw new ErrnoException(Errno.ESRCH);
            case Q_SETINFO -> {
                java.nio.ByteBuffer info = memory.readStruct(addr, IF_DQINFO_SIZE);
                int valid = info.getInt(20);
                if ((valid & ~IIF_ALL) != 0 || (valid & 4) != 0 && (info.getInt(16) & ~DQF_SETINFO_MASK) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                throw new ErrnoException(Errno.ESRCH);
            }
            case Q_GETQUOTA, Q_GETNEXTQUOTA, Q_XGETQUOTA, Q_XGETNEXTQUOTA -> {
                throw new ErrnoException(id == -1 ? Errno.EINVAL : Errno.ESRCH);
            }
            case Q_SETQUOTA, Q_XSETQLIM -> {
                java.nio.ByteBuffer q = memory.readStruct(addr, cmds == Q_SETQUOTA ? IF_DQBLK_SIZE : FS_DISK_QUOTA_SIZE);
                if (id == -1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                // Q_XSETQLIM of id 0 with timers or warnings sets them for all first (set_info), where
                // dquot_set_dqinfo refuses the warning limits and the realtime timer.
                int fieldmask = cmds == Q_XSETQLIM ? q.getShort(2) & 0xffff : 0;
                if (id == 0 && (fieldmask & (FS_DQ_WARNS_MASK | FS_DQ_TIMER_MASK)) != 0
                        && (fieldmask & (FS_DQ_WARNS_MASK | FS_DQ_RTBTIMER)) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                throw new ErrnoException(Errno.ESRCH);
            }
            case Q_XQUOTAON, Q_XQUOTAOFF, Q_XQUOTARM -> {
                memory.readInt(addr);
                throw new ErrnoException(Errno.ENOSYS);
            }
            case Q_XGETQSTAT -> throw new ErrnoException(Errno.ENOSYS);
            case Q_XGETQSTATV -> {
                if (memory.readByte(addr) != FS_QSTATV_VERSION1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                throw new ErrnoException(Errno.ENOSYS);
            }
            case Q_XQUOTASYNC -> {
                if (superReadOnly) {
                    throw new ErrnoException(Errno.EROFS);
                }
                return 0;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** in_egroup_p: the effective group or a supplementary one. */
    private static boolean inEgroup(GuestProcess.Credentials c, int gid) {
        if (c.egid() == gid) {
            return true;
        }
        for (int g : c.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }
}
