package dev.jlx.tools;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.tools.rootfs.Rootfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jlx rootfs}: guest root directories for {@code jlx run --root}. */
@Command(name = "rootfs", description = "Builds guest root directories.", subcommands = RootfsCommand.Create.class)
final class RootfsCommand {
    /** {@code jlx rootfs create DIR [--backend NAME] --tar FILE... --deb FILE...}. */
    @Command(name = "create", sortOptions = false, description = {
        "Unpacks root-filesystem tarballs and Debian packages into a guest root.",
        "Then writes what the guest needs and the files lack: /etc/hosts, the host's /etc/resolv.conf, and the "
                + "user running jlx in /etc/passwd and /etc/group.",
        "Tarballs go first, then packages, each in the order given, into DIR (made if missing; what is there stays "
                + "unless an entry replaces it). No package script runs. Owners jlx cannot set (not root) are "
                + "kept in DIR/.jlx/owners. Entries that would land outside DIR and device nodes are skipped "
                + "with a warning.",
        "Files are written as the host backend that runs guests in DIR keeps them: `jlx run --backend NAME "
                + "--root DIR` reads what `jlx rootfs create DIR --backend NAME` writes."})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The guest root.")
        Path dir;

        @Option(names = "--tar", arity = "1..*", paramLabel = "FILE",
                description = "A root-filesystem tarball: plain, gzip, xz or bzip2 (repeatable).")
        List<Path> tars = List.of();

        @Option(names = "--deb", arity = "1..*", paramLabel = "FILE", description = "A Debian package (repeatable).")
        List<Path> debs = List.of();

        @Option(names = "--backend", paramLabel = "NAME", description = "Host backend whose guests use the root, "
                + "as `jlx run --backend`: posix, portable or windows (default: first available).")
        String backend;

        @Override
        public Integer call() {
            if (tars.isEmpty() && debs.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Missing source: --deb FILE or --tar FILE");
            }
            PrintWriter err = spec.commandLine().getErr();
            HostBackend host;
            try {
                host = HostBackends.get(backend);
            } catch (IllegalStateException e) {
                err.println("jlx rootfs: " + e.getMessage());
                return 1;
            }
            Progress progress = new Progress(err, System.console() != null);
            try {
                Rootfs rootfs = unpack(host, progress);
                progress.clear();
                err.println("jlx rootfs: " + rootfs.entries() + " entries into " + dir + " (" + rootfs.skipped()
                        + " skipped)");
                return 0;
            } catch (IOException e) {
                progress.clear();
                err.println(printable("jlx rootfs: " + message(e)));
                return 1;
            }
        }

        /** The user in /etc/passwd is the one the backend runs guests as, named as the JDK names jlx's user. */
        private Rootfs unpack(HostBackend host, Progress progress) throws IOException {
            try (Rootfs rootfs = Rootfs.open(host, dir, progress)) {
                for (Path t : tars) {
                    rootfs.unpackTar(t);
                }
                for (Path d : debs) {
                    rootfs.unpackDeb(d);
                }
                HostIdentity user = host.identity();
                rootfs.settle(System.getProperty("user.name"), user.uid(), user.gid(), Path.of("/etc/resolv.conf"));
                return rootfs;
            }
        }
    }

    /** A host error as the C library words it: "FILE: No such file or directory". */
    static String message(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() == null) {
            String reason = switch (f) {
                case NoSuchFileException _ -> "No such file or directory";
                case AccessDeniedException _ -> "Permission denied";
                default -> f.getClass().getSimpleName();
            };
            return f.getFile() + ": " + reason;
        }
        return e.getMessage();
    }

    /** Names come from archives: control characters in them are shown escaped, never sent to the terminal. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return b.toString();
    }

    /** On a terminal, one line that counts the entries as they go; warnings go above it. */
    static final class Progress implements Rootfs.Listener {
        private static final long INTERVAL_NANOS = 100_000_000;

        private final PrintWriter err;
        private final boolean terminal;
        private long shownAt;
        private int width;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void unpacked(String source, int entries) {
            long now = System.nanoTime();
            if (terminal && now - shownAt >= INTERVAL_NANOS) {
                shownAt = now;
                String line = printable("jlx rootfs: " + source + ": " + entries + " entries");
                err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                err.flush();
                width = line.length();
            }
        }

        @Override
        public void skipped(String source, String entry, String reason) {
            clear();
            err.println(printable("jlx rootfs: warning: " + source + ": " + entry + ": skipped: " + reason));
        }

        void clear() {
            if (width > 0) {
                err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
                width = 0;
            }
        }
    }
}
