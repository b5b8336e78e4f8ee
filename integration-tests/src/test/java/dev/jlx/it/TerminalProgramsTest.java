package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive programs on jlx's own terminal, driven through Debian's tmux as a user types into them:
 * each case runs in a tmux server of its own (80x24) whose shell defines {@code run}, the program
 * itself natively and {@code jlx run --} under jlx, so that both screens show the same command
 * lines. The same keys go to both, and after each step the screen under jlx must become the native
 * one (clocks and pids masked). After each case the pane's {@code stty -g} must be what it was
 * before the program started: jlx gives the user's terminal back as it found it, however the guest
 * ended.
 */
class TerminalProgramsTest {
    private static final int COLUMNS = 80;
    private static final int ROWS = 24;
    /** How long a screen must stay the same to count as settled, and the longest wait for a step. */
    private static final long SETTLED_MILLIS = 400;
    private static final long STEP_MILLIS = 30_000;

    @TempDir
    Path dir;

    /**
     * The windows profile off Windows has no console (FakeConsoleLayer.detached): the guest's standard
     * streams are the JVM's pipes, so there is no terminal to drive (tmux, and so this test, runs on
     * Linux only; on Windows the console is jlx's terminal).
     */
    @BeforeAll
    static void terminalProfile() {
        Assumptions.assumeFalse("windows".equals(Jlx.BACKEND), "the windows profile off Windows has no console");
    }

    /** One step: keys for tmux send-keys (literal text when {@code literal}), then the screen, masked. */
    private record Step(boolean literal, List<String> keys) {}

    private static Step type(String text) {
        return new Step(true, List.of(text));
    }

    private static Step keys(String... keys) {
        return new Step(false, List.of(keys));
    }

    /** A tmux server of its own, its one pane running an interactive bash without start-up files. */
    private static final class Tmux implements AutoCloseable {
        private final String socket = "jlx-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

        Tmux(Path cwd, String runPrefix) throws Exception {
            List<String> start = new ArrayList<>(List.of("-f", "/dev/null", "new-session", "-d", "-x", "" + COLUMNS,
                    "-y", "" + ROWS, "-c", cwd.toString(), "env", "-i", "PATH=/usr/bin:/bin", "HOME=" + cwd,
                    "TERM=screen", "LANG=C.UTF-8", "PS1=$ ", "HISTFILE=/dev/null",
                    "JAVA_HOME=" + System.getProperty("java.home")));
            // Where the launcher finds Unicorn and writes jlx's log, as CliTest gives it.
            CliTest.cliEnv().forEach((k, v) -> {
                if (k.startsWith("XDG_")) {
                    start.add(k + "=" + v);
                }
            });
            start.addAll(List.of("bash", "--norc", "--noprofile", "-i"));
            tmux(start.toArray(String[]::new));
            tmux("set-option", "-g", "status", "off");
            awaitScreen(s -> s.contains("$"));
            send(type("run() { " + runPrefix + " \"$@\"; }; stty -g > .stty-before; clear"));
            send(keys("Enter"));
            awaitScreen(s -> s.strip().equals("$"));
        }

