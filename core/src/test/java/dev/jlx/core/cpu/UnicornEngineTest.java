package dev.jlx.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.core.host.PortableHostMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Runs raw x86-64 machine code on the engine binding. */
class UnicornEngineTest {
    private static final long CODE = 0x400000;
    private static final long DATA = 0x600000;

    private static MemorySegment load(CpuEngine e, long at, int prot, int... bytes) {
        MemorySegment page = PortableHostMemory.PAGES.allocate(4096);
        for (int i = 0; i < bytes.length; i++) {
            page.set(ValueLayout.JAVA_BYTE, i, (byte) bytes[i]);
        }
        e.map(at, 4096, prot, page);
        return page;
    }

    @Test
    void syscallHookSeesArgumentsAndSetsResultLikeTheKernel() {
        try (UnicornEngine e = new UnicornEngine()) {
            // mov eax, 39; mov edi, 5; syscall; mov rbx, rax; hlt
            load(e, CODE, 5, 0xb8, 39, 0, 0, 0, 0xbf, 5, 0, 0, 0, 0x0f, 0x05, 0x48, 0x89, 0xc3, 0xf4);
            long[] seen = new long[9];
            e.onSyscall(engine -> {
                engine.readSyscallRegisters(seen);
                engine.writeSyscallResult(1234, seen[7] + 2, seen[8]);
            });
            RunResult r = e.run(CODE);
            assertEquals(RunResult.Kind.HALTED, r.kind());
            assertEquals(39, seen[0]);
            assertEquals(5, seen[1]);
            assertEquals(CODE + 10, seen[7], "RIP points at the syscall instruction");
            assertEquals(1234, e.reg(X86Reg.RBX));
            assertEquals(CODE + 12, e.reg(X86Reg.RCX));
        }
    }

