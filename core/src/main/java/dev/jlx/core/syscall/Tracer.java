package dev.jlx.core.syscall;

import dev.jlx.abi.ArchPrctl;
import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Ioctl;
import dev.jlx.abi.Mman;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Resource;
import dev.jlx.abi.Signals;
import dev.jlx.abi.SyscallNr;
import dev.jlx.abi.struct.Stat;
import dev.jlx.abi.struct.Statx;
import dev.jlx.abi.struct.StatxTimestamp;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.mem.GuestMemory;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints one strace-format line per syscall, from the argument formats in the table: {@code
 * write(1, "hi\n", 3) = 3}, {@code openat(AT_FDCWD, "/x", O_RDONLY) = -1 ENOENT (No such file or
 * directory)}. A line is printed when the call returns, so output buffers show what was read.
 */
final class Tracer {
    static final int STRING_LIMIT = 32;
    private static final ArgFormat[] RAW = {ArgFormat.PTR, ArgFormat.PTR, ArgFormat.PTR, ArgFormat.PTR,
        ArgFormat.PTR, ArgFormat.PTR};

    private final PrintStream out;

    Tracer(PrintStream out) {
        this.out = out;
    }

    void trace(GuestThread thread, SyscallEntry entry, long[] regs, long result) {
        StringBuilder line = new StringBuilder(96);
        if (thread.tid() != Kernel.FIRST_PID) {
            // As strace -f: the lines of every task but the first say whose they are, since tasks interleave.
            line.append("[pid ").append(thread.tid()).append("] ");
        }
        String name = entry != null ? entry.name() : "syscall_" + regs[0];
        line.append(name).append('(');
        ArgFormat[] formats = entry != null ? entry.args() : RAW;
        GuestMemory mem = thread.process().space().memory();
        long[] args = java.util.Arrays.copyOfRange(regs, 1, 7);
        int[] before = BEFORE.get();
        for (int i = 0; i < formats.length; i++) {
            if (i > 0) {
                line.append(", ");
            }
            long next = i + 1 < formats.length ? regs[2 + i] : 0;
            if (!SocketTrace.format(line, formats[i], args, i, before, result, mem)) {
                format(line, formats[i], regs[1 + i], next, result, mem);
            }
        }
        line.append(") = ");
        if (regs[0] == SyscallNr.EXIT_GROUP || regs[0] == SyscallNr.EXIT) {
            line.append('?');
        } else if (result < 0 && result >= -4095) {
            Errno e = Errno.of((int) -result);
            line.append("-1 ").append(e != null ? e.name() + " (" + e.message() + ")" : Long.toString(-result));
        } else {
            format(line, entry != null ? entry.result() : ArgFormat.LONG, result, 0, result, mem);
        }
        synchronized (out) {
            out.println(line);
        }
    }

    /** The value-result lengths as they were when the call began, by argument (strace's {@code [128 => 9]}). */
    private static final ThreadLocal<int[]> BEFORE = ThreadLocal.withInitial(() -> new int[6]);

    /** Notes what a call's value-result arguments hold before it runs. */
    void enter(GuestThread thread, SyscallEntry entry, long[] regs) {
        SocketTrace.enter(entry.args(), regs, BEFORE.get(), thread.process().space().memory());
    }

