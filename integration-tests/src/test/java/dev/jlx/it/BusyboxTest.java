package dev.jlx.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** busybox-static applets: byte-identical stdout, stderr and exit status to the native run. */
class BusyboxTest {
    private static final String BUSYBOX = "/bin/busybox";

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            text.append("line ").append(i).append(" of the text file, with some words\n");
        }
        Files.writeString(dir.resolve("text.txt"), text);
        byte[] binary = new byte[70000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + (i >> 8));
        }
        Files.write(dir.resolve("data.bin"), binary);
        Files.writeString(dir.resolve("short.txt"), "alpha\nbeta\ngamma\n");
    }

    private static void check(String command, byte[] stdin) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(BUSYBOX);
        argv.addAll(List.of(command.split(" ")));
        Runner.assertSameAsNative(argv, dir, stdin);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "echo hello world", "printf %s-%d\\n a 5", "cat text.txt", "cat data.bin", "wc text.txt", "wc -c data.bin",
        "head -n 3 text.txt", "tail -n 3 text.txt", "sha256sum text.txt data.bin", "md5sum data.bin",
        "base64 data.bin", "od -x short.txt", "seq 1 100000", "expr 6 * 7", "expr 1 / 0", "true", "false",
        "cat missing.txt", "wc -l text.txt missing.txt", "head -n", "sha256sum missing.txt", "id", "id -G", "nproc",
        "date -u -d @1700000000", "sort text.txt", "uniq short.txt", "cut -c1-4 short.txt", "tr a-z A-Z",
        "sed s/line/LINE/ text.txt", "grep -c 1 text.txt", "xxd short.txt", "stat -c %s:%a:%F text.txt",
        "realpath text.txt", "sleep 0.05"
    })
    void applet(String command) throws Exception {
        check(command, new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wc -l", "cat", "sha256sum", "base64", "od -c", "tail -n 2", "head -c 5"})
    void appletReadingStdin(String command) throws Exception {
        check(command, "one\ntwo\nthree\n\u00e9\n".getBytes(StandardCharsets.UTF_8));
    }
}
