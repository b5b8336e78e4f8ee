package dev.jlx.host.windows;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The NT file operations the Windows backend needs, handle-relative as ntdll's are: every name is one
 * component (UTF-16, as NTFS stores it) opened relative to a parent directory's handle. Each method
 * stands for one NT call, named in its comment; failures throw {@link NtException} with the NTSTATUS,
 * which the backend maps to Linux errno (NtErrors). Implementations: {@code Win32NtLayer} (ntdll on
 * Windows) and the fakes {@link LocalDiskNtLayer} and {@code JimfsNtLayer}, which keep NTFS's rules
 * (case-insensitive lookup unless a directory's case flag is set, names NTFS refuses, share modes,
 * delete-pending, POSIX delete and rename) so that the backend can be tested on Linux.
 *
 * <p>Handles are opaque numbers; closing one twice is STATUS_INVALID_HANDLE. Times are NT times
 * (100 ns units since 1601-01-01 UTC).
 */
public interface NtLayer {
    // ACCESS_MASK bits (winnt.h).
    int FILE_READ_DATA = 0x0001;
    int FILE_LIST_DIRECTORY = 0x0001;
    int FILE_WRITE_DATA = 0x0002;
    int FILE_APPEND_DATA = 0x0004;
    int FILE_READ_EA = 0x0008;
    int FILE_WRITE_EA = 0x0010;
    int FILE_EXECUTE = 0x0020;
    int FILE_TRAVERSE = 0x0020;
    int FILE_READ_ATTRIBUTES = 0x0080;
    int FILE_WRITE_ATTRIBUTES = 0x0100;
    int DELETE = 0x00010000;
    int SYNCHRONIZE = 0x00100000;

    // ShareAccess.
    int FILE_SHARE_READ = 0x1;
    int FILE_SHARE_WRITE = 0x2;
    int FILE_SHARE_DELETE = 0x4;
    int FILE_SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

    // CreateDisposition.
    int FILE_SUPERSEDE = 0;
    int FILE_OPEN = 1;
    int FILE_CREATE = 2;
    int FILE_OPEN_IF = 3;
    int FILE_OVERWRITE = 4;
    int FILE_OVERWRITE_IF = 5;

    // CreateOptions.
    int FILE_DIRECTORY_FILE = 0x00000001;
    int FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;
    int FILE_NON_DIRECTORY_FILE = 0x00000040;
    int FILE_OPEN_FOR_BACKUP_INTENT = 0x00004000;
    int FILE_OPEN_REPARSE_POINT = 0x00200000;

    // IO_STATUS_BLOCK.Information after a create.
    int FILE_SUPERSEDED = 0;
    int FILE_OPENED = 1;
    int FILE_CREATED = 2;
    int FILE_OVERWRITTEN = 3;

    // FileAttributes.
    int FILE_ATTRIBUTE_READONLY = 0x0001;
    int FILE_ATTRIBUTE_DIRECTORY = 0x0010;
    int FILE_ATTRIBUTE_NORMAL = 0x0080;
    int FILE_ATTRIBUTE_REPARSE_POINT = 0x0400;

    // FILE_DISPOSITION_INFORMATION_EX.Flags (ntddk.h).
    int FILE_DISPOSITION_DELETE = 0x1;
    int FILE_DISPOSITION_POSIX_SEMANTICS = 0x2;
    int FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE = 0x10;

    // FILE_RENAME_INFORMATION_EX.Flags and FILE_LINK_INFORMATION_EX.Flags (ntifs.h).
    int FILE_RENAME_REPLACE_IF_EXISTS = 0x1;
    int FILE_RENAME_POSIX_SEMANTICS = 0x2;
    int FILE_RENAME_IGNORE_READONLY_ATTRIBUTE = 0x40;
    int FILE_LINK_REPLACE_IF_EXISTS = 0x1;
    int FILE_LINK_POSIX_SEMANTICS = 0x2;

    /** FILE_CASE_SENSITIVE_INFORMATION.Flags. */
    int FILE_CS_FLAG_CASE_SENSITIVE_DIR = 0x1;

