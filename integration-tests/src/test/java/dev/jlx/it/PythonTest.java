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

    /** socket.socketpair, AF_UNIX names (abstract and in a directory), SCM_RIGHTS, SO_PEERCRED, datagrams. */
    @Test
    void unixSockets() throws Exception {
        Runner.assertSameAsNative(List.of(PYTHON, "-c", """
                import array, os, socket, struct, tempfile
                a, b = socket.socketpair()
                a.sendall(b'hello'); print(b.recv(10), a.getsockname(), os.fstat(a.fileno()).st_mode)
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.bind('\\0jlx-python-test'); s.listen(5)
                c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect('\\0jlx-python-test')
                conn, addr = s.accept(); print('accepted', repr(addr), c.getpeername())
                c.send(b'x' * 10); print(conn.recv(100))
                print(struct.unpack('iii', conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0] == os.getpid())
                r, w = os.pipe()
                a.sendmsg([b'fd'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [w]))])
                msg, anc, flags, _ = b.recvmsg(10, socket.CMSG_SPACE(4))
                os.write(array.array('i', anc[0][2])[0], b'via a passed descriptor'); print(os.read(r, 100), msg, flags)
                d1, d2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
                d1.send(b'abc'); print(d2.recv(2, socket.MSG_PEEK), d2.recv(10))
                p = os.path.join(tempfile.mkdtemp(), 'sock')
                srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); srv.bind(p)
                print(oct(os.stat(p).st_mode))
                socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'to a path', p)
                print(srv.recvfrom(100))
                try:
                    socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(p)
                except OSError as e:
                    print(e)
                os.unlink(p); os.rmdir(os.path.dirname(p))
                """), dir, new byte[0]);
    }

    /** multiprocessing: a Manager is a server on a unix socket its children connect to; Pipe() is a socketpair. */
    @Test
    void multiprocessingManagerOverUnixSockets() throws Exception {
        Files.writeString(dir.resolve("mp.py"), """
                import multiprocessing as mp
                def work(d, l, i):
                    d[i] = i * i
                    l.append(i)
                if __name__ == '__main__':
                    mp.set_start_method('fork')
                    with mp.Manager() as m:
                        d = m.dict()
                        l = m.list()
                        ps = [mp.Process(target=work, args=(d, l, i)) for i in range(4)]
                        for p in ps:
                            p.start()
                        for p in ps:
                            p.join()
                        print(sorted(d.items()), sorted(l))
                    a, b = mp.Pipe()
                    a.send({'x': 1})
                    print(b.recv())
                """);
        Runner.assertSameAsNative(List.of(PYTHON, "mp.py"), dir, new byte[0]);
    }

    /** asyncio's unix server and connections: non-blocking sockets, accept4, epoll. */
    @Test
    void asyncioOverUnixSockets() throws Exception {
        Runner.assertSameAsNative(List.of(PYTHON, "-c", """
                import asyncio, os, tempfile
                async def handle(r, w):
                    w.write((await r.readline()).upper())
                    await w.drain()
                    w.close()
                async def main():
                    path = os.path.join(tempfile.mkdtemp(), 's')
                    srv = await asyncio.start_unix_server(handle, path)
                    async with srv:
                        for i in range(3):
                            r, w = await asyncio.open_unix_connection(path)
                            w.write(b'hello %d\\n' % i)
                            await w.drain()
                            print(await r.readline())
                            w.close()
                            await w.wait_closed()
                    os.unlink(path)
                    os.rmdir(os.path.dirname(path))
                asyncio.run(main())
                """), dir, new byte[0]);
    }

    /**
     * asyncio over loopback TCP (IPv4 and IPv6: an echo server and a client, a line larger than a
     * socket buffer, half-close) and UDP (an echo endpoint and a connected one), and a refused connect.
     */
    @Test
    void asyncioEchoOverTcpAndUdp() throws Throwable {
        Files.writeString(dir.resolve("echo.py"), """
                import asyncio, socket
                async def handle(r, w):
                    while line := await r.readline():
                        w.write(line.upper())
                        await w.drain()
                    w.close()
                    await w.wait_closed()
                class Reverse(asyncio.DatagramProtocol):
                    def connection_made(self, transport):
                        self.transport = transport
                    def datagram_received(self, data, addr):
                        self.transport.sendto(data[::-1], addr)
                async def main():
                    for host in ('127.0.0.1', '::1'):
                        srv = await asyncio.start_server(handle, host, 0)
                        port = srv.sockets[0].getsockname()[1]
                        async with srv:
                            r, w = await asyncio.open_connection(host, port)
                            s = w.get_extra_info('socket')
                            print(host, s.family.name, s.type.name, s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
                            for i in range(3):
                                w.write(b'line %d\\n' % i)
                                await w.drain()
                                print(await r.readline())
                            w.write(b'x' * 50000 + b'\\n')
                            print(len(await r.readline()))
                            w.write_eof()
                            print(await r.read(), r.at_eof())
                            w.close()
                            await w.wait_closed()
                    loop = asyncio.get_running_loop()
                    server, _ = await loop.create_datagram_endpoint(Reverse, local_addr=('127.0.0.1', 0))
                    got = loop.create_future()
                    class Client(asyncio.DatagramProtocol):
                        def datagram_received(self, data, addr):
                            got.set_result(data)
                    client, _ = await loop.create_datagram_endpoint(Client, remote_addr=server.get_extra_info('sockname'))
                    client.sendto(b'datagram')
                    print(await asyncio.wait_for(got, 10))
                    client.close()
                    server.close()
                    closed = socket.socket()
                    closed.bind(('127.0.0.1', 0))
                    try:
                        await asyncio.open_connection('127.0.0.1', closed.getsockname()[1])
                    except OSError as e:
                        print(type(e).__name__, e.errno)
                    closed.close()
                asyncio.run(main())
                """);
        KnownFailures.check("PythonTest", "asyncioEchoOverTcpAndUdp",
                () -> Runner.assertSameAsNative(List.of(PYTHON, "echo.py"), dir, new byte[0]));
    }

    @Test
    void anUncaughtExceptionExitsWithItsTraceback() throws Exception {
        Runner.assertSameAsNative(List.of(PYTHON, "-c", "import sys; print('out'); sys.stdout.flush(); 1/0"), dir,
                new byte[0]);
        Runner.assertSameAsNative(List.of(PYTHON, "-c", "import sys; sys.exit(sys.stdin.read().strip())"), dir,
                "bye\n".getBytes());
    }
}