    /**
     * Stops from another thread land between blocks with RIP exact: a loop of three blocks, each
     * counting in its own place, is stopped and resumed 2,000 times, and at every stop the counts
     * agree with where RIP says the loop is. (uc_emu_stop alone reported an earlier block's RIP
     * about once in 40 stops.)
     */
    @Test
    void stopFromAnotherThreadResumesExactly() throws Exception {
        try (UnicornEngine e = new UnicornEngine()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(e.stopsExactly(), "no exact stops on this host");
            MemorySegment data = load(e, DATA, 3);
            // top: inc rax; jmp a  /  a: inc qword [rbx]; jmp b  /  b: inc rcx; jmp top
            load(e, CODE, 5, 0x48, 0xff, 0xc0, 0xeb, 0x00, 0x48, 0xff, 0x03, 0xeb, 0x00, 0x48, 0xff, 0xc1, 0xeb, 0xf1);
            e.reg(X86Reg.RBX, DATA);
            Thread stopper = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000);
                    e.stop();
                }
            });
            stopper.start();
            long rip = CODE;
            try {
                for (int i = 0; i < 2000; i++) {
                    assertEquals(RunResult.Kind.STOPPED, e.run(rip).kind());
                    rip = e.reg(X86Reg.RIP);
                    long top = e.reg(X86Reg.RAX);
                    long middle = data.get(ValueLayout.JAVA_LONG, 0);
                    long bottom = e.reg(X86Reg.RCX);
                    long[] expected = rip == CODE ? new long[] {top, top}
                            : rip == CODE + 5 ? new long[] {top - 1, top - 1} : new long[] {top, top - 1};
                    assertEquals(expected[0], middle, "stop " + i + " at 0x" + Long.toHexString(rip));
                    assertEquals(expected[1], bottom, "stop " + i + " at 0x" + Long.toHexString(rip));
                }
            } finally {
                stopper.interrupt();
                stopper.join();
            }
        }
    }

    @Test
    void stopInsideTheHookEndsTheRun() {
        try (UnicornEngine e = new UnicornEngine()) {
            // syscall; jmp $-2 (would loop forever)
            load(e, CODE, 5, 0x0f, 0x05, 0xeb, 0xfe);
            e.onSyscall(CpuEngine::stop);
            assertEquals(RunResult.Kind.STOPPED, e.run(CODE).kind());
        }
    }

    @Test
    void unmappedReadIsAMemoryFaultWithItsAddress() {
        try (UnicornEngine e = new UnicornEngine()) {
            // mov rax, [0x10000000]
            load(e, CODE, 5, 0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x10);
            RunResult r = e.run(CODE);
            assertEquals(RunResult.Kind.MEMORY_FAULT, r.kind());
            assertEquals(0x10000000L, r.address());
        }
    }

    @Test
    void writeToReadOnlyPageFaults() {
        try (UnicornEngine e = new UnicornEngine()) {
            load(e, DATA, 1);
            // mov [0x600000], eax
            load(e, CODE, 5, 0x89, 0x04, 0x25, 0x00, 0x00, 0x60, 0x00);
            assertEquals(RunResult.Kind.MEMORY_FAULT, e.run(CODE).kind());
        }
    }

    @Test
    void fpuStartsAsLinuxStartsAProcess() {
        try (UnicornEngine e = new UnicornEngine()) {
            MemorySegment data = load(e, DATA, 3);
            // fnstcw [0x600000]; stmxcsr [0x600004]; hlt
            load(e, CODE, 5, 0xd9, 0x3c, 0x25, 0x00, 0x00, 0x60, 0x00, 0x0f, 0xae, 0x1c, 0x25, 0x04, 0x00, 0x60, 0x00,
                    0xf4);
            assertEquals(RunResult.Kind.HALTED, e.run(CODE).kind());
            assertEquals(0x037f, data.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(0x1f80, data.get(ValueLayout.JAVA_INT, 4));
        }
    }

    @Test
    void undefinedInstructionIsReported() {
        try (UnicornEngine e = new UnicornEngine()) {
            load(e, CODE, 5, 0x0f, 0x0b); // ud2
            assertEquals(RunResult.Kind.INVALID_INSTRUCTION, e.run(CODE).kind());
        }
    }

    @Test
    void int3IsAnInterrupt() {
        try (UnicornEngine e = new UnicornEngine()) {
            load(e, CODE, 5, 0xcc);
            RunResult r = e.run(CODE);
            assertEquals(RunResult.Kind.INTERRUPT, r.kind());
            assertEquals(3, r.interrupt());
        }
    }

    @Test
    void cpuidAdvertisesOnlyWhatTheModelDecodes() {
        try (UnicornEngine e = new UnicornEngine()) {
            // mov eax, 1; cpuid; hlt
            load(e, CODE, 5, 0xb8, 1, 0, 0, 0, 0x0f, 0xa2, 0xf4);
            assertEquals(RunResult.Kind.HALTED, e.run(CODE).kind());
            long ecx = e.reg(X86Reg.RCX);
            long edx = e.reg(X86Reg.RDX);
            assertEquals(dev.jlx.core.loader.InitialStack.HWCAP, edx, "AT_HWCAP is CPUID leaf 1 EDX");
            for (int bit : new int[] {0, 9, 19, 20, 23}) {
                assertEquals(1, (ecx >> bit) & 1, "SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT advertised: bit " + bit);
            }
            for (int bit : new int[] {26, 28, 30}) {
                assertEquals(0, (ecx >> bit) & 1, "XSAVE, AVX, RDRAND must not be advertised: bit " + bit);
            }
        }
        try (UnicornEngine e = new UnicornEngine()) {
            // One instruction of each advertised class, then hlt: the decoder must accept them all.
            load(e, CODE, 5,
                    0xf2, 0x0f, 0x7c, 0xc1, // haddps xmm0, xmm1 (SSE3)
                    0x66, 0x0f, 0x38, 0x00, 0xc1, // pshufb xmm0, xmm1 (SSSE3)
                    0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x01, // palignr xmm0, xmm1, 1 (SSSE3)
                    0x66, 0x0f, 0x38, 0x39, 0xc1, // pminsd xmm0, xmm1 (SSE4.1)
                    0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x00, // pcmpistri xmm0, xmm1, 0 (SSE4.2)
                    0xf2, 0x0f, 0x38, 0xf1, 0xc3, // crc32 eax, ebx (SSE4.2)
                    0xf3, 0x48, 0x0f, 0xb8, 0xc3, // popcnt rax, rbx
                    0xf4);
            assertEquals(RunResult.Kind.HALTED, e.run(CODE).kind());
        }
    }

    @Test
    void aReleasedEngineComesBackInItsStartStateWithoutOldCodeOrMemory() {
        UnicornEngine first = UnicornEngine.acquire();
        // mov rbx, 0x1111; hlt
        MemorySegment page = load(first, CODE, 5, 0x48, 0xc7, 0xc3, 0x11, 0x11, 0x00, 0x00, 0xf4);
        assertEquals(RunResult.Kind.HALTED, first.run(CODE).kind());
        assertEquals(0x1111, first.reg(X86Reg.RBX));
        first.reg(X86Reg.FS_BASE, 0x1234);
        first.unmap(CODE, 4096);
        first.release();
        UnicornEngine again = UnicornEngine.acquire();
        try {
            assertEquals(first, again, "the pool hands back the released engine");
            assertEquals(0, again.reg(X86Reg.RBX));
            assertEquals(0, again.reg(X86Reg.FS_BASE));
            assertEquals(0x037f, again.reg(X86Reg.FPCW));
            assertEquals(RunResult.Kind.MEMORY_FAULT, again.run(CODE).kind(), "the old mapping is gone");
            // New code at the same address must run, not the translation of the old code.
            load(again, CODE, 5, 0x48, 0xc7, 0xc3, 0x22, 0x22, 0x00, 0x00, 0xf4);
            assertEquals(RunResult.Kind.HALTED, again.run(CODE).kind());
            assertEquals(0x2222, again.reg(X86Reg.RBX));
        } finally {
            again.unmap(CODE, 4096);
            again.close();
        }
        PortableHostMemory.PAGES.free(page);
    }

    @Test
    void aNewEngineSurvivesFillingItsCodeBuffer() {
        try (UnicornEngine e = new UnicornEngine()) {
            // 300,000 blocks of one `jmp short +0` each, then hlt: far more translated code than the
            // buffer holds. Unicorn 2.1.1 crashed the JVM when a new engine's buffer first filled.
            int blocks = 300_000;
            long size = (2L * blocks + 1 + 4095) & -4096L;
            MemorySegment code = PortableHostMemory.PAGES.allocate(size);
            for (int i = 0; i < blocks; i++) {
                code.set(ValueLayout.JAVA_BYTE, 2L * i, (byte) 0xeb);
            }
            code.set(ValueLayout.JAVA_BYTE, 2L * blocks, (byte) 0xf4);
            e.map(CODE, size, 5, code);
            RunResult r = e.run(CODE);
            assertEquals(RunResult.Kind.HALTED, r.kind());
            assertEquals(CODE + 2L * blocks + 1, e.reg(X86Reg.RIP));
        }
    }
}
