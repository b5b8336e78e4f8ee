package dev.jlx.core.syscall;

/** How fully jlx implements a syscall, as gVisor's syscall table states it. */
public enum Support {
    /** Linux semantics, all flags and errors. */
    FULL,
    /** Works for the common cases; the entry's note says what is missing. */
    PARTIAL,
    /** Accepted and answered without effect; the note says why that is honest. */
    STUB,
    /** Returns the entry's errno (ENOSYS unless noted) and warns once, naming the call. */
    UNIMPLEMENTED
}
