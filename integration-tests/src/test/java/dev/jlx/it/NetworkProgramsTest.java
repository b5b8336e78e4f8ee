package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.ExitStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network programs on loopback, through the host's sockets: clients under jlx fetching from a
 * server on the host (curl, wget, busybox wget: the same output as natively), servers under jlx
 * answering the host's clients (python's http.server to the host's curl, busybox nc both ways).
 */
class NetworkProgramsTest {
    private static final String BODY = "hello from the host\n";

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until something listens on 127.0.0.1:{@code port} (20 s at most). */
    private static void awaitListening(int port) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("nothing listens on port " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** A native `python3 -m http.server` on 127.0.0.1 serving {@link #dir}; the caller destroys it. */
    private Process hostServer(int port) throws Exception {
        Files.writeString(dir.resolve("file.txt"), BODY);
        Process p = new ProcessBuilder("/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1",
                Integer.toString(port)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        awaitListening(port);
        return p;
    }

    @Test
    void clientsFetchFromAHostServer() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "clientsFetchFromAHostServer", this::clientsFetchFromAHostServerHere);
    }

    private void clientsFetchFromAHostServerHere() throws Exception {
        int port = freePort();
        Process server = hostServer(port);
        try {
            String url = "http://127.0.0.1:" + port + "/file.txt";
            Result curl = Runner.assertSameAsNative(List.of("/usr/bin/curl", "-sS", url), dir, new byte[0]);
            assertEquals(BODY, new String(curl.stdout(), StandardCharsets.UTF_8));
            Runner.assertSameAsNative(List.of("/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}\n",
                    "http://127.0.0.1:" + port + "/missing"), dir, new byte[0]);
            Result wget = Runner.assertSameAsNative(List.of("/usr/bin/wget", "-q", "-O", "-", url), dir, new byte[0]);
            assertEquals(BODY, new String(wget.stdout(), StandardCharsets.UTF_8));
            Result bb = Runner.assertSameAsNative(List.of("/bin/busybox", "wget", "-q", "-O", "-", url), dir,
                    new byte[0]);
            assertEquals(BODY, new String(bb.stdout(), StandardCharsets.UTF_8));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code argv} under jlx in the background, its standard input the returned stream's other end. */
    private record Guest(CompletableFuture<ExitStatus> status, OutputStream stdin, ByteArrayOutputStream stdout) {}

    private Guest guest(List<String> argv, InputStream stdin) throws IOException {
        PipedOutputStream toGuest = new PipedOutputStream();
        InputStream in = stdin != null ? stdin : new PipedInputStream(toGuest);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var machine = Jlx.machine().env(Jlx.inNativeOrder(Runner.ENV)).cwd(dir.toString()).stdin(in).stdout(out)
                .stderr(out).timeLimit(Duration.ofSeconds(Native.TIMEOUT_SECONDS)).build();
        return new Guest(CompletableFuture.supplyAsync(() -> machine.run(argv)), toGuest, out);
    }

    @Test
    void pythonHttpServerUnderJlxAnswersTheHostsCurl() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "pythonHttpServerUnderJlxAnswersTheHostsCurl", this::pythonHttpServerUnderJlxAnswersTheHostsCurlHere);
    }

    private void pythonHttpServerUnderJlxAnswersTheHostsCurlHere() throws Exception {
        Files.writeString(dir.resolve("page.txt"), "served by a guest\n");
        int port = freePort();
        // The server runs until the shell reads a line, then is stopped with SIGTERM.
        Guest g = guest(List.of("/bin/sh", "-c", "python3 -m http.server " + port + " & read line; kill $!; wait"), null);
        awaitListening(port);
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "http://127.0.0.1:" + port + "/page.txt")
                .redirectErrorStream(true).start();
        String got = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.waitFor());
        assertEquals("served by a guest\n", got);
        g.stdin().write("stop\n".getBytes(StandardCharsets.US_ASCII));
        g.stdin().close();
        g.status().get(60, TimeUnit.SECONDS);
        String log = g.stdout().toString(StandardCharsets.UTF_8);
        // Its log line (stderr); "Serving HTTP on", buffered on stdout, goes with the SIGTERM, as natively.
        assertTrue(log.contains("\"GET /page.txt HTTP/1.1\" 200"), log);
    }

    @Test
    void busyboxNcListensUnderJlx() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "busyboxNcListensUnderJlx", this::busyboxNcListensUnderJlxHere);
    }

    private void busyboxNcListensUnderJlxHere() throws Exception {
        int port = freePort();
        Guest g = guest(List.of("/bin/busybox", "nc", "-l", "-p", Integer.toString(port)),
                new ByteArrayInputStream("from the guest\n".getBytes(StandardCharsets.US_ASCII)));
        awaitListeningOnce(port, s -> {
            s.getOutputStream().write("from the host\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertEquals("from the guest\n", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        });
        ExitStatus status = g.status().get(60, TimeUnit.SECONDS);
        assertEquals(0, status.shellStatus());
        assertEquals("from the host\n", g.stdout().toString(StandardCharsets.US_ASCII));
    }

    /** Connects to the guest's listener once it listens (busybox nc accepts one connection), and talks. */
    private static void awaitListeningOnce(int port, Conversation c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (IOException e) {
                s.close();
                if (System.nanoTime() > end) {
                    throw new AssertionError("nothing listens on port " + port, e);
                }
                Thread.sleep(100);
                continue;
            }
            try (s) {
                c.talk(s);
            }
            return;
        }
    }

    @FunctionalInterface
    private interface Conversation {
        void talk(Socket s) throws Exception;
    }

    @Test
    void busyboxNcConnectsToTheHost() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "busyboxNcConnectsToTheHost", this::busyboxNcConnectsToTheHostHere);
    }

    private void busyboxNcConnectsToTheHostHere() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    s.getOutputStream().write("reply\n".getBytes(StandardCharsets.US_ASCII));
                    return got;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Result r = Jlx.run(List.of("/bin/busybox", "nc", "127.0.0.1", Integer.toString(server.getLocalPort())),
                    Runner.ENV, dir, "hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("reply\n", new String(r.stdout(), StandardCharsets.US_ASCII), new String(r.stderr()));
            assertEquals("hello\n", heard.get(60, TimeUnit.SECONDS));
            assertEquals(0, r.status());
        }
    }
}