    static void format(StringBuilder b, ArgFormat f, long v, long next, long result, GuestMemory mem) {
        switch (f) {
            case INT -> b.append((int) v);
            case FD -> b.append((int) v);
            case SIZE -> b.append(Long.toUnsignedString(v));
            case LONG -> b.append(v);
            case PTR -> b.append(v == 0 ? "NULL" : "0x" + Long.toHexString(v));
            case OCTAL -> b.append('0').append(Integer.toOctalString((int) v));
            case DIRFD -> b.append((int) v == Fcntl.AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v));
            case PATH -> string(b, v, -1, mem);
            case BUF_IN -> string(b, v, next, mem);
            case BUF_OUT -> {
                if (result >= 0) {
                    string(b, v, result, mem);
                } else {
                    b.append("0x").append(Long.toHexString(v));
                }
            }
            case OPEN_FLAGS -> {
                int acc = (int) v & OpenFlags.O_ACCMODE;
                b.append(acc == OpenFlags.O_RDONLY ? "O_RDONLY" : acc == OpenFlags.O_WRONLY ? "O_WRONLY" : "O_RDWR");
                long rest = flags(b, v & ~OpenFlags.O_ACCMODE & ~OpenFlags.O_LARGEFILE, Names.OPEN, true);
                if (rest != 0) {
                    b.append("|0").append(Long.toOctalString(rest));
                }
            }
            case PROT -> flagsOrZero(b, v, Names.PROT, "PROT_NONE");
            case MAP_FLAGS -> flagsOrZero(b, v, Names.MAP, "0");
            case AT_FLAGS -> flagsOrZero(b, v, Names.AT, "0");
            case UFFD_FLAGS -> {
                long uffd = v & 0xffffffffL;
                int start = b.length();
                if ((uffd & 1) != 0) {
                    b.append("UFFD_USER_MODE_ONLY");
                }
                long rest = flags(b, uffd & ~1, Names.OPEN, b.length() > start);
                if (rest != 0) {
                    b.append(b.length() > start ? "|" : "").append("0x").append(Long.toHexString(rest));
                } else if (b.length() == start) {
                    b.append('0');
                }
            }
            case CLONE_FLAGS -> flagsOrZero(b, v, Names.CLONE, "0");
            case FAN_INIT_FLAGS -> {
                int cls = (int) v & dev.jlx.abi.Fanotify.CLASS_BITS;
                b.append(cls == 0 ? "FAN_CLASS_NOTIF" : cls == 4 ? "FAN_CLASS_CONTENT" : cls == 8
                        ? "FAN_CLASS_PRE_CONTENT" : "0xc");
                long rest = flags(b, v & 0xffffffffL & ~dev.jlx.abi.Fanotify.CLASS_BITS, Names.FAN_INIT, true);
                if (rest != 0) {
                    b.append("|0x").append(Long.toHexString(rest));
                }
            }
            case FAN_MARK_FLAGS -> flagsOrZero(b, v & 0xffffffffL, Names.FAN_MARK, "0");
            case FAN_EVENTS -> flagsOrZero(b, v, Names.FAN_EVENT, "0");
            case MPOL_MODE -> {
                int mode = (int) v & ~dev.jlx.abi.Mempolicy.MPOL_MODE_FLAGS;
                String n = Names.MPOL_MODE.get((long) mode);
                b.append(n != null ? n : "0x" + Integer.toHexString(mode));
                long rest = flags(b, (int) v & dev.jlx.abi.Mempolicy.MPOL_MODE_FLAGS, Names.MPOL_MODE_FLAG, true);
                if (rest != 0) {
                    b.append("|0x").append(Long.toHexString(rest));
                }
            }
            case MPOL_MF_FLAGS -> flagsOrZero(b, v & 0xffffffffL, Names.MPOL_MF, "0");
            case MPOL_GET_FLAGS -> flagsOrZero(b, v, Names.MPOL_GET, "0");
            case SIGNAL -> {
                String n = Signals.name((int) v);
                b.append(n != null ? n : Long.toString(v));
            }
            case WHENCE -> b.append(named(Names.SEEK, v));
            case IOCTL_REQ -> {
                String n = Ioctl.name((int) v);
                b.append(n != null ? n : "0x" + Long.toHexString(v));
            }
            case ARCH_CODE -> b.append(named(Names.ARCH, v));
            case CLOCK -> b.append(named(Names.CLOCK, v));
            case RESOURCE -> {
                String n = Resource.name((int) v);
                b.append(n != null ? n : Long.toString(v));
            }
            case SIGMASK_HOW -> b.append(named(Names.SIGHOW, v));
            case PTRACE_REQ -> b.append(named(Names.PTRACE, v));
            case FCNTL_CMD -> b.append(named(Names.FCNTL, v));
            case KEYCTL_OP -> b.append((int) v >= 0 && (int) v < KeySyscalls.OPERATIONS.size()
                    ? KeySyscalls.OPERATIONS.get((int) v) : Integer.toString((int) v));
            case FUTEX_OP -> futexOp(b, (int) v);
            case STAT_OUT -> struct(b, v, result, Stat.SIZE, mem, Tracer::stat);
            case STATX_OUT -> struct(b, v, result, Statx.SIZE, mem, Tracer::statx);
            case IO_URING_PARAMS -> ioUringParams(b, v, result, mem);
            case IO_URING_ENTER_FLAGS -> flagsOrZero(b, v & 0xffffffffL, Names.IO_URING_ENTER, "0");
            default -> b.append("0x").append(Long.toHexString(v));
        }
    }

    /** Prints the fields of a struct the call filled, or its address when it failed or cannot be read. */
    private static void struct(StringBuilder b, long address, long result, int size, GuestMemory mem,
            java.util.function.BiConsumer<StringBuilder, ByteBuffer> fields) {
        if (result < 0 || address == 0) {
            b.append(address == 0 ? "NULL" : "0x" + Long.toHexString(address));
            return;
        }
        try {
            ByteBuffer s = mem.readStruct(address, size);
            b.append('{');
            fields.accept(b, s);
            b.append('}');
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
        }
    }

    /**
     * {@code struct io_uring_params} as strace prints it: the flags and thread fields asked for, and
     * after a success the sizes, features and ring offsets written back.
     */
    private static void ioUringParams(StringBuilder b, long address, long result, GuestMemory mem) {
        ByteBuffer p;
        try {
            p = mem.readStruct(address, dev.jlx.abi.IoUring.PARAMS_SIZE);
        } catch (ErrnoException e) {
            b.append(address == 0 ? "NULL" : "0x" + Long.toHexString(address));
            return;
        }
        b.append("{flags=");
        flagsOrZero(b, p.getInt(8) & 0xffffffffL, Names.IO_URING_SETUP, "0");
        b.append(", sq_thread_cpu=").append(Integer.toUnsignedString(p.getInt(12))).append(", sq_thread_idle=")
                .append(Integer.toUnsignedString(p.getInt(16)));
        if (result >= 0) {
            b.append(", sq_entries=").append(Integer.toUnsignedString(p.getInt(0))).append(", cq_entries=")
                    .append(Integer.toUnsignedString(p.getInt(4))).append(", features=0x")
                    .append(Integer.toHexString(p.getInt(20)));
            String[] sq = {"head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array"};
            String[] cq = {"head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags"};
            b.append(", sq_off={");
            for (int i = 0; i < sq.length; i++) {
                b.append(i == 0 ? "" : ", ").append(sq[i]).append('=').append(Integer.toUnsignedString(p.getInt(40 + 4 * i)));
            }
            b.append("}, cq_off={");
            for (int i = 0; i < cq.length; i++) {
                b.append(i == 0 ? "" : ", ").append(cq[i]).append('=').append(Integer.toUnsignedString(p.getInt(80 + 4 * i)));
            }
            b.append('}');
        }
        b.append('}');
    }

    /** {@code struct stat} as {@code strace -v} prints it (without its date comments). */
    private static void stat(StringBuilder b, ByteBuffer s) {
        int mode = s.getInt(Stat.ST_MODE);
        b.append("st_dev=");
        makedev(b, s.getLong(Stat.ST_DEV));
        b.append(", st_ino=")
                .append(Long.toUnsignedString(s.getLong(Stat.ST_INO))).append(", st_mode=");
        mode(b, mode);
        b.append(", st_nlink=").append(s.getLong(Stat.ST_NLINK)).append(", st_uid=")
                .append(Integer.toUnsignedString(s.getInt(Stat.ST_UID))).append(", st_gid=")
                .append(Integer.toUnsignedString(s.getInt(Stat.ST_GID))).append(", st_blksize=")
                .append(s.getLong(Stat.ST_BLKSIZE)).append(", st_blocks=").append(s.getLong(Stat.ST_BLOCKS));
        int type = mode & FileMode.S_IFMT;
        if (type == FileMode.S_IFCHR || type == FileMode.S_IFBLK) {
            b.append(", st_rdev=");
            makedev(b, s.getLong(Stat.ST_RDEV));
        } else {
            b.append(", st_size=").append(s.getLong(Stat.ST_SIZE));
        }
        b.append(", st_atime=").append(s.getLong(Stat.ST_ATIME)).append(", st_atime_nsec=")
                .append(s.getLong(Stat.ST_ATIME_NSEC)).append(", st_mtime=").append(s.getLong(Stat.ST_MTIME))
                .append(", st_mtime_nsec=").append(s.getLong(Stat.ST_MTIME_NSEC)).append(", st_ctime=")
                .append(s.getLong(Stat.ST_CTIME)).append(", st_ctime_nsec=").append(s.getLong(Stat.ST_CTIME_NSEC));
    }

    /** {@code struct statx} as {@code strace -v} prints it, its masks in hex. */
    private static void statx(StringBuilder b, ByteBuffer s) {
        b.append("stx_mask=0x").append(Integer.toHexString(s.getInt(Statx.STX_MASK))).append(", stx_blksize=")
                .append(Integer.toUnsignedString(s.getInt(Statx.STX_BLKSIZE))).append(", stx_attributes=0x")
                .append(Long.toHexString(s.getLong(Statx.STX_ATTRIBUTES))).append(", stx_nlink=")
                .append(Integer.toUnsignedString(s.getInt(Statx.STX_NLINK))).append(", stx_uid=")
                .append(Integer.toUnsignedString(s.getInt(Statx.STX_UID))).append(", stx_gid=")
                .append(Integer.toUnsignedString(s.getInt(Statx.STX_GID))).append(", stx_mode=");
        mode(b, s.getShort(Statx.STX_MODE) & 0xffff);
        b.append(", stx_ino=").append(Long.toUnsignedString(s.getLong(Statx.STX_INO))).append(", stx_size=")
                .append(s.getLong(Statx.STX_SIZE)).append(", stx_blocks=").append(s.getLong(Statx.STX_BLOCKS))
                .append(", stx_attributes_mask=0x").append(Long.toHexString(s.getLong(Statx.STX_ATTRIBUTES_MASK)));
        String[] times = {"stx_atime", "stx_btime", "stx_ctime", "stx_mtime"};
        int[] offsets = {Statx.STX_ATIME, Statx.STX_BTIME, Statx.STX_CTIME, Statx.STX_MTIME};
        for (int i = 0; i < times.length; i++) {
            b.append(", ").append(times[i]).append("={tv_sec=").append(s.getLong(offsets[i] + StatxTimestamp.TV_SEC))
                    .append(", tv_nsec=").append(Integer.toUnsignedString(s.getInt(offsets[i] + StatxTimestamp.TV_NSEC)))
                    .append('}');
        }
        b.append(", stx_rdev_major=").append(Integer.toUnsignedString(s.getInt(Statx.STX_RDEV_MAJOR)))
                .append(", stx_rdev_minor=").append(Integer.toUnsignedString(s.getInt(Statx.STX_RDEV_MINOR)))
                .append(", stx_dev_major=").append(Integer.toUnsignedString(s.getInt(Statx.STX_DEV_MAJOR)))
                .append(", stx_dev_minor=").append(Integer.toUnsignedString(s.getInt(Statx.STX_DEV_MINOR)))
                .append(", stx_mnt_id=").append(Long.toUnsignedString(s.getLong(Statx.STX_MNT_ID)));
    }

    /** A device number as strace prints it: {@code makedev(0x8, 0x1)}, a zero as {@code 0} (C's {@code %#x}). */
    private static void makedev(StringBuilder b, long dev) {
        b.append("makedev(").append(hex(StatSyscalls.major(dev))).append(", ").append(hex(StatSyscalls.minor(dev)))
                .append(')');
    }

    private static String hex(int v) {
        return v == 0 ? "0" : "0x" + Integer.toHexString(v);
    }

    /** A file mode as strace prints it: the type by name, then the permission bits in octal. */
    private static void mode(StringBuilder b, int mode) {
        String type = Names.FILE_TYPE.get((long) (mode & FileMode.S_IFMT));
        if (type != null) {
            b.append(type).append('|');
        }
        b.append('0').append(Integer.toOctalString(mode & (type != null ? 07777 : 0177777)));
    }

    /** Names of the set bits joined by '|', unnamed bits in hex at the end, {@code zero} for none. */
    static void flagsOrZero(StringBuilder b, long v, Map<Long, String> names, String zero) {
        if (v == 0) {
            b.append(zero);
            return;
        }
        StringBuilder named = new StringBuilder();
        long rest = flags(named, v, names, false);
        if (rest != 0) {
            named.append(named.isEmpty() ? "" : "|").append("0x").append(Long.toHexString(rest));
        }
        b.append(named);
    }

    /** Appends the names of the bits set in {@code v}; returns the bits without a name. */
    private static long flags(StringBuilder b, long v, Map<Long, String> names, boolean leadingBar) {
        long rest = v;
        boolean first = !leadingBar;
        for (Map.Entry<Long, String> e : names.entrySet()) {
            long bits = e.getKey();
            if (bits != 0 && (rest & bits) == bits) {
                b.append(first ? "" : "|").append(e.getValue());
                first = false;
                rest &= ~bits;
            }
        }
        return rest;
    }

    /** futex's commands by value (linux/futex.h). */
    private static final String[] FUTEX_COMMANDS = {"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE",
        "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
        "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"};

    private static void futexOp(StringBuilder b, int op) {
        int cmd = op & dev.jlx.abi.Futex.FUTEX_CMD_MASK;
        if (cmd < 0 || cmd >= FUTEX_COMMANDS.length) {
            b.append("0x").append(Integer.toHexString(op));
            return;
        }
        b.append(FUTEX_COMMANDS[cmd]);
        if ((op & dev.jlx.abi.Futex.FUTEX_PRIVATE_FLAG) != 0) {
            b.append("_PRIVATE");
        }
        if ((op & dev.jlx.abi.Futex.FUTEX_CLOCK_REALTIME) != 0) {
            b.append("|FUTEX_CLOCK_REALTIME");
        }
    }

    static String named(Map<Long, String> names, long v) {
        String n = names.get(v);
        return n != null ? n : Long.toString(v);
    }

    /** Bytes [from, to) of {@code a} quoted as strace quotes a string, with "..." after it when there was {@code more}. */
    static void quote(StringBuilder b, byte[] a, int from, int to, boolean more) {
        b.append('"');
        for (int i = from; i < to; i++) {
            byte c = a[i];
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        b.append((char) c);
                    } else {
                        b.append('\\').append(Integer.toOctalString(c & 0xff));
                    }
                }
            }
        }
        b.append('"');
        if (more) {
            b.append("...");
        }
    }

    static void string(StringBuilder b, long address, long length, GuestMemory mem) {
        if (address == 0) {
            b.append("NULL");
            return;
        }
        try {
            byte[] bytes;
            boolean more;
            if (length < 0) {
                bytes = mem.readCString(address, 4096);
                more = false;
            } else {
                int n = (int) Math.min(length, STRING_LIMIT);
                bytes = mem.read(address, n);
                more = length > STRING_LIMIT;
            }
            quote(b, bytes, 0, bytes.length, more);
        } catch (ErrnoException e) {
            b.append("0x").append(Long.toHexString(address));
        }
    }

    /** Constant names by value, read once from the ABI classes (trace only). */
    static final class Names {
        static final Map<Long, String> OPEN = of(OpenFlags.class, "O_", "O_ACCMODE", "O_RDONLY", "O_WRONLY", "O_RDWR",
                "O_LARGEFILE", "O_NDELAY", "O_FSYNC", "O_RSYNC", "O_DSYNC");
        static final Map<Long, String> PROT = of(Mman.class, "PROT_", "PROT_NONE");
        static final Map<Long, String> IO_URING_SETUP = of(dev.jlx.abi.IoUring.class, "IORING_SETUP_",
                "IORING_SETUP_FLAGS");
        static final Map<Long, String> IO_URING_ENTER = of(dev.jlx.abi.IoUring.class, "IORING_ENTER_",
                "IORING_ENTER_FLAGS");
        static final Map<Long, String> MAP = of(Mman.class, "MAP_", "MAP_FILE", "MAP_TYPE", "MAP_ANON",
                "MAP_EXECUTABLE", "MAP_HUGE_SHIFT", "MAP_HUGE_MASK", "MAP_SHARED_VALIDATE");
        static final Map<Long, String> AT = of(Fcntl.class, "AT_", "AT_FDCWD", "AT_EACCESS");
        /** CLONE_IO is an int's sign bit: the flag is bit 31 of the 64-bit argument. */
        static final Map<Long, String> CLONE = of(dev.jlx.abi.CloneFlags.class, "CLONE_", "CLONE_ARGS_SIZE_VER0",
                "CLONE_ARGS_SIZE_VER1", "CLONE_ARGS_SIZE_VER2", "CLONE_IO");
        static {
            CLONE.put((long) dev.jlx.abi.CloneFlags.CLONE_IO & 0xffffffffL, "CLONE_IO");
        }
        static final Map<Long, String> FAN_MARK = of(dev.jlx.abi.Fanotify.class, "FAN_MARK_", "FAN_MARK_INODE",
                "FAN_MARK_MNTNS");
        static final Map<Long, String> FAN_INIT = of(dev.jlx.abi.Fanotify.class, "FAN_", "FAN_CLASS_NOTIF",
                "FAN_CLASS_CONTENT", "FAN_CLASS_PRE_CONTENT", "FAN_NOFD", "FAN_NOPIDFD", "FAN_ACCESS", "FAN_MODIFY",
                "FAN_ATTRIB", "FAN_CLOSE_WRITE", "FAN_CLOSE_NOWRITE", "FAN_OPEN", "FAN_MOVED_FROM", "FAN_MOVED_TO",
                "FAN_CREATE", "FAN_DELETE", "FAN_DELETE_SELF", "FAN_MOVE_SELF", "FAN_OPEN_EXEC", "FAN_Q_OVERFLOW",
                "FAN_FS_ERROR", "FAN_OPEN_PERM", "FAN_ACCESS_PERM", "FAN_OPEN_EXEC_PERM", "FAN_PRE_ACCESS",
                "FAN_MNT_ATTACH", "FAN_MNT_DETACH", "FAN_EVENT_ON_CHILD", "FAN_RENAME", "FAN_ONDIR",
                "FAN_EVENT_INFO_TYPE_FID", "FAN_EVENT_INFO_TYPE_DFID_NAME", "FAN_EVENT_INFO_TYPE_DFID",
                "FAN_EVENT_INFO_TYPE_PIDFD", "FAN_EVENT_INFO_TYPE_OLD_DFID_NAME", "FAN_EVENT_INFO_TYPE_NEW_DFID_NAME",
                "FAN_MARK_ADD", "FAN_MARK_REMOVE", "FAN_MARK_DONT_FOLLOW", "FAN_MARK_ONLYDIR", "FAN_MARK_IGNORED_MASK",
                "FAN_MARK_IGNORED_SURV_MODIFY", "FAN_MARK_FLUSH", "FAN_MARK_EVICTABLE", "FAN_MARK_IGNORE",
                "FAN_MARK_INODE", "FAN_MARK_MOUNT", "FAN_MARK_FILESYSTEM", "FAN_MARK_MNTNS");
        static final Map<Long, String> FAN_EVENT = pick(dev.jlx.abi.Fanotify.class, "FAN_ACCESS", "FAN_MODIFY",
                "FAN_ATTRIB", "FAN_CLOSE_WRITE", "FAN_CLOSE_NOWRITE", "FAN_OPEN", "FAN_MOVED_FROM", "FAN_MOVED_TO",
                "FAN_CREATE", "FAN_DELETE", "FAN_DELETE_SELF", "FAN_MOVE_SELF", "FAN_OPEN_EXEC", "FAN_Q_OVERFLOW",
                "FAN_FS_ERROR", "FAN_OPEN_PERM", "FAN_ACCESS_PERM", "FAN_OPEN_EXEC_PERM", "FAN_PRE_ACCESS",
                "FAN_MNT_ATTACH", "FAN_MNT_DETACH", "FAN_EVENT_ON_CHILD", "FAN_RENAME", "FAN_ONDIR");

        static final Map<Long, String> MPOL_MODE = pick(dev.jlx.abi.Mempolicy.class, "MPOL_DEFAULT",
                "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL", "MPOL_PREFERRED_MANY");
        static final Map<Long, String> MPOL_MODE_FLAG = pick(dev.jlx.abi.Mempolicy.class, "MPOL_F_STATIC_NODES",
                "MPOL_F_RELATIVE_NODES", "MPOL_F_NUMA_BALANCING");
        static final Map<Long, String> MPOL_MF = pick(dev.jlx.abi.Mempolicy.class, "MPOL_MF_STRICT", "MPOL_MF_MOVE",
                "MPOL_MF_MOVE_ALL");
        static final Map<Long, String> MPOL_GET = pick(dev.jlx.abi.Mempolicy.class, "MPOL_F_NODE", "MPOL_F_ADDR",
                "MPOL_F_MEMS_ALLOWED");

        /** The named constants of {@code c}, by value. */
        static Map<Long, String> pick(Class<?> c, String... names) {
            Map<Long, String> found = new java.util.LinkedHashMap<>();
            for (String n : names) {
                try {
                    found.put(((Number) c.getField(n).get(null)).longValue(), n);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return found;
        }
        static final Map<Long, String> SEEK = of(Fcntl.class, "SEEK_");
        static final Map<Long, String> FCNTL = of(Fcntl.class, "F_", "F_RDLCK", "F_WRLCK", "F_UNLCK", "F_OK");
        static final Map<Long, String> ARCH = of(ArchPrctl.class, "ARCH_");
        static final Map<Long, String> CLOCK = of(Clocks.class, "CLOCK_");
        static final Map<Long, String> SIGHOW = of(Signals.class, "SIG_", "SIG_DFL", "SIG_IGN");
        /** ptrace's requests: abi.Ptrace's PTRACE_ names but its options, events and flags. */
        static final Map<Long, String> PTRACE = of(dev.jlx.abi.Ptrace.class, "PTRACE_",
                java.util.Arrays.stream(dev.jlx.abi.Ptrace.class.getFields()).map(Field::getName)
                        .filter(n -> n.startsWith("PTRACE_O_") || n.startsWith("PTRACE_EVENT_")
                                || n.startsWith("PTRACE_SYSCALL_INFO_") || n.equals("PTRACE_PEEKSIGINFO_SHARED"))
                        .toArray(String[]::new));
        static final Map<Long, String> FILE_TYPE = of(FileMode.class, "S_IF", "S_IFMT");

        /** Names of the int/long constants of {@code c} starting with {@code prefix}, largest value first. */
        static Map<Long, String> of(Class<?> c, String prefix, String... excluded) {
            List<String> skip = List.of(excluded);
            List<Map.Entry<Long, String>> found = new ArrayList<>();
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getName().startsWith(prefix) && !skip.contains(f.getName())
                        && (f.getType() == int.class || f.getType() == long.class)) {
                    try {
                        found.add(Map.entry(((Number) f.get(null)).longValue(), f.getName()));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            found.sort((a, b) -> Long.compare(Long.bitCount(b.getKey()), Long.bitCount(a.getKey())));
            Map<Long, String> out = new LinkedHashMap<>();
            for (Map.Entry<Long, String> e : found) {
                out.putIfAbsent(e.getKey(), e.getValue());
            }
            return out;
        }
    }
}
