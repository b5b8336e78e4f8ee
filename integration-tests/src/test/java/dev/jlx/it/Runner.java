package dev.jlx.it;

import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.JlxException;
import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command natively (the oracle) and under jlx through the embedding API, with the same
 * argv, environment, working directory and standard input.
 */
final class Runner {
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C", "TZ", "UTC",
            "HOME", "/nonexistent");

    private Runner() {}

    static Result nativeRun(List<String> argv, Map<String, String> env, Path cwd, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // The program did not read all of its input; that is its business.
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("native run timed out: " + argv);
        }
        return new Result(out.get(), err.get(), p.exitValue());
    }

    static Result jlxRun(List<String> argv, Map<String, String> env, Path cwd, byte[] stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitStatus s = LinuxMachine.builder().env(nativeOrder(env)).cwd(cwd.toString()).stdin(new ByteArrayInputStream(stdin))
                .stdout(out).stderr(err).timeLimit(Duration.ofSeconds(120)).build().run(argv);
        return new Result(out.toByteArray(), err.toByteArray(), s.shellStatus());
    }

    /**
     * The environment in the order a native child receives it from ProcessBuilder, so that a
     * program printing its environment sees the same order under jlx.
     */
    private static Map<String, String> nativeOrder(Map<String, String> env) {
        Map<String, String> order = new ProcessBuilder().environment();
        order.clear();
        order.putAll(env);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        order.forEach(out::put);
        return out;
    }

    /** jlx's own failure to start a program, as the embedding API reports it. */
    static JlxException jlxFailure(List<String> argv, Path cwd) {
        try {
            jlxRun(argv, ENV, cwd, new byte[0]);
        } catch (JlxException e) {
            return e;
        }
        throw new AssertionError("jlx started " + argv);
    }

    /** Runs natively and under jlx and asserts identical stdout, stderr and status. */
    static Result assertSameAsNative(List<String> argv, Path cwd, byte[] stdin) throws Exception {
        Result expected = nativeRun(argv, ENV, cwd, stdin);
        Result actual = jlxRun(argv, ENV, cwd, stdin);
        Result.assertSameAs(expected, actual, String.join(" ", argv));
        return actual;
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
