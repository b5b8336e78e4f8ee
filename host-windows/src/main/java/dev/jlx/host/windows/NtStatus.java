package dev.jlx.host.windows;

import java.util.HashMap;
import java.util.Map;

/**
 * The NTSTATUS values the NT layer answers with (ntstatus.h; MS-ERREF 2.3.1). {@link NtErrors} turns
 * them into Linux errno values, in one place. A value the table lacks arrives as {@link #UNKNOWN}
 * with its number kept in the exception.
 */
public enum NtStatus {
    SUCCESS(0x00000000),
    BUFFER_OVERFLOW(0x80000005),
    NO_MORE_FILES(0x80000006),
    NO_MORE_EAS(0x80000012),
    UNSUCCESSFUL(0xC0000001),
    NOT_IMPLEMENTED(0xC0000002),
    INVALID_INFO_CLASS(0xC0000003),
    ACCESS_VIOLATION(0xC0000005),
    INVALID_HANDLE(0xC0000008),
    INVALID_PARAMETER(0xC000000D),
    NO_SUCH_FILE(0xC000000F),
    INVALID_DEVICE_REQUEST(0xC0000010),
    END_OF_FILE(0xC0000011),
    ACCESS_DENIED(0xC0000022),
    BUFFER_TOO_SMALL(0xC0000023),
    OBJECT_NAME_INVALID(0xC0000033),
    OBJECT_NAME_NOT_FOUND(0xC0000034),
    OBJECT_NAME_COLLISION(0xC0000035),
    OBJECT_PATH_NOT_FOUND(0xC000003A),
    SHARING_VIOLATION(0xC0000043),
    EAS_NOT_SUPPORTED(0xC000004F),
    EA_TOO_LARGE(0xC0000050),
    NONEXISTENT_EA_ENTRY(0xC0000051),
    NO_EAS_ON_FILE(0xC0000052),
    FILE_LOCK_CONFLICT(0xC0000054),
    LOCK_NOT_GRANTED(0xC0000055),
    DELETE_PENDING(0xC0000056),
    PRIVILEGE_NOT_HELD(0xC0000061),
    DISK_FULL(0xC000007F),
    INSUFFICIENT_RESOURCES(0xC000009A),
    MEDIA_WRITE_PROTECTED(0xC00000A2),
    FILE_IS_A_DIRECTORY(0xC00000BA),
    NOT_SUPPORTED(0xC00000BB),
    NOT_SAME_DEVICE(0xC00000D4),
    DIRECTORY_NOT_EMPTY(0xC0000101),
    NOT_A_DIRECTORY(0xC0000103),
    NAME_TOO_LONG(0xC0000106),
    CANNOT_DELETE(0xC0000121),
    FILE_DELETED(0xC0000123),
    FILE_CLOSED(0xC0000128),
    IO_DEVICE_ERROR(0xC0000185),
    USER_MAPPED_FILE(0xC0000243),
    TOO_MANY_LINKS(0xC0000265),
    NOT_A_REPARSE_POINT(0xC0000275),
    IO_REPARSE_TAG_MISMATCH(0xC0000277),
    IO_REPARSE_DATA_INVALID(0xC0000278),
    IO_REPARSE_TAG_NOT_HANDLED(0xC0000279),
    STOPPED_ON_SYMLINK(0x8000002D),
    /** Any value not in this table; {@link NtException#code()} has the number. */
    UNKNOWN(-1);

    private static final Map<Integer, NtStatus> BY_CODE = new HashMap<>();

    static {
        for (NtStatus s : values()) {
            BY_CODE.put(s.code, s);
        }
    }

    private final int code;

    NtStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status with this NTSTATUS number, else {@link #UNKNOWN}. */
    public static NtStatus of(int code) {
        return BY_CODE.getOrDefault(code, UNKNOWN);
    }

    /** NT_SUCCESS: severity success or informational (the top bit clear). */
    public static boolean isSuccess(int code) {
        return code >= 0;
    }
}
