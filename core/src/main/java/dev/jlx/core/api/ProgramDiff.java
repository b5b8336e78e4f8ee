package dev.jlx.core.api;

import dev.jlx.abi.FileMode;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.HostDirectoryFs;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program twice and compares what the two runs did: under two machines (two host backends,
 * two guest roots), or under a machine and natively on this host (Linux only). Each run starts in a
 * fresh copy of the same working directory, with the same standard input. Compared are standard
 * output, standard error, the exit status, the files each run left in its working directory (as its
 * guest sees them), and, when both runs are traced (machines), the first syscall whose result differs.
 * The engine of {@code jlx diff}.
 *
 * <pre>{@code
 * ProgramDiff.Result r = ProgramDiff.compare(new ProgramDiff.MachineSide("posix", posix),
 *         new ProgramDiff.MachineSide("windows", windows), workDir, List.of("/bin/busybox", "sh", "-c", "..."),
 *         new byte[0]);
 * assertTrue(r.same(), r.report());
 * }</pre>
 *
 * <p>The guest's working directory is at the same guest path in both runs (so that {@code pwd} and the
 * traced paths agree), where the run's copy is mounted: the path asked for, by default the given
 * directory's own; a native run cannot be moved, so when one side is native, the other mounts its copy
 * where the native run's is. Only the working directory is copied: what a program changes elsewhere it changes for both runs,
 * which run one after the other.
 */
public final class ProgramDiff {
    private ProgramDiff() {}

    /** One of the two runs; {@code label} names it in the report. */
    public sealed interface Side permits MachineSide, HostSide {
        String label();
    }

    /** A run under {@code machine}: its root, mounts, environment, backend and time limit. */
    public record MachineSide(String label, LinuxMachine machine) implements Side {
        public MachineSide {
            Objects.requireNonNull(label);
            Objects.requireNonNull(machine);
        }
    }

    /**
     * A native run on this host, with the environment and time limit of {@code like} (whose guest root
     * must be the host's {@code /}, without mounts: a native run has the host's files). It has no trace.
     */
    public record HostSide(String label, LinuxMachine like) implements Side {
        public HostSide {
            Objects.requireNonNull(label);
            LinuxMachine.Config c = Objects.requireNonNull(like).config();
            if (c.root().getParent() != null || c.mounts().size() > 1) {
                throw new IllegalArgumentException("a native run has the host's / as its root, without mounts");
            }
        }
    }

    /** What one run did. {@code status} is the shell's: the exit code, or 128 + the signal that ended it. */
    public record Run(String label, int status, byte[] stdout, byte[] stderr, List<FileEntry> files,
            boolean traced, List<String> trace) {}

    /**
     * One entry of a working directory after a run: its path below that directory, its type ({@code
     * file}, {@code dir}, {@code symlink}, {@code fifo}, {@code socket}, {@code chardev}, {@code
     * blockdev}), permission bits (with set-id and sticky bits), size (-1 for a directory, whose size
     * is its file system's business), contents' SHA-256 (regular files) and link target (symlinks).
     */
    public record FileEntry(String path, String type, int permissions, long size, String sha256, String target) {
        static String typeName(int type) {
            return switch (type) {
                case FileMode.S_IFREG -> "file";
                case FileMode.S_IFDIR -> "dir";
                case FileMode.S_IFLNK -> "symlink";
                case FileMode.S_IFIFO -> "fifo";
                case FileMode.S_IFSOCK -> "socket";
                case FileMode.S_IFCHR -> "chardev";
                case FileMode.S_IFBLK -> "blockdev";
                default -> "type 0" + Integer.toOctalString(type);
            };
        }

        /** One line: {@code file 0644 6 bytes sha256:5891b5b522d5df08}, {@code symlink 0777 -> target}. */
        public String describe() {
            return type + " " + String.format("%04o", permissions) + (size >= 0 ? " " + size + " bytes" : "")
                    + (sha256 != null ? " sha256:" + sha256.substring(0, 16) : "")
                    + (target != null ? " -> " + target : "");
        }
    }

