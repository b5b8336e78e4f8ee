package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CI subsets of three conformance suites, run by tools/conformance natively and under jlx:
 * strace's test programs, Go's standard-library tests and CPython's regression tests. Every test
 * must end under jlx as it does natively, except those in conformance-known.csv, which must end as
 * recorded there; a listed test that now matches Linux fails too, so that its line is removed. Each
 * suite's table (test, native status, jlx status) and summary line stay in target/conformance/SUITE/.
 */
class ConformanceTest {
    /** suite,test -> {jlx status, why}. */
    private static final Map<String, String[]> KNOWN = load(Path.of("conformance-known.csv"));

    @Test
    void straceTestPrograms() throws Exception {
        check("strace", 90);
    }

    @Test
    void goStandardLibraryTests() throws Exception {
        check("go", 500);
    }

    @Test
    void cpythonRegressionTests() throws Exception {
        check("cpython", 500);
    }

    /** Runs SUITE's subset and compares each test's jlx status with its native one. */
    private static void check(String suite, int atLeast) throws Exception {
        Path out = Path.of("target", "conformance", suite).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path log = out.resolveSibling(suite + ".log");
        ProcessBuilder pb = new ProcessBuilder(CliTest.ROOT.resolve("tools/conformance/" + suite + ".sh").toString(),
                "subset", out.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        if (Jlx.BACKEND != null) {
            pb.environment().put("JLX_BACKEND", Jlx.BACKEND);
        }
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(suite + ".sh still running after 30 minutes: see " + log);
        }
        assertEquals(0, p.exitValue(), suite + ".sh failed: see " + log);
        List<String> rows = Files.readAllLines(out.resolve("results.tsv"));
        assertTrue(rows.size() > atLeast, suite + ": only " + (rows.size() - 1) + " tests in " + out);
        List<String> problems = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            String test = f[0], nativeStatus = f[1], jlxStatus = f[2];
            String[] known = KnownFailures.onThisBackend(KNOWN, suite, test);
            if (nativeStatus.startsWith("not ")) {
                problems.add(test + ": " + nativeStatus + " natively");
            } else if (known == null && !jlxStatus.equals(nativeStatus)) {
                problems.add(test + ": " + jlxStatus + " under jlx, " + nativeStatus + " natively");
            } else if (known != null && jlxStatus.equals(nativeStatus)) {
                problems.add(test + ": now " + jlxStatus + " as natively: remove its line from"
                        + " integration-tests/conformance-known.csv (" + known[1] + ")");
            } else if (known != null && !jlxStatus.equals(known[0])) {
                problems.add(test + ": " + jlxStatus + " under jlx (" + nativeStatus + " natively), but "
                        + known[0] + " in integration-tests/conformance-known.csv (" + known[1] + ")");
            }
        }
        assertTrue(problems.isEmpty(), suite + " (" + Files.readString(out.resolve("summary.txt")).strip() + "):\n"
                + String.join("\n", problems));
    }

    private static Map<String, String[]> load(Path csv) {
        Map<String, String[]> known = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split(",", 4);
                known.put(parts[0] + "," + parts[1], new String[] {parts[2], parts[3]});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return known;
    }
}
