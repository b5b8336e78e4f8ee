package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.cpu.EngineException;
import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.RecordLocks;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.mem.AddressSpace;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A guest process, analogous to Linux's thread group: the address space, file descriptors,
 * working directory, signal dispositions, limits and credentials its threads share, and its place in
 * the process tree. Its pending signals ({@link PendingSignals}), job control ({@link JobControl})
 * and the running of its threads ({@link ThreadRunner}) are parts it owns, as its dispositions
 * ({@link SignalActions}) and limits ({@link Rlimits}) are.
 */
public final class GuestProcess {
    private final Kernel kernel;
    private final int pid;
    /** The parent while it lives; null for the first process and for orphans (whose parent is pid 1). */
    private volatile GuestProcess parent;
    /** The parent's thread that forked this process (Linux's real_parent task), while it lives. */
    private volatile GuestThread parentThread;
    /** Children not yet reaped, zombies included. */
    private final List<GuestProcess> children = new CopyOnWriteArrayList<>();
    private volatile int pgid;
    private volatile int sid;
    /** The controlling terminal (Linux's signal->tty), shared by fork; null for none. */
    private volatile dev.jlx.core.tty.Terminal controllingTerminal;
    /** The foreground group of the terminal that hung up on this session leader (signal->tty_old_pgrp), 0 for none. */
    private volatile int ttyOldPgrp;
    private final FdTable fds;
    private final SignalActions signalActions;
    private final Rlimits rlimits;
    private final List<GuestThread> threads = new CopyOnWriteArrayList<>();
    private volatile Credentials credentials;
    /** Serializes credential changes: each is computed from the credentials it replaces. */
    private final Object credentialsLock = new Object();
    /** Replaced by execve while other processes may read it (/proc). */
    private volatile AddressSpace space;
    /** The root and working directory, replaced together (Linux's fs_struct). */
    private final AtomicReference<FsView> fsView;
    private final AtomicInteger umask;
    private volatile byte[] comm = new byte[0];
    /** PF_FORKNOEXEC (process accounting's AFORK): made by fork and not yet exec'd. */
    private volatile boolean forkedNoExec;
    /** PF_SUPERPRIV (accounting's ASU): a privileged call (acct) passed its capability check. */
    private volatile boolean superPrivileged;
    /** Its namespaces (nsproxy): a fork child's are its parent's; unshare and setns change them. */
    private volatile Namespaces namespaces;
    /** Signals sent and not yet taken, and which thread takes each. */
    private final PendingSignals pending = new PendingSignals(this);
    /** Woken when a signal becomes pending: signalfd's poll waits on it. */
    private final dev.jlx.core.fs.Readiness signalReadiness = new dev.jlx.core.fs.Readiness();
    /** Woken when the process ends and when it is reaped: its pidfds' poll waits on it. */
    private final dev.jlx.core.fs.Readiness exitReadiness = new dev.jlx.core.fs.Readiness();
    /** Stop and continue, and what the parent's wait has yet to hear of them. */
    private final JobControl jobControl = new JobControl(this);
    /** The Java threads that run the guest threads, and each thread's end. */
    private final ThreadRunner threadRunner = new ThreadRunner(this);
    private volatile ExitStatus exitStatus;
    /** prctl's dumpable flag, Linux's mm flag: SUID_DUMP_USER (1) or SUID_DUMP_DISABLE (0). */
    private volatile int dumpable = 1;
    /** /proc/PID/coredump_filter (Linux's mm flags): kept by fork and execve. */
    private volatile int coredumpFilter = CoreDump.DEFAULT_FILTER;
    /** The core being dumped as the threads stop (Linux's core_state), or null. */
    private volatile CoreDump core;
    /** prctl's no_new_privs: kept by fork and execve, never cleared. */
    private volatile boolean noNewPrivs;
    /** prctl's child subreaper flag, recorded (orphans still go to pid 1): not inherited by fork. */
    private volatile boolean childSubreaper;
    /**
     * The securebits and the capability bounding set, parts of Linux's credentials: per process here,
     * as jlx keeps the ids. Changing either needs CAP_SETPCAP.
     */
    private volatile int securebits;
    private volatile long capabilityBound = ALL_CAPABILITIES;