    /** NtWriteFile's ByteOffset that appends: FILE_WRITE_TO_END_OF_FILE (LowPart 0xFFFFFFFF, HighPart -1). */
    long WRITE_TO_END_OF_FILE = -1;

    /** What NtCreateFile returned: the handle and IO_STATUS_BLOCK.Information (FILE_CREATED...). */
    record Opened(long handle, int information) {}

    /** FILE_BASIC_INFORMATION. On set, a time of 0 and attributes of 0 leave the value as it is. */
    record BasicInfo(long creationTime, long lastAccessTime, long lastWriteTime, long changeTime, int attributes) {}

    /** FILE_STANDARD_INFORMATION. */
    record StandardInfo(long allocationSize, long endOfFile, int numberOfLinks, boolean deletePending,
            boolean directory) {}

    /** FILE_ID_INFORMATION: the volume's serial number and the file's id (its low 64 bits; NTFS's are 64-bit). */
    record IdInfo(long volumeSerial, long fileId) {}

    /** One extended attribute of FILE_FULL_EA_INFORMATION: an ASCII name (NTFS keeps it upper case) and its value. */
    record Ea(String name, byte[] value) {}

    /** A reparse point: its tag and the data after REPARSE_DATA_BUFFER's 8-byte header. */
    record Reparse(int tag, byte[] data) {}

    /**
     * One entry of FILE_ID_FULL_DIR_INFORMATION: the name, attributes, file id, and the reparse tag
     * (which that class returns in EaSize for reparse points; 0 otherwise).
     */
    record DirEntry(String name, int attributes, long fileId, int reparseTag) {}

    /**
     * FILE_FS_FULL_SIZE_INFORMATION with FILE_FS_VOLUME_INFORMATION's serial number and
     * FILE_FS_ATTRIBUTE_INFORMATION's name, maximum component length and flags.
     */
    record VolumeInfo(long serial, long totalUnits, long callerAvailableUnits, long actualAvailableUnits,
            int sectorsPerUnit, int bytesPerSector, String fileSystemName, int maxComponentLength, int flags) {}

    /**
     * Opens the directory that host paths start from: on Windows the volume {@code volume} names
     * ({@code "C:"}: NtCreateFile of {@code \??\C:\}); a layer without volumes ({@link #drives()} false)
     * takes {@code ""} for its one root. The handle may list and traverse the directory and read and
     * write its attributes and EAs.
     */
    long openRoot(String volume) throws NtException;

    /** Whether host paths begin with a drive component ({@code /C:/...}). */
    boolean drives();

    /**
     * The host's own path of the directory {@link #openRoot} opens for {@code volume}, for the JDK's
     * calls that take a path (a connect to a host's AF_UNIX socket); null for a layer whose files are
     * no host's (an in-memory fake).
     */
    default java.nio.file.Path nativeRoot(String volume) {
        return null;
    }

    /** Whether a file may lie deeper than any path length limit, as on NTFS (handle-relative opens). */
    default boolean longPaths() {
        return true;
    }

    /**
     * NtCreateFile of {@code name}, one component, relative to the directory {@code parent}, with
     * DesiredAccess, ShareAccess, CreateDisposition and CreateOptions as NT takes them; {@code eas}
     * (may be empty) become the new file's EAs when this call creates it (the EaBuffer argument), and
     * {@code attributes} its FileAttributes.
     */
    Opened create(long parent, String name, int access, int share, int disposition, int options, int attributes,
            List<Ea> eas) throws NtException;

    /** NtClose. */
    void close(long handle) throws NtException;

    /**
     * The file {@code handle} is open on, opened once more with {@code access}: NtCreateFile with
     * the handle as RootDirectory and an empty name, as kernelbase's ReOpenFile does.
     */
    long reopen(long handle, int access) throws NtException;

    /** NtQueryInformationFile(FileBasicInformation). */
    BasicInfo queryBasic(long handle) throws NtException;

