package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.io.PrintStream;

/**
 * Serves each {@code syscall} instruction: reads the registers in one batch, runs the table's
 * handler, and writes the result. This is the single place where an {@link ErrnoException}
 * becomes {@code -errno} in RAX (gVisor's ExtractErrno).
 */
public final class SyscallDispatcher {
    private final Kernel kernel;
    private final Tracer tracer;

    public SyscallDispatcher(Kernel kernel, PrintStream trace) {
        this.kernel = kernel;
        this.tracer = trace == null ? null : new Tracer(trace);
    }

    public void dispatch(GuestThread thread) {
        CpuEngine engine = thread.engine();
        Args args = thread.args();
        long[] regs = args.regs;
        engine.readSyscallRegisters(regs);
        SyscallEntry entry = SyscallTable.entry(regs[0]);
        long result;
        if (entry == null || entry.handler() == null) {
            result = -unimplemented(entry, regs[0]).number();
        } else {
            try {
                result = entry.handler().handle(thread, args);
            } catch (ErrnoException e) {
                result = -e.errno().number();
            }
        }
        if (tracer != null) {
            tracer.trace(thread, entry, regs, result);
        }
        if (!thread.process().exiting() && !thread.execPending()) {
            engine.writeSyscallResult(result, regs[7] + 2, regs[8]);
        }
    }

    private Errno unimplemented(SyscallEntry entry, long number) {
        String name = entry != null ? entry.name() : "syscall " + number;
        kernel.warnOnce(name, "unimplemented syscall " + name + " (" + number + ") returns "
                + (entry != null ? entry.errno().name() : "ENOSYS")
                + (entry != null && !entry.note().isEmpty() ? ": " + entry.note() : ""));
        return entry != null ? entry.errno() : Errno.ENOSYS;
    }
}
