package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence of busybox commands that change files, run natively in one directory and under jlx in
 * another mounted at the first one's path (so canonical paths print the same): each command's output
 * and status, and the trees left behind, must be the same. The same sequence runs on a jlx tmpfs
 * mounted over a directory of the host's /dev/shm (Linux's tmpfs) against that directory itself.
 */
class FileOperationsTest {
    private static final String[] STEPS = {
        "cp -a src copy", "mv copy moved", "ln -s moved/a/f.txt soft", "ln moved/a/f.txt hard", "readlink soft",
        "chmod -R 750 moved", "chmod 0600 hard", "touch -d 2020-02-02_02:02:02 moved/a/f.txt",
        "stat -c %n:%Y:%a:%h moved/a/f.txt hard", "truncate -s 100 moved/a/b/g.txt", "truncate -s 3 hard", "mkdir -p x/y/z",
        "mkdir x", "rmdir x/y/z", "rmdir x", "tar cf t.tar src", "tar tf t.tar", "mkdir unpacked",
        "tar xf t.tar -C unpacked", "gzip -k t.tar", "gunzip -c t.tar.gz", "dd if=t.tar of=dd.out bs=512 count=3",
        "sed -i s/hello/HELLO/ unpacked/src/a/f.txt", "cat unpacked/src/a/f.txt", "grep -r HELLO unpacked",
        "find . -newer src -type f", "find . -size +1k -type f", "find . -name *.txt -type f",
        "awk {print$1,NR} unpacked/src/a/f.txt", "sort -r moved/a/b/g.txt", "uniq -c src/a/b/g.txt",
        "cut -c1-3 src/a/f.txt", "mkfifo fifo", "mv fifo fifo2", "readlink -f soft", "realpath hard",
        "readlink -f moved/a/../a/./b/", "ln -s ../soft moved/a/up", "readlink -f moved/a/up", "realpath moved/a/up",
        "ln -s nowhere dangling-parent", "readlink -f dangling-parent/x", "realpath missing", "tr a-z A-Z", "sync",
        "rm -r moved/a/b", "rm moved", "rm -rf moved x", "find . -type p", "ls -a"
    };

    @TempDir
    Path nativeDir;

    @TempDir
    Path jlxDir;

    private static void seed(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src/a/b"));
        Files.writeString(dir.resolve("src/a/f.txt"), "hello\n");
        Files.writeString(dir.resolve("src/a/b/g.txt"), "world\n".repeat(100));
        FileTime t = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
        for (String p : List.of("src/a/b/g.txt", "src/a/f.txt", "src/a/b", "src/a", "src")) {
            Files.setLastModifiedTime(dir.resolve(p), t);
        }
    }

    @Test
    void sameOutputsAndSameTreeLeftBehind() throws Exception {
        seed(nativeDir);
        seed(jlxDir);
        LinuxMachine machine = Jlx.machine().env(Runner.ENV).mount(jlxDir, nativeDir.toString(), false)
                .cwd(nativeDir.toString()).build();
        for (String step : STEPS) {
            List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
            argv.addAll(List.of(step.split(" ")));
            Result expected = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
            Result.assertSameAs(expected, run(machine, argv), step);
        }
        assertEquals(Trees.describe(nativeDir), Trees.describeAsGuest(jlxDir));
    }

    /** What a tree holds, as busybox lists it from inside: names, types, modes, links, sizes. */
    private static final String[] LISTING = {"find .", "du -a .", "stat -c %n:%F:%a:%h:%s unpacked/src/a/f.txt hard"};

    @Test
    void sameOutputsOnTmpfsAsOnLinuxTmpfs() throws Exception {
        seed(jlxDir);
        Path shm = Files.createDirectories(Path.of("/dev/shm/jlx-file-operations-" + ProcessHandle.current().pid()));
        LinuxMachine machine = Jlx.machine().env(Runner.ENV).tmpfs(shm.toString()).cwd(shm.toString()).build();
        try {
            List<String> steps = new ArrayList<>(List.of("cp -a " + jlxDir.resolve("src") + " src"));
            steps.addAll(List.of(STEPS));
            steps.addAll(List.of(LISTING));
            for (String step : steps) {
                List<String> argv = new ArrayList<>(List.of("/bin/busybox"));
                argv.addAll(List.of(step.split(" ")));
                Result expected = Native.run(argv, Runner.ENV, shm, new byte[0]);
                Result.assertSameAs(expected, run(machine, argv), step);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(shm)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Result run(LinuxMachine machine, List<String> argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = machine.run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
        return new Result(out.toByteArray(), err.toByteArray(), status);
    }
}
