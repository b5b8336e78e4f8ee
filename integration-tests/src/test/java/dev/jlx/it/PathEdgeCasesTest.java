package dev.jlx.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * paths.c, ~75 edge cases of the path and directory calls (trailing slashes, loops, dangling links,
 * O_NOFOLLOW, O_PATH, renames over files and directories, links, *at calls, AT_EMPTY_PATH, long
 * names, telldir/seekdir), and creates.c (the modes umask leaves on every kind of new file, trailing
 * slashes in each call that makes a name, a working directory deeper than PATH_MAX) and argorder.c
 * (calls with several bad arguments, whose errno shows which Linux checks first), each in a fresh
 * directory: natively and under jlx on hostfs, and on jlx's tmpfs against Linux's tmpfs.
 */
class PathEdgeCasesTest {
    @TempDir
    Path nativeDir;

    @TempDir
    Path jlxDir;

    static Stream<Arguments> programs() {
        return Stream.of("paths", "creates", "argorder").flatMap(name -> CPrograms.TOOLCHAINS.stream()
                .map(t -> Arguments.of(name, t)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void onHostfs(String program, CPrograms.Toolchain toolchain) throws Throwable {
        List<String> argv = List.of(CPrograms.binary(program, toolchain).toString());
        Result expected = Native.run(argv, Runner.ENV, nativeDir, new byte[0]);
        Result actual = Jlx.run(argv, Runner.ENV, jlxDir, new byte[0]);
        KnownFailures.check("PathEdgeCasesTest", program + " " + toolchain,
                () -> Result.assertSameAs(expected, actual, program + " " + toolchain));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void onTmpfs(String program, CPrograms.Toolchain toolchain) throws Exception {
        List<String> argv = List.of(CPrograms.binary(program, toolchain).toString());
        long pid = ProcessHandle.current().pid();
        Path shm = Files.createDirectories(Path.of("/dev/shm/jlx-" + program + "-" + pid + "-" + toolchain));
        try {
            Result expected = Native.run(argv, Runner.ENV, shm, new byte[0]);
            String guest = "/dev/shm/jlx-guest-" + program + "-" + pid;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Jlx.machine().env(Runner.ENV).tmpfs(guest).cwd(guest).build()
                    .run(argv, new ByteArrayInputStream(new byte[0]), out, err).shellStatus();
            Result.assertSameAs(expected, new Result(out.toByteArray(), err.toByteArray(), status),
                    program + " on tmpfs " + toolchain);
        } finally {
            try (Stream<Path> walk = Files.walk(shm)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
