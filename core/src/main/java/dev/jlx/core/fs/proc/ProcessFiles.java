package dev.jlx.core.fs.proc;

import dev.jlx.abi.Errno;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.kernel.Ptrace;
import dev.jlx.core.mem.GuestMemory;
import java.lang.foreign.MemorySegment;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Resource;
import dev.jlx.abi.Signals;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.CpuTime;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Rlimits;
import dev.jlx.core.kernel.Scheduling;
import dev.jlx.core.kernel.SignalActions;
import dev.jlx.core.mem.AddressSpace;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The files of /proc/PID and /proc/PID/task/TID, in the formats of Linux 6.1's fs/proc (array.c,
 * base.c, fd.c, task_mmu.c), from jlx's state of the process. What jlx does not keep is shown as
 * Linux shows it for a process in the same state: no page faults, no context switches, no
 * capabilities (jlx grants none), no controlling terminal.
 */
final class ProcessFiles {
    /**
     * /proc/PID/mem opened by the caller (mem_open): its own process's memory, or that of one it may
     * ptrace (PTRACE_MODE_ATTACH; EACCES otherwise). Reads and writes go to the address space the
     * process had at the open, as FOLL_FORCE accesses (code too), up to the first address that is
     * not mapped; EIO when not a byte moved (mem_rw).
     */
    static PseudoNode.Positioned memory(GuestProcess p) throws ErrnoException {
        GuestThread caller = Kernel.caller();
        if (caller != null) {
            try {
                Ptrace.checkAccess(caller.process(), p);
            } catch (ErrnoException e) {
                throw new ErrnoException(Errno.EACCES);
            }
        }
        GuestMemory m = p.space().memory();
        return new PseudoNode.Positioned() {
            @Override
            public int pread(MemorySegment dst, long at) throws ErrnoException {
                return moved(m.transferForced(at, dst, false));
            }

            @Override
            public int pwrite(MemorySegment src, long at) throws ErrnoException {
                return moved(m.transferForced(at, src, true));
            }
        };
    }

    private static int moved(long n) throws ErrnoException {
        if (n == 0) {
            throw new ErrnoException(Errno.EIO);
        }
        return (int) n;
    }

    private static final long PAGE = AddressSpace.PAGE;
    /** SIG_IGN: a disposition that ignores the signal. */
    private static final long SIG_IGN = 1;
    /** MAX_NUMNODES of Debian's kernels (CONFIG_NODES_SHIFT=10): Mems_allowed prints that many bits. */
    private static final int MAX_NUMNODES = 1024;

    private ProcessFiles() {}

    private static byte[] ascii(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Which signals the process ignores and which it catches (has a handler for). */
    private static long[] ignoredAndCaught(GuestProcess p) {
        SignalActions actions = p.signalActions();
        long ignored = 0;
        long caught = 0;
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            long handler = actions.handler(sig);
            if (handler == SIG_IGN) {
                ignored |= GuestThread.bit(sig);
            } else if (handler != 0) {
                caught |= GuestThread.bit(sig);
            }
        }
        return new long[] {ignored, caught};
    }

