package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core dumps (core(5)), against Linux: coredump.c's children and their core files with the working
 * directory on a host directory and on tmpfs; and the host's gdb reading a core jlx wrote as it reads
 * a native one (the same frames of a backtrace, the same instruction in RIP). Natively the core goes
 * where the host's kernel.core_pattern says: the tests comparing with a native core need Debian's
 * default, "core" (Ubuntu's apport pipes cores away), and are skipped with that reason otherwise.
 */
class CoreDumpTest {
    private static final Path GDB_SOURCE = Path.of("src", "test", "gdb", "nested.c").toAbsolutePath();

    @TempDir
    Path dir;

    @BeforeAll
    static void hostWritesCoresHere() throws Exception {
        String pattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern")).strip();
        Assumptions.assumeTrue(pattern.equals("core"), "the host's kernel.core_pattern is \"" + pattern
                + "\", not \"core\": no native core to compare with");
    }

    static Stream<CPrograms.Toolchain> toolchains() {
        return CPrograms.TOOLCHAINS.stream();
    }

    @ParameterizedTest(name = "coredump {0}")
    @MethodSource("toolchains")
    void onHostfs(CPrograms.Toolchain toolchain) throws Exception {
        Runner.assertSameAsNative(List.of(CPrograms.binary("coredump", toolchain).toString()), dir, new byte[0]);
    }

    /** The core written to jlx's tmpfs, against Linux's (/dev/shm). */
    @ParameterizedTest(name = "coredump on tmpfs {0}")
    @MethodSource("toolchains")
    void onTmpfs(CPrograms.Toolchain toolchain) throws Exception {
        List<String> argv = List.of(CPrograms.binary("coredump", toolchain).toString());
        long pid = ProcessHandle.current().pid();
        Path shm = Files.createDirectories(Path.of("/dev/shm/jlx-coredump-" + pid + "-" + toolchain));
        try {
            Result expected = Native.run(argv, Runner.ENV, shm, new byte[0]);
            String guest = "/dev/shm/jlx-guest-coredump-" + pid;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Jlx.machine().env(Runner.ENV).tmpfs(guest).cwd(guest).build()
                    .run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
            Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status),
                    "coredump on tmpfs " + toolchain);
        } finally {
            Files.delete(shm);
        }
    }

    static Stream<Arguments> gdbCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String link : List.of("static", "dynamic")) {
            cases.add(Arguments.of(link, "segv"));
            cases.add(Arguments.of(link, "abort"));
        }
        return cases.stream();
    }

    /** gdb's backtrace and RIP of jlx's core: the native core's, addresses masked (ASLR). */
    @ParameterizedTest(name = "gdb {0} {1}")
    @MethodSource("gdbCases")
    void gdbReadsTheCore(String link, String how) throws Exception {
        Path program = nested(link);
        List<String> argv = List.of(program.toString(), how);
        Path nativeDir = Files.createDirectory(dir.resolve("native"));
        Path jlxDir = Files.createDirectory(dir.resolve("jlx"));
        Result ranNatively = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
        Result ranUnderJlx = Jlx.run(argv, Runner.ENV, jlxDir, new byte[0]);
        assertEquals(ranNatively.status(), ranUnderJlx.status(), "exit status");
        String expected = gdb(program, core(nativeDir));
        String actual = gdb(program, core(jlxDir));
        assertTrue(expected.contains(" in innermost ") || expected.contains(" innermost ("),
                "native backtrace names innermost:\n" + expected);
        assertEquals(expected, actual, "gdb on jlx's core against a native core");
    }

    /** nested.c built with -g, {@code link} "static" or "dynamic", in the test's directory. */
    private Path nested(String link) throws Exception {
        Path program = dir.resolve("nested-" + link);
        List<String> cc = new ArrayList<>(List.of("gcc", "-g", "-O0", "-o", program.toString(), GDB_SOURCE.toString()));
        if (link.equals("static")) {
            cc.add(1, "-static");
        }
        assertEquals(0, exec(cc).status(), "compile " + cc);
        return program;
    }

    /**
     * jlx's own kernel.core_pattern and core_uses_pid, which only root may write (as Linux: the files
     * are root's, mode 0644) and which natively are the host's, so jlx alone is run: core(5)'s
     * specifiers, ".PID" under core_uses_pid, a pipe pattern writing nothing; a user's write is EACCES.
     */
    @org.junit.jupiter.api.Test
    void corePatternOfTheRun() throws Exception {
        Path program = nested("static");
        Path cwd = Files.createDirectory(dir.resolve("pattern"));
        String script = "echo 'core.%e.%p.%s.%%.%u.%g.%d.%z.%c' > /proc/sys/kernel/core_pattern || exit 3\n"
                + program + " & wait $!; echo \"first $! $?\"\n"
                + "echo '|/bin/false' > /proc/sys/kernel/core_pattern; " + program + "; echo \"pipe $?\"\n"
                + "echo 1 > /proc/sys/kernel/core_uses_pid; echo named > /proc/sys/kernel/core_pattern\n"
                + program + " & wait $!; echo \"second $! $?\"\n"
                + "echo 0 > /proc/sys/kernel/core_uses_pid; echo core > /proc/sys/kernel/core_pattern; ls\n";
        Result r = Jlx.run(List.of("/bin/sh", "-c", script), Runner.ENV, cwd, new byte[0]);
        String out = new String(r.stdout(), StandardCharsets.UTF_8);
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        if (uid != 0) {
            assertEquals(3, r.status(), "a user's write of core_pattern fails: " + out);
            assertTrue(new String(r.stderr(), StandardCharsets.UTF_8).contains("Permission denied"), "EACCES");
            return;
        }
        long gid = new com.sun.security.auth.module.UnixSystem().getGid();
        java.util.regex.Matcher first = java.util.regex.Pattern.compile("first (\\d+) 139\n").matcher(out);
        java.util.regex.Matcher second = java.util.regex.Pattern.compile("second (\\d+) 139\n").matcher(out);
        assertTrue(first.find() && second.find() && out.contains("pipe 139\n"), out);
        String expected = "core.nested-static." + first.group(1) + ".11.%." + uid + "." + gid + ".1.."
                + Long.toUnsignedString(-1L) + "\nnamed." + second.group(1) + "\n";
        assertEquals(expected, out.substring(second.end()), out);
    }

    /** The one core file a run left in {@code dir}: core, or core.PID under core_uses_pid. */
    private static Path core(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> cores = files.filter(f -> f.getFileName().toString().matches("core(\\.\\d+)?")).toList();
            assertEquals(1, cores.size(), "core files in " + dir + ": " + cores);
            return cores.getFirst();
        }
    }

    /** gdb's frame lines and RIP and RAX for {@code core}, with addresses and large numbers masked. */
    private static String gdb(Path program, Path core) throws Exception {
        Result r = exec(List.of("gdb", "-batch", "-nx", "-ex", "bt", "-ex", "info registers rip rax", program.toString(),
                core.toString()));
        StringBuilder out = new StringBuilder();
        for (String line : new String(r.stdout(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("#") || line.startsWith("rip") || line.startsWith("rax")) {
                out.append(line.replaceAll("0x[0-9a-f]{5,}", "0x...").replaceAll("\\b\\d{6,}\\b", "N")).append('\n');
            }
        }
        return out.toString();
    }

    private static Result exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + cmd);
        return new Result(out, err, p.exitValue());
    }
}
