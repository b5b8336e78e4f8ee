package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's gdb running under jlx debugs a guest program through jlx's ptrace(2), /proc/PID/mem and
 * /proc/PID/task: breakpoints (int3), next and step (single steps), finish, a hardware watchpoint,
 * a thread's breakpoint and a fork, started through a shell, and gdb -p; its output must be what it prints
 * natively, once what differs legitimately is masked: addresses of mappings the kernel places
 * (libraries, thread stacks), thread and process ids, and the table padding that follows from them.
 * The program's own addresses (gdb turns ASLR off) stay exact.
 */
class GdbUnderJlxTest {
    private static final Path SOURCE = Path.of("src", "test", "gdb", "debugged.c").toAbsolutePath();
    private static final Pattern MAPPED = Pattern.compile("0x0*7f[0-9a-f]{10}");
    private static final Pattern IDS = Pattern.compile("(LWP|process) \\d+");
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gdb {0}")
    @ValueSource(strings = {"dynamic", "static"})
    void debugsAProgram(String link) throws Throwable {
        assumeDefaultBackendUnless(link.equals("static"));
        Path program = dir.resolve("debugged-" + link);
        List<String> cc = new ArrayList<>(List.of("gcc", "-g", "-O0", "-pthread", "-o", program.toString(),
                SOURCE.toString()));
        if (link.equals("static")) {
            cc.add(1, "-static");
        }
        assertEquals(0, Native.run(cc, Runner.ENV, dir, new byte[0]).status(), "compile " + cc);
        List<String> argv = new ArrayList<>(List.of("/usr/bin/gdb", "-batch", "-nx"));
        for (String command : List.of("break main", "run", "bt", "info registers rip", "info threads", "next", "step",
                "print v", "finish", "watch y", "continue", "continue", "delete", "break worker", "continue", "thread",
                "bt", "delete", "continue")) {
            argv.add("-ex");
            argv.add(command);
        }
        argv.add(program.toString());
        Result expected = masked(Native.run(argv, Runner.ENV, dir, new byte[0]));
        // The native run debugged the program to its end: comparing two failures would prove nothing.
        String out = new String(expected.stdout(), StandardCharsets.UTF_8);
        assertTrue(out.contains("New value = 20") && out.contains("exited normally"), out);
        Result actual = masked(Jlx.run(argv, Runner.ENV, dir, new byte[0]));
        Result.assertSameAs(expected, actual, String.join(" ", argv));
    }

    /** gdb -p attaches to a running program (in a sleep: PTRACE_ATTACH's SIGSTOP interrupts it), reads it, detaches. */
    @org.junit.jupiter.api.Test
    void attachesToAProcess() throws Throwable {
        assumeDefaultBackendUnless(false);
        Path program = dir.resolve("debugged");
        List<String> cc = List.of("gcc", "-g", "-O0", "-pthread", "-o", program.toString(), SOURCE.toString());
        assertEquals(0, Native.run(cc, Runner.ENV, dir, new byte[0]).status(), "compile " + cc);
        String script = program + " loop & p=$!; sleep 1; /usr/bin/gdb -batch -nx -p $p -ex 'print y > 0' "
                + "-ex 'info threads' -ex detach 2>&1; kill $p; wait $p 2>/dev/null; echo $?";
        List<String> argv = List.of("/bin/sh", "-c", script);
        Result expected = masked(Native.run(argv, Runner.ENV, dir, new byte[0]));
        String out = new String(expected.stdout(), StandardCharsets.UTF_8);
        assertTrue(out.contains("$1 = 1") && out.contains("detached]"), out);
        Result actual = masked(Jlx.run(argv, Runner.ENV, dir, new byte[0]));
        Result.assertSameAs(expected, actual, script);
    }

    /**
     * gdb under jlx takes about a minute with a dynamic program (its start-up reading the libraries'
     * symbols): the other profiles run the static program only, whose files are their backend's as much.
     */
    private static void assumeDefaultBackendUnless(boolean always) {
        org.junit.jupiter.api.Assumptions.assumeTrue(always || Jlx.BACKEND == null,
                "run on the default profile only (CI time)");
    }

    private static Result masked(Result r) {
        return new Result(mask(r.stdout()), mask(r.stderr()), r.status());
    }

    private static byte[] mask(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        s = MAPPED.matcher(s).replaceAll("ADDR");
        s = IDS.matcher(s).replaceAll("$1 N");
        s = SPACES.matcher(s).replaceAll(" ");
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