    /**
     * /proc/PID/stat (whole process) or task/TID/stat (one thread): the 52 fields of do_task_stat.
     * jlx runs every thread on CPU 0 as far as /proc tells.
     */
    static byte[] stat(GuestProcess p, GuestThread t, boolean whole) {
        List<MemoryMap.Region> regions = MemoryMap.regions(p);
        MemoryMap.Usage usage = MemoryMap.usage(regions, p.image());
        CpuTime cpu = whole ? CpuTime.of(p) : CpuTime.of(p, t);
        long[] ignoredAndCaught = ignoredAndCaught(p);
        GuestProcess.ExecImage image = p.image();
        boolean main = t.tid() == p.pid();
        StringBuilder s = new StringBuilder();
        s.append(whole ? p.pid() : t.tid()).append(" (").append(new String(p.comm(), StandardCharsets.UTF_8))
                .append(") ").append(p.state(whole ? p.mainThread() : t));
        // tty_nr and tpgid for a pty jlx keeps; jlx's own terminal's number is the host's, not known here.
        dev.jlx.core.tty.Terminal tty = p.controllingTerminal();
        long ttyNr = tty == null ? 0 : tty.procDevice();
        int tpgid = ttyNr == 0 ? -1 : tty.foregroundGroup();
        fields(s, p.ppid(), p.pgid(), p.sid(), ttyNr, tpgid == 0 ? -1 : tpgid, 0); // ppid pgrp session tty_nr tpgid flags
        fields(s, 0, 0, 0, 0); // minflt cminflt majflt cmajflt
        fields(s, Boot.ticks(cpu.userNanos()), Boot.ticks(cpu.systemNanos()), 0, 0); // utime stime cutime cstime
        // The whole process's scheduling fields are its main thread's, as Linux's (the leader's task).
        Scheduling sched = (whole ? p.mainThread() : t).scheduling();
        fields(s, sched.procPriority(), sched.nice(), p.threadSnapshot().size(), 0); // priority nice num_threads itrealvalue
        fields(s, Boot.ticks(Boot.sinceBoot(p.startNanos())), usage.size(), usage.resident() / PAGE);
        s.append(' ').append(Long.toUnsignedString(p.rlimits().soft(Resource.RLIMIT_RSS)));
        fields(s, image == null ? 0 : image.startCode(), image == null ? 0 : image.endCode(),
                image == null ? 0 : image.startStack(), 0, 0); // kstkesp, kstkeip: 0 unless dumping core
        fields(s, 0, t.signalMask() & 0x7fffffffL, ignoredAndCaught[0] & 0x7fffffffL,
                ignoredAndCaught[1] & 0x7fffffffL); // pending (jlx's are shared), blocked, ignored, caught
        fields(s, 0, 0, 0); // wchan (0: running), nswap, cnswap
        // exit_signal processor rt_priority policy delayacct_blkio_ticks guest_time cguest_time
        fields(s, main ? Signals.SIGCHLD : -1, 0, sched.rtPriority(), sched.policy(), 0, 0, 0);
        if (image == null) {
            fields(s, 0, 0, 0, 0, 0, 0, 0);
        } else {
            fields(s, image.startData(), image.endData(), image.startBrk(), image.argStart(), image.argEnd(),
                    image.envStart(), image.envEnd());
        }
        fields(s, 0); // exit_code
        return ascii(s.append('\n'));
    }

    private static void fields(StringBuilder s, long... values) {
        for (long v : values) {
            s.append(' ').append(v);
        }
    }

    /** /proc/PID/statm: sizes in pages (size resident shared text lib data dt; lib and dt are always 0). */
    static byte[] statm(GuestProcess p) {
        MemoryMap.Usage u = MemoryMap.usage(MemoryMap.regions(p), p.image());
        GuestProcess.ExecImage image = p.image();
        long text = image == null ? 0
                : AddressSpace.pageUp(image.endCode()) - AddressSpace.pageDown(image.startCode());
        return ascii((u.size() / PAGE) + " " + (u.resident() / PAGE) + " "
                + ((u.residentFile() + u.residentShmem()) / PAGE) + " " + (text / PAGE) + " 0 "
                + ((u.data() + u.stack()) / PAGE) + " 0\n");
    }

    private static void kb(StringBuilder s, String label, long bytes) {
        s.append(label).append(":\t").append(String.format("%8d", bytes >> 10)).append(" kB\n");
    }

    private static String sigset(long set) {
        return String.format("%016x", set);
    }

