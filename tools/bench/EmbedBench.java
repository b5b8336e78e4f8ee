import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Benchmark (e2): per-run time of `busybox true` through the embedding API in a warm JVM. */
public class EmbedBench {
    public static void main(String[] args) {
        LinuxMachine machine = LinuxMachine.builder().stdout(new ByteArrayOutputStream())
                .stderr(new ByteArrayOutputStream()).build();
        for (int i = 0; i < 30; i++) {
            machine.run("/bin/busybox", "true");
        }
        long[] ns = new long[51];
        for (int i = 0; i < ns.length; i++) {
            long start = System.nanoTime();
            machine.run("/bin/busybox", "true");
            ns[i] = System.nanoTime() - start;
        }
        Arrays.sort(ns);
        System.out.printf("%.2f%n", ns[ns.length / 2] / 1e6);
    }
}
