package dev.jlx.host.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NT layer on Windows: ntdll's file calls through FFM, x64 layouts as the WDK headers and
 * MS-FSCC give them (offsets in the comments). Every handle it opens is synchronous
 * (SYNCHRONIZE and FILE_SYNCHRONOUS_IO_NONALERT), so no call returns STATUS_PENDING; reads and
 * writes name their offsets. Paths are NT paths: a volume's root is {@code \??\C:\}, every other name
 * one component relative to a directory handle, looked up with OBJ_CASE_INSENSITIVE (a directory's
 * case-sensitive flag overrides it, which is how NTFS serves WSL).
 *
 * <p>Not run yet: written against the documentation on a Linux machine, where ntdll does not exist.
 */
public final class Win32NtLayer implements NtLayer {
    /** FILE_INFORMATION_CLASS (wdm.h). */
    private static final int FILE_BASIC_INFORMATION = 4;
    private static final int FILE_STANDARD_INFORMATION = 5;
    private static final int FILE_ALLOCATION_INFORMATION = 19;
    private static final int FILE_END_OF_FILE_INFORMATION = 20;
    private static final int FILE_ID_FULL_DIRECTORY_INFORMATION = 38;
    private static final int FILE_ID_INFORMATION = 59;
    private static final int FILE_DISPOSITION_INFORMATION_EX = 64;
    private static final int FILE_RENAME_INFORMATION_EX = 65;
    private static final int FILE_CASE_SENSITIVE_INFORMATION = 71;
    private static final int FILE_LINK_INFORMATION_EX = 72;
    /** FS_INFORMATION_CLASS (wdm.h). */
    private static final int FILE_FS_VOLUME_INFORMATION = 1;
    private static final int FILE_FS_ATTRIBUTE_INFORMATION = 5;
    private static final int FILE_FS_FULL_SIZE_INFORMATION = 7;
    /** FSCTL codes (winioctl.h): CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 41/42/43, METHOD_BUFFERED, FILE_SPECIAL_ACCESS/ANY). */
    private static final int FSCTL_SET_REPARSE_POINT = 0x000900A4;
    private static final int FSCTL_GET_REPARSE_POINT = 0x000900A8;
    private static final int FSCTL_DELETE_REPARSE_POINT = 0x000900AC;
    /** MAXIMUM_REPARSE_DATA_BUFFER_SIZE. */
    private static final int MAX_REPARSE = 16 * 1024;
    /** OBJECT_ATTRIBUTES.Attributes: OBJ_CASE_INSENSITIVE. */
    private static final int OBJ_CASE_INSENSITIVE = 0x40;
    /** One read or write moves at most this much (ULONG lengths). */
    private static final int MAX_IO = 1 << 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private final MethodHandle ntCreateFile;
    private final MethodHandle ntClose;
    private final MethodHandle ntQueryInformationFile;
    private final MethodHandle ntSetInformationFile;
    private final MethodHandle ntQueryEaFile;
    private final MethodHandle ntSetEaFile;
    private final MethodHandle ntFsControlFile;
    private final MethodHandle ntQueryDirectoryFile;
    private final MethodHandle ntReadFile;
    private final MethodHandle ntWriteFile;
    private final MethodHandle ntFlushBuffersFile;
    private final MethodHandle ntQueryVolumeInformationFile;
    private final MethodHandle ntCreateSection;
    private final MethodHandle ntMapViewOfSection;
    private final MethodHandle ntUnmapViewOfSection;
    private final MethodHandle ntFlushVirtualMemory;

