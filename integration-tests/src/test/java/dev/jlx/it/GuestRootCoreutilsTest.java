package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.LinuxMachine;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's coreutils with glibc and the libraries they need, unpacked by {@code jlx rootfs create}
 * from the .deb files .ci/setup downloads, run under jlx with that directory as the guest root;
 * the oracle is the same binaries run natively in a chroot of an identical second root.
 */
class GuestRootCoreutilsTest {
    private static final List<String> PACKAGES = List.of("coreutils", "libc6", "libgcc-s1", "libacl1", "libattr1",
            "libgmp10", "libpcre2-8-0", "libselinux1");

    @TempDir
    Path dir;

    private Path unpack(String name) throws Exception {
        Path cache = Path.of(Objects.requireNonNullElse(System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home") + "/.cache"), "jlx", "debs");
        List<String> command = new ArrayList<>(List.of("rootfs", "create", name));
        for (String pkg : PACKAGES) {
            File[] debs = cache.toFile().listFiles((d, n) -> n.startsWith(pkg + "_") && n.endsWith(".deb"));
            assertTrue(debs != null && debs.length == 1, "expected one " + pkg + "_*.deb in " + cache
                    + ": run .ci/setup");
            command.add("--deb");
            command.add(debs[0].toString());
        }
        Path root = dir.resolve(name);
        // Merged /usr, as debootstrap lays out Debian 12 and as this host is: /bin/ls is /usr/bin/ls.
        for (String top : List.of("bin", "lib", "lib64", "sbin")) {
            Files.createDirectories(root.resolve("usr").resolve(top));
            Files.createSymbolicLink(root.resolve(top), Path.of("usr", top));
        }
        Result r = CliTest.jlx(dir, command.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        DynamicCoreutilsTest.seed(root.resolve("work"));
        return root;
    }

    @Test
    void sameAsInAChrootOfTheSameRoot() throws Throwable {
        Path nativeRoot = unpack("native");
        Path jlxRoot = unpack("jlx");
        LinuxMachine machine = Jlx.machine().root(jlxRoot).env(Jlx.inNativeOrder(Runner.ENV)).cwd("/work")
                .timeLimit(Duration.ofSeconds(Native.TIMEOUT_SECONDS)).build();
        for (String step : DynamicCoreutilsTest.STEPS) {
            List<String> argv = DynamicCoreutilsTest.argv(step);
            argv.set(0, "/usr/bin/" + argv.get(0));
            List<String> chroot = new ArrayList<>(Arrays.asList("chroot", nativeRoot.toString(), "/usr/bin/env", "-C",
                    "/work"));
            chroot.addAll(argv);
            Result expected = Native.run(chroot, Runner.ENV, dir, DynamicCoreutilsTest.stdin(step));
            Result actual = DynamicCoreutilsTest.run(machine, argv, DynamicCoreutilsTest.stdin(step));
            KnownFailures.check("GuestRootCoreutilsTest", step, () -> Result.assertSameAs(expected, actual, step));
        }
        assertEquals(Trees.describe(nativeRoot.resolve("work")), Trees.describeAsGuest(jlxRoot.resolve("work")));
    }
}
