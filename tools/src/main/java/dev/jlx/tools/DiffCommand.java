package dev.jlx.tools;

import dev.jlx.core.api.LinuxMachine;
import dev.jlx.core.api.ProgramDiff;
import dev.jlx.core.host.HostBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jlx diff}: runs one program twice, under two host backends or guest roots (or under jlx and
 * natively), and reports how the runs differ, with diff(1)'s exit status.
 */
@Command(name = "diff", sortOptions = false,
        description = {"Runs a Linux program twice and compares the runs: under two host backends or guest roots, "
                + "or under jlx and natively (--native, Linux hosts only).",
            "Each run starts in a fresh copy of the working directory (--workdir), at the same guest path, with the "
                + "same standard input (read to its end first). Compared: stdout, stderr, the exit status, the "
                + "files each run left in its working directory as its guest sees them (names, types, permission "
                + "bits, sizes, SHA-256 of contents, symlink targets; not times or owners), and the first syscall "
                + "whose result differs, from the runs' --trace lines, task by task, with what differs between "
                + "any two runs masked: addresses, pids and tids, inode and device numbers, times (also in printed "
                + "stat structs), getrandom's bytes.",
            "With --native there is no syscall comparison: strace(1) output of the native run would differ from "
                + "jlx's trace in form, and the call sequences themselves differ legitimately (the vDSO answers "
                + "time calls natively without a syscall, jlx has none).",
            "Exit status: 0 when the runs agree, 1 when they differ, 2 on errors (usage, unavailable backend, "
                + "a working directory that cannot be copied)."},
        exitCodeOnInvalidInput = 2)
final class DiffCommand implements Callable<Integer> {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Host backend: once for both runs, twice for run A and run B (default: first available).")
    List<String> backends = List.of();

    @Option(names = "--native", description = "Runs B natively instead of under jlx (Linux hosts).")
    boolean nativeRun;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Guest root: once for both runs, twice for run A and run B (default: /).")
    List<Path> roots = List.of();

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "The directory whose copies the runs start in (default: the current directory).")
    Path workdir = Path.of("");

    @Option(names = "--cwd", paramLabel = "GUEST",
            description = "Guest path where each run finds its copy of the working directory, in a directory each "
                + "guest root has (default: the working directory's own path; not with --native).")
    String cwd;

    @Option(names = "--env", paramLabel = "K=V", description = "Sets a guest environment variable (repeatable).")
    List<String> env = List.of();

    @Option(names = "--clear-env", description = "Starts the program with an empty environment.")
    boolean clearEnv;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Kills each run after this many seconds.")
    Double timeLimit;

    @Option(names = "--host-unix-sockets",
            description = "Lets the runs under jlx connect to AF_UNIX sockets that host processes bound (as jlx run's).")
    boolean hostUnixSockets;

    @Parameters(arity = "1..*", paramLabel = "PROGRAM [ARG...]", description = "The program and its arguments.")
    List<String> argv;

    @Override
    public Integer call() throws IOException {
        Logging.configure(false);
        String problem = checkArguments();
        if (problem != null) {
            System.err.println("jlx diff: " + problem);
            return 2;
        }
        ProgramDiff.Side a;
        ProgramDiff.Side b;
        try {
            a = side(0);
            b = nativeRun ? new ProgramDiff.HostSide("native", machine(0)) : side(1);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("jlx diff: " + e.getMessage());
            return 2;
        }
        byte[] stdin = System.in.readAllBytes();
        ProgramDiff.Result r;
        try {
            r = ProgramDiff.compare(a, b, workdir, cwd, argv, stdin);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("jlx diff: " + e.getMessage());
            return 2;
        }
        System.out.print(r.report());
        return r.same() ? 0 : 1;
    }

    /** What is wrong with the options, or null. */
    private String checkArguments() {
        if (backends.size() > 2 || roots.size() > 2) {
            return "--backend and --root are given once (both runs) or twice (run A, run B)";
        }
        if (nativeRun && (backends.size() > 1 || !roots.isEmpty())) {
            return "--native runs B on the host itself: give at most one --backend (for A) and no --root";
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                return "--root " + root + ": not a directory";
            }
        }
        if (!Files.isDirectory(workdir)) {
            return "--workdir " + workdir + ": not a directory";
        }
        for (String kv : env) {
            if (kv.indexOf('=') <= 0) {
                return "--env " + kv + ": expected K=V";
            }
        }
        return null;
    }

    /** Run {@code i}'s machine side, labelled with its backend (and its root, when not the host's /). */
    private ProgramDiff.Side side(int i) {
        String backend = HostBackends.get(pick(backends, i)).name();
        Path root = pick(roots, i);
        String label = backend + (root == null ? "" : " --root " + root);
        return new ProgramDiff.MachineSide(label, machine(i));
    }

    private LinuxMachine machine(int i) {
        Path root = pick(roots, i);
        LinuxMachine.Builder m = LinuxMachine.builder().root(root == null ? Path.of("/") : root)
                .hostBackend(pick(backends, i)).hostUnixSockets(hostUnixSockets);
        if (!clearEnv) {
            m.env(RunCommand.givenEnvironment());
        }
        for (String kv : env) {
            int eq = kv.indexOf('=');
            m.env(Map.of(kv.substring(0, eq), kv.substring(eq + 1)));
        }
        if (timeLimit != null) {
            m.timeLimit(Duration.ofMillis((long) (timeLimit * 1000)));
        }
        return m.build();
    }

    /** The value for run {@code i}: the only one given, or the i-th, or null. */
    private static <T> T pick(List<T> given, int i) {
        return given.isEmpty() ? null : given.get(Math.min(i, given.size() - 1));
    }
}
