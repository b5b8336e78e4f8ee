package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Rseq;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.cpu.RunResult;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.mem.MemoryPolicy;
import dev.jlx.core.mem.RunToken;
import dev.jlx.core.syscall.Args;

/**
 * A guest thread (a Linux task): its own CPU engine, tid, signal mask and the per-thread
 * addresses set_tid_address and set_robust_list register.
 */
public final class GuestThread {
    private final GuestProcess process;
    private final CpuEngine engine;
    /** The thread's id; execve from a thread other than the leader gives it the leader's (de_thread). */
    private volatile int tid;
    private final Args args = new Args();
    /** Set by the thread itself, read by senders in other threads and processes. */
    private volatile long signalMask;
    private long clearChildTid;
    private long robustList;
    private long robustListLength;
    private long rseq;
    private int rseqSignature;
    /** Signals sent to this thread alone (Linux's task pending set); guarded by the process's monitor. */
    volatile long pendingSignals;
    /** Their siginfo, made when the first one is sent. */
    private SignalQueue pendingInfo;

    SignalQueue pendingInfo() {
        if (pendingInfo == null) {
            pendingInfo = new SignalQueue();
        }
        return pendingInfo;
    }

    /** The signals pending for this thread alone (rt_sigpending, /proc's SigPnd). */
    public long pendingSignals() {
        return pendingSignals;
    }

    /**
     * Linux's signal_pending: a signal this thread does not block is pending for it or for its
     * process, so a blocking call must end with EINTR.
     */
    public boolean signalPending() {
        return ((process.pendingSignals() | pendingSignals) & ~signalMask) != 0;
    }

    /** prctl's PR_SET_PDEATHSIG: sent to the process when the thread that forked it ends; 0 in every new task. */
    private volatile int parentDeathSignal;
    /** prctl's PR_MCE_KILL policy, Linux's PF_MCE_PROCESS and PF_MCE_EARLY task flags; clone keeps them. */
    private int mceFlags;
    public static final int MCE_PROCESS = 1;
    public static final int MCE_EARLY = 2;
    /** prctl's PR_SET_TSC mode, Linux's TIF_NOTSC (PR_TSC_SIGSEGV); clone keeps it. */
    private boolean tscFaults;
    /** personality(2)'s value, PER_LINUX (0) at first; clone and execve keep it. */
    private volatile int personality;
    /** READ_IMPLIES_EXEC, which a 64-bit execve clears (Linux's set_personality_64bit). */
    public static final int READ_IMPLIES_EXEC = 0x0400000;
    /**
     * prctl's PR_SET_TIMERSLACK value in nanoseconds and the value 0 restores: 50 us for the first
     * task, the creator's current value for a new one (Linux's default_timer_slack_ns). Recorded
     * only: jlx's timed waits take no slack.
     */
    /** access(2)'s credentials while it checks (see {@link #checkingAs}), else null. */
    private GuestProcess.Credentials checkingAs;

    /** The credentials permission checks use: the process's, or access(2)'s while it checks. */
    public GuestProcess.Credentials fileCredentials() {
        GuestProcess.Credentials c = checkingAs;
        return c != null ? c : process.credentials();
    }

    /** Runs {@code check} with jlx's permission checks made as {@code c} (access(2) checks the real ids). */
    public <E extends Exception> void checkingAs(GuestProcess.Credentials c, Check<E> check) throws E {
        checkingAs = c;
        try {
            check.run();
        } finally {
            checkingAs = null;
        }
    }

    /** A permission check that may fail. */
    @FunctionalInterface
    public interface Check<E extends Exception> {
        void run() throws E;
    }

    private long timerSlack = 50_000;
    private long defaultTimerSlack = 50_000;

    public int parentDeathSignal() {
        return parentDeathSignal;
    }

    public void setParentDeathSignal(int sig) {
        parentDeathSignal = sig;
    }

    public int mceFlags() {
        return mceFlags;
    }

    public void setMceFlags(int flags) {
        mceFlags = flags;
    }

    public boolean tscFaults() {
        return tscFaults;
    }

