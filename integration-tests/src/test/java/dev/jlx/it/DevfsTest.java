package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest root of its own gets a /dev whose nodes behave, and stat, as the host Linux's own. */
class DevfsTest {
    private static final String NODES = "/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty";

    @TempDir
    Path root;

    private Result inGuest(String command) throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Path bb = root.resolve("bin/busybox");
        if (!Files.exists(bb)) {
            Files.copy(Path.of("/bin/busybox"), bb);
        }
        List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
        argv.addAll(List.of(command.split(" ")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jlx.machine().root(root).cwd("/").build()
                .run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
        return new Result(out.toByteArray(), err.toByteArray(), status);
    }

    @Test
    void nodesStatAsTheHostsDo() throws Exception {
        String command = "stat -c %n:%t:%T:%a:%F:%u " + NODES + " /dev/stdin /dev/fd";
        List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
        argv.addAll(List.of(command.split(" ")));
        Result expected = Native.run(argv, Map.of("PATH", "/bin"), root, new byte[0]);
        Result.assertSameAs(expected, inGuest(command), command);
    }

    @Test
    void nodesBehaveAsLinuxDevices() throws Exception {
        assertEquals("0\n", inGuest("wc -c /dev/null").out().strip().split(" ")[0] + "\n");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[8], inGuest("head -c 8 /dev/zero").stdout());
        assertEquals("4096\n", inGuest("head -c 4096 /dev/urandom").stdout().length + "\n");
        Result full = inGuest("cp /bin/busybox /dev/full");
        assertEquals(1, full.status());
        assertEquals("cp: write error: No space left on device\n", full.err());
        Result devNull = inGuest("cp /bin/busybox /dev/null");
        assertEquals(0, devNull.status(), devNull.err());
        Result mkdir = inGuest("mkdir /dev/mine");
        assertEquals("mkdir: can't create directory '/dev/mine': Operation not permitted\n", mkdir.err());
    }

    @Test
    void devShmIsATmpfs() throws Exception {
        assertEquals("tmpfs 1777\n", inGuest("stat -f -c %T /dev/shm").out().strip() + " "
                + inGuest("stat -c %a /dev/shm").out());
    }
}
