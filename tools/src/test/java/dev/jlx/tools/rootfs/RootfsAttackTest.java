package dev.jlx.tools.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Archives that try to write outside the root: by name, through symlinks (their own or a chain), through
 * hard links, and through attributes set late. Every one leaves the temporary directory around the root
 * exactly as it was; what the archive may have, it gets inside the root.
 */
class RootfsAttackTest {
    static final String PWNED = "pwned\n";

    /**
     * One malicious archive, built for the absolute path of the temporary directory, the entries it must
     * skip, and where inside the root its write lands (null: nowhere to check).
     */
    record Attack(String name, Function<String, TestArchive> archive, int skipped, Function<String, String> landsAt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Attack refused(String name, int skipped, Function<String, TestArchive> archive) {
        return new Attack(name, archive, skipped, null);
    }

    static Attack redirected(String name, Function<String, String> landsAt, Function<String, TestArchive> archive) {
        return new Attack(name, archive, 0, landsAt);
    }

    static TestArchive a() {
        return new TestArchive();
    }

    static Stream<Attack> attacks() {
        String longName = "a/" + "x".repeat(120) + "/../../../victim/passwd";
        return Stream.of(
                refused("an absolute name", 1, o -> a().file(o + "/victim/passwd", PWNED)),
                refused("a name starting with ..", 1, o -> a().file("../victim/passwd", PWNED)),
                refused("a name with .. inside", 1, o -> a().file("etc/../../victim/passwd", PWNED)),
                refused("./ then ..", 1, o -> a().file("./../victim/passwd", PWNED)),
                refused("a long (pax) name with ..", 1, o -> a().file(longName, PWNED)),
                redirected("a symlink to an outside directory, then a file through it", o -> o + "/victim/passwd",
                        o -> a().symlink("lib", o + "/victim").file("lib/passwd", PWNED)),
                redirected("a relative symlink climbing out, then a file through it", o -> "/victim/passwd",
                        o -> a().symlink("lib", "../../../victim").file("lib/passwd", PWNED)),
                redirected("a chain of symlinks out", o -> o + "/victim/passwd",
                        o -> a().symlink("a", "b").symlink("b", "./c").symlink("c", o + "/victim").file("a/passwd", PWNED)),
                refused("a symlink loop", 1, o -> a().symlink("l1", "l2").symlink("l2", "l1").file("l1/passwd", PWNED)),
                redirected("a symlink to an outside file, then a file of its name", o -> "/passwd",
                        o -> a().symlink("passwd", o + "/victim/passwd").file("passwd", PWNED)),
                redirected("a symlink to /, then a symlink out made through it", o -> o + "/victim/passwd",
                        o -> a().symlink("up", "/").symlink("up/out", o + "/victim").file("out/passwd", PWNED)),
                redirected("a directory entry over a symlink out", o -> "/etc/passwd",
                        o -> a().symlink("etc", o + "/victim").dir("etc/", 0777).file("etc/passwd", PWNED)),
                refused("a symlink out replacing a directory whose attributes are pending", 0,
                        o -> a().owner(4242, 4242).mtime(0).dir("d/", 0777).symlink("d", o + "/victim")),
                refused("a hard link to an absolute name", 1, o -> a().hardLink("h", o + "/victim/passwd")),
                refused("a hard link with ..", 1, o -> a().hardLink("h", "../victim/passwd")),
                refused("a hard link through a symlink out", 1,
                        o -> a().symlink("lib", o + "/victim").hardLink("h", "lib/passwd")),
                refused("jlx's own directory", 2,
                        o -> a().symlink(".jlx", o + "/victim").file(".jlx/owners", PWNED)));
    }

    /**
     * Each attack with owners recorded, and with owners as this process sets them (chown when root), on
     * the POSIX backend and on the Windows one (over its fake NT layer on the local disk).
     */
    static Stream<Arguments> cases() {
        return attacks().flatMap(a -> Stream.of("posix", "windows").flatMap(
                b -> Stream.of(Arguments.of(a, true, b), Arguments.of(a, false, b))));
    }

    @TempDir
    Path outer;

    @ParameterizedTest(name = "{0}, owners recorded: {1}, {2}")
    @MethodSource("cases")
    void nothingOutsideTheRootChanges(Attack attack, boolean recordOwners, String backend) throws Exception {
        Path root = Files.createDirectory(outer.resolve("root"));
        Files.createDirectory(outer.resolve("victim"));
        Files.writeString(outer.resolve("victim/passwd"), "secret\n");
        Path tarball = TestArchive.write(outer, "attack.tar", attack.archive().apply(outer.toString()).tar());
        Map<Path, String> before = TreeSnapshot.of(outer, p -> p.startsWith(root));
        Skips skips = new Skips();
        BackendView view = new BackendView(backend, root);
        try (Rootfs rootfs = recordOwners ? Rootfs.openRecordingOwners(view.backend, root, 1000, 1000, skips)
                : Rootfs.open(view.backend, root, skips)) {
            rootfs.unpackTar(tarball);
        }
        assertEquals(before, TreeSnapshot.of(outer, p -> p.startsWith(root)));
        assertEquals(attack.skipped(), skips.warnings.size(), skips.warnings.toString());
        if (attack.landsAt() != null) {
            String inside = attack.landsAt().apply(outer.toString()).substring(1);
            assertEquals(PWNED, view.read(inside));
        }
    }
}
