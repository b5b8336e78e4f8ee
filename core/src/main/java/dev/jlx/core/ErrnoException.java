package dev.jlx.core;

import dev.jlx.abi.Errno;

/**
 * A Linux error a syscall handler or host backend reports. Stackless: it is control flow on the
 * syscall path, not a bug report (analogous to the JDK's {@code sun.nio.fs.UnixException}).
 * The dispatcher is the single place that turns it into {@code -errno}.
 */
public final class ErrnoException extends Exception {
    private final Errno errno;

    public ErrnoException(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }

    public ErrnoException(Errno errno, String detail) {
        super(errno.name() + ": " + detail, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
