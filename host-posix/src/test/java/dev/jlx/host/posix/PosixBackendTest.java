package dev.jlx.host.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackendProvider;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider, console and identity facets of the POSIX backend. */
class PosixBackendTest {
    private final HostBackend backend = HostBackends.get("posix");

    @Test
    void providerIsRegisteredAndAvailableHere() {
        HostBackendProvider provider = ServiceLoader.load(HostBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("posix")).findFirst().orElseThrow();
        assertEquals(Optional.empty(), provider.unavailabilityCause());
        assertEquals("posix", backend.name());
        assertSame(NativePosix.libc(), ((PosixBackend) provider.create()).libc(), "one native binding per JVM");
    }

    @Test
    void consoleQueriesOnAPlainFileAreEnotty(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("plain"), "x");
        HostFile f = backend.files().open(ByteString.of(p.toString()), OpenFlags.O_RDONLY, 0);
        try {
            assertFalse(f.isTerminal());
            assertEquals(Errno.ENOTTY, assertThrows(ErrnoException.class, () -> backend.console().windowSize(f)).errno());
            assertEquals(Errno.ENOTTY, assertThrows(ErrnoException.class, () -> backend.console().attributes(f)).errno());
        } finally {
            f.close();
        }
    }

    @Test
    void identityIsTheHostProcesses() {
        var id = backend.identity();
        assertEquals(NativePosix.posix().getuid(), id.uid());
        assertEquals(NativePosix.posix().getegid(), id.egid());
        assertTrue(id.groups().length >= 0);
        assertFalse(id.hostname().isEmpty());
    }

    @Test
    void plainPathsAreThoseWithoutSymlinks(@TempDir Path dir) throws Exception {
        var files = new PosixBackendProvider().create().files();
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/f"), "x");
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a"));
        Path real = dir.toRealPath();
        assertTrue(files.isPlainPath(ByteString.of(real.resolve("a/b/f").toString())));
        assertFalse(files.isPlainPath(ByteString.of(real.resolve("link/b/f").toString())),
                "a symlink in the middle");
        assertFalse(files.isPlainPath(ByteString.of(real.resolve("link").toString())),
                "a symlink at the end");
        assertFalse(files.isPlainPath(ByteString.of(real.resolve("a/missing").toString())));
        assertFalse(files.isPlainPath(ByteString.of(real.resolve("a/b/f/x").toString())));
    }
}
