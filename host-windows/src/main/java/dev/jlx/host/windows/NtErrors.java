package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * NTSTATUS to Linux errno, the one place the Windows backend translates errors (as WSL's lxcore and
 * Linux's SMB client do, status by status). A status the table does not know is EIO, logged once.
 */
public final class NtErrors {
    private static final Logger LOG = Logger.getLogger(NtErrors.class.getName());
    private static final Map<NtStatus, Errno> TABLE = new EnumMap<>(NtStatus.class);

    static {
        for (NtStatus s : new NtStatus[] {NtStatus.OBJECT_NAME_NOT_FOUND, NtStatus.OBJECT_PATH_NOT_FOUND,
                NtStatus.NO_SUCH_FILE, NtStatus.DELETE_PENDING, NtStatus.FILE_DELETED}) {
            // A name being deleted is already gone for Linux.
            TABLE.put(s, Errno.ENOENT);
        }
        TABLE.put(NtStatus.OBJECT_NAME_COLLISION, Errno.EEXIST);
        TABLE.put(NtStatus.OBJECT_NAME_INVALID, Errno.EINVAL);
        TABLE.put(NtStatus.NAME_TOO_LONG, Errno.ENAMETOOLONG);
        TABLE.put(NtStatus.ACCESS_DENIED, Errno.EACCES);
        TABLE.put(NtStatus.PRIVILEGE_NOT_HELD, Errno.EPERM);
        TABLE.put(NtStatus.CANNOT_DELETE, Errno.EPERM);
        TABLE.put(NtStatus.SHARING_VIOLATION, Errno.EBUSY);
        TABLE.put(NtStatus.USER_MAPPED_FILE, Errno.EBUSY);
        TABLE.put(NtStatus.FILE_IS_A_DIRECTORY, Errno.EISDIR);
        TABLE.put(NtStatus.NOT_A_DIRECTORY, Errno.ENOTDIR);
        TABLE.put(NtStatus.DIRECTORY_NOT_EMPTY, Errno.ENOTEMPTY);
        TABLE.put(NtStatus.NOT_SAME_DEVICE, Errno.EXDEV);
        TABLE.put(NtStatus.DISK_FULL, Errno.ENOSPC);
        TABLE.put(NtStatus.INSUFFICIENT_RESOURCES, Errno.ENOMEM);
        TABLE.put(NtStatus.MEDIA_WRITE_PROTECTED, Errno.EROFS);
        TABLE.put(NtStatus.TOO_MANY_LINKS, Errno.EMLINK);
        TABLE.put(NtStatus.INVALID_HANDLE, Errno.EBADF);
        TABLE.put(NtStatus.FILE_CLOSED, Errno.EBADF);
        TABLE.put(NtStatus.INVALID_PARAMETER, Errno.EINVAL);
        // A buffer NT could not read or write: a bad guest pointer.
        TABLE.put(NtStatus.ACCESS_VIOLATION, Errno.EFAULT);
        for (NtStatus s : new NtStatus[] {NtStatus.NOT_SUPPORTED, NtStatus.NOT_IMPLEMENTED,
                NtStatus.INVALID_DEVICE_REQUEST, NtStatus.INVALID_INFO_CLASS, NtStatus.EAS_NOT_SUPPORTED}) {
            TABLE.put(s, Errno.EOPNOTSUPP);
        }
        TABLE.put(NtStatus.NONEXISTENT_EA_ENTRY, Errno.ENODATA);
        TABLE.put(NtStatus.NO_EAS_ON_FILE, Errno.ENODATA);
        TABLE.put(NtStatus.EA_TOO_LARGE, Errno.ENOSPC);
        TABLE.put(NtStatus.BUFFER_TOO_SMALL, Errno.ERANGE);
        TABLE.put(NtStatus.BUFFER_OVERFLOW, Errno.ERANGE);
        TABLE.put(NtStatus.NOT_A_REPARSE_POINT, Errno.EINVAL);
        // A reparse point opened without FILE_OPEN_REPARSE_POINT: a link where none may be followed.
        TABLE.put(NtStatus.IO_REPARSE_TAG_NOT_HANDLED, Errno.ELOOP);
        TABLE.put(NtStatus.STOPPED_ON_SYMLINK, Errno.ELOOP);
        TABLE.put(NtStatus.LOCK_NOT_GRANTED, Errno.EAGAIN);
        TABLE.put(NtStatus.FILE_LOCK_CONFLICT, Errno.EAGAIN);
        TABLE.put(NtStatus.IO_DEVICE_ERROR, Errno.EIO);
        TABLE.put(NtStatus.UNSUCCESSFUL, Errno.EIO);
    }

    private NtErrors() {}

    /** The errno Linux gives where NT answered {@code status}. */
    public static Errno errno(NtStatus status) {
        Errno e = TABLE.get(status);
        return e != null ? e : Errno.EIO;
    }

    /** The exception a backend call throws for a failed NT call. */
    public static ErrnoException of(NtException e) {
        Errno errno = TABLE.get(e.status());
        if (errno == null) {
            LOG.warning("NT call failed with " + e.getMessage() + ", which jlx answers with EIO");
            errno = Errno.EIO;
        }
        return new ErrnoException(errno);
    }
}
