package dev.jlx.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a program run left behind: standard output, standard error and the shell-style exit status. */
record Result(byte[] stdout, byte[] stderr, int status) {
    /** At most this many lines of diff per stream in a failure message. */
    private static final int MAX_DIFF_LINES = 40;
    /** Lines of unchanged context around each change. */
    private static final int CONTEXT = 2;

    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * Byte-for-byte equality of stdout and stderr and equality of the exit status. On a difference
     * the message names every part that differs, where the bytes first differ, and shows a line diff
     * ("-" native, "+" jlx) with non-printable bytes escaped.
     */
    static void assertSameAs(Result expected, Result actual, String what) {
        StringBuilder report = new StringBuilder();
        if (expected.status != actual.status) {
            report.append("exit status: native ").append(expected.status).append(", jlx ").append(actual.status)
                    .append('\n');
        }
        compare("stdout", expected.stdout, actual.stdout, report);
        compare("stderr", expected.stderr, actual.stderr, report);
        if (!report.isEmpty()) {
            throw new AssertionError(what + ": jlx differs from the native run\n" + report);
        }
    }

    private static void compare(String stream, byte[] expected, byte[] actual, StringBuilder report) {
        int at = Arrays.mismatch(expected, actual);
        if (at < 0) {
            return;
        }
        report.append(stream).append(": native ").append(expected.length).append(" bytes, jlx ").append(actual.length)
                .append(" bytes, first difference at byte ").append(at).append('\n');
        List<String> diff = diff(lines(expected), lines(actual));
        if (diff.size() > MAX_DIFF_LINES) {
            int more = diff.size() - MAX_DIFF_LINES;
            diff = new ArrayList<>(diff.subList(0, MAX_DIFF_LINES));
            diff.add("... (" + more + " more diff lines)");
        }
        for (String line : diff) {
            report.append("  ").append(line).append('\n');
        }
    }

    /** The text split after each newline, each line escaped; a missing final newline is shown. */
    static List<String> lines(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(printable(Arrays.copyOfRange(bytes, start, i)));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(printable(Arrays.copyOfRange(bytes, start, bytes.length)) + "\\ (no newline at end)");
        }
        return lines;
    }

    /** UTF-8 text as it reads, with control characters and bytes that are not UTF-8 escaped. */
    static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean valid = Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes);
        if (!valid) {
            for (byte b : bytes) {
                int c = b & 0xff;
                if (c >= 0x20 && c < 0x7f && c != '\\') {
                    s.append((char) c);
                } else {
                    s.append(String.format("\\x%02x", c));
                }
            }
            return s.toString();
        }
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\t' -> s.append("\\t");
                case '\r' -> s.append("\\r");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\x%02x", c));
                    } else {
                        s.appendCodePoint(c);
                    }
                }
            }
        });
        return s.toString();
    }

    /**
     * A line diff with a little context: common leading and trailing lines are trimmed, and the
     * middle is aligned by longest common subsequence when it is small enough, else shown whole.
     */
    static List<String> diff(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<String> x = a.subList(head, a.size() - tail);
        List<String> y = b.subList(head, b.size() - tail);
        List<String> out = new ArrayList<>();
        int from = Math.max(0, head - CONTEXT);
        out.add("@@ line " + (from + 1) + " @@");
        for (int i = from; i < head; i++) {
            out.add("  " + a.get(i));
        }
        if ((long) x.size() * y.size() <= 4_000_000L) {
            aligned(x, y, out);
        } else {
            x.forEach(line -> out.add("- " + line));
            y.forEach(line -> out.add("+ " + line));
        }
        for (int i = a.size() - tail; i < Math.min(a.size(), a.size() - tail + CONTEXT); i++) {
            out.add("  " + a.get(i));
        }
        return out;
    }

    /** Longest-common-subsequence alignment of two short line lists, unchanged lines elided to context. */
    private static void aligned(List<String> x, List<String> y, List<String> out) {
        int[][] lcs = new int[x.size() + 1][y.size() + 1];
        for (int i = x.size() - 1; i >= 0; i--) {
            for (int j = y.size() - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> all = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < x.size() || j < y.size()) {
            if (i < x.size() && j < y.size() && x.get(i).equals(y.get(j))) {
                all.add("  " + x.get(i++));
                j++;
            } else if (i < x.size() && (j == y.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                all.add("- " + x.get(i++));
            } else {
                all.add("+ " + y.get(j++));
            }
        }
        // Keep changed lines and CONTEXT unchanged lines around them.
        boolean[] keep = new boolean[all.size()];
        for (int k = 0; k < all.size(); k++) {
            if (!all.get(k).startsWith("  ")) {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(all.size() - 1, k + CONTEXT); c++) {
                    keep[c] = true;
                }
            }
        }
        boolean elided = false;
        for (int k = 0; k < all.size(); k++) {
            if (keep[k]) {
                out.add(all.get(k));
                elided = false;
            } else if (!elided) {
                out.add("  ...");
                elided = true;
            }
        }
    }
}
