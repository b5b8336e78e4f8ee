package dev.jlx.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's python3 (dynamic, dozens of shared objects and modules) under jlx against native runs. */
class PythonTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String WALK = """
            import json, hashlib, os, sys
            out = {}
            for root, dirs, files in os.walk(sys.argv[1]):
                dirs.sort()
                for f in sorted(files):
                    p = os.path.join(root, f)
                    with open(p, 'rb') as fh:
                        data = fh.read()
                    st = os.lstat(p)
                    out[p] = [hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(), st.st_size, oct(st.st_mode)]
            print(json.dumps(out, indent=1, sort_keys=True))
            print(sum(len(v[0]) for v in out.values()), 2 ** 100, 10 / 3, int('169'), round(2.675, 2))
            """;

    @TempDir
    Path dir;

    @Test
    void walksADirectoryAndHashesFiles() throws Exception {
        Files.createDirectories(dir.resolve("tree/sub/deeper"));
        Files.writeString(dir.resolve("tree/a.txt"), "hello\n");
        Files.write(dir.resolve("tree/sub/blob.bin"), new byte[100_000]);
        Files.writeString(dir.resolve("tree/sub/deeper/c.txt"), "x".repeat(5000));
        Files.writeString(dir.resolve("walk.py"), WALK);
        Runner.assertSameAsNative(List.of(PYTHON, "walk.py", "tree"), dir, new byte[0]);
    }

    @Test
    void jsonToolPrettyPrintsAFile() throws Exception {
        Files.writeString(dir.resolve("in.json"), "{\"b\": [1, 2.5, null, true], \"a\": {\"x\": \"\\u00e9\"}}");
        Runner.assertSameAsNative(List.of(PYTHON, "-m", "json.tool", "in.json"), dir, new byte[0]);
        Runner.assertSameAsNative(List.of(PYTHON, "-m", "json.tool", "--sort-keys", "in.json"), dir, new byte[0]);
    }

    @Test
    void threadsAndSubprocesses() throws Exception {
        Runner.assertSameAsNative(List.of(PYTHON, "-c", """
                import concurrent.futures, subprocess, hashlib
                with concurrent.futures.ThreadPoolExecutor(4) as pool:
                    print(sorted(pool.map(lambda i: hashlib.sha256(bytes([i]) * 100000).hexdigest()[:8], range(8))))
                print(subprocess.run(['/bin/echo', 'from a child'], capture_output=True, text=True).stdout, end='')
                print(subprocess.run('exit 3', shell=True).returncode)
                """), dir, new byte[0]);
    }

    @Test
    void anUncaughtExceptionExitsWithItsTraceback() throws Exception {
        Runner.assertSameAsNative(List.of(PYTHON, "-c", "import sys; print('out'); sys.stdout.flush(); 1/0"), dir,
                new byte[0]);
        Runner.assertSameAsNative(List.of(PYTHON, "-c", "import sys; sys.exit(sys.stdin.read().strip())"), dir,
                "bye\n".getBytes());
    }
}
