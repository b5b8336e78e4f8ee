package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's dynamically linked GNU coreutils (glibc's ld.so, libc.so.6 and the libraries each tool
 * needs, all from the host's root) run natively in one directory and under jlx in another mounted
 * at the first one's path: every step's output and status, and the trees left behind, must match.
 */
class DynamicCoreutilsTest {
    /** Each step: a command line, split on spaces, and "<<text" for its standard input. */
    static final String[] STEPS = {
        "ls -l", "ls -lA", "ls -lR src", "cp -a src copy", "cp src/a/f.txt single", "mv copy moved",
        "ln -s moved/a/f.txt soft", "ln moved/a/f.txt hard", "readlink soft", "readlink -f soft", "realpath hard",
        "chmod -R 750 moved", "chmod 0600 hard", "stat -c %n:%s:%b:%B:%F:%a:%A:%h:%u:%U:%g:%G:%Y:%y moved/a/f.txt", "stat -c %n:%s:%F:%a:%h:%Y src/a/b/g.txt",
        "stat -L -c %n:%s:%F soft", "stat -f -c %t:%s:%l .", "du -s src", "du -a moved", "touch -d 2020-02-02T02:02:02 moved/a/f.txt", "ls -l moved/a",
        "mkdir -p x/y/z", "mkdir x", "rmdir x/y/z", "rmdir x", "date -d @1700000000", "date -u +%Y-%m-%dT%H:%M:%S -d 2001-02-03T04:05:06",
        "sort src/a/b/g.txt", "sort -n -r nums.txt", "uniq -c src/a/b/g.txt", "wc src/a/b/g.txt nums.txt",
        "head -n 3 nums.txt", "tail -n 2 nums.txt", "tail -c 5 nums.txt", "tr a-z A-Z <<hello world",
        "cut -d: -f1,3 colon.txt", "sha256sum src/a/f.txt nums.txt", "md5sum nums.txt", "base64 nums.txt",
        "base64 -d b64.txt", "od -A x -t x1z nums.txt", "dd if=nums.txt of=dd.out bs=3 count=2 status=none", "cat dd.out",
        "env", "id", "seq 1 3 20", "printf %s-%05d\\n a 42", "tee teed.txt <<tee me", "cat teed.txt",
        "split -l 2 nums.txt part-", "ls part-aa part-ab", "tac nums.txt", "nl nums.txt", "comm sorted1.txt sorted2.txt",
        "join sorted1.txt sorted2.txt", "paste nums.txt colon.txt", "fold -w 4 colon.txt", "expand tabs.txt",
        "numfmt --to=iec 123456789", "factor 1234567 600851475143", "shuf --random-source=nums.txt nums.txt",
        "rm -r moved/a/b", "rm soft", "rm -rf moved x", "ls -la missing", "cat missing", "ls -a"
    };

    @TempDir
    Path nativeDir;

    @TempDir
    Path jlxDir;

    static void seed(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src/a/b"));
        Files.writeString(dir.resolve("src/a/f.txt"), "hello\n");
        Files.writeString(dir.resolve("src/a/b/g.txt"), "world\nzebra\nworld\napple\n".repeat(20));
        Files.writeString(dir.resolve("nums.txt"), "3\n10\n2\n7\n1\n");
        Files.writeString(dir.resolve("colon.txt"), "root:x:0:0\ndaemon:x:1:1\n");
        Files.writeString(dir.resolve("b64.txt"), "aGVsbG8gd29ybGQK\n");
        Files.writeString(dir.resolve("sorted1.txt"), "a 1\nb 2\nd 4\n");
        Files.writeString(dir.resolve("sorted2.txt"), "a x\nc y\nd z\n");
        Files.writeString(dir.resolve("tabs.txt"), "a\tb\tc\n\tindented\n");
        FileTime t = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
        for (String p : List.of("src/a/b/g.txt", "src/a/f.txt", "src/a/b", "src/a", "src", "nums.txt", "colon.txt",
                "b64.txt", "sorted1.txt", "sorted2.txt", "tabs.txt")) {
            Files.setLastModifiedTime(dir.resolve(p), t);
        }
    }

