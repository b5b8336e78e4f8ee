import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Benchmark (e2): the time of one run of {@code /bin/busybox true} through the embedding API, in a
 * JVM that has already run it 20 times. Prints the median of 50 timed runs in milliseconds.
 *
 * <p>Run with Java 25's source launcher: {@code java -cp tools/target/jlx.jar:tools/target/lib/*
 * tools/bench/EmbedBench.java} (tools/bench/run does this).
 */
public class EmbedBench {
    private static final int WARM_UP = 20;
    private static final int TIMED = 50;

    public static void main(String[] args) {
        LinuxMachine machine = LinuxMachine.builder().stdout(new ByteArrayOutputStream())
                .stderr(new ByteArrayOutputStream()).build();
        for (int i = 0; i < WARM_UP; i++) {
            check(machine.run("/bin/busybox", "true"));
        }
        long[] ns = new long[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long start = System.nanoTime();
            ExitStatus s = machine.run("/bin/busybox", "true");
            ns[i] = System.nanoTime() - start;
            check(s);
        }
        Arrays.sort(ns);
        double median = (ns[TIMED / 2 - 1] + ns[TIMED / 2]) / 2e6;
        System.out.printf("%.3f%n", median);
    }

    private static void check(ExitStatus s) {
        if (s.shellStatus() != 0) {
            throw new IllegalStateException("busybox true ended with status " + s.shellStatus());
        }
    }
}
