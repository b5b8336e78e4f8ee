package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.kernel.Ptrace;
import dev.jlx.core.kernel.SignalFrames;
import dev.jlx.core.mem.RunToken;
import java.io.PrintStream;

/**
 * Serves each {@code syscall} instruction: reads the registers in one batch, runs the table's
 * handler, and writes the result. This is the single place where an {@link ErrnoException}
 * becomes {@code -errno} in RAX (gVisor's ExtractErrno).
 */
public final class SyscallDispatcher {
    private final Kernel kernel;
    private final Tracer tracer;
    private static final int TRAP_BRKPT = 1;

    public SyscallDispatcher(Kernel kernel, PrintStream trace) {
        this.kernel = kernel;
        this.tracer = trace == null ? null : new Tracer(trace);
    }

    public void dispatch(GuestThread thread) {
        CpuEngine engine = thread.engine();
        Args args = thread.args();
        long[] regs = args.regs;
        engine.readSyscallRegisters(regs);
        // Syscall User Dispatch comes first: a call it stops is no call for a tracer or for seccomp.
        if (thread.syscallUserDispatch() != null && thread.userDispatched(regs[7], regs[0], regs[8])) {
            if (thread.ending()) {
                engine.stop();
            }
            return;
        }
        // A tracer may stop the call before it starts, change its number and arguments, or skip it.
        boolean skipped = thread.tracee() != null && kernel.ptrace().syscallEnter(thread, regs);
        // PTRACE_SINGLESTEP from the entry stop: the call runs and the step traps as it returns.
        boolean stepsOut = thread.tracee() != null && Ptrace.stepping(thread) && !thread.inStep();
        SyscallEntry entry = skipped ? null : thread.seccompStrict() && !SeccompSyscalls.strictAllows(regs[0])
                ? SeccompSyscalls.STRICT_KILL : SyscallTable.entry(regs[0]);
        long result;
        boolean restartable = true;
        boolean restartAlways = false;
        if (skipped) {
            result = regs[0];
            regs[0] = -1;
        } else if (entry == null || entry.handler() == null) {
            result = -unimplemented(entry, regs[0]).number();
        } else {
            // While a call may block, other threads of the process run guest code; every other call
            // keeps the engines still, so that it may change their memory maps (Unicorn is not thread-safe).
            RunToken token = entry.blocks() ? thread.process().space().runToken() : null;
            if (token != null) {
                dropStaleInterrupt(thread);
                thread.setSleeping(true);
                token.release();
            } else {
                thread.process().space().runToken().yieldIfDue();
            }
            if (tracer != null) {
                tracer.enter(thread, entry, regs);
            }
            try {
                result = entry.handler().handle(thread, args);
            } catch (ErrnoException e) {
                result = -e.errno().number();
                restartable = e.restartable();
                restartAlways = e.restartsAlways();
            } finally {
                FdTable.releaseHeld();
                if (token != null) {
                    token.acquire(engine);
                    thread.setSleeping(false);
                }
            }
        }
        if (tracer != null) {
            tracer.trace(thread, entry, regs, result);
        }
        thread.setSyscallExit(regs[0], result, regs[7], regs[8]);
        if (thread.ending() || thread.execPending()) {
            if (thread.tracee() != null && !thread.ending() && !thread.execImagePending()) {
                // rt_sigreturn has set the registers: the tracer sees them (execve's stop comes with the new image).
                kernel.ptrace().syscallExitInPlace(thread, regs[0], true);
            }
            // A stop asked from another thread (kill) can be lost (docs/engine.md): ask again from the hook.
            engine.stop();
            return;
        }
        // Where the call returns to: after its instruction, unless a tracer moved RIP in one of its stops.
        long returnTo = regs[7] + 2;
        boolean moved = false;
        if (thread.tracee() != null) {
            result = kernel.ptrace().syscallExit(thread, regs, result);
            long rip = Ptrace.takeNewRip(thread);
            if (rip != -1) {
                returnTo = rip;
                moved = true;
            }
        }
        if (stepsOut && Ptrace.stepping(thread)) {
            // Linux's syscall exit work reports the step with SIGTRAP, TRAP_BRKPT (measured on 6.1).
            thread.process().signalThread(thread, new Siginfo(Signals.SIGTRAP, 0, TRAP_BRKPT, new Siginfo.Fault(0)));
        }
        long restoreMask = thread.takeRestoreMask();
        Siginfo d = (thread.process().pendingSignals() | thread.pendingSignals()) == 0 ? null
                : deliverable(thread);
        if (thread.tracee() != null) {
            long rip = Ptrace.takeNewRip(thread);
            if (rip != -1) {
                returnTo = rip;
                moved = true;
            }
            if (Ptrace.stepping(thread) && !thread.inStep()) {
                // PTRACE_SINGLESTEP from a stop in this call: the engine stops after it, and the
                // thread's run loop takes the step (the engine runs on freely otherwise).
                moved = true;
            }
        }
        if (thread.process().stopped()) {
            // Job control: a stopped process's threads wait here, after their call, until SIGCONT
            // (or a stop signal just taken from the pending set has stopped it).
            park(thread);
            if (thread.process().exiting()) {
                engine.stop();
                return;
            }
            if (d == null && (thread.process().pendingSignals() | thread.pendingSignals()) != 0) {
                d = deliverable(thread);
            }
        }
        if (d == null) {
            if (restoreMask != -1) {
                thread.setSignalMask(restoreMask);
            }
            if (moved) {
                engine.writeSyscallResult(result, regs[7] + 2, regs[8]);
                thread.resumeAt(returnTo);
                return;
            }
            if (result == -Errno.EINTR.number() && restartable && entry != null && entry.restartable()) {
                // No handler runs (a stop signal stopped the process and SIGCONT woke it, as after a
                // terminal's SIGTTIN): the call starts again, as Linux's ERESTARTSYS without a handler.
                engine.writeSyscallResult(regs[0], regs[7] + 2, regs[8]);
                thread.resumeAt(regs[7]);
                return;
            }
            engine.writeSyscallResult(result, regs[7] + 2, regs[8]);
            return;
        }
        // A handler runs before the syscall returns: the frame resumes after the syscall with its
        // result, or at the syscall again when SA_RESTART asks for an interrupted one to restart.
        long[] gregs = SignalFrames.registers(engine);
        gregs[SignalFrames.RCX] = regs[7] + 2;
        gregs[SignalFrames.R11] = regs[8];
        if (!moved && result == -Errno.EINTR.number() && restartable && entry != null && entry.restartable()
                && (restartAlways || (thread.process().signalActions().flags(d.signo()) & SignalFrames.SA_RESTART) != 0)) {
            gregs[SignalFrames.RAX] = regs[0];
            gregs[SignalFrames.RIP] = regs[7];
        } else {
            gregs[SignalFrames.RAX] = result;
            gregs[SignalFrames.RIP] = returnTo;
        }
        try {
            long handler = SignalFrames.deliver(thread, d, gregs,
                    restoreMask != -1 ? restoreMask : thread.signalMask());
            // Every other signal the new mask lets through gets a frame on top, as Linux's signal loop
            // does before returning to user mode: the last one's handler runs first.
            for (Siginfo next = deliverable(thread); next != null; next = deliverable(thread)) {
                long[] inner = SignalFrames.registers(engine);
                inner[SignalFrames.RIP] = handler;
                handler = SignalFrames.deliver(thread, next, inner,
                        thread.signalMask());
            }
            thread.resumeAt(handler);
        } catch (ErrnoException e) {
            // No room for the frame: Linux forces SIGSEGV.
            thread.process().exit(ExitStatus.killed(Signals.SIGSEGV));
        }
    }

    /**
     * A blocking call waits until its Java thread is interrupted. An interrupt left over from a
     * signal the thread has already taken (sent just after it took it) must not end the wait with
     * EINTR; one for a signal still pending, or for the end of the process, must.
     */
    private static void dropStaleInterrupt(GuestThread thread) {
        if (Thread.interrupted()) {
            if (thread.ending() || thread.signalPending()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void park(GuestThread thread) {
        RunToken token = thread.process().space().runToken();
        thread.setSleeping(true);
        token.release();
        thread.process().parkWhileStopped();
        token.acquire(thread.engine());
        thread.setSleeping(false);
    }

    private static Siginfo deliverable(GuestThread thread) {
        Thread.interrupted();
        return thread.process().nextDelivery(thread);
    }

    private Errno unimplemented(SyscallEntry entry, long number) {
        String name = entry != null ? entry.name() : "syscall " + number;
        kernel.warnOnce(name, "unimplemented syscall " + name + " (" + number + ") returns "
                + (entry != null ? entry.errno().name() : "ENOSYS")
                + (entry != null && !entry.note().isEmpty() ? ": " + entry.note() : ""));
        return entry != null ? entry.errno() : Errno.ENOSYS;
    }
}
