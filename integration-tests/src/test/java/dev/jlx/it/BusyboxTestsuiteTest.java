package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.ExitStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BusyBox's own testsuite (Debian's busybox source, which .ci/setup fetches with apt-get source)
 * run with /bin/busybox natively and under jlx: every test must end as it does natively, except
 * those in known-failures.csv, which must still fail. The counts go to target/busybox-testsuite.txt.
 */
class BusyboxTestsuiteTest {
    /** Where .ci/setup unpacks the source package. */
    static final Path SOURCE = Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
            System.getProperty("user.home") + "/.cache"), "jlx", "busybox-src");

    /**
     * The applets to test, {@code -Djlx.busybox.applets=a,b,...}: a fixed sample, which the suite
     * runs on the backends that do not get the whole testsuite (see integration-tests/pom.xml); empty:
     * all of them.
     */
    static final List<String> APPLETS = System.getProperty("jlx.busybox.applets", "").isEmpty() ? List.of()
            : List.of(System.getProperty("jlx.busybox.applets").split(","));

    @TempDir
    Path dir;

    @Test
    void sameResultsAsNative() throws Throwable {
        Path tree = source();
        Result nativeRun = Native.run(runtest(), env(), suite("native", tree), new byte[0]);
        Map<String, String> nativeResults = results(nativeRun.stdout());
        Map<String, String> jlxResults = underJlx(tree);
        Files.writeString(Path.of("target", "busybox-testsuite.txt"), "native: " + counts(nativeResults) + "\njlx:    "
                + counts(jlxResults) + "\nfailing natively: " + failing(nativeResults) + "\nfailing under jlx: "
                + failing(jlxResults) + "\n");
        assertTrue(nativeResults.size() > (APPLETS.isEmpty() ? 800 : APPLETS.size()),
                "the native run did not get through the suite: " + nativeResults);
        assertEquals(nativeResults.keySet(), jlxResults.keySet(), "tests that ran natively and under jlx");
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> test : nativeResults.entrySet()) {
            String name = test.getKey();
            String underJlx = jlxResults.get(name);
            try {
                // Names may hold commas; the known-failures file is comma-separated.
                KnownFailures.check("BusyboxTestsuiteTest", name.replace(',', ';'), () -> assertEquals(test.getValue(),
                        underJlx, name + ": " + underJlx + " under jlx, " + test.getValue() + " natively"));
            } catch (AssertionError e) {
                differences.add(e.getMessage());
            }
        }
        assertTrue(differences.isEmpty(), String.join("\n", differences));
    }

    /** The unpacked source tree; .ci/setup must have fetched it (the test never skips). */
    private static Path source() throws IOException {
        try (Stream<Path> trees = Files.list(SOURCE)) {
            return trees.filter(p -> Files.isDirectory(p.resolve("testsuite"))).findFirst().orElseThrow(
                    () -> new AssertionError("no busybox source in " + SOURCE + ": run .ci/setup"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new AssertionError("no busybox source in " + SOURCE + ": run .ci/setup");
        }
    }

    /**
     * A fresh copy of the testsuite, as runtest expects it: the busybox under test and its .config
     * (Debian's busybox-static build configuration) one directory up, with scripts/echo.c.
     */
    private Path suite(String name, Path tree) throws IOException {
        Path top = dir.resolve(name);
        copyTree(tree.resolve("testsuite"), top.resolve("testsuite"));
        Files.createDirectories(top.resolve("scripts"));
        Files.copy(tree.resolve("scripts/echo.c"), top.resolve("scripts/echo.c"));
        Files.copy(Path.of("/bin/busybox"), top.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(tree.resolve("debian/config/pkg/static"), top.resolve(".config"));
        return top.resolve("testsuite");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /**
     * No known upstream bugs, no tests that need the internet (this machine has none); a UTF-8
     * locale for the unicode tests, and the shell the taskset tests run.
     */
    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("SHELL", "/bin/sh");
        env.put("SKIP_KNOWN_BUGS", "1");
        env.put("SKIP_INTERNET_TESTS", "1");
        return env;
    }

    /**
     * runtest under jlx: ~870 tests, thousands of processes. The applets are cut into runs of about
     * the same number of tests, each a guest process tree of its own in its own copy of the suite
     * (runtest remakes its links directory), as many at once as there are processors; their outputs
     * are joined in applet order, so the results read as one run's.
     */
    private Map<String, String> underJlx(Path tree) throws Exception {
        List<List<String>> chunks = chunks(tree.resolve("testsuite"), 2 * Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<byte[]>> outputs = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                Path testsuite = suite("jlx" + i, tree);
                List<String> applets = chunks.get(i);
                outputs.add(pool.submit(() -> runtestUnderJlx(testsuite, applets)));
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Future<byte[]> out : outputs) {
                all.write(out.get());
            }
            return results(all.toByteArray());
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] runtestUnderJlx(Path testsuite, List<String> applets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("./runtest"));
        argv.addAll(applets);
        ExitStatus s = Jlx.machine().env(Jlx.inNativeOrder(env())).cwd(testsuite.toString())
                .stdin(new ByteArrayInputStream(new byte[0])).stdout(out).stderr(err)
                .timeLimit(Duration.ofMinutes(30)).build().run(argv);
        assertTrue(s.signal() == 0, "runtest under jlx was killed: " + s);
        return out.toByteArray();
    }

    /**
     * The applets runtest would test (those asked for, else every applet busybox lists, in its order)
     * cut into at most {@code n} consecutive runs, weighed by their number of test cases.
     */
    private static List<List<String>> chunks(Path testsuite, int n) throws Exception {
        List<String> applets = new ArrayList<>(APPLETS);
        if (applets.isEmpty()) {
            applets.add("busybox");
            Result list = Native.run(List.of("/bin/busybox", "--list"), Map.of(), testsuite, new byte[0]);
            applets.addAll(List.of(new String(list.stdout(), StandardCharsets.UTF_8).strip().split("\n")));
        }
        // runtest tests "busybox" first and again where busybox lists itself: an applet may recur.
        int[] weight = new int[applets.size()];
        int total = 0;
        for (int i = 0; i < applets.size(); i++) {
            weight[i] = 1;
            Path tests = testsuite.resolve(applets.get(i) + ".tests");
            if (Files.isRegularFile(tests)) {
                weight[i] += (int) Files.readAllLines(tests, StandardCharsets.ISO_8859_1).stream()
                        .filter(l -> l.strip().startsWith("testing ")).count();
            }
            Path oldStyle = testsuite.resolve(applets.get(i));
            if (Files.isDirectory(oldStyle)) {
                try (Stream<Path> cases = Files.list(oldStyle)) {
                    weight[i] += (int) cases.count();
                }
            }
            total += weight[i];
        }
        List<List<String>> chunks = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < applets.size(); i++) {
            chunk.add(applets.get(i));
            sum += weight[i];
            if (sum >= (long) total * (chunks.size() + 1) / n) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    private static List<String> runtest() {
        List<String> argv = new ArrayList<>(List.of("./runtest"));
        argv.addAll(APPLETS);
        return argv;
    }

    /** Each test's name and outcome (PASS, FAIL, SKIPPED, UNTESTED), in the order they ran. */
    static Map<String, String> results(byte[] stdout) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : new String(stdout, StandardCharsets.UTF_8).split("\n")) {
            for (String outcome : List.of("PASS", "FAIL", "SKIPPED", "UNTESTED")) {
                if (line.startsWith(outcome + ": ")) {
                    // Some names recur (an applet's tests and another's): the second is "NAME #2".
                    String name = line.substring(outcome.length() + 2);
                    String key = name;
                    for (int n = 2; results.containsKey(key); n++) {
                        key = name + " #" + n;
                    }
                    results.put(key, outcome);
                }
            }
        }
        return results;
    }

    private static List<String> failing(Map<String, String> results) {
        return results.entrySet().stream().filter(e -> e.getValue().equals("FAIL")).map(Map.Entry::getKey).toList();
    }

    private static String counts(Map<String, String> results) {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (String outcome : List.of("PASS", "FAIL", "SKIPPED", "UNTESTED")) {
            n.put(outcome, (int) results.values().stream().filter(outcome::equals).count());
        }
        return n.toString();
    }
}
