package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;

/** Blocking on a Java monitor the way a guest's blocking syscall does. */
final class Monitors {
    private Monitors() {}

    /**
     * Waits on {@code monitor}, which the caller holds, until notified; an interrupt (a signal, or
     * the end of the process) is EINTR, with the thread's interrupt kept for whoever looks next.
     */
    static void await(Object monitor) throws ErrnoException {
        try {
            monitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        }
    }
}
