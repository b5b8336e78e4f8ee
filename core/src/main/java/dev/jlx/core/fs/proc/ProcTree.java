package dev.jlx.core.fs.proc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.net.InetSockets;
import dev.jlx.core.net.SocketFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The tree of /proc as the calling guest thread sees it: its kernel's processes and the machine's
 * files. Directory entries come in Linux's readdir order: the kernel's own entries (by name length,
 * then bytes, as procfs keeps them), self, thread-self, then processes by pid; a process's
 * entries in the order of Linux's tgid_base_stuff.
 *
 * <p>Inode numbers: 1 for the root, 0xF0000000 upwards for the kernel's own entries (as
 * proc_alloc_inum hands them out), and for a process's entries the pid or tid in the high 32 bits
 * with the kind of entry and its index (or descriptor) below, so a name keeps its number.
 */
public final class ProcTree {
    /** PROC_SUPER_MAGIC of linux/magic.h. */
    public static final long MAGIC = 0x9fa0;
    private static final long DYNAMIC = 0xF0000000L;
    /** What the kinds of a process's entries add to its inode numbers. */
    private static final int PROCESS = 0;
    private static final int PROCESS_FD = 1;
    private static final int PROCESS_FDINFO = 2;
    private static final int TASK = 3;
    private static final int TASK_FD = 4;
    private static final int TASK_FDINFO = 5;
    private static final int PROCESS_NET = 6;
    private static final int TASK_NET = 7;
    private static final int PROCESS_NS = 8;
    private static final int TASK_NS = 9;

    private final long mountedNanos;