    /**
     * The first call on which the traces differ: the task (named by its place in the task tree: "1" is
     * the program, "1.2" the second task it started), the call's number in that task (from 1), and each
     * side's line with up to four calls of the task before it; a side's line is null when its task made
     * no such call.
     */
    public record SyscallDifference(String task, int call, List<String> contextA, String lineA,
            List<String> contextB, String lineB) {}

    /** Both runs, and the first syscall difference when both were traced. */
    public record Result(Run a, Run b, Optional<SyscallDifference> syscall) {
        public boolean sameStatus() {
            return a.status() == b.status();
        }

        public boolean sameStdout() {
            return Arrays.equals(a.stdout(), b.stdout());
        }

        public boolean sameStderr() {
            return Arrays.equals(a.stderr(), b.stderr());
        }

        public boolean sameFiles() {
            return a.files().equals(b.files());
        }

        /** Whether the runs agree on everything compared. */
        public boolean same() {
            return sameStatus() && sameStdout() && sameStderr() && sameFiles() && syscall.isEmpty();
        }

        /** The comparison for a human, one line per aspect and the details of each difference under it. */
        public String report() {
            StringBuilder r = new StringBuilder();
            r.append("A: ").append(a.label()).append('\n').append("B: ").append(b.label()).append('\n');
            r.append("status: ").append(sameStatus() ? "same (" + a.status() + ")"
                    : "differs: A " + a.status() + ", B " + b.status()).append('\n');
            stream(r, "stdout", a.stdout(), b.stdout());
            stream(r, "stderr", a.stderr(), b.stderr());
            files(r);
            if (!a.traced() || !b.traced()) {
                r.append("syscalls: not compared (a native run has no trace)\n");
            } else if (syscall.isEmpty()) {
                r.append("syscalls: same (").append(a.trace().size()).append(" calls)\n");
            } else {
                SyscallDifference d = syscall.get();
                r.append("syscalls: first difference in task ").append(d.task()).append(", call ").append(d.call())
                        .append('\n');
                calls(r, "A", d.contextA(), d.lineA());
                calls(r, "B", d.contextB(), d.lineB());
            }
            r.append(same() ? "the runs agree\n" : "the runs differ\n");
            return r.toString();
        }

        private static void stream(StringBuilder r, String name, byte[] a, byte[] b) {
            if (Arrays.equals(a, b)) {
                r.append(name).append(": same (").append(a.length).append(" bytes)\n");
                return;
            }
            List<byte[]> la = lines(a);
            List<byte[]> lb = lines(b);
            int i = 0;
            while (i < la.size() && i < lb.size() && Arrays.equals(la.get(i), lb.get(i))) {
                i++;
            }
            r.append(name).append(": differs at line ").append(i + 1).append('\n');
            r.append("  A: ").append(i < la.size() ? printable(la.get(i)) : "(end)").append('\n');
            r.append("  B: ").append(i < lb.size() ? printable(lb.get(i)) : "(end)").append('\n');
        }

        private void files(StringBuilder r) {
            if (sameFiles()) {
                r.append("files: same (").append(a.files().size()).append(a.files().size() == 1 ? " entry" : " entries")
                        .append(")\n");
                return;
            }
            r.append("files: differ\n");
            Map<String, FileEntry> fa = byPath(a.files());
            Map<String, FileEntry> fb = byPath(b.files());
            Set<String> paths = new LinkedHashSet<>(fa.keySet());
            paths.addAll(fb.keySet());
            for (String p : paths) {
                FileEntry ea = fa.get(p);
                FileEntry eb = fb.get(p);
                if (!Objects.equals(ea, eb)) {
                    r.append("  ").append(p).append(": A ").append(ea == null ? "(none)" : ea.describe())
                            .append(", B ").append(eb == null ? "(none)" : eb.describe()).append('\n');
                }
            }
        }

        private static Map<String, FileEntry> byPath(List<FileEntry> files) {
            Map<String, FileEntry> m = new LinkedHashMap<>();
            files.forEach(f -> m.put(f.path(), f));
            return m;
        }