    @Test
    void sameOutputsAndSameTreeLeftBehind() throws Throwable {
        seed(nativeDir);
        seed(jlxDir);
        LinuxMachine machine = Jlx.machine().env(Jlx.inNativeOrder(Runner.ENV)).mount(jlxDir, nativeDir.toString(), false)
                .cwd(nativeDir.toString()).build();
        for (String step : STEPS) {
            List<String> argv = argv(step);
            argv.set(0, "/usr/bin/" + argv.get(0));
            Result expected = Native.run(argv, Runner.ENV, nativeDir, stdin(step));
            Result actual = run(machine, argv, stdin(step));
            KnownFailures.check("DynamicCoreutilsTest", step, () -> Result.assertSameAs(expected, actual, step));
        }
        assertEquals(Trees.describe(nativeDir), Trees.describeAsGuest(jlxDir));
    }

    /** uname -a reports jlx's kernel (the same answer as /proc/sys/kernel) with the host's node name. */
    @Test
    void unameIsJlxsOwnAnswer() throws Exception {
        String node = Native.run(List.of("/usr/bin/uname", "-n"), Runner.ENV, nativeDir, new byte[0]).out().strip();
        Result r = Jlx.run(List.of("/usr/bin/uname", "-a"), Runner.ENV, nativeDir, new byte[0]);
        assertEquals("Linux " + node + " " + dev.jlx.core.kernel.Kernel.RELEASE + " " + dev.jlx.core.kernel.Kernel.VERSION
                + " x86_64 GNU/Linux\n", r.out());
        assertEquals(0, r.status());
    }

    /** A step's words, with "\\n" as a newline, without its "<<" standard input. */
    static List<String> argv(String step) {
        int here = step.indexOf(" <<");
        List<String> argv = new ArrayList<>();
        for (String word : (here < 0 ? step : step.substring(0, here)).split(" ")) {
            argv.add(word.replace("\\n", "\n"));
        }
        return argv;
    }

    /** A step's standard input: the text after "<<" and a newline, or nothing. */
    static byte[] stdin(String step) {
        int here = step.indexOf(" <<");
        return here < 0 ? new byte[0] : (step.substring(here + 3) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * tail -f (which follows with inotify) under jlx prints a line another guest process appends
     * (an event of jlx's VFS) and then one a host process appends (seen by polling the host file),
     * as natively.
     */
    @Test
    void tailFollowsAppendsOfGuestAndHostProcesses() throws Exception {
        Files.writeString(jlxDir.resolve("log"), "first\n");
        String script = "/usr/bin/tail -f log > out & sleep 1; echo guest >> log; sleep 1; : > ready; "
                + "while [ ! -e appended ]; do sleep 0.2; done; sleep 2; kill $!; wait; cat out";
        LinuxMachine machine = Jlx.machine().env(Jlx.inNativeOrder(Runner.ENV)).mount(jlxDir, nativeDir.toString(), false)
                .cwd(nativeDir.toString()).build();
        java.util.concurrent.CompletableFuture<Result> run = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run(machine, List.of("/bin/sh", "-c", script), new byte[0]));
        for (int i = 0; i < 600 && !Files.exists(jlxDir.resolve("ready")); i++) {
            Thread.sleep(100);
        }
        Files.writeString(jlxDir.resolve("log"), "host\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(jlxDir.resolve("appended"), "");
        Result r = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("first\nguest\nhost\n", new String(r.stdout(), StandardCharsets.UTF_8), r.toString());
    }

    static Result run(LinuxMachine machine, List<String> argv, byte[] stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = machine.run(argv, new ByteArrayInputStream(stdin), out, err).shellStatus();
        return new Result(out.toByteArray(), err.toByteArray(), status);
    }
}
