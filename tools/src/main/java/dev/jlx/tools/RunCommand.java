package dev.jlx.tools;

import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.JlxException;
import dev.jlx.core.api.LinuxMachine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
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
 * {@code jlx run}: runs a program as qemu-user does. The guest inherits jlx's environment and, when
 * the guest root is the host's {@code /}, its working directory; jlx exits with the guest's status.
 */
@Command(name = "run", description = "Runs a Linux program.", sortOptions = false)
final class RunCommand implements Callable<Integer> {
    @Option(names = "--root", paramLabel = "DIR", description = "Host directory that is the guest's / (default: / on "
            + "Linux; elsewhere $JLX_ROOT, else the rootfs folder in jlx's data folder).")
    Path root;

    @Option(names = "--env", paramLabel = "K=V", description = "Sets a guest environment variable (repeatable).")
    List<String> env = List.of();

    @Option(names = "--clear-env", description = "Starts the guest with an empty environment.")
    boolean clearEnv;

    @Option(names = "--mount", paramLabel = "HOST:GUEST[:ro]",
            description = "Mounts a host directory at a guest path, read-only with :ro (repeatable).")
    List<String> mounts = List.of();

    @Option(names = "--tmpfs", paramLabel = "GUEST", description = "Mounts an empty tmpfs at a guest path (repeatable).")
    List<String> tmpfs = List.of();

    @Option(names = "--cwd", paramLabel = "DIR", description = "Guest working directory.")
    String cwd;

    @Option(names = "--trace", description = "Prints each syscall, strace style, to stderr.")
    boolean trace;

    @Option(names = "--verbose", description = "Also prints jlx's own log (warnings, unimplemented syscalls) to stderr.")
    boolean verbose;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Kills the guest after this many seconds.")
    Double timeLimit;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Host backend: posix, portable or windows (default: first available).")
    String backend;

    @Option(names = "--host-unix-sockets", description = "Lets the guest connect to AF_UNIX sockets that host "
            + "processes bound, on its mounts (off: refused, as a socket nobody listens on; a host's socket such as "
            + "/run/docker.sock is a way out of any sandbox).")
    boolean hostUnixSockets;

    @Parameters(arity = "1..*", paramLabel = "PROGRAM [ARG...]", description = "The program and its arguments.")
    List<String> argv;

    @Override
    public Integer call() {
        Logging.configure(verbose);
        if (root != null && !Files.isDirectory(root)) {
            System.err.println("jlx: --root " + root + ": not a directory");
            return 125;
        }
        LinuxMachine.Builder b = LinuxMachine.builder().hostBackend(backend).hostUnixSockets(hostUnixSockets);
        if (root != null) {
            b.root(root);
        }
        if (!clearEnv) {
            b.env(givenEnvironment());
        }
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                System.err.println("jlx: --env " + kv + ": expected K=V");
                return 125;
            }
            b.env(Map.of(kv.substring(0, eq), kv.substring(eq + 1)));
        }
        for (String m : mounts) {
            boolean readOnly = m.endsWith(":ro");
            String spec = readOnly ? m.substring(0, m.length() - 3) : m;
            // The guest path is the absolute one after the last ":/"; a Windows host path has colons of its own.
            int colon = spec.lastIndexOf(":/");
            if (colon <= 0) {
                System.err.println("jlx: --mount " + m + ": expected HOST:GUEST or HOST:GUEST:ro with an absolute GUEST");
                return 125;
            }
            Path host = Path.of(spec.substring(0, colon));
            if (!Files.isDirectory(host)) {
                System.err.println("jlx: --mount " + m + ": " + host + " is not a directory");
                return 125;
            }
            b.mount(host, spec.substring(colon + 1), readOnly);
        }
        for (String t : tmpfs) {
            if (!t.startsWith("/")) {
                System.err.println("jlx: --tmpfs " + t + ": expected an absolute guest path");
                return 125;
            }
            b.tmpfs(t);
        }
        if (cwd != null) {
            b.cwd(cwd);
        }
        if (timeLimit != null) {
            b.timeLimit(Duration.ofMillis((long) (timeLimit * 1000)));
        }
        if (trace) {
            b.trace(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        }
        LinuxMachine machine = b.build();
        forwardInterrupt(machine);
        try {
            ExitStatus s = machine.run(argv);
            return s.shellStatus();
        } catch (JlxException e) {
            System.err.println(e.getMessage());
            return e.shellStatus();
        }
    }

    /**
     * jlx's environment in the order it was given, as a native program would see it: Linux shows it in
     * /proc/self/environ (the first of two entries with one name wins, as getenv; the guest's strings are
     * UTF-8, as its other strings); other hosts give the JVM's map, whose order is its own.
     */
    static Map<String, String> givenEnvironment() {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc/self/environ"));
        } catch (java.io.IOException | UnsupportedOperationException noProc) {
            return System.getenv();
        }
        Map<String, String> env = new java.util.LinkedHashMap<>();
        int start = 0;
        for (int i = 0; i < environ.length; i++) {
            if (environ[i] == 0) {
                String kv = new String(environ, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
                }
                start = i + 1;
            }
        }
        return env;
    }

    /**
     * Ctrl-C on jlx's terminal (SIGINT to jlx) goes to the guest's foreground process group, as the
     * terminal would send it to a native program's: the guest decides whether it ends, not the JVM. In a
     * Windows console too: HotSpot's console control handler raises SIGINT for CTRL_C_EVENT
     * (os_windows.cpp, consoleHandler). Ctrl-Break stays the JVM's thread dump there, as SIGQUIT does on
     * Linux: JVM_RegisterSignal refuses BREAK_SIGNAL to Java.
     */
    private static void forwardInterrupt(LinuxMachine machine) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> machine.signalForeground(dev.jlx.abi.Signals.SIGINT));
        } catch (IllegalArgumentException unsupported) {
            // No SIGINT on this host (or the JVM keeps it, -Xrs): the JVM's own handling stays.
        }
    }
}
