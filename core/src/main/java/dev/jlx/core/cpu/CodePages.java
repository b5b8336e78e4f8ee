package dev.jlx.core.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The host pages the engine binding itself needs on POSIX hosts: an executable page for the stop
 * stub, and giving most of a new code buffer back. Guest memory is the host backend's
 * ({@code HostMemory}). The calls are bound at first use, so a host without them (Windows) never
 * binds them.
 */
final class CodePages {
    private CodePages() {}

    /** POSIX calls whose numbers are the same on Linux, macOS and the BSDs, except MAP_ANON's. */
    private static final class Calls {
        static final Linker LINKER = Linker.nativeLinker();
        /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
        static final MethodHandle MMAP = bind("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_LONG));
        /** int mprotect(void *addr, size_t len, int prot); */
        static final MethodHandle MPROTECT = bind("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
                JAVA_INT));
        /** int madvise(void *addr, size_t length, int advice); */
        static final MethodHandle MADVISE = bind("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG,
                JAVA_INT));
        static final int PROT_READ_WRITE = 3;
        static final int PROT_READ_EXEC = 5;
        static final int MAP_PRIVATE = 2;
        static final int MAP_ANON = System.getProperty("os.name").startsWith("Linux") ? 0x20 : 0x1000;
        static final int MADV_DONTNEED = 4;

        private static MethodHandle bind(String name, FunctionDescriptor type) {
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), type);
        }
    }

    /** A page holding {@code code}, read-only and executable; null when the host refuses. */
    static MemorySegment executable(byte[] code) {
        try {
            MemorySegment page = (MemorySegment) Calls.MMAP.invokeExact(MemorySegment.NULL, 4096L,
                    Calls.PROT_READ_WRITE, Calls.MAP_PRIVATE | Calls.MAP_ANON, -1, 0L);
            if (page.address() == -1L) {
                return null;
            }
            page = page.reinterpret(4096);
            MemorySegment.copy(code, 0, page, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, code.length);
            return (int) Calls.MPROTECT.invokeExact(page, 4096L, Calls.PROT_READ_EXEC) == 0 ? page : null;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap", t);
        }
    }

    /**
     * The host's private anonymous mappings that are readable, writable and executable now, as
     * start -> end (from Linux's /proc/self/maps; empty where there is none to read).
     */
    static java.util.Map<Long, Long> writableCodeMappings() {
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
     * Gives the pages of a private anonymous mapping back to the host (MADV_DONTNEED, Linux, where
     * {@link #writableCodeMappings} finds them): they read as zero afterwards and hold no memory
     * until touched.
     */
    static void zeroAndRelease(long start, long size) {
        try {
            int ignored = (int) Calls.MADVISE.invokeExact(MemorySegment.ofAddress(start), size, Calls.MADV_DONTNEED);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