    /**
     * /proc/PID/status (or a thread's). The peak sizes are the current ones (jlx does not keep a
     * high-water mark) and jlx has no page tables of its own to count (VmPTE 0).
     */
    static byte[] status(GuestProcess p, GuestThread t, boolean whole) {
        GuestProcess.Credentials c = p.credentials();
        StringBuilder s = new StringBuilder();
        s.append("Name:\t").append(new String(p.comm(), StandardCharsets.UTF_8).replace("\\", "\\\\")
                .replace("\n", "\\n")).append('\n');
        s.append(String.format("Umask:\t%04o\n", p.umask()));
        char state = p.state(whole ? p.mainThread() : t);
        s.append("State:\t").append(state).append(switch (state) {
            case 'Z' -> " (zombie)";
            case 'T' -> " (stopped)";
            case 't' -> " (tracing stop)";
            case 'S' -> " (sleeping)";
            default -> " (running)";
        }).append('\n');
        s.append("Tgid:\t").append(p.pid()).append('\n');
        s.append("Ngid:\t0\n");
        s.append("Pid:\t").append(whole ? p.pid() : t.tid()).append('\n');
        s.append("PPid:\t").append(p.ppid()).append('\n');
        s.append("TracerPid:\t").append(p.kernel().ptrace().tracerPid(whole ? p.mainThread() : t)).append('\n');
        // Real, effective, saved and file-system ids; jlx's file-system ids follow the effective ones.
        s.append("Uid:\t").append(c.uid()).append('\t').append(c.euid()).append('\t').append(c.suid()).append('\t')
                .append(c.fsuid()).append('\n');
        s.append("Gid:\t").append(c.gid()).append('\t').append(c.egid()).append('\t').append(c.sgid()).append('\t')
                .append(c.fsgid()).append('\n');
        s.append("FDSize:\t").append(fdTableSize(p.fds().highest())).append('\n');
        s.append("Groups:\t");
        for (int i = 0; i < c.groups().length; i++) {
            s.append(i == 0 ? "" : " ").append(c.groups()[i]);
        }
        s.append(" \n");
        s.append("NStgid:\t").append(p.pid()).append('\n');
        s.append("NSpid:\t").append(whole ? p.pid() : t.tid()).append('\n');
        s.append("NSpgid:\t").append(p.pid()).append('\n');
        s.append("NSsid:\t").append(p.pid()).append('\n');
        MemoryMap.Usage u = MemoryMap.usage(MemoryMap.regions(p), p.image());
        kb(s, "VmPeak", u.size());
        kb(s, "VmSize", u.size());
        kb(s, "VmLck", p.space().lockedBytes());
        kb(s, "VmPin", 0);
        kb(s, "VmHWM", u.resident());
        kb(s, "VmRSS", u.resident());
        kb(s, "RssAnon", u.residentAnon());
        kb(s, "RssFile", u.residentFile());
        kb(s, "RssShmem", u.residentShmem());
        kb(s, "VmData", u.data());
        kb(s, "VmStk", u.stack());
        kb(s, "VmExe", u.text());
        kb(s, "VmLib", u.lib());
        kb(s, "VmPTE", 0);
        kb(s, "VmSwap", 0);
        kb(s, "HugetlbPages", 0);
        s.append("CoreDumping:\t0\n");
        // jlx never backs guest memory with huge pages.
        s.append("THP_enabled:\t0\n");
        s.append("Threads:\t").append(p.threadSnapshot().size()).append('\n');
        s.append("SigQ:\t").append(Long.bitCount(p.pendingSignals()) + Long.bitCount(t.pendingSignals())).append('/')
                .append(p.rlimits().soft(Resource.RLIMIT_SIGPENDING)).append('\n');
        long[] ignoredAndCaught = ignoredAndCaught(p);
        s.append("SigPnd:\t").append(sigset(t.pendingSignals())).append('\n');
        s.append("ShdPnd:\t").append(sigset(p.pendingSignals())).append('\n');
        s.append("SigBlk:\t").append(sigset(t.signalMask())).append('\n');
        s.append("SigIgn:\t").append(sigset(ignoredAndCaught[0])).append('\n');
        s.append("SigCgt:\t").append(sigset(ignoredAndCaught[1])).append('\n');
        GuestProcess.Capabilities caps = p.credentials().caps();
        s.append("CapInh:\t").append(sigset(caps.inheritable())).append('\n');
        s.append("CapPrm:\t").append(sigset(caps.permitted())).append('\n');
        s.append("CapEff:\t").append(sigset(caps.effective())).append('\n');
        s.append("CapBnd:\t").append(sigset(p.capabilityBound())).append('\n');
        s.append("CapAmb:\t").append(sigset(caps.ambient())).append('\n');
        s.append("NoNewPrivs:\t").append((p.noNewPrivs() ? 1 : 0)).append('\n');
        s.append("Seccomp:\t").append(t.seccompStrict() ? 1 : 0).append('\n');
        s.append("Seccomp_filters:\t0\n");
        // As for a CPU without the speculation bugs: the engine does not speculate.
        s.append("Speculation_Store_Bypass:\tnot vulnerable\n");
        s.append("SpeculationIndirectBranch:\tnot affected\n");
        BitSet cpus = Bitmaps.first(Cpu.count());
        s.append("Cpus_allowed:\t").append(Bitmaps.hex(cpus, Cpu.count())).append('\n');
        s.append("Cpus_allowed_list:\t").append(Bitmaps.list(cpus)).append('\n');
        s.append("Mems_allowed:\t").append(Bitmaps.hex(Bitmaps.only(0), MAX_NUMNODES)).append('\n');
        s.append("Mems_allowed_list:\t0\n");
        s.append("voluntary_ctxt_switches:\t0\n");
        s.append("nonvoluntary_ctxt_switches:\t0\n");
        return ascii(s);
    }

