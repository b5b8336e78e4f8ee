package dev.jlx.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The C test programs of src/test/c, compiled at test time into target/cbin with each toolchain
 * (a binary is rebuilt when its source is newer). Nothing is prebuilt or checked in.
 */
final class CPrograms {
    static final Path SOURCES = Path.of("src", "test", "c").toAbsolutePath();
    static final Path OUT = Path.of("target", "cbin").toAbsolutePath();

    /** How a program is built: glibc static, glibc static-PIE, musl static; all -O2. */
    enum Toolchain {
        GCC("gcc", "-static"),
        GCC_PIE("gcc", "-static-pie"),
        MUSL("musl-gcc", "-static");

        final String compiler;
        final String linkMode;

        Toolchain(String compiler, String linkMode) {
            this.compiler = compiler;
            this.linkMode = linkMode;
        }
    }

    /**
     * The toolchains the tests use, {@code -Djlx.c.toolchains=GCC,...}: all by default; the other
     * backend profiles take a fixed sample, as a libc's calls do not depend on the host backend.
     */
    static final List<Toolchain> TOOLCHAINS = System.getProperty("jlx.c.toolchains", "").isEmpty()
            ? List.of(Toolchain.values())
            : Stream.of(System.getProperty("jlx.c.toolchains").split(",")).map(Toolchain::valueOf).toList();

    private CPrograms() {}

    /** Every program with each of the toolchains, compiled in parallel; for a test class's {@code @BeforeAll}. */
    static void compileAll() throws Exception {
        List<String> names;
        try (Stream<Path> files = Files.list(SOURCES)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).sorted().toList();
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()))) {
            List<Future<Path>> builds = new ArrayList<>();
            for (String name : names) {
                for (Toolchain t : TOOLCHAINS) {
                    builds.add(pool.submit(() -> binary(name, t)));
                }
            }
            for (Future<Path> build : builds) {
                build.get();
            }
        }
    }

    /** The binary of {@code name}.c built with {@code toolchain}, compiling it if it is missing or stale. */
    static Path binary(String name, Toolchain toolchain) throws Exception {
        Files.createDirectories(OUT);
        Path source = SOURCES.resolve(name + ".c");
        Path bin = OUT.resolve(name + "-" + toolchain.name().toLowerCase());
        if (fresh(bin, source)) {
            return bin;
        }
        // Build beside the target and move into place, so parallel test classes never see half a file.
        Path partial = Files.createTempFile(OUT, bin.getFileName() + ".", ".partial");
        List<String> cmd = List.of(toolchain.compiler, toolchain.linkMode, "-O2", "-Wall", "-o", partial.toString(),
                source.toString(), "-lm");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Files.deleteIfExists(partial);
            throw new AssertionError("cannot compile " + name + ".c with " + String.join(" ", cmd) + ":\n" + log);
        }
        Files.move(partial, bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return bin;
    }

    private static boolean fresh(Path bin, Path source) throws IOException {
        return Files.isExecutable(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(source)) > 0;
    }
}
