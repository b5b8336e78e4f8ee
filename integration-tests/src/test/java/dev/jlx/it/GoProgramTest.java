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
        build("go", BINARY);
    }

    /** Builds the Go module src/test/{@code module} into {@code binary}, static ({@code CGO_ENABLED=0}). */
    static void build(String module, Path binary) throws Exception {
        Files.createDirectories(binary.getParent());
        Path cache = Path.of("target", "gocache").toAbsolutePath();
        Result r = Native.run(List.of("go", "build", "-o", binary.toString(), "."), Map.of("PATH", "/usr/bin:/bin",
                "CGO_ENABLED", "0", "GOCACHE", cache.toString(), "HOME", cache.toString(), "GOFLAGS", "-mod=mod"),
                Path.of("src", "test", module).toAbsolutePath(), new byte[0]);
        assertEquals(0, r.status(), "go build failed: " + Result.printable(r.stderr()));
    }

    @Test
    void sameAsNative() throws Exception {
        Runner.assertSameAsNative(List.of(BINARY.toString(), dir.toString()), dir, new byte[0]);
    }

    /**
     * The go tool itself under jlx, with an empty build cache: it runs the compiler and linker as
     * child processes, each with many threads. The program it builds runs natively as the natively
     * built one does.
     */
    @Test
    void goBuildsAProgram() throws Exception {
        Files.writeString(dir.resolve("go.mod"), "module hello\n\ngo 1.19\n");
        Files.writeString(dir.resolve("main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n");
        List<String> argv = List.of("/usr/lib/go-1.19/bin/go", "build", "-o", "hello", ".");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "CGO_ENABLED", "0", "HOME", dir.toString(),
                "GOCACHE", dir.resolve("cache").toString(), "GOFLAGS", "-mod=mod");
        Result built = Jlx.run(argv, env, dir, new byte[0]);
        assertEquals(0, built.status(), "go build under jlx: " + Result.printable(built.stderr()));
        assertEquals("hello\n", new String(Jlx.run(List.of("./hello"), Map.of(), dir, new byte[0]).stdout()));
        if (!"windows".equals(Jlx.BACKEND)) {
            // The windows backend keeps the mode bits in extended attributes: the host sees no executable.
            Result ran = Native.run(List.of(dir.resolve("hello").toString()), Map.of(), dir, new byte[0]);
            assertEquals("hello\n", new String(ran.stdout()));
        }
    }
}
