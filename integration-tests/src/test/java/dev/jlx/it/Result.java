package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

/** What a program run left behind: standard output, standard error and the shell-style exit status. */
record Result(byte[] stdout, byte[] stderr, int status) {
    String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Byte-for-byte equality with the native run, shown as text when it differs. */
    static void assertSameAs(Result expected, Result actual, String what) {
        assertEquals(expected.out(), actual.out(), what + ": stdout differs");
        assertEquals(expected.err(), actual.err(), what + ": stderr differs");
        assertEquals(expected.status(), actual.status(), what + ": exit status differs");
        assertEquals(java.util.HexFormat.of().formatHex(expected.stdout()),
                java.util.HexFormat.of().formatHex(actual.stdout()), what + ": stdout bytes differ");
    }
}
