package dev.jlx.it;

import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.JlxException;
import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same command under jlx, through the embedding API: the host's {@code /} as the guest root, the
 * given environment only, the given working directory, in-memory standard streams.
 */
final class Jlx {
    /**
     * The host backend every guest of these tests runs on: {@code -Djlx.backend=NAME} (Maven passes it
     * on to the tests), else null, the platform's default. Machines get it from {@link #machine()}, the
     * launcher from {@link CliTest#jlxRun()}, the conformance scripts as {@code JLX_BACKEND}.
     */
    static final String BACKEND = System.getProperty("jlx.backend", "").isEmpty() ? null
            : System.getProperty("jlx.backend");

    private Jlx() {}

    /** A machine on the backend under test: the start of every machine these tests run a guest in. */
    static LinuxMachine.Builder machine() {
        return LinuxMachine.builder().hostBackend(BACKEND);
    }

    /** @throws JlxException when jlx cannot start the program at all */
    static Result run(List<String> argv, Map<String, String> env, Path cwd, byte[] stdin) {
        return run(machine(), argv, env, cwd, stdin);
    }

    /** As above on {@code machine}, a {@link #machine()} with more settings. */
    static Result run(LinuxMachine.Builder machine, List<String> argv, Map<String, String> env, Path cwd,
            byte[] stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitStatus s = machine
                .env(inNativeOrder(env))
                .cwd(cwd.toString())
                .stdin(new ByteArrayInputStream(stdin))
                .stdout(out)
                .stderr(err)
                .timeLimit(Duration.ofSeconds(Native.TIMEOUT_SECONDS))
                .build()
                .run(argv);
        return new Result(out.toByteArray(), err.toByteArray(), s.shellStatus());
    }

    /** jlx's refusal to start {@code argv}; fails the test if jlx started it. */
    static JlxException failure(List<String> argv, Map<String, String> env, Path cwd) {
        try {
            Result r = run(argv, env, cwd, new byte[0]);
            throw new AssertionError("jlx started " + argv + " (status " + r.status() + ", stderr "
                    + Result.printable(r.stderr()) + ") instead of refusing it");
        } catch (JlxException e) {
            return e;
        }
    }

    /**
     * The environment in the order ProcessBuilder hands it to a native child, so that a program that
     * prints its environment prints it in the same order under jlx.
     */
    static Map<String, String> inNativeOrder(Map<String, String> env) {
        Map<String, String> processBuilderOrder = new ProcessBuilder().environment();
        processBuilderOrder.clear();
        processBuilderOrder.putAll(env);
        return new LinkedHashMap<>(processBuilderOrder);
    }
}
