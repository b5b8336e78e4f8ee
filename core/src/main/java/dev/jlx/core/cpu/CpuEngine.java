package dev.jlx.core.cpu;

import java.lang.foreign.MemorySegment;

/**
 * One guest CPU: registers, the guest address space as the engine sees it, and the run loop.
 * Confined to the thread that runs it, except {@link #stop()}.
 */
public interface CpuEngine extends AutoCloseable {
    /** Maps host memory {@code host} at guest {@code address} with PROT_* bits (page aligned). */
    void map(long address, long size, int prot, MemorySegment host);

    void unmap(long address, long size);

    void protect(long address, long size, int prot);

    /**
     * Makes a mapped region that holds no executable code inaccessible, every access a protection
     * fault, while it stays mapped: a {@link #protect} of it (to what it was, or another non-executable
     * protection) opens it again. Cheaper than an unmap and a map of the range.
     */
    void hide(long address, long size);

    /** Drops translated code for a range after Java or another engine wrote into it. */
    void flushCode(long address, long size);

    long reg(int id);

    void reg(int id, long value);

    /**
     * Reads, in one call, RAX (the number), RDI, RSI, RDX, R10, R8, R9 (the arguments), RIP and
     * EFLAGS into {@code into[0..8]}.
     */
    void readSyscallRegisters(long[] into);

    /**
     * Completes a syscall as the kernel's syscall return path does: RAX = result, RCX = the
     * address after the instruction, R11 = the flags.
     */
    void writeSyscallResult(long rax, long rcx, long r11);

    /** Called from {@link #run} for each {@code syscall} instruction, on the running thread. */
    void onSyscall(SyscallHook hook);

    /** Runs from {@code rip} until stopped, a fault, or the end of the guest's code. */
    RunResult run(long rip);

    /**
     * Runs the one instruction at {@code rip} (PTRACE_SINGLESTEP): {@link RunResult.Kind#STEPPED} when
     * it completed, else what ended it first (a stop, a fault).
     */
    RunResult stepOne(long rip);

    /**
     * Data watchpoints, as the x86 debug registers' (PTRACE_POKEUSER of DR0-3 and DR7): slot i
     * watches [address[i], address[i] + length[i]) for writes, and reads too when {@code reads[i]};
     * a length of 0 leaves the slot empty, nulls clear them all. An access ends the run after its
     * instruction with {@link RunResult.Kind#WATCHED}. False when this engine cannot watch.
     */
    boolean watch(long[] address, int[] length, boolean[] reads);

    /** Asks a running engine to return from {@link #run}; callable from any thread. */
    void stop();

    /**
     * Whether a {@link #stop} from another thread leaves the engine between two instructions with
     * RIP exact, so that the run may resume there (preemption, signal delivery). When not, only a
     * stop that ends the run for good (exit, a time limit) may come from another thread.
     */
    boolean stopsExactly();

    /**
     * The address of the instruction that made the data memory fault the last run reported at
     * {@code faultAddress}, with RIP at {@code reportedRip}, where the engine does not report it
     * exactly; {@code code} shows the guest's code to another engine.
     */
    long faultingInstruction(long reportedRip, long faultAddress, Code code);

    /** The guest's code, for an engine that looks at it without running the guest. */
    interface Code {
        /** Maps the code near [from, to) into {@code engine}; what it returns unmaps it again. */
        Runnable map(CpuEngine engine, long from, long to);

        /** Up to {@code length} bytes of code at {@code address}; fewer (or none) where it is not mapped. */
        byte[] read(long address, int length);
    }

    /**
     * The x87 and SSE state in FXSAVE's 512-byte layout (what a Linux signal frame's fpstate
     * holds without XSAVE): control, status and abridged tag words, MXCSR, ST0-7, XMM0-15.
     */
    byte[] fxsave();

    /** Loads state saved by {@link #fxsave} (or a signal handler's edit of it). */
    void fxrstor(byte[] area);

    /**
     * Takes every register (general, segment bases, x87, SSE, flags) of {@code other}, an engine
     * of the same kind stopped in a syscall: fork's and clone's child starts where its parent is.
     */
    void copyStateFrom(CpuEngine other);

    /**
     * CPUID faulting (arch_prctl ARCH_SET_CPUID 0): while on, a guest's cpuid instruction does not
     * run and the run ends with a general-protection fault (interrupt 13) at it. Copied by
     * {@link #copyStateFrom}, off again after {@link #reset}.
     */
    void setCpuidFaulting(boolean on);

    boolean cpuidFaulting();

    /**
     * execve: registers back to the start state and translated code dropped; the engine must have
     * no mappings (its old address space detached) and is not running.
     */
    void reset();

    /** Done with the engine, every mapping gone: it may be reused (in its start state) or closed. */
    void release();

    @Override
    void close();

    @FunctionalInterface
    interface SyscallHook {
        void onSyscall(CpuEngine engine);
    }
}