        private static void calls(StringBuilder r, String side, List<String> context, String line) {
            r.append("  ").append(side).append(":\n");
            for (String c : context) {
                r.append("      ").append(c).append('\n');
            }
            r.append("    > ").append(line != null ? line : "(no further call)").append('\n');
        }

        /** The lines of an output, each with its newline; the last one without, when the output ends so. */
        private static List<byte[]> lines(byte[] bytes) {
            List<byte[]> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(Arrays.copyOfRange(bytes, start, i + 1));
                    start = i + 1;
                }
            }
            if (start < bytes.length) {
                lines.add(Arrays.copyOfRange(bytes, start, bytes.length));
            }
            return lines;
        }

        /** A line as UTF-8 text, control characters and invalid bytes as {@code \xNN}. */
        private static String printable(byte[] line) {
            boolean newline = line.length > 0 && line[line.length - 1] == '\n';
            String text = ByteString.of(newline ? Arrays.copyOf(line, line.length - 1) : line).toString();
            StringBuilder b = new StringBuilder();
            text.codePoints().forEach(c -> {
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    b.append(String.format("\\x%02x", c));
                } else {
                    b.appendCodePoint(c);
                }
            });
            return b + (newline ? "" : " (no newline at end)");
        }
    }

    /**
     * Runs {@code argv} on both sides, each in a fresh copy of {@code workDirectory} with {@code stdin}
     * as its standard input, one after the other, and compares the runs. A program that cannot be
     * started counts as a run: jlx's message and status (126, 127) on one side, the JDK's on a native one.
     *
     * @throws IllegalArgumentException when both sides are native
     * @throws IllegalStateException when a side's host backend is not available
     * @throws IOException when the working directory cannot be copied (it holds a FIFO, socket or device)
     *     or a run's files cannot be listed
     * @throws JlxException when jlx fails inside (internal error) or the caller is interrupted
     */
    public static Result compare(Side a, Side b, Path workDirectory, List<String> argv, byte[] stdin) throws IOException {
        return compare(a, b, workDirectory, null, argv, stdin);
    }

    /**
     * As {@link #compare(Side, Side, Path, List, byte[])}, with the copies of {@code workDirectory} at
     * the guest path {@code guestDirectory} (null: the directory's own path), whose parent directory
     * each machine's guest root must have; not with a native side.
     */
    public static Result compare(Side a, Side b, Path workDirectory, String guestDirectory, List<String> argv,
            byte[] stdin) throws IOException {
        if (a instanceof HostSide && b instanceof HostSide) {
            throw new IllegalArgumentException("only one side can run natively");
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        if (guestDirectory != null && (a instanceof HostSide || b instanceof HostSide)) {
            throw new IllegalArgumentException("a native run stays where its copy is: no guest directory to choose");
        }
        Path work = workDirectory.toRealPath();
        if (guestDirectory != null && !guestDirectory.startsWith("/")) {
            throw new IllegalArgumentException("the guest directory must be an absolute guest path: " + guestDirectory);
        }
        Path scratch = Files.createTempDirectory("jlx-diff-").toRealPath();
        try {
            Path copyA = scratch.resolve("a");
            Path copyB = scratch.resolve("b");
            FileTree.copy(work, copyA, scratch);
            FileTree.copy(work, copyB, scratch);
            String guestCwd = a instanceof HostSide ? copyA.toString() : b instanceof HostSide ? copyB.toString()
                    : guestDirectory != null ? guestDirectory.replaceAll("(?<=.)/+$", "") : work.toString();
            // jlx mounts on a missing directory of the root, not below one (its walk would not reach it).
            String parent = guestCwd.substring(0, Math.max(1, guestCwd.lastIndexOf('/')));
            for (Side side : List.of(a, b)) {
                if (side instanceof MachineSide m
                        && !Files.isDirectory(m.machine().config().root().resolve(parent.substring(1)))) {
                    throw new IllegalArgumentException("the guest root " + m.machine().config().root()
                            + " has no directory " + parent + " to mount the working directory in");
                }
            }
            Run ra = run(a, copyA, guestCwd, argv, stdin);
            Run rb = run(b, copyB, guestCwd, argv, stdin);
            Optional<SyscallDifference> d = ra.traced() && rb.traced()
                    ? TraceComparison.firstDifference(ra.trace(), rb.trace()) : Optional.empty();
            return new Result(ra, rb, d);
        } finally {
            try {
                FileTree.delete(scratch);
            } catch (IOException e) {
                System.getLogger("dev.jlx").log(System.Logger.Level.WARNING, "jlx diff: cannot delete " + scratch, e);
            }
        }
    }

    private static Run run(Side side, Path copy, String guestCwd, List<String> argv, byte[] stdin) throws IOException {
        return switch (side) {
            case MachineSide m -> runMachine(m, copy, guestCwd, argv, stdin);
            case HostSide h -> runHost(h, copy, argv, stdin);
        };
    }

    private static Run runMachine(MachineSide side, Path copy, String guestCwd, List<String> argv, byte[] stdin)
            throws IOException {
        LinuxMachine.Config c = side.machine().config();
        HostBackend host = HostBackends.get(c.hostBackend());
        List<LinuxMachine.MountSpec> mounts = new ArrayList<>();
        // First, so that it wins over a mount of the machine's at the same guest path.
        mounts.add(new LinuxMachine.MountSpec(guestCwd, copy, false));
        mounts.addAll(c.mounts());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        LinuxMachine machine = new LinuxMachine(new LinuxMachine.Config(c.root(), List.copyOf(mounts),
                guestCwd, c.env(), new ByteArrayInputStream(stdin), out, err, c.timeLimit(),
                host.name(), new PrintStream(trace, true, StandardCharsets.UTF_8), c.hostUnixSockets()));
        int status;
        try {
            status = machine.run(argv).shellStatus();
        } catch (JlxException e) {
            if (e.shellStatus() != 126 && e.shellStatus() != 127) {
                throw e;
            }
            // Not started (not found, not executable): what `jlx run` says is this run's outcome.
            err.writeBytes((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            status = e.shellStatus();
        }
        List<FileEntry> files;
        try {
            files = FileTree.list(new HostDirectoryFs(host.files(), host.console(), ByteString.of(copy.toString())));
        } catch (ErrnoException e) {
            throw new IOException("cannot list " + copy + " through " + host.name() + ": " + e.errno().name(), e);
        }
        List<String> lines = trace.toString(StandardCharsets.UTF_8).lines().toList();
        return new Run(side.label(), status, out.toByteArray(), err.toByteArray(), files, true, lines);
    }

    private static Run runHost(HostSide side, Path copy, List<String> argv, byte[] stdin) throws IOException {
        LinuxMachine.Config c = side.like().config();
        ProcessBuilder pb = new ProcessBuilder(argv).directory(copy.toFile());
        pb.environment().clear();
        pb.environment().putAll(c.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            // As a shell: 126 when found but not executable, 127 when not found.
            int status = String.valueOf(e.getMessage()).contains("error=13") ? 126 : 127;
            return new Run(side.label(), status, new byte[0], (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8),
                    FileTree.listHost(copy), false, List.of());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        CompletableFuture.runAsync(() -> feed(p.getOutputStream(), stdin));
        try {
            if (c.timeLimit() == null) {
                p.waitFor();
            } else if (!p.waitFor(c.timeLimit().toMillis(), TimeUnit.MILLISECONDS)) {
                // As the machine's time limit: SIGKILL.
                p.destroyForcibly().waitFor();
            }
            // On Linux the JDK reports a process killed by signal N as 128 + N: the shell's status, as jlx's.
            return new Run(side.label(), p.exitValue(), out.get(), err.get(), FileTree.listHost(copy), false, List.of());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new JlxException("jlx: interrupted", 130);
        } catch (ExecutionException e) {
            throw new IOException("reading the native run's output", e.getCause());
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // The program ended, or closed its input, before reading all of it: its business.
        }
    }
}
