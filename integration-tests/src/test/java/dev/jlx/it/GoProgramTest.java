package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static Go program (src/test/go, built at test time with Debian's Go): the Go runtime's threads,
 * futexes, signals, epoll netpoller, os/exec and timers, identical to the native run.
 */
class GoProgramTest {
    static final Path BINARY = Path.of("target", "gobin", "goprogram").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws Exception {
        Files.createDirectories(BINARY.getParent());
        Path cache = Path.of("target", "gocache").toAbsolutePath();
        Result r = Native.run(List.of("go", "build", "-o", BINARY.toString(), "."), Map.of("PATH", "/usr/bin:/bin",
                "CGO_ENABLED", "0", "GOCACHE", cache.toString(), "HOME", cache.toString(), "GOFLAGS", "-mod=mod"),
                Path.of("src", "test", "go").toAbsolutePath(), new byte[0]);
        assertEquals(0, r.status(), "go build failed: " + Result.printable(r.stderr()));
    }

    @Test
    void sameAsNative() throws Exception {
        Runner.assertSameAsNative(List.of(BINARY.toString(), dir.toString()), dir, new byte[0]);
    }
}
