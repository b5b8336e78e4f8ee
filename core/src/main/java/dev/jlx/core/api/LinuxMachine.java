package dev.jlx.core.api;

import dev.jlx.core.HostOs;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.Tmpfs;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The embedding API: a configured Linux machine that runs guest programs to completion. One machine
 * may run many programs, one after another or from several Java threads at once; each run is an
 * independent guest process tree.
 *
 * <pre>{@code
 * ExitStatus s = LinuxMachine.builder().stdout(out).build().run(List.of("/bin/busybox", "echo", "hi"));
 * }</pre>
 */
public final class LinuxMachine {
    private final Config config;
    /** This machine's tmpfs instances, by guest path, created with the first run's identity. */
    private final Map<String, FileSystem> tmpfs = new HashMap<>();

    /** The guest worlds of the runs in progress, for {@link #signalForeground}. */
    private final java.util.Set<dev.jlx.core.kernel.Kernel> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    LinuxMachine(Config config) {
        this.config = config;
    }

    Config config() {
        return config;
    }

    /** This machine's IPC namespace (System V objects, POSIX message queues), made with the first run's host memory. */
    private dev.jlx.core.ipc.IpcNamespace ipc;

    synchronized dev.jlx.core.ipc.IpcNamespace ipc(dev.jlx.core.host.HostMemory memory) {
        if (ipc == null) {
            ipc = new dev.jlx.core.ipc.IpcNamespace(memory);
        }
        return ipc;
    }

    /** The tmpfs mounted at {@code guestPath}, made on first use. */
    synchronized FileSystem tmpfs(String guestPath, int uid, int gid, dev.jlx.core.host.HostFiles host) {
        return tmpfs.computeIfAbsent(guestPath, p -> new Tmpfs(uid, gid, 01777, host));
    }

    void started(dev.jlx.core.kernel.Kernel kernel) {
        kernel.onFirstProcessJobControl(sig -> {
            if (sig == dev.jlx.abi.Signals.SIGCONT) {
                kernel.hostTerminal().resumeFront();
                jobControl.accept(sig);
            } else {
                // The listener stops jlx: the user's shell gets its terminal settings back first. Off the
                // stopping thread, which may hold the pty that the front's output is drained through.
                Thread.ofPlatform().name("jlx-stop").start(() -> {
                    kernel.hostTerminal().suspendFront();
                    jobControl.accept(sig);
                });
            }
        });
        running.add(kernel);
    }

    /** Told of each run's first process stopping (its stop signal's number) or continuing (SIGCONT's). */
    private volatile java.util.function.IntConsumer jobControl = sig -> { };

    /**
     * {@code listener} hears of the stops and continues of each run's first process, with the stop
     * signal's number or SIGCONT's: {@code jlx run} stops itself as the program stops, so that the
     * user's shell sees its job stop as it would natively.
     */
    public void onJobControl(java.util.function.IntConsumer listener) {
        jobControl = Objects.requireNonNull(listener);
    }

    /** SIGCONT to the first process's group of every run in progress, as a shell's fg or bg sends it to its job. */
    public void continueStopped() {
        for (dev.jlx.core.kernel.Kernel k : running) {
            k.continueFirstGroup();
        }
    }

    void ended(dev.jlx.core.kernel.Kernel kernel) {
        running.remove(kernel);
    }

