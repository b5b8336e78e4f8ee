package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.fs.RecordLocks;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.syscall.SyscallDispatcher;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One guest world: the host backend, the file-system view, the pid space and the syscall
 * dispatcher that all its processes share. The embedding API makes one per run.
 *
 * <p>Pids are virtual: pid 1 stands for jlx itself (the parent and reaper of the first process),
 * guest processes get 2, 3, ...
 */
public final class Kernel {
    /** The kernel release jlx reports (uname, /proc/sys/kernel/osrelease): the Linux ABI it implements, as jlx's. */
    public static final String RELEASE = "6.1.0-jlx";
    /** The kernel version string (uname's version, /proc/sys/kernel/version). */
    public static final String VERSION = "#1 SMP PREEMPT_DYNAMIC jlx";
    private static final System.Logger LOG = System.getLogger("dev.jlx");
    /**
     * The guest thread each Java thread runs. A guest thread keeps its Java thread from start to
     * exit, so this names the caller of every syscall that thread serves (/proc/self).
     */
    private static final ThreadLocal<GuestThread> CALLER = new ThreadLocal<>();

    private final HostBackend host;
    private final Vfs vfs;
    private final SyscallDispatcher dispatcher;
    private final AtomicInteger nextPid = new AtomicInteger(FIRST_PID);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final RecordLocks recordLocks = new RecordLocks();
    /** The file leases (F_SETLEASE) of every process of this kernel. */
    private final dev.jlx.core.fs.Leases leases = new dev.jlx.core.fs.Leases(this);
    private final Futexes futexes = new Futexes();
    /** The file handles name_to_handle_at gave out. */
    private final dev.jlx.core.fs.FileHandles fileHandles = new dev.jlx.core.fs.FileHandles();
    private final Ptrace ptrace = new Ptrace(this);
    /** The guests' wall clock and NTP state: settimeofday's and adjtimex's, never the host's. */
    private final TimeKeeping timeKeeping = new TimeKeeping();
    /** The keys and keyrings of this run's guests (add_key, keyctl), never the host's. */
    private final Keys keys = new Keys();
    /** The events the live AIO contexts asked for, as /proc/sys/fs/aio-nr shows (Linux's aio_nr). */
    private final java.util.concurrent.atomic.AtomicLong aioRequests = new java.util.concurrent.atomic.AtomicLong();
    /** The AF_UNIX sockets and their names (Linux's per-namespace unix table). */
    private final dev.jlx.core.net.UnixDomain unixSockets = new dev.jlx.core.net.UnixDomain();
    /** The inet sockets, as /proc/net/tcp, tcp6, udp and udp6 list them. */
    private final dev.jlx.core.net.InetSockets inetSockets = new dev.jlx.core.net.InetSockets();
    /** The NETLINK_ROUTE sockets and their port ids. */
    private final dev.jlx.core.net.NetlinkDomain netlinkSockets = new dev.jlx.core.net.NetlinkDomain();
    /** Where the network interfaces the guest sees come from: the host's, unless an embedder fixed them. */
    private volatile dev.jlx.core.net.Interfaces.Source interfaces = dev.jlx.core.net.Interfaces.host();
    /** The internal tmpfs memfd_create's files live on (Linux's shm_mnt), mounted nowhere. */
    private final dev.jlx.core.fs.Tmpfs memfds;
    /** The live processes by pid, as /proc lists them. */
    private final ConcurrentSkipListMap<Integer, GuestProcess> processes = new ConcurrentSkipListMap<>();

    public Kernel(HostBackend host, Vfs vfs, PrintStream trace) {
        this(host, vfs, trace, new dev.jlx.core.ipc.IpcNamespace(host.memory()));
    }

    /** A guest world in the IPC namespace {@code ipc} (its machine's). */
    public Kernel(HostBackend host, Vfs vfs, PrintStream trace, dev.jlx.core.ipc.IpcNamespace ipc) {
        this.host = host;
        this.memfds = new dev.jlx.core.fs.Tmpfs(0, 0, 01777, host.files());
        this.vfs = vfs;
        this.dispatcher = new SyscallDispatcher(this, trace);
        this.hostTerminal = new dev.jlx.core.tty.HostTerminal(this);
        this.initialNamespaces = Namespaces.initial(() -> host.identity().hostname(), ipc, vfs);
    }

    /**
     * The namespaces of the run's first process: its UTS names (sethostname and setdomainname change
     * them for this run's guests only, never the host's), the machine's IPC objects, the run's others.
     */
    private final Namespaces initialNamespaces;
    /** The next inode number a new namespace gets (Linux's proc_alloc_inum, past the initial ones). */
    private final java.util.concurrent.atomic.AtomicLong nextNamespaceInode =
            new java.util.concurrent.atomic.AtomicLong(Namespaces.DYNAMIC_FIRST + 0x100);

