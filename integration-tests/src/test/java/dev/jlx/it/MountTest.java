package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host directories mounted into the guest: read-only ones refuse writes, and nothing crosses mounts. */
class MountTest {
    @TempDir
    Path host;

    private Path ro;
    private Path rw;

    @BeforeEach
    void dirs() throws Exception {
        ro = Files.createDirectories(host.resolve("ro"));
        rw = Files.createDirectories(host.resolve("rw"));
        Files.writeString(ro.resolve("f"), "read only\n");
        Files.writeString(rw.resolve("g"), "writable\n");
    }

    private String run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Jlx.machine().mount(ro, "/mnt/ro", true).mount(rw, "/mnt/rw", false).cwd("/")
                .stdout(out).stderr(out).build().run(List.of(argv)).shellStatus();
        return status + ":" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void readOnlyMountsRefuseEveryWrite() throws Exception {
        assertEquals("0:read only\n", run("/bin/busybox", "cat", "/mnt/ro/f"));
        assertEquals("1:touch: /mnt/ro/new: Read-only file system\n", run("/bin/busybox", "touch", "/mnt/ro/new"));
        assertEquals("1:touch: /mnt/ro/f: Read-only file system\n", run("/bin/busybox", "touch", "/mnt/ro/f"));
        assertEquals("1:rm: can't remove '/mnt/ro/f': Read-only file system\n", run("/bin/busybox", "rm", "/mnt/ro/f"));
        assertEquals("1:mkdir: can't create directory '/mnt/ro/d': Read-only file system\n",
                run("/bin/busybox", "mkdir", "/mnt/ro/d"));
        assertEquals("1:chmod: /mnt/ro/f: Read-only file system\n", run("/bin/busybox", "chmod", "600", "/mnt/ro/f"));
        assertEquals(List.of("f"), Files.list(ro).map(p -> p.getFileName().toString()).toList());
        assertEquals("read only\n", Files.readString(ro.resolve("f")));
    }

    @Test
    void writableMountsWriteToTheHostDirectory() throws Exception {
        assertEquals("0:", run("/bin/busybox", "cp", "/mnt/rw/g", "/mnt/rw/h"));
        assertEquals("writable\n", Files.readString(rw.resolve("h")));
        assertEquals("0:read only\n", run("/bin/busybox", "cat", "/mnt/rw/../ro/f"));
    }

    @Test
    void linksAndRenamesDoNotCrossMounts() throws Exception {
        assertEquals("1:ln: /mnt/rw/l: Invalid cross-device link\n", run("/bin/busybox", "ln", "/mnt/ro/f", "/mnt/rw/l"));
        Path target = Path.of("/tmp/jlx-mount-test-" + ProcessHandle.current().pid());
        // rename(2) gives EXDEV; busybox mv then copies and unlinks, as across real mounts.
        assertEquals("0:", run("/bin/busybox", "mv", "/mnt/rw/g", target.toString()));
        assertTrue(Files.notExists(rw.resolve("g")));
        assertEquals("writable\n", Files.readString(target));
        Files.delete(target);
    }

    @Test
    void mountPointsAreListedEvenWhereTheRootHasNoSuchDirectory() {
        String ls = run("/bin/busybox", "ls", "/mnt");
        assertTrue(ls.startsWith("0:"), ls);
        assertTrue(ls.contains("ro\n") && ls.contains("rw\n"), ls);
    }
}
