import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.LinuxMachine;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The time of one run of a command through the embedding API, in a JVM that has already run it:
 * {@code EmbedBench WARM TIMED argv...} runs argv WARM times untimed, then TIMED times, and prints the
 * median in milliseconds. Output goes nowhere, as to /dev/null.
 *
 * <p>Run with Java 25's source launcher: {@code java -cp tools/target/jlx.jar:tools/target/lib/*
 * tools/bench/EmbedBench.java 20 50 /bin/busybox true} (tools/bench/run does this).
 */
public class EmbedBench {
    public static void main(String[] args) {
        int warm = Integer.parseInt(args[0]);
        int timed = Integer.parseInt(args[1]);
        String[] argv = Arrays.copyOfRange(args, 2, args.length);
        LinuxMachine machine = LinuxMachine.builder().stdout(OutputStream.nullOutputStream())
                .stderr(OutputStream.nullOutputStream()).build();
        for (int i = 0; i < warm; i++) {
            check(machine.run(argv), argv);
        }
        long[] ns = new long[timed];
        for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            ExitStatus s = machine.run(argv);
            ns[i] = System.nanoTime() - start;
            check(s, argv);
        }
        Arrays.sort(ns);
        double median = timed % 2 == 1 ? ns[timed / 2] / 1e6 : (ns[timed / 2 - 1] + ns[timed / 2]) / 2e6;
        System.out.printf("%.3f%n", median);
    }

    private static void check(ExitStatus s, String[] argv) {
        if (s.shellStatus() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " ended with status " + s.shellStatus());
        }
    }
}
