package dev.jlx.core.api;

/**
 * jlx itself cannot start the guest: the program is missing or not a loadable x86-64 ELF, or the
 * engine is unavailable. The message is one line meant for a user; {@link #shellStatus()} is what a
 * shell would report for the same failure (126 not executable, 127 not found).
 */
public class JlxException extends RuntimeException {
    private final int shellStatus;

    public JlxException(String message, int shellStatus) {
        super(message, null, false, false);
        this.shellStatus = shellStatus;
    }

    public JlxException(String message, int shellStatus, Throwable cause) {
        super(message, cause, false, false);
        this.shellStatus = shellStatus;
    }

    public int shellStatus() {
        return shellStatus;
    }
}