    /** NtSetInformationFile(FileBasicInformation). */
    void setBasic(long handle, BasicInfo info) throws NtException;

    /** NtQueryInformationFile(FileStandardInformation). */
    StandardInfo queryStandard(long handle) throws NtException;

    /** NtQueryInformationFile(FileIdInformation). */
    IdInfo queryId(long handle) throws NtException;

    /** NtSetInformationFile(FileDispositionInformationEx) with FILE_DISPOSITION_* flags. */
    void setDisposition(long handle, int flags) throws NtException;

    /**
     * NtSetInformationFile(FileRenameInformationEx): gives the open file the name {@code name} in the
     * directory {@code targetDirectory} (a handle: RootDirectory), with FILE_RENAME_* flags.
     */
    void rename(long handle, long targetDirectory, String name, int flags) throws NtException;

    /** NtSetInformationFile(FileLinkInformationEx): a new hard link {@code name} in {@code targetDirectory}. */
    void link(long handle, long targetDirectory, String name, int flags) throws NtException;

    /** NtQueryInformationFile(FileCaseSensitiveInformation): FILE_CS_FLAG_* of a directory. */
    int queryCaseSensitive(long handle) throws NtException;

    /** NtSetInformationFile(FileCaseSensitiveInformation); NOT_SUPPORTED where the volume has no such flag. */
    void setCaseSensitive(long handle, int flags) throws NtException;

    /** NtSetInformationFile(FileEndOfFileInformation). */
    void setEndOfFile(long handle, long size) throws NtException;

    /** NtSetInformationFile(FileAllocationInformation). */
    void setAllocation(long handle, long size) throws NtException;

    /** NtQueryEaFile of every EA (restarting the scan); empty when the file has none. */
    List<Ea> queryEa(long handle) throws NtException;

    /** NtSetEaFile: sets each EA; an empty value removes it, as FILE_FULL_EA_INFORMATION says. */
    void setEa(long handle, List<Ea> eas) throws NtException;

    /** NtFsControlFile(FSCTL_GET_REPARSE_POINT); NOT_A_REPARSE_POINT when there is none. */
    Reparse getReparse(long handle) throws NtException;

    /** NtFsControlFile(FSCTL_SET_REPARSE_POINT). */
    void setReparse(long handle, Reparse reparse) throws NtException;

    /** NtFsControlFile(FSCTL_DELETE_REPARSE_POINT) of the point with this tag. */
    void deleteReparse(long handle, int tag) throws NtException;

    /** NtQueryDirectoryFile(FileIdFullDirectoryInformation) from the start to NO_MORE_FILES, without "." and "..". */
    List<DirEntry> queryDirectory(long handle) throws NtException;

    /** NtReadFile at {@code offset} into {@code dst}: the count read, 0 at the end of the file. */
    int read(long handle, MemorySegment dst, long offset) throws NtException;

    /** NtWriteFile at {@code offset} (or {@link #WRITE_TO_END_OF_FILE}) from {@code src}: the count written. */
    int write(long handle, MemorySegment src, long offset) throws NtException;

    /** NtFlushBuffersFile. */
    void flush(long handle) throws NtException;

    /** NtQueryVolumeInformationFile (FileFsFullSizeInformation, FileFsVolumeInformation, FileFsAttributeInformation). */
    VolumeInfo queryVolume(long handle) throws NtException;

    /**
     * A shared view of [offset, offset + length) of the file, no further than its end (NtCreateSection
     * on the handle, then NtMapViewOfSection): its writes reach the file. {@code offset} is a multiple
     * of the 64 KiB allocation granule. While a view is mapped, the file cannot shrink
     * (STATUS_USER_MAPPED_FILE).
     */
    View mapView(long handle, long offset, long length, boolean writable) throws NtException;

    /** A mapped view of a file. */
    interface View {
        /** Where the view lies in this process. */
        long address();

        /** NtFlushVirtualMemory of [address() + offset, + length): the view's writes go to the file. */
        void flush(long offset, long length);

        /** NtUnmapViewOfSection. */
        void close();
    }
}
