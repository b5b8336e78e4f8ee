package dev.jlx.core.mem;

import static dev.jlx.abi.Mman.MAP_ANONYMOUS;
import static dev.jlx.abi.Mman.MAP_FIXED;
import static dev.jlx.abi.Mman.MAP_FIXED_NOREPLACE;
import static dev.jlx.abi.Mman.MAP_PRIVATE;
import static dev.jlx.abi.Mman.MREMAP_MAYMOVE;
import static dev.jlx.abi.Mman.PROT_EXEC;
import static dev.jlx.abi.Mman.PROT_NONE;
import static dev.jlx.abi.Mman.PROT_READ;
import static dev.jlx.abi.Mman.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.RunResult;
import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.PortableHostMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linux placement and error semantics of the mmap family, with an engine attached, on the portable
 * host memory; a backend's tests run the same on its own ({@link #memory()}).
 */
public class AddressSpaceTest {
    private static final int RW = PROT_READ | PROT_WRITE;
    private static final int ANON = MAP_PRIVATE | MAP_ANONYMOUS;

    private AddressSpace space;
    private UnicornEngine engine;

    /** The host memory under test. */
    protected HostMemory memory() {
        return PortableHostMemory.PAGES;
    }

    @BeforeEach
    void setUp() {
        space = new AddressSpace(memory());
        engine = new UnicornEngine();
        space.attach(engine);
    }

    @AfterEach
    void tearDown() {
        space.destroy();
        engine.close();
    }

    private static Errno errno(ThrowingCall c) {
        return assertThrows(ErrnoException.class, c::run).errno();
    }

    interface ThrowingCall {
        void run() throws ErrnoException;
    }

    @Test
    void mmapPlacesTopDownBelowTheBase() throws ErrnoException {
        long a = space.map(0, 8192, RW, ANON, null);
        long b = space.map(0, 4096, RW, ANON, null);
        assertEquals(0x7ffff7fff000L - 8192, a);
        assertEquals(a - 4096, b);
    }

    @Test
    void freeHintIsHonouredAndOccupiedHintIsNot() throws ErrnoException {
        long a = space.map(0x200000000L, 4096, RW, ANON, null);
        assertEquals(0x200000000L, a);
        assertNotEquals(a, space.map(a, 4096, RW, ANON, null));
    }

    @Test
    void fixedNoReplaceOnAMappingIsEexist() throws ErrnoException {
        long a = space.map(0, 4096, RW, ANON, null);
        assertEquals(Errno.EEXIST, errno(() -> space.map(a, 4096, RW, ANON | MAP_FIXED_NOREPLACE, null)));
    }

    @Test
    void mmapArgumentErrors() {
        assertEquals(Errno.EINVAL, errno(() -> space.map(0, 0, RW, ANON, null)));
        assertEquals(Errno.EINVAL, errno(() -> space.map(0x1001, 4096, RW, ANON | MAP_FIXED, null)));
        assertEquals(Errno.ENOMEM, errno(() -> space.map(0, 1L << 48, RW, ANON, null)));
    }

    @Test
    void memoryReadsBackAndFixedReplacementZeroes() throws ErrnoException {
        long a = space.map(0, 3 * 4096, RW, ANON, null);
        GuestMemory mem = space.memory();
        mem.writeLong(a + 4096, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, mem.readLong(a + 4096));
        space.map(a + 4096, 4096, RW, ANON | MAP_FIXED, null);
        assertEquals(0, mem.readLong(a + 4096));
    }

    @Test
    void munmapSplitsAndUnmappedAccessIsEfault() throws ErrnoException {
        long a = space.map(0, 3 * 4096, RW, ANON, null);
        space.unmap(a + 4096, 4096);
        GuestMemory mem = space.memory();
        mem.writeLong(a, 1);
        mem.writeLong(a + 8192, 2);
        assertEquals(Errno.EFAULT, errno(() -> mem.readLong(a + 4096)));
        assertEquals(Errno.EINVAL, errno(() -> space.unmap(a + 1, 4096)));
        space.unmap(a, 3 * 4096);
        assertEquals(Errno.EFAULT, errno(() -> mem.readLong(a)));
    }

    @Test
    void mprotectNeedsTheWholeRangeMappedAndWriteProtectionIsEfault() throws ErrnoException {
        long a = space.map(0, 2 * 4096, RW, ANON, null);
        assertEquals(Errno.ENOMEM, errno(() -> space.protect(a, 4 * 4096, PROT_READ)));
        space.protect(a, 4096, PROT_READ);
        GuestMemory mem = space.memory();
        assertEquals(Errno.EFAULT, errno(() -> mem.writeLong(a, 1)));
        mem.writeLong(a + 4096, 7);
        assertEquals(0, mem.readLong(a));
    }