    public ProcTree() {
        Instant now = Instant.now();
        mountedNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private PseudoNode.Meta kernelMeta(long ino, int perm) {
        return new PseudoNode.Meta(ino, perm, 0, 0, mountedNanos);
    }

    /** A file of the kernel's own (a proc_dir_entry): writes are EIO, as proc_reg_write answers. */
    private PseudoNode.File kernelFile(long ino, PseudoNode.Source<byte[]> content) {
        return new PseudoNode.File(kernelMeta(ino, 0444), 0, content, null, Errno.EIO);
    }

    /** /proc for {@code caller}; empty for a Java thread that runs no guest (jlx itself). */
    public PseudoNode.Dir root(GuestThread caller) {
        PseudoNode.Meta meta = kernelMeta(1, 0555);
        if (caller == null) {
            return new PseudoNode.Dir(meta, LinkedHashMap::new);
        }
        Kernel kernel = caller.process().kernel();
        return new PseudoNode.Dir(meta, () -> {
            SequencedMap<String, PseudoNode> entries = kernelEntries(kernel, caller);
            for (GuestProcess p : kernel.processes()) {
                entries.put(Integer.toString(p.pid()), processDir(kernel, p, p.threadSnapshot().getFirst()));
            }
            return entries;
        }, name -> {
            PseudoNode own = kernelEntries(kernel, caller).get(name);
            if (own != null) {
                return own;
            }
            int id = number(name);
            // Any thread is found by its tid, though only thread-group leaders are listed.
            for (GuestProcess p : kernel.processes()) {
                for (GuestThread t : p.threadSnapshot()) {
                    if (t.tid() == id) {
                        return processDir(kernel, p, t);
                    }
                }
            }
            return null;
        });
    }

    private SequencedMap<String, PseudoNode> kernelEntries(Kernel kernel, GuestThread caller) {
        SequencedMap<String, PseudoNode> e = new LinkedHashMap<>();
        e.put("net", new PseudoNode.Link(kernelMeta(DYNAMIC + 19, 0777), 0, () -> ByteString.of("self/net")));
        e.put("sys", sysDir(kernel, caller.process()));
        e.put("stat", kernelFile(DYNAMIC + 3, () -> SystemFiles.stat(kernel)));
        e.put("mounts", new PseudoNode.Link(kernelMeta(DYNAMIC + 4, 0777), 0, () -> ByteString.of("self/mounts")));
        e.put("uptime", kernelFile(DYNAMIC + 5, () -> SystemFiles.uptime(kernel)));
        e.put("cpuinfo", kernelFile(DYNAMIC + 6, Cpu::cpuinfo));
        e.put("loadavg", kernelFile(DYNAMIC + 7, () -> SystemFiles.loadavg(kernel)));
        e.put("meminfo", kernelFile(DYNAMIC + 8, () -> SystemFiles.meminfo(kernel)));
        e.put("version", kernelFile(DYNAMIC + 9, SystemFiles::version));
        e.put("filesystems", kernelFile(DYNAMIC + 10, () -> MountTable.filesystems(kernel.vfs())));
        // The caller's IPC namespace's objects.
        dev.jlx.core.ipc.IpcNamespace ipc = caller.process().ipc();
        SequencedMap<String, PseudoNode> sysvipc = new LinkedHashMap<>();
        sysvipc.put("msg", kernelFile(DYNAMIC + 101, () -> ascii(ipc.msg().proc())));
        sysvipc.put("sem", kernelFile(DYNAMIC + 102, () -> ascii(ipc.sem().proc())));
        sysvipc.put("shm", kernelFile(DYNAMIC + 103, () -> ascii(ipc.shm().proc())));
        e.put("sysvipc", new PseudoNode.Dir(kernelMeta(DYNAMIC + 100, 0555), () -> sysvipc));
        GuestProcess self = caller.process();
        e.put("self", new PseudoNode.Link(kernelMeta(DYNAMIC, 0777), 0, () -> ByteString.of(Integer.toString(self.pid()))));
        e.put("thread-self", new PseudoNode.Link(kernelMeta(DYNAMIC + 1, 0777), 0,
                () -> ByteString.of(self.pid() + "/task/" + caller.tid())));
        return e;
    }

    /**
     * /proc/sys/kernel: the uname(2) answers and the pid limit, as sysctl shows them; /proc/sys/fs:
     * the largest pipe F_SETPIPE_SZ gives an unprivileged process; /proc/sys/net: a few network sysctls.
     */
    private PseudoNode.Dir sysDir(Kernel kernel, GuestProcess self) {
        SequencedMap<String, PseudoNode> k = new LinkedHashMap<>();
        // pid_max stays fixed: jlx refuses to change it.
        PseudoNode.Sink refused = data -> {
            throw new ErrnoException(Errno.EPERM);
        };
        // Where core files go (core(5)): this run's own values, which root may change.
        k.put("core_pattern", new PseudoNode.File(kernelMeta(DYNAMIC + 118, 0644), 0,
                () -> line(kernel.corePattern()), data -> kernel.setCorePattern(corePattern(data)), Errno.EACCES));
        k.put("core_uses_pid", new PseudoNode.File(kernelMeta(DYNAMIC + 119, 0644), 0,
                () -> line(Integer.toString(kernel.coreUsesPid())), data -> kernel.setCoreUsesPid(
                        (int) unsignedInteger(data, 10, true)), Errno.EACCES));
        // The caller's UTS names, as sethostname and setdomainname set them (root may write, the file's mode says).
        k.put("domainname", new PseudoNode.File(kernelMeta(DYNAMIC + 117, 0644), 0,
                () -> line(self.namespaces().uts().domainname()),
                data -> self.namespaces().uts().setDomainname(utsString(data)), Errno.EACCES));
        k.put("hostname", new PseudoNode.File(kernelMeta(DYNAMIC + 12, 0644), 0,
                () -> line(self.namespaces().uts().nodename()),
                data -> self.namespaces().uts().setNodename(utsString(data)), Errno.EACCES));
        k.put("osrelease", sysctl(DYNAMIC + 13, Kernel.RELEASE));
        k.put("ostype", sysctl(DYNAMIC + 14, "Linux"));
        // pid_max as Linux sets it at boot: 32768, or 1024 per CPU on larger machines.
        k.put("pid_max", new PseudoNode.File(kernelMeta(DYNAMIC + 15, 0644), 0,
                () -> line(Integer.toString(Math.max(32768, 1024 * Cpu.count()))), refused, Errno.EACCES));
        k.put("version", sysctl(DYNAMIC + 16, Kernel.VERSION));
        // The IPC namespace's limits, Linux's defaults; changing them is refused (EPERM), jlx keeps them fixed.
        k.put("msgmax", ipcLimit(DYNAMIC + 104, Integer.toString(Ipc.MSGMAX), refused));
        k.put("msgmnb", ipcLimit(DYNAMIC + 105, Integer.toString(Ipc.MSGMNB), refused));
        k.put("msgmni", ipcLimit(DYNAMIC + 106, Integer.toString(Ipc.MSGMNI), refused));
        k.put("sem", ipcLimit(DYNAMIC + 107, Ipc.SEMMSL + "\t" + Ipc.SEMMNS + "\t" + Ipc.SEMOPM + "\t" + Ipc.SEMMNI,
                refused));
        k.put("shmall", ipcLimit(DYNAMIC + 108, Long.toUnsignedString(Ipc.SHMALL), refused));
        k.put("shmmax", ipcLimit(DYNAMIC + 109, Long.toUnsignedString(Ipc.SHMMAX), refused));
        k.put("shmmni", ipcLimit(DYNAMIC + 110, Integer.toString(Ipc.SHMMNI), refused));
        SequencedMap<String, PseudoNode> fs = new LinkedHashMap<>();
        // AIO's count of the events the live contexts asked for, and its limit (kept fixed).
        fs.put("aio-max-nr", new PseudoNode.File(kernelMeta(DYNAMIC + 121, 0644), 0,
                () -> line("65536"), refused, Errno.EACCES));
        fs.put("lease-break-time", new PseudoNode.File(kernelMeta(DYNAMIC + 122, 0644), 0,
                () -> line(Integer.toString(dev.jlx.core.fs.Leases.LEASE_BREAK_TIME)), refused, Errno.EACCES));
        fs.put("aio-nr", new PseudoNode.File(kernelMeta(DYNAMIC + 123, 0444), 0,
                () -> line(Long.toString(kernel.aioRequests().get())), refused, Errno.EACCES));
        // The largest pipe F_SETPIPE_SZ gives: this run's, which root may change (round_pipe_size's
        // power-of-two pages; none past 2 GiB, of the value cut to 32 bits as Linux 6 does).
        fs.put("pipe-max-size", new PseudoNode.File(kernelMeta(DYNAMIC + 18, 0644), 0,
                () -> line(Integer.toString(kernel.pipeMaxSize())), data -> {
                    long size = unsignedInteger(data, 0, false, 64) & 0xffffffffL;
                    if (size > 1L << 31) {
                        throw new ErrnoException(Errno.EINVAL);
                    }
                    long rounded = Math.max(4096, Long.highestOneBit(Math.max(1, size - 1)) << 1);
                    kernel.setPipeMaxSize((int) Math.min(rounded, 1L << 31));
                }, Errno.EACCES));
        // RLIMIT_NOFILE's ceiling: this run's, which root may change within sysctl_nr_open_min and _max.
        fs.put("nr_open", new PseudoNode.File(kernelMeta(DYNAMIC + 120, 0644), 0,
                () -> line(Long.toString(kernel.nrOpen())), data -> {
                    long max = unsignedInteger(data, 10, true);
                    if (max < 64 || max > 2147483584L) {
                        throw new ErrnoException(Errno.EINVAL);
                    }
                    kernel.setNrOpen(max);
                }, Errno.EACCES));
        // inotify's limits, Linux's defaults; raising them needs CAP_SYS_ADMIN too.
        SequencedMap<String, PseudoNode> inotify = new LinkedHashMap<>();
        inotify.put("max_queued_events", new PseudoNode.File(kernelMeta(DYNAMIC + 32, 0644), 0,
                () -> line(Integer.toString(dev.jlx.abi.Inotify.DEFAULT_MAX_QUEUED_EVENTS)), refused, Errno.EACCES));
        inotify.put("max_user_instances", new PseudoNode.File(kernelMeta(DYNAMIC + 33, 0644), 0,
                () -> line(Integer.toString(dev.jlx.abi.Inotify.DEFAULT_MAX_USER_INSTANCES)), refused, Errno.EACCES));
        inotify.put("max_user_watches", new PseudoNode.File(kernelMeta(DYNAMIC + 34, 0644), 0,
                () -> line(Integer.toString(dev.jlx.core.fs.Fsnotify.MAX_USER_WATCHES)), refused, Errno.EACCES));
        fs.put("inotify", new PseudoNode.Dir(kernelMeta(DYNAMIC + 31, 0555), () -> inotify));
        SequencedMap<String, PseudoNode> mqueue = new LinkedHashMap<>();
        mqueue.put("msg_default", ipcLimit(DYNAMIC + 112, Integer.toString(Ipc.MQ_MSG_DEFAULT), refused));
        mqueue.put("msg_max", ipcLimit(DYNAMIC + 113, Integer.toString(Ipc.MQ_MSG_MAX), refused));
        mqueue.put("msgsize_default", ipcLimit(DYNAMIC + 114, Integer.toString(Ipc.MQ_MSGSIZE_DEFAULT), refused));
        mqueue.put("msgsize_max", ipcLimit(DYNAMIC + 115, Integer.toString(Ipc.MQ_MSGSIZE_MAX), refused));
        mqueue.put("queues_max", ipcLimit(DYNAMIC + 116, Integer.toString(Ipc.MQ_QUEUES_MAX), refused));
        fs.put("mqueue", new PseudoNode.Dir(kernelMeta(DYNAMIC + 111, 0555), () -> mqueue));
        // net: the sysctls programs read (Go sizes listen's backlog by somaxconn), Linux's defaults;
        // changing them needs CAP_NET_ADMIN, which jlx grants no guest.
        SequencedMap<String, PseudoNode> core = new LinkedHashMap<>();
        core.put("somaxconn", new PseudoNode.File(kernelMeta(DYNAMIC + 22, 0644), 0,
                () -> line(Integer.toString(SocketFile.SOMAXCONN)), refused, Errno.EACCES));
        // What SO_RCVBUF and SO_SNDBUF start at and are capped at; the most control data a sendmsg passes.
        core.put("optmem_max", new PseudoNode.File(kernelMeta(DYNAMIC + 26, 0644), 0,
                () -> line(Integer.toString(SocketFile.OPTMEM_MAX)), refused, Errno.EACCES));
        core.put("rmem_default", new PseudoNode.File(kernelMeta(DYNAMIC + 27, 0644), 0,
                () -> line(Integer.toString(SocketFile.RMEM_DEFAULT)), refused, Errno.EACCES));
        core.put("rmem_max", new PseudoNode.File(kernelMeta(DYNAMIC + 28, 0644), 0,
                () -> line(Integer.toString(SocketFile.RMEM_MAX)), refused, Errno.EACCES));
        core.put("wmem_default", new PseudoNode.File(kernelMeta(DYNAMIC + 29, 0644), 0,
                () -> line(Integer.toString(SocketFile.WMEM_DEFAULT)), refused, Errno.EACCES));
        core.put("wmem_max", new PseudoNode.File(kernelMeta(DYNAMIC + 30, 0644), 0,
                () -> line(Integer.toString(SocketFile.WMEM_MAX)), refused, Errno.EACCES));
        SequencedMap<String, PseudoNode> ipv4 = new LinkedHashMap<>();
        ipv4.put("ip_local_port_range", new PseudoNode.File(kernelMeta(DYNAMIC + 24, 0644), 0,
                () -> line("32768\t60999"), refused, Errno.EACCES));
        // The default range holds no group: ping sockets are for nobody (socket's EACCES).
        ipv4.put("ping_group_range", new PseudoNode.File(kernelMeta(DYNAMIC + 25, 0644), 0, () -> line("1\t0"),
                refused, Errno.EACCES));
        SequencedMap<String, PseudoNode> net = new LinkedHashMap<>();
        net.put("core", new PseudoNode.Dir(kernelMeta(DYNAMIC + 21, 0555), () -> core));
        net.put("ipv4", new PseudoNode.Dir(kernelMeta(DYNAMIC + 23, 0555), () -> ipv4));
        SequencedMap<String, PseudoNode> sys = new LinkedHashMap<>();
        sys.put("fs", new PseudoNode.Dir(kernelMeta(DYNAMIC + 17, 0555), () -> fs));
        sys.put("kernel", new PseudoNode.Dir(kernelMeta(DYNAMIC + 11, 0555), () -> k));
        sys.put("net", new PseudoNode.Dir(kernelMeta(DYNAMIC + 20, 0555), () -> net));
        return new PseudoNode.Dir(kernelMeta(DYNAMIC + 2, 0555), () -> sys);
    }

    /** A writable-looking IPC limit (0644) whose writes {@code refused} refuses. */
    private PseudoNode.File ipcLimit(long ino, String value, PseudoNode.Sink refused) {
        return new PseudoNode.File(kernelMeta(ino, 0644), 0, () -> line(value), refused, Errno.EACCES);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A read-only sysctl: even root cannot open it for writing (EACCES). */
    private PseudoNode.File sysctl(long ino, String value) {
        return new PseudoNode.File(kernelMeta(ino, 0444), 0, () -> line(value), null, Errno.EACCES);
    }

    /** What proc_dostring takes for core_pattern: the bytes up to a newline or NUL, at most 127. */
    private static String corePattern(byte[] data) {
        int end = 0;
        while (end < data.length && end < dev.jlx.core.kernel.CoreDump.PATTERN_MAX && data[end] != '\n'
                && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /**
     * An integer as the kernel's parsers read a write: kstrtouint (base 0: 0x hex, 0 octal, else
     * decimal; one trailing newline) or, {@code signed}, proc_dointvec's decimal with an optional '-'
     * and blanks around; EINVAL for anything else, ERANGE past 32 bits.
     */
    static long unsignedInteger(byte[] data, int base, boolean signed) throws ErrnoException {
        return unsignedInteger(data, base, signed, signed ? 31 : 32);
    }

    /** {@link #unsignedInteger} of at most {@code bits} bits. */
    static long unsignedInteger(byte[] data, int base, boolean signed, int bits) throws ErrnoException {
        String s = new String(data, StandardCharsets.ISO_8859_1);
        s = signed ? s.strip() : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        boolean negative = signed && s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        int radix = base;
        if (base == 0) {
            if (s.length() > 1 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
                radix = 16;
                s = s.substring(2);
            } else {
                radix = s.length() > 1 && s.charAt(0) == '0' ? 8 : 10;
            }
        }
        String digits = s;
        int r = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, r) >= 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        java.math.BigInteger v = new java.math.BigInteger(digits, radix);
        if (v.bitLength() > bits) {
            // kstrtouint's overflow is ERANGE; proc_get_long's (sysctls) EINVAL.
            throw new ErrnoException(signed || bits == 64 ? Errno.EINVAL : Errno.ERANGE);
        }
        return negative ? -v.longValue() : v.longValue();
    }

    /** What proc_dostring takes from a write: the bytes up to a newline or NUL, at most 64 (__NEW_UTS_LEN). */
    private static String utsString(byte[] data) {
        int end = 0;
        while (end < data.length && end < 64 && data[end] != '\n' && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A decimal name without sign or leading zeros, as proc's name_to_int reads it; -1 otherwise. */
    private static int number(String name) {
        if (name.isEmpty() || name.length() > 10 || (name.length() > 1 && name.charAt(0) == '0')
                || !name.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long n = Long.parseLong(name);
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    /** The entries of a process's directory, and of its threads' under task/, share their makers. */
    private final class Entries {
        private final Kernel kernel;
        private final GuestProcess p;
        private final GuestThread t;
        private final boolean whole;
        private final long ino;
        private final long time;
        private final SequencedMap<String, PseudoNode> map = new LinkedHashMap<>();
        private int next = 1;

        Entries(Kernel kernel, GuestProcess p, GuestThread t, boolean whole) {
            this.kernel = kernel;
            this.p = p;
            this.t = t;
            this.whole = whole;
            this.ino = (long) (whole ? p.pid() : t.tid()) << 32 | (long) (whole ? PROCESS : TASK) << 24;
            this.time = Boot.epochNanos(p.startNanos());
        }

        PseudoNode.Meta meta(long inode, int perm) {
            return new PseudoNode.Meta(inode, perm, p.credentials().euid(), p.credentials().egid(), time);
        }

        /** A source that fails once the process has ended, as reads of a dead process's files do (ESRCH). */
        <T> PseudoNode.Source<T> alive(PseudoNode.Source<T> source) {
            return () -> {
                if (kernel.process(p.pid()) != p) {
                    throw new ErrnoException(Errno.ESRCH);
                }
                return source.get();
            };
        }

        Entries file(String name, int perm, PseudoNode.Source<byte[]> content) {
            return file(name, perm, content, null);
        }

        /** A file of the process: without a sink, write(2) is EINVAL, as for Linux's files without a write op. */
        Entries file(String name, int perm, PseudoNode.Source<byte[]> content, PseudoNode.Sink sink) {
            map.put(name, new PseudoNode.File(meta(ino + next++, perm), 0, alive(content), sink, Errno.EINVAL));
            return this;
        }

        /** A magic link of the process (cwd, root, exe). */
        Entries link(String name, PseudoNode.Source<ByteString> target) {
            map.put(name, new PseudoNode.Link(meta(ino + next++, 0777), 0, alive(target), true));
            return this;
        }

        Entries dir(String name, int perm, PseudoNode.Source<SequencedMap<String, PseudoNode>> entries,
                PseudoNode.Lookup lookup) {
            map.put(name, new PseudoNode.Dir(meta(ino + next++, perm), alive(entries), lookup));
            return this;
        }

        /** A file of /proc/PID/net, which a write does not take (EINVAL). */
        private void netFile(SequencedMap<String, PseudoNode> net, String name, long inode,
                PseudoNode.Source<byte[]> content) {
            net.put(name, new PseudoNode.File(meta(inode, 0444), 0, alive(content), null, Errno.EINVAL));
        }

        /** fd/ and fdinfo/: one entry per open descriptor, looked up by number. */
        Entries descriptors() {
            Vfs vfs = p.namespaces().mnt().vfs();
            long fdBase = (ino & ~0xffffffL) | (long) (whole ? PROCESS_FD : TASK_FD) << 24;
            long infoBase = (ino & ~0xffffffL) | (long) (whole ? PROCESS_FDINFO : TASK_FDINFO) << 24;
            dir("fd", 0500, () -> {
                SequencedMap<String, PseudoNode> fds = new LinkedHashMap<>();
                for (Map.Entry<Integer, OpenFile> e : ProcessFiles.openFiles(p).entrySet()) {
                    fds.put(Integer.toString(e.getKey()), fdLink(fdBase, e.getKey(), e.getValue(), vfs));
                }
                return fds;
            }, name -> open(number(name)) instanceof OpenFile f ? fdLink(fdBase, number(name), f, vfs) : null);
            dir("fdinfo", 0500, () -> {
                SequencedMap<String, PseudoNode> infos = new LinkedHashMap<>();
                for (int fd : ProcessFiles.openFiles(p).keySet()) {
                    infos.put(Integer.toString(fd), fdInfo(infoBase, fd, vfs));
                }
                return infos;
            }, name -> open(number(name)) != null ? fdInfo(infoBase, number(name), vfs) : null);
            return this;
        }

        private OpenFile open(int fd) {
            try {
                return fd < 0 ? null : p.fds().get(fd);
            } catch (ErrnoException closed) {
                return null;
            }
        }

        private PseudoNode fdLink(long base, int fd, OpenFile f, Vfs vfs) {
            return new PseudoNode.Link(meta(base + fd, ProcessFiles.fdLinkPerm(f)), 64,
                    alive(() -> ProcessFiles.fdTarget(p.fds().get(fd), vfs)), true);
        }

        private PseudoNode fdInfo(long base, int fd, Vfs vfs) {
            return new PseudoNode.File(meta(base + fd, 0444), 0, alive(() -> ProcessFiles.fdinfo(p, fd, vfs)), null,
                    Errno.EINVAL);
        }

        /** ns/: one magic link per namespace, "uts:[N]", which opens the namespace's nsfs file (setns). */
        Entries namespaces() {
            long nsBase = (ino & ~0xffffffL) | (long) (whole ? PROCESS_NS : TASK_NS) << 24;
            dir("ns", 0511, () -> {
                SequencedMap<String, PseudoNode> links = new LinkedHashMap<>();
                int i = 0;
                for (dev.jlx.core.kernel.Namespaces.Namespace ns : p.namespaces().entries()) {
                    String entry = ns.entry();
                    PseudoNode.Source<dev.jlx.core.kernel.Namespaces.Namespace> now = alive(() -> p.namespaces()
                            .entries().stream().filter(n -> n.entry().equals(entry)).findFirst().orElseThrow());
                    links.put(entry, new PseudoNode.Link(meta(nsBase + i++, 0777), 0, () -> now.get().link(), true,
                            now));
                }
                return links;
            }, null);
            return this;
        }

        /** The files every process and thread directory has, in Linux's order. */
        SequencedMap<String, PseudoNode> common() {
            descriptors();
            namespaces();
            // The network namespace's files (all of jlx is one namespace): the sockets jlx keeps.
            SequencedMap<String, PseudoNode> net = new LinkedHashMap<>();
            long netBase = (ino & ~0xffffffL) | (long) (whole ? PROCESS_NET : TASK_NET) << 24;
            InetSockets inet = kernel.inetSockets();
            netFile(net, "dev", netBase + 2, () -> NetFiles.dev(kernel.interfaces().get()));
            netFile(net, "tcp", netBase + 3, () -> inet.proc(InetSockets.Table.TCP));
            netFile(net, "udp", netBase + 4, () -> inet.proc(InetSockets.Table.UDP));
            netFile(net, "tcp6", netBase + 5, () -> inet.proc(InetSockets.Table.TCP6));
            netFile(net, "udp6", netBase + 6, () -> inet.proc(InetSockets.Table.UDP6));
            netFile(net, "unix", netBase + 1, () -> kernel.unixSockets().procNetUnix());
            netFile(net, "route", netBase + 7, () -> NetFiles.route(kernel.interfaces().get()));
            netFile(net, "netlink", netBase + 8, () -> kernel.netlinkSockets().procNetNetlink());
            netFile(net, "if_inet6", netBase + 9, () -> NetFiles.ifInet6(kernel.interfaces().get()));
            dir("net", 0555, () -> net, null);
            file("environ", 0400, () -> ProcessFiles.environ(p));
            file("auxv", 0400, () -> ProcessFiles.auxv(p));
            file("status", 0444, () -> ProcessFiles.status(p, t, whole));
            file("limits", 0444, () -> ProcessFiles.limits(p));
            file("comm", 0644, () -> ProcessFiles.comm(p), data -> {
                // Only the process itself may rename itself here (EINVAL otherwise), at most 15 bytes.
                GuestThread caller = Kernel.caller();
                if (caller == null || caller.process() != p) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                byte[] name = Arrays.copyOf(data, Math.min(data.length, 15));
                int nul = 0;
                while (nul < name.length && name[nul] != 0) {
                    nul++;
                }
                p.setComm(Arrays.copyOf(name, nul));
            });
            file("cmdline", 0444, () -> ProcessFiles.cmdline(p));
            file("stat", 0444, () -> ProcessFiles.stat(p, t, whole));
            file("statm", 0444, () -> ProcessFiles.statm(p));
            file("maps", 0444, () -> MemoryMap.maps(MemoryMap.regions(p)));
            map.put("mem", new PseudoNode.Positional(meta(ino + next++, 0600), () -> {
                alive(() -> null).get();
                return ProcessFiles.memory(p);
            }));
            link("cwd", p::cwd);
            link("root", () -> ByteString.ROOT);
            link("exe", () -> {
                if (p.image() == null) {
                    throw new ErrnoException(Errno.ENOENT);
                }
                return p.image().exe();
            });
            file("mounts", 0444, () -> MountTable.mounts(p.vfs()));
            file("mountinfo", 0444, () -> MountTable.mountinfo(p.vfs()));
            // Every process is in the root cgroup of the unified hierarchy (a new cgroup namespace's root too).
            file("cgroup", 0444, () -> line("0::/"));
            file("smaps", 0444, () -> MemoryMap.smaps(MemoryMap.regions(p)));
            return map;
        }
    }

    /** /proc/PID (or /proc/TID for a thread that is not its group's leader). */
    private PseudoNode.Dir processDir(Kernel kernel, GuestProcess p, GuestThread t) {
        Entries e = new Entries(kernel, p, t, true);
        e.dir("task", 0555, () -> {
            SequencedMap<String, PseudoNode> tasks = new LinkedHashMap<>();
            for (GuestThread thread : p.threadSnapshot()) {
                tasks.put(Integer.toString(thread.tid()), taskDir(kernel, p, thread));
            }
            return tasks;
        }, null);
        SequencedMap<String, PseudoNode> entries = e.common();
        // Which mappings a core file holds (core(5)): a process's own, not its threads'.
        e.file("coredump_filter", 0644, () -> line(String.format("%08x", p.coredumpFilter())),
                data -> p.setCoredumpFilter((int) unsignedInteger(data, 0, false)));
        return new PseudoNode.Dir(e.meta(e.ino, 0555), () -> entries);
    }

    /** /proc/PID/task/TID. */
    private PseudoNode.Dir taskDir(Kernel kernel, GuestProcess p, GuestThread t) {
        Entries e = new Entries(kernel, p, t, false);
        SequencedMap<String, PseudoNode> entries = e.common();
        return new PseudoNode.Dir(e.meta(e.ino, 0555), () -> entries);
    }
}