    public void setTscFaults(boolean faults) {
        tscFaults = faults;
    }

    public int personality() {
        return personality;
    }

    public void setPersonality(int value) {
        personality = value;
    }

    public long timerSlack() {
        return timerSlack;
    }

    /** PR_SET_TIMERSLACK: 0 goes back to the default. */
    public void setTimerSlack(long nanos) {
        timerSlack = nanos == 0 ? defaultTimerSlack : nanos;
    }

    /** set_mempolicy's policy (Linux's task mempolicy, per thread, kept by clone and execve). */
    private volatile MemoryPolicy memoryPolicy = MemoryPolicy.DEFAULT;

    /** SECCOMP_MODE_STRICT: only read, write, exit and rt_sigreturn; kept by clone and execve, never left. */
    private volatile boolean seccompStrict;

    public boolean seccompStrict() {
        return seccompStrict;
    }

    public void setSeccompStrict() {
        seccompStrict = true;
    }

    /** Landlock's domain (Linux keeps it in the credentials): kept by clone and execve, only ever stacked on. */
    private volatile Landlock.Domain landlock;

    public Landlock.Domain landlock() {
        return landlock;
    }

    public void setLandlock(Landlock.Domain domain) {
        landlock = domain;
    }

    public MemoryPolicy memoryPolicy() {
        return memoryPolicy;
    }

    public void setMemoryPolicy(MemoryPolicy policy) {
        memoryPolicy = policy;
    }

    /** clone's copy of the task flags a new task keeps. */
    void inheritTaskFlags(GuestThread from) {
        memoryPolicy = from.memoryPolicy;
        seccompStrict = from.seccompStrict;
        landlock = from.landlock;
        mceFlags = from.mceFlags;
        tscFaults = from.tscFaults;
        personality = from.personality;
        timerSlack = from.timerSlack;
        defaultTimerSlack = from.timerSlack;
        IoContext io = from.ioContext;
        // copy_io: a context whose class is NONE (0) is not copied.
        ioContext = io == null || io.priority >> 13 == 0 ? null : new IoContext(io.priority);
    }

    /**
     * Linux's io_context: a task has none (I/O priority class NONE) until ioprio_set gives it one; a
     * clone copies the priority into a context of its own (copy_io, as jlx has no CLONE_IO).
     */
    public static final class IoContext {
        private volatile int priority;

        IoContext(int priority) {
            this.priority = priority;
        }

        public int priority() {
            return priority;
        }
    }

    private volatile IoContext ioContext;

    /** The task's I/O context, null for none. */
    public IoContext ioContext() {
        return ioContext;
    }

    /** ioprio_set: the task's I/O priority, in the context it has or a new one. */
    public synchronized void setIoPriority(int priority) {
        if (ioContext == null) {
            ioContext = new IoContext(priority);
        } else {
            ioContext.priority = priority;
        }
    }

    /** Policy, priorities and nice value (sched_setscheduler, setpriority). */
    private volatile Scheduling scheduling = Scheduling.DEFAULT;

    public Scheduling scheduling() {
        return scheduling;
    }

    void setScheduling(Scheduling s) {
        scheduling = s;
    }

    private final Object schedulingLock = new Object();

    /** sched_setscheduler's and setpriority's read, check and change, as one step. */
    public void changeScheduling(Scheduling.Change change) throws ErrnoException {
        synchronized (schedulingLock) {
            scheduling = change.apply(scheduling);
        }
    }

    /** sched_setaffinity's mask (bit n: CPU n); all bits until set. */
    private volatile long affinity = -1;

    public long affinity() {
        return affinity;
    }

    public void setAffinity(long mask) {
        affinity = mask;
    }

    /** sigaltstack's alternate signal stack: base, size (0: none) and its SS_AUTODISARM flag. */
    private long altStackSp;
    private long altStackSize;
    private int altStackFlags;

    public static final int SS_ONSTACK = 1;
    public static final int SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;
    /** MINSIGSTKSZ: the smallest alternate stack sigaltstack takes. */
    private static final long MIN_SIGNAL_STACK = 2048;