    /** CAP_LAST_CAP of Linux 6.1 (CAP_CHECKPOINT_RESTORE). */
    public static final int CAP_LAST_CAP = 40;
    /** A login session's bounding set: every capability. */
    public static final long ALL_CAPABILITIES = (1L << (CAP_LAST_CAP + 1)) - 1;
    /** SECBIT_KEEP_CAPS: the securebit PR_SET_KEEPCAPS sets, cleared by execve. */
    public static final int SECBIT_KEEP_CAPS = 1 << 4;
    /** SECBIT_NOROOT: uid 0 gets no capabilities from execve. */
    public static final int SECBIT_NOROOT = 1;
    /** SECBIT_NO_SETUID_FIXUP: uid changes leave the capability sets alone. */
    public static final int SECBIT_NO_SETUID_FIXUP = 1 << 2;
    /** SECBIT_NO_CAP_AMBIENT_RAISE: PR_CAP_AMBIENT_RAISE is refused. */
    public static final int SECBIT_NO_CAP_AMBIENT_RAISE = 1 << 6;
    /**
     * CAP_FS_SET: the capabilities a file-system uid of 0 stands for (CAP_CHOWN, DAC_OVERRIDE,
     * DAC_READ_SEARCH, FOWNER, FSETID, LINUX_IMMUTABLE, MKNOD, MAC_OVERRIDE).
     */
    public static final long FS_CAPABILITIES = 0x1fL | 1L << 9 | 1L << 27 | 1L << 32;
    /** Capability numbers jlx's checks ask for (linux/capability.h). */
    public static final int CAP_CHOWN = 0;
    public static final int CAP_DAC_OVERRIDE = 1;
    public static final int CAP_DAC_READ_SEARCH = 2;
    public static final int CAP_FOWNER = 3;
    public static final int CAP_FSETID = 4;
    public static final int CAP_KILL = 5;
    public static final int CAP_SETGID = 6;
    public static final int CAP_SETUID = 7;
    public static final int CAP_SETPCAP = 8;
    public static final int CAP_NET_BIND_SERVICE = 10;
    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_NET_RAW = 13;
    public static final int CAP_IPC_LOCK = 14;
    public static final int CAP_IPC_OWNER = 15;
    public static final int CAP_SYS_CHROOT = 18;
    public static final int CAP_SYS_PTRACE = 19;
    public static final int CAP_SYS_PACCT = 20;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_BOOT = 22;
    public static final int CAP_SYS_NICE = 23;
    public static final int CAP_SYS_RESOURCE = 24;
    public static final int CAP_SYS_TIME = 25;
    public static final int CAP_SYS_TTY_CONFIG = 26;
    public static final int CAP_MKNOD = 27;
    public static final int CAP_SYSLOG = 34;
    public static final int CAP_WAKE_ALARM = 35;
    public static final int CAP_CHECKPOINT_RESTORE = 40;
    /** fs.suid_dumpable's default: what dumpable becomes when the effective ids change. */
    private static final int SUID_DUMPABLE = 0;
    /** When the process was created, in {@link System#nanoTime()} terms (the start time /proc shows). */
    private final long startNanos = System.nanoTime();
    private volatile ExecImage image;

    /** How a child ended, for wait4's rusage: its CPU times when it exited, in nanoseconds. */
    private volatile long exitUserNanos;
    private volatile long exitSystemNanos;
    /** CPU time of the children this process has reaped (getrusage RUSAGE_CHILDREN, times); under its monitor. */
    private long childrenUserNanos;
    private long childrenSystemNanos;
    /** The signal the parent gets when this process ends (clone's exit signal; SIGCHLD for fork). */
    private volatile int exitSignal = Signals.SIGCHLD;
    private volatile GuestThread leader;
    /** Where a forked child's main thread starts: just after its parent's syscall instruction. */
    private long startRip;
    /** ITIMER_REAL: alarm and setitimer; a fork child starts without one, execve keeps it. */
    private final RealTimer realTimer = new RealTimer(this);
    /** ITIMER_VIRTUAL and ITIMER_PROF, on the process's CPU time. */
    private final CpuTimer virtualTimer = CpuTimer.virtual(this);
    private final CpuTimer profilingTimer = CpuTimer.profiling(this);
    /** timer_create's timers; a fork child starts with none, execve deletes them. */
    private final PosixTimers posixTimers = new PosixTimers(this);
    /** The AIO contexts by their ring's address (Linux's mm->ioctx_table): a fork's child has none. */
    private final java.util.concurrent.ConcurrentHashMap<Long, AioContext> aioContexts =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Set once the process has exited and waits to be reaped. */
    private volatile boolean zombie;
    /** A vfork child's parent waits on this until the child execs or exits; null otherwise. */
    private final CountDownLatch vforkRelease;

    /** The first process of a kernel: its parent is jlx (pid 1). */
    GuestProcess(Kernel kernel, ByteString cwd, Credentials credentials) {
        this.kernel = kernel;
        this.pid = kernel.allocatePid();
        // In jlx's own group and session (pid 1), as a program a shell or a JVM starts is in theirs.
        this.pgid = 1;
        this.sid = 1;
        this.controllingTerminal = kernel.hostTerminal();
        this.fsView = new AtomicReference<>(new FsView(kernel.vfs(), cwd));
        this.umask = new AtomicInteger(022);
        this.credentials = credentials;
        this.fds = new FdTable();
        this.signalActions = new SignalActions();
        this.rlimits = Rlimits.inherited(kernel.host().identity());
        this.vforkRelease = null;
        this.namespaces = kernel.initialNamespaces();
        fds.onClose(this::releaseLocks);
    }

    /**
     * fork's child: copies of the parent's descriptors, dispositions, limits, credentials, working
     * directory, umask, name and image; the same group and session; no pending signals.
     */
    GuestProcess(GuestProcess parent, boolean vfork) {
        this.kernel = parent.kernel;
        this.pid = kernel.allocatePid();
        this.parent = parent;
        this.pgid = parent.pgid;
        this.sid = parent.sid;
        this.controllingTerminal = parent.controllingTerminal;
        this.fsView = new AtomicReference<>(parent.fsView());
        this.umask = new AtomicInteger(parent.umask());
        this.comm = parent.comm;
        this.forkedNoExec = true;
        this.credentials = parent.credentials;
        this.image = parent.image;
        this.dumpable = parent.dumpable;
        this.coredumpFilter = parent.coredumpFilter;
        this.noNewPrivs = parent.noNewPrivs;
        this.securebits = parent.securebits;
        this.capabilityBound = parent.capabilityBound;
        this.fds = parent.fds.copy();
        this.signalActions = parent.signalActions.copy();
        this.rlimits = parent.rlimits.copy();
        this.vforkRelease = vfork ? new CountDownLatch(1) : null;
        this.namespaces = parent.namespaces;
        fds.onClose(this::releaseLocks);
        parent.children.add(this);
    }

