package dev.jlx.core;

import dev.jlx.abi.Errno;

/**
 * A Linux error a syscall handler or host backend reports. Stackless: it is control flow on the
 * syscall path, not a bug report (analogous to the JDK's {@code sun.nio.fs.UnixException}).
 * The dispatcher is the single place that turns it into {@code -errno}.
 */
public final class ErrnoException extends Exception {
    private final Errno errno;
    private final boolean restartable;
    private final boolean restartAlways;

    public ErrnoException(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
        this.restartable = true;
        this.restartAlways = false;
    }

    public ErrnoException(Errno errno, String detail) {
        super(errno.name() + ": " + detail, null, false, false);
        this.errno = errno;
        this.restartable = true;
        this.restartAlways = false;
    }

    private ErrnoException(boolean restartable, boolean restartAlways) {
        super(Errno.EINTR.name(), null, false, false);
        this.errno = Errno.EINTR;
        this.restartable = restartable;
        this.restartAlways = restartAlways;
    }

    /**
     * EINTR that SA_RESTART does not turn into a restart, whatever the syscall table says of the
     * call: Linux's plain -EINTR, as a socket call that waited with a timeout gives it (signal(7)).
     */
    public static ErrnoException interruptedForGood() {
        return new ErrnoException(false, false);
    }

    /**
     * EINTR that restarts after the handler with or without SA_RESTART: Linux's ERESTARTNOINTR, as
     * a PI futex lock gives it.
     */
    public static ErrnoException restartAlways() {
        return new ErrnoException(true, true);
    }

    /** Whether an EINTR restarts even without SA_RESTART (ERESTARTNOINTR). */
    public boolean restartsAlways() {
        return restartAlways;
    }

    public Errno errno() {
        return errno;
    }

    /** Whether an EINTR may be restarted under SA_RESTART (the syscall table's line decides then). */
    public boolean restartable() {
        return restartable;
    }
}
