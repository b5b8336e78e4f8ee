package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.api.LinuxMachine;
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
 * server on the host (curl, wget, busybox wget, curl over TLS from openssl's s_server, a Go
 * net/http client: the same output as natively), servers under jlx answering the host's clients
 * (python's http.server and a Go net/http server to the host's curl, busybox nc both ways), and
 * curl talking HTTP over a unix socket to a python server, both under jlx.
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
    private record Guest(CompletableFuture<ExitStatus> status, OutputStream stdin, ByteArrayOutputStream stdout,
            LinuxMachine machine) {
        /** Kills what still runs (a server a failed test left), and waits for it to end. */
        void stop() throws Exception {
            if (!status.isDone()) {
                machine.signalForeground(9);
                status.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private Guest guest(List<String> argv, InputStream stdin) throws IOException {
        PipedOutputStream toGuest = new PipedOutputStream();
        InputStream in = stdin != null ? stdin : new PipedInputStream(toGuest);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var machine = Jlx.machine().env(Jlx.inNativeOrder(Runner.ENV)).cwd(dir.toString()).stdin(in).stdout(out)
                .stderr(out).timeLimit(Duration.ofSeconds(Native.TIMEOUT_SECONDS)).build();
        return new Guest(CompletableFuture.supplyAsync(() -> machine.run(argv)), toGuest, out, machine);
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

    /** A certificate for 127.0.0.1 (its key beside it), made now: openssl req -x509, EC P-256, two days. */
    private Path certificate() throws Exception {
        Result r = Native.run(List.of("/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"), Runner.ENV, dir, new byte[0]);
        assertEquals(0, r.status(), "openssl req: " + r.err());
        return dir.resolve("cert.pem");
    }

    @Test
    void curlFetchesOverTlsFromOpensslServer() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "curlFetchesOverTlsFromOpensslServer",
                this::curlFetchesOverTlsFromOpensslServerHere);
    }

    private void curlFetchesOverTlsFromOpensslServerHere() throws Exception {
        Path cert = certificate();
        Files.writeString(dir.resolve("secret.txt"), "over TLS\n");
        int port = freePort();
        // -WWW: files of its working directory by HTTP/1.0, one connection after the other.
        Process server = new ProcessBuilder("/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", dir.resolve("key.pem").toString(), "-WWW", "-quiet").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile()).start();
        try {
            awaitListening(port);
            String url = "https://127.0.0.1:" + port + "/secret.txt";
            Result ok = Runner.assertSameAsNative(List.of("/usr/bin/curl", "-sS", "--cacert", cert.toString(), url), dir,
                    new byte[0]);
            assertEquals("over TLS\n", ok.out());
            // Without the certificate: curl's verification fails the same way (60, self-signed).
            Result untrusted = Runner.assertSameAsNative(List.of("/usr/bin/curl", "-sS", url), dir, new byte[0]);
            assertEquals(60, untrusted.status(), untrusted.err());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * curl's --unix-socket to python's http.server on a unix socket (socketserver.UnixStreamServer),
     * both under jlx: a guest server in the guest's file system, as natively.
     */
    @Test
    void curlTalksHttpOverAUnixSocketToAGuestServer() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "curlTalksHttpOverAUnixSocketToAGuestServer",
                this::curlTalksHttpOverAUnixSocketToAGuestServerHere);
    }

    private void curlTalksHttpOverAUnixSocketToAGuestServerHere() throws Exception {
        Files.writeString(dir.resolve("page.txt"), "over a unix socket\n");
        Files.writeString(dir.resolve("server.py"), """
                import http.server, socketserver, sys
                class Handler(http.server.SimpleHTTPRequestHandler):
                    def log_message(self, *args):
                        pass
                with socketserver.UnixStreamServer(sys.argv[1], Handler) as server:
                    for _ in range(int(sys.argv[2])):
                        server.handle_request()
                """);
        // The server answers three requests and ends; the shell waits (20 s at most) for its socket.
        String script = """
                python3 server.py http.sock 3 &
                i=0; while [ ! -S http.sock ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
                curl -sS --unix-socket http.sock http://localhost/page.txt
                curl -sS --unix-socket http.sock -o /dev/null -w '%{http_code} %{size_download}\\n' http://localhost/missing
                curl -sS --unix-socket http.sock -I http://localhost/page.txt | grep -i -e '^HTTP' -e '^Content-Length'
                wait $!; echo "server $?"
                rm http.sock
                """;
        Runner.assertSameAsNative(List.of("/bin/sh", "-c", script), dir, new byte[0]);
    }

    /**
     * A guest reaches a socket a host process bound (a python http.server on a unix socket, run
     * natively) only with --host-unix-sockets: curl --unix-socket, and a python client (peer name,
     * SO_PEERCRED's ids, epoll readiness of a non-blocking socket, a half-close, the reply to its
     * end), print what they print natively. Without the option the same connect is refused as
     * natively one to a socket nobody listens on (ECONNREFUSED).
     */
    @Test
    void guestsReachAHostUnixSocketOnlyWhenAsked() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "guestsReachAHostUnixSocketOnlyWhenAsked",
                this::guestsReachAHostUnixSocketOnlyWhenAskedHere);
    }

    private void guestsReachAHostUnixSocketOnlyWhenAskedHere() throws Exception {
        Files.writeString(dir.resolve("page.txt"), "from the host over a unix socket\n");
        Files.writeString(dir.resolve("server.py"), """
                import http.server, socketserver, sys
                class Handler(http.server.SimpleHTTPRequestHandler):
                    def log_message(self, *args):
                        pass
                with socketserver.ThreadingUnixStreamServer(sys.argv[1], Handler) as server:
                    server.serve_forever()
                """);
        Files.writeString(dir.resolve("client.py"), """
                import os, selectors, socket, struct, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.connect(sys.argv[1])
                except OSError as e:
                    print("connect:", e.errno, e.strerror)
                    sys.exit(1)
                print("peer", s.getpeername() == sys.argv[1], "name", repr(s.getsockname()))
                pid, uid, gid = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
                print("peer ids are mine", uid == os.geteuid(), gid == os.getegid())
                s.setblocking(False)
                sel = selectors.DefaultSelector()
                sel.register(s, selectors.EVENT_WRITE)
                print("writable", len(sel.select(10)))
                s.send(b"GET /page.txt HTTP/1.0\\r\\n\\r\\n")
                s.shutdown(socket.SHUT_WR)
                sel.modify(s, selectors.EVENT_READ)
                data = b""
                while True:
                    if not sel.select(10):
                        print("no answer")
                        break
                    d = s.recv(7)
                    if not d:
                        break
                    data += d
                head, _, body = data.partition(b"\\r\\n\\r\\n")
                print(head.split(b"\\r\\n")[0].decode())
                print(body.decode(), end="")
                """);
        Path sock = dir.resolve("host.sock");
        Process server = new ProcessBuilder("/usr/bin/python3", "server.py", sock.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(sock) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            String script = "python3 client.py " + sock + "\n"
                    + "curl -sS --unix-socket " + sock + " http://localhost/page.txt\n"
                    + "curl -sS --unix-socket " + sock + " -o /dev/null -w '%{http_code} %{size_download}\\n'"
                    + " http://localhost/missing\n";
            List<String> argv = List.of("/bin/sh", "-c", script);
            Result expected = Native.run(argv, Runner.ENV, dir, new byte[0]);
            Result actual = Jlx.run(Jlx.machine().hostUnixSockets(true), argv, Runner.ENV, dir, new byte[0]);
            Result.assertSameAs(expected, actual, "a host's unix socket with --host-unix-sockets");
            assertTrue(new String(actual.stdout(), StandardCharsets.UTF_8).contains("from the host"),
                    Result.printable(actual.stdout()));
            // Without the option: as a socket nobody listens on (bound, then closed, by the host).
            Path dead = dir.resolve("dead.sock");
            try (var c = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                c.bind(java.net.UnixDomainSocketAddress.of(dead));
            }
            Result refused = Native.run(List.of("/usr/bin/python3", "client.py", dead.toString()), Runner.ENV, dir,
                    new byte[0]);
            assertEquals("connect: 111 Connection refused\n", new String(refused.stdout(), StandardCharsets.UTF_8));
            Result.assertSameAs(refused, Jlx.run(List.of("/usr/bin/python3", "client.py", sock.toString()),
                    Runner.ENV, dir, new byte[0]), "a host's unix socket without --host-unix-sockets");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * With --host-unix-sockets, datagram and seqpacket sockets connected to a host program's (python,
     * natively) send and receive as natively: a datagram, a record cut to the buffer, the peer's end.
     */
    @Test
    void guestDatagramAndSeqpacketSocketsReachHostOnes() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "guestDatagramAndSeqpacketSocketsReachHostOnes",
                this::guestDatagramAndSeqpacketSocketsReachHostOnesHere);
    }

    private void guestDatagramAndSeqpacketSocketsReachHostOnesHere() throws Exception {
        Files.writeString(dir.resolve("server.py"), """
                import socket, sys
                d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                d.bind(sys.argv[1] + "/d.sock")
                q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                q.bind(sys.argv[1] + "/q.sock")
                q.listen(5)
                open(sys.argv[1] + "/ready", "w").close()
                for run in range(2):
                    print("datagram", d.recv(100), flush=True)
                    c, _ = q.accept()
                    m = c.recv(100)
                    c.send(b"re:" + m)
                    c.send(b"second")
                    c.close()
                """);
        Files.writeString(dir.resolve("client.py"), """
                import socket, sys
                d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                d.connect(sys.argv[1] + "/d.sock")
                print("datagram sent", d.send(b"a datagram"))
                q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                q.connect(sys.argv[1] + "/q.sock")
                q.send(b"record")
                print(q.recv(2), q.recv(100), q.recv(100))
                """);
        Process server = new ProcessBuilder("/usr/bin/python3", "server.py", dir.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(dir.resolve("ready")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            List<String> argv = List.of("/usr/bin/python3", "client.py", dir.toString());
            Result expected = Native.run(argv, Runner.ENV, dir, new byte[0]);
            Result actual = Jlx.run(Jlx.machine().hostUnixSockets(true), argv, Runner.ENV, dir, new byte[0]);
            Result.assertSameAs(expected, actual, "datagram and seqpacket sockets of the host");
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
            assertEquals("datagram b'a datagram'\ndatagram b'a datagram'\n",
                    Files.readString(dir.resolve("server.log")));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static final Path GONET = Path.of("target", "gobin", "gonet").toAbsolutePath();
    private static boolean gonetBuilt;

    /** src/test/gonet built (once a run): a Go net/http server and client. */
    private static synchronized Path gonet() throws Exception {
        if (!gonetBuilt) {
            GoProgramTest.build("gonet", GONET);
            gonetBuilt = true;
        }
        return GONET;
    }

    @Test
    void goClientFetchesFromAHostServer() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "goClientFetchesFromAHostServer",
                this::goClientFetchesFromAHostServerHere);
    }

    private void goClientFetchesFromAHostServerHere() throws Exception {
        int port = freePort();
        Process server = hostServer(port);
        try {
            String base = "http://127.0.0.1:" + port;
            // A name of /etc/hosts (Go's own resolver), an error page, a POST (501 from http.server), a refused port.
            Result r = Runner.assertSameAsNative(List.of(gonet().toString(), "get", base + "/file.txt",
                    "http://localhost:" + port + "/file.txt", base + "/missing", base + "/echo", "http://127.0.0.1:"
                    + freePort() + "/"), dir, new byte[0]);
            assertTrue(r.out().contains(BODY), r.out());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A Go net/http server on a dual-stack listener (":PORT"), run once natively and once under jlx,
     * asked the same by the host's curl over IPv4 and IPv6: the same answers and the same log.
     */
    @Test
    void goServerUnderJlxAnswersTheHostsCurl() throws Throwable {
        KnownFailures.check("NetworkProgramsTest", "goServerUnderJlxAnswersTheHostsCurl",
                this::goServerUnderJlxAnswersTheHostsCurlHere);
    }

    private void goServerUnderJlxAnswersTheHostsCurlHere() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("file.txt"), "served by go\n");
        String expected = goServerConversation(www, false);
        String actual = goServerConversation(www, true);
        assertEquals(expected, actual);
    }

    /** The host's curl asking the Go server (native or under jlx) a few things, then /quit; all that was said. */
    private String goServerConversation(Path www, boolean underJlx) throws Exception {
        int port = freePort();
        List<String> argv = List.of(gonet().toString(), "serve", ":" + port, www.toString());
        Process nativeServer = null;
        Guest guest = null;
        if (underJlx) {
            guest = guest(argv, new ByteArrayInputStream(new byte[0]));
        } else {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(Runner.ENV);
            nativeServer = pb.start();
        }
        try {
            awaitListening(port);
            StringBuilder said = new StringBuilder();
            String v4 = "http://127.0.0.1:" + port;
            for (List<String> curl : List.of(List.of(v4 + "/file.txt"), List.of("http://[::1]:" + port + "/file.txt"),
                    List.of("-d", "some data", v4 + "/echo"), List.of("-o", "/dev/null", "-w", "%{http_code}\n",
                    v4 + "/missing"), List.of(v4 + "/file.txt", v4 + "/file.txt"), List.of(v4 + "/quit"))) {
                List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/curl", "-sS"));
                cmd.addAll(curl);
                Result r = Native.run(cmd, Runner.ENV, dir, new byte[0]);
                said.append(r.out()).append(r.err()).append("curl ").append(r.status()).append('\n');
            }
            if (underJlx) {
                said.append("server ").append(guest.status().get(60, TimeUnit.SECONDS).shellStatus()).append('\n');
                said.append(guest.stdout().toString(StandardCharsets.UTF_8));
            } else {
                assertTrue(nativeServer.waitFor(60, TimeUnit.SECONDS), "the native server did not stop");
                said.append("server ").append(nativeServer.exitValue()).append('\n');
                said.append(new String(nativeServer.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return said.toString();
        } finally {
            if (guest != null) {
                guest.stop();
            }
            if (nativeServer != null) {
                nativeServer.destroyForcibly();
            }
        }
    }
}
