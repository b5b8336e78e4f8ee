package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/**
 * Differences from Linux that jlx knows about and cannot fix yet, listed with a reason in
 * known-failures.csv; a test named {@code Test@BACKEND} there is one that differs only on that
 * host backend (profile), such as a call the portable profile's hosts lack. Such a case still runs: it must fail as recorded, and the day it passes it
 * fails, so that its line is removed. Nothing is ever skipped.
 */
final class KnownFailures {
    /** test,case -> {what the failure message must contain, why}. */
    private static final Map<String, String[]> KNOWN = load(Path.of("known-failures.csv"));

    private KnownFailures() {}

    /**
     * Runs {@code body}; a listed case must still fail, and in the recorded way (its message
     * contains the recorded text), so that a new, different failure of the same case is not hidden.
     */
    static void check(String test, String caseName, Executable body) throws Throwable {
        String[] known = onThisBackend(KNOWN, test, caseName);
        if (known == null) {
            body.execute();
            return;
        }
        AssertionError e = assertThrows(AssertionError.class, body, test + " " + caseName
                + " now matches Linux: remove its line from integration-tests/known-failures.csv (" + known[1] + ")");
        assertTrue(e.getMessage().contains(known[0]), "known failure changed shape: " + e.getMessage());
    }

    /**
     * {@code known}'s line for {@code test,caseName} ("test,case" keys), that of the backend under test
     * ({@code test@BACKEND}) over the test's own.
     */
    static <T> T onThisBackend(Map<String, T> known, String test, String caseName) {
        T mine = Jlx.BACKEND == null ? null : known.get(test + "@" + Jlx.BACKEND + "," + caseName);
        return mine != null ? mine : known.get(test + "," + caseName);
    }

    private static Map<String, String[]> load(Path csv) {
        Map<String, String[]> reasons = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(csv);
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split(",", 4);
                if (parts.length == 4) {
                    reasons.put(parts[0] + "," + parts[1], new String[] {parts[2], parts[3]});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reasons;
    }
}
