package dev.jlx.it;

import dev.jlx.core.api.JlxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The differential check: one command natively and under jlx, with the same inputs. */
final class Runner {
    /** The whole environment of both runs: nothing is inherited from the JVM running the tests. */
    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C", "TZ", "UTC",
            "HOME", "/nonexistent");

    private Runner() {}

    /** Runs natively and under jlx; asserts byte-identical stdout and stderr and the same exit status. */
    static Result assertSameAsNative(List<String> argv, Path cwd, byte[] stdin) throws Exception {
        return assertSameAsNative(argv, ENV, cwd, stdin);
    }

    /** As above with {@code env} as the whole environment of both runs. */
    static Result assertSameAsNative(List<String> argv, Map<String, String> env, Path cwd, byte[] stdin)
            throws Exception {
        Result expected = Native.run(argv, env, cwd, stdin);
        Result actual = Jlx.run(argv, env, cwd, stdin);
        String what = String.join(" ", argv);
        Result.assertSameAs(expected, actual, what.length() > 200 ? what.substring(0, 200) + "..." : what);
        return actual;
    }

    /** jlx's own failure to start a program, as the embedding API reports it. */
    static JlxException jlxFailure(List<String> argv, Path cwd) {
        return Jlx.failure(argv, ENV, cwd);
    }
}
