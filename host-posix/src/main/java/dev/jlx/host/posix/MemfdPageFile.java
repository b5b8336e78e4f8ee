package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jlx.core.host.HostMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A page file as a Linux memfd, sparse, of the whole guest address space. Which pages a private
 * mapping of it has written since it was mapped (those fork must take back into the file) is read
 * from /proc/self/pagemap. Linux only: the portable profile never loads this class.
 */
final class MemfdPageFile implements HostMemory.PageFile {
    private static final MethodHandle MEMFD_CREATE = PosixPages.bind("memfd_create", FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT));
    /** int fallocate(int fd, int mode, off_t offset, off_t len); */
    private static final MethodHandle FALLOCATE = PosixPages.bind("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** int ftruncate(int fd, off_t length); */
    private static final MethodHandle FTRUNCATE = PosixPages.bind("ftruncate", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, JAVA_LONG));
    /** int open(const char *path, int flags, ...); */
    private static final MethodHandle OPEN = PosixPages.bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            java.lang.foreign.Linker.Option.firstVariadicArg(2));
    /** int close(int fd); */
    private static final MethodHandle CLOSE = PosixPages.bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset); and pread, the same. */
    private static final MethodHandle PWRITE = PosixPages.bind("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT,
            ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PREAD = PosixPages.bind("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT,
            ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final int MFD_CLOEXEC = 1;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    /** /proc/self/pagemap, or -1 (then every page the host holds counts as written). */
    private static final int PAGEMAP_FD = openReadOnly("/proc/self/pagemap");
    /** Bits of a /proc/PID/pagemap entry: present, swapped, and file page or shared memory. */
    private static final long PM_PRESENT = 1L << 63;
    private static final long PM_SWAPPED = 1L << 62;
    private static final long PM_FILE = 1L << 61;
    private static final long PAGE = PosixPages.GUEST_PAGE;

    private final int fd;

    private MemfdPageFile(int fd) {
        this.fd = fd;
    }

    /** A new memfd of {@code size} bytes, all holes; null when the host refuses one. */
    static MemfdPageFile create(long size) {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) MEMFD_CREATE.invokeExact(a.allocateFrom("jlx-guest"), MFD_CLOEXEC);
            if (fd < 0) {
                return null;
            }
            if ((int) FTRUNCATE.invokeExact(fd, size) != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                return null;
            }
            return new MemfdPageFile(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int openReadOnly(String path) {
        try (Arena a = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(a.allocateFrom(path), 0);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    @Override
    public MemorySegment map(long offset, long size, boolean shared) {
        long p = PosixPages.mmap(0, size, true, shared ? PosixPages.MAP_SHARED : PosixPages.MAP_PRIVATE, fd, offset);
        return p == -1 ? null : MemorySegment.ofAddress(p).reinterpret(size);
    }

    @Override
    public void remap(MemorySegment at, long offset, boolean shared) {
        long p = PosixPages.mmap(at.address(), at.byteSize(), true, (shared ? PosixPages.MAP_SHARED
                : PosixPages.MAP_PRIVATE) | PosixPages.MAP_FIXED, fd, offset);
        if (p != at.address()) {
            throw new IllegalStateException("cannot remap host pages at 0x" + Long.toHexString(at.address()));
        }
    }

    @Override
    public void punch(long offset, long size) {
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

    @Override
    public void write(MemorySegment from, long offset, boolean writtenOnly) {
        forEachRun(from, writtenOnly, (page, count) -> {
            long done = 0;
            while (done < count * PAGE) {
                long n;
                try {
                    n = (long) PWRITE.invokeExact(fd, from.asSlice(page * PAGE + done), count * PAGE - done,
                            offset + page * PAGE + done);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                if (n <= 0) {
                    throw new IllegalStateException("cannot write guest pages to a memory file");
                }
                done += n;
            }
        });
    }

    @Override
    public void copyWritten(MemorySegment from, MemorySegment to) {
        forEachRun(from, true, (page, count) -> MemorySegment.copy(from, page * PAGE, to, page * PAGE, count * PAGE));
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The runs of pages of {@code m} that its process has written since it mapped this file
     * privately ({@code writtenOnly}, where pagemap can tell), else that the host holds.
     */
    private static void forEachRun(MemorySegment m, boolean writtenOnly, PageRuns.Action action) {
        if (writtenOnly && PAGEMAP_FD >= 0) {
            forEachWrittenRun(m.address(), m.byteSize(), action);
        } else {
            PageRuns.forEachResident(m, action);
        }
    }

    /** The runs of pages of a private file mapping that hold this process's own copies (pagemap). */
    private static void forEachWrittenRun(long start, long size, PageRuns.Action action) {
        long pages = size / PAGE;
        long chunk = 1 << 15;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment entries = a.allocate(JAVA_LONG, Math.min(pages, chunk));
            PageRuns runs = new PageRuns(action);
            for (long done = 0; done < pages; done += chunk) {
                long n = Math.min(chunk, pages - done);
                long got = (long) PREAD.invokeExact(PAGEMAP_FD, entries, n * 8, (start / PAGE + done) * 8);
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
}
