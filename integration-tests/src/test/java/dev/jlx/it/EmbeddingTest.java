package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.JlxException;
import dev.jlx.core.api.LinuxMachine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The embedding API: many guests at once, and a runaway guest stopped by its time limit. */
class EmbeddingTest {
    @Test
    void manyGuestsRunAtOnceInOneJvm() throws Exception {
        LinuxMachine machine = Jlx.machine().build();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = 1000 + i;
                results.add(pool.submit(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ExitStatus s = Jlx.machine().stdout(out).build().run("/bin/busybox", "seq", "1",
                            Integer.toString(n));
                    assertEquals(0, s.shellStatus());
                    return out.toString(StandardCharsets.UTF_8);
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                String out = results.get(i).get();
                assertEquals(1000 + i, out.lines().count());
                assertTrue(out.endsWith("\n" + (1000 + i) + "\n"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, machine.run("/bin/busybox", "true").shellStatus());
    }

    @Test
    void aRunawayGuestIsKilledAtItsTimeLimit() throws Exception {
        long start = System.nanoTime();
        ExitStatus s = Jlx.machine().timeLimit(Duration.ofMillis(500)).build()
                .run(CPrograms.binary("spin", CPrograms.Toolchain.GCC).toString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(9, s.signal());
        assertEquals(137, s.shellStatus());
        assertTrue(ms < 5000, "stopped after " + ms + " ms");
    }

    @Test
    void guestStreamsAreTheGuestsAlone() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // prctl(PR_SET_VMA) and other unimplemented calls are logged, never written to the guest's streams.
        ExitStatus s = Jlx.machine().stdout(out).stderr(err).build().run("/bin/busybox", "echo", "x");
        assertEquals(0, s.shellStatus());
        assertEquals("x\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A guest process whose thread meets an error inside jlx (here an exception injected into the
     * host backend's open) dies as if killed by SIGSYS: its parent never sees a clean exit, and the
     * machine's caller is told of the error when it is the first process.
     */
    @Test
    void aProcessThatFailsInsideJlxIsKilledWithSigsys() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FaultInjectionBackend.ENABLED.set(true);
        try {
            LinuxMachine machine = LinuxMachine.builder().hostBackend(FaultInjectionBackend.NAME).stdout(out).build();
            String fault = "/tmp/" + FaultInjectionBackend.FAULT;
            ExitStatus s = machine.run("/bin/busybox", "sh", "-c",
                    "/bin/busybox cat " + fault + "; echo \"status $?\"; /bin/busybox true; echo \"then $?\"");
            assertEquals(0, s.shellStatus());
            assertEquals("status 159\nthen 0\n", out.toString(StandardCharsets.UTF_8));
            JlxException e = assertThrows(JlxException.class, () -> machine.run("/bin/busybox", "cat", fault));
            assertEquals(70, e.shellStatus());
            assertTrue(e.getMessage().contains("fault injected by a test"), e.getMessage());
        } finally {
            FaultInjectionBackend.ENABLED.remove();
        }
    }
}
