package dev.jlx.core.api;

/**
 * How a guest process ended: by exit(2) with {@code code}, or by a fatal signal ({@code signal}
 * non-zero, {@code code} 0), which wrote a core file when {@code coreDumped} (wait's WCOREDUMP).
 */
public record ExitStatus(int code, int signal, boolean coreDumped) {
    public ExitStatus(int code, int signal) {
        this(code, signal, false);
    }

    public static ExitStatus exited(int code) {
        return new ExitStatus(code & 0xff, 0);
    }

    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal);
    }

    public boolean signaled() {
        return signal != 0;
    }

    /** This status with its core written. */
    public ExitStatus withCore() {
        return new ExitStatus(code, signal, true);
    }

    /** The status a POSIX shell reports: the exit code, or 128 + the signal number. */
    public int shellStatus() {
        return signaled() ? 128 + signal : code;
    }
}
