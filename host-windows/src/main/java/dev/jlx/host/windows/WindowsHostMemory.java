package dev.jlx.host.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jlx.core.host.Allocations;
import dev.jlx.core.host.HostMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Guest pages as Windows virtual memory (kernel32 through FFM): each allocation is reserved and
 * committed at once, which charges the commit limit but takes physical pages only on first touch; a
 * piece the guest unmaps is decommitted, and the whole is released when no piece is left. Windows
 * places allocations at 64 KiB granules, which costs address space only (jlx never puts a guest
 * address at its host address). Fork copies (no page files yet: copy-on-write through
 * FILE_MAP_COPY views of pagefile-backed sections is the next step).
 */
final class WindowsHostMemory implements HostMemory {
    private static final long PAGE = 4096;
    private static final long GRANULE = 64 * 1024;
    private static final int MEM_COMMIT = 0x1000;
    private static final int MEM_RESERVE = 0x2000;
    private static final int MEM_DECOMMIT = 0x4000;
    private static final int MEM_RELEASE = 0x8000;
    private static final int PAGE_READWRITE = 0x04;
    /** GetCurrentProcess()'s pseudo handle. */
    private static final MemorySegment CURRENT_PROCESS = MemorySegment.ofAddress(-1L);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup KERNEL32 = SymbolLookup.libraryLookup("kernel32", Arena.global());
    /** LPVOID VirtualAlloc(LPVOID lpAddress, SIZE_T dwSize, DWORD flAllocationType, DWORD flProtect); */
    private static final MethodHandle VIRTUAL_ALLOC = bind("VirtualAlloc", FunctionDescriptor.of(ADDRESS, ADDRESS,
            JAVA_LONG, JAVA_INT, JAVA_INT));
    /** BOOL VirtualFree(LPVOID lpAddress, SIZE_T dwSize, DWORD dwFreeType); */
    private static final MethodHandle VIRTUAL_FREE = bind("VirtualFree", FunctionDescriptor.of(JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_INT));
    /** BOOL K32QueryWorkingSetEx(HANDLE hProcess, PVOID pv, DWORD cb); entries of {PVOID, ULONG_PTR}. */
    private static final MethodHandle QUERY_WORKING_SET_EX = bind("K32QueryWorkingSetEx", FunctionDescriptor.of(
            JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor type) {
        return LINKER.downcallHandle(KERNEL32.find(name).orElseThrow(), type);
    }

    /** The live allocations, each given back by its start address (MEM_RELEASE). */
    private final Allocations<Long> allocations = new Allocations<>();

    @Override
    public long pageSize() {
        return PAGE;
    }

    @Override
    public long granule() {
        return GRANULE;
    }

    @Override
    public MemorySegment allocate(long size) {
        MemorySegment p;
        try {
            p = (MemorySegment) VIRTUAL_ALLOC.invokeExact(MemorySegment.NULL, size, MEM_RESERVE | MEM_COMMIT,
                    PAGE_READWRITE);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (p.address() == 0) {
            return null;
        }
        allocations.add(p.address(), size, p.address());
        return p.reinterpret(size);
    }

    @Override
    public void free(MemorySegment part) {
        Long whole = allocations.free(part);
        int ok;
        try {
            ok = whole != null ? (int) VIRTUAL_FREE.invokeExact(MemorySegment.ofAddress(whole), 0L, MEM_RELEASE)
                    : (int) VIRTUAL_FREE.invokeExact(part, part.byteSize(), MEM_DECOMMIT);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (ok == 0) {
            throw new IllegalStateException("VirtualFree failed at 0x" + Long.toHexString(part.address()));
        }
    }

    @Override
    public void copy(MemorySegment from, MemorySegment to) {
        MemorySegment.copy(from, 0, to, 0, from.byteSize());
    }

    /** The pages the working set holds (QueryWorkingSetEx's Valid bit), asked in chunks of 64 Ki pages. */
    @Override
    public long residentBytes(MemorySegment m) {
        long[] resident = {0};
        if (!forEachPage(m, (page, valid) -> resident[0] += valid ? 1 : 0)) {
            return m.byteSize();
        }
        return resident[0] * PAGE;
    }

    @Override
    public void residentPages(MemorySegment m, byte[] out, int at) {
        if (!forEachPage(m, (page, valid) -> out[at + (int) page] = (byte) (valid ? 1 : 0))) {
            HostMemory.super.residentPages(m, out, at);
        }
    }

    private interface PageVisitor {
        void visit(long page, boolean valid);
    }

    /** Tells {@code visitor} of each page of {@code m} whether the working set holds it; false when the host cannot say. */
    private static boolean forEachPage(MemorySegment m, PageVisitor visitor) {
        long pages = m.byteSize() / PAGE;
        long chunk = 1 << 16;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = a.allocate(16 * Math.max(1, Math.min(pages, chunk)), 8);
            for (long done = 0; done < pages; done += chunk) {
                long n = Math.min(chunk, pages - done);
                for (long i = 0; i < n; i++) {
                    info.set(JAVA_LONG, 16 * i, m.address() + (done + i) * PAGE);
                }
                if ((int) QUERY_WORKING_SET_EX.invokeExact(CURRENT_PROCESS, info, (int) (16 * n)) == 0) {
                    return false;
                }
                for (long i = 0; i < n; i++) {
                    visitor.visit(done + i, (info.get(JAVA_LONG, 16 * i + 8) & 1) != 0);
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return true;
    }
}
