package dev.jlx.tools.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.tools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jlx rootfs create}: what it prints on a stderr that is not a terminal, and its exit statuses. */
class RootfsCommandTest {
    @TempDir
    Path tmp;

    private String err;

    private int jlx(String... args) {
        StringWriter w = new StringWriter();
        int status = new CommandLine(new Main()).setErr(new PrintWriter(w, true)).execute(args);
        err = w.toString();
        return status;
    }

    @Test
    void onlyASummaryLineAndTheWarningsWithControlCharactersEscaped() throws Exception {
        Path tar = TestArchive.write(tmp, "base.tar", new TestArchive().dir("etc/", 0755).special("tty\u001b[2J",
                TarConstants.LF_CHR).tar());
        byte[] data = TestArchive.compress(new TestArchive().file("./etc/hostname", "guest\n").tar(), TestArchive.XZ);
        Path deb = TestArchive.write(tmp, "host_1_all.deb", TestArchive.deb("data.tar.xz", data));
        Path root = tmp.resolve("root");
        assertEquals(0, jlx("rootfs", "create", root.toString(), "--deb", deb.toString(), "--tar", tar.toString()));
        assertEquals("jlx rootfs: warning: base.tar: tty\\x1b[2J: skipped: device nodes are not made\n"
                + "jlx rootfs: 2 entries into " + root + " (1 skipped)\n", err);
        assertEquals("guest\n", Files.readString(root.resolve("etc/hostname")));
    }

    @Test
    void badArchivesAndFilesAreOneLineAndStatus1() throws Exception {
        Path root = tmp.resolve("root");
        Path zstd = TestArchive.write(tmp, "z.deb", TestArchive.deb("data.tar.zst", new byte[] {0x28, (byte) 0xb5,
            0x2f, (byte) 0xfd}));
        assertEquals(1, jlx("rootfs", "create", root.toString(), "--deb", zstd.toString()));
        assertEquals("jlx rootfs: " + zstd + ": data.tar.zst: zstd compression is not supported (Debian 12's "
                + "packages use xz)\n", err);
        Path missing = tmp.resolve("missing.deb");
        assertEquals(1, jlx("rootfs", "create", root.toString(), "--deb", missing.toString()));
        assertEquals("jlx rootfs: " + missing + ": No such file or directory\n", err);
        assertEquals(1, jlx("rootfs", "create", zstd.toString(), "--deb", zstd.toString()));
        assertEquals("jlx rootfs: " + zstd + ": not a directory\n", err);
    }

    /** --backend windows writes the root as the Windows backend keeps files, which only that backend reads so. */
    @Test
    void theRootIsWrittenAsTheBackendKeepsFiles() throws Exception {
        Path tar = TestArchive.write(tmp, "base.tar", new TestArchive().dir("bin/", 0755)
                .file("bin/hello", "#!/bin/sh\n", 0750).symlink("bin/hi", "hello").tar());
        Path root = tmp.resolve("root");
        assertEquals(0, jlx("rootfs", "create", root.toString(), "--backend", "windows", "--tar", tar.toString()));
        assertEquals("jlx rootfs: 3 entries into " + root + " (0 skipped)\n", err);
        BackendView windows = new BackendView("windows", root);
        assertEquals(0750, windows.mode("bin/hello"));
        assertEquals("hello", windows.readlink("bin/hi"));
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", windows.read("etc/hosts"));
        assertTrue(Files.isRegularFile(root.resolve("bin/hi"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "an LX symlink is a file with a reparse point, not a host symlink");
    }

    @Test
    void anUnknownBackendIsOneLineAndStatus1() throws Exception {
        Path tar = TestArchive.write(tmp, "base.tar", new TestArchive().dir("etc/", 0755).tar());
        assertEquals(1, jlx("rootfs", "create", tmp.resolve("root").toString(), "--backend", "vms", "--tar",
                tar.toString()));
        assertTrue(err.startsWith("jlx rootfs: no host backend named vms (there are: "), err);
        assertEquals(1, err.lines().count(), err);
        assertFalse(Files.exists(tmp.resolve("root")));
    }

    @Test
    void noSourceIsAUsageError() {
        assertEquals(2, jlx("rootfs", "create", tmp.toString()));
        assertTrue(err.startsWith("Missing source: --deb FILE or --tar FILE\nUsage: jlx rootfs create"), err);
        assertEquals(2, jlx("rootfs"));
    }
}