    public Namespaces initialNamespaces() {
        return initialNamespaces;
    }

    long newNamespaceInode() {
        return nextNamespaceInode.getAndIncrement();
    }

    /** fs.pipe-max-size and fs.nr_open: this run's, which a guest root may change (never the host's). */
    private volatile int pipeMaxSize = dev.jlx.core.fs.Pipe.MAX_SIZE;
    private volatile long nrOpen = Rlimits.NR_OPEN;

    public int pipeMaxSize() {
        return pipeMaxSize;
    }

    public void setPipeMaxSize(int size) {
        pipeMaxSize = size;
    }

    public long nrOpen() {
        return nrOpen;
    }

    public void setNrOpen(long max) {
        nrOpen = max;
    }

    /** kernel.core_pattern and kernel.core_uses_pid: this run's, which a guest root may change (never the host's). */
    private volatile String corePattern = "core";
    private volatile int coreUsesPid;

    public String corePattern() {
        return corePattern;
    }

    public void setCorePattern(String pattern) {
        corePattern = pattern;
    }

    public int coreUsesPid() {
        return coreUsesPid;
    }

    public void setCoreUsesPid(int uses) {
        coreUsesPid = uses;
    }

    public HostBackend host() {
        return host;
    }

    public Vfs vfs() {
        return vfs;
    }

    public SyscallDispatcher dispatcher() {
        return dispatcher;
    }

    /** The fcntl record locks of every process of this kernel. */
    public Futexes futexes() {
        return futexes;
    }

    public dev.jlx.core.fs.FileHandles fileHandles() {
        return fileHandles;
    }

    /**
     * Whether a thread {@code tid} is running (not yet ended: a zombie's leader, which /proc still
     * shows, is not), as a PI futex's owner must be (attach_to_pi_owner).
     */
    public boolean threadAlive(int tid) {
        for (GuestProcess p : processes.values()) {
            for (GuestThread t : p.threads()) {
                if (t.tid() == tid) {
                    return true;
                }
            }
        }
        return false;
    }

    public java.util.concurrent.atomic.AtomicLong aioRequests() {
        return aioRequests;
    }

    public Keys keys() {
        return keys;
    }

    public TimeKeeping timeKeeping() {
        return timeKeeping;
    }

    public dev.jlx.core.fs.Tmpfs memfds() {
        return memfds;
    }

    public dev.jlx.core.fs.Leases leases() {
        return leases;
    }

    public RecordLocks recordLocks() {
        return recordLocks;
    }

    public dev.jlx.core.net.UnixDomain unixSockets() {
        return unixSockets;
    }

    public dev.jlx.core.net.InetSockets inetSockets() {
        return inetSockets;
    }

    public dev.jlx.core.net.NetlinkDomain netlinkSockets() {
        return netlinkSockets;
    }

    /** The network interfaces' source: netlink, the SIOCGIF* ioctls and /proc/net take their snapshots from it. */
    public dev.jlx.core.net.Interfaces.Source interfaces() {
        return interfaces;
    }

    public void setInterfaces(dev.jlx.core.net.Interfaces.Source source) {
        this.interfaces = source;
    }

    int allocatePid() {
        return nextPid.getAndIncrement();
    }

    /** The most recently allocated pid (the last field of /proc/loadavg), 1 before any. */
    public int lastPid() {
        return nextPid.get() - 1;
    }

    /** Makes {@code process} visible by its pid while it runs. */
    void register(GuestProcess process) {
        processes.put(process.pid(), process);
    }

    /** The process has ended and its parent (jlx, for now) has reaped it. */
    void unregister(GuestProcess process) {
        processes.remove(process.pid(), process);
        // A pidfd of a reaped process reports POLLHUP.
        process.exitReadiness().wake(dev.jlx.core.fs.Readiness.ALL);
    }

    /** The live process with {@code pid}, or null. */
    /** ptrace(2)'s tracees. */
    public Ptrace ptrace() {
        return ptrace;
    }

    public GuestProcess process(int pid) {
        return processes.get(pid);
    }


    /**
     * Whether a live process runs the file of device {@code dev} and inode {@code ino}, as its
     * program or its interpreter: such a file may not be opened for writing (ETXTBSY).
     */
    public boolean running(long dev, long ino) {
        for (GuestProcess p : processes()) {
            GuestProcess.ExecImage image = p.image();
            if (image != null && !p.exiting() && image.runs(dev, ino)) {
                return true;
            }
        }
        return false;
    }
    /** The live processes, lowest pid first. */
    public Collection<GuestProcess> processes() {
        return processes.values();
    }

