package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;

/**
 * A process's job control, analogous to Linux's group stop (kernel/signal.c do_signal_stop and
 * SIGCONT's handling) with the reports wait(2) takes (WUNTRACED, WCONTINUED): a stop signal stops
 * the process, its threads park as they next leave a syscall or start a block, SIGCONT resumes it,
 * and the parent hears of each by wait and by SIGCHLD. The stopped flag changes under the process's
 * monitor, which parked threads wait on; the reports under the kernel's, as wait's scan reads them.
 */
final class JobControl {
    /** The signals whose default action stops a process. */
    static final long STOP_SIGNALS = GuestThread.bit(Signals.SIGSTOP) | GuestThread.bit(Signals.SIGTSTP)
            | GuestThread.bit(Signals.SIGTTIN) | GuestThread.bit(Signals.SIGTTOU);

    private final GuestProcess process;
    /** Set while a stop signal holds the process; each thread parks at its next syscall or block. */
    private volatile boolean stopped;
    /** What the parent's wait has yet to hear: the stop signal, or a continue. Guarded by the kernel. */
    private int stopReport;
    private boolean continueReport;
    /** The signal that stopped the process (a traced thread's group stop reports it). */
    private volatile int stopSignal;

    JobControl(GuestProcess process) {
        this.process = process;
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * A stop signal's default action; SIGTSTP, SIGTTIN and SIGTTOU are discarded in an orphaned
     * process group, as Linux's (no one in the session could continue it).
     */
    void stopUnlessOrphaned(int sig) {
        if (sig == Signals.SIGSTOP || !process.kernel().orphanedGroup(process.pgid())) {
            stop(sig);
        }
    }

    /**
     * The process stops (its threads park as they next leave a syscall or start a block) and its
     * parent hears of it, by wait and by SIGCHLD unless SA_NOCLDSTOP.
     */
    private void stop(int sig) {
        synchronized (process) {
            if (stopped || process.exiting()) {
                return;
            }
            stopped = true;
            stopSignal = sig;
        }
        for (GuestThread t : process.threads()) {
            // A thread computing without syscalls parks before its next block.
            if (t != Kernel.caller() && t.engine().stopsExactly()) {
                t.engine().stop();
            }
        }
        Kernel kernel = process.kernel();
        CpuTime used = CpuTime.of(process);
        synchronized (kernel) {
            stopReport = sig;
            continueReport = false;
            tellParent(Signals.CLD_STOPPED, sig, used);
            kernel.notifyAll();
        }
        kernel.firstProcessJobControl(process, sig);
    }

    /** SIGCONT: pending stop signals go; a stopped process runs again and its parent hears of it. */
    void resume() {
        process.pending().discard(STOP_SIGNALS);
        synchronized (process) {
            if (!stopped) {
                return;
            }
            stopped = false;
            process.notifyAll();
        }
        process.kernel().ptrace().continued(process);
        Kernel kernel = process.kernel();
        CpuTime used = CpuTime.of(process);
        synchronized (kernel) {
            stopReport = 0;
            continueReport = true;
            tellParent(Signals.CLD_CONTINUED, Signals.SIGCONT, used);
            kernel.notifyAll();
        }
        kernel.firstProcessJobControl(process, Signals.SIGCONT);
    }

    /**
     * SIGCHLD for a stop or a continue, with the CPU times the process has used (Linux gives those
     * of the thread that ends the group stop, the same for a process of one thread).
     */
    private void tellParent(int code, int status, CpuTime used) {
        GuestProcess p = process.parent();
        if (p != null && !p.exiting() && (p.signalActions().flags(Signals.SIGCHLD) & Signals.SA_NOCLDSTOP) == 0) {
            p.signal(null, new Siginfo(Signals.SIGCHLD, 0, code, new Siginfo.Child(process.pid(),
                    process.credentials().uid(), status, CpuTime.ticks(used.userNanos()),
                    CpuTime.ticks(used.systemNanos()))));
        }
    }

    int stopSignal() {
        return stopSignal;
    }

    /** Wakes the threads parked in the stop to look again (one has become a tracee). */
    void wakeParked() {
        synchronized (process) {
            process.notifyAll();
        }
    }

    /**
     * Parks the calling thread while the process is stopped; returns at once otherwise, or when it
     * ends. A traced thread reports the stop to its tracer instead and runs on when resumed, or, after
     * PTRACE_LISTEN, parks here until SIGCONT and then traps (Linux's JOBCTL_TRAP_NOTIFY).
     */
    void parkWhileStopped() {
        GuestThread me = Kernel.caller();
        Ptrace ptrace = process.kernel().ptrace();
        boolean listened = false;
        while (true) {
            if (me != null && me.tracee() != null && !listened) {
                if (!stopped || !ptrace.groupStop(me, stopSignal)) {
                    return;
                }
                listened = true;
            }
            synchronized (process) {
                while (stopped && !process.exiting() && (me == null || me.tracee() == null || listened)) {
                    try {
                        process.wait();
                    } catch (InterruptedException e) {
                        // A signal or the end of the process: look again.
                    }
                }
                if (!stopped || process.exiting()) {
                    break;
                }
            }
        }
        if (listened && !process.exiting()) {
            ptrace.trapAfterListen(me);
        }
    }

    /**
     * The stop or continue that wait has not reported yet, as wait's status word ((sig << 8) | 0x7f, or
     * 0xffff), or 0 for none; {@code consume} clears it. Called with the kernel's lock held.
     */
    int takeStateChange(boolean stops, boolean continues, boolean consume) {
        int status = 0;
        if (stops && stopReport != 0) {
            status = stopReport << 8 | 0x7f;
            if (consume) {
                stopReport = 0;
            }
        } else if (continues && continueReport) {
            status = 0xffff;
            if (consume) {
                continueReport = false;
            }
        }
        return status;
    }
}
