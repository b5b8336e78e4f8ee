package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape suite: escape.c tries ~45 ways out of its root (.., dirfds, absolute, relative and
 * chained symlinks, hard links, renames, chdir/fchdir, /proc). Natively it runs under chroot(8),
 * which gives what Linux does inside a chroot; under jlx --root it must print the same, leave the
 * same tree, and never read or change the host file beside the root.
 */
class EscapeTest {
    private static final String HOST_SECRET = "host secret\n";

    @TempDir
    Path nativeSide;

    @TempDir
    Path jlxSide;

    private static Path root(Path side) throws Exception {
        Files.writeString(side.resolve("secret"), HOST_SECRET);
        Path root = Files.createDirectories(side.resolve("root/tmp"));
        Files.writeString(side.resolve("root/secret"), "guest secret\n");
        Files.copy(CPrograms.binary("escape", CPrograms.Toolchain.GCC), side.resolve("root/escape"));
        return side.resolve("root");
    }

    @Test
    void noRouteLeavesTheGuestRoot() throws Exception {
        Path nativeRoot = root(nativeSide);
        Path jlxRoot = root(jlxSide);
        // chroot needs CAP_SYS_CHROOT: as root directly, otherwise inside a user namespace.
        List<String> chroot = new ArrayList<>();
        if (!"0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip())) {
            chroot.addAll(List.of("unshare", "--map-root-user"));
        }
        chroot.addAll(List.of("chroot", nativeRoot.toString(), "/escape"));
        Result expected = Native.run(chroot, Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin"), nativeSide,
                new byte[0]);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jlx.machine().root(jlxRoot).cwd("/").stdout(out).stderr(err).build()
                .run("/escape").shellStatus();
        Result actual = new Result(out.toByteArray(), err.toByteArray(), status);

        Result.assertSameAs(expected, actual, "escape attempts");
        assertFalse(actual.out().contains("host secret"), actual.out());
        assertEquals(HOST_SECRET, Files.readString(jlxSide.resolve("secret")));
        assertEquals(Trees.describe(nativeSide), Trees.describeAsGuest(jlxSide), "trees left behind");
        assertEquals(List.of("root", "secret"), Files.list(jlxSide).map(p -> p.getFileName().toString()).sorted()
                .toList(), "nothing created beside the root");
        assertEquals("", new String(err.toByteArray(), StandardCharsets.UTF_8));
    }
}
