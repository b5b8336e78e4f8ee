package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.PortableHostMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A directory without the case-sensitive flag (one a Windows program made) behaves as Linux's
 * case-insensitive directories (ext4 casefold): a name finds its case-twin, and a create of a twin
 * is EEXIST; a directory the backend makes is case-sensitive.
 */
class CaseInsensitiveTest {
    @TempDir
    static Path temp;

    record Host(String name, HostFiles files, Path dir) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Host> hosts() throws Exception {
        JimfsNtLayer jimfs = new JimfsNtLayer();
        Path j = Files.createDirectories(jimfs.fileSystem().getPath("C:\\insensitive"));
        Path l = Files.createDirectories(temp.resolve("insensitive"));
        return Stream.of(new Host("jimfs", new WindowsBackend(jimfs, PortableHostMemory.PAGES).files(), j),
                new Host("local disk",
                        new WindowsBackend(new LocalDiskNtLayer(Path.of("/")), PortableHostMemory.PAGES).files(), l));
    }

    private static Errno errno(ThrowingCall call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    interface ThrowingCall {
        void run() throws ErrnoException;
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void caseTwinsCollide(Host host) throws Exception {
        HostFiles files = host.files();
        ByteString d = files.hostPath(host.dir());
        ByteString lower = d.child(ByteString.of("name\u00e9"));
        ByteString upper = d.child(ByteString.of("NAME\u00c9"));
        files.open(lower, OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0644).close();
        assertEquals(Errno.EEXIST, errno(() -> files.open(upper, OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0644)));
        assertEquals(Errno.EEXIST, errno(() -> files.mkdir(upper, 0755)));
        assertEquals(Errno.EEXIST, errno(() -> files.symlink("x".getBytes(), upper)));
        assertEquals(files.stat(lower, false).ino(), files.stat(upper, false).ino(), "the twin finds the file");
        files.open(upper, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        assertEquals(1, files.list(d).size(), "O_CREAT without O_EXCL opened the one file");
        files.rename(lower, upper, 0);
        assertEquals(ByteString.of("name\u00e9"), ByteString.of(files.list(d).get(0).name()),
                "renaming a name onto its twin is renaming a file onto itself: nothing changes");
        files.mkdir(d.child(ByteString.of("made")), 0755);
        files.open(d.child(ByteString.of("made/x")), OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0644).close();
        files.open(d.child(ByteString.of("made/X")), OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0644).close();
        assertEquals(2, files.list(d.child(ByteString.of("made"))).size(), "directories jlx makes are case-sensitive");
        files.unlink(upper);
        assertEquals(Errno.ENOENT, errno(() -> files.stat(lower, false)));
    }
}
