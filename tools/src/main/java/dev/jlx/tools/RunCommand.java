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
        forwardTerminalSignals(machine);
        try {
            ExitStatus s = machine.run(argv);
            if (s.signaled() && timeLimit == null) {
                dieOf(s.signal());
            }
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
     * The signals jlx gets for its guests go to the guest's foreground process group, as the terminal
     * would send them to a native program's: SIGINT and SIGTSTP (from kill(1), or from the keyboard
     * where jlx's terminal is no front of a pty of jlx's, whose own line discipline makes the keyboard's
     * signals); the guest decides whether it ends or stops, not the JVM. In a Windows console too,
     * Ctrl-C: HotSpot's console control handler raises SIGINT for CTRL_C_EVENT (os_windows.cpp,
     * consoleHandler). SIGQUIT stays the JVM's: JVM_RegisterSignal refuses it to Java (the launcher
     * keeps its thread dump off the guest's output).
     *
     * <p>When the first guest process stops (a stop signal's default action), jlx stops itself with
     * the same signal, so that the user's shell sees its job stop ("Stopped") and takes the terminal
     * back; its SIGCONT (fg, bg) continues the first process's group. SIGTSTP is given back to its
     * default action for jlx's own stop and handled again once jlx runs on.
     */
    private static void forwardTerminalSignals(LinuxMachine machine) {
        forward("INT", () -> machine.signalForeground(dev.jlx.abi.Signals.SIGINT));
        forward("TSTP", () -> machine.signalForeground(dev.jlx.abi.Signals.SIGTSTP));
        forward("CONT", () -> {
            forward("TSTP", () -> machine.signalForeground(dev.jlx.abi.Signals.SIGTSTP));
            machine.continueStopped();
        });
        machine.onJobControl(sig -> {
            if (sig != dev.jlx.abi.Signals.SIGCONT) {
                Thread.ofPlatform().name("jlx-stop").start(() -> stopSelf(sig));
            }
        });
    }

    private static void forward(String signal, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> action.run());
        } catch (IllegalArgumentException unsupported) {
            // No such signal on this host (Windows has no SIGTSTP), or the JVM keeps it (-Xrs): its own handling stays.
        }
    }

    /**
     * Signals that end a process and that jlx can take back from the JVM: jlx dies of the one that
     * killed its guest, as the guest would have died natively, so that the user's shell tells of it
     * ("Killed", "Quit", and the new line after ^C). SIGQUIT's handler is HotSpot's, which Java cannot
     * change: the host backend's C library gives it its default action back (no handler runs in
     * signal context). Others (SIGSEGV, SIGABRT: the JVM's own, or a core dump of the JVM) end jlx with 128 +
     * the signal's number.
     */
    private static final java.util.Set<Integer> DIE_OF = java.util.Set.of(dev.jlx.abi.Signals.SIGHUP,
            dev.jlx.abi.Signals.SIGINT, dev.jlx.abi.Signals.SIGKILL, dev.jlx.abi.Signals.SIGTERM,
            dev.jlx.abi.Signals.SIGALRM, dev.jlx.abi.Signals.SIGUSR1, dev.jlx.abi.Signals.SIGQUIT);

    /** Dies of {@code sig} when it is one of {@link #DIE_OF} (the guest's run is over, its terminal restored). */
    private void dieOf(int sig) {
        if (!DIE_OF.contains(sig)) {
            return;
        }
        System.out.flush();
        System.err.flush();
        if (sig == dev.jlx.abi.Signals.SIGQUIT) {
            if (!dev.jlx.core.host.HostBackends.get(backend).defaultSignalAction(sig)) {
                return;
            }
        } else if (sig != dev.jlx.abi.Signals.SIGKILL) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(dev.jlx.abi.Signals.name(sig).substring(3)),
                        sun.misc.SignalHandler.SIG_DFL);
            } catch (IllegalArgumentException kept) {
                return;
            }
        }
        stopSelf(sig);
    }

    /**
     * Stops the JVM with {@code sig} (SIGTSTP, SIGTTIN, SIGTTOU or SIGSTOP), or ends it, by kill(1),
     * the one way Java has to send its own process a signal; a host without kill (Windows) goes on.
     */
    private static void stopSelf(int sig) {
        String name = dev.jlx.abi.Signals.name(sig).substring(3);
        try {
            if (sig == dev.jlx.abi.Signals.SIGTSTP) {
                sun.misc.Signal.handle(new sun.misc.Signal("TSTP"), sun.misc.SignalHandler.SIG_DFL);
            }
            new ProcessBuilder("kill", "-" + name, Long.toString(ProcessHandle.current().pid()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (java.io.IOException | IllegalArgumentException noKill) {
            // No kill(1) or no such signal here.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
