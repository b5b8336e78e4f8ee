package dev.jlx.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The oracle: runs a command as a real host process with exactly the given argv, environment (and
 * nothing else), working directory and standard input, and collects what it wrote and how it ended.
 */
final class Native {
    static final long TIMEOUT_SECONDS = 120;

    private Native() {}

    static Result run(List<String> argv, Map<String, String> env, Path cwd, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), io);
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), io);
            io.submit(() -> feed(p.getOutputStream(), stdin));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("native run still going after " + TIMEOUT_SECONDS + " s: " + argv);
            }
            // On Linux the JDK reports a child killed by signal N as 128 + N: the shell status, as jlx's.
            return new Result(out.get(), err.get(), p.exitValue());
        }
    }

    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // The program ended, or closed its input, before reading all of it: its business.
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