    /** The size of Linux's fd array that holds descriptors up to {@code highest}: 64, then 128, 256, ... */
    private static int fdTableSize(int highest) {
        if (highest < 64) {
            return 64;
        }
        int units = highest / 128 + 1;
        return 128 * (units == 1 ? 1 : Integer.highestOneBit(units - 1) << 1);
    }

    private static final String[][] LIMITS = {
        {"Max cpu time", "seconds"}, {"Max file size", "bytes"}, {"Max data size", "bytes"},
        {"Max stack size", "bytes"}, {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
        {"Max processes", "processes"}, {"Max open files", "files"}, {"Max locked memory", "bytes"},
        {"Max address space", "bytes"}, {"Max file locks", "locks"}, {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"}, {"Max nice priority", null}, {"Max realtime priority", null},
        {"Max realtime timeout", "us"},
    };

    /** /proc/PID/limits: proc_pid_limits' table. */
    static byte[] limits(GuestProcess p) {
        StringBuilder s = new StringBuilder(String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
                "Hard Limit", "Units"));
        Rlimits r = p.rlimits();
        for (int i = 0; i < LIMITS.length; i++) {
            Rlimits.Limit l = r.get(i);
            s.append(String.format("%-25s %-20s %-20s ", LIMITS[i][0], limit(l.soft()), limit(l.hard())));
            s.append(LIMITS[i][1] == null ? "\n" : String.format("%-10s\n", LIMITS[i][1]));
        }
        return ascii(s);
    }

    private static String limit(long value) {
        return value == Rlimits.INFINITY ? "unlimited" : Long.toUnsignedString(value);
    }

    /**
     * /proc/PID/cmdline, read from the process's memory as get_mm_cmdline does: the argument strings,
     * or, when the program has overwritten the end of them (setproctitle), its first string, which
     * may run on into the environment.
     */
    static byte[] cmdline(GuestProcess p) throws ErrnoException {
        GuestProcess.ExecImage image = p.image();
        if (image == null || image.argStart() >= image.argEnd()) {
            return new byte[0];
        }
        if (p.space().memory().readByte(image.argEnd() - 1) == 0) {
            return p.space().memory().read(image.argStart(), (int) (image.argEnd() - image.argStart()));
        }
        long end = Math.min(image.envEnd(), image.argStart() + PAGE);
        byte[] title = p.space().memory().read(image.argStart(), (int) (end - image.argStart()));
        for (int i = 0; i < title.length; i++) {
            if (title[i] == 0) {
                return java.util.Arrays.copyOf(title, i + 1);
            }
        }
        return title;
    }

    /** /proc/PID/environ: the environment strings as they are now in the process's memory. */
    static byte[] environ(GuestProcess p) throws ErrnoException {
        GuestProcess.ExecImage image = p.image();
        return image == null ? new byte[0]
                : p.space().memory().read(image.envStart(), (int) (image.envEnd() - image.envStart()));
    }

    static byte[] auxv(GuestProcess p) {
        GuestProcess.ExecImage image = p.image();
        return image == null ? new byte[0] : image.auxv().clone();
    }

    static byte[] comm(GuestProcess p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(p.comm());
        out.write('\n');
        return out.toByteArray();
    }

    /** The open descriptors, lowest first. */
    static SequencedMap<Integer, OpenFile> openFiles(GuestProcess p) {
        SequencedMap<Integer, OpenFile> out = new LinkedHashMap<>();
        for (int fd = 0; fd <= p.fds().highest(); fd++) {
            try {
                out.put(fd, p.fds().get(fd));
            } catch (ErrnoException closed) {
                // A hole in the table.
            }
        }
        return out;
    }

    /**
     * What /proc/PID/fd/N points to: the guest path the file was opened by (" (deleted)" once that
     * name is gone or names another file; an O_TMPFILE file as "#inode" in its directory), a pipe or
     * socket by inode, a known character device by its /dev name. A host file without a guest path
     * (a standard stream jlx was given) is "host:[inode]", the name gVisor gives such files; an
     * epoll instance is "anon_inode:[eventpoll]", an eventfd "anon_inode:[eventfd]", a signalfd
     * "anon_inode:[signalfd]", a timerfd "anon_inode:[timerfd]", an io_uring "anon_inode:[io_uring]", an inotify instance "anon_inode:inotify", a fanotify group "anon_inode:[fanotify]".
     */
    static ByteString fdTarget(OpenFile f, Vfs vfs) throws ErrnoException {
        HostStat st = f.stat();
        if (f instanceof dev.jlx.core.fs.EpollFile) {
            return ByteString.of("anon_inode:[eventpoll]");
        }
        if (f instanceof dev.jlx.core.fs.EventFd) {
            return ByteString.of("anon_inode:[eventfd]");
        }
        if (f instanceof dev.jlx.core.kernel.SignalFd) {
            return ByteString.of("anon_inode:[signalfd]");
        }
        if (f instanceof dev.jlx.core.fs.TimerFd) {
            return ByteString.of("anon_inode:[timerfd]");
        }
        if (f instanceof dev.jlx.core.fs.InotifyFile) {
            return ByteString.of("anon_inode:inotify");
        }
        if (f instanceof dev.jlx.core.fs.FanotifyFile) {
            return ByteString.of("anon_inode:[fanotify]");
        }
        if (f instanceof dev.jlx.core.fs.UserfaultFd) {
            return ByteString.of("anon_inode:[userfaultfd]");
        }
        if (f instanceof dev.jlx.core.fs.UserfaultfdDevice) {
            // Found by its number wherever it was opened: named by its usual node.
            return ByteString.of("/dev/userfaultfd");
        }
        if (f instanceof dev.jlx.core.kernel.PidFd) {
            return ByteString.of("anon_inode:[pidfd]");
        }
        if (f instanceof dev.jlx.core.kernel.IoUringRing) {
            return ByteString.of("anon_inode:[io_uring]");
        }
        if (f instanceof dev.jlx.core.kernel.Landlock.Ruleset) {
            return ByteString.of("anon_inode:[landlock-ruleset]");
        }
        if (f instanceof VfsFile h && h.ops().anonymousName() != null) {
            return h.ops().anonymousName();
        }
        ByteString deleted = ByteString.of(" (deleted)");
        if (f instanceof VfsFile h && h.guestPath() != null) {
            ByteString path = h.guestPath();
            HostStat named;
            try {
                Vfs.Resolved r = vfs.resolve(ByteString.ROOT, path, false);
                named = r.fs().stat(r.path(), false);
            } catch (ErrnoException gone) {
                return path.concat(deleted);
            }
            boolean directory = (st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR;
            if ((named.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR && !directory) {
                return path.child(ByteString.of("#" + st.ino())).concat(deleted);
            }
            return named.dev() == st.dev() && named.ino() == st.ino() ? path : path.concat(deleted);
        }
        return ByteString.of(switch (st.mode() & FileMode.S_IFMT) {
            case FileMode.S_IFIFO -> "pipe:[" + st.ino() + "]";
            case FileMode.S_IFSOCK -> "socket:[" + st.ino() + "]";
            case FileMode.S_IFCHR -> {
                String device = deviceName(st.rdev());
                yield device != null ? device : "host:[" + st.ino() + "]";
            }
            default -> "host:[" + st.ino() + "]";
        });
    }

    /** The /dev name of a character device Linux numbers statically (devices.txt), or null. */
    private static String deviceName(long rdev) {
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        if (major >= 136 && major <= 143) {
            return "/dev/pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return minor < 64 ? "/dev/tty" + minor : "/dev/ttyS" + (minor - 64);
        }
        return switch ((int) (major * 256 + minor)) {
            case 256 + 3 -> "/dev/null";
            case 256 + 5 -> "/dev/zero";
            case 256 + 7 -> "/dev/full";
            case 256 + 8 -> "/dev/random";
            case 256 + 9 -> "/dev/urandom";
            case 5 * 256 -> "/dev/tty";
            case 5 * 256 + 1 -> "/dev/console";
            case 5 * 256 + 2 -> "/dev/ptmx";
            default -> null;
        };
    }

    /** The link's permission bits: read and write as the descriptor allows (r-x, -wx, rwx, ---). */
    static int fdLinkPerm(OpenFile f) {
        if ((f.statusFlags() & OpenFlags.O_PATH) != 0) {
            return 0;
        }
        return (f.readable() ? 0500 : 0) | (f.writable() ? 0300 : 0);
    }

    /**
     * /proc/PID/fdinfo/N: offset, flags in octal (with O_CLOEXEC for a close-on-exec descriptor, and
     * O_LARGEFILE, which open(2) always adds on x86-64), mount id and inode; then a timerfd's clock,
     * ticks and setting (timerfd_show), an inotify instance's watches (inotify_show_fdinfo), or a
     * pidfd's pid.
     */
    static byte[] fdinfo(GuestProcess p, int fd, Vfs vfs) throws ErrnoException {
        OpenFile f = p.fds().get(fd);
        long pos;
        try {
            pos = f.seek(0, Fcntl.SEEK_CUR);
        } catch (ErrnoException unseekable) {
            pos = 0;
        }
        int flags = f.statusFlags() | (p.fds().closeOnExec(fd) ? OpenFlags.O_CLOEXEC : 0);
        int mountId = MountTable.ANONYMOUS_ID;
        if (f instanceof VfsFile h && h.guestPath() != null) {
            flags |= OpenFlags.O_LARGEFILE;
            mountId = MountTable.id(vfs.mountOf(h.guestPath()));
        }
        return ascii(String.format("pos:\t%d\nflags:\t0%o\nmnt_id:\t%d\nino:\t%d\n", pos, flags, mountId,
                f.stat().ino()) + (f instanceof dev.jlx.core.fs.TimerFd timer ? timer.fdinfo()
                : f instanceof dev.jlx.core.fs.InotifyFile inotify ? inotify.fdinfo()
                : f instanceof dev.jlx.core.fs.FanotifyFile fanotify ? fanotify.fdinfo()
                : f instanceof dev.jlx.core.kernel.PidFd pidfd ? pidfd.fdinfo() : ""));
    }
}