    /**
     * Kills every process (SIGKILL) and waits until all are gone: when the first process ends, the
     * rest end with it, as a PID namespace's processes do when its init dies.
     */
    public void killAll() {
        // A thread blocked in a host call (a read of the host's terminal) cannot be interrupted: give up
        // after a while and leave it to end with the JVM (guest threads are daemons).
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!processes.isEmpty() && System.nanoTime() < deadline) {
            for (GuestProcess p : processes.values()) {
                p.exit(dev.jlx.core.api.ExitStatus.killed(dev.jlx.abi.Signals.SIGKILL));
                if (!p.zombie()) {
                    p.stopThreads();
                }
            }
            synchronized (this) {
                try {
                    wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private final Accounting accounting = new Accounting();

    /** The run's BSD process accounting (acct(2)). */
    public Accounting accounting() {
        return accounting;
    }

    /** The signal the run's init ended by through reboot(2) (reboot_pid_ns), 0 before any. */
    private volatile int rebootSignal;

    /**
     * reboot(2) in the run's PID namespace (reboot_pid_ns): the caller exits with 0, every other
     * process is killed, and the run ends as if its init had been killed by {@code signal}.
     */
    public void reboot(GuestProcess caller, int signal) {
        rebootSignal = signal;
        caller.exit(dev.jlx.core.api.ExitStatus.exited(0));
        for (GuestProcess p : processes.values()) {
            p.exit(dev.jlx.core.api.ExitStatus.killed(dev.jlx.abi.Signals.SIGKILL));
        }
    }

    /** The signal reboot(2) ended the run with, 0 if it did not. */
    public int rebootSignal() {
        return rebootSignal;
    }

    /** jlx's own terminal: the controlling terminal of session 1, the first process's. */
    private final dev.jlx.core.tty.HostTerminal hostTerminal;

    public dev.jlx.core.tty.HostTerminal hostTerminal() {
        return hostTerminal;
    }

    /** The session whose controlling terminal is jlx's own: the first process's. */
    public static final int TERMINAL_SESSION = 1;

    /** The first process's pid: its parent is jlx (pid 1). */
    public static final int FIRST_PID = 2;

    /**
     * Whether process group {@code pgid} is orphaned: no member has a parent in another group of
     * its session. jlx, the first process's parent, counts as such a parent for it, as the shell
     * that starts a program is; orphans that jlx adopted later do not.
     */
    public boolean orphanedGroup(int pgid) {
        for (GuestProcess p : processes.values()) {
            if (p.pgid() != pgid || p.zombie()) {
                continue;
            }
            GuestProcess parent = p.parent();
            if (parent == null ? p.pid() == FIRST_PID && p.sid() == TERMINAL_SESSION
                    : parent.pgid() != pgid && parent.sid() == p.sid()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Told when the first process stops or continues by job control (its stop signal, or SIGCONT): jlx
     * is its parent, standing for the user's shell, which sees its job stop.
     */
    private volatile java.util.function.IntConsumer firstProcessJobControl = sig -> { };

    public void onFirstProcessJobControl(java.util.function.IntConsumer listener) {
        firstProcessJobControl = listener;
    }

    void firstProcessJobControl(GuestProcess p, int sig) {
        if (p.pid() == FIRST_PID) {
            firstProcessJobControl.accept(sig);
        }
    }

    /** SIGCONT to the first process's group, as the user's shell continues its job (fg, bg). */
    public void continueFirstGroup() {
        GuestProcess first = processes.get(FIRST_PID);
        if (first != null && !first.zombie()) {
            signalGroup(first.pgid(), Signals.SIGCONT);
        }
    }

    /** Sends {@code sig} to the foreground group of jlx's terminal, as its driver does for Ctrl-C. */
    public void signalForeground(int sig) {
        int pgrp = hostTerminal.foregroundGroup();
        if (pgrp != 0) {
            signalGroup(pgrp, sig);
        }
    }

    /** Sends {@code sig} from the kernel (SI_KERNEL) to every live process of group {@code pgrp} (kill_pgrp). */
    public void signalGroup(int pgrp, int sig) {
        for (GuestProcess p : processes.values()) {
            if (p.pgid() == pgrp && !p.zombie()) {
                p.signal(null, Siginfo.kill(sig, Signals.SI_KERNEL, 0, 0));
            }
        }
    }

    /** The guest thread the calling Java thread runs, or null on any other Java thread. */
    public static GuestThread caller() {
        return CALLER.get();
    }

    /** Binds the calling Java thread to {@code thread}, which it is about to run, or unbinds it (null). */
    static void setCaller(GuestThread thread) {
        if (thread == null) {
            CALLER.remove();
        } else {
            CALLER.set(thread);
        }
    }

    /** Logs {@code message} once per kernel for each distinct {@code key} (e.g. an unimplemented syscall). */
    public void warnOnce(String key, String message) {
        if (warned.add(key)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    public static System.Logger log() {
        return LOG;
    }
}
