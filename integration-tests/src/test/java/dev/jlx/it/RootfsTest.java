package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.ExitStatus;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest root made by {@code jlx rootfs create} from the real busybox-static package, then busybox run
 * from it: what it reads there is what the same busybox reads natively in the host directory.
 */
class RootfsTest {
    @TempDir
    static Path dir;

    static Path root;

    @BeforeAll
    static void unpackBusybox() throws Exception {
        Path cache = Path.of(Objects.requireNonNullElse(System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home") + "/.cache"), "jlx", "debs");
        File[] debs = cache.toFile().listFiles((d, name) -> name.matches("busybox-static_.*\\.deb"));
        assertTrue(debs != null && debs.length == 1, "expected one busybox-static_*.deb in " + cache + ": run .ci/setup");
        Result r = CliTest.jlx(dir, "rootfs", "create", "root", "--deb", debs[0].toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().matches("jlx rootfs: \\d+ entries into root \\(0 skipped\\)\n"), r.err());
        root = dir.resolve("root");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls -lnR bin usr", "cat usr/share/doc/busybox-static/copyright", "sha256sum bin/busybox",
        "stat -c %n:%a:%s:%Y bin bin/busybox usr/share/man/man1/busybox.1.gz", "find usr -type f"})
    void busyboxInTheRootReadsWhatNativeBusyboxReads(String command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
        argv.addAll(List.of(command.split(" ")));
        Result expected = Native.run(argv, Runner.ENV, root, new byte[0]);
        Result.assertSameAs(expected, inGuest(argv), command);
    }

    /**
     * The root knows the loopback names, the host's resolver and the user running jlx: busybox's
     * {@code id} in it names the user as the host's {@code id} does, and the files say the same.
     */
    @Test
    void theRootNamesTheUserAndTheResolver() throws Exception {
        Result native_ = Native.run(List.of("/bin/busybox", "id"), Runner.ENV, dir, new byte[0]);
        Result.assertSameAs(native_, inGuest(List.of("/bin/busybox", "id")), "id");
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
                Files.readString(root.resolve("etc/hosts")));
        assertEquals(Files.readString(Path.of("/etc/resolv.conf")), Files.readString(root.resolve("etc/resolv.conf")));
    }

    /**
     * A root made from a tarball with {@code jlx rootfs create --backend B} runs under {@code jlx run
     * --backend B}: its shell is a symlink to busybox, a script in it runs, and {@code ls -ln} in it shows
     * what it shows natively in the directory the tarball was made from (types, modes, links, owners,
     * sizes, times). Under the Windows backend (over its fake NT layer on the local disk) this is what a
     * Windows user's first command needs: modes, owners and symlinks the JDK could not have written there.
     */
    @ParameterizedTest(name = "backend: {0}")
    @ValueSource(strings = {"default", "windows"})
    void aRootMadeForABackendRunsUnderIt(String backend) throws Exception {
        Path made = Files.createDirectories(dir.resolve("made-" + backend));
        Path stage = Files.createDirectories(made.resolve("stage"));
        Files.createDirectories(stage.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), stage.resolve("bin/busybox"));
        Files.createSymbolicLink(stage.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(stage.resolve("usr/local/bin"));
        Files.writeString(stage.resolve("usr/local/bin/hello"), "#!/bin/sh\necho \"hello $1\"\n");
        Files.setPosixFilePermissions(stage.resolve("usr/local/bin/hello"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(stage.resolve("etc"));
        Files.writeString(stage.resolve("etc/motd"), "welcome\n");
        Files.setPosixFilePermissions(stage.resolve("etc/motd"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createLink(stage.resolve("etc/motd.hard"), stage.resolve("etc/motd"));
        assertEquals(0, Native.run(List.of("/bin/busybox", "mkfifo", "-m", "620", "etc/fifo"), Runner.ENV, stage,
                new byte[0]).status());
        assertEquals(0, Native.run(List.of("tar", "-C", stage.toString(), "-cf", "root.tar", "."), Runner.ENV, made,
                new byte[0]).status());
        List<String> option = backend.equals("default") ? List.of() : List.of("--backend", backend);

        List<String> create = new ArrayList<>(List.of("rootfs", "create", "root", "--tar", "root.tar"));
        create.addAll(option);
        Result created = CliTest.jlx(made, create.toArray(String[]::new));
        assertEquals("jlx rootfs: 12 entries into root (0 skipped)\n", created.err());
        assertEquals(backend.equals("windows"), Files.isRegularFile(made.resolve("root/bin/sh"), LinkOption.NOFOLLOW_LINKS),
                "the Windows backend keeps a symlink as WSL does (a reparse point), not as a host symlink");

        String script = "ls -ln bin/sh etc/fifo etc/motd etc/motd.hard usr/local/bin/hello; usr/local/bin/hello world";
        List<String> run = new ArrayList<>(List.of("run", "--root", "root", "--cwd", "/", "--clear-env"));
        run.addAll(option);
        Runner.ENV.forEach((k, v) -> run.addAll(List.of("--env", k + "=" + v)));
        run.addAll(List.of("--", "/bin/sh", "-c", script));
        Result expected = Native.run(List.of("/bin/busybox", "sh", "-c", script), Runner.ENV, stage, new byte[0]);
        Result.assertSameAs(expected, CliTest.jlx(made, run.toArray(String[]::new)), script);
    }

    /** {@code argv} run by jlx with the root as the guest's {@code /}, and {@code /} as its working directory. */
    private static Result inGuest(List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitStatus s = Jlx.machine().root(root).env(Runner.ENV).cwd("/").stdout(out).stderr(err)
                .timeLimit(Duration.ofSeconds(Native.TIMEOUT_SECONDS)).build().run(argv);
        return new Result(out.toByteArray(), err.toByteArray(), s.shellStatus());
    }
}
