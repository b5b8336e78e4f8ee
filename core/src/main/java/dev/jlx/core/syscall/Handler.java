package dev.jlx.core.syscall;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;

/**
 * Serves one syscall: returns a non-negative result or throws {@link ErrnoException}. Never returns
 * a negative errno and never writes errno into guest memory; the dispatcher does that.
 */
@FunctionalInterface
public interface Handler {
    long handle(GuestThread thread, Args args) throws ErrnoException;
}
