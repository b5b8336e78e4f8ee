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

    /** int mprotect(void *addr, size_t len, int prot); */
    private static final MethodHandle MPROTECT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mprotect").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
                    JAVA_INT));
    private static final int PROT_READ_EXEC = 5;

    /** A page holding {@code code}, read-only and executable; null when the host refuses. */
    public static MemorySegment executable(byte[] code) {
        MemorySegment page = allocate(4096);
        if (page == null) {
            return null;
        }
        MemorySegment.copy(code, 0, page, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, code.length);
        int rc;
        try {
            rc = (int) MPROTECT.invokeExact(page, 4096L, PROT_READ_EXEC);
        } catch (Throwable t) {
            throw new IllegalStateException("mprotect", t);
        }
        return rc == 0 ? page : null;
    }

    /** Allocates {@code size} bytes (a multiple of 4096) of zeroed memory, or null when the host refuses. */
    public static MemorySegment allocate(long size) {
        MemorySegment p = mmap(MemorySegment.NULL, size, MAP_PRIVATE, ZERO_FD, 0);
        return p.address() == -1L ? null : p.reinterpret(size);
    }

    /** int mincore(void *addr, size_t length, unsigned char *vec); */
    private static final MethodHandle MINCORE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("mincore").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));

    /**
     * How many mappings the host lets one process (the JVM) hold: Linux's vm.max_map_count, or its
     * default where the host does not say.
     */
    public static int mapCountLimit() {
        // One read: a sysctl file answers a read past its start with nothing (Files.readString reads 1 byte first).
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/sys/vm/max_map_count"))) {
            byte[] b = new byte[32];
            int n = in.read(b);
            return Integer.parseInt(new String(b, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.US_ASCII).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            return 65530;
        }
    }

    /** How many of the pages of [start, start + size) the host holds in memory (mincore). */
    public static long residentPages(long start, long size) {
        long[] resident = {0};
        forEachResident(start, size, page -> resident[0]++);
        return resident[0];
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
        MemorySegment p = mmap(MemorySegment.ofAddress(start), size, MAP_PRIVATE | MAP_FIXED, ZERO_FD, 0);
        if (p.address() != start) {
            throw new IllegalStateException("cannot replace host pages at 0x" + Long.toHexString(start));
        }
    }

    private static final int MAP_SHARED = 1;
    private static final MethodHandle MEMFD_CREATE = LINKER.defaultLookup().find("memfd_create")
            .map(f -> LINKER.downcallHandle(f, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT))).orElse(null);
    /** int ftruncate(int fd, off_t length); */
    private static final MethodHandle FTRUNCATE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("ftruncate").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    /** int close(int fd); */
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset); and pread, the same. */
    private static final MethodHandle PWRITE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("pwrite").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PREAD = LINKER.downcallHandle(LINKER.defaultLookup().find("pread").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    /** int fallocate(int fd, int mode, off_t offset, off_t len); Linux only, like memfd_create. */
    private static final MethodHandle FALLOCATE = LINKER.defaultLookup().find("fallocate")
            .map(f -> LINKER.downcallHandle(f, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG)))
            .orElse(null);
    private static final int MFD_CLOEXEC = 1;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    /** /proc/self/pagemap (Linux), or -1: tells which pages of a private file mapping were written. */
    private static final int PAGEMAP_FD = MEMFD_CREATE == null ? -1 : openReadOnly("/proc/self/pagemap");

    private static int openReadOnly(String path) {
        try (Arena a = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(a.allocateFrom(path), 0);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    /**
     * A new host file of {@code size} bytes, all holes, to hold guest pages that fork can map
     * copy-on-write (a Linux memfd); -1 when the host has no such files or refuses one.
     */
    public static int newMemoryFile(long size) {
        if (MEMFD_CREATE == null || FALLOCATE == null) {
            return -1;
        }
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) MEMFD_CREATE.invokeExact(a.allocateFrom("jlx-guest"), MFD_CLOEXEC);
            if (fd >= 0 && (int) FTRUNCATE.invokeExact(fd, size) != 0) {
                closeFile(fd);
                return -1;
            }
            return fd;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void closeFile(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Maps [offset, offset + size) of memory file {@code fd} read-write at a new place; null when refused. */
    public static MemorySegment mapFile(int fd, long offset, long size, boolean shared) {
        MemorySegment p = mmap(MemorySegment.NULL, size, shared ? MAP_SHARED : MAP_PRIVATE, fd, offset);
        return p.address() == -1L ? null : p.reinterpret(size);
    }

    /**
     * Puts [offset, offset + size) of memory file {@code fd} in place of the host pages at
     * {@code start}: the address stays, so engines and Java keep using it.
     */
    public static void remapFile(long start, long size, int fd, long offset, boolean shared) {
        MemorySegment p = mmap(MemorySegment.ofAddress(start), size, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED, fd,
                offset);
        if (p.address() != start) {
            throw new IllegalStateException("cannot remap host pages at 0x" + Long.toHexString(start));
        }
    }

    private static MemorySegment mmap(MemorySegment at, long size, int flags, int fd, long offset) {
        try {
            return (MemorySegment) MMAP.invokeExact(at, size, PROT_READ_WRITE, flags, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes [offset, offset + size) of memory file {@code fd} a hole again: it reads as zero, holds no memory. */
    public static void punch(int fd, long offset, long size) {
        int r;
        try {
            r = (int) FALLOCATE.invokeExact(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (r != 0) {
            throw new IllegalStateException("cannot free pages of a memory file");
        }
    }

    /**
     * Writes the pages of {@code from} into memory file {@code fd} at {@code offset}: with
     * {@code writtenOnly}, those this process has written since it mapped the file privately (the
     * others are the file's own already), else every page the host holds.
     */
    public static void writePages(MemorySegment from, int fd, long offset, boolean writtenOnly) {
        LongBinaryConsumer write = (page, count) -> {
            long done = 0;
            while (done < count * 4096) {
                long n;
                try {
                    n = (long) PWRITE.invokeExact(fd, from.asSlice(page * 4096 + done), count * 4096 - done,
                            offset + page * 4096 + done);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                if (n <= 0) {
                    throw new IllegalStateException("cannot write guest pages to a memory file");
                }
                done += n;
            }
        };
        forEachRun(from, writtenOnly, write);
    }

    /**
     * Copies pages of {@code from} into {@code to}, of the same size. With {@code writtenOnly},
     * {@code to} is a private mapping of the same memory file part as {@code from}, and only the
     * pages {@code from} has written since it mapped the file are copied (the others are the
     * file's already). Else {@code to} is a fresh allocation and every page the host holds is
     * copied: pages never touched are zero in both and stay uncommitted in the copy.
     */
    public static void copyPages(MemorySegment from, MemorySegment to, boolean writtenOnly) {
        forEachRun(from, writtenOnly, (page, count) -> MemorySegment.copy(from, page * 4096, to, page * 4096,
                count * 4096));
    }

    /**
     * The runs of pages of {@code m} that its process has written since it mapped a file privately
     * ({@code writtenOnly}, where pagemap can tell), else that the host holds.
     */
    private static void forEachRun(MemorySegment m, boolean writtenOnly, LongBinaryConsumer action) {
        if (writtenOnly && PAGEMAP_FD >= 0) {
            forEachWrittenRun(m.address(), m.byteSize(), action);
        } else {
            Runs runs = new Runs(action);
            forEachResident(m.address(), m.byteSize(), page -> runs.page(page, true));
            runs.end();
        }
    }

    /** Called with runs of pages: the index of the first, and how many. */
    @FunctionalInterface
    private interface LongBinaryConsumer {
        void accept(long first, long count);
    }

    /** Bits of a /proc/PID/pagemap entry: present, swapped, and file page or shared memory. */
    private static final long PM_PRESENT = 1L << 63;
    private static final long PM_SWAPPED = 1L << 62;
    private static final long PM_FILE = 1L << 61;

    /** The runs of pages of a private file mapping that hold this process's own copies (pagemap). */
    private static void forEachWrittenRun(long start, long size, LongBinaryConsumer action) {
        long pages = size / 4096;
        long chunk = 1 << 15;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment entries = a.allocate(JAVA_LONG, Math.min(pages, chunk));
            Runs runs = new Runs(action);
            for (long done = 0; done < pages; done += chunk) {
                long n = Math.min(chunk, pages - done);
                long got = (long) PREAD.invokeExact(PAGEMAP_FD, entries, n * 8, (start / 4096 + done) * 8);
                if (got != n * 8) {
                    throw new IllegalStateException("cannot read /proc/self/pagemap");
                }
                for (long i = 0; i < n; i++) {
                    long e = entries.getAtIndex(JAVA_LONG, i);
                    runs.page(done + i, (e & PM_SWAPPED) != 0 || (e & (PM_PRESENT | PM_FILE)) == PM_PRESENT);
                }
            }
            runs.end();
        } catch (Throwable t) {
            throw t instanceof IllegalStateException e ? e : new IllegalStateException(t);
        }
    }

    /** Joins pages into runs. */
    private static final class Runs {
        private final LongBinaryConsumer action;
        private long first = -1;
        private long count;

        Runs(LongBinaryConsumer action) {
            this.action = action;
        }

        void page(long index, boolean in) {
            if (in && first >= 0 && first + count == index) {
                count++;
            } else {
                end();
                if (in) {
                    first = index;
                    count = 1;
                }
            }
        }

        void end() {
            if (first >= 0) {
                action.accept(first, count);
                first = -1;
            }
        }
    }

    /** int madvise(void *addr, size_t length, int advice); */
    private static final MethodHandle MADVISE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("madvise").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
                    JAVA_INT));
    private static final int MADV_DONTNEED = 4;

    /**
     * The host's private anonymous mappings that are readable, writable and executable now, as
     * start -> end (from Linux's /proc/self/maps; empty where there is none to read).
     */
    public static java.util.Map<Long, Long> writableCodeMappings() {
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        java.nio.file.Path maps = java.nio.file.Path.of("/proc/self/maps");
        if (!java.nio.file.Files.isReadable(maps)) {
            return out;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(maps)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 5 && f[1].equals("rwxp") && f[4].equals("0")) {
                    int dash = f[0].indexOf('-');
                    out.put(Long.parseUnsignedLong(f[0], 0, dash, 16), Long.parseUnsignedLong(f[0], dash + 1,
                            f[0].length(), 16));
                }
            }
        } catch (java.io.IOException e) {
            out.clear();
        }
        return out;
    }

    /**
     * Gives the pages of a private anonymous mapping back to the host (MADV_DONTNEED, Linux): they
     * read as zero afterwards and hold no memory until touched.
     */
    public static void zeroAndRelease(long start, long size) {
        try {
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(start), size, MADV_DONTNEED);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
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
