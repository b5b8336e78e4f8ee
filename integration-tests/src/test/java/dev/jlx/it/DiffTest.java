package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.LinuxMachine;
import dev.jlx.core.api.ProgramDiff;
import dev.jlx.core.host.HostBackends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jlx diff} through the launcher, as CliTest runs it, and {@link ProgramDiff} through the embedding
 * API: two backends that agree, one with a planted difference ({@link PlantedSizeBackend}), jlx and native.
 */
class DiffTest {
    /** BusyBox's file sequence: mkdir, write, cat, mv, ls -l, stat, cp, rm; the file "planted" stays. */
    static final List<String> FILE_SEQUENCE = List.of("/bin/busybox", "sh", "-c", """
            mkdir d && echo hello > d/a && cat d/a && mv d/a d/planted && touch -d '2020-01-01 00:00' d/planted \
            && ls -l d && stat -c '%n %s %a %F' d/planted && cp d/planted d/b && cat d/b && rm d/b && ls d""");

    @TempDir
    Path dir;

    /** {@code jlx diff ARGS} in {@code dir}, with the test backends on the launcher's class path. */
    private Result diff(String... args) throws Exception {
        Files.writeString(dir.resolve("seed"), "a file that was there before\n");
        List<String> argv = new ArrayList<>(List.of(CliTest.ROOT.resolve("jlx").toString(), "diff"));
        argv.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>(CliTest.cliEnv());
        env.put("JLX_CLASSPATH", Path.of(PlantedSizeBackend.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString());
        env.put("JLX_JAVA_OPTS", "-Djlx.it.plantedSize=true");
        return Native.run(argv, env, dir, new byte[0]);
    }

    private static List<String> command(String... options) {
        List<String> argv = new ArrayList<>(List.of(options));
        argv.add("--");
        argv.addAll(FILE_SEQUENCE);
        return argv;
    }

    @Test
    void twoRunsOnOneBackendAgree() throws Exception {
        Result r = diff(command("--backend", "posix", "--backend", "posix").toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("", r.err());
        assertTrue(Pattern.compile("""
                A: posix
                B: posix
                status: same \\(0\\)
                stdout: same \\(\\d+ bytes\\)
                stderr: same \\(0 bytes\\)
                files: same \\(3 entries\\)
                syscalls: same \\(\\d+ calls\\)
                the runs agree
                """).matcher(r.out()).matches(), r.out());
    }

    /**
     * The planted wrong size shows in ls -l's and stat's output, in the files left, and as the first
     * differing syscall: ls's lstat of the file, which reports it.
     */
    @Test
    void aPlantedDifferenceIsReportedWithTheSyscallThatShowsIt() throws Exception {
        Result r = diff(command("--backend", "posix", "--backend", PlantedSizeBackend.NAME).toArray(String[]::new));
        assertEquals(1, r.status(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.startsWith("A: posix\nB: planted-size\nstatus: same (0)\nstdout: differs at line 3\n"), out);
        assertTrue(out.contains("\n  A: -rw-r--r--    1 "), out);
        assertTrue(out.contains("stderr: same (0 bytes)\n"), out);
        assertTrue(Pattern.compile("\nfiles: differ\n  d/planted: A file 0644 6 bytes sha256:(\\w{16}), "
                + "B file 0644 1006 bytes sha256:\\1\nsyscalls: ").matcher(out).find(), out);
        assertTrue(Pattern.compile("\nsyscalls: first difference in task 1\\.\\d+, call \\d+\n  A:\n( {6}.*\n){1,4}"
                + " {4}> \\[pid \\d+] newfstatat\\(AT_FDCWD, \"d/planted\", \\{[^}]*st_size=6, [^}]*}, "
                + "AT_SYMLINK_NOFOLLOW\\) = 0\n  B:\n( {6}.*\n){1,4}"
                + " {4}> \\[pid \\d+] newfstatat\\(AT_FDCWD, \"d/planted\", \\{[^}]*st_size=1006, [^}]*}, "
                + "AT_SYMLINK_NOFOLLOW\\) = 0\nthe runs differ\n$").matcher(out).find(), out);
    }

    @Test
    void jlxAndNativeAgreeOnASimpleProgram() throws Exception {
        Result r = diff("--native", "--", "/bin/busybox", "sh", "-c",
                "cat seed; echo made > new; chmod 600 new; ln -s new link; ls -l seed new link | busybox cut -c1-10");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("A: posix\nB: native\nstatus: same (0)\n"), r.out());
        assertTrue(r.out().endsWith("files: same (3 entries)\nsyscalls: not compared (a native run has no trace)\n"
                + "the runs agree\n"), r.out());
        Result differs = diff("--native", "--", "/bin/busybox", "sh", "-c", "echo $$");
        assertEquals(1, differs.status(), differs.out());
        assertTrue(differs.out().contains("stdout: differs at line 1\n  A: 2\n"), differs.out());
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        Result three = diff("--backend", "posix", "--backend", "posix", "--backend", "posix", "--", "/bin/true");
        assertEquals(2, three.status());
        assertEquals("jlx diff: --backend and --root are given once (both runs) or twice (run A, run B)\n", three.err());
        Result nativeWithRoot = diff("--native", "--root", "/", "--", "/bin/true");
        assertEquals(2, nativeWithRoot.status());
        assertEquals(2, diff("--no-such-option").status());
        Result unknown = diff("--backend", "no-such", "--", "/bin/true");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("jlx diff: no host backend named no-such (there are: "), unknown.err());
    }

    /** The same comparison through the embedding API: the result's parts, not only its report. */
    @Test
    void embeddingApiGivesTheDifferencesAsData() throws Exception {
        Files.writeString(dir.resolve("seed"), "seed\n");
        // Named before the planted backend is enabled, which would otherwise be this thread's default.
        String backend = HostBackends.get(Jlx.BACKEND).name();
        PlantedSizeBackend.ENABLED.set(true);
        try {
            LinuxMachine posix = LinuxMachine.builder().hostBackend(backend).env("PATH", "/usr/bin:/bin").build();
            LinuxMachine planted = LinuxMachine.builder().hostBackend(PlantedSizeBackend.NAME)
                    .env("PATH", "/usr/bin:/bin").build();
            ProgramDiff.Result r = ProgramDiff.compare(new ProgramDiff.MachineSide("posix", posix),
                    new ProgramDiff.MachineSide("planted", planted), dir, FILE_SEQUENCE, new byte[0]);
            assertFalse(r.same(), r.report());
            assertTrue(r.sameStatus() && r.sameStderr() && !r.sameStdout() && !r.sameFiles(), r.report());
            assertEquals(List.of("d", "d/planted", "seed"), r.a().files().stream().map(ProgramDiff.FileEntry::path)
                    .toList());
            assertEquals(6, r.a().files().get(1).size());
            assertEquals(1006, r.b().files().get(1).size());
            assertEquals(r.a().files().get(1).sha256(), r.b().files().get(1).sha256());
            ProgramDiff.SyscallDifference d = r.syscall().orElseThrow();
            assertTrue(d.lineA().contains("\"d/planted\", {") && d.lineA().contains(" st_size=6,"), d.lineA());
            assertTrue(d.lineB().contains("\"d/planted\", {") && d.lineB().contains(" st_size=1006,"), d.lineB());
            ProgramDiff.Result same = ProgramDiff.compare(new ProgramDiff.MachineSide("posix", posix),
                    new ProgramDiff.MachineSide("posix", posix), dir, FILE_SEQUENCE, new byte[0]);
            assertTrue(same.same(), same.report());
            assertEquals(List.of("seed"), List.of(dir.toFile().list()), "the working directory itself is untouched");
        } finally {
            PlantedSizeBackend.ENABLED.remove();
        }
    }
}