        String tmux(String... args) throws Exception {
            List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket));
            argv.addAll(List.of(args));
            Result r = Native.run(argv, Map.of("PATH", "/usr/bin:/bin"), Path.of("/"), new byte[0]);
            if (r.status() != 0) {
                throw new AssertionError("tmux " + String.join(" ", args) + ": " + r.err());
            }
            return r.out();
        }

        void send(Step step) throws Exception {
            List<String> argv = new ArrayList<>(List.of("send-keys"));
            if (step.literal()) {
                argv.add("-l");
            }
            argv.addAll(step.keys());
            tmux(argv.toArray(String[]::new));
        }

        String screen() throws Exception {
            return tmux("capture-pane", "-p");
        }

        /** The screen once it meets {@code until} and stays unchanged for a while, or as it is after the step's time. */
        String awaitScreen(java.util.function.Predicate<String> until) throws Exception {
            long end = System.currentTimeMillis() + STEP_MILLIS;
            String last = screen();
            long since = System.currentTimeMillis();
            while (System.currentTimeMillis() < end) {
                Thread.sleep(50);
                String now = screen();
                if (!now.equals(last)) {
                    last = now;
                    since = System.currentTimeMillis();
                } else if (until.test(now) && System.currentTimeMillis() - since >= SETTLED_MILLIS) {
                    return now;
                }
            }
            return last;
        }

        @Override
        public void close() throws Exception {
            tmux("kill-server");
        }
    }

    /**
     * Runs {@code steps} natively, then under jlx, each after its own tmux server started; returns the
     * jlx screens after asserting each equals the native one (masked) and that the pane's terminal
     * settings came back.
     */
    private void compare(String name, UnaryOperator<String> mask, List<Step> steps) throws Throwable {
        List<String> expected = new ArrayList<>();
        try (Tmux t = new Tmux(dir, "")) {
            for (Step s : steps) {
                t.send(s);
                expected.add(mask.apply(t.awaitScreen(x -> true)));
            }
        }
        List<String> actual = new ArrayList<>();
        try (Tmux t = new Tmux(dir, String.join(" ", CliTest.jlxRun()) + " --")) {
            boolean[] differs = {false};
            for (int i = 0; i < steps.size(); i++) {
                t.send(steps.get(i));
                String want = expected.get(i);
                // Once a screen differs the next ones are only let settle: they will not be the native ones either.
                String screen = mask.apply(t.awaitScreen(x -> differs[0] || mask.apply(x).equals(want)));
                actual.add(screen);
                differs[0] |= !screen.equals(want);
            }
            String end = terminalCheck(t);
            KnownFailures.check("TerminalProgramsTest", name, () -> {
                for (int i = 0; i < steps.size(); i++) {
                    assertEquals(expected.get(i), actual.get(i), name + ", screen after step " + (i + 1) + " "
                            + steps.get(i));
                }
                assertTerminalAsBefore(end, name);
            });
        }
    }

    /** The screen after the pane's shell compared its {@code stty -g} with the one from before the program started. */
    private static String terminalCheck(Tmux t) throws Exception {
        t.send(type("stty -g | cmp -s - .stty-before && echo TTY-SAME || echo TTY-CHANGED"));
        t.send(keys("Enter"));
        return t.awaitScreen(s -> s.lines().anyMatch(l -> l.equals("TTY-SAME") || l.equals("TTY-CHANGED")));
    }

    private static void assertTerminalAsBefore(String screen, String name) {
        assertTrue(screen.lines().anyMatch(l -> l.equals("TTY-SAME")), name + ": the terminal's settings changed:\n"
                + screen);
    }

    private static String unmasked(String screen) {
        return screen;
    }

    @Test
    void bashLineEditingHistoryCompletionAndJobControl() throws Throwable {
        Files.writeString(dir.resolve("alpha-file.txt"), "alpha content\n");
        compare("bash", TerminalProgramsTest::unmasked, List.of(
                type("run bash --norc --noprofile -i"), keys("Enter"),
                // A typo fixed with the arrows and backspace.
                type("ech hellp"), keys("Home", "Right", "Right", "Right"), type("o"), keys("End", "BSpace"),
                type("o"), keys("Enter"),
                keys("Up"), keys("Enter"),
                keys("C-r"), type("ech"), keys("Enter"),
                type("cat alp"), keys("Tab"), keys("Enter"),
                type("sleep 100"), keys("Enter"), keys("C-z"),
                type("jobs"), keys("Enter"), type("bg"), keys("Enter"), type("fg"), keys("Enter"), keys("C-c"),
                type("exit"), keys("Enter")));
    }

    @Test
    void vimInsertsAndWrites() throws Throwable {
        compare("vim", TerminalProgramsTest::unmasked, List.of(
                type("rm -f notes.txt; run vim -u NONE -N notes.txt"), keys("Enter"),
                keys("i"), type("hello from vim"), keys("Escape"), type(":wq"), keys("Enter"),
                type("cat notes.txt"), keys("Enter")));
    }

    @Test
    void lessPagesSearchesAndQuits() throws Throwable {
        Files.writeString(dir.resolve("long.txt"), IntStream.rangeClosed(1, 300).mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n", "", "\n")));
        compare("less", TerminalProgramsTest::unmasked, List.of(
                type("run less long.txt"), keys("Enter"), keys("Space"), type("/line 150"), keys("Enter"),
                keys("q")));
    }

    /**
     * top's summary and column heads, numbers masked; the process list itself differs by design (a
     * guest's /proc lists its own processes), so the screens are cut after the heads.
     */
    @Test
    void topBatchAndInteractive() throws Throwable {
        UnaryOperator<String> heads = s -> {
            List<String> lines = s.lines().toList();
            int head = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("PID USER")).findFirst()
                    .orElse(lines.size() - 1);
            // Numbers, and the spaces that align them, and the uptime's words ("up 3 days, 4:05" or "up 10 min").
            // A field at its widest leaves no space after its label ("%Cpu(s):100.0 us" on a busy machine).
            return lines.subList(0, head + 1).stream().map(l -> l.replaceAll("[0-9]+([.:][0-9]+)*", "N")
                    .replaceAll(":N", ": N")
                    .replaceAll("up .*, +N users?", "up T, N user").replaceAll(" +", " ").replaceAll(", *", ", "))
                    .collect(Collectors.joining("\n"));
        };
        compare("top", heads, List.of(
                type("clear; run top -b -n 1 -w 80 | head -7"), keys("Enter")));
        compare("top interactive", heads, List.of(
                type("run top -d 1"), keys("Enter"), keys("q")));
    }

    @Test
    void pythonRepl() throws Throwable {
        compare("python3", TerminalProgramsTest::unmasked, List.of(
                type("run python3 -q"), keys("Enter"),
                type("6 * 7"), keys("Enter"),
                type("def twice(x):"), keys("Enter"), type("return 2 * x"), keys("Enter"), keys("Enter"),
                type("twice(21)"), keys("Enter"),
                keys("C-d")));
    }

    /**
     * Ctrl-\ is SIGQUIT for the foreground group: `sleep` dies of it (the shell says "Quit", status
     * 131), a handler runs and the read it interrupted goes on; typeahead while a program runs is its.
     */
    @Test
    void ctrlBackslashQuits() throws Throwable {
        Files.writeString(dir.resolve("quit.py"), """
                import signal, sys
                signal.signal(signal.SIGQUIT, lambda s, f: print("quit", flush=True))
                print("ready", flush=True)
                print("got", repr(sys.stdin.readline()), flush=True)
                """, StandardCharsets.UTF_8);
        compare("quit", TerminalProgramsTest::unmasked, List.of(
                // The program says when it runs (jlx's JVM starts meanwhile, and a key before is the host's).
                type("run sh -c 'echo ready; exec sleep 100'"), keys("Enter"), keys("C-\\"),
                type("echo status $?"), keys("Enter"),
                type("run python3 quit.py"), keys("Enter"), keys("C-\\"), type("typed"), keys("Enter")));
    }

    /** A jlx started in the background is not stopped for being there, and its guest ends as natively. */
    @Test
    void backgroundRunIsNotStopped() throws Throwable {
        UnaryOperator<String> pids = s -> s.replaceAll("\\[1\\] [0-9]+", "[1] PID");
        compare("background", pids, List.of(
                type("run sleep 2 &"), keys("Enter"),
                type("sleep 4; jobs; echo done"), keys("Enter")));
    }

    /** A resize of the window reaches the guest's SIGWINCH handler, and stty size tells the new size. */
    @Test
    void resizeReachesSigwinch() throws Throwable {
        Files.writeString(dir.resolve("winch.py"), """
                import signal, subprocess, sys
                signal.signal(signal.SIGWINCH, lambda s, f: print("winch", flush=True))
                print("ready", flush=True)
                signal.pause()
                subprocess.run(["stty", "size"])
                """, StandardCharsets.UTF_8);
        List<String> screens = new ArrayList<>();
        for (String prefix : new String[] {"", String.join(" ", CliTest.jlxRun()) + " --"}) {
            try (Tmux t = new Tmux(dir, prefix)) {
                t.send(type("run python3 winch.py"));
                t.send(keys("Enter"));
                t.awaitScreen(s -> s.contains("ready"));
                t.tmux("resize-window", "-x", "100", "-y", "30");
                screens.add(t.awaitScreen(s -> s.contains("30 100") && s.strip().endsWith("$")));
            }
        }
        KnownFailures.check("TerminalProgramsTest", "resize", () -> assertEquals(screens.get(0), screens.get(1)));
    }

    /** A guest that leaves the terminal raw and dies by SIGKILL, or by jlx's time limit: the terminal comes back. */
    @Test
    void terminalRestoredAfterKillAndTimeLimit() throws Throwable {
        compare("kill -9", TerminalProgramsTest::unmasked, List.of(
                type("run sh -c 'stty raw -echo; kill -9 $$'"), keys("Enter"),
                type("stty -g | cmp -s - .stty-before && echo same"), keys("Enter")));
        try (Tmux t = new Tmux(dir, String.join(" ", CliTest.jlxRun()) + " --time-limit 3 --")) {
            t.send(type("run sh -c 'stty raw -echo; sleep 100'; echo status $?"));
            t.send(keys("Enter"));
            String screen = t.awaitScreen(s -> s.lines().anyMatch(l -> l.startsWith("status ")));
            assertTrue(screen.lines().anyMatch(l -> l.equals("status 137")), screen);
            assertTerminalAsBefore(terminalCheck(t), "--time-limit");
        }
    }
}
