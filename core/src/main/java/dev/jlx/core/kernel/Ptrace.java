package dev.jlx.core.kernel;

import static dev.jlx.abi.Ptrace.PTRACE_EVENT_STOP;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.mem.RunToken;
import java.util.ArrayList;
import java.util.List;

/**
 * ptrace(2)'s tracees and their stops, analogous to Linux's task->ptrace with ptrace_stop and the
 * tracer's side of wait (kernel/ptrace.c, kernel/signal.c). A tracee stops on its own Java thread:
 * it takes its registers out of its engine into a user_regs_struct, parks on the kernel's monitor
 * (as wait's scan, which reports the stop to the tracer, reads it), and when the tracer resumes it
 * writes back what the tracer changed. So only the tracee's own thread ever touches its engine;
 * the tracer reads and writes the copy while the tracee is parked. Every field of a {@link Tracee}
 * is guarded by the kernel's monitor.
 */
public final class Ptrace {
    /** What kind of stop a tracee is in: PTRACE_GET_SYSCALL_INFO and the resume depend on it. */
    public enum Kind { SIGNAL, SYSCALL_ENTRY, SYSCALL_EXIT, EVENT, GROUP }

    /** One traced thread (Linux's task->ptrace, ->parent, ->jobctl's trap bits, ->last_siginfo). */
    public static final class Tracee {
        private final GuestThread thread;
        private GuestProcess tracer;
        private boolean seized;
        private int options;
        /** Parked in a stop until the tracer resumes it; volatile for /proc's look without the lock. */
        private volatile boolean stopped;
        private Kind kind;
        /** The stop's wait status until a wait reports it, then 0. */
        private int report;
        private long message;
        private Siginfo siginfo;
        /** The user_regs_struct while stopped. */
        private long[] regs;
        private boolean regsChanged;
        /** How the tracer resumed it: the signal to deliver and whether syscalls stop it. */
        private int resumeSignal;
        private boolean syscalls;
        /** PTRACE_SINGLESTEP: the thread runs one instruction and traps (Linux's TIF_SINGLESTEP). */
        private boolean step;
        /** Where the tracer moved RIP in the last stop, for the thread to resume there; -1 for nowhere. */
        private long newRip = -1;
        /** The debug registers as the tracer sees them (u_debugreg): DR0-3, DR6 as Linux's virtual_dr6, DR7. */
        private final long[] debugRegs = new long[8];
        /** The tracer changed DR0-3 or DR7: the thread gives its engine the watchpoints as it resumes. */
        private boolean debugChanged;
        private boolean listen;
        /** A trap to take at the next chance (a new child's first stop, PTRACE_INTERRUPT): its status, or 0. */
        private int pendingTrap;
        /** This thread has reported the current group stop. */
        private boolean groupStopTaken;
        /**
         * The syscall the thread has just made, while it has not gone back to guest code: number,
         * result, return address and RFLAGS, which a stop there shows as Linux's pt_regs would
         * (orig_rax, rax, rcx, r11). Only the tracee's own thread touches it.
         */
        private long[] syscall;
        /** Work the tracer asks the stopped tracee's thread to do with its engine; null for none. */
        private Runnable task;
        /** SIGKILL came: not even the exit stop waits. */
        private boolean killed;
        /** The ended tracee's wait status for its tracer, -1 while it lives. */
        private int exitReport = -1;
        /** The signal stop's siginfo as the tracer left it (PTRACE_SETSIGINFO), once resumed. */
        private Siginfo lastSiginfo;

        Tracee(GuestThread thread) {
            this.thread = thread;
        }
    }

    private final Kernel kernel;
    /** Every tracee, live or ended but not yet reported to its tracer; under the kernel's monitor. */
    private final List<Tracee> tracees = new ArrayList<>();

    Ptrace(Kernel kernel) {
        this.kernel = kernel;
    }

    private static final int SIGTRAP = Signals.SIGTRAP;

    // ---- the tracer's requests -------------------------------------------------------------