    /**
     * close(2) drops the process's POSIX record locks on the file (any descriptor of it, as Linux),
     * and the last close of an open file description drops its OFD locks.
     */
    private void releaseLocks(OpenFile file, boolean lastReference) {
        // dnotify's watches are dropped by a close as POSIX locks are (filp_close's dnotify_flush).
        dev.jlx.core.fs.Fsnotify.flushDnotify(file, fds);
        if (lastReference) {
            kernel.leases().release(file);
        }
        RecordLocks locks = kernel.recordLocks();
        if (locks.isEmpty()) {
            return;
        }
        try {
            RecordLocks.FileKey key = file.lockKey();
            if (key != null) {
                locks.release(key, this);
            }
        } catch (ErrnoException unlockable) {
            // A file whose identity cannot be read cannot hold locks either.
        }
        if (lastReference) {
            locks.releaseAll(file);
        }
    }

    public Kernel kernel() {
        return kernel;
    }

    public int pid() {
        return pid;
    }

    /** The parent's pid, or 1 (jlx) for the first process and for orphans. */
    public int ppid() {
        GuestProcess p = parent;
        return p == null ? 1 : p.pid;
    }

    public GuestProcess parent() {
        return parent;
    }

    public List<GuestProcess> children() {
        return children;
    }

    public int pgid() {
        return pgid;
    }

    public void setPgid(int pgid) {
        this.pgid = pgid;
    }

    public int sid() {
        return sid;
    }

    /** setsid: a new session and group led by this process, without a controlling terminal. */
    public void newSession() {
        this.sid = pid;
        this.pgid = pid;
        this.controllingTerminal = null;
    }

    /** The controlling terminal, or null: at first jlx's own terminal, session 1's. */
    public dev.jlx.core.tty.Terminal controllingTerminal() {
        return controllingTerminal;
    }

    public void setControllingTerminal(dev.jlx.core.tty.Terminal tty) {
        this.controllingTerminal = tty;
    }

    public void setTtyOldPgrp(int pgrp) {
        this.ttyOldPgrp = pgrp;
    }

    /** The group a hung-up terminal had in the foreground, now forgotten; 0 for none. */
    public int takeTtyOldPgrp() {
        int old = ttyOldPgrp;
        ttyOldPgrp = 0;
        return old;
    }

    public boolean zombie() {
        return zombie;
    }

    public synchronized long childrenUserNanos() {
        return childrenUserNanos;
    }

    public synchronized long childrenSystemNanos() {
        return childrenSystemNanos;
    }

    public long exitUserNanos() {
        return exitUserNanos;
    }

    public long exitSystemNanos() {
        return exitSystemNanos;
    }

    /** A vfork child: whether its parent still waits for it to exec or exit. */
    public boolean sharesParentMemory() {
        return vforkRelease != null && vforkRelease.getCount() > 0;
    }

    /** The vfork parent may go on: the child has exec'd or exited. */
    void releaseVforkParent() {
        if (vforkRelease != null) {
            vforkRelease.countDown();
        }
    }

