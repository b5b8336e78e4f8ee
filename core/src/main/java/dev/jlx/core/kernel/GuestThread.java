package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.cpu.RunResult;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.RunToken;
import dev.jlx.core.syscall.Args;

/**
 * A guest thread (a Linux task): its own CPU engine, tid, signal mask and the per-thread
 * addresses set_tid_address and set_robust_list register.
 */
public final class GuestThread {
    private final GuestProcess process;
    private final CpuEngine engine;
    private final int tid;
    private final Args args = new Args();
    private long signalMask;
    private long clearChildTid;
    private long robustList;
    private long robustListLength;
    private long rseq;
    /** sched_setaffinity's mask (bit n: CPU n); all bits until set. */
    private volatile long affinity = -1;

    public long affinity() {
        return affinity;
    }

    public void setAffinity(long mask) {
        affinity = mask;
    }

    /** Set while the thread waits in a blocking call or is parked by a stop (state S or T in /proc). */
    private volatile boolean sleeping;

    public boolean sleeping() {
        return sleeping;
    }

    public void setSleeping(boolean sleeping) {
        this.sleeping = sleeping;
    }

    /** Set by exit(2) when other threads of the process live on: only this one ends. */
    private volatile boolean exited;

    /** exit(2) of one thread: its run loop ends once the engine stops. */
    public void exitThread() {
        exited = true;
        engine.stop();
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

    public void setRseq(long address) {
        this.rseq = address;
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
     * Runs the handler of a signal that became deliverable while guest code ran (another process
     * sent it and stopped this engine): the frame resumes at the interrupted instruction.
     */
    private long deliverAsync(long at) {
        Thread.interrupted();
        GuestProcess.Delivery d = process.nextDelivery(this);
        if (d == null) {
            return at;
        }
        long[] regs = SignalFrames.registers(engine);
        regs[SignalFrames.RIP] = at;
        try {
            return SignalFrames.deliver(this, d, regs, signalMask());
        } catch (dev.jlx.core.ErrnoException e) {
            fatal(Signals.SIGSEGV, "cannot build a frame for " + Signals.name(d.signal()));
            return at;
        }
    }

    /** Installs the pending image: the old memory goes (or back to a vfork parent), the CPU starts afresh. */
    private long finishExec() {
        Exec.Loaded loaded = pendingExec;
        pendingExec = null;
        AddressSpace old = process.space();
        old.detach(engine);
        if (process.sharesParentMemory()) {
            process.releaseVforkParent();
        } else {
            old.destroy();
        }
        engine.reset();
        clearChildTid = 0;
        robustList = 0;
        robustListLength = 0;
        rseq = 0;
        process.install(loaded, this);
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
            RunToken token = process.space().runToken();
            token.acquire();
            RunResult r;
            try {
                r = engine.run(at);
            } finally {
                token.release();
            }
            if (process.exiting() || exited) {
                break;
            }
            if (pendingExec != null) {
                at = finishExec();
                continue;
            }
            if (resumeAt != -1) {
                at = resumeAt;
                resumeAt = -1;
                continue;
            }
            switch (r.kind()) {
                case STOPPED -> at = deliverAsync(engine.reg(X86Reg.RIP));
                case HALTED -> fatal(Signals.SIGSEGV, "hlt or jump to address 0 in user mode");
                case MEMORY_FAULT -> fatal(Signals.SIGSEGV, r.detail());
                case INVALID_INSTRUCTION -> fatal(Signals.SIGILL, r.detail() + " at 0x" + Long.toHexString(r.address()));
                case INTERRUPT -> fatal(signalForVector(r.interrupt()), r.detail());
            }
        }
    }

    private void fatal(int sig, String why) {
        Kernel.log().log(System.Logger.Level.INFO, "pid " + process.pid() + " killed by " + Signals.name(sig) + ": "
                + why);
        process.exit(ExitStatus.killed(sig));
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
