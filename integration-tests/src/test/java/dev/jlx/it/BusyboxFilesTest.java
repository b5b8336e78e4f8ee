package dev.jlx.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** busybox applets that read directories and metadata of a host directory tree, against native runs. */
class BusyboxFilesTest {
    /** The tree's parent, which "ls -la" shows as "..": its own, not the host's /tmp, busy and changing. */
    @TempDir
    static Path top;

    static Path dir;

    @BeforeAll
    static void tree() throws Exception {
        dir = top.resolve("tree");
        Files.createDirectories(dir.resolve("src/lib/deep"));
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("src/main.c"), "int main(void) { return 0; }\n");
        Files.writeString(dir.resolve("src/lib/util.c"), "int util(void) { return 1; }\n".repeat(50));
        Files.write(dir.resolve("src/lib/deep/blob.bin"), new byte[12345]);
        Files.writeString(dir.resolve("README"), "read me\n");
        Files.createSymbolicLink(dir.resolve("link-to-readme"), Path.of("README"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("nowhere"));
        Files.setPosixFilePermissions(dir.resolve("README"), PosixFilePermissions.fromString("rw-r-----"));
        FileTime t = FileTime.from(Instant.parse("2024-05-06T07:08:09Z"));
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, t);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls", "ls -a", "ls -la", "ls -lR", "ls -f", "ls -i src", "ls -ld src empty",
        "ls -l link-to-readme dangling", "find .", "find . -type f", "find . -name *.c", "find . -type l",
        "du -s .", "du -a src", "stat -c %n:%s:%F:%a README src link-to-readme", "ls -la missing",
        "stat -f -c %t:%s:%l:%S:%b .", "stat -f missing"})
    void listing(String command) throws Throwable {
        List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
        argv.addAll(List.of(command.split(" ")));
        KnownFailures.check("BusyboxFilesTest", command, () -> Runner.assertSameAsNative(argv, dir, new byte[0]));
    }

    /**
     * Names that are not UTF-8, and NFC beside NFD: busybox creates, lists, stats, reads and removes
     * them, each side in a fresh directory.
     */
    @ParameterizedTest
    @ValueSource(strings = {"busybox ls", "busybox ls -1 | busybox od -c", "busybox stat -c %n:%s *", "busybox cat *",
        "busybox find . -type f | busybox sort | busybox od -c", "for f in *; do busybox cat \"$f\"; done",
        "busybox rm -- *; busybox ls -a"})
    void namesThatAreNotUtf8(String command, @TempDir Path nativeDir, @TempDir Path jlxDir) throws Exception {
        String script = "for n in \"$(printf 'x\\377')\" \"$(printf 'a\\303(b')\" \"$(printf '\\355\\240\\200')\" "
                + "\"$(printf '\\303\\251')\" \"$(printf 'e\\314\\201')\"; do echo \"$n\" > \"$n\"; done; " + command;
        List<String> argv = List.of("/bin/busybox", "sh", "-c", script);
        Result expected = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
        Result.assertSameAs(expected, Jlx.run(argv, Runner.ENV, jlxDir, new byte[0]), command);
    }
}