    /** Blocks a vfork parent until its child has exec'd or exited. */
    public void awaitVforkRelease() {
        boolean interrupted = false;
        while (true) {
            try {
                vforkRelease.await();
                break;
            } catch (InterruptedException e) {
                // Linux's vfork wait is killable only: a kill of the parent still ends it when the child is done.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public FdTable fds() {
        return fds;
    }

    public SignalActions signalActions() {
        return signalActions;
    }

    public Rlimits rlimits() {
        return rlimits;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** How a credentials call changes the credentials it finds; EPERM and the like leave them as they are. */
    @FunctionalInterface
    public interface CredentialsChange {
        Credentials apply(Credentials current) throws ErrnoException;
    }

    /**
     * The set*id calls: {@code change} sees the current credentials, with no other change between.
     * As Linux's commit_creds, a change of the effective or file-system user or group makes the
     * process not dumpable (fs.suid_dumpable) and clears the calling thread's parent-death signal.
     */
    public void changeCredentials(CredentialsChange change) throws ErrnoException {
        synchronized (credentialsLock) {
            Credentials old = credentials;
            credentials = change.apply(old);
            if (old.euid() != credentials.euid() || old.egid() != credentials.egid()
                    || old.fsuid() != credentials.fsuid() || old.fsgid() != credentials.fsgid()) {
                dumpable = SUID_DUMPABLE;
                GuestThread caller = Kernel.caller();
                if (caller != null && caller.process() == this) {
                    caller.setParentDeathSignal(0);
                }
            }
        }
    }

    public int dumpable() {
        return dumpable;
    }

    public void setDumpable(int dumpable) {
        this.dumpable = dumpable;
    }

    public int coredumpFilter() {
        return coredumpFilter;
    }

    public void setCoredumpFilter(int filter) {
        this.coredumpFilter = filter & CoreDump.FILTER_MASK;
    }

    /** The core being dumped as the threads stop, or null. */
    CoreDump core() {
        return core;
    }

    public boolean noNewPrivs() {
        return noNewPrivs;
    }

    public void setNoNewPrivs() {
        noNewPrivs = true;
    }

    public boolean childSubreaper() {
        return childSubreaper;
    }

    public void setChildSubreaper(boolean subreaper) {
        childSubreaper = subreaper;
    }

    public int securebits() {
        return securebits;
    }

    public void setSecurebits(int bits) {
        securebits = bits;
    }

    public long capabilityBound() {
        return capabilityBound;
    }

    /** PR_CAPBSET_DROP: the capability leaves the bounding set for good (fork and execve keep the set). */
    public synchronized void dropBoundingCapability(int cap) {
        capabilityBound &= ~(1L << cap);
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    public void setNamespaces(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    /** The IPC namespace's objects: System V IPC and POSIX message queues. */
    public dev.jlx.core.ipc.IpcNamespace ipc() {
        return namespaces.ipc().objects();
    }

    public AddressSpace space() {
        return space;
    }

    void setSpace(AddressSpace space) {
        this.space = space;
    }

    /** The process's view of the file system (the kernel's, or a chroot's) and its working directory in it. */
    public record FsView(Vfs vfs, ByteString cwd) {}

    /** The root and working directory as one snapshot: a path walk uses both. */
    public FsView fsView() {
        return fsView.get();
    }

    public Vfs vfs() {
        return fsView().vfs();
    }

    /**
     * chroot(2): {@code root} becomes the process's "/", and {@code cwdInRoot} gives the working
     * directory in it from the one before.
     */
    public void changeRoot(Vfs root, UnaryOperator<ByteString> cwdInRoot) {
        fsView.updateAndGet(v -> new FsView(root, cwdInRoot.apply(v.cwd())));
    }

    public ByteString cwd() {
        return fsView().cwd();
    }

    public void setCwd(ByteString cwd) {
        fsView.updateAndGet(v -> new FsView(v.vfs(), cwd));
    }

    public int umask() {
        return umask.get();
    }

    /** umask(2): sets the mask and returns the one it replaced, in one step. */
    public int setUmask(int mask) {
        return umask.getAndSet(mask);
    }

    /** Whether the process was made by fork and has not exec'd since (accounting's AFORK). */
    public boolean forkedNoExec() {
        return forkedNoExec;
    }

    /** Whether the process used a privilege jlx marks (accounting's ASU). */
    public boolean superPrivileged() {
        return superPrivileged;
    }

    /** Marks the process as having used superuser privileges (PF_SUPERPRIV). */
    public void usedPrivilege() {
        superPrivileged = true;
    }

    /** The command name (comm): the executable's base name, at most 15 bytes. */
    public byte[] comm() {
        return comm.clone();
    }

    public void setComm(byte[] name) {
        this.comm = Arrays.copyOf(name, Math.min(name.length, 15));
    }

    /** The process's shared pending set (the signals sent to one thread pend on it). */
    public long pendingSignals() {
        return pending.shared();
    }

    PendingSignals pending() {
        return pending;
    }

    /**
     * Takes the lowest pending signal {@code t} does not block: one with SIG_DFL gets its default
     * action here (the process may end), SIG_IGN drops it, a handler returns it for a frame.
     */
    public Siginfo nextDelivery(GuestThread t) {
        return pending.next(t);
    }

    /** pause and rt_sigsuspend: waits until a signal {@code t} does not block is pending, or the process ends. */
    public void awaitSignal(GuestThread t) {
        pending.await(t);
    }

    /**
     * rt_sigtimedwait: takes one of {@code signals} pending for {@code t}, waiting up to
     * {@code timeoutNanos} (negative: without limit); EAGAIN at the time limit, EINTR when another
     * signal that {@code t} does not block comes first.
     */
    public Siginfo awaitSignal(GuestThread t, long signals, long timeoutNanos) throws ErrnoException {
        return pending.await(t, signals, timeoutNanos);
    }

    List<GuestThread> threads() {
        return threads;
    }

    /** The threads now, main thread first. */
    public List<GuestThread> threadSnapshot() {
        List<GuestThread> now = List.copyOf(threads);
        // A process whose threads have all ended (a zombie) still shows its leader, as Linux's /proc.
        return now.isEmpty() && leader != null ? List.of(leader) : now;
    }

    public long startNanos() {
        return startNanos;
    }

    /** The id of the Java thread running {@code thread} (for its CPU time), or -1 when it is not running. */
    public long javaThreadId(GuestThread thread) {
        return threadRunner.javaThreadId(thread);
    }

    ThreadRunner threadRunner() {
        return threadRunner;
    }

    /**
     * Makes {@code loaded} the process's image, run by {@code thread}: a new process's first thread,
     * or execve's caller once its old memory is gone.
     */
    void install(Exec.Loaded loaded, GuestThread thread) {
        space = loaded.space();
        space.attach(thread.engine());
        thread.engine().reg(X86Reg.RSP, loaded.sp());
        image = loaded.image();
        setComm(loaded.comm());
        forkedNoExec = false;
        if (!threads.contains(thread)) {
            threads.add(thread);
        }
        if (leader == null) {
            leader = thread;
        }
    }

    /** What execve set up, or null before the image is loaded. */
    public ExecImage image() {
        return image;
    }

    void setImage(ExecImage image) {
        this.image = image;
    }

    /** How the process ended, or null while it runs. */
    public ExitStatus exitStatus() {
        return exitStatus;
    }

    public boolean exiting() {
        return exitStatus != null;
    }

    /**
     * Ends the process (exit_group, a fatal signal, a time limit): the first status given wins,
     * and every thread is stopped at once.
     */
    public void exit(ExitStatus status) {
        exit(status, null);
    }

    /**
     * {@code t} (the caller) took {@code info}, whose default action dumps core: the process ends and
     * the core is written once every thread has stopped, with {@code t}'s registers as they are now.
     */
    void exitWithCore(GuestThread t, Siginfo info) {
        exit(ExitStatus.killed(info.signo()), new CoreDump(t, info));
    }

    /** The core's status once it is written: the signal with WCOREDUMP, as Linux's coredump_finish. */
    synchronized void coreDumped() {
        exitStatus = exitStatus.withCore();
    }

    private void exit(ExitStatus status, CoreDump dump) {
        synchronized (this) {
            if (exitStatus != null) {
                return;
            }
            exitStatus = status;
            core = dump;
            notifyAll();
        }
        stopThreads();
        // A thread blocked in a syscall (a pipe, wait4, a sleep) waits in Java: wake it.
        threadRunner.interruptOthers();
    }

    /** Asks every thread's engine to stop; repeated by whoever waits, since a stop can be lost (ENGINE.md). */
    void stopThreads() {
        for (GuestThread t : threads) {
            t.engine().stop();
        }
    }

    /**
     * The process's threads have ended: it becomes a zombie for its parent to reap, or is reaped at
     * once when its parent is jlx or ignores SIGCHLD; its own children pass to jlx (pid 1), which
     * reaps them. The parent gets SIGCHLD and any wait4 in it wakes.
     */
    void becomeZombie(long userNanos, long systemNanos) {
        // A session leader's exit leaves its controlling terminal (do_exit's disassociate_ctty), its files closed.
        dev.jlx.core.tty.Terminal.disassociate(this, true);
        realTimer.set(0, 0);
        virtualTimer.cancel();
        profilingTimer.cancel();
        posixTimers.deleteAll();
        releaseAio();
        exitUserNanos = userNanos;
        exitSystemNanos = systemNanos;
        releaseVforkParent();
        // exit_sem: the SEM_UNDO adjustments are undone before the parent hears of the exit.
        namespaces.ipc().objects().sem().exit(this);
        // The parent's signal is sent as its wait can see the zombie, as Linux's exit_notify: a wait
        // that returns this child finds the signal already pending. The links of the process tree
        // change under the kernel's monitor, as under Linux's tasklist_lock.
        synchronized (kernel) {
            // exit_ptrace: this process's tracees go free; its traced threads' ends are their tracers' to see.
            kernel.ptrace().tracerExited(this);
            for (GuestThread t : threadSnapshot()) {
                kernel.ptrace().exited(t, Ptrace.waitStatus(exitStatus));
            }
            List<GuestProcess> orphaned = new java.util.ArrayList<>();
            for (GuestProcess child : children) {
                child.parent = null;
                child.parentThread = null;
                if (child.zombie) {
                    kernel.unregister(child);
                } else {
                    child.parentDied(this);
                    orphaned.add(child);
                }
            }
            children.clear();
            zombie = true;
            // kill_orphaned_pgrp: this process was the last link of its group, or of a child's group,
            // to the rest of the session; a group so orphaned with a stopped member gets SIGHUP and SIGCONT.
            GuestProcess p0 = parent;
            if (p0 != null) {
                hangUpOrphaned(pgid, sid, p0);
            }
            for (GuestProcess child : orphaned) {
                hangUpOrphaned(child.pgid, child.sid, this);
            }
            // A tracer other than the parent hears of the exit first; the parent once it has (wait_task_zombie).
            if (!kernel.ptrace().exitPendingFor(this)) {
                notifyParentOfExit();
            }
            kernel.notifyAll();
        }
        exitReadiness.wake(dev.jlx.core.fs.Readiness.ALL);
    }

    /**
     * The zombie's parent hears of it: its exit signal, or the reap at once when it is jlx or ignores
     * SIGCHLD. Under the kernel's monitor.
     */
    void notifyParentOfExit() {
        GuestProcess p = parent;
        if (p == null || p.exiting() || p.signalActions.handler(Signals.SIGCHLD) == Signals.SIG_IGN) {
            reap();
        }
        if (p != null && !p.exiting() && exitSignal != 0) {
            ExitStatus s = exitStatus;
            boolean killed = s != null && s.signal() != 0;
            p.signal(null, new Siginfo(exitSignal, 0,
                    !killed ? Signals.CLD_EXITED : s.coreDumped() ? Signals.CLD_DUMPED : Signals.CLD_KILLED,
                    new Siginfo.Child(pid, credentials.uid(), s == null ? 0 : killed ? s.signal() : s.code() & 0xff,
                            CpuTime.ticks(exitUserNanos), CpuTime.ticks(exitSystemNanos))));
        }
        kernel.notifyAll();
    }

    /**
     * A group (of {@code session}) that {@code link}'s exit or loss may have orphaned: when {@code link}
     * is in another group of that session, the group is orphaned now and a member is stopped, every member
     * gets SIGHUP and SIGCONT (POSIX's rule for newly orphaned groups). Under the kernel's monitor.
     */
    private void hangUpOrphaned(int group, int session, GuestProcess link) {
        if (link.pgid == group || link.sid != session || !kernel.orphanedGroup(group)) {
            return;
        }
        boolean stopped = false;
        for (GuestProcess q : kernel.processes()) {
            stopped |= q.pgid == group && !q.zombie && q.stopped();
        }
        if (stopped) {
            kernel.signalGroup(group, Signals.SIGHUP);
            kernel.signalGroup(group, Signals.SIGCONT);
        }
    }

    /**
     * Sends {@code sig} to the process, to be taken by {@code thread} (the caller's own thread, or
     * null for the main thread) unless it blocks it and another thread does not: SIGKILL ends it; an
     * ignored signal vanishes; one that every thread blocks, or one with a handler, stays pending;
     * else its default action is taken. SIGCONT resumes a stopped process whatever its disposition,
     * and a stop signal cancels a pending SIGCONT and vice versa.
     */
    public void signal(GuestThread thread, int sig) {
        signal(thread, Siginfo.kill(sig, Signals.SI_USER, 0, 0));
    }

    /** As {@link #signal(GuestThread, int)}, with the siginfo a handler will see. */
    public void signal(GuestThread thread, Siginfo d) {
        pending.send(thread, d, false);
    }

    /**
     * Sends a signal to {@code thread} alone (tgkill, tkill, SIGPIPE): it pends on that thread, and
     * only that thread takes it; its default action still acts on the whole process.
     */
    public void signalThread(GuestThread thread, Siginfo d) {
        pending.send(thread, d, true);
    }

    PendingSignals pendingSignalsOf() {
        return pending;
    }

    public dev.jlx.core.fs.Readiness signalReadiness() {
        return signalReadiness;
    }

    public dev.jlx.core.fs.Readiness exitReadiness() {
        return exitReadiness;
    }

    JobControl jobControl() {
        return jobControl;
    }

    /** Job control: whether a stop signal holds the process. */
    public boolean stopped() {
        return jobControl.stopped();
    }

    /**
     * The state letter /proc shows for thread {@code t}: Z (zombie), t (in a ptrace stop), T (stopped),
     * S (sleeping in a call) or R.
     */
    public char state(GuestThread t) {
        // The thread that reads it is running (its read is a call that may block).
        return zombie ? 'Z' : kernel.ptrace().inStop(t) ? 't' : stopped() ? 'T'
                : t.sleeping() && Kernel.caller() != t ? 'S' : 'R';
    }

    /** Parks the calling thread while the process is stopped; returns at once otherwise, or when it ends. */
    public void parkWhileStopped() {
        jobControl.parkWhileStopped();
    }

    /**
     * The stop or continue that wait has not reported yet, as wait's status word ((sig << 8) | 0x7f, or
     * 0xffff), or 0 for none; {@code consume} clears it. Called with the kernel's lock held.
     */
    public int takeStateChange(boolean stops, boolean continues, boolean consume) {
        return jobControl.takeStateChange(stops, continues, consume);
    }

    /**
     * fork, vfork and clone's child process, ready for {@link #start}: its own copy of the memory,
     * or this process's memory itself when {@code shareMemory} (vfork: the parent waits meanwhile);
     * one thread with the caller's registers, returning 0 at {@code rip}, on {@code stack} and with
     * FS base {@code tls} when they are not 0 and -1.
     */
    public GuestProcess fork(GuestThread caller, boolean vfork, boolean shareMemory, int exitSignal, long rip,
            long rflags, long stack, long tls) throws ErrnoException {
        CpuEngine engine = newEngine();
        AddressSpace childSpace;
        try {
            childSpace = shareMemory ? space : space.fork();
        } catch (ErrnoException e) {
            engine.release();
            throw e;
        }
        GuestProcess child = new GuestProcess(this, vfork);
        child.parentThread = caller;
        child.exitSignal = exitSignal;
        child.space = childSpace;
        GuestThread thread = cloneOf(caller, child, child.pid, engine, rip, rflags, stack, tls);
        child.leader = thread;
        child.startRip = rip;
        kernel.register(child);
        return child;
    }

    /** Starts a forked child's main thread on a Java platform thread of its own. */
    public void start() {
        threadRunner.startProcess(mainThread(), startRip);
    }

    /** The error inside jlx that killed this process (see {@link #failedInsideJlx}), or null. */
    private volatile Throwable internalError;

    public Throwable internalError() {
        return internalError;
    }

    /**
     * A thread met an error inside jlx itself (an unexpected exception in a syscall handler): the
     * process cannot go on with that thread gone, so all of it ends, as if killed by SIGSYS, the
     * signal with which Linux kills a process over a system call it will not serve (seccomp's
     * SECCOMP_RET_KILL_PROCESS). Never a clean exit: a parent or a test harness running inside jlx
     * sees that it died (a shell prints "Bad system call", status 159), and jlx's log has the stack
     * trace, once per process.
     */
    void failedInsideJlx(GuestThread thread, Throwable e) {
        synchronized (this) {
            if (internalError != null) {
                return;
            }
            internalError = e;
        }
        Kernel.log().log(System.Logger.Level.ERROR, "pid " + pid + " (thread " + thread.tid()
                + ") failed inside jlx; the process is killed with SIGSYS", e);
        exit(ExitStatus.killed(Signals.SIGSYS));
    }

    /**
     * clone(CLONE_THREAD)'s new thread: its own engine on this address space, the caller's
     * registers, returning 0 at {@code rip} on {@code stack}, FS base {@code tls} unless -1.
     */
    public GuestThread newThread(GuestThread caller, long rip, long rflags, long stack, long tls)
            throws ErrnoException {
        return cloneOf(caller, this, kernel.allocatePid(), newEngine(), rip, rflags, stack, tls);
    }

    /** An engine for a new thread; EAGAIN when none can be made, as clone's resource failure. */
    private static CpuEngine newEngine() throws ErrnoException {
        try {
            return UnicornEngine.acquire();
        } catch (EngineException e) {
            throw new ErrnoException(Errno.EAGAIN, e.getMessage());
        }
    }

    /**
     * A thread of {@code owner} on {@code engine} that starts as {@code caller} returns from clone:
     * the caller's registers, 0 in RAX at {@code rip}, on {@code stack} and with FS base {@code tls}
     * unless they are 0 and -1, and the caller's signal mask, affinity and scheduling (as sched_fork
     * leaves it).
     */
    private static GuestThread cloneOf(GuestThread caller, GuestProcess owner, int tid, CpuEngine engine, long rip,
            long rflags, long stack, long tls) {
        owner.space.attach(engine);
        engine.copyStateFrom(caller.engine());
        engine.reg(X86Reg.RAX, 0);
        engine.reg(X86Reg.RCX, rip);
        engine.reg(X86Reg.R11, rflags);
        if (stack != 0) {
            engine.reg(X86Reg.RSP, stack);
        }
        if (tls != -1) {
            engine.reg(X86Reg.FS_BASE, tls);
        }
        GuestThread thread = new GuestThread(owner, engine, tid);
        thread.setSignalMask(caller.signalMask());
        thread.setAffinity(caller.affinity());
        thread.setScheduling(caller.scheduling().forked());
        thread.inheritTaskFlags(caller);
        if (owner != caller.process()) {
            // A new process keeps the alternate signal stack (it is in its copy of the memory); a thread does not.
            thread.inheritAltStack(caller);
        }
        if (owner.space != caller.process().space) {
            // Without CLONE_VM the rseq area is at the same place in the copy (Linux's rseq_fork).
            thread.setRseq(caller.rseq(), caller.rseqSignature());
        }
        owner.threads.add(thread);
        return thread;
    }

    /** Runs a thread made by {@link #newThread} on a Java platform thread of its own. */
    public void startThread(GuestThread thread, long rip) {
        threadRunner.startThread(thread, rip);
    }

    CpuTime endedThreadsTime() {
        return threadRunner.endedThreadsTime();
    }

    /** Runs {@code thread} on the calling Java thread until it or the process ends. */
    void runThread(GuestThread thread, long rip) {
        threadRunner.run(thread, rip);
    }

    /**
     * A thread that is not the last has ended: the children it forked pass to another thread of the
     * process and get their parent-death signals, as Linux's forget_original_parent (the signal is for
     * the death of the parent thread, not of the whole process).
     */
    void reparentChildrenOf(GuestThread ended) {
        for (GuestProcess child : children) {
            if (child.parentThread == ended) {
                List<GuestThread> live = threads;
                child.parentThread = live.isEmpty() ? null : live.get(0);
                if (!child.zombie) {
                    child.parentDied(this);
                }
            }
        }
    }

    /** Each thread's PR_SET_PDEATHSIG signal goes to this process, from the parent that ended (SI_USER). */
    private void parentDied(GuestProcess parent) {
        for (GuestThread t : threadSnapshot()) {
            int sig = t.parentDeathSignal();
            if (sig != 0) {
                signal(null, Siginfo.kill(sig, Signals.SI_USER, parent.pid, parent.credentials.uid()));
            }
        }
    }

    /**
     * execve's de_thread: every other thread ends; returns when they have. The caller becomes the
     * leader and takes the process's id as its own, as Linux's exchange of the two tasks' pids.
     */
    public void endOtherThreads(GuestThread keep) {
        threadRunner.endOthers(keep);
        if (leader != keep) {
            keep.takeLeaderId();
            leader = keep;
        }
    }

    /** Threads still running. */
    public int liveThreads() {
        return threads.size();
    }

    /** Waits until the process has ended (its last thread is done); false when {@code limit} passed first. */
    public boolean awaitEnd(Duration limit) throws InterruptedException {
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        synchronized (kernel) {
            while (!zombie) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                kernel.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
            }
        }
        return true;
    }

    /** The thread-group leader: the process's first thread, which names it even after it has ended. */
    public GuestThread mainThread() {
        return leader;
    }

    public RealTimer realTimer() {
        return realTimer;
    }

    public CpuTimer virtualTimer() {
        return virtualTimer;
    }

    public CpuTimer profilingTimer() {
        return profilingTimer;
    }

    public java.util.concurrent.ConcurrentHashMap<Long, AioContext> aioContexts() {
        return aioContexts;
    }

    /** exit_aio: the contexts go with the memory (exit, execve) and leave /proc/sys/fs/aio-nr. */
    private void releaseAio() {
        for (Long id : aioContexts.keySet()) {
            AioContext c = aioContexts.remove(id);
            if (c != null) {
                c.kill();
                kernel.aioRequests().addAndGet(-c.maxRequests());
            }
        }
    }

    public PosixTimers posixTimers() {
        return posixTimers;
    }

    public int exitSignal() {
        return exitSignal;
    }

    /**
     * execve's changes to the process itself: caught signals back to their defaults; dumpable again
     * unless the real and effective ids differ; the capability sets execve gives a program without file
     * capabilities (jlx reads no security.capability attribute) and SECBIT_KEEP_CAPS cleared; POSIX
     * timers deleted.
     */
    public void execReset() {
        signalActions.flushHandlers();
        posixTimers.deleteAll();
        releaseAio();
        synchronized (credentialsLock) {
            Credentials c = credentials;
            credentials = c.withCaps(c.caps().afterExec(c.uid(), c.euid(), capabilityBound, securebits));
            dumpable = c.uid() == c.euid() && c.gid() == c.egid() ? 1 : SUID_DUMPABLE;
        }
        securebits &= ~SECBIT_KEEP_CAPS;
    }

    /** Removes a zombie from its parent and from the process table (wait4, or no one to wait). */
    public void reap() {
        GuestProcess p = parent;
        if (p != null) {
            p.children.remove(this);
            synchronized (p) {
                // Linux adds a reaped child's times, and those of the children it reaped, to its parent's.
                p.childrenUserNanos += exitUserNanos + childrenUserNanos;
                p.childrenSystemNanos += exitSystemNanos + childrenSystemNanos;
            }
        }
        kernel.unregister(this);
    }

    /**
     * Real, effective, saved and file-system user and group ids, the supplementary groups and the
     * capability sets: the guest's view. The file-system ids are the ones jlx's own access checks and
     * new pipes use, as Linux's; the host still checks every host file access against jlx's own host
     * identity. Linux keeps credentials per thread; jlx per process (glibc changes every thread's ids
     * together anyway; capset changes the whole process's sets).
     */
    public record Credentials(int uid, int gid, int euid, int egid, int[] groups, int suid, int sgid, int fsuid,
            int fsgid, Capabilities caps) {
        /**
         * A process's first credentials: the saved and file-system ids are the effective ones, and the
         * capabilities those execve gives a program without file capabilities: every one with euid 0.
         */
        public Credentials(int uid, int gid, int euid, int egid, int[] groups) {
            this(uid, gid, euid, egid, groups, euid, egid, euid, egid, Capabilities.NONE.afterExec(uid, euid,
                    ALL_CAPABILITIES, 0));
        }

        /**
         * The kernel's generic_permission: whether these credentials may {@code want} (4 read, 2
         * write, 1 execute or search) a file of this owner, group and mode (type bits included): the
         * owner's, else the group's (the file-system gid or a supplementary group), else others'
         * bits; failing those CAP_DAC_READ_SEARCH reads and searches, and CAP_DAC_OVERRIDE does the
         * rest but executing a file that no one may execute.
         */
        public boolean permits(int owner, int group, int mode, int want) {
            int bits = owner == fsuid ? mode >> 6 : inGroup(group) ? mode >> 3 : mode;
            if ((want & ~bits & 7) == 0) {
                return true;
            }
            if ((mode & FileMode.S_IFMT) == FileMode.S_IFDIR) {
                return (want & 2) == 0 && capable(CAP_DAC_READ_SEARCH) || capable(CAP_DAC_OVERRIDE);
            }
            if (((want & 1) == 0 || (mode & 0111) != 0) && capable(CAP_DAC_OVERRIDE)) {
                return true;
            }
            return (want & 7) == 4 && capable(CAP_DAC_READ_SEARCH);
        }

        /** in_group_p: the file-system gid or one of the supplementary groups. */
        public boolean inGroup(int gid) {
            if (gid == fsgid) {
                return true;
            }
            for (int g : groups) {
                if (g == gid) {
                    return true;
                }
            }
            return false;
        }

        /**
         * access(2)'s credentials (do_faccessat without AT_EACCESS): the real ids as file-system
         * ids, and unless SECBIT_NO_SETUID_FIXUP, no capabilities for a real uid other than 0 and
         * the permitted ones for 0.
         */
        public Credentials forAccess(int securebits) {
            Capabilities c = caps;
            if ((securebits & SECBIT_NO_SETUID_FIXUP) == 0) {
                c = new Capabilities(c.inheritable(), c.permitted(), uid == 0 ? c.permitted() : 0, c.ambient());
            }
            return new Credentials(uid, gid, euid, egid, groups, suid, sgid, uid, gid, c);
        }

        /** Whether the capability is in the effective set (Linux's capable()). */
        public boolean capable(int cap) {
            return (caps.effective() >>> cap & 1) != 0;
        }

        public Credentials withCaps(Capabilities c) {
            return new Credentials(uid, gid, euid, egid, groups, suid, sgid, fsuid, fsgid, c);
        }
    }

    /** The inheritable, permitted, effective and ambient capability sets (capabilities(7)), bit n for capability n. */
    public record Capabilities(long inheritable, long permitted, long effective, long ambient) {
        public static final Capabilities NONE = new Capabilities(0, 0, 0, 0);

        /**
         * execve's sets for a program without file capabilities (commoncap.c's cap_bprm_creds_from_file):
         * unless SECBIT_NOROOT, a real or effective uid 0 gets the bounding and inheritable sets as
         * permitted, and an effective uid 0 all of them effective; else the ambient set is all it keeps.
         */
        public Capabilities afterExec(int uid, int euid, long bounding, int securebits) {
            boolean root = (securebits & SECBIT_NOROOT) == 0;
            long p = root && (uid == 0 || euid == 0) ? (bounding | inheritable) : 0;
            p |= ambient;
            long e = root && euid == 0 ? p : ambient;
            return new Capabilities(inheritable, p, e, ambient);
        }

        /**
         * A change of the real, effective or saved uid (commoncap.c's cap_emulate_setxuid): leaving uid 0
         * in all three clears the permitted and effective sets (not with SECBIT_KEEP_CAPS) and the
         * ambient one; leaving effective uid 0 clears the effective set, coming back to it restores it
         * from the permitted one. SECBIT_NO_SETUID_FIXUP turns all this off.
         */
        public Capabilities afterSetuid(Credentials old, int uid, int euid, int suid, int securebits) {
            if ((securebits & SECBIT_NO_SETUID_FIXUP) != 0) {
                return this;
            }
            long p = permitted;
            long e = effective;
            long a = ambient;
            if ((old.uid() == 0 || old.euid() == 0 || old.suid() == 0) && uid != 0 && euid != 0 && suid != 0) {
                if ((securebits & SECBIT_KEEP_CAPS) == 0) {
                    p = 0;
                    e = 0;
                }
                a = 0;
            }
            if (old.euid() == 0 && euid != 0) {
                e = 0;
            } else if (old.euid() != 0 && euid == 0) {
                e = p;
            }
            return new Capabilities(inheritable, p, e, a);
        }

        /**
         * A change of the file-system uid (cap_task_fix_setuid's LSM_SETID_FS): leaving 0 drops the
         * file-system capabilities from the effective set, coming to 0 raises those permitted.
         */
        public Capabilities afterSetfsuid(int oldFsuid, int fsuid, int securebits) {
            if ((securebits & SECBIT_NO_SETUID_FIXUP) != 0) {
                return this;
            }
            if (oldFsuid == 0 && fsuid != 0) {
                return new Capabilities(inheritable, permitted, effective & ~FS_CAPABILITIES, ambient);
            }
            if (oldFsuid != 0 && fsuid == 0) {
                return new Capabilities(inheritable, permitted, effective | permitted & FS_CAPABILITIES, ambient);
            }
            return this;
        }
    }

    /**
     * What execve left in Linux's {@code mm_struct} for /proc: the executable's guest path, the
     * code and data ends of its ELF image, the program break's start, the initial stack pointer,
     * the argument and environment strings' ranges on the stack, the auxiliary vector as written, and
     * the device and inode of the program and of its interpreter, which may not be written while they
     * run (deny_write_access: ETXTBSY).
     */
    public record ExecImage(ByteString exe, long startCode, long endCode, long startData, long endData, long startBrk,
            long startStack, long argStart, long argEnd, long envStart, long envEnd, byte[] auxv, long[] files) {
        /** Whether the file of device {@code dev} and inode {@code ino} is the program or its interpreter. */
        public boolean runs(long dev, long ino) {
            for (int i = 0; i < files.length; i += 2) {
                if (files[i] == dev && files[i + 1] == ino) {
                    return true;
                }
            }
            return false;
        }
    }
}
