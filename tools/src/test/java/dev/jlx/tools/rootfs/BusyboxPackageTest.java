package dev.jlx.tools.rootfs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.host.HostBackends;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real busybox-static package of this Debian machine, as .ci/setup downloads it. */
class BusyboxPackageTest {
    @TempDir
    Path tmp;

    /** The one {@code NAME_*.deb} in .ci/setup's cache, {@code ~/.cache/jlx/debs}. */
    static Path cachedDeb(String name) {
        Path cache = Path.of(Objects.requireNonNullElse(System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home") + "/.cache"), "jlx", "debs");
        File[] debs = cache.toFile().listFiles((d, file) -> file.matches(name + "_.*\\.deb"));
        assertTrue(debs != null && debs.length == 1, "expected one " + name + "_*.deb in " + cache + ": run .ci/setup");
        return debs[0].toPath();
    }

    @Test
    void itsBusyboxIsTheInstalledOne() throws Exception {
        Path root = tmp.resolve("root");
        Skips skips = new Skips();
        try (Rootfs rootfs = Rootfs.open(HostBackends.get(null), root, skips)) {
            rootfs.unpackDeb(cachedDeb("busybox-static"));
        }
        assertEquals(List.of(), skips.warnings);
        Path busybox = root.resolve("bin/busybox");
        assertTrue(Files.isRegularFile(busybox, NOFOLLOW_LINKS) && Files.isExecutable(busybox));
        assertEquals(-1, Files.mismatch(busybox, Path.of("/bin/busybox")), "bin/busybox differs from /bin/busybox");
    }

    /** Types, modes, owners, sizes, times, contents: the same tree as dpkg-deb's own unpacking. */
    @Test
    void theTreeIsDpkgDebs() throws Exception {
        Path deb = cachedDeb("busybox-static");
        Path dpkg = tmp.resolve("dpkg");
        Process dpkgDeb = new ProcessBuilder("dpkg-deb", "-x", deb.toString(), dpkg.toString()).inheritIO().start();
        assertEquals(0, dpkgDeb.waitFor(), "dpkg-deb -x");
        Path jlx = tmp.resolve("jlx");
        try (Rootfs rootfs = Rootfs.open(HostBackends.get(null), jlx, new Skips())) {
            rootfs.unpackDeb(deb);
        }
        assertEquals(TreeSnapshot.of(dpkg, p -> false), TreeSnapshot.of(jlx, p -> p.startsWith(jlx.resolve(".jlx"))));
    }
}
