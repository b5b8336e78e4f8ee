package dev.jlx.host.windows;

/** A failed console call: its Win32 error code (GetLastError). Stackless, as {@link NtException}. */
final class ConsoleException extends Exception {
    private final int error;

    ConsoleException(int error) {
        super("Win32 error " + error, null, false, false);
        this.error = error;
    }

    int error() {
        return error;
    }
}