    /**
     * Sends signal {@code sig} (Linux's number) to the foreground process group of every run in
     * progress, as a terminal does for Ctrl-C (SIGINT): {@code jlx run} forwards its own SIGINT here.
     */
    public void signalForeground(int sig) {
        if (sig < 1 || sig > dev.jlx.abi.Signals.NSIG) {
            throw new IllegalArgumentException("no such signal: " + sig);
        }
        for (dev.jlx.core.kernel.Kernel k : running) {
            k.signalForeground(sig);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code argv} (argv[0] is the program: a guest path, or a bare name looked up in the
     * guest's PATH) and waits for the process to end.
     *
     * @throws JlxException when jlx cannot start it (not found, not executable, no engine)
     */
    public ExitStatus run(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        return MachineRun.run(this, config, List.copyOf(argv));
    }

    public ExitStatus run(String... argv) {
        return run(List.of(argv));
    }

    /** Runs {@code argv} with these standard streams instead of the machine's. */
    public ExitStatus run(List<String> argv, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        Config c = config;
        return MachineRun.run(this, new Config(c.root(), c.mounts(), c.cwd(), c.env(), stdin, stdout, stderr,
                c.timeLimit(), c.hostBackend(), c.trace(), c.hostUnixSockets()), List.copyOf(argv));
    }

    /** The machine's settings, read by the run. Streams left null mean the host's own. */
    record Config(
            Path root,
            List<MountSpec> mounts,
            String cwd,
            Map<String, String> env,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr,
            Duration timeLimit,
            String hostBackend,
            PrintStream trace,
            boolean hostUnixSockets) {}

    /** A mount asked for: a host directory (or, when null, a new tmpfs) at an absolute guest path. */
    record MountSpec(String guestPath, Path hostDirectory, boolean readOnly) {}

    /**
     * The guest root when none is named: on Linux the host's {@code /} (as qemu-user's); on other
     * hosts, whose {@code /} is no Linux system, the {@code jlx.root} system property, the
     * {@code JLX_ROOT} environment variable, else {@code rootfs} in jlx's per-user data folder
     * ({@link HostOs#dataDir}), made with {@code jlx rootfs create}.
     */
    public static Path defaultRoot(HostOs host) {
        if (host.linux()) {
            return Path.of("/");
        }
        String configured = System.getProperty("jlx.root", host.getenv("JLX_ROOT"));
        return configured != null && !configured.isEmpty() ? Path.of(configured) : host.dataDir().resolve("rootfs");
    }

    public static final class Builder {
        /** Null: the host's default ({@link #defaultRoot}). */
        private Path root;
        private final List<MountSpec> mounts = new ArrayList<>();
        private String cwd;
        private final Map<String, String> env = new LinkedHashMap<>();
        private InputStream stdin;
        private OutputStream stdout;
        private OutputStream stderr;
        private Duration timeLimit;
        private String hostBackend;
        private PrintStream trace;
        private boolean hostUnixSockets;

        private Builder() {}

        /**
         * The host directory that is the guest's {@code /}. Default: on a Linux host, the host's
         * {@code /}; elsewhere the configured guest root ({@link #defaultRoot}).
         */
        public Builder root(Path hostDirectory) {
            this.root = realPath(hostDirectory);
            return this;
        }

        /**
         * Mounts the host directory {@code hostDirectory} at {@code guestPath} (an absolute guest
         * path), read-only if asked: writes there fail with EROFS, renames and links out of it with
         * EXDEV, as across Linux mounts.
         */
        public Builder mount(Path hostDirectory, String guestPath, boolean readOnly) {
            mounts.add(new MountSpec(normalizedGuestPath(guestPath), realPath(hostDirectory), readOnly));
            return this;
        }

        /**
         * Mounts an empty tmpfs (memory, mode 1777) at {@code guestPath}, over whatever the root
         * has there. Like a machine's /tmp it keeps its files from one run to the next, for as long
         * as this machine object lives.
         */
        public Builder tmpfs(String guestPath) {
            mounts.add(new MountSpec(normalizedGuestPath(guestPath), null, false));
            return this;
        }

        /**
         * The host directory without symlinks (macOS's /tmp is one): the backend never follows a
         * symlink in the last component, so a mount source must be its real path.
         */
        private static Path realPath(Path hostDirectory) {
            try {
                return hostDirectory.toRealPath();
            } catch (java.io.IOException missing) {
                return hostDirectory.toAbsolutePath().normalize();
            }
        }

        /** The guest path without ".", ".." and repeated slashes (guest syntax whatever the host's is). */
        private static String normalizedGuestPath(String guestPath) {
            if (!guestPath.startsWith("/")) {
                throw new IllegalArgumentException("mount point must be an absolute guest path: " + guestPath);
            }
            java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
            for (String name : guestPath.split("/")) {
                if (name.equals("..")) {
                    names.pollLast();
                } else if (!name.isEmpty() && !name.equals(".")) {
                    names.addLast(name);
                }
            }
            return "/" + String.join("/", names);
        }

        /**
         * The guest's initial working directory. Default: the host's working directory when the
         * root is the host's {@code /} (as qemu-user does), else {@code /}.
         */
        public Builder cwd(String guestDirectory) {
            this.cwd = Objects.requireNonNull(guestDirectory);
            return this;
        }

        /** Sets one environment variable of the guest; the environment starts empty. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Adds all of {@code variables} to the guest environment, in their iteration order. */
        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Guest standard input; default: the host process's own standard input. */
        public Builder stdin(InputStream in) {
            this.stdin = in;
            return this;
        }

        /** Guest standard output; default: the host process's own standard output. */
        public Builder stdout(OutputStream out) {
            this.stdout = out;
            return this;
        }

        /** Guest standard error; default: the host process's own standard error. */
        public Builder stderr(OutputStream err) {
            this.stderr = err;
            return this;
        }

        /** Kills the guest with SIGKILL when it runs longer than this. Default: no limit. */
        public Builder timeLimit(Duration limit) {
            this.timeLimit = limit;
            return this;
        }

        /** The host backend by name ({@code posix}, {@code windows}); default: the first available. */
        public Builder hostBackend(String name) {
            this.hostBackend = name;
            return this;
        }

        /** Prints one strace-format line per syscall to {@code out}. */
        public Builder trace(PrintStream out) {
            this.trace = out;
            return this;
        }

        /**
         * Lets a guest's AF_UNIX connect reach a socket that a host process bound (a socket node on a
         * host mount, through the guest's mounts only, that no guest socket is bound to), as a
         * connected socket of the host's. Default: off, and such a connect is refused (ECONNREFUSED)
         * as one to a socket nobody listens on: a host's socket ({@code /run/docker.sock}) is a way out
         * of any sandbox.
         */
        public Builder hostUnixSockets(boolean allowed) {
            this.hostUnixSockets = allowed;
            return this;
        }

        public LinuxMachine build() {
            Path root = this.root != null ? this.root : realPath(defaultRoot(HostOs.running()));
            List<MountSpec> all = new ArrayList<>(mounts);
            all.add(new MountSpec("/", root, false));
            return new LinuxMachine(new Config(root, List.copyOf(all), cwd,
                    Collections.unmodifiableMap(new LinkedHashMap<>(env)), stdin, stdout, stderr, timeLimit, hostBackend, trace,
                    hostUnixSockets));
        }
    }
}
