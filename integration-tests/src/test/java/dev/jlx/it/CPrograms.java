package dev.jlx.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compiles the C test programs in src/test/c at test time, once per JVM, into target/cbin. */
final class CPrograms {
    static final Path SOURCES = Path.of("src", "test", "c");
    static final Path OUT = Path.of("target", "cbin").toAbsolutePath();

    /** How a program is built: glibc static, glibc static-PIE, musl static. */
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

    private CPrograms() {}

    /** The binary of {@code name}.c built with {@code toolchain}, compiling it if needed. */
    static synchronized Path binary(String name, Toolchain toolchain) throws Exception {
        Files.createDirectories(OUT);
        Path source = SOURCES.resolve(name + ".c").toAbsolutePath();
        Path bin = OUT.resolve(name + "-" + toolchain.name().toLowerCase());
        if (Files.exists(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return bin;
        }
        List<String> cmd = new ArrayList<>(List.of(toolchain.compiler, toolchain.linkMode, "-O2", "-o", bin.toString(),
                source.toString()));
        if (toolchain != Toolchain.MUSL) {
            cmd.add(2, "-fno-stack-protector");
        }
        cmd.add("-lm");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("cannot compile " + name + " with " + toolchain + ":\n" + log);
        }
        return bin;
    }
}
