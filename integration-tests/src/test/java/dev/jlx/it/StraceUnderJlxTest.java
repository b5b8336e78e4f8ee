package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.it.CPrograms.Toolchain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's strace running under jlx traces guest programs through jlx's ptrace(2): its lines must be
 * those it prints natively, once the pids (the "[pid N]" prefixes), addresses and the environment's
 * size are masked. The traced calls are ones no two processes make at once, so that strace's
 * interleaving of lines is the same from run to run.
 */
class StraceUnderJlxTest {
    private static final String STRACE = "/usr/bin/strace";
    private static final Pattern PID_PREFIX = Pattern.compile("(?m)^\\[pid +\\d+\\] ");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]+");
    private static final Pattern VARS = Pattern.compile("\\d+ vars");

    @TempDir
    Path dir;

    /** strace -f of a program that forks, starts a thread and execs (straced.c): each process's calls. */
    @Test
    void followsForksThreadsAndExec() throws Throwable {
        Path prog = CPrograms.binary("straced", Toolchain.GCC);
        compare(List.of(STRACE, "-f", "-qq", "-e", "trace=write,exit_group,execve", "-e", "signal=none",
                prog.toString()));
    }

    /** strace of a shell's builtin and external commands, with the exit and the signals it shows. */
    @Test
    void tracesAShell() throws Throwable {
        compare(List.of(STRACE, "-f", "-qq", "-e", "trace=write,execve,exit_group", "-e", "signal=none",
                "/bin/busybox", "sh", "-c", "echo hi; /bin/busybox true; exit 3"));
    }

    /** strace -e inject: the tracer skips the call and sets its result at the syscall stops. */
    @Test
    void injectsAResult() throws Throwable {
        compare(List.of(STRACE, "-qq", "-e", "trace=getppid", "-e", "inject=getppid:retval=42",
                "/bin/busybox", "sh", "-c", "echo $PPID"));
    }

    private void compare(List<String> argv) throws Throwable {
        Result expected = masked(Native.run(argv, Runner.ENV, dir, new byte[0]));
        // The native run traced something: a comparison of two failures to trace would prove nothing.
        String traced = new String(expected.stderr(), StandardCharsets.UTF_8);
        assertTrue(traced.contains("exit_group(") || traced.contains("(INJECTED)"), traced);
        Result actual = masked(Jlx.run(argv, Runner.ENV, dir, new byte[0]));
        Result.assertSameAs(expected, actual, String.join(" ", argv));
    }

    private static Result masked(Result r) {
        String err = new String(r.stderr(), StandardCharsets.UTF_8);
        err = PID_PREFIX.matcher(err).replaceAll("");
        err = ADDRESS.matcher(err).replaceAll("ADDR");
        err = VARS.matcher(err).replaceAll("N vars");
        return new Result(r.stdout(), err.getBytes(StandardCharsets.UTF_8), r.status());
    }
}
