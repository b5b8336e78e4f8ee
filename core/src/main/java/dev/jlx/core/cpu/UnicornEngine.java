package dev.jlx.core.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link CpuEngine} on Unicorn 2.1 through the FFM API. The facts this relies on (hook ABI,
 * FPU start state, CPU model, stop races) are measured in ENGINE.md.
 */
public final class UnicornEngine implements CpuEngine {
    private static final int UC_ARCH_X86 = 4;
    private static final int UC_MODE_64 = 8;
    private static final int UC_HOOK_INTR = 1;
    private static final int UC_HOOK_INSN = 2;
    private static final int UC_HOOK_CODE = 4;
    private static final int UC_HOOK_BLOCK = 8;
    private static final int UC_HOOK_MEM_INVALID = 1008;
    private static final int UC_HOOK_MEM_READ = 1024;
    private static final int UC_HOOK_MEM_WRITE = 2048;
    private static final int UC_PROT_EXEC = 4;
    private static final int UC_X86_INS_SYSCALL = 699;
    private static final int UC_X86_INS_CPUID = 113;
    /** The vector of the #GP a cpuid raises with CPUID faulting on. */
    private static final int GENERAL_PROTECTION = 13;
    private static final int UC_ERR_INSN_INVALID = 10;
    private static final int UC_CPU_X86_WESTMERE = 16;
    /** UC_CTL_WRITE(UC_CTL_CPU_MODEL, 1) = type | nr << 26 | UC_CTL_IO_WRITE << 30. */
    private static final int CTL_WRITE_CPU_MODEL = 7 | (1 << 26) | (1 << 30);
    /** UC_CTL_WRITE(UC_CTL_TCG_BUFFER_SIZE, 1). */
    private static final int CTL_WRITE_TCG_BUFFER_SIZE = 13 | (1 << 26) | (1 << 30);
    /**
     * Translated code per engine. Unicorn's default, 1 GiB, is zeroed by every flush, which reusing
     * an engine needs; a guest thread's code fits in far less (a full buffer is flushed and refilled).
     */
    private static final int TCG_BUFFER_SIZE = 32 << 20;
    /** UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0). */
    private static final int CTL_WRITE_TB_FLUSH = 10 | (1 << 30);
    /** UC_CTL_WRITE(UC_CTL_TLB_FLUSH, 0). */
    private static final int CTL_WRITE_TLB_FLUSH = 11 | (1 << 30);
    /** Idle engines kept for reuse: creating one costs ~1 ms, and uc_close leaks in Unicorn <= 2.1.3. */
    private static final int POOL_SIZE = 8;
    private static final java.util.concurrent.ConcurrentLinkedDeque<UnicornEngine> POOL =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2). */
    private static final int CTL_WRITE_TB_REMOVE_CACHE = 9 | (2 << 26) | (1 << 30);

    private static final int[] SYSCALL_READ_REGS = {
        X86Reg.RAX, X86Reg.RDI, X86Reg.RSI, X86Reg.RDX, X86Reg.R10, X86Reg.R8, X86Reg.R9, X86Reg.RIP, X86Reg.EFLAGS
    };
    private static final int[] SYSCALL_WRITE_REGS = {X86Reg.RAX, X86Reg.RCX, X86Reg.R11};

    private static final MethodHandle SYSCALL_CALLBACK;
    private static final MethodHandle INTR_CALLBACK;
    private static final MethodHandle MEM_CALLBACK;
    private static final MethodHandle CODE_CALLBACK;
    private static final MethodHandle CPUID_CALLBACK;
    private static final MethodHandle WATCH_CALLBACK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SYSCALL_CALLBACK = lookup.findVirtual(UnicornEngine.class, "syscallCallback",
                    MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class));
            INTR_CALLBACK = lookup.findVirtual(UnicornEngine.class, "interruptCallback",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class));
            CPUID_CALLBACK = lookup.findVirtual(UnicornEngine.class, "cpuidCallback",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            CODE_CALLBACK = lookup.findVirtual(UnicornEngine.class, "codeCallback", MethodType.methodType(
                    void.class, MemorySegment.class, long.class, int.class, MemorySegment.class));
            MEM_CALLBACK = lookup.findVirtual(UnicornEngine.class, "memoryCallback", MethodType.methodType(
                    boolean.class, MemorySegment.class, int.class, long.class, int.class, long.class,
                    MemorySegment.class));
            WATCH_CALLBACK = lookup.findVirtual(UnicornEngine.class, "watchCallback", MethodType.methodType(
                    void.class, MemorySegment.class, int.class, long.class, int.class, long.class,
                    MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;
    private final MemorySegment readIds;
    private final MemorySegment readPtrs;
    private final MemorySegment readVals;
    private final MemorySegment writeIds;
    private final MemorySegment writePtrs;
    private final MemorySegment writeVals;

    /** The CPU state of a new engine (Linux's start state), restored when a pooled engine is reused. */
    private MemorySegment fresh;
    private SyscallHook syscallHook;
    private volatile boolean stopWanted;
    private volatile boolean running;
    /** The byte the block hook's stub reads before each translated block: non-zero stops the engine there. */
    private final MemorySegment stopFlag;
    private static final VarHandle FLAG = JAVA_BYTE.varHandle();
    /** The thread inside uc_emu_start, which alone may stop the engine at once (from one of its hooks). */
    private volatile Thread runner;
    private Throwable hookFailure;
    private RunResult pendingFault;
    private volatile boolean closed;

    public UnicornEngine() {
        UnicornLibrary.require();
        MemorySegment out = arena.allocate(ADDRESS);
        check("uc_open", invokeInt(UnicornLibrary.Open.H, UC_ARCH_X86, UC_MODE_64, out));
        uc = out.get(ADDRESS, 0);
        stopFlag = arena.allocate(JAVA_BYTE);
        try {
            // The default model (qemu64) decodes no SSSE3 although glibc is told it exists; Westmere's
            // CPUID and decoder agree (ENGINE.md).
            check("uc_ctl(CPU_MODEL)", ctlInt(CTL_WRITE_CPU_MODEL, UC_CPU_X86_WESTMERE));
            check("uc_ctl(TCG_BUFFER_SIZE)", ctlInt(CTL_WRITE_TCG_BUFFER_SIZE, TCG_BUFFER_SIZE));
            firstFlush();
            scratch = arena.allocate(JAVA_LONG);
            readIds = intArray(SYSCALL_READ_REGS);
            readVals = arena.allocate(JAVA_LONG, SYSCALL_READ_REGS.length);
            readPtrs = pointersInto(readVals, SYSCALL_READ_REGS.length);
            writeIds = intArray(SYSCALL_WRITE_REGS);
            writeVals = arena.allocate(JAVA_LONG, SYSCALL_WRITE_REGS.length);
            writePtrs = pointersInto(writeVals, SYSCALL_WRITE_REGS.length);
            resetFpu();
            addHooks();
            MemorySegment ctx = arena.allocate(ADDRESS);
            checked("uc_context_alloc", () -> (int) UnicornLibrary.ContextAlloc.H.invokeExact(uc, ctx));
            fresh = ctx.get(ADDRESS, 0);
            checked("uc_context_save", () -> (int) UnicornLibrary.ContextSave.H.invokeExact(uc, fresh));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private MemorySegment intArray(int[] values) {
        MemorySegment s = arena.allocate(JAVA_INT, values.length);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(JAVA_INT, i, values[i]);
        }
        return s;
    }

    private MemorySegment pointersInto(MemorySegment values, int count) {
        MemorySegment s = arena.allocate(ADDRESS, count);
        for (int i = 0; i < count; i++) {
            s.setAtIndex(ADDRESS, i, values.asSlice(i * 8L, 8));
        }
        return s;
    }

    /** CR4.OSFXSR and CR4.OSXMMEXCPT, which Linux sets and without which fxsave/fxrstor skip the XMM registers. */
    private static final long CR4_OSFXSR_OSXMMEXCPT = 0x200 | 0x400;

    /**
     * Linux starts a process with FCW 0x37f, all x87 registers empty and MXCSR 0x1f80, on a CPU
     * whose CR4 enables SSE state saving (glibc's lazy binding saves the argument registers with
     * fxsave); Unicorn does none of it.
     */
    private void resetFpu() {
        reg(X86Reg.CR4, reg(X86Reg.CR4) | CR4_OSFXSR_OSXMMEXCPT);
        reg(X86Reg.FPCW, 0x037f);
        reg(X86Reg.FPTAG, 0xffff);
        reg(X86Reg.MXCSR, 0x1f80);
    }

    private void addHooks() {
        MethodHandle syscall = SYSCALL_CALLBACK.bindTo(this);
        MemorySegment syscallStub = UnicornLibrary.LINKER.upcallStub(syscall,
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS), arena);
        MemorySegment handle = arena.allocate(JAVA_LONG);
        check("uc_hook_add(syscall)", invokeHookInsn(handle, syscallStub, UC_X86_INS_SYSCALL));
        MemorySegment intrStub = UnicornLibrary.LINKER.upcallStub(INTR_CALLBACK.bindTo(this),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS), arena);
        check("uc_hook_add(intr)", invokeHook(handle, UC_HOOK_INTR, intrStub));
        MemorySegment memStub = UnicornLibrary.LINKER.upcallStub(MEM_CALLBACK.bindTo(this),
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS),
                arena);
        check("uc_hook_add(mem)", invokeHook(handle, UC_HOOK_MEM_INVALID, memStub));
        MemorySegment cpuidStub = UnicornLibrary.LINKER.upcallStub(CPUID_CALLBACK.bindTo(this),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), arena);
        check("uc_hook_add(cpuid)", invokeHookInsn(handle, cpuidStub, UC_X86_INS_CPUID));
        if (StopStub.ADDRESS != null) {
            try {
                check("uc_hook_add(block)", (int) UnicornLibrary.HookAdd.H.invokeExact(uc, handle, UC_HOOK_BLOCK,
                        StopStub.ADDRESS, stopFlag, 1L, 0L));
            } catch (EngineException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /**
     * The block hook's callback: {@code if (*(char *) user_data) uc_emu_stop(uc);} in x86-64 machine
     * code, for hosts with the System V calling convention (Linux, macOS and the BSDs on x86-64).
     * uc_emu_stop from another thread stops the engine at the start of a translated block but
     * leaves RIP where it was last written, often an earlier block (docs/engine.md); called from a
     * block hook it stops at that block with RIP exact. A Java upcall per block would cost ~100 ns;
     * this costs a compare. Null where there is no such stub: threads then switch only at syscalls.
     */
    static final class StopStub {
        static final MemorySegment ADDRESS = make();

        private static MemorySegment make() {
            String arch = System.getProperty("os.arch");
            if (!(arch.equals("amd64") || arch.equals("x86_64")) || System.getProperty("os.name").startsWith("Windows")) {
                return null;
            }
            long stop = UnicornLibrary.LOOKUP.find("uc_emu_stop").orElseThrow().address();
            byte[] code = {
                (byte) 0x80, 0x39, 0x00,                   // cmp byte [rcx], 0   (rcx: user_data)
                0x75, 0x01,                                 // jne +1
                (byte) 0xc3,                                // ret
                0x48, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,  // movabs rax, uc_emu_stop
                (byte) 0xff, (byte) 0xe0,                   // jmp rax (rdi: uc, as the hook got it)
            };
            for (int i = 0; i < 8; i++) {
                code[8 + i] = (byte) (stop >>> (8 * i));
            }
            return CodePages.executable(code);
        }
    }

    @Override
    public boolean stopsExactly() {
        return StopStub.ADDRESS != null;
    }

    // Upcalls: nothing may escape them (the JVM would abort), so failures are kept and rethrown by run().

    @SuppressWarnings("unused")
    private void syscallCallback(MemorySegment engine, MemorySegment userData) {
        try {
            syscallHook.onSyscall(this);
        } catch (Throwable t) {
            hookFailure = t;
            stop();
        }
    }

    @SuppressWarnings("unused")
    private void interruptCallback(MemorySegment engine, int vector, MemorySegment userData) {
        pendingFault = new RunResult(RunResult.Kind.INTERRUPT, 0, vector, "interrupt " + vector);
        stop();
    }

    private volatile boolean cpuidFaulting;
    /** Where the cpuid that faulted is (the hook skips it, and the stop may land after it); -1: none. */
    private long cpuidFaultRip = -1;

    @Override
    public void setCpuidFaulting(boolean on) {
        cpuidFaulting = on;
    }

    @Override
    public boolean cpuidFaulting() {
        return cpuidFaulting;
    }

    /** The cpuid hook: with CPUID faulting on the instruction is skipped and the run ends in a #GP at it. */
    @SuppressWarnings("unused")
    private int cpuidCallback(MemorySegment engine, MemorySegment userData) {
        if (!cpuidFaulting) {
            return 0;
        }
        try {
            cpuidFaultRip = reg(X86Reg.RIP);
            pendingFault = new RunResult(RunResult.Kind.INTERRUPT, 0, GENERAL_PROTECTION, "cpuid with CPUID faulting on");
            stop();
        } catch (Throwable t) {
            hookFailure = t;
        }
        return 1;
    }

    /** The size of the last instruction a step met (the code hook of {@link #faultingInstruction}'s engine). */
    private int stepSize;

    @SuppressWarnings("unused")
    private void codeCallback(MemorySegment engine, long address, int size, MemorySegment userData) {
        stepSize = size;
    }

    @SuppressWarnings("unused")
    private boolean memoryCallback(MemorySegment engine, int type, long address, int size, long value,
            MemorySegment userData) {
        pendingFault = new RunResult(RunResult.Kind.MEMORY_FAULT, address, type >= 22 ? 1 : 0, accessName(type) + " at 0x"
                + Long.toHexString(address));
        return false;
    }

    private static String accessName(int ucMemType) {
        return switch (ucMemType) {
            case 19 -> "read of unmapped memory";
            case 20 -> "write to unmapped memory";
            case 21 -> "fetch from unmapped memory";
            case 22 -> "write to protected memory";
            case 23 -> "read of protected memory";
            case 24 -> "fetch from non-executable memory";
            default -> "memory access type " + ucMemType;
        };
    }

    @Override
    public void onSyscall(SyscallHook hook) {
        this.syscallHook = hook;
    }

    @Override
    public RunResult run(long rip) {
        return run(rip, 0);
    }

    @Override
    public RunResult stepOne(long rip) {
        RunResult r = run(rip, 1);
        // Unicorn's instruction count ends the run with uc_emu_stop of its own, no stop of jlx's.
        return r.kind() == RunResult.Kind.HALTED ? RunResult.STEPPED : r;
    }

    /** uc_emu_start from {@code rip}, for at most {@code count} instructions (0: no limit). */
    private RunResult run(long rip, long count) {
        if (takeStop()) {
            // Stopped before it started: RIP must still say where the run would have begun.
            reg(X86Reg.RIP, rip);
            return RunResult.STOPPED;
        }
        pendingFault = null;
        hookFailure = null;
        runner = Thread.currentThread();
        running = true;
        int err;
        try {
            err = (int) UnicornLibrary.EmuStart.H.invokeExact(uc, rip, 0L, 0L, count);
        } catch (Throwable t) {
            throw new IllegalStateException("uc_emu_start", t);
        } finally {
            running = false;
            runner = null;
        }
        boolean stopped = takeStop();
        if (hookFailure != null) {
            Throwable t = hookFailure;
            hookFailure = null;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        if (pendingFault != null) {
            if (cpuidFaultRip != -1) {
                reg(X86Reg.RIP, cpuidFaultRip);
                cpuidFaultRip = -1;
            }
            return pendingFault;
        }
        if (watchHits != 0) {
            int hits = watchHits;
            watchHits = 0;
            FLAG.setVolatile(watchFlag, 0L, (byte) 0);
            return new RunResult(RunResult.Kind.WATCHED, 0, hits, "watchpoint");
        }
        if (err == UC_ERR_INSN_INVALID) {
            return new RunResult(RunResult.Kind.INVALID_INSTRUCTION, reg(X86Reg.RIP), 0, "invalid instruction");
        }
        if (err != 0) {
            return new RunResult(RunResult.Kind.MEMORY_FAULT, 0, 0, strerror(err));
        }
        return stopped ? RunResult.STOPPED : RunResult.HALTED;
    }

    /**
     * Consumes a stop request, under the lock {@link #stop} holds: a stop that lands between two
     * runs then belongs to the next one, never to none (an unflagged stop would look like hlt).
     */
    private synchronized boolean takeStop() {
        boolean s = stopWanted;
        stopWanted = false;
        FLAG.setVolatile(stopFlag, 0L, (byte) 0);
        return s;
    }

    /**
     * From another thread the stop takes effect at the next translated block, through the block
     * hook's flag, with RIP exact; a stop asked before the run starts is kept for it. From the
     * engine's own hooks, and where there is no stub, uc_emu_stop stops it at once.
     */
    @Override
    public synchronized void stop() {
        stopWanted = true;
        if (closed) {
            return;
        }
        if (StopStub.ADDRESS != null) {
            FLAG.setVolatile(stopFlag, 0L, (byte) 1);
            if (Thread.currentThread() != runner) {
                return;
            }
        }
        try {
            int ignored = (int) UnicornLibrary.EmuStop.H.invokeExact(uc);
        } catch (Throwable t) {
            throw new IllegalStateException("uc_emu_stop", t);
        }
    }

    /** Steps through faulting code on this engine, which maps only code; one per JVM, used under its lock. */
    private static UnicornEngine stepper;
    /** How far {@link #faultingInstruction} looks: instructions, and bytes of code around the reported RIP. */
    private static final int MAX_STEPS = 512;
    private static final long CODE_WINDOW = 8192;

    /**
     * The address of the instruction that made a data memory fault this engine has just reported.
     * Unicorn 2.1 reports such a fault with every register as it was just before the faulting
     * instruction, but RIP where it last wrote it: the start of the block the last jump that was not
     * direct went to (docs/engine.md). From there the guest went on through direct jumps only
     * (chained blocks, in one page), so jlx follows them on an engine that maps only the code,
     * both ways at a conditional jump: each instruction runs alone from this engine's registers,
     * and the first whose memory access is at the fault address is the one (an instruction met
     * earlier that gives the same address with the later registers would be taken instead). The
     * reported RIP when no instruction matches.
     */
    @Override
    public long faultingInstruction(long reportedRip, long faultAddress, Code code) {
        synchronized (UnicornEngine.class) {
            if (stepper == null) {
                stepper = new UnicornEngine();
                stepper.addCodeHook();
                stepper.onSyscall(CpuEngine::stop);
            }
            long page = reportedRip & -4096L;
            Runnable unmap = code.map(stepper, page - CODE_WINDOW, page + CODE_WINDOW);
            try {
                ArrayDeque<Long> pending = new ArrayDeque<>();
                Set<Long> seen = new HashSet<>();
                pending.push(reportedRip);
                for (int steps = 0; !pending.isEmpty() && steps < MAX_STEPS; steps++) {
                    long at = pending.pop();
                    if (!seen.add(at)) {
                        continue;
                    }
                    stepper.copyStateFrom(this);
                    stepper.stepSize = 0;
                    RunResult r = stepper.stepAlone(at);
                    if (r.kind() == RunResult.Kind.MEMORY_FAULT && r.address() == faultAddress) {
                        return at;
                    }
                    if (stepper.stepSize == 0) {
                        continue;
                    }
                    // Successors pushed last are looked at first: the fall-through before a jump's target.
                    for (long next : X86Branches.directSuccessors(at, code.read(at, stepper.stepSize))) {
                        if ((next & -4096L) == page || (next & -4096L) == (at & -4096L)) {
                            pending.push(next);
                        }
                    }
                }
            } finally {
                unmap.run();
            }
            return reportedRip;
        }
    }

    private void addCodeHook() {
        MemorySegment stub = UnicornLibrary.LINKER.upcallStub(CODE_CALLBACK.bindTo(this),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS), arena);
        check("uc_hook_add(code)", invokeHook(arena.allocate(JAVA_LONG), UC_HOOK_CODE, stub));
    }

    /** Runs the one instruction at {@code rip}, outside any guest thread's run (no stop flag, no runner). */
    private RunResult stepAlone(long rip) {
        pendingFault = null;
        hookFailure = null;
        int err;
        try {
            err = (int) UnicornLibrary.EmuStart.H.invokeExact(uc, rip, 0L, 0L, 1L);
        } catch (Throwable t) {
            throw new IllegalStateException("uc_emu_start", t);
        }
        takeStop();
        if (pendingFault != null) {
            return pendingFault;
        }
        return err == 0 ? RunResult.STOPPED : new RunResult(RunResult.Kind.INVALID_INSTRUCTION, rip, 0, strerror(err));
    }

    /** Whether {@link #run} is executing guest code now (for stoppers on other threads). */
    public boolean isRunning() {
        return running;
    }

    @Override
    public void map(long address, long size, int prot, MemorySegment host) {
        checked("uc_mem_map_ptr", () -> (int) UnicornLibrary.MemMapPtr.H.invokeExact(uc, address, size, prot, host));
    }

    @Override
    public void unmap(long address, long size) {
        checked("uc_mem_unmap", () -> (int) UnicornLibrary.MemUnmap.H.invokeExact(uc, address, size));
    }

    @Override
    public void protect(long address, long size, int prot) {
        if ((prot & UC_PROT_EXEC) == 0) {
            // Unicorn drops a region's translations at unmap only while it is executable: drop them
            // now, so that none outlives its code (reset relies on it).
            flushCode(address, size);
        }
        checked("uc_mem_protect", () -> (int) UnicornLibrary.MemProtect.H.invokeExact(uc, address, size, prot));
    }

    /**
     * Permissions alone change cheaply (a flag of the region) while the region stays writable or
     * read-only; its translated accesses (the TLB) keep working until flushed, so a flush follows:
     * measured on 2.1.1, a read of a page made PROT_NONE succeeded until the TLB was flushed.
     */
    @Override
    public void hide(long address, long size) {
        checked("uc_mem_protect", () -> (int) UnicornLibrary.MemProtect.H.invokeExact(uc, address, size, 0));
        checked("uc_ctl(TLB_FLUSH)", () -> (int) UnicornLibrary.CtlNone.H.invokeExact(uc, CTL_WRITE_TLB_FLUSH));
    }

    @Override
    public void flushCode(long address, long size) {
        try {
            int ignored = (int) UnicornLibrary.CtlLongLong.H.invokeExact(uc, CTL_WRITE_TB_REMOVE_CACHE, address,
                    address + size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long reg(int id) {
        checked("uc_reg_read", () -> (int) UnicornLibrary.RegRead.H.invokeExact(uc, id, scratch));
        return scratch.get(JAVA_LONG, 0);
    }

    @Override
    public void reg(int id, long value) {
        scratch.set(JAVA_LONG, 0, value);
        checked("uc_reg_write", () -> (int) UnicornLibrary.RegWrite.H.invokeExact(uc, id, scratch));
    }

    @Override
    public void readSyscallRegisters(long[] into) {
        try {
            int err = (int) UnicornLibrary.RegReadBatch.H.invokeExact(uc, readIds, readPtrs, SYSCALL_READ_REGS.length);
            check("uc_reg_read_batch", err);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        MemorySegment.copy(readVals, JAVA_LONG, 0, into, 0, SYSCALL_READ_REGS.length);
    }

    @Override
    public void writeSyscallResult(long rax, long rcx, long r11) {
        writeVals.set(JAVA_LONG, 0, rax);
        writeVals.set(JAVA_LONG, 8, rcx);
        writeVals.set(JAVA_LONG, 16, r11);
        try {
            int err = (int) UnicornLibrary.RegWriteBatch.H.invokeExact(uc, writeIds, writePtrs,
                    SYSCALL_WRITE_REGS.length);
            check("uc_reg_write_batch", err);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * An engine in its start state with no memory mapped: a pooled one when there is one (its CPU
     * state restored and its translated code dropped), else a new one.
     */
    public static UnicornEngine acquire() {
        UnicornEngine e = POOL.pollFirst();
        return e != null ? e : new UnicornEngine();
    }

    @Override
    public byte[] fxsave() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) reg(X86Reg.FPCW));
        b.putShort(2, (short) reg(X86Reg.FPSW));
        long tags = reg(X86Reg.FPTAG);
        int abridged = 0;
        for (int i = 0; i < 8; i++) {
            if (((tags >> (2 * i)) & 3) != 3) {
                abridged |= 1 << i;
            }
        }
        b.put(4, (byte) abridged);
        b.putInt(24, (int) reg(X86Reg.MXCSR));
        b.putInt(28, 0xffff);
        MemorySegment wide = wide();
        for (int i = 0; i < 8; i++) {
            int id = X86Reg.ST0 + i;
            wide.fill((byte) 0);
            checked("uc_reg_read", () -> (int) UnicornLibrary.RegRead.H.invokeExact(uc, id, wide));
            b.put(32 + 16 * i, wide.asSlice(0, 10).toArray(JAVA_BYTE));
        }
        for (int i = 0; i < 16; i++) {
            int id = X86Reg.XMM0 + i;
            checked("uc_reg_read", () -> (int) UnicornLibrary.RegRead.H.invokeExact(uc, id, wide));
            b.put(160 + 16 * i, wide.toArray(JAVA_BYTE));
        }
        return b.array();
    }

    @Override
    public void fxrstor(byte[] area) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(area).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        reg(X86Reg.FPCW, b.getShort(0) & 0xffff);
        reg(X86Reg.FPSW, b.getShort(2) & 0xffff);
        int abridged = b.get(4) & 0xff;
        long tags = 0;
        for (int i = 0; i < 8; i++) {
            // An abridged "in use" bit becomes tag 00 (valid); unused registers are 11 (empty).
            tags |= ((abridged >> i) & 1) != 0 ? 0 : 3L << (2 * i);
        }
        reg(X86Reg.FPTAG, tags);
        reg(X86Reg.MXCSR, b.getInt(24) & 0xffff);
        MemorySegment wide = wide();
        for (int i = 0; i < 8; i++) {
            int id = X86Reg.ST0 + i;
            MemorySegment.copy(area, 32 + 16 * i, wide, JAVA_BYTE, 0, 16);
            checked("uc_reg_write", () -> (int) UnicornLibrary.RegWrite.H.invokeExact(uc, id, wide));
        }
        for (int i = 0; i < 16; i++) {
            int id = X86Reg.XMM0 + i;
            MemorySegment.copy(area, 160 + 16 * i, wide, JAVA_BYTE, 0, 16);
            checked("uc_reg_write", () -> (int) UnicornLibrary.RegWrite.H.invokeExact(uc, id, wide));
        }
    }

    /** A 16-byte buffer for x87 and XMM registers; made at first use. */
    private MemorySegment wide;

    private MemorySegment wide() {
        if (wide == null) {
            wide = arena.allocate(16);
        }
        return wide;
    }

    /** A context for handing this engine's CPU state to another engine; made at first use. */
    private MemorySegment transfer;

    @Override
    public void copyStateFrom(CpuEngine other) {
        UnicornEngine from = (UnicornEngine) other;
        MemorySegment ctx = from.transferContext();
        checked("uc_context_save", () -> (int) UnicornLibrary.ContextSave.H.invokeExact(from.uc, ctx));
        checked("uc_context_restore", () -> (int) UnicornLibrary.ContextRestore.H.invokeExact(uc, ctx));
        cpuidFaulting = from.cpuidFaulting;
    }

    private MemorySegment transferContext() {
        if (transfer == null) {
            MemorySegment ctx = arena.allocate(ADDRESS);
            checked("uc_context_alloc", () -> (int) UnicornLibrary.ContextAlloc.H.invokeExact(uc, ctx));
            transfer = ctx.get(ADDRESS, 0);
        }
        return transfer;
    }

    /**
     * Gives an engine back once its guest thread is done and every mapping is gone; it is kept for
     * {@link #acquire()} or closed when enough are idle.
     */
    @Override
    public void release() {
        if (POOL.size() >= POOL_SIZE) {
            close();
            return;
        }
        reset();
        syscallHook = null;
        POOL.addFirst(this);
    }

    @Override
    public void reset() {
        watch(null, null, null);
        checked("uc_context_restore", () -> (int) UnicornLibrary.ContextRestore.H.invokeExact(uc, fresh));
        takeStop();
        cpuidFaulting = false;
    }

    // Watchpoints: a memory hook per watched range notes a hit, and a code hook whose callback is
    // the stop stub, on a flag of its own, ends the run before the next instruction.

    /** The hooks watchpoints added, to delete when they change; empty for none. */
    private final List<Long> watchHooks = new ArrayList<>();
    /** The watched ranges, {start, end} per slot (null for an empty slot). */
    private long[][] watched = new long[0][];
    /** The memory hooks' callback (made once per engine). */
    private MemorySegment watchStub;
    /** Set by a hit, for the code hook's stub: stop before the next instruction. */
    private MemorySegment watchFlag;
    /** The slots hit in this run, as DR6's B0-B3 bits. */
    private int watchHits;
    /** How far before a watched range an access may start and still reach it (a 16-byte SSE store). */
    private static final long WIDEST_ACCESS = 16;

    @Override
    public boolean watch(long[] address, int[] length, boolean[] reads) {
        for (long h : watchHooks) {
            checked("uc_hook_del", () -> (int) UnicornLibrary.HookDel.H.invokeExact(uc, h));
        }
        boolean had = !watchHooks.isEmpty();
        watchHooks.clear();
        watched = new long[0][];
        watchHits = 0;
        boolean any = false;
        for (int i = 0; address != null && i < address.length; i++) {
            any |= length[i] != 0;
        }
        if (any) {
            if (StopStub.ADDRESS == null) {
                return false;
            }
            if (watchFlag == null) {
                watchFlag = arena.allocate(JAVA_BYTE);
            }
            FLAG.setVolatile(watchFlag, 0L, (byte) 0);
            watched = new long[address.length][];
            MemorySegment handle = arena.allocate(JAVA_LONG);
            for (int i = 0; i < address.length; i++) {
                if (length[i] == 0) {
                    continue;
                }
                watched[i] = new long[] {address[i], address[i] + length[i]};
                if (watchStub == null) {
                    watchStub = UnicornLibrary.LINKER.upcallStub(WATCH_CALLBACK.bindTo(this),
                            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), arena);
                }
                int type = UC_HOOK_MEM_WRITE | (reads[i] ? UC_HOOK_MEM_READ : 0);
                long begin = Math.max(0, address[i] - WIDEST_ACCESS + 1);
                long end = address[i] + length[i] - 1;
                addHook(handle, type, watchStub, MemorySegment.ofAddress(i), begin, end);
            }
            addHook(handle, UC_HOOK_CODE, StopStub.ADDRESS, watchFlag, 1L, 0L);
        }
        if (had || !watchHooks.isEmpty()) {
            // Translated code and the TLB were made without (or with) the hooks.
            checked("uc_ctl(TB_FLUSH)", () -> (int) UnicornLibrary.CtlNone.H.invokeExact(uc, CTL_WRITE_TB_FLUSH));
            checked("uc_ctl(TLB_FLUSH)", () -> (int) UnicornLibrary.CtlNone.H.invokeExact(uc, CTL_WRITE_TLB_FLUSH));
        }
        return true;
    }

    private void addHook(MemorySegment handle, int type, MemorySegment callback, MemorySegment userData, long begin,
            long end) {
        try {
            check("uc_hook_add(watch)", (int) UnicornLibrary.HookAdd.H.invokeExact(uc, handle, type, callback,
                    userData, begin, end));
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        watchHooks.add(handle.get(JAVA_LONG, 0));
    }

    @SuppressWarnings("unused")
    private void watchCallback(MemorySegment engine, int type, long address, int size, long value,
            MemorySegment userData) {
        int slot = (int) userData.address();
        long[] w = slot < watched.length ? watched[slot] : null;
        if (w != null && address < w[1] && address + size > w[0]) {
            watchHits |= 1 << slot;
            FLAG.setVolatile(watchFlag, 0L, (byte) 1);
        }
    }

    /** Engines are made one at a time, so that a new code buffer among the host's mappings is this one's. */
    private static final Object CREATION = new Object();
    private static final long PROLOGUE_PAGES = 2 * 4096;

    /**
     * Unicorn <= 2.1.1 forgets to flush when a new engine's code buffer first fills: it reuses the
     * buffer under live translations, and the JVM dies in tb_set_jmp_target. One flush at the start
     * sets up the region bookkeeping that makes later fills flush (fixed in 2.1.2). The flush zeroes
     * the code buffer, which would keep 32 MiB of host memory per engine; zero pages given back to
     * the host read the same, so the buffer, found as the new executable mapping of its size (less
     * Unicorn's guard page at its end), gets them instead, all but its first pages, which hold
     * Unicorn's prologue code (a few hundred bytes).
     */
    private void firstFlush() {
        synchronized (CREATION) {
            java.util.Map<Long, Long> before = CodePages.writableCodeMappings();
            flushAll();
            java.util.List<java.util.Map.Entry<Long, Long>> fresh = CodePages.writableCodeMappings().entrySet()
                    .stream().filter(m -> !before.containsKey(m.getKey())
                            && m.getValue() - m.getKey() == TCG_BUFFER_SIZE - 4096L)
                    .toList();
            if (fresh.size() == 1) {
                CodePages.zeroAndRelease(fresh.get(0).getKey() + PROLOGUE_PAGES, TCG_BUFFER_SIZE - 4096L - PROLOGUE_PAGES);
            }
        }
    }

    private void flushAll() {
        checked("uc_ctl(TB_FLUSH)", () -> (int) UnicornLibrary.CtlNone.H.invokeExact(uc, CTL_WRITE_TB_FLUSH));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uc != null && !uc.equals(MemorySegment.NULL)) {
                int ignored = (int) UnicornLibrary.Close.H.invokeExact(uc);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PRELOADED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Loads the library and binds what an engine needs on a background thread, once per JVM, so
     * that this start-up cost overlaps with other start-up work (the host backend's).
     */
    public static void preloadInBackground() {
        if (PRELOADED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jlx-engine-preload").start(() -> {
                try {
                    new UnicornEngine().close();
                } catch (RuntimeException | Error e) {
                    // The run that needs the engine reports the same failure in its own words.
                }
            });
        }
    }

    /** The library version in use, e.g. "2.1.1", and where it was loaded from. */
    public static String describeLibrary() {
        UnicornLibrary.require();
        return "Unicorn " + UnicornLibrary.versionString(UnicornLibrary.VERSION) + " (" + UnicornLibrary.LOADED_FROM
                + ")";
    }

    private int ctlInt(int control, int value) {
        try {
            return (int) UnicornLibrary.CtlInt.H.invokeExact(uc, control, value);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int invokeHookInsn(MemorySegment handle, MemorySegment stub, int insn) {
        try {
            return (int) UnicornLibrary.HookAddInsn.H.invokeExact(uc, handle, UC_HOOK_INSN, stub, MemorySegment.NULL,
                    1L, 0L, insn);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int invokeHook(MemorySegment handle, int type, MemorySegment stub) {
        try {
            return (int) UnicornLibrary.HookAdd.H.invokeExact(uc, handle, type, stub, MemorySegment.NULL, 1L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int invokeInt(MethodHandle h, int a, int b, MemorySegment c) {
        try {
            return (int) h.invokeExact(a, b, c);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A Unicorn call that returns a uc_err. */
    @FunctionalInterface
    private interface NativeCall {
        int invoke() throws Throwable;
    }

    /** Runs a Unicorn call off the syscall hot path; a non-zero uc_err is an EngineException. */
    private static void checked(String what, NativeCall call) {
        int err;
        try {
            err = call.invoke();
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
        check(what, err);
    }

    private static void check(String what, int err) {
        if (err != 0) {
            throw new EngineException(what + " failed: " + strerror(err));
        }
    }

    private static String strerror(int err) {
        try {
            MemorySegment s = (MemorySegment) UnicornLibrary.StrError.H.invokeExact(err);
            return s.reinterpret(256).getString(0) + " (" + err + ")";
        } catch (Throwable t) {
            return "error " + err;
        }
    }
}
