package dev.jlx.it;

import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jlx's tmpfs against Linux's: the same busybox commands run in a directory of the host's
 * /dev/shm (a real tmpfs) and in a jlx tmpfs that keeps its files across the runs of one machine.
 * Sizes, link counts, modes and block counts must be Linux's.
 */
class TmpfsTest {
    private static final String[] STEPS = {
        "mkdir -p src/a/b", "cp SEED src/a/f.txt", "cp /bin/busybox src/bb", "ln -s f.txt src/a/l",
        "ln src/a/f.txt src/hard", "stat -c %n:%s:%a:%h:%F:%b src src/a src/a/b src/a/f.txt src/a/l src/bb src/hard",
        "chmod -R 700 src/a", "mv src/a src/a2", "ls -aR", "find . -type f", "du -s .", "du -a",
        "truncate -s 10000 src/bb", "truncate -s 100000 src/sparse", "dd if=/dev/zero of=src/z bs=1k count=10",
        "stat -c %n:%s:%b src/bb src/sparse src/z", "cat src/a2/l", "tar cf t.tar src", "tar tf t.tar",
        "mkdir src/a2", "rmdir src", "mv src/a2/b src/a2/l", "rm src/bb src/bb", "rm -rf src", "ls -a",
        "stat -c %n:%s:%h t.tar .", "stat -f -c %t:%s:%l:%S ."
    };

    @TempDir
    Path seedDir;

    private Path nativeDir;
    private String guestDir;

    @BeforeEach
    void dirs() throws Exception {
        long pid = ProcessHandle.current().pid();
        nativeDir = Files.createDirectories(Path.of("/dev/shm/jlx-tmpfs-test-native-" + pid));
        guestDir = "/dev/shm/jlx-tmpfs-test-guest-" + pid;
        Files.writeString(seedDir.resolve("seed.txt"), "seed text\n".repeat(1000));
    }

    @AfterEach
    void clean() throws Exception {
        try (Stream<Path> walk = Files.walk(nativeDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void behavesAsLinuxTmpfs() throws Exception {
        LinuxMachine machine = Jlx.machine().env(Runner.ENV).tmpfs(guestDir).cwd(guestDir).build();
        for (String step : STEPS) {
            List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
            for (String word : step.split(" ")) {
                argv.add(word.equals("SEED") ? seedDir.resolve("seed.txt").toString() : word);
            }
            Result expected = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = machine.run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
            Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status), step);
        }
    }

    /** FIFOs on tmpfs: blocking opens that meet, data through them, O_RDWR, end of file. */
    @Test
    void fifosCarryDataBetweenProcesses() throws Exception {
        LinuxMachine machine = Jlx.machine().env(Runner.ENV).tmpfs(guestDir).cwd(guestDir).build();
        String script = "mkfifo f; ls -l f | cut -c1-10; (echo through the fifo > f &); cat f; exec 3<>f; echo rw >&3; "
                + "read x <&3; echo \"$x\"; exec 3>&-; (sleep 0.1; echo late | dd of=f 2>/dev/null) & cat f; "
                + "wait; rm f; ls";
        List<String> argv = List.of("/bin/busybox", "sh", "-c", script);
        Result expected = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = machine.run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
        Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status), "fifo script");
    }
}