    public long altStackSp() {
        return altStackSp;
    }

    public long altStackSize() {
        return altStackSize;
    }

    public int altStackFlags() {
        return altStackFlags;
    }

    /** Whether {@code sp} is on the alternate stack (never, with SS_AUTODISARM), as Linux's on_sig_stack. */
    public boolean onAltStack(long sp) {
        return (altStackFlags & SS_AUTODISARM) == 0 && sp > altStackSp && sp - altStackSp <= altStackSize;
    }

    /** sigaltstack's ss_flags for a thread at {@code sp}: SS_DISABLE, SS_ONSTACK or 0, with SS_AUTODISARM. */
    public int altStackState(long sp) {
        return (altStackSize == 0 ? SS_DISABLE : onAltStack(sp) ? SS_ONSTACK : 0) | altStackFlags;
    }

    /**
     * sigaltstack's change, for a thread at {@code sp}: EPERM while running on the alternate stack,
     * EINVAL for unknown flags, ENOMEM for a stack below MINSIGSTKSZ; SS_DISABLE removes it.
     */
    public void setAltStack(long sp, long base, int flags, long size) throws dev.jlx.core.ErrnoException {
        if (onAltStack(sp)) {
            throw new dev.jlx.core.ErrnoException(dev.jlx.abi.Errno.EPERM);
        }
        int mode = flags & ~SS_AUTODISARM;
        if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) {
            throw new dev.jlx.core.ErrnoException(dev.jlx.abi.Errno.EINVAL);
        }
        if (mode == SS_DISABLE) {
            base = 0;
            size = 0;
        } else if (size < MIN_SIGNAL_STACK) {
            throw new dev.jlx.core.ErrnoException(dev.jlx.abi.Errno.ENOMEM);
        }
        altStackSp = base;
        altStackSize = size;
        altStackFlags = flags & SS_AUTODISARM;
    }

    void inheritAltStack(GuestThread from) {
        altStackSp = from.altStackSp;
        altStackSize = from.altStackSize;
        altStackFlags = from.altStackFlags;
    }

    /** A handler has gone onto the alternate stack: SS_AUTODISARM takes it away until sigreturn. */
    void disarmAltStack() {
        if ((altStackFlags & SS_AUTODISARM) != 0) {
            altStackSp = 0;
            altStackSize = 0;
            altStackFlags = 0;
        }
    }

    /** The thread's ptrace state while it is traced (Ptrace's, under the kernel's monitor), else null. */
    private volatile Ptrace.Tracee tracee;

    public Ptrace.Tracee tracee() {
        return tracee;
    }

    void setTracee(Ptrace.Tracee tracee) {
        this.tracee = tracee;
    }

    /** The id the thread had before an execve from it took the leader's (PTRACE_EVENT_EXEC's message). */
    private int formerTid;

    /** Set while the thread waits in a blocking call or is parked by a stop (state S or T in /proc). */
    private volatile boolean sleeping;

    public boolean sleeping() {
        return sleeping;
    }

    public void setSleeping(boolean sleeping) {
        this.sleeping = sleeping;
    }

    /**
     * The call being returned from: its number, result, the address of its syscall instruction and
     * RFLAGS, which the engine's registers do not show until the hook returns; a core dump taken
     * meanwhile records them as Linux's pt_regs at syscall exit.
     */
    private long exitNumber;
    private long exitResult;
    private long exitRip = -1;
    private long exitRflags;

    /** Written by the thread itself (its dispatcher) and read only by it: plain fields, no allocation per call. */
    public void setSyscallExit(long number, long result, long rip, long rflags) {
        exitNumber = number;
        exitResult = result;
        exitRip = rip;
        exitRflags = rflags;
    }

    /** The call being returned from, as {number, result, rip of its instruction, rflags}; null for none. */
    long[] syscallExit() {
        return exitRip == -1 ? null : new long[] {exitNumber, exitResult, exitRip, exitRflags};
    }

    /** Set by exit(2) when other threads of the process live on: only this one ends. */
    private volatile boolean exited;

    /** exit(2) of one thread: its run loop ends once the engine stops. */
    public void exitThread() {
        exited = true;
        engine.stop();
    }

    /** Whether this thread is to end: it exited, was ended by another thread's execve, or its process ends. */
    public boolean ending() {
        return exited || process.exiting();
    }

    /** execve's de_thread from a thread other than the leader: it takes over the leader's id. */
    void takeLeaderId() {
        formerTid = tid;
        tid = process.pid();
    }

    /** An execve that has passed its point of no return, installed when the engine has stopped. */
    private Exec.Loaded pendingExec;
    /** Where to go on when the engine has stopped (a signal handler, rt_sigreturn's target); -1 for nowhere. */
    private long resumeAt = -1;
    /** The mask rt_sigsuspend replaced, which the signal frame saves (Linux's saved_sigmask); -1 for none. */
    private long restoreMask = -1;

    GuestThread(GuestProcess process, CpuEngine engine, int tid) {
        this.process = process;
        this.engine = engine;
        this.tid = tid;
    }

    public GuestProcess process() {
        return process;
    }

    public CpuEngine engine() {
        return engine;
    }

    public int tid() {
        return tid;
    }

    public Args args() {
        return args;
    }

    public long signalMask() {
        return signalMask;
    }

    /** Sets the blocked set; SIGKILL and SIGSTOP can never be blocked. */
    public void setSignalMask(long mask) {
        this.signalMask = mask & ~(bit(Signals.SIGKILL) | bit(Signals.SIGSTOP));
    }

    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    public void setClearChildTid(long address) {
        this.clearChildTid = address;
    }

    public long clearChildTid() {
        return clearChildTid;
    }

    public void setRobustList(long head, long length) {
        this.robustList = head;
        this.robustListLength = length;
    }

    public long robustList() {
        return robustList;
    }

    public long robustListLength() {
        return robustListLength;
    }

    public long rseq() {
        return rseq;
    }

    int rseqSignature() {
        return rseqSignature;
    }

    /** rseq(2)'s registration: the thread's struct rseq and the signature abort handlers carry. */
    public void setRseq(long address, int signature) {
        this.rseq = address;
        this.rseqSignature = signature;
    }

    /**
     * A thread stopped between two blocks inside the critical section of a restartable sequence
     * goes to its abort handler, as Linux's rseq_ip_fixup when it preempts a thread or delivers it a
     * signal (here the same stop); the descriptor pointer is cleared. A bad descriptor or a handler
     * without the registered signature is SIGSEGV, as on Linux.
     */
    private long rseqFixup(long rip) {
        if (rseq == 0) {
            return rip;
        }
        GuestMemory mem = process.space().memory();
        try {
            long cs = mem.readLong(rseq + Rseq.RSEQ_CS);
            if (cs == 0) {
                return rip;
            }
            long start = mem.readLong(cs + Rseq.CS_START_IP);
            long length = mem.readLong(cs + Rseq.CS_POST_COMMIT_OFFSET);
            long abort = mem.readLong(cs + Rseq.CS_ABORT_IP);
            mem.writeLong(rseq + Rseq.RSEQ_CS, 0);
            if (Long.compareUnsigned(rip - start, length) >= 0) {
                return rip;
            }
            if (mem.readInt(cs + Rseq.CS_VERSION) != 0 || Long.compareUnsigned(abort - start, length) < 0
                    || mem.readInt(abort - 4) != rseqSignature) {
                fatal(Signals.SIGSEGV, "bad restartable sequence at 0x" + Long.toHexString(cs));
                return rip;
            }
            return abort;
        } catch (dev.jlx.core.ErrnoException e) {
            fatal(Signals.SIGSEGV, "unreadable restartable sequence of thread " + tid);
            return rip;
        }
    }

    /**
     * execve's last step: the new image replaces the old one as soon as the engine, stopped now,
     * returns; the syscall's result is not written (the new image starts with fresh registers).
     */
    public void execAfterStop(Exec.Loaded loaded) {
        pendingExec = loaded;
        engine.stop();
    }

    /** Whether the syscall being served has set new registers of its own (execve, a signal, rt_sigreturn). */
    public boolean execPending() {
        return pendingExec != null || resumeAt != -1;
    }

    /** Whether an execve has passed its point of no return and waits for the engine to stop. */
    public boolean execImagePending() {
        return pendingExec != null;
    }

    /** Resumes at {@code rip} once the engine stops, registers as already set: the syscall result is not written. */
    public void resumeAt(long rip) {
        resumeAt = rip;
        engine.stop();
    }

    /** rt_sigsuspend's saved mask, which the next signal frame records; -1 when none. */
    public long takeRestoreMask() {
        long m = restoreMask;
        restoreMask = -1;
        return m;
    }

    public void setRestoreMask(long mask) {
        restoreMask = mask;
    }

    /**
     * Runs the handler of a signal that became deliverable while guest code ran (its sender
     * stopped this engine between two blocks): the frame resumes at the interrupted instruction.
     */
    private long deliverAsync(long at) {
        Thread.interrupted();
        Ptrace.leftSyscall(this);
        Siginfo d = process.nextDelivery(this);
        long moved = tracee != null ? Ptrace.takeNewRip(this) : -1;
        if (moved != -1) {
            // The tracer moved RIP in the signal-delivery stop.
            at = moved;
        }
        if (d == null) {
            return at;
        }
        long[] regs = SignalFrames.registers(engine);
        regs[SignalFrames.RIP] = at;
        try {
            return SignalFrames.deliver(this, d, regs, signalMask());
        } catch (dev.jlx.core.ErrnoException e) {
            fatal(Signals.SIGSEGV, "cannot build a frame for " + Signals.name(d.signo()));
            return at;
        }
    }

    /** Installs the pending image: the old memory goes (or back to a vfork parent), the CPU starts afresh. */
    private long finishExec() {
        Exec.Loaded loaded = pendingExec;
        pendingExec = null;
        // exec_mm_release: the old image's robust futexes are let go while its memory is still there.
        RobustList.release(this);
        process.kernel().futexes().ownerExited(tid);
        AddressSpace old = process.space();
        old.detach(engine);
        if (process.sharesParentMemory()) {
            process.releaseVforkParent();
        } else {
            old.destroy();
        }
        engine.reset();
        clearChildTid = 0;
        altStackSp = 0;
        altStackSize = 0;
        altStackFlags = 0;
        robustList = 0;
        robustListLength = 0;
        rseq = 0;
        personality &= ~READ_IMPLIES_EXEC;
        process.install(loaded, this);
        if (tracee != null) {
            engine.reg(X86Reg.RIP, loaded.entry());
            process.kernel().ptrace().execed(this, formerTid != 0 ? formerTid : tid, args.number());
            formerTid = 0;
        }
        return loaded.entry();
    }

    /**
     * Runs guest code from {@code rip} until the process exits. A CPU fault the guest cannot
     * handle yet ends the process with the signal Linux would send.
     */
    void run(long rip) {
        engine.onSyscall(e -> process.kernel().dispatcher().dispatch(this));
        long at = rip;
        while (!process.exiting() && !exited) {
            if (tracee != null) {
                process.kernel().ptrace().takePendingTrap(this, false);
            }
            RunToken token = process.space().runToken();
            token.acquire(engine);
            try {
                inStepRun = false;
                at = afterRun(tracee != null && Ptrace.stepping(this) ? stepped(at) : engine.run(at));
            } finally {
                token.release();
            }
            if (process.exiting() || exited) {
                break;
            }
            if (pendingExec != null) {
                at = finishExec();
            } else if (process.stopped() && !process.kernel().ptrace().runsThroughGroupStop(this)) {
                // Job control: a thread stopped between two blocks waits for SIGCONT, then looks
                // at the signals that came meanwhile before it runs on.
                sleeping = true;
                process.parkWhileStopped();
                sleeping = false;
                engine.stop();
            }
        }
        if (tracee != null) {
            ExitStatus s = process.exitStatus();
            process.kernel().ptrace().exiting(this, s == null ? 0 : Ptrace.waitStatus(s));
        }
    }

    /**
     * Where the thread goes on after its engine returned, decided with the run token held, since
     * a signal frame is written to guest memory; execve and the end of the process are left to
     * {@link #run}.
     */
    private long afterRun(RunResult r) {
        if (process.exiting() || exited || pendingExec != null) {
            return -1;
        }
        if (resumeAt != -1) {
            long at = resumeAt;
            resumeAt = -1;
            // rt_sigreturn may have unblocked a pending signal: Linux delivers it before user mode.
            return signalPending() ? deliverAsync(at) : at;
        }
        return switch (r.kind()) {
            case STOPPED -> deliverAsync(rseqFixup(engine.reg(X86Reg.RIP)));
            case STEPPED -> stepTrap();
            case WATCHED -> watchTrap(r.interrupt());
            case HALTED -> fault(Signals.SIGSEGV, Signals.SI_KERNEL, 0, "hlt or jump to address 0 in user mode");
            case MEMORY_FAULT -> memoryFault(r);
            case INVALID_INSTRUCTION -> fault(Signals.SIGILL, ILL_ILLOPN, r.address(),
                    r.detail() + " at 0x" + Long.toHexString(r.address()));
            // A general-protection fault (13; cpuid with CPUID faulting on) is force_sig(SIGSEGV): no address.
            case INTERRUPT -> fault(signalForVector(r.interrupt()), codeForVector(r.interrupt()),
                    r.interrupt() == 13 ? 0 : engine.reg(X86Reg.RIP), r.detail());
        };
    }

    /** Syscall User Dispatch's settings (PR_SET_SYSCALL_USER_DISPATCH): calls from [offset, offset + len) pass. */
    public record UserDispatch(long offset, long len, long selector) {}

    private volatile UserDispatch userDispatch;

    /** The thread's Syscall User Dispatch, null when off (a new thread starts with it off, as Linux's copy_process). */
    public UserDispatch syscallUserDispatch() {
        return userDispatch;
    }

    public void setSyscallUserDispatch(UserDispatch d) {
        userDispatch = d;
    }

    /** SIGSYS's si_code for a call Syscall User Dispatch stopped, and AUDIT_ARCH_X86_64. */
    private static final int SYS_USER_DISPATCH = 2;
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    private static final byte SYSCALL_DISPATCH_FILTER_ALLOW = 0;
    private static final byte SYSCALL_DISPATCH_FILTER_BLOCK = 1;

    /**
     * syscall_user_dispatch, before anything else looks at the call at {@code rip} (the syscall
     * instruction) with number {@code nr}: false when it runs. A call from outside the range while the
     * selector (read now) is BLOCK does not run: SIGSYS (SYS_USER_DISPATCH) is forced with RAX back to
     * the call's number and the frame resuming after the syscall; an unreadable selector kills the
     * process by SIGSEGV, a selector of another value by SIGSYS.
     */
    public boolean userDispatched(long rip, long nr, long rflags) {
        UserDispatch d = userDispatch;
        long next = rip + 2;
        if (d == null || Long.compareUnsigned(next - d.offset(), d.len()) < 0) {
            return false;
        }
        if (d.selector() != 0) {
            byte state;
            try {
                state = process.space().memory().readByte(d.selector());
            } catch (dev.jlx.core.ErrnoException e) {
                fatal(Signals.SIGSEGV, "syscall user dispatch's selector is unreadable");
                return true;
            }
            if (state == SYSCALL_DISPATCH_FILTER_ALLOW) {
                return false;
            }
            if (state != SYSCALL_DISPATCH_FILTER_BLOCK) {
                fatal(Signals.SIGSYS, "syscall user dispatch's selector is " + state);
                return true;
            }
        }
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(Siginfo.Raw.KERNEL_SIZE - Siginfo.Raw.FROM)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        raw.putLong(Siginfo.SI_ADDR - Siginfo.Raw.FROM, next);
        raw.putInt(24 - Siginfo.Raw.FROM, (int) nr);
        raw.putInt(28 - Siginfo.Raw.FROM, AUDIT_ARCH_X86_64);
        Siginfo info = new Siginfo(Signals.SIGSYS, 0, SYS_USER_DISPATCH, new Siginfo.Raw(raw.array()));
        if (!handles(Signals.SIGSYS)) {
            fatal(info, "syscall " + nr + " stopped by syscall user dispatch");
            return true;
        }
        long[] regs = SignalFrames.registers(engine);
        regs[SignalFrames.RAX] = nr;
        regs[SignalFrames.RIP] = next;
        regs[SignalFrames.RCX] = next;
        regs[SignalFrames.R11] = rflags;
        try {
            resumeAt(SignalFrames.deliver(this, info, regs, signalMask()));
        } catch (dev.jlx.core.ErrnoException e) {
            fatal(Signals.SIGSEGV, "no room for the frame of SIGSYS after syscall user dispatch");
        }
        return true;
    }

    /** The instruction a single step began at (PTRACE_SINGLESTEP). */
    private long stepFrom;

    private boolean inStep;

    /** Whether the last run was a single step (its watchpoint trap is also the step's). */
    private boolean inStepRun;

    private RunResult stepped(long at) {
        stepFrom = at;
        inStepRun = true;
        inStep = true;
        try {
            return engine.stepOne(at);
        } finally {
            inStep = false;
        }
    }

    /** Whether the engine is running a single step (a syscall made in it is the stepped instruction). */
    public boolean inStep() {
        return inStep;
    }

    /**
     * A single step has run its instruction: SIGTRAP, as the debug exception sends it (TRAP_TRACE,
     * DR6's BS bit); after a {@code syscall} instruction it is the one Linux's syscall exit sends a
     * stepping task (TRAP_BRKPT, DR6 left as it was), as measured on Linux 6.1.
     */
    private long stepTrap() {
        long rip = engine.reg(X86Reg.RIP);
        byte[] insn = process.space().read(stepFrom, 2);
        if (insn.length == 2 && insn[0] == 0x0f && insn[1] == 0x05 && rip == stepFrom + 2) {
            return fault(Signals.SIGTRAP, TRAP_BRKPT, 0, "single step over a syscall");
        }
        Ptrace.debugTrap(this, DR6_BS);
        return fault(Signals.SIGTRAP, TRAP_TRACE, rip, "single step");
    }

    /**
     * A watchpoint's access has completed: SIGTRAP as the debug exception sends it, DR6 with the
     * slots hit (and BS when the access was a single step's), TRAP_HWBKPT (TRAP_TRACE for a step).
     */
    private long watchTrap(int hits) {
        boolean step = inStepRun;
        Ptrace.debugTrap(this, hits | (step ? DR6_BS : 0));
        return fault(Signals.SIGTRAP, step ? TRAP_TRACE : TRAP_HWBKPT, engine.reg(X86Reg.RIP), "watchpoint");
    }

    private static final int TRAP_HWBKPT = 4;

    /** DR6's single-step bit. */
    private static final long DR6_BS = 0x4000;
    private static final int TRAP_BRKPT = 1;
    private static final int TRAP_TRACE = 2;

    /** si_code values of the signals a CPU fault raises. */
    private static final int SEGV_MAPERR = 1;
    private static final int SEGV_ACCERR = 2;
    private static final int ILL_ILLOPN = 2;

    /**
     * A CPU fault: its signal's handler runs on a frame that resumes where the engine reports the
     * fault (for memory faults Unicorn 2.1 reports the start of the translated block: README,
     * Quirks); with no handler, or with the signal blocked or ignored, the process dies of it
     * (Linux's force_sig).
     */
    /**
     * A data access to memory that is not mapped, or not so: SIGSEGV. A handler's frame gets the
     * faulting instruction as RIP, which the engine reports only as the start of its block. Whether
     * a VMA holds the address decides the code, not the engine's kind of fault: a PROT_NONE page is
     * not mapped in the engine but is a mapping (SEGV_ACCERR), and a range munmap retired is mapped
     * in the engine but is none (SEGV_MAPERR; AddressSpace).
     */
    private long memoryFault(RunResult r) {
        int sig = Signals.SIGSEGV;
        long rip = engine.reg(X86Reg.RIP);
        // The faulting instruction goes into a handler's frame, and into a core file (RLIMIT_CORE).
        if ((handles(sig) || tracee != null || process.rlimits().soft(dev.jlx.abi.Resource.RLIMIT_CORE) != 0)
                && r.address() != rip) {
            rip = engine.faultingInstruction(rip, r.address(), process.space());
            engine.reg(X86Reg.RIP, rip);
        }
        if (!process.space().isMapped(r.address())) {
            return fault(sig, SEGV_MAPERR, r.address(), r.detail());
        }
        return fault(sig, SEGV_ACCERR, r.address(), r.interrupt() == 1 ? r.detail() : r.detail() + " (PROT_NONE)");
    }

    /** Whether a handler runs for a fault's {@code sig}: one is installed and the thread does not block it. */
    private boolean handles(int sig) {
        long handler = process.signalActions().handler(sig);
        return handler != Signals.SIG_DFL && handler != Signals.SIG_IGN && (signalMask & bit(sig)) == 0;
    }

    private long fault(int sig, int code, long address, String why) {
        return fault(new Siginfo(sig, 0, code, new Siginfo.Fault(address)), why);
    }

    /**
     * A signal the CPU raises (force_sig): a traced thread first shows it to its tracer in a
     * signal-delivery stop, which may drop it, change it, or move RIP.
     */
    private long fault(Siginfo info, String why) {
        long rip = engine.reg(X86Reg.RIP);
        if (tracee != null) {
            Ptrace.leftSyscall(this);
            info = process.kernel().ptrace().signalStop(this, info, true);
            long moved = Ptrace.takeNewRip(this);
            if (moved != -1) {
                rip = moved;
                engine.reg(X86Reg.RIP, rip);
            }
            if (info == null || ending()) {
                return rip;
            }
        }
        int sig = info.signo();
        if (!handles(sig)) {
            fatal(info, why);
            return rip;
        }
        long[] regs = SignalFrames.registers(engine);
        regs[SignalFrames.RIP] = rip;
        try {
            return SignalFrames.deliver(this, info, regs, signalMask());
        } catch (dev.jlx.core.ErrnoException e) {
            fatal(Signals.SIGSEGV, "no room for the frame of " + Signals.name(sig) + " after " + why);
            return rip;
        }
    }

    private void fatal(int sig, String why) {
        fatal(Siginfo.kill(sig, Signals.SI_KERNEL, 0, 0), why);
    }

    /** The process dies of {@code info}'s signal (force_sig), with a core when its default action dumps one. */
    private void fatal(Siginfo info, String why) {
        int sig = info.signo();
        Kernel.log().log(System.Logger.Level.INFO, "pid " + process.pid() + " killed by " + Signals.name(sig) + ": "
                + why);
        if (SignalActions.defaultAction(sig) == SignalActions.DefaultAction.CORE) {
            process.exitWithCore(this, info);
        } else {
            process.exit(ExitStatus.killed(sig));
        }
    }

    /** The si_code Linux's trap handlers give: FPE_INTDIV, ILL_ILLOPN, BUS_ADRALN, else SI_KERNEL. */
    static int codeForVector(int vector) {
        return switch (vector) {
            case 0, 17 -> 1;
            case 6 -> ILL_ILLOPN;
            default -> Signals.SI_KERNEL;
        };
    }

    /** The signal Linux's trap handlers send for an x86 exception vector. */
    static int signalForVector(int vector) {
        return switch (vector) {
            case 0, 16, 19 -> Signals.SIGFPE;
            case 1, 3 -> Signals.SIGTRAP;
            case 6 -> Signals.SIGILL;
            case 17 -> Signals.SIGBUS;
            default -> Signals.SIGSEGV;
        };
    }
}