    /**
     * __ptrace_may_access with PTRACE_MODE_REALCREDS: the caller's own process, or one whose real,
     * effective and saved ids all are the caller's real ones and which is dumpable; CAP_SYS_PTRACE
     * passes both checks. EPERM otherwise.
     */
    public static void checkAccess(GuestProcess caller, GuestProcess target) throws ErrnoException {
        if (caller == target) {
            return;
        }
        GuestProcess.Credentials c = caller.credentials();
        GuestProcess.Credentials o = target.credentials();
        boolean capable = c.capable(GuestProcess.CAP_SYS_PTRACE);
        boolean sameIds = c.uid() == o.uid() && c.uid() == o.euid() && c.uid() == o.suid()
                && c.gid() == o.gid() && c.gid() == o.egid() && c.gid() == o.sgid();
        if (!capable && (!sameIds || target.dumpable() != 1)) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /**
     * PTRACE_TRACEME: the caller's parent traces it. EPERM when it is traced already, or when its
     * parent is jlx (pid 1), which is no guest task that could wait for its stops.
     */
    public void traceMe(GuestThread t) throws ErrnoException {
        synchronized (kernel) {
            GuestProcess parent = t.process().parent();
            if (t.tracee() != null || parent == null || parent.exiting()) {
                throw new ErrnoException(Errno.EPERM);
            }
            attach(t, parent, false, 0);
        }
    }

    /**
     * PTRACE_ATTACH and PTRACE_SEIZE, once the caller may trace {@code target}: EPERM when it is traced
     * already. ATTACH sends SIGSTOP (from the kernel, SI_KERNEL); both make a tracee that is in a group
     * stop trap at once, so that wait sees it.
     */
    public void attach(GuestThread caller, GuestThread target, boolean seize, int options) throws ErrnoException {
        synchronized (kernel) {
            if (target.tracee() != null || target.process().exiting()) {
                throw new ErrnoException(Errno.EPERM);
            }
            Tracee tr = attach(target, caller.process(), seize, options);
            if (target.process().stopped()) {
                // ptrace_attach's JOBCTL_TRAP_STOP: the stopped tracee re-traps into a ptrace stop,
                // and the attach returns once it has (JOBCTL_TRAPPING), so that wait sees it.
                tr.pendingTrap = groupStopStatus(tr, target.process().jobControl().stopSignal());
                target.process().jobControl().wakeParked();
                long until = System.nanoTime() + 1_000_000_000L;
                while (!tr.stopped && tr.tracer != null && !target.ending() && System.nanoTime() < until) {
                    try {
                        kernel.wait(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        if (!seize) {
            target.process().signalThread(target, Siginfo.kill(Signals.SIGSTOP, Signals.SI_KERNEL, 0, 0));
        }
    }

    private Tracee attach(GuestThread t, GuestProcess tracer, boolean seize, int options) {
        Tracee tr = new Tracee(t);
        tr.tracer = tracer;
        tr.seized = seize;
        tr.options = options;
        tracees.add(tr);
        t.setTracee(tr);
        return tr;
    }

    /**
     * The tracee {@code tid} of {@code tracer}, which must be in a ptrace stop unless {@code anyState}
     * (PTRACE_KILL, PTRACE_INTERRUPT); ESRCH otherwise, as ptrace_check_attach. Under the kernel's monitor.
     */
    private Tracee stoppedTracee(GuestProcess tracer, int tid, boolean anyState) throws ErrnoException {
        for (Tracee tr : tracees) {
            if (tr.thread.tid() == tid && tr.tracer == tracer && tr.exitReport == -1) {
                if (!anyState && !tr.stopped) {
                    break;
                }
                return tr;
            }
        }
        throw new ErrnoException(Errno.ESRCH);
    }

    /** Runs {@code request} on the stopped tracee {@code tid} of {@code tracer}, under the kernel's monitor. */
    public <T> T withStopped(GuestProcess tracer, int tid, Request<T> request) throws ErrnoException {
        synchronized (kernel) {
            return request.apply(stoppedTracee(tracer, tid, false));
        }
    }

    /** A request on a stopped tracee. */
    @FunctionalInterface
    public interface Request<T> {
        T apply(Tracee tr) throws ErrnoException;
    }

    /** The traced thread. */
    public static GuestThread thread(Tracee tr) {
        return tr.thread;
    }

    /**
     * PTRACE_CONT, PTRACE_SYSCALL, PTRACE_LISTEN and PTRACE_DETACH: the stopped tracee runs on with
     * {@code sig} (0: none) delivered; EIO for a signal number out of range; LISTEN is EIO unless
     * the tracee was seized and is in a group stop.
     */
    public void resume(GuestProcess tracer, int tid, int request, long sig) throws ErrnoException {
        synchronized (kernel) {
            Tracee tr = stoppedTracee(tracer, tid, false);
            if (request == dev.jlx.abi.Ptrace.PTRACE_LISTEN) {
                if (!tr.seized || tr.kind != Kind.GROUP) {
                    throw new ErrnoException(Errno.EIO);
                }
                tr.listen = true;
                tr.resumeSignal = 0;
            } else {
                if (sig < 0 || sig > Signals.NSIG) {
                    throw new ErrnoException(Errno.EIO);
                }
                tr.resumeSignal = (int) sig;
                tr.syscalls = request == dev.jlx.abi.Ptrace.PTRACE_SYSCALL;
                tr.step = request == dev.jlx.abi.Ptrace.PTRACE_SINGLESTEP;
            }
            if (request == dev.jlx.abi.Ptrace.PTRACE_DETACH) {
                detach(tr);
            }
            tr.stopped = false;
            tr.report = 0;
            kernel.notifyAll();
        }
    }

    /** PTRACE_KILL: SIGKILL to a tracee, stopped or not (Linux 6.1 sends it as a resume with SIGKILL). */
    public void kill(GuestProcess tracer, int tid) throws ErrnoException {
        GuestThread t;
        synchronized (kernel) {
            t = stoppedTracee(tracer, tid, true).thread;
        }
        killed(t.process());
        t.process().exit(ExitStatus.killed(Signals.SIGKILL));
    }

    /** PTRACE_INTERRUPT: EIO unless seized; the tracee traps with PTRACE_EVENT_STOP at its next chance. */
    public void interrupt(GuestProcess tracer, int tid) throws ErrnoException {
        GuestThread t;
        synchronized (kernel) {
            Tracee tr = stoppedTracee(tracer, tid, true);
            if (!tr.seized) {
                throw new ErrnoException(Errno.EIO);
            }
            if (tr.stopped && !tr.listen) {
                return;
            }
            tr.pendingTrap = tr.thread.process().stopped() ? groupStopStatus(tr, tr.thread.process().jobControl()
                    .stopSignal()) : status(SIGTRAP | PTRACE_EVENT_STOP << 8);
            tr.listen = false;
            kernel.notifyAll();
            t = tr.thread;
        }
        t.process().jobControl().wakeParked();
        t.process().threadRunner().interrupt(t);
        t.engine().stop();
    }

    /** PTRACE_SETOPTIONS: EINVAL for an unknown option. */
    public static void setOptions(Tracee tr, long options) throws ErrnoException {
        if ((options & ~dev.jlx.abi.Ptrace.PTRACE_O_MASK) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        tr.options = (int) options;
    }

    public static long eventMessage(Tracee tr) {
        return tr.message;
    }

    /** PTRACE_GETSIGINFO: EINVAL when the stop has no siginfo (Linux's last_siginfo is null). */
    public static Siginfo siginfo(Tracee tr) throws ErrnoException {
        if (tr.siginfo == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return tr.siginfo;
    }

    public static Siginfo siginfoOrNull(Tracee tr) {
        return tr.siginfo;
    }

    public static void setSiginfo(Tracee tr, Siginfo info) throws ErrnoException {
        if (tr.siginfo == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        tr.siginfo = info;
    }

    /** The user_regs_struct of the stopped tracee (a copy). */
    public static long[] regs(Tracee tr) {
        return tr.regs.clone();
    }

    /**
     * PTRACE_SETREGS and POKEUSER's change: segment selectors are kept (jlx has the one flat 64-bit
     * mode), EFLAGS keeps the bits user mode cannot set (Linux's FLAG_MASK).
     */
    public static void setRegs(Tracee tr, long[] regs) {
        long[] now = tr.regs;
        for (int i = 0; i < USER_REGS; i++) {
            if (i == CS || i == SS || i >= DS) {
                continue;
            }
            now[i] = i == EFLAGS ? (now[i] & ~FLAG_MASK) | (regs[i] & FLAG_MASK) : regs[i];
        }
        tr.regsChanged = true;
    }

    /** The stop kind and what PTRACE_GET_SYSCALL_INFO reports for it. */
    public static Kind kind(Tracee tr) {
        return tr.kind;
    }

    /** PTRACE_PEEKSIGINFO's list: the tracee's own pending signals, or its process's. */
    public static List<Siginfo> queued(Tracee tr, boolean shared) {
        return tr.thread.process().pending().queued(tr.thread, shared);
    }

    /**
     * Runs {@code task} on the stopped tracee's own thread, which alone may touch its engine (the FPU's
     * registers), and returns its result (never null); called under the kernel's monitor, which it waits on.
     */
    public <T> T onTracee(Tracee tr, java.util.function.Function<CpuEngine, T> task) throws ErrnoException {
        Object[] result = new Object[1];
        Runnable run = () -> result[0] = task.apply(tr.thread.engine());
        tr.task = run;
        kernel.notifyAll();
        while (tr.task == run) {
            try {
                kernel.wait();
            } catch (InterruptedException e) {
                tr.task = null;
                Thread.currentThread().interrupt();
                throw new ErrnoException(Errno.EINTR);
            }
        }
        if (result[0] == null) {
            // The tracee left its stop (killed) before it could run the task.
            throw new ErrnoException(Errno.ESRCH);
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** The signal mask of the stopped tracee, and its change (PTRACE_SETSIGMASK). */
    public static long signalMask(Tracee tr) {
        return tr.thread.signalMask();
    }

    public static void setSignalMask(Tracee tr, long mask) {
        tr.thread.setSignalMask(mask);
    }

    /** struct user_regs_struct's indexes (abi.Ptrace's). */
    private static final int USER_REGS = dev.jlx.abi.Ptrace.USER_REGS_COUNT;
    private static final int CS = dev.jlx.abi.Ptrace.CS;
    private static final int SS = dev.jlx.abi.Ptrace.SS;
    private static final int DS = dev.jlx.abi.Ptrace.DS;
    private static final int EFLAGS = dev.jlx.abi.Ptrace.EFLAGS;
    private static final int RIP_INDEX = dev.jlx.abi.Ptrace.RIP;
    /** The EFLAGS bits ptrace may change: CF, PF, AF, ZF, SF, TF, DF, OF, NT, RF, AC (arch/x86 FLAG_MASK). */
    private static final long FLAG_MASK = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x4000 | 0x10000
            | 0x40000;
    /** Engine registers in user_regs_struct order; 0 for the segment registers and orig_rax. */
    private static final int[] ENGINE_REGS = {X86Reg.R15, X86Reg.R14, X86Reg.R13, X86Reg.R12, X86Reg.RBP, X86Reg.RBX,
        X86Reg.R11, X86Reg.R10, X86Reg.R9, X86Reg.R8, X86Reg.RAX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI, 0,
        X86Reg.RIP, 0, X86Reg.EFLAGS, X86Reg.RSP, 0, X86Reg.FS_BASE, X86Reg.GS_BASE, 0, 0, 0, 0};
    private static final long USER_CS = 0x33;
    private static final long USER_DS = 0x2b;

    /**
     * The thread's registers as user_regs_struct, taken on its own thread: orig_rax -1 unless it is
     * just back from a syscall; EFLAGS with IF and the always-set bit 1, as user mode has them.
     */
    private static long[] userRegs(Tracee tr) {
        CpuEngine engine = tr.thread.engine();
        long[] r = new long[USER_REGS];
        for (int i = 0; i < USER_REGS; i++) {
            if (ENGINE_REGS[i] != 0) {
                r[i] = engine.reg(ENGINE_REGS[i]);
            }
        }
        // RFLAGS has 32 bits; the engine's read leaves the upper half undefined.
        r[EFLAGS] = r[EFLAGS] & 0xffffffffL | USER_FLAGS;
        r[dev.jlx.abi.Ptrace.ORIG_RAX] = -1;
        long[] sc = tr.syscall;
        if (sc != null) {
            r[dev.jlx.abi.Ptrace.ORIG_RAX] = sc[0];
            r[dev.jlx.abi.Ptrace.RAX] = sc[1];
            r[dev.jlx.abi.Ptrace.RCX] = sc[2];
            r[dev.jlx.abi.Ptrace.R11] = sc[3] & 0xffffffffL | USER_FLAGS;
            if (sc[2] != 0) {
                // A stop inside the call (a signal's, as PTRACE_ATTACH's SIGSTOP interrupts a sleep):
                // RIP is past the syscall instruction, as in Linux's pt_regs until a restart moves it back.
                r[RIP_INDEX] = sc[2];
            }
        }
        r[CS] = USER_CS;
        r[SS] = USER_DS;
        return r;
    }

    /** IF and EFLAGS' reserved bit 1, set whenever user code runs (Unicorn keeps neither). */
    private static final long USER_FLAGS = 0x202;

    /**
     * Where the tracer moved {@code t}'s RIP in its last stop (SETREGS, POKEUSER, SETREGSET), which the
     * thread resumes at instead of where it stopped; -1 when it did not. Taken once.
     */
    public static long takeNewRip(GuestThread t) {
        Tracee tr = t.tracee();
        if (tr == null || tr.newRip == -1) {
            return -1;
        }
        long rip = tr.newRip;
        tr.newRip = -1;
        return rip;
    }

    /** Whether the tracer resumed {@code t} with PTRACE_SINGLESTEP. */
    public static boolean stepping(GuestThread t) {
        Tracee tr = t.tracee();
        return tr != null && tr.tracer != null && tr.step;
    }

    /** The tracee's debug register {@code n} as PEEKUSER reads it. */
    public static long debugReg(Tracee tr, int n) {
        return tr.debugRegs[n];
    }

    public static void setDebugReg(Tracee tr, int n, long value) {
        tr.debugRegs[n] = value;
        tr.debugChanged |= n != 6;
    }

    /**
     * The watchpoints DR0-3 and DR7 enable go to the engine, on the tracee's own thread (as Linux
     * installs ptrace's breakpoints when the task next runs); none once the tracer has let it go.
     */
    private static void applyDebugRegs(Tracee tr) {
        if (!tr.debugChanged) {
            return;
        }
        tr.debugChanged = false;
        long dr7 = tr.tracer == null ? 0 : tr.debugRegs[7];
        long[] address = new long[4];
        int[] length = new int[4];
        boolean[] reads = new boolean[4];
        for (int i = 0; i < 4; i++) {
            if ((dr7 >> (2 * i) & 3) != 0) {
                address[i] = tr.debugRegs[i];
                length[i] = dr7Length(dr7, i);
                reads[i] = (dr7 >> (16 + 4 * i) & 3) == 3;
            }
        }
        tr.thread.engine().watch(address, length, reads);
    }

    /** The length DR7 gives breakpoint {@code i}: LEN 00, 01, 11, 10 are 1, 2, 4, 8 bytes. */
    public static int dr7Length(long dr7, int i) {
        return switch ((int) (dr7 >> (18 + 4 * i) & 3)) {
            case 0 -> 1;
            case 1 -> 2;
            case 3 -> 4;
            default -> 8;
        };
    }

    /** A debug trap of {@code t} (a single step: DR6's BS; a watchpoint: its B0-3 bit) shows in its DR6. */
    public static void debugTrap(GuestThread t, long dr6Bits) {
        Tracee tr = t.tracee();
        if (tr != null) {
            tr.debugRegs[6] = dr6Bits;
        }
    }

    /** The thread is back in guest code (a stop between two blocks): its registers are the engine's. */
    public static void leftSyscall(GuestThread t) {
        Tracee tr = t.tracee();
        if (tr != null) {
            tr.syscall = null;
        }
    }

    /** Writes back what the tracer changed, but RIP and RAX, which the caller places. */
    private static void writeBack(CpuEngine engine, long[] r) {
        for (int i = 0; i < USER_REGS; i++) {
            int id = ENGINE_REGS[i];
            if (id != 0 && id != X86Reg.RIP && id != X86Reg.RAX) {
                engine.reg(id, r[i]);
            }
        }
    }

    // ---- the tracee's stops ----------------------------------------------------------------

    /** wait(2)'s status word for an ended task: exit code << 8, or the signal number (0x80: WCOREDUMP). */
    public static int waitStatus(ExitStatus s) {
        return s.signal() != 0 ? s.signal() | (s.coreDumped() ? 0x80 : 0) : (s.code() & 0xff) << 8;
    }

    private static int status(int code) {
        return code << 8 | 0x7f;
    }

    private int groupStopStatus(Tracee tr, int sig) {
        return status(tr.seized ? sig | PTRACE_EVENT_STOP << 8 : sig);
    }

    /**
     * Parks {@code t} in a stop that its tracer's wait reports as {@code status}, with {@code regs}
     * readable and writable meanwhile, until the tracer resumes or detaches it or the thread ends.
     * The run token goes while it waits. Returns the signal the tracer resumed it with.
     */
    private int stop(Tracee tr, Kind kind, int status, long[] regs, Siginfo info, boolean holdsToken) {
        GuestThread t = tr.thread;
        long rip = regs[dev.jlx.abi.Ptrace.RIP];
        RunToken token = t.process().space().runToken();
        t.setSleeping(true);
        if (holdsToken) {
            token.release();
        }
        GuestProcess tracer;
        synchronized (kernel) {
            tracer = tr.tracer;
            if (tracer == null) {
                t.setSleeping(false);
                if (holdsToken) {
                    token.acquire(t.engine());
                }
                return info != null ? info.signo() : 0;
            }
            tr.kind = kind;
            tr.regs = regs;
            tr.regsChanged = false;
            // Linux's last_siginfo: a trap's has the stop's code (ptrace_do_notify); a group stop of a
            // tracee not seized has none.
            tr.siginfo = info != null || kind == Kind.GROUP && !tr.seized ? info
                    : new Siginfo(status >> 8 & 0x7f, 0, status >> 8, new Siginfo.Kill(t.tid(),
                            t.process().credentials().uid()));
            tr.message = kind == Kind.SYSCALL_ENTRY ? 1 : kind == Kind.SYSCALL_EXIT ? 2 : tr.message;
            tr.report = status;
            tr.stopped = true;
            tr.listen = false;
            kernel.notifyAll();
        }
        // The tracer hears of it as of a child's stop: SIGCHLD with CLD_TRAPPED (do_notify_parent_cldstop).
        if ((tracer.signalActions().flags(Signals.SIGCHLD) & Signals.SA_NOCLDSTOP) == 0 && !tracer.exiting()) {
            tracer.signal(null, new Siginfo(Signals.SIGCHLD, 0, Signals.CLD_TRAPPED, new Siginfo.Child(
                    t.tid(), t.process().credentials().uid(), status >> 8 & 0xff, 0, 0)));
        }
        int sig;
        boolean changed;
        // PTRACE_EVENT_EXIT's stop is made by an ending thread: only SIGKILL ends it early.
        boolean atExit = status >> 16 == dev.jlx.abi.Ptrace.PTRACE_EVENT_EXIT;
        synchronized (kernel) {
            while (tr.stopped && tr.tracer != null && (atExit ? !tr.killed : !t.ending())) {
                if (tr.task != null) {
                    tr.task.run();
                    tr.task = null;
                    kernel.notifyAll();
                    continue;
                }
                try {
                    kernel.wait();
                } catch (InterruptedException e) {
                    // A signal for the tracee waits until it runs again; the end of its process does not.
                }
            }
            tr.stopped = false;
            tr.report = 0;
            tr.task = null;
            kernel.notifyAll();
            sig = tr.resumeSignal;
            tr.resumeSignal = 0;
            changed = tr.regsChanged;
            regs = tr.regs;
            if (changed && regs[dev.jlx.abi.Ptrace.RIP] != rip) {
                tr.newRip = regs[dev.jlx.abi.Ptrace.RIP];
            }
            tr.lastSiginfo = tr.siginfo;
            tr.siginfo = null;
        }
        if (holdsToken) {
            token.acquire(t.engine());
        }
        t.setSleeping(false);
        if (changed) {
            writeBack(t.engine(), regs);
        }
        applyDebugRegs(tr);
        return sig;
    }

    private static Tracee traced(GuestThread t) {
        Tracee tr = t.tracee();
        return tr == null || tr.tracer == null ? null : tr;
    }

    /**
     * A trap the thread owes its tracer (its first stop as a new tracee, PTRACE_INTERRUPT, an attach
     * to a stopped process), taken at a syscall or between two runs of its engine.
     */
    public void takePendingTrap(GuestThread t, boolean holdsToken) {
        Tracee tr = traced(t);
        if (tr == null) {
            return;
        }
        int status;
        synchronized (kernel) {
            status = tr.pendingTrap;
            tr.pendingTrap = 0;
        }
        if (status != 0) {
            Kind kind = status >> 16 == PTRACE_EVENT_STOP && (status >> 8 & 0xff) != SIGTRAP ? Kind.GROUP : Kind.EVENT;
            if (kind == Kind.GROUP) {
                tr.groupStopTaken = true;
            }
            int sig = stop(tr, kind, status, userRegs(tr), null, holdsToken);
            inject(t, sig);
        }
    }

    /** A signal given when resuming from a stop other than a signal's is sent to the tracee (ptrace_notify). */
    private static void inject(GuestThread t, int sig) {
        if (sig != 0) {
            t.process().signalThread(t, Siginfo.kill(sig, Signals.SI_USER, 0, 0));
        }
    }

    /**
     * The syscall-enter stop of a thread resumed with PTRACE_SYSCALL: {@code regs} are the dispatcher's
     * (rax, the six arguments, the syscall instruction's address, rflags), which the tracer may change.
     * Returns true when the tracer made the number -1: the call is skipped, its result {@code regs[0]}.
     */
    public boolean syscallEnter(GuestThread t, long[] regs) {
        takePendingTrap(t, true);
        Tracee tr = traced(t);
        if (tr == null || !tr.syscalls) {
            return false;
        }
        tr.syscall = new long[] {regs[0], -Errno.ENOSYS.number(), regs[7] + 2, regs[8]};
        long[] u = userRegs(tr);
        u[dev.jlx.abi.Ptrace.RDI] = regs[1];
        u[dev.jlx.abi.Ptrace.RSI] = regs[2];
        u[dev.jlx.abi.Ptrace.RDX] = regs[3];
        u[dev.jlx.abi.Ptrace.R10] = regs[4];
        u[dev.jlx.abi.Ptrace.R8] = regs[5];
        u[dev.jlx.abi.Ptrace.R9] = regs[6];
        u[dev.jlx.abi.Ptrace.RIP] = regs[7] + 2;
        int sig = stop(tr, Kind.SYSCALL_ENTRY, syscallStatus(tr), u, null, true);
        long[] after;
        synchronized (kernel) {
            after = tr.regs;
        }
        regs[0] = after[dev.jlx.abi.Ptrace.ORIG_RAX];
        regs[1] = after[dev.jlx.abi.Ptrace.RDI];
        regs[2] = after[dev.jlx.abi.Ptrace.RSI];
        regs[3] = after[dev.jlx.abi.Ptrace.RDX];
        regs[4] = after[dev.jlx.abi.Ptrace.R10];
        regs[5] = after[dev.jlx.abi.Ptrace.R8];
        regs[6] = after[dev.jlx.abi.Ptrace.R9];
        inject(t, sig);
        if (regs[0] == -1) {
            // The tracer skipped the call: its result is what RAX holds (-ENOSYS unless changed).
            regs[0] = after[dev.jlx.abi.Ptrace.RAX];
            return true;
        }
        return false;
    }

    /** The syscall-exit stop: returns the result, which the tracer may have changed in RAX. */
    public long syscallExit(GuestThread t, long[] regs, long result) {
        Tracee tr = traced(t);
        if (tr == null) {
            return result;
        }
        tr.syscall = new long[] {regs[0], result, regs[7] + 2, regs[8]};
        if (!tr.syscalls) {
            return result;
        }
        long[] u = userRegs(tr);
        u[dev.jlx.abi.Ptrace.RIP] = regs[7] + 2;
        int sig = stop(tr, Kind.SYSCALL_EXIT, syscallStatus(tr), u, null, true);
        long out;
        synchronized (kernel) {
            out = tr.regs[dev.jlx.abi.Ptrace.RAX];
        }
        tr.syscall[1] = out;
        inject(t, sig);
        return out;
    }

    /**
     * The syscall-exit stop of a call that set new registers itself (rt_sigreturn, execve's new
     * image): RAX is the engine's, and what the tracer writes there stays.
     */
    public void syscallExitInPlace(GuestThread t, long nr, boolean holdsToken) {
        Tracee tr = traced(t);
        if (tr == null) {
            return;
        }
        // rt_sigreturn's registers are the frame's, orig_rax -1 among them; execve's are the new image's.
        tr.syscall = null;
        if (!tr.syscalls) {
            return;
        }
        long[] u = userRegs(tr);
        u[dev.jlx.abi.Ptrace.ORIG_RAX] = nr;
        int sig = stop(tr, Kind.SYSCALL_EXIT, syscallStatus(tr), u, null, holdsToken);
        long rax;
        synchronized (kernel) {
            rax = tr.regs[dev.jlx.abi.Ptrace.RAX];
        }
        t.engine().reg(X86Reg.RAX, rax);
        inject(t, sig);
    }

    private static int syscallStatus(Tracee tr) {
        return status((tr.options & dev.jlx.abi.Ptrace.PTRACE_O_TRACESYSGOOD) != 0 ? SIGTRAP | 0x80 : SIGTRAP);
    }

    /**
     * The signal-delivery stop: the tracer sees {@code info} and decides what is delivered: nothing
     * (null), the signal, or another one (with a siginfo from the tracer, SI_USER, as Linux's
     * ptrace_signal). SIGKILL never stops.
     */
    public Siginfo signalStop(GuestThread t, Siginfo info, boolean holdsToken) {
        Tracee tr = traced(t);
        if (tr == null || info.signo() == Signals.SIGKILL || t.ending()) {
            return info;
        }
        int sig = stop(tr, Kind.SIGNAL, status(info.signo()), userRegs(tr), info, holdsToken);
        if (sig == 0) {
            return null;
        }
        synchronized (kernel) {
            // PTRACE_SETSIGINFO's info is kept only while stopped; a changed number gets the tracer's own.
            Siginfo last = tr.lastSiginfo != null ? tr.lastSiginfo : info;
            tr.lastSiginfo = null;
            if (sig != last.signo()) {
                GuestProcess tracer = tr.tracer;
                return Siginfo.kill(sig, Signals.SI_USER, tracer == null ? 0 : tracer.pid(),
                        tracer == null ? 0 : tracer.credentials().uid());
            }
            return last;
        }
    }

    /**
     * A group stop reaches a traced thread (it would park in job control): it reports it once to its
     * tracer, whose resume lets it run on inside the stopped group, as Linux's. Returns true when the
     * tracer gave PTRACE_LISTEN: the thread parks in job control until SIGCONT and then traps.
     */
    boolean groupStop(GuestThread t, int sig) {
        Tracee tr = traced(t);
        if (tr == null) {
            return false;
        }
        synchronized (kernel) {
            if (tr.groupStopTaken) {
                return false;
            }
            tr.groupStopTaken = true;
            tr.pendingTrap = 0;
        }
        int resume = stop(tr, Kind.GROUP, groupStopStatus(tr, sig), userRegs(tr), null, false);
        boolean listen;
        synchronized (kernel) {
            listen = tr.listen;
            tr.listen = false;
        }
        inject(t, resume);
        return listen;
    }

    /** Whether a traced thread has reported the group stop and was resumed: it runs inside it. */
    public boolean runsThroughGroupStop(GuestThread t) {
        Tracee tr = traced(t);
        if (tr == null) {
            return false;
        }
        synchronized (kernel) {
            return tr.groupStopTaken;
        }
    }

    /** SIGCONT ended the group stop: a listening tracee traps with PTRACE_EVENT_STOP (SIGTRAP). */
    void continued(GuestProcess p) {
        synchronized (kernel) {
            for (Tracee tr : tracees) {
                if (tr.thread.process() == p) {
                    tr.groupStopTaken = false;
                }
            }
        }
    }

    /** After a PTRACE_LISTEN, the group stop ended: the tracee traps. */
    void trapAfterListen(GuestThread t) {
        Tracee tr = traced(t);
        if (tr != null) {
            int sig = stop(tr, Kind.EVENT, status(SIGTRAP | PTRACE_EVENT_STOP << 8), userRegs(tr), null, false);
            inject(t, sig);
        }
    }

    /**
     * PTRACE_EVENT_FORK, VFORK and CLONE: a tracee that asked for the event makes its child a tracee
     * of the same tracer, with its options, which traps as it first runs (a seized one with
     * PTRACE_EVENT_STOP, else with SIGSTOP); returns the event to stop with, or 0.
     */
    public int forked(GuestThread parent, GuestThread child, boolean vfork, boolean cloneKind) {
        Tracee tr = traced(parent);
        if (tr == null) {
            return 0;
        }
        int event = vfork ? dev.jlx.abi.Ptrace.PTRACE_EVENT_VFORK
                : cloneKind ? dev.jlx.abi.Ptrace.PTRACE_EVENT_CLONE : dev.jlx.abi.Ptrace.PTRACE_EVENT_FORK;
        if ((tr.options & 1 << event) == 0) {
            return 0;
        }
        synchronized (kernel) {
            Tracee c = attach(child, tr.tracer, tr.seized, tr.options);
            if (tr.seized) {
                c.pendingTrap = status(SIGTRAP | PTRACE_EVENT_STOP << 8);
            }
        }
        if (!tr.seized) {
            child.process().signalThread(child, Siginfo.kill(Signals.SIGSTOP, Signals.SI_USER, 0, 0));
        }
        return event;
    }

    /** The parent's event stop after the child runs, with the child's id as the event message. */
    public void event(GuestThread t, int event, long message, boolean holdsToken) {
        Tracee tr = traced(t);
        if (tr == null || event == 0) {
            return;
        }
        synchronized (kernel) {
            tr.message = message;
        }
        int sig = stop(tr, Kind.EVENT, status(SIGTRAP | event << 8), userRegs(tr), null, holdsToken);
        inject(t, sig);
    }

    /**
     * A traced thread's execve has installed the new image (between two engine runs, no token):
     * PTRACE_EVENT_EXEC with the former thread id when asked for, then the syscall-exit stop; without
     * the option, the syscall-exit stop and then the SIGTRAP Linux sends the tracee itself, taken
     * before the new program's first instruction. A signal the tracer gives for it pends.
     */
    void execed(GuestThread t, int formerTid, long nr) {
        Tracee tr = traced(t);
        if (tr == null) {
            return;
        }
        if ((tr.options & dev.jlx.abi.Ptrace.PTRACE_O_TRACEEXEC) != 0) {
            tr.syscall = new long[] {nr, 0, 0, 0};
            event(t, dev.jlx.abi.Ptrace.PTRACE_EVENT_EXEC, formerTid, false);
            syscallExitInPlace(t, nr, false);
            return;
        }
        syscallExitInPlace(t, nr, false);
        tr.syscall = new long[] {nr, t.engine().reg(X86Reg.RAX), 0, 0};
        GuestProcess p = t.process();
        Siginfo d = signalStop(t, Siginfo.kill(SIGTRAP, Signals.SI_USER, p.pid(), p.credentials().uid()), false);
        if (d != null) {
            p.signalThread(t, d);
        }
    }

    /**
     * PTRACE_O_TRACEEXIT: a traced thread about to end stops with PTRACE_EVENT_EXIT, its wait status
     * as the message, unless SIGKILL ends it (Linux 6.1's ptrace_stop with a fatal signal pending).
     */
    void exiting(GuestThread t, int status) {
        Tracee tr = traced(t);
        if (tr == null || (tr.options & dev.jlx.abi.Ptrace.PTRACE_O_TRACEEXIT) == 0 || tr.killed) {
            return;
        }
        event(t, dev.jlx.abi.Ptrace.PTRACE_EVENT_EXIT, status, false);
    }

    /** SIGKILL for {@code p}: its tracees' stops end, the exit stop too. */
    void killed(GuestProcess p) {
        synchronized (kernel) {
            for (Tracee tr : tracees) {
                if (tr.thread.process() == p) {
                    tr.killed = true;
                }
            }
            kernel.notifyAll();
        }
    }

    /**
     * A traced thread has ended: its tracer's wait reports {@code status} (for the thread-group
     * leader, once the process is a zombie), after which the tracee is gone.
     */
    void exited(GuestThread t, int status) {
        synchronized (kernel) {
            Tracee tr = t.tracee();
            if (tr == null || tr.tracer == null || tr.exitReport != -1) {
                return;
            }
            tr.stopped = false;
            tr.report = 0;
            if (t == t.process().mainThread() && tr.tracer == t.process().parent()) {
                // The tracer is the parent: its wait reports the zombie once, as a child's.
                detach(tr);
            } else {
                tr.exitReport = status;
            }
            kernel.notifyAll();
        }
    }

    /**
     * The tracer's process ends: its tracees are let go (PTRACE_O_EXITKILL's are killed), as
     * exit_ptrace. Under the kernel's monitor.
     */
    void tracerExited(GuestProcess tracer) {
        List<GuestProcess> kill = new ArrayList<>();
        for (Tracee tr : List.copyOf(tracees)) {
            if (tr.tracer == tracer) {
                if ((tr.options & dev.jlx.abi.Ptrace.PTRACE_O_EXITKILL) != 0) {
                    kill.add(tr.thread.process());
                }
                release(tr);
            }
        }
        kernel.notifyAll();
        for (GuestProcess p : kill) {
            killed(p);
            p.exit(ExitStatus.killed(Signals.SIGKILL));
        }
    }

    /** A tracee is let go; an ended leader's parent hears of its exit now (its tracer had it first). */
    private void release(Tracee tr) {
        boolean ended = tr.exitReport != -1;
        detach(tr);
        GuestProcess p = tr.thread.process();
        if (ended && tr.thread == p.mainThread() && p.zombie()) {
            p.notifyParentOfExit();
        }
    }

    /** Whether {@code p}'s leader has ended and its tracer has yet to hear of it (then its parent will). */
    public boolean exitPendingFor(GuestProcess p) {
        synchronized (kernel) {
            Tracee tr = p.mainThread() == null ? null : p.mainThread().tracee();
            return tr != null && tr.tracer != null && tr.exitReport != -1;
        }
    }

    private void detach(Tracee tr) {
        // flush_ptrace_hw_breakpoint: the thread drops the tracer's watchpoints as it runs on.
        tr.debugChanged |= tr.debugRegs[7] != 0;
        tr.tracer = null;
        tracees.remove(tr);
        tr.thread.setTracee(null);
    }

    /** Whether {@code t} is parked in a ptrace stop (state t in /proc). */
    boolean inStop(GuestThread t) {
        Tracee tr = t.tracee();
        return tr != null && tr.stopped;
    }

    /** The tracer of {@code t}'s thread (TracerPid in /proc), or 0. */
    public int tracerPid(GuestThread t) {
        Tracee tr = t.tracee();
        GuestProcess tracer = tr == null ? null : tr.tracer;
        return tracer == null ? 0 : tracer.pid();
    }

    /** A tracee's state wait reports: its id, and the status. */
    public record Report(GuestThread thread, int status) {}

    /**
     * wait's look at {@code tracer}'s tracees (under the kernel's monitor): an ended tracee's exit,
     * or a stop not yet reported, of a thread {@code which} selects. {@code any[0]} is set when there
     * is a tracee to wait for at all. Exits are taken only with WEXITED, stops always (they are
     * reported to the tracer whatever WUNTRACED says); {@code consume} marks them reported.
     */
    public Report take(GuestProcess tracer, java.util.function.Predicate<GuestThread> which, boolean exits,
            boolean consume, boolean[] any) {
        for (Tracee tr : List.copyOf(tracees)) {
            if (tr.tracer != tracer || !which.test(tr.thread)) {
                continue;
            }
            any[0] = true;
            if (tr.exitReport != -1) {
                if (!exits) {
                    continue;
                }
                int s = tr.exitReport;
                if (consume) {
                    release(tr);
                }
                return new Report(tr.thread, s);
            }
            if (tr.stopped && tr.report != 0) {
                int s = tr.report;
                if (consume) {
                    tr.report = 0;
                }
                return new Report(tr.thread, s);
            }
        }
        return null;
    }

}
