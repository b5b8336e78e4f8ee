package dev.jlx.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shell scripts, each a tree of processes (fork, vfork, posix_spawn, execve, pipes, wait), run by
 * bash and by busybox sh natively and under jlx: output, errors and status must match.
 */
class ShellTest {
    private static final String[] SCRIPTS = {
        "ls / | sort | head -3",
        "seq 100000 | awk '{s+=$1} END {print s}' | sort -n | tail -1",
        "x=$(echo sub; echo shell); echo \"[$x]\"",
        "(cd /usr; pwd); pwd",
        "false; echo $?; true; echo $?; (exit 3); echo $?",
        "trap 'echo on exit' EXIT; echo body",
        "set -e; echo one; false; echo never",
        "cat <<EOF\nhere $((6 * 7))\nEOF",
        "sleep 0.1 & echo started; wait; echo waited $?",
        "yes | head -1",
        "echo a b c | xargs -n1 echo",
        "printf '%s\\n' 3 1 2 | sort | xargs -P1 -n1 echo got",
        "env -i /usr/bin/env",
        "env -i A=1 B=2 /usr/bin/env",
        "/bin/sh -c 'exit 7'; echo $?",
        "nosuchcommand; echo $?",
        "./script.sh one two",
        "find . -name '*.c' -exec wc -l {} + | sort",
        "for i in 1 2 3; do echo $i | tr 1-3 a-c; done",
        "echo err >&2; echo out",
        "i=0; while [ $i -lt 20 ]; do /bin/true; i=$((i+1)); done; echo $i",
        "exec /bin/echo replaced; echo never",
        "kill -TERM $$; echo never",
        "(kill -9 $$$$ 2>/dev/null; sleep 5) & wait $!; echo $?",
        "cat missing-file 2>/dev/null || echo fallback",
        "read line; echo got \"$line\"",
    };

    @TempDir
    Path dir;

    private void seed() throws Exception {
        Files.writeString(dir.resolve("a.c"), "int a;\nint b;\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.c"), "int c;\n");
        Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho \"script $0: $*\"\nexit 4\n");
        script.toFile().setExecutable(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/bash", "/bin/busybox sh"})
    void scriptsBehaveAsNatively(String shell) throws Exception {
        seed();
        for (String script : SCRIPTS) {
            List<String> argv = new java.util.ArrayList<>(List.of(shell.split(" ")));
            argv.add("-c");
            argv.add(script);
            Runner.assertSameAsNative(argv, dir, "a line of input\n".getBytes());
        }
    }

    /**
     * bash -c with SHLVL unset reads its rc files only when its input is a socket (a remote shell):
     * it asks getpeername(0), which must say ENOTSOCK for the pipe it is given here.
     */
    @Test
    void bashDashCReadsNoRcFile() throws Exception {
        Files.writeString(dir.resolve(".bashrc"), "echo read .bashrc\n");
        Runner.assertSameAsNative(List.of("/usr/bin/env", "-i", "HOME=" + dir, "/bin/bash", "-c", "echo $HOME"), dir,
                new byte[0]);
        Runner.assertSameAsNative(List.of("/usr/bin/env", "-i", "/bin/bash", "-c", "echo $HOME"), dir, new byte[0]);
    }

    @Test
    void makeBuildsThreeTargets() throws Exception {
        Files.writeString(dir.resolve("Makefile"), """
                all: hello report.txt

                hello: hello.c
                \tgcc -o hello hello.c

                report.txt: hello
                \t./hello > report.txt
                \techo "built by $(MAKE)" >> report.txt

                clean:
                \trm -f hello report.txt
                """);
        Files.writeString(dir.resolve("hello.c"), "#include <stdio.h>\nint main(void) { puts(\"hello\"); }\n");
        Path nativeDir = Files.createDirectories(dir.resolve("native"));
        Path jlxDir = Files.createDirectories(dir.resolve("jlx"));
        for (Path d : List.of(nativeDir, jlxDir)) {
            Files.copy(dir.resolve("Makefile"), d.resolve("Makefile"));
            Files.copy(dir.resolve("hello.c"), d.resolve("hello.c"));
        }
        for (List<String> make : List.of(List.of("/usr/bin/make"), List.of("/usr/bin/make"),
                List.of("/bin/cat", "report.txt"), List.of("/usr/bin/make", "clean"), List.of("/bin/ls"))) {
            Result.assertSameAs(Native.run(make, Runner.ENV, nativeDir, new byte[0]),
                    Jlx.run(make, Runner.ENV, jlxDir, new byte[0]), String.join(" ", make));
        }
    }
}
