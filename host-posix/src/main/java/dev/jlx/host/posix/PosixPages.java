package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.function.LongConsumer;

/**
 * The POSIX memory calls behind guest pages (mmap, munmap, msync, mincore), bound with FFM: guest
 * memory is touched on every mmap and fork, where jnr's call overhead would show. Linux, macOS and
 * the BSDs share these calls and their numbers except MAP_ANON and MS_SYNC.
 */
final class PosixPages {
    private PosixPages() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final boolean LINUX = System.getProperty("os.name").startsWith("Linux");
    private static final boolean DARWIN = System.getProperty("os.name").startsWith("Mac");
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANON = LINUX ? 0x20 : 0x1000;
    private static final int MS_SYNC = LINUX ? 4 : 0x10;
    /** The guest's page, the unit core counts in. */
    static final long GUEST_PAGE = 4096;

    /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
    private static final MethodHandle MMAP = bind("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int munmap(void *addr, size_t length); */
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** int msync(void *addr, size_t length, int flags); */
    private static final MethodHandle MSYNC = bind("msync", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
            JAVA_INT));
    /** int mincore(void *addr, size_t length, unsigned char *vec); */
    private static final MethodHandle MINCORE = bind("mincore", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
            ADDRESS));
    /** int getpagesize(void); */
    private static final MethodHandle GETPAGESIZE = bind("getpagesize", FunctionDescriptor.of(JAVA_INT));
    /** The host's page: 4 KiB, or 16 KiB on Apple silicon. */
    static final long PAGE_SIZE = pageSize();

    static MethodHandle bind(String name, FunctionDescriptor type, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), type, options);
    }

    private static long pageSize() {
        try {
            return (int) GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    static long hostPageDown(long v) {
        return v & -PAGE_SIZE;
    }

    static long hostPageUp(long v) {
        return (v + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    /** mmap(2) read-write (or read-only when not {@code writable}); the address, or -1 when refused. */
    static long mmap(long at, long size, boolean writable, int flags, int fd, long offset) {
        try {
            return ((MemorySegment) MMAP.invokeExact(MemorySegment.ofAddress(at), size,
                    writable ? PROT_READ | PROT_WRITE : PROT_READ, flags, fd, offset)).address();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Zeroed private memory, committed on first touch; null when refused. */
    static MemorySegment anonymous(long size) {
        long p = mmap(0, size, true, MAP_PRIVATE | MAP_ANON, -1, 0);
        return p == -1 ? null : MemorySegment.ofAddress(p).reinterpret(size);
    }

    /** Puts private zero pages in place of [start, start + size) (host-page aligned). */
    static void replaceWithZeros(long start, long size) {
        if (mmap(start, size, true, MAP_PRIVATE | MAP_FIXED | MAP_ANON, -1, 0) != start) {
            throw new IllegalStateException("cannot replace host pages at 0x" + Long.toHexString(start));
        }
    }

    /** munmap(2) of the whole host pages inside [start, start + size). */
    static void unmap(long start, long size) {
        long from = hostPageUp(start);
        long to = hostPageDown(start + size);
        if (from >= to) {
            return;
        }
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(from), to - from);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes a shared file mapping's pages in [start, start + size) back to the file and waits. */
    static void sync(long start, long size) {
        long from = hostPageDown(start);
        try {
            int ignored = (int) MSYNC.invokeExact(MemorySegment.ofAddress(from), hostPageUp(start + size) - from,
                    MS_SYNC);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Calls {@code action} with the index of each guest page of [start, start + size) (host-page
     * aligned) that the host holds in memory (mincore, in chunks of 64 Ki host pages). A host that
     * cannot tell reports every page.
     */
    static void forEachResident(long start, long size, LongConsumer action) {
        long perHostPage = PAGE_SIZE / GUEST_PAGE;
        long guestPages = size / GUEST_PAGE;
        long hostPages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
        long chunk = 1 << 16;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment vec = a.allocate(Math.min(hostPages, chunk));
            for (long done = 0; done < hostPages; done += chunk) {
                long n = Math.min(chunk, hostPages - done);
                int r = (int) MINCORE.invokeExact(MemorySegment.ofAddress(start + done * PAGE_SIZE),
                        Math.min(n * PAGE_SIZE, size - done * PAGE_SIZE), vec);
                for (long i = 0; i < n; i++) {
                    if (r != 0 || (vec.get(JAVA_BYTE, i) & 1) != 0) {
                        long first = (done + i) * perHostPage;
                        for (long g = first; g < Math.min(first + perHostPage, guestPages); g++) {
                            action.accept(g);
                        }
                    }
                }
            }
        } catch (Throwable t) {
            throw t instanceof IllegalStateException e ? e : new IllegalStateException(t);
        }
    }

    /**
     * Copies the whole host pages of [from, from + size) to {@code to} copy-on-write, the way fork
     * shares a process's pages: Darwin's mach_vm_copy virtually copies page-aligned ranges (the
     * pages are copied when either side writes them). Both addresses must be host-page aligned.
     * False where the host has no such call, or it refused: the caller then copies the bytes.
     */
    static boolean copyOnWrite(long from, long size, long to) {
        if (!DARWIN) {
            return false;
        }
        try {
            return (int) MachVm.COPY.invokeExact(MachVm.TASK, from, size, to) == MachVm.KERN_SUCCESS;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Darwin's Mach VM calls ({@code <mach/mach_vm.h>}), bound on first use, which happens only on macOS. */
    private static final class MachVm {
        static final int KERN_SUCCESS = 0;
        /**
         * kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
         * mach_vm_size_t size, mach_vm_address_t dest_address); vm_map_t is a 32-bit mach_port_t.
         */
        static final MethodHandle COPY = bind("mach_vm_copy", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_LONG, JAVA_LONG));
        /** mach_task_self() is a macro that reads the global {@code mach_port_t mach_task_self_} (mach/mach_init.h). */
        static final int TASK = LINKER.defaultLookup().find("mach_task_self_").orElseThrow().reinterpret(4)
                .get(JAVA_INT, 0);
    }
}
