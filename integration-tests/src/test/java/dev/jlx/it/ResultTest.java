package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The differential assertion itself: it must fail on any difference and say where. */
class ResultTest {
    private static Result result(String out, String err, int status) {
        return new Result(out.getBytes(StandardCharsets.UTF_8), err.getBytes(StandardCharsets.UTF_8), status);
    }

    @Test
    void identicalRunsPass() {
        assertDoesNotThrow(() -> Result.assertSameAs(result("a\nb\n", "e\n", 3), result("a\nb\n", "e\n", 3), "x"));
    }

    @Test
    void aDifferentLineIsShownAsALineDiffWithContext() {
        AssertionError e = assertThrows(AssertionError.class, () -> Result.assertSameAs(
                result("1\n2\n3\n4\n5\n6\n", "", 0), result("1\n2\n3\nfour\n5\n6\n", "", 0), "prog"));
        String m = e.getMessage();
        assertTrue(m.startsWith("prog: jlx differs from the native run\n"), m);
        assertTrue(m.contains("stdout: native 12 bytes, jlx 15 bytes, first difference at byte 6\n"), m);
        assertTrue(m.contains("  @@ line 2 @@\n    2\n    3\n  - 4\n  + four\n    5\n    6\n"), m);
        assertTrue(!m.contains("stderr"), m);
    }

    @Test
    void statusAndStderrAreComparedToo() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Result.assertSameAs(result("", "err\n", 1), result("", "", 0), "p"));
        assertTrue(e.getMessage().contains("exit status: native 1, jlx 0\n"), e.getMessage());
        assertTrue(e.getMessage().contains("stderr: native 4 bytes, jlx 0 bytes, first difference at byte 0\n"),
                e.getMessage());
        assertTrue(e.getMessage().contains("  - err\n"), e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreComparedAndShownEscaped() {
        Result a = new Result(new byte[] {'x', (byte) 0xff, '\n'}, new byte[0], 0);
        Result b = new Result(new byte[] {'x', (byte) 0xfe, '\n'}, new byte[0], 0);
        AssertionError e = assertThrows(AssertionError.class, () -> Result.assertSameAs(a, b, "p"));
        assertTrue(e.getMessage().contains("- x\\xff\n"), e.getMessage());
        assertTrue(e.getMessage().contains("+ x\\xfe\n"), e.getMessage());
    }

    @Test
    void aMissingFinalNewlineIsVisible() {
        assertEquals(List.of("a", "b\\ (no newline at end)"), Result.lines("a\nb".getBytes(StandardCharsets.UTF_8)));
        assertThrows(AssertionError.class, () -> Result.assertSameAs(result("a\n", "", 0), result("a", "", 0), "p"));
    }

    @Test
    void longOutputsAreCutToAReadableDiff() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            a.append(i).append('\n');
            b.append(i % 1000 == 0 ? "x" : Integer.toString(i)).append('\n');
        }
        AssertionError e = assertThrows(AssertionError.class,
                () -> Result.assertSameAs(result(a.toString(), "", 0), result(b.toString(), "", 0), "seq"));
        assertTrue(e.getMessage().lines().count() < 60, e.getMessage());
        assertTrue(e.getMessage().contains("more diff lines)"), e.getMessage());
    }
}
