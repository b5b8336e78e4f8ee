package dev.jlx.host.posix;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * poll(2) of one descriptor through select(2), for terminals on macOS, whose poll answers
 * POLLNVAL for them. An fd_set is a bit array: macOS's ({@code <sys/_types/_fd_def.h>}) is
 * {@code __int32_t fds_bits[]} with fd n at bit n % 32 of word n / 32, glibc's {@code long}
 * words of 64; on the little-endian hosts jlx runs on both put fd n at bit n % 8 of byte n / 8.
 * The set is made as long as the descriptor needs (macOS's {@code select$DARWIN_EXTSN} takes
 * any nfds), rounded to 8 bytes so either word size reads whole words.
 */
final class FdSet {
    private FdSet() {}

    /** Bytes of an fd_set holding {@code fd}. */
    static int size(int fd) {
        return (fd / 64 + 1) * 8;
    }

    static void set(Pointer set, int fd) {
        set.putByte(fd / 8, (byte) (set.getByte(fd / 8) | 1 << (fd % 8)));
    }

    static boolean isSet(Pointer set, int fd) {
        return (set.getByte(fd / 8) & 1 << (fd % 8)) != 0;
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: for ever) for POLLIN (read set), POLLOUT (write
     * set) or POLLPRI (exception set) and returns those ready, as {@link HostFile#poll} does.
     */
    static int select(PosixBackend backend, int fd, int events, int timeoutMillis) throws ErrnoException {
        jnr.ffi.Runtime runtime = backend.runtime();
        int size = size(fd);
        Pointer read = (events & HostFile.POLLIN) != 0 ? cleared(runtime, size, fd) : null;
        Pointer write = (events & HostFile.POLLOUT) != 0 ? cleared(runtime, size, fd) : null;
        Pointer except = (events & HostFile.POLLPRI) != 0 ? cleared(runtime, size, fd) : null;
        Pointer timeout = null;
        if (timeoutMillis >= 0) {
            // struct timeval: time_t tv_sec at 0; tv_usec at 8 (macOS's is an int32 followed by
            // padding, glibc's a long: a little-endian long writes both).
            timeout = Memory.allocate(runtime, 16);
            timeout.putLong(0, timeoutMillis / 1000);
            timeout.putLong(8, (timeoutMillis % 1000) * 1000L);
        }
        if (backend.libc().select(fd + 1, read, write, except, timeout) < 0) {
            throw backend.lastError();
        }
        int ready = 0;
        if (read != null && isSet(read, fd)) {
            ready |= HostFile.POLLIN;
        }
        if (write != null && isSet(write, fd)) {
            ready |= HostFile.POLLOUT;
        }
        if (except != null && isSet(except, fd)) {
            ready |= HostFile.POLLPRI;
        }
        return ready;
    }

    private static Pointer cleared(jnr.ffi.Runtime runtime, int size, int fd) {
        Pointer set = Memory.allocate(runtime, size);
        set.setMemory(0, size, (byte) 0);
        set(set, fd);
        return set;
    }
}
