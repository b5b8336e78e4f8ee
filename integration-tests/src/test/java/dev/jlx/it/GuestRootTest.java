package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.ExitStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest root that is a host directory: paths, "..", and symlinks (absolute and relative) all stay
 * inside it, as they would inside a chroot. The secret file beside the root must never be read.
 */
class GuestRootTest {
    @TempDir
    Path outer;

    Path root;

    @BeforeEach
    void buildRoot() throws Exception {
        root = Files.createDirectories(outer.resolve("root"));
        Files.writeString(outer.resolve("secret"), "host secret\n");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "guest\n");
        Files.writeString(root.resolve("secret"), "guest file\n");
        Files.createDirectories(root.resolve("home/d"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/secret"));
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../../../../../../secret"));
        Files.createSymbolicLink(root.resolve("home/d/up"), Path.of("../../.."));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    }

    private String cat(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitStatus s = Jlx.machine().root(root).cwd("/home/d").stdout(out).stderr(err).build()
                .run(List.of("/bin/busybox", "cat", path));
        return s.shellStatus() + ":" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/secret", "/../secret", "../../../../secret", "/abs", "/rel", "up/secret",
        "/home/d/up/secret", "/home/d/up/../../secret", "/./bin/../secret"})
    void everyRouteOutEndsAtTheGuestsOwnFile(String path) {
        assertEquals("0:guest file\n", cat(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/secret/", "/etc/hostname/x", "/nonexistent", "/proc/self/exe"})
    void brokenPathsFailAsInAChroot(String path) {
        String r = cat(path);
        assertTrue(r.startsWith("1:cat: can't open '" + path + "': "), r);
        assertTrue(!r.contains("host secret"), r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/loop", "/secret/", "/etc/hostname/x"})
    void errnoIsLinuxs(String path) {
        String expected = switch (path) {
            case "/loop" -> "Too many levels of symbolic links";
            default -> "Not a directory";
        };
        assertTrue(cat(path).contains(expected), cat(path));
    }
}