    @Test
    void brkGrowsShrinksAndRefusesBelowItsStart() {
        space.initBrk(0x600123);
        assertEquals(0x601000, space.brk(0));
        assertEquals(0x610000, space.brk(0x610000));
        assertEquals(0x605000, space.brk(0x605000));
        assertEquals(0x605000, space.brk(0x500000));
    }

    @Test
    void mremapGrowsByMovingAndKeepsTheContents() throws ErrnoException {
        long a = space.map(0, 4096, RW, ANON, null);
        space.map(a + 4096, 4096, RW, ANON | MAP_FIXED, null);
        space.memory().write(a, new byte[] {1, 2, 3});
        assertEquals(Errno.ENOMEM, errno(() -> space.remap(a, 4096, 3 * 4096, 0, 0)));
        long b = space.remap(a, 4096, 3 * 4096, MREMAP_MAYMOVE, 0);
        assertNotEquals(a, b);
        assertArrayEquals(new byte[] {1, 2, 3}, space.memory().read(b, 3));
        assertEquals(Errno.EFAULT, errno(() -> space.memory().readLong(a)));
    }

    @Test
    void cStringsStopAtNulAndFaultAtTheEnd() throws ErrnoException {
        long a = space.map(0, 4096, RW, ANON, null);
        GuestMemory mem = space.memory();
        mem.write(a, "hello\0".getBytes());
        assertEquals("hello", mem.readString(a, 4095));
        byte[] full = new byte[4096];
        java.util.Arrays.fill(full, (byte) 'x');
        mem.write(a, full);
        assertEquals(Errno.EFAULT, errno(() -> mem.readCString(a, 8192)));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> mem.readCString(a, 100)));
    }

    @Test
    void forkedSpacesSeeTheirOwnWritesOnly() throws ErrnoException {
        long a = space.map(0, 4 * 4096, RW, ANON, null);
        GuestMemory mem = space.memory();
        mem.writeLong(a, 1);
        mem.writeLong(a + 3 * 4096, 2);
        AddressSpace child = space.fork();
        try {
            mem.writeLong(a, 10);
            child.memory().writeLong(a + 3 * 4096, 20);
            assertEquals(10, mem.readLong(a));
            assertEquals(2, mem.readLong(a + 3 * 4096));
            assertEquals(1, child.memory().readLong(a));
            assertEquals(20, child.memory().readLong(a + 3 * 4096));
            // A second fork while the first child lives: the parent's view is taken as it is now.
            AddressSpace second = space.fork();
            mem.writeLong(a, 11);
            assertEquals(10, second.memory().readLong(a));
            assertEquals(1, child.memory().readLong(a));
            second.destroy();
        } finally {
            child.destroy();
        }
        // The children are gone: the next fork takes the parent's file back, with what it wrote since.
        mem.writeLong(a + 4096, 3);
        AddressSpace third = space.fork();
        assertEquals(11, third.memory().readLong(a));
        assertEquals(3, third.memory().readLong(a + 4096));
        assertEquals(2, third.memory().readLong(a + 3 * 4096));
        third.destroy();
    }

    @Test
    void memoryMadeAfterForkAndAfterUnmappingReadsAsZero() throws ErrnoException {
        long a = space.map(0, 2 * 4096, RW, ANON, null);
        GuestMemory mem = space.memory();
        mem.writeLong(a + 4096, 5);
        space.fork().destroy();
        space.unmap(a + 4096, 4096);
        long b = space.map(a + 4096, 4096, RW, ANON | MAP_FIXED, null);
        assertEquals(0, mem.readLong(b));
        mem.writeLong(b, 6);
        AddressSpace child = space.fork();
        child.unmap(b, 4096);
        child.map(b, 4096, RW, ANON | MAP_FIXED, null);
        assertEquals(0, child.memory().readLong(b));
        child.destroy();
        // Taken back after the child: pages the file held for others are gone, madvise zeroes.
        space.unmap(b, 4096);
        space.fork().destroy();
        assertEquals(0, space.memory().readLong(space.map(b, 4096, RW, ANON | MAP_FIXED, null)));
        mem.writeLong(a, 7);
        space.discard(a, 4096);
        assertEquals(0, mem.readLong(a));
    }

    @Test
    void protNoneIsNoRegionOfTheEngineAndKeepsItsContents() throws ErrnoException {
        long code = space.map(0, 4096, RW | PROT_EXEC, ANON, null);
        // mov rax, [rbx]; hlt
        space.memory().write(code, new byte[] {0x48, (byte) 0x8b, 0x03, (byte) 0xf4});
        long r = space.map(0, 16 * 4096, PROT_NONE, ANON, null);
        long data = r + 4 * 4096;
        GuestMemory mem = space.memory();
        assertEquals(Errno.EFAULT, errno(() -> mem.readLong(data)));
        // The engine sees no mapping there; the space still holds one (the fault path's SEGV_ACCERR).
        RunResult fault = load(data);
        assertEquals(RunResult.Kind.MEMORY_FAULT, fault.kind());
        assertEquals(data, fault.address());
        assertEquals(0, fault.interrupt());
        assertEquals(true, space.isMapped(data));

        space.protect(data, 2 * 4096, RW);
        mem.writeLong(data, 42);
        assertEquals(RunResult.Kind.HALTED, load(data).kind());
        assertEquals(42, engine.reg(X86Reg.RAX));
        space.protect(r, 16 * 4096, PROT_NONE);
        assertEquals(RunResult.Kind.MEMORY_FAULT, load(data).kind());
        assertEquals(Errno.EFAULT, errno(() -> mem.readLong(data)));
        space.protect(data, 4096, PROT_READ);
        assertEquals(RunResult.Kind.HALTED, load(data).kind());
        assertEquals(42, engine.reg(X86Reg.RAX));

        // fork keeps a NONE range NONE, with its bytes; a new engine of the child maps none of it.
        space.protect(data, 4096, PROT_NONE);
        AddressSpace child = space.fork();
        UnicornEngine other = new UnicornEngine();
        try {
            child.attach(other);
            assertEquals(Errno.EFAULT, errno(() -> child.memory().readLong(data)));
            child.protect(data, 4096, RW);
            assertEquals(42, child.memory().readLong(data));
            child.detach(other);
        } finally {
            child.destroy();
            other.close();
        }
        space.unmap(r, 16 * 4096);
        assertEquals(false, space.isMapped(data));
    }

    @Test
    void unmappedSmallRangeFaultsAsUnmappedAndComesBackZeroed() throws ErrnoException {
        long code = space.map(0, 4096, RW | PROT_EXEC, ANON, null);
        // mov rax, [rbx]; hlt
        space.memory().write(code, new byte[] {0x48, (byte) 0x8b, 0x03, (byte) 0xf4});
        GuestMemory mem = space.memory();
        long data = space.map(0, 4096, RW, ANON, null);
        mem.writeLong(data, 42);
        assertEquals(RunResult.Kind.HALTED, load(data).kind());
        assertEquals(42, engine.reg(X86Reg.RAX));
        space.unmap(data, 4096);
        // Kept in the engine, hidden: a protection fault there, where the space holds no mapping (SEGV_MAPERR).
        RunResult fault = load(data);
        assertEquals(RunResult.Kind.MEMORY_FAULT, fault.kind());
        assertEquals(data, fault.address());
        assertEquals(false, space.isMapped(data));
        assertEquals(Errno.EFAULT, errno(() -> mem.readLong(data)));
        // The same range again reads zero, in the engine too.
        assertEquals(data, space.map(0, 4096, PROT_READ, ANON, null));
        assertEquals(0, mem.readLong(data));
        assertEquals(RunResult.Kind.HALTED, load(data).kind());
        assertEquals(0, engine.reg(X86Reg.RAX));
        space.protect(data, 4096, RW);
        mem.writeLong(data, 43);

        // Over a hidden range and beyond it, and more hidden ranges than are kept: all zero.
        space.unmap(data, 4096);
        long wider = space.map(data - 4096, 2 * 4096, RW, ANON | MAP_FIXED, null);
        assertEquals(0, mem.readLong(wider + 4096));
        long[] pages = new long[3 * AddressSpace.RETIRED_MAX];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = space.map(0, 4096, RW, ANON, null);
            mem.writeLong(pages[i], i + 1);
        }
        for (long page : pages) {
            space.unmap(page, 4096);
        }
        for (long page : pages) {
            assertEquals(page, space.map(page, 4096, RW, ANON | MAP_FIXED, null));
            assertEquals(0, mem.readLong(page));
            assertEquals(RunResult.Kind.HALTED, load(page).kind());
            assertEquals(0, engine.reg(X86Reg.RAX));
        }

        // fork, and a new engine of the same space, see none of a hidden range.
        space.unmap(wider, 2 * 4096);
        UnicornEngine thread = new UnicornEngine();
        try {
            space.attach(thread);
            thread.reg(X86Reg.RBX, wider);
            assertEquals(RunResult.Kind.MEMORY_FAULT, thread.run(code).kind());
            space.detach(thread);
        } finally {
            thread.close();
        }
        AddressSpace child = space.fork();
        UnicornEngine other = new UnicornEngine();
        try {
            child.attach(other);
            assertEquals(false, child.isMapped(wider));
            assertEquals(0, child.memory().readLong(child.map(wider, 4096, RW, ANON | MAP_FIXED, null)));
            child.detach(other);
        } finally {
            child.destroy();
            other.close();
        }
        assertEquals(RunResult.Kind.MEMORY_FAULT, load(wider).kind());
    }

    /** Runs the load at the start of the code mapping with RBX = {@code address}. */
    private RunResult load(long address) {
        long code = space.vmas().stream().filter(v -> (v.prot() & PROT_EXEC) != 0).findFirst().orElseThrow().start();
        engine.reg(X86Reg.RBX, address);
        return engine.run(code);
    }

    @Test
    void mappingsPastTheLimitsAreEnomem() throws ErrnoException {
        // Without an engine: each engine region costs time linear in their number (docs/engine.md).
        AddressSpace alone = new AddressSpace(memory());
        try {
            long three = alone.map(0, 3 * 4096, RW, ANON, null);
            // Mappings two pages apart, fixed: the top-down search would walk them all each time.
            long[] at = {0x100000000L};
            ThrowingCall one = () -> {
                alone.map(at[0], 4096, RW, ANON | MAP_FIXED, null);
                at[0] += 2 * 4096;
            };
            for (int i = 1; i < AddressSpace.MAX_REGIONS; i++) {
                one.run();
            }
            // The engines' regions are full; PROT_NONE mappings are none of theirs.
            assertEquals(Errno.ENOMEM, errno(() -> alone.map(0, 4096, RW, ANON, null)));
            long none = alone.map(0, 4 * 4096, PROT_NONE, ANON, null);
            assertEquals(Errno.ENOMEM, errno(() -> alone.protect(none + 4096, 4096, PROT_READ)));
            assertEquals(Errno.ENOMEM, errno(() -> alone.protect(three, 4096, PROT_READ)));
            assertEquals(Errno.ENOMEM, errno(() -> alone.unmap(three + 4096, 4096)));
            // Cutting a read-write mapping's end off to PROT_NONE adds a VMA, not a region.
            alone.protect(three + 2 * 4096, 4096, PROT_NONE);
            // A read-write mapping made PROT_NONE gives its region back.
            alone.protect(at[0] - 2 * 4096, 4096, PROT_NONE);
            alone.protect(none, 4096, PROT_READ);
            assertEquals(Errno.ENOMEM, errno(() -> alone.protect(none + 2 * 4096, 4096, PROT_READ)));

            // VMAs up to Linux's vm.max_map_count, or fewer when the host would not leave the JVM room.
            long big = alone.map(0, 3 * 4096, PROT_NONE, ANON, null);
            int limit = Math.min(AddressSpace.MAX_MAP_COUNT,
                    alone.allVmasMax() - (AddressSpace.allVmas() - alone.vmas().size()));
            for (int i = alone.vmas().size(); i < limit; i++) {
                alone.map(at[0], 4096, PROT_NONE, ANON | MAP_FIXED, null);
                at[0] += 2 * 4096;
            }
            assertEquals(limit, alone.vmas().size());
            assertEquals(Errno.ENOMEM, errno(() -> alone.map(0, 4096, PROT_NONE, ANON, null)));
            // Splits need room too; replacing or removing whole VMAs does not.
            assertEquals(Errno.ENOMEM, errno(() -> alone.unmap(big + 4096, 4096)));
            assertEquals(Errno.ENOMEM, errno(() -> alone.protect(big + 4096, 4096, PROT_READ)));
            assertEquals(Errno.ENOMEM, errno(() -> alone.map(big + 4096, 4096, PROT_NONE, ANON | MAP_FIXED, null)));
            assertEquals(big, alone.map(big, 3 * 4096, PROT_NONE, ANON | MAP_FIXED, null));
            alone.unmap(big, 3 * 4096);
            assertNotEquals(0, alone.map(0, 4096, PROT_NONE, ANON, null));
        } finally {
            alone.destroy();
        }
    }

    @Test
    void aPolicySplitsItsMappingAndMovesWithIt() throws ErrnoException {
        MemoryPolicy bind = new MemoryPolicy(2, 0, 1, -1);
        long a = space.map(0, 4 * 4096, RW, ANON, null);
        assertEquals(true, space.setPolicy(a + 4096, a + 3 * 4096, bind));
        assertEquals(null, space.vmaAt(a).policy());
        assertEquals(bind, space.vmaAt(a + 4096).policy());
        assertEquals(bind, space.vmaAt(a + 2 * 4096).policy());
        assertEquals(null, space.vmaAt(a + 3 * 4096).policy());
        space.protect(a + 2 * 4096, 4096, PROT_READ);
        assertEquals(bind, space.vmaAt(a + 2 * 4096).policy());
        long moved = space.remap(a + 4096, 4096, 2 * 4096, MREMAP_MAYMOVE, 0);
        assertEquals(bind, space.vmaAt(moved + 4096).policy());
        AddressSpace child = space.fork();
        try {
            assertEquals(bind, child.vmaAt(a + 2 * 4096).policy());
        } finally {
            child.destroy();
        }
    }
}
