package dev.jlx.host.windows;

/** A failed NT call: its NTSTATUS. Stackless, as core's ErrnoException: it is an answer, not a bug. */
public final class NtException extends Exception {
    private final NtStatus status;
    private final int code;

    public NtException(NtStatus status) {
        this(status, status.code());
    }

    /** From a raw NTSTATUS number, which may be one the table lacks. */
    public NtException(int code) {
        this(NtStatus.of(code), code);
    }

    private NtException(NtStatus status, int code) {
        super(status + String.format(" (0x%08X)", code), null, false, false);
        this.status = status;
        this.code = code;
    }

    public NtStatus status() {
        return status;
    }

    public int code() {
        return code;
    }
}
