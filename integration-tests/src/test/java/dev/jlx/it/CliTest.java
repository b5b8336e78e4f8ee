package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code jlx} launcher at the repository root, as a user runs it. */
class CliTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static Result jlx(Path cwd, String... args) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(ROOT.resolve("jlx").toString());
        argv.addAll(List.of(args));
        return Native.run(argv, cliEnv(), cwd, new byte[0]);
    }

    /** {@code jlx run ARGS} on the backend under test. */
    static Result run(Path cwd, String... args) throws Exception {
        List<String> argv = jlxRun();
        argv.addAll(List.of(args));
        return Native.run(argv, cliEnv(), cwd, new byte[0]);
    }

    /** The launcher's {@code run} on the backend under test: the start of every command that runs a guest. */
    static List<String> jlxRun() {
        List<String> argv = new ArrayList<>(List.of(ROOT.resolve("jlx").toString(), "run"));
        if (Jlx.BACKEND != null) {
            argv.addAll(List.of("--backend", Jlx.BACKEND));
        }
        return argv;
    }

    /** The launcher's environment: its JDK, and the caller's XDG settings (where Unicorn and the log are). */
    static Map<String, String> cliEnv() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME",
                System.getProperty("user.home"), "JAVA_HOME", System.getProperty("java.home")));
        for (String xdg : List.of("XDG_DATA_HOME", "XDG_STATE_HOME")) {
            if (System.getenv(xdg) != null) {
                env.put(xdg, System.getenv(xdg));
            }
        }
        return env;
    }

    @Test
    void runsAProgramAndExitsWithItsStatus() throws Exception {
        Result hi = run(dir, "--", "/bin/busybox", "echo", "hi");
        assertEquals("hi\n", hi.out());
        assertEquals("", hi.err());
        assertEquals(0, hi.status());
        assertEquals(1, run(dir, "--", "/bin/busybox", "false").status());
    }

    @Test
    void inheritsEnvironmentAndWorkingDirectoryAndFindsBareNames() throws Exception {
        Result env = run(dir, "--env", "GREETING=hello", "--", "busybox", "env");
        assertTrue(env.out().contains("GREETING=hello\n"), env.out());
        assertTrue(env.out().contains("PATH=/usr/bin:/bin\n"), env.out());
        assertEquals(dir.toRealPath() + "\n", run(dir.toRealPath(), "--", "busybox", "pwd").out());
        Result clear = run(dir, "--clear-env", "--env", "A=1", "--", "/bin/busybox", "env");
        assertEquals("A=1\n", clear.out());
    }

    /**
     * The guest's environment is the one jlx was given, in its order: what the bash launcher changes in
     * its own (a non-interactive bash drops PS1 and PS2, sets PWD and _, resets PS4 for root) stays out.
     */
    @Test
    void guestEnvironmentIsExactlyTheOneGiven() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(cliEnv());
        env.putAll(Map.of("PS1", "a b", "PS2", "c", "PS4", "d", "SHLVL", "7", "IFS", "x", "_", "/bin/underscore"));
        Result expected = Native.run(List.of("/usr/bin/env"), env, dir, new byte[0]);
        List<String> argv = jlxRun();
        argv.addAll(List.of("--", "/usr/bin/env"));
        Result actual = Native.run(argv, env, dir, new byte[0]);
        assertEquals(expected.out(), actual.out());
        assertEquals(0, actual.status(), actual.err());
    }

    @Test
    void notAnExecutableIsOneLineAndStatus126() throws Exception {
        Path text = dir.resolve("script.txt");
        Files.writeString(text, "not a program\n");
        text.toFile().setExecutable(true);
        Result r = run(dir, "--", text.toString());
        assertEquals(126, r.status());
        assertEquals("", r.out());
        assertEquals("jlx: " + text + ": cannot execute: not an ELF executable (no ELF magic)\n", r.err());
        Result missing = run(dir, "--", "no-such-program");
        assertEquals(127, missing.status());
        assertEquals("jlx: no-such-program: command not found\n", missing.err());
    }

    @Test
    void traceWritesStraceLinesToStderrOnly() throws Exception {
        Result r = run(dir, "--trace", "--", "/bin/busybox", "echo", "hi");
        assertEquals("hi\n", r.out());
        assertTrue(r.err().contains("write(1, \"hi\\n\", 3) = 3\n"), r.err());
        assertTrue(r.err().contains("exit_group(0) = ?\n"), r.err());
        Result failing = run(dir, "--trace", "--", "/bin/busybox", "cat", "/nonexistent");
        assertTrue(failing.err().contains("= -1 ENOENT (No such file or directory)\n"), failing.err());
    }

    @Test
    void unimplementedSyscallsAreNamedInTheLogAndOnStderrOnlyWithVerbose() throws Exception {
        Path state = dir.resolve("state");
        // swapoff(2) stays unserved: the machine's swap is the host's (EPERM, with its reason).
        String swap = dir.resolve("swap").toString();
        Result quiet = jlxWithState(state, "--", "/bin/busybox", "swapoff", swap);
        Result verbose = jlxWithState(state, "--verbose", "--", "/bin/busybox", "swapoff", swap);
        assertTrue(!quiet.err().contains("jlx:"), quiet.err());
        assertTrue(verbose.err().contains("jlx: warning: unimplemented syscall swapoff (168) returns "),
                verbose.err());
        String log = Files.readString(state.resolve("jlx").resolve("jlx.log"));
        assertTrue(log.contains("unimplemented syscall swapoff (168)"), log);
    }

    /** {@code jlx run ARGS} with its log in {@code state}. */
    private static Result jlxWithState(Path state, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/env", "XDG_STATE_HOME=" + state));
        argv.addAll(jlxRun());
        argv.addAll(List.of(args));
        return Native.run(argv, cliEnv(), state.getParent(), new byte[0]);
    }

    @Test
    void terminalQueriesAreAnsweredFromTheHostTerminal() throws Throwable {
        // script(1) gives the program a pseudo-terminal; TCGETS must report that terminal's settings.
        // script's input stays open: at its end script types an end of file, which a raw terminal (jlx's,
        // fronting its own pty) takes as a NUL that jlx's pty then echoes.
        String jlxCmd = String.join(" ", jlxRun()) + " -- /bin/busybox stty -a";
        String open = " /dev/null < <(exec sleep 10 2>/dev/null)";
        Result viaJlx = Native.run(List.of("bash", "-c", "script -qec '" + jlxCmd + "'" + open), cliEnv(), dir,
                new byte[0]);
        Result nativeRun = Native.run(List.of("bash", "-c", "script -qec '/bin/busybox stty -a'" + open),
                Map.of("PATH", "/usr/bin:/bin"), dir, new byte[0]);
        assertTrue(nativeRun.out().contains("intr = ^C"), nativeRun.out());
        KnownFailures.check("CliTest", "stty -a", () -> {
            assertEquals(nativeRun.out(), viaJlx.out());
            assertEquals(nativeRun.status(), viaJlx.status());
        });
    }

    @Test
    void writingToAClosedPipeKillsWithSigpipe() throws Exception {
        String script = String.join(" ", jlxRun()) + " -- /bin/busybox seq 1 10000000 | head -1; echo status ${PIPESTATUS[0]}";
        Result r = Native.run(List.of("bash", "-c", script), cliEnv(), dir, new byte[0]);
        assertEquals("1\nstatus 141\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aMissingOrWrongEngineLibraryIsOneLineSayingHowToGetIt() throws Exception {
        for (String library : List.of("/nonexistent/libunicorn.so.2", "/usr/lib/x86_64-linux-gnu/libc.so.6")) {
            Map<String, String> env = new java.util.HashMap<>(cliEnv());
            env.put("JLX_UNICORN_LIBRARY", library);
            List<String> argv = jlxRun();
            argv.addAll(List.of("--", "/bin/busybox", "true"));
            Result r = Native.run(argv, env, dir, new byte[0]);
            assertEquals(1, r.status());
            assertEquals("", r.out());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("jlx: Unicorn >= 2.1.1 not found"), r.err());
            assertTrue(r.err().contains("libunicorn2t64"), r.err());
        }
    }

    @Test
    void anUnknownBackendIsOneLineNamingTheBackendsThereAre() throws Exception {
        Result r = jlx(dir, "run", "--backend", "no-such-backend", "--", "/bin/busybox", "true");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals("jlx: no host backend named no-such-backend (there are: posix, portable, windows)\n", r.err());
    }

    @Test
    void syscallsCommandPrintsTheTable() throws Exception {
        Result r = jlx(dir, "syscalls");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("\n0    read                     FULL"), r.out());
        assertTrue(r.out().contains("\n1    write                    FULL"), r.out());
        assertEquals(r.out().lines().count(), 1 + dev.jlx.core.syscall.SyscallTable.all().size());
    }

    @Test
    void fatalSignalStatusIs128PlusTheSignal() throws Exception {
        Result r = run(dir, "--", "/bin/busybox", "sh", "-c", "kill -SEGV $$");
        assertEquals(139, r.status(), r.err());
    }

    /**
     * Ctrl-C on jlx's terminal (script(1) gives it one; ^C typed into it once the guest is ready)
     * reaches the guest's foreground process group, as natively: a shell's INT trap runs, and
     * `cat` waiting for the terminal dies of it at once.
     */
    @Test
    void ctrlCReachesTheForegroundProcessGroup() throws Exception {
        Path ready = dir.resolve("ready");
        String trap = "/bin/busybox sh -c 'trap \"echo interrupted; exit 7\" INT; touch " + ready
                + "; sleep 10; echo not reached'";
        String cat = "/bin/busybox sh -c 'touch " + ready + "; exec /bin/busybox cat'";
        for (String guest : List.of(trap, cat)) {
            Result nativeRun = typeCtrlC(guest, ready, Map.of("PATH", "/usr/bin:/bin"));
            Result viaJlx = typeCtrlC(String.join(" ", jlxRun()) + " -- " + guest, ready, cliEnv());
            assertEquals(nativeRun.out(), viaJlx.out(), guest);
            assertEquals(nativeRun.status(), viaJlx.status(), guest + ": " + viaJlx.err());
        }
    }

    /**
     * Runs {@code command} on a terminal and types ^C once {@code ready} exists, then a line 10 s later;
     * the typist gives up when the command ends first (as when jlx cannot start it).
     */
    private Result typeCtrlC(String command, Path ready, Map<String, String> env) throws Exception {
        Files.deleteIfExists(ready);
        Path done = dir.resolve("done");
        Files.deleteIfExists(done);
        String typist = "while [ ! -e " + ready + " ]; do [ -e " + done + " ] && exit; sleep 0.05; done;"
                + " sleep 0.3; printf '\\003';"
                + " for i in $(seq 100); do [ -e " + done + " ] && exit; sleep 0.1; done; echo late";
        // exec: script's shell (dash without SHELL) would stay in the foreground group beside the command and
        // die of a host ^C itself, which jlx's raw terminal (fronting its own pty) no longer makes.
        String script = "(" + typist + ") | { script -qec \"exec " + command.replace("\"", "\\\"") + "\" /dev/null;"
                + " s=$?; touch " + done + "; exit $s; }";
        long start = System.nanoTime();
        Result r = Native.run(List.of("bash", "-c", script), env, dir, new byte[0]);
        assertTrue(System.nanoTime() - start < 9_000_000_000L, "still running after ^C: " + command);
        return r;
    }
}
