package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.abi.Errno;
import org.junit.jupiter.api.Test;

/** NTSTATUS numbers as ntstatus.h defines them, and the errno Linux answers where NT answered each. */
class NtErrorsTest {
    @Test
    void statusNumbersAreNtstatusH() {
        assertEquals(0xC0000034, NtStatus.OBJECT_NAME_NOT_FOUND.code());
        assertEquals(0xC000003A, NtStatus.OBJECT_PATH_NOT_FOUND.code());
        assertEquals(0xC0000035, NtStatus.OBJECT_NAME_COLLISION.code());
        assertEquals(0xC0000043, NtStatus.SHARING_VIOLATION.code());
        assertEquals(0xC0000056, NtStatus.DELETE_PENDING.code());
        assertEquals(0xC0000101, NtStatus.DIRECTORY_NOT_EMPTY.code());
        assertEquals(0xC0000103, NtStatus.NOT_A_DIRECTORY.code());
        assertEquals(0xC00000BA, NtStatus.FILE_IS_A_DIRECTORY.code());
        assertEquals(0xC0000275, NtStatus.NOT_A_REPARSE_POINT.code());
        assertEquals(0xC0000279, NtStatus.IO_REPARSE_TAG_NOT_HANDLED.code());
        assertEquals(0x80000005, NtStatus.BUFFER_OVERFLOW.code());
        assertEquals(0xC0000005, NtStatus.ACCESS_VIOLATION.code());
        assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, NtStatus.of(0xC0000034));
        assertEquals(NtStatus.UNKNOWN, NtStatus.of(0xC0FFEE00));
        assertEquals(0xC0FFEE00, new NtException(0xC0FFEE00).code());
    }

    @Test
    void statusesMapToLinuxErrno() {
        assertEquals(Errno.ENOENT, NtErrors.errno(NtStatus.OBJECT_NAME_NOT_FOUND));
        assertEquals(Errno.ENOENT, NtErrors.errno(NtStatus.OBJECT_PATH_NOT_FOUND));
        assertEquals(Errno.ENOENT, NtErrors.errno(NtStatus.DELETE_PENDING));
        assertEquals(Errno.EEXIST, NtErrors.errno(NtStatus.OBJECT_NAME_COLLISION));
        assertEquals(Errno.EACCES, NtErrors.errno(NtStatus.ACCESS_DENIED));
        assertEquals(Errno.EBUSY, NtErrors.errno(NtStatus.SHARING_VIOLATION));
        assertEquals(Errno.ENOTDIR, NtErrors.errno(NtStatus.NOT_A_DIRECTORY));
        assertEquals(Errno.EISDIR, NtErrors.errno(NtStatus.FILE_IS_A_DIRECTORY));
        assertEquals(Errno.ENOTEMPTY, NtErrors.errno(NtStatus.DIRECTORY_NOT_EMPTY));
        assertEquals(Errno.EXDEV, NtErrors.errno(NtStatus.NOT_SAME_DEVICE));
        assertEquals(Errno.ENOSPC, NtErrors.errno(NtStatus.DISK_FULL));
        assertEquals(Errno.EOPNOTSUPP, NtErrors.errno(NtStatus.EAS_NOT_SUPPORTED));
        assertEquals(Errno.ENODATA, NtErrors.errno(NtStatus.NONEXISTENT_EA_ENTRY));
        assertEquals(Errno.EINVAL, NtErrors.errno(NtStatus.NOT_A_REPARSE_POINT));
        assertEquals(Errno.ELOOP, NtErrors.errno(NtStatus.IO_REPARSE_TAG_NOT_HANDLED));
        assertEquals(Errno.EBADF, NtErrors.errno(NtStatus.INVALID_HANDLE));
        assertEquals(Errno.EMLINK, NtErrors.errno(NtStatus.TOO_MANY_LINKS));
        assertEquals(Errno.EFAULT, NtErrors.errno(NtStatus.ACCESS_VIOLATION));
        assertEquals(Errno.EIO, NtErrors.errno(NtStatus.UNKNOWN));
        assertEquals(Errno.EIO, NtErrors.of(new NtException(0xC0FFEE00)).errno());
    }
}