    public Win32NtLayer() {
        SymbolLookup ntdll = SymbolLookup.libraryLookup("ntdll", Arena.global());
        // NTSTATUS NtCreateFile(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK, PLARGE_INTEGER AllocationSize,
        //     ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength);
        ntCreateFile = fn(ntdll, "NtCreateFile", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, JAVA_INT);
        // NTSTATUS NtClose(HANDLE);
        ntClose = fn(ntdll, "NtClose", ADDRESS);
        // NTSTATUS NtQueryInformationFile(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG Length, FILE_INFORMATION_CLASS); and NtSet...
        ntQueryInformationFile = fn(ntdll, "NtQueryInformationFile", ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);
        ntSetInformationFile = fn(ntdll, "NtSetInformationFile", ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);
        // NTSTATUS NtQueryEaFile(HANDLE, PIO_STATUS_BLOCK, PVOID Buffer, ULONG Length, BOOLEAN ReturnSingleEntry,
        //     PVOID EaList, ULONG EaListLength, PULONG EaIndex, BOOLEAN RestartScan);
        ntQueryEaFile = fn(ntdll, "NtQueryEaFile", ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_BYTE, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_BYTE);
        // NTSTATUS NtSetEaFile(HANDLE, PIO_STATUS_BLOCK, PVOID Buffer, ULONG Length);
        ntSetEaFile = fn(ntdll, "NtSetEaFile", ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        // NTSTATUS NtFsControlFile(HANDLE, HANDLE Event, PIO_APC_ROUTINE, PVOID ApcContext, PIO_STATUS_BLOCK,
        //     ULONG FsControlCode, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength);
        ntFsControlFile = fn(ntdll, "NtFsControlFile", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, ADDRESS, JAVA_INT);
        // NTSTATUS NtQueryDirectoryFile(HANDLE, HANDLE Event, PIO_APC_ROUTINE, PVOID ApcContext, PIO_STATUS_BLOCK,
        //     PVOID FileInformation, ULONG Length, FILE_INFORMATION_CLASS, BOOLEAN ReturnSingleEntry,
        //     PUNICODE_STRING FileName, BOOLEAN RestartScan);
        ntQueryDirectoryFile = fn(ntdll, "NtQueryDirectoryFile", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_BYTE, ADDRESS, JAVA_BYTE);
        // NTSTATUS NtReadFile(HANDLE, HANDLE Event, PIO_APC_ROUTINE, PVOID ApcContext, PIO_STATUS_BLOCK, PVOID Buffer,
        //     ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key); NtWriteFile the same.
        ntReadFile = fn(ntdll, "NtReadFile", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        ntWriteFile = fn(ntdll, "NtWriteFile", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        // NTSTATUS NtFlushBuffersFile(HANDLE, PIO_STATUS_BLOCK);
        ntFlushBuffersFile = fn(ntdll, "NtFlushBuffersFile", ADDRESS, ADDRESS);
        // NTSTATUS NtQueryVolumeInformationFile(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG Length, FS_INFORMATION_CLASS);
        ntQueryVolumeInformationFile = fn(ntdll, "NtQueryVolumeInformationFile", ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
                JAVA_INT);
        // NTSTATUS NtCreateSection(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PLARGE_INTEGER MaximumSize,
        //     ULONG SectionPageProtection, ULONG AllocationAttributes, HANDLE FileHandle);
        ntCreateSection = fn(ntdll, "NtCreateSection", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
        // NTSTATUS NtMapViewOfSection(HANDLE Section, HANDLE Process, PVOID *BaseAddress, ULONG_PTR ZeroBits,
        //     SIZE_T CommitSize, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize, SECTION_INHERIT, ULONG AllocationType,
        //     ULONG Win32Protect);
        ntMapViewOfSection = fn(ntdll, "NtMapViewOfSection", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);
        // NTSTATUS NtUnmapViewOfSection(HANDLE Process, PVOID BaseAddress);
        ntUnmapViewOfSection = fn(ntdll, "NtUnmapViewOfSection", ADDRESS, ADDRESS);
        // NTSTATUS NtFlushVirtualMemory(HANDLE Process, PVOID *BaseAddress, PSIZE_T RegionSize, PIO_STATUS_BLOCK);
        ntFlushVirtualMemory = fn(ntdll, "NtFlushVirtualMemory", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    }

    private static MethodHandle fn(SymbolLookup lib, String name, ValueLayout... args) {
        return LINKER.downcallHandle(lib.findOrThrow(name), FunctionDescriptor.of(JAVA_INT, args));
    }

    private static void check(int status) throws NtException {
        if (!NtStatus.isSuccess(status)) {
            throw new NtException(status);
        }
    }

    private static MemorySegment handle(long h) {
        return MemorySegment.ofAddress(h);
    }

    /** IO_STATUS_BLOCK: Status (or Pointer) at 0, ULONG_PTR Information at 8. */
    private static MemorySegment iosb(Arena arena) {
        return arena.allocate(16, 8);
    }

    /** A UNICODE_STRING: USHORT Length and MaximumLength (bytes, no NUL), PWSTR Buffer at 8. */
    private static MemorySegment unicode(Arena arena, String s) {
        byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
        MemorySegment buf = arena.allocate(utf16.length + 2, 2);
        MemorySegment.copy(utf16, 0, buf, JAVA_BYTE, 0, utf16.length);
        MemorySegment us = arena.allocate(16, 8);
        us.set(JAVA_SHORT, 0, (short) utf16.length);
        us.set(JAVA_SHORT, 2, (short) utf16.length);
        us.set(ADDRESS, 8, buf);
        return us;
    }

    /**
     * OBJECT_ATTRIBUTES (48 bytes): ULONG Length at 0, HANDLE RootDirectory at 8, PUNICODE_STRING ObjectName
     * at 16, ULONG Attributes at 24, PVOID SecurityDescriptor at 32, PVOID SecurityQualityOfService at 40.
     */
    private static MemorySegment objectAttributes(Arena arena, long root, String name) {
        MemorySegment oa = arena.allocate(48, 8);
        oa.set(JAVA_INT, 0, 48);
        oa.set(ADDRESS, 8, handle(root));
        oa.set(ADDRESS, 16, unicode(arena, name));
        oa.set(JAVA_INT, 24, OBJ_CASE_INSENSITIVE);
        return oa;
    }

    /**
     * FILE_FULL_EA_INFORMATION entries (MS-FSCC 2.4.15): ULONG NextEntryOffset, UCHAR Flags, UCHAR
     * EaNameLength, USHORT EaValueLength, the name, its NUL, the value; each entry 4-byte aligned.
     */
    static MemorySegment eaBuffer(Arena arena, List<Ea> eas) {
        int total = 0;
        for (Ea ea : eas) {
            total += (8 + ea.name().length() + 1 + ea.value().length + 3) & ~3;
        }
        MemorySegment b = arena.allocate(Math.max(total, 4), 4);
        int at = 0;
        for (int i = 0; i < eas.size(); i++) {
            Ea ea = eas.get(i);
            byte[] name = ea.name().getBytes(StandardCharsets.US_ASCII);
            int size = (8 + name.length + 1 + ea.value().length + 3) & ~3;
            b.set(JAVA_INT, at, i == eas.size() - 1 ? 0 : size);
            b.set(JAVA_BYTE, at + 4, (byte) 0);
            b.set(JAVA_BYTE, at + 5, (byte) name.length);
            b.set(JAVA_SHORT, at + 6, (short) ea.value().length);
            MemorySegment.copy(name, 0, b, JAVA_BYTE, at + 8, name.length);
            MemorySegment.copy(ea.value(), 0, b, JAVA_BYTE, at + 8 + name.length + 1, ea.value().length);
            at += size;
        }
        return b;
    }

    /** The entries of a FILE_FULL_EA_INFORMATION list. */
    static List<Ea> parseEas(MemorySegment b) {
        List<Ea> out = new ArrayList<>();
        long at = 0;
        while (true) {
            int next = b.get(JAVA_INT, at);
            int nameLength = b.get(JAVA_BYTE, at + 5) & 0xff;
            int valueLength = b.get(JAVA_SHORT, at + 6) & 0xffff;
            String name = new String(b.asSlice(at + 8, nameLength).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
            byte[] value = b.asSlice(at + 8 + nameLength + 1, valueLength).toArray(JAVA_BYTE);
            out.add(new Ea(name, value));
            if (next == 0) {
                return out;
            }
            at += next;
        }
    }

    private Opened open(long root, String name, int access, int share, int disposition, int options, int attributes,
            List<Ea> eas) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment io = iosb(arena);
            MemorySegment ea = eas.isEmpty() ? MemorySegment.NULL : eaBuffer(arena, eas);
            int status = (int) ntCreateFile.invokeExact(out, access | SYNCHRONIZE, objectAttributes(arena, root, name), io,
                    MemorySegment.NULL, attributes, share, disposition, options | FILE_SYNCHRONOUS_IO_NONALERT, ea,
                    eas.isEmpty() ? 0 : (int) ea.byteSize());
            check(status);
            return new Opened(out.get(ADDRESS, 0).address(), (int) io.get(JAVA_LONG, 8));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public java.nio.file.Path nativeRoot(String volume) {
        return java.nio.file.Path.of(volume + "\\");
    }

    @Override
    public long openRoot(String volume) throws NtException {
        String path = "\\??\\" + volume + "\\";
        int access = FILE_LIST_DIRECTORY | FILE_TRAVERSE | FILE_READ_ATTRIBUTES | FILE_READ_EA;
        int options = FILE_DIRECTORY_FILE | FILE_OPEN_FOR_BACKUP_INTENT;
        try {
            return open(0, path, access | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA, FILE_SHARE_ALL, FILE_OPEN, options, 0,
                    List.of()).handle();
        } catch (NtException e) {
            if (e.status() != NtStatus.ACCESS_DENIED) {
                throw e;
            }
            // A volume root jlx's user may only look at.
            return open(0, path, access, FILE_SHARE_ALL, FILE_OPEN, options, 0, List.of()).handle();
        }
    }

    @Override
    public boolean drives() {
        return true;
    }

    @Override
    public Opened create(long parent, String name, int access, int share, int disposition, int options, int attributes,
            List<Ea> eas) throws NtException {
        return open(parent, name, access, share, disposition, options, attributes, eas);
    }

    @Override
    public long reopen(long h, int access) throws NtException {
        return open(h, "", access, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT, 0, List.of()).handle();
    }

    @Override
    public void close(long h) throws NtException {
        try {
            check((int) ntClose.invokeExact(handle(h)));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private interface Fill {
        void fill(MemorySegment info);
    }

    private MemorySegment query(Arena arena, long h, int infoClass, int size) throws NtException {
        MemorySegment info = arena.allocate(size, 8);
        try {
            check((int) ntQueryInformationFile.invokeExact(handle(h), iosb(arena), info, size, infoClass));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return info;
    }

    private void set(long h, int infoClass, int size, Fill fill) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(size, 8);
            fill.fill(info);
            check((int) ntSetInformationFile.invokeExact(handle(h), iosb(arena), info, size, infoClass));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** FILE_BASIC_INFORMATION: four LARGE_INTEGER times at 0, 8, 16, 24; ULONG FileAttributes at 32; 40 bytes. */
    @Override
    public BasicInfo queryBasic(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment i = query(arena, h, FILE_BASIC_INFORMATION, 40);
            return new BasicInfo(i.get(JAVA_LONG, 0), i.get(JAVA_LONG, 8), i.get(JAVA_LONG, 16), i.get(JAVA_LONG, 24),
                    i.get(JAVA_INT, 32));
        }
    }

    @Override
    public void setBasic(long h, BasicInfo b) throws NtException {
        set(h, FILE_BASIC_INFORMATION, 40, i -> {
            i.set(JAVA_LONG, 0, b.creationTime());
            i.set(JAVA_LONG, 8, b.lastAccessTime());
            i.set(JAVA_LONG, 16, b.lastWriteTime());
            i.set(JAVA_LONG, 24, b.changeTime());
            i.set(JAVA_INT, 32, b.attributes());
        });
    }

    /** FILE_STANDARD_INFORMATION: AllocationSize 0, EndOfFile 8, ULONG NumberOfLinks 16, BOOLEAN DeletePending 20, Directory 21. */
    @Override
    public StandardInfo queryStandard(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment i = query(arena, h, FILE_STANDARD_INFORMATION, 24);
            return new StandardInfo(i.get(JAVA_LONG, 0), i.get(JAVA_LONG, 8), i.get(JAVA_INT, 16), i.get(JAVA_BYTE, 20) != 0,
                    i.get(JAVA_BYTE, 21) != 0);
        }
    }

    /** FILE_ID_INFORMATION: ULONGLONG VolumeSerialNumber 0, FILE_ID_128 FileId 8 (NTFS: its low 64 bits). */
    @Override
    public IdInfo queryId(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment i = query(arena, h, FILE_ID_INFORMATION, 24);
            return new IdInfo(i.get(JAVA_LONG, 0), i.get(JAVA_LONG, 8));
        }
    }

    /** FILE_DISPOSITION_INFORMATION_EX: ULONG Flags. */
    @Override
    public void setDisposition(long h, int flags) throws NtException {
        set(h, FILE_DISPOSITION_INFORMATION_EX, 4, i -> i.set(JAVA_INT, 0, flags));
    }

    /**
     * FILE_RENAME_INFORMATION_EX and FILE_LINK_INFORMATION_EX: ULONG Flags at 0, HANDLE RootDirectory at 8,
     * ULONG FileNameLength (bytes) at 16, WCHAR FileName at 20.
     */
    private void nameInfo(long h, int infoClass, long dir, String name, int flags) throws NtException {
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        set(h, infoClass, 24 + utf16.length, i -> {
            i.set(JAVA_INT, 0, flags);
            i.set(ADDRESS, 8, handle(dir));
            i.set(JAVA_INT, 16, utf16.length);
            MemorySegment.copy(utf16, 0, i, JAVA_BYTE, 20, utf16.length);
        });
    }

    @Override
    public void rename(long h, long targetDirectory, String name, int flags) throws NtException {
        nameInfo(h, FILE_RENAME_INFORMATION_EX, targetDirectory, name, flags);
    }

    @Override
    public void link(long h, long targetDirectory, String name, int flags) throws NtException {
        nameInfo(h, FILE_LINK_INFORMATION_EX, targetDirectory, name, flags);
    }

    /** FILE_CASE_SENSITIVE_INFORMATION: ULONG Flags. */
    @Override
    public int queryCaseSensitive(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            return query(arena, h, FILE_CASE_SENSITIVE_INFORMATION, 4).get(JAVA_INT, 0);
        }
    }

    @Override
    public void setCaseSensitive(long h, int flags) throws NtException {
        set(h, FILE_CASE_SENSITIVE_INFORMATION, 4, i -> i.set(JAVA_INT, 0, flags));
    }

    /** FILE_END_OF_FILE_INFORMATION: LARGE_INTEGER. */
    @Override
    public void setEndOfFile(long h, long size) throws NtException {
        set(h, FILE_END_OF_FILE_INFORMATION, 8, i -> i.set(JAVA_LONG, 0, size));
    }

    /** FILE_ALLOCATION_INFORMATION: LARGE_INTEGER. */
    @Override
    public void setAllocation(long h, long size) throws NtException {
        set(h, FILE_ALLOCATION_INFORMATION, 8, i -> i.set(JAVA_LONG, 0, size));
    }

    @Override
    public List<Ea> queryEa(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            // An NTFS file holds at most 64 KiB of EAs: one call with room for all of them.
            MemorySegment buf = arena.allocate(65_536 + 4096, 4);
            int status = (int) ntQueryEaFile.invokeExact(handle(h), iosb(arena), buf, (int) buf.byteSize(), (byte) 0,
                    MemorySegment.NULL, 0, MemorySegment.NULL, (byte) 1);
            if (status == NtStatus.NO_EAS_ON_FILE.code() || status == NtStatus.NO_MORE_EAS.code()) {
                return List.of();
            }
            check(status);
            return parseEas(buf);
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void setEa(long h, List<Ea> eas) throws NtException {
        if (eas.isEmpty()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = eaBuffer(arena, eas);
            check((int) ntSetEaFile.invokeExact(handle(h), iosb(arena), b, (int) b.byteSize()));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int fsControl(Arena arena, long h, int code, MemorySegment in, MemorySegment out) throws Throwable {
        return (int) ntFsControlFile.invokeExact(handle(h), MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL,
                iosb(arena), code, in, (int) in.byteSize(), out, (int) out.byteSize());
    }

    /** REPARSE_DATA_BUFFER: ULONG ReparseTag 0, USHORT ReparseDataLength 4, USHORT Reserved 6, data at 8. */
    @Override
    public Reparse getReparse(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(MAX_REPARSE, 4);
            check(fsControl(arena, h, FSCTL_GET_REPARSE_POINT, MemorySegment.NULL, out));
            int length = out.get(JAVA_SHORT, 4) & 0xffff;
            return new Reparse(out.get(JAVA_INT, 0), out.asSlice(8, length).toArray(JAVA_BYTE));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void setReparse(long h, Reparse reparse) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(8 + reparse.data().length, 4);
            in.set(JAVA_INT, 0, reparse.tag());
            in.set(JAVA_SHORT, 4, (short) reparse.data().length);
            MemorySegment.copy(reparse.data(), 0, in, JAVA_BYTE, 8, reparse.data().length);
            check(fsControl(arena, h, FSCTL_SET_REPARSE_POINT, in, MemorySegment.NULL));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void deleteReparse(long h, int tag) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            // REPARSE_DATA_BUFFER_HEADER_SIZE bytes: the tag, a data length of 0.
            MemorySegment in = arena.allocate(8, 4);
            in.set(JAVA_INT, 0, tag);
            check(fsControl(arena, h, FSCTL_DELETE_REPARSE_POINT, in, MemorySegment.NULL));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * FILE_ID_FULL_DIR_INFORMATION entries: ULONG NextEntryOffset 0, FileIndex 4, four times 8-32, EndOfFile 40,
     * AllocationSize 48, ULONG FileAttributes 56, FileNameLength 60, EaSize 64 (the reparse tag of a reparse point),
     * LARGE_INTEGER FileId 72, WCHAR FileName 80.
     */
    @Override
    public List<DirEntry> queryDirectory(long h) throws NtException {
        List<DirEntry> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64 * 1024, 8);
            for (boolean restart = true; ; restart = false) {
                int status = (int) ntQueryDirectoryFile.invokeExact(handle(h), MemorySegment.NULL, MemorySegment.NULL,
                        MemorySegment.NULL, iosb(arena), buf, (int) buf.byteSize(), FILE_ID_FULL_DIRECTORY_INFORMATION,
                        (byte) 0, MemorySegment.NULL, (byte) (restart ? 1 : 0));
                if (status == NtStatus.NO_MORE_FILES.code()) {
                    return out;
                }
                check(status);
                long at = 0;
                while (true) {
                    int next = buf.get(JAVA_INT, at);
                    int attributes = buf.get(JAVA_INT, at + 56);
                    int nameLength = buf.get(JAVA_INT, at + 60);
                    int eaSize = buf.get(JAVA_INT, at + 64);
                    long fileId = buf.get(JAVA_LONG, at + 72);
                    String name = new String(buf.asSlice(at + 80, nameLength).toArray(JAVA_BYTE), StandardCharsets.UTF_16LE);
                    if (!name.equals(".") && !name.equals("..")) {
                        out.add(new DirEntry(name, attributes, fileId,
                                (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0 ? eaSize : 0));
                    }
                    if (next == 0) {
                        break;
                    }
                    at += next;
                }
            }
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int transfer(MethodHandle call, long h, MemorySegment buffer, long offset, boolean write) throws NtException {
        int length = (int) Math.min(buffer.byteSize(), MAX_IO);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment native_ = buffer.isNative() ? buffer : arena.allocate(length);
            if (write && !buffer.isNative()) {
                MemorySegment.copy(buffer, 0, native_, 0, length);
            }
            MemorySegment at = arena.allocate(JAVA_LONG);
            at.set(JAVA_LONG, 0, offset);
            MemorySegment io = iosb(arena);
            int status = (int) call.invokeExact(handle(h), MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, io,
                    native_, length, at, MemorySegment.NULL);
            if (!write && status == NtStatus.END_OF_FILE.code()) {
                return 0;
            }
            check(status);
            int n = (int) io.get(JAVA_LONG, 8);
            if (!write && !buffer.isNative()) {
                MemorySegment.copy(native_, 0, buffer, 0, n);
            }
            return n;
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public int read(long h, MemorySegment dst, long offset) throws NtException {
        return transfer(ntReadFile, h, dst, offset, false);
    }

    @Override
    public int write(long h, MemorySegment src, long offset) throws NtException {
        return transfer(ntWriteFile, h, src, offset, true);
    }

    @Override
    public void flush(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            check((int) ntFlushBuffersFile.invokeExact(handle(h), iosb(arena)));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private MemorySegment volumeQuery(Arena arena, long h, int infoClass, int size) throws Throwable {
        MemorySegment info = arena.allocate(size, 8);
        check((int) ntQueryVolumeInformationFile.invokeExact(handle(h), iosb(arena), info, size, infoClass));
        return info;
    }

    /**
     * FILE_FS_FULL_SIZE_INFORMATION: TotalAllocationUnits 0, CallerAvailableAllocationUnits 8,
     * ActualAvailableAllocationUnits 16, ULONG SectorsPerAllocationUnit 24, BytesPerSector 28.
     * FILE_FS_VOLUME_INFORMATION: ULONG VolumeSerialNumber at 8. FILE_FS_ATTRIBUTE_INFORMATION: ULONG
     * FileSystemAttributes 0, LONG MaximumComponentNameLength 4, ULONG FileSystemNameLength 8, WCHAR name 12.
     */
    @Override
    public VolumeInfo queryVolume(long h) throws NtException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = volumeQuery(arena, h, FILE_FS_FULL_SIZE_INFORMATION, 32);
            MemorySegment volume = volumeQuery(arena, h, FILE_FS_VOLUME_INFORMATION, 24 + 2 * 64);
            MemorySegment attrs = volumeQuery(arena, h, FILE_FS_ATTRIBUTE_INFORMATION, 12 + 2 * 64);
            int nameLength = Math.min(attrs.get(JAVA_INT, 8), 2 * 64);
            String fsName = new String(attrs.asSlice(12, nameLength).toArray(JAVA_BYTE), StandardCharsets.UTF_16LE);
            return new VolumeInfo(Integer.toUnsignedLong(volume.get(JAVA_INT, 8)), size.get(JAVA_LONG, 0),
                    size.get(JAVA_LONG, 8), size.get(JAVA_LONG, 16), size.get(JAVA_INT, 24), size.get(JAVA_INT, 28), fsName,
                    attrs.get(JAVA_INT, 4), attrs.get(JAVA_INT, 0));
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final int SECTION_QUERY = 0x1;
    private static final int SECTION_MAP_WRITE = 0x2;
    private static final int SECTION_MAP_READ = 0x4;
    private static final int PAGE_READONLY = 0x02;
    private static final int PAGE_READWRITE = 0x04;
    private static final int SEC_COMMIT = 0x8000000;
    /** SECTION_INHERIT's ViewUnmap: the view is not handed to child processes. */
    private static final int VIEW_UNMAP = 2;
    /** NtCurrentProcess(). */
    private static final MemorySegment CURRENT_PROCESS = MemorySegment.ofAddress(-1L);

    @Override
    public View mapView(long h, long offset, long length, boolean writable) throws NtException {
        long size = Math.min(length, queryStandard(h).endOfFile() - offset);
        if (size <= 0) {
            throw new NtException(NtStatus.INVALID_PARAMETER);
        }
        long base;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment section = arena.allocate(ADDRESS);
            int protect = writable ? PAGE_READWRITE : PAGE_READONLY;
            check((int) ntCreateSection.invokeExact(section, SECTION_QUERY | SECTION_MAP_READ
                    | (writable ? SECTION_MAP_WRITE : 0), MemorySegment.NULL, MemorySegment.NULL, protect, SEC_COMMIT,
                    handle(h)));
            MemorySegment sectionHandle = section.get(ADDRESS, 0);
            try {
                MemorySegment at = arena.allocate(ADDRESS);
                MemorySegment sectionOffset = arena.allocate(JAVA_LONG);
                sectionOffset.set(JAVA_LONG, 0, offset);
                MemorySegment viewSize = arena.allocate(JAVA_LONG);
                viewSize.set(JAVA_LONG, 0, size);
                check((int) ntMapViewOfSection.invokeExact(sectionHandle, CURRENT_PROCESS, at, 0L, 0L, sectionOffset,
                        viewSize, VIEW_UNMAP, 0, protect));
                base = at.get(ADDRESS, 0).address();
            } finally {
                // The view keeps the section; its handle is not needed any more.
                int ignored = (int) ntClose.invokeExact(sectionHandle);
            }
        } catch (NtException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return new View() {
            @Override
            public long address() {
                return base;
            }

            @Override
            public void flush(long at, long n) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment address = arena.allocate(ADDRESS);
                    address.set(ADDRESS, 0, MemorySegment.ofAddress(base + at));
                    MemorySegment region = arena.allocate(JAVA_LONG);
                    region.set(JAVA_LONG, 0, n);
                    int ignored = (int) ntFlushVirtualMemory.invokeExact(CURRENT_PROCESS, address, region, iosb(arena));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }

            @Override
            public void close() {
                try {
                    int ignored = (int) ntUnmapViewOfSection.invokeExact(CURRENT_PROCESS, MemorySegment.ofAddress(base));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        };
    }
}
