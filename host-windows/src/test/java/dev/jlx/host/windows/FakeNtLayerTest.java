package dev.jlx.host.windows;

import static dev.jlx.host.windows.NtLayer.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NTFS rules the fakes keep, on the jimfs one: the backend relies on each. */
class FakeNtLayerTest {
    private final JimfsNtLayer nt = new JimfsNtLayer();

    private long dir() throws NtException {
        long root = nt.openRoot("C:");
        long d = nt.create(root, "t", FILE_LIST_DIRECTORY | FILE_TRAVERSE, FILE_SHARE_ALL, FILE_OPEN_IF,
                FILE_DIRECTORY_FILE, 0, List.of()).handle();
        nt.close(root);
        return d;
    }

    private long open(long dir, String name, int access, int share, int disposition) throws NtException {
        return nt.create(dir, name, access, share, disposition, 0, 0, List.of()).handle();
    }

    private static NtStatus status(NtCall call) {
        return assertThrows(NtException.class, call::run).status();
    }

    interface NtCall {
        void run() throws NtException;
    }

    @Test
    void namesNtfsRefuses() throws Exception {
        long d = dir();
        for (String name : new String[] {"a:b", "a\\b", "a*", "q?", "<", ">", "|", "\"", "x\u0001", "", ".", "..",
                "x".repeat(256)}) {
            assertEquals(NtStatus.OBJECT_NAME_INVALID, status(() -> open(d, name, FILE_READ_DATA, 0, FILE_CREATE)), name);
        }
        for (String name : new String[] {"CON", "trailing.", "trailing ", "a\uF03Ab", "\uDC80"}) {
            nt.close(open(d, name, FILE_READ_DATA, 0, FILE_CREATE));
        }
        nt.close(d);
    }

    @Test
    void shareModesAreChecked() throws Exception {
        long d = dir();
        long a = open(d, "f", FILE_READ_DATA, FILE_SHARE_READ, FILE_CREATE);
        assertEquals(NtStatus.SHARING_VIOLATION, status(() -> open(d, "f", FILE_WRITE_DATA, FILE_SHARE_ALL, FILE_OPEN)));
        assertEquals(NtStatus.SHARING_VIOLATION, status(() -> open(d, "f", DELETE, FILE_SHARE_ALL, FILE_OPEN)));
        nt.close(open(d, "f", FILE_READ_DATA, FILE_SHARE_ALL, FILE_OPEN));
        assertEquals(NtStatus.SHARING_VIOLATION, status(() -> open(d, "F", FILE_READ_DATA, FILE_SHARE_WRITE, FILE_OPEN)),
                "the file's other name by case, the same file");
        nt.close(a);
        nt.close(d);
        assertEquals(NtStatus.INVALID_HANDLE, status(() -> nt.close(d)));
    }

    @Test
    void aDeleteWithoutPosixSemanticsLeavesTheNamePendingUntilTheLastClose() throws Exception {
        long d = dir();
        long keep = open(d, "f", FILE_READ_DATA, FILE_SHARE_ALL, FILE_CREATE);
        long del = open(d, "f", DELETE, FILE_SHARE_ALL, FILE_OPEN);
        nt.setDisposition(del, FILE_DISPOSITION_DELETE);
        nt.close(del);
        assertEquals(NtStatus.DELETE_PENDING, status(() -> open(d, "f", FILE_READ_DATA, FILE_SHARE_ALL, FILE_OPEN)));
        assertEquals(1, nt.queryDirectory(d).size(), "the name is still there");
        nt.close(keep);
        assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, status(() -> open(d, "f", FILE_READ_DATA, FILE_SHARE_ALL, FILE_OPEN)));
        nt.close(d);
    }

    @Test
    void aPosixDeleteFreesTheNameAtItsCloseWhileOthersReadOn() throws Exception {
        long d = dir();
        long keep = open(d, "f", FILE_READ_DATA | FILE_WRITE_DATA, FILE_SHARE_ALL, FILE_CREATE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(2);
            m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'o');
            m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 1, (byte) 'k');
            assertEquals(2, nt.write(keep, m, 0));
            long del = open(d, "f", DELETE, FILE_SHARE_ALL, FILE_OPEN);
            nt.setDisposition(del, FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS);
            nt.close(del);
            nt.close(open(d, "f", FILE_READ_DATA, FILE_SHARE_ALL, FILE_CREATE));
            MemorySegment in = arena.allocate(2);
            assertEquals(2, nt.read(keep, in, 0));
            assertEquals('k', (char) in.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 1));
            assertEquals(0, nt.queryStandard(keep).numberOfLinks());
            assertEquals(true, nt.queryStandard(keep).deletePending());
        }
        nt.close(keep);
        nt.close(d);
    }

    @Test
    void aRenameNeedsDeleteAccessAndReplacesOnlyWhenAsked() throws Exception {
        long d = dir();
        long a = open(d, "a", FILE_READ_DATA, FILE_SHARE_ALL, FILE_CREATE);
        nt.close(open(d, "b", FILE_READ_DATA, FILE_SHARE_ALL, FILE_CREATE));
        assertEquals(NtStatus.ACCESS_DENIED, status(() -> nt.rename(a, d, "c", 0)));
        long ad = open(d, "a", DELETE, FILE_SHARE_ALL, FILE_OPEN);
        assertEquals(NtStatus.OBJECT_NAME_COLLISION, status(() -> nt.rename(ad, d, "b", 0)));
        long bOpen = open(d, "b", FILE_READ_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN);
        assertEquals(NtStatus.SHARING_VIOLATION, status(() -> nt.rename(ad, d, "b",
                FILE_RENAME_REPLACE_IF_EXISTS | FILE_RENAME_POSIX_SEMANTICS)), "b's opener did not share delete");
        nt.close(bOpen);
        nt.rename(ad, d, "b", FILE_RENAME_REPLACE_IF_EXISTS);
        assertEquals(List.of("b"), nt.queryDirectory(d).stream().map(DirEntry::name).toList());
        nt.close(ad);
        nt.close(a);
        nt.close(d);
    }

    /** NTFS renames no directory while a file under it is open. */
    @Test
    void noRenameOfADirectoryWithAnOpenFileInside() throws Exception {
        long d = dir();
        long sub = nt.create(d, "sub", DELETE | FILE_LIST_DIRECTORY, FILE_SHARE_ALL, FILE_CREATE, FILE_DIRECTORY_FILE, 0,
                List.of()).handle();
        long f = open(sub, "f", FILE_READ_DATA, FILE_SHARE_ALL, FILE_CREATE);
        assertEquals(NtStatus.ACCESS_DENIED, status(() -> nt.rename(sub, d, "moved", 0)));
        nt.close(f);
        nt.rename(sub, d, "moved", 0);
        nt.close(sub);
        nt.close(d);
    }

    @Test
    void eaNamesAreUpperCasedAndEmptyValuesDelete() throws Exception {
        long d = dir();
        long f = open(d, "f", FILE_READ_EA | FILE_WRITE_EA, FILE_SHARE_ALL, FILE_CREATE);
        nt.setEa(f, List.of(new Ea("lx.user.x", new byte[] {1})));
        assertEquals("LX.USER.X", nt.queryEa(f).getFirst().name());
        nt.setEa(f, List.of(new Ea("LX.USER.X", new byte[0])));
        assertEquals(List.of(), nt.queryEa(f));
        assertEquals(NtStatus.EA_TOO_LARGE, status(() -> nt.setEa(f, List.of(new Ea("BIG", new byte[70_000])))));
        nt.close(f);
        nt.close(d);
    }
}
