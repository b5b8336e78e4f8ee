package dev.jlx.core.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Page-aligned, zero-filled host memory that backs guest pages. Pages are committed by the host on
 * first touch, so a large guest mapping costs nothing until used (an Arena allocation would zero,
 * and so touch, every page). It is a private mapping of {@code /dev/zero}, whose open and mmap
 * constants are the same on Linux, macOS and the BSDs.
 */
public final class HostPages {
    private static final int O_RDWR = 2;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    /** int open(const char *path, int flags, ...); */
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int munmap(void *addr, size_t length); */
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("munmap").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /** int msync(void *addr, size_t length, int flags); */
    private static final MethodHandle MSYNC = LINKER.downcallHandle(LINKER.defaultLookup().find("msync").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** MS_SYNC: 4 on Linux, 0x10 on macOS and the BSDs. */
    private static final int MS_SYNC = System.getProperty("os.name").startsWith("Linux") ? 4 : 0x10;

    private static final int ZERO_FD;

    static {
        try (Arena a = Arena.ofConfined()) {
            ZERO_FD = (int) OPEN.invokeExact(a.allocateFrom("/dev/zero"), O_RDWR);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
        if (ZERO_FD < 0) {
            throw new ExceptionInInitializerError("cannot open /dev/zero");
        }
    }

    private HostPages() {}

    /** Allocates {@code size} bytes (a multiple of 4096) of zeroed memory, or null when the host refuses. */
    public static MemorySegment allocate(long size) {
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE, MAP_PRIVATE, ZERO_FD, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return p.address() == -1L ? null : p.reinterpret(size);
    }

    /** int mincore(void *addr, size_t length, unsigned char *vec); */
    private static final MethodHandle MINCORE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mincore").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));

    /** How many of the pages of [start, start + size) the host holds in memory (mincore). */
    public static long residentPages(long start, long size) {
        long[] resident = {0};
        forEachResident(start, size, page -> resident[0]++);
        return resident[0];
    }

    /**
     * Copies the pages of {@code from} that the host holds into {@code to} (a fresh allocation of
     * the same size): pages never touched are zero in both and stay uncommitted in the copy.
     */
    public static void copyResident(MemorySegment from, MemorySegment to) {
        forEachResident(from.address(), from.byteSize(), page -> MemorySegment.copy(from, page * 4096, to, page * 4096,
                4096));
    }

    /** mincore in chunks of 64 Ki pages, calling {@code action} with the index of each resident page. */
    private static void forEachResident(long start, long size, java.util.function.LongConsumer action) {
        long pages = size / 4096;
        long chunk = 1 << 16;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment vec = a.allocate(Math.min(pages, chunk));
            for (long done = 0; done < pages; done += chunk) {
                long n = Math.min(chunk, pages - done);
                int r = (int) MINCORE.invokeExact(MemorySegment.ofAddress(start + done * 4096), n * 4096, vec);
                for (long i = 0; i < n; i++) {
                    // A host that cannot tell (r != 0) gets every page copied.
                    if (r != 0 || (vec.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) & 1) != 0) {
                        action.accept(done + i);
                    }
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes a shared file mapping's pages back to the file and waits (msync MS_SYNC). */
    public static void sync(long start, long size) {
        try {
            int ignored = (int) MSYNC.invokeExact(MemorySegment.ofAddress(start), size, MS_SYNC);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final int MAP_FIXED = 0x10;

    /** Puts private zero pages in place of [start, start + size) of a mapping (page aligned). */
    public static void replaceWithZeros(long start, long size) {
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.ofAddress(start), size, PROT_READ_WRITE,
                    MAP_PRIVATE | MAP_FIXED, ZERO_FD, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (p.address() != start) {
            throw new IllegalStateException("cannot replace host pages at 0x" + Long.toHexString(start));
        }
    }

    /** Returns pages to the host; {@code start} and {@code size} page aligned within one allocation. */
    public static void free(long start, long size) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(start), size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
