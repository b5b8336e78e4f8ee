package dev.jlx.core.cpu;

/**
 * Why {@link CpuEngine#run} returned. {@code address} is the faulting data address for memory
 * faults; {@code interrupt} the vector for CPU exceptions and {@code int N}, and for memory faults
 * 1 when the page is mapped but forbids the access (a page fault's P bit), 0 when it is unmapped.
 */
public record RunResult(Kind kind, long address, int interrupt, String detail) {
    public enum Kind {
        /** {@link CpuEngine#stop()} was called (by a syscall handler or another thread). */
        STOPPED,
        /** {@link CpuEngine#stepOne} ran its instruction. */
        STEPPED,
        /** A watched range was accessed (see {@link CpuEngine#watch}); {@code interrupt} holds the slots hit. */
        WATCHED,
        /** The engine returned by itself, which for a Linux guest means {@code hlt} or a jump to 0. */
        HALTED,
        /** Access to unmapped memory or in violation of the page protection. */
        MEMORY_FAULT,
        /** An instruction the engine cannot decode or execute. */
        INVALID_INSTRUCTION,
        /** A CPU exception or software interrupt ({@code int3}, divide error, {@code int 0x80}, ...). */
        INTERRUPT
    }

    static final RunResult STOPPED = new RunResult(Kind.STOPPED, 0, 0, "stopped");
    static final RunResult STEPPED = new RunResult(Kind.STEPPED, 0, 0, "stepped");
    static final RunResult HALTED = new RunResult(Kind.HALTED, 0, 0, "halted");
}
