package dev.jlx.core.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HostNetwork} does, in Linux's units and errno, on loopback: each backend's tests
 * subclass this with their own network. The sockets never block: the tests look with poll.
 */
public abstract class HostNetworkContract {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ERROR = 4;
    private static final int SO_REUSEADDR = 2;
    private static final int SOL_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int SOL_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int MSG_PEEK = 2;
    private static final int MSG_TRUNC = 0x20;
    private static final int SHUT_WR = 1;
    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final byte[] LOOPBACK6 = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    protected abstract HostNetwork network();

    private final Arena arena = Arena.ofShared();
    private final List<HostSocket> open = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(HostSocket::close);
        arena.close();
    }

    private HostSocket socket(int family, int type) throws ErrnoException {
        HostSocket s = network().open(family, type, 0);
        open.add(s);
        return s;
    }

    private MemorySegment bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        MemorySegment m = arena.allocate(b.length);
        MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
        return m;
    }

    private static String text(MemorySegment m, long n) {
        byte[] b = new byte[(int) n];
        MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** Looks with poll until one of {@code events} holds (5 s at most): the events then. */
    private static int await(HostSocket s, int events) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        int r;
        while (((r = s.poll()) & events) == 0 && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        return r;
    }

    private static int intOption(HostSocket s, int level, int name) throws ErrnoException {
        return ByteBuffer.wrap(s.option(level, name, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static byte[] intValue(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private HostSocket listener(int family) throws ErrnoException {
        HostSocket l = socket(family, SOCK_STREAM);
        l.bind(new InetEndpoint(family == AF_INET ? LOOPBACK : LOOPBACK6, 0, 0, 0));
        l.listen(8);
        return l;
    }

    /** Connects a new client to {@code l}: the client and the accepted connection. */
    private HostSocket[] connection(HostSocket l, int family) throws Exception {
        HostSocket c = socket(family, SOCK_STREAM);
        try {
            c.connect(l.localAddress());
        } catch (ErrnoException e) {
            assertEquals(Errno.EINPROGRESS, e.errno());
        }
        assertTrue((await(l, Poll.POLLIN) & Poll.POLLIN) != 0);
        HostSocket.Accepted a = l.accept();
        open.add(a.socket());
        assertEquals(c.localAddress(), a.peer());
        assertTrue((await(c, Poll.POLLOUT) & Poll.POLLOUT) != 0);
        return new HostSocket[] {c, a.socket()};
    }

    @Test
    void aListenerGetsAPortAndConnectionsEchoBytes() throws Exception {
        for (int family : new int[] {AF_INET, AF_INET6}) {
            HostSocket l = listener(family);
            InetEndpoint local = l.localAddress();
            assertNotEquals(0, local.port());
            assertEquals(family == AF_INET6, local.ipv6());
            HostSocket[] c = connection(l, family);
            assertEquals(local, c[0].peerAddress());
            assertEquals(11, c[0].send(List.of(bytes("hello "), bytes("world")), 0, null));
            await(c[1], Poll.POLLIN);
            assertEquals(11, c[1].available());
            MemorySegment in = arena.allocate(64);
            assertEquals(5, c[1].receive(List.of(in.asSlice(0, 5)), MSG_PEEK, false).length());
            assertEquals("hello", text(in, 5));
            HostSocket.Received r = c[1].receive(List.of(in), 0, true);
            assertEquals(11, r.length());
            assertEquals("hello world", text(in, 11));
            assertEquals(0, c[1].available());
        }
    }

    @Test
    void whatWouldWaitIsEagain() throws Exception {
        HostSocket l = listener(AF_INET);
        assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, l::accept).errno());
        HostSocket[] c = connection(l, AF_INET);
        MemorySegment in = arena.allocate(8);
        assertEquals(Errno.EAGAIN,
                assertThrows(ErrnoException.class, () -> c[1].receive(List.of(in), 0, false)).errno());
        assertEquals(0, c[1].poll() & Poll.POLLIN);
        assertTrue((c[1].poll() & Poll.POLLOUT) != 0);
    }

    @Test
    void aRefusedConnectionIsAnErrorOfTheSocket() throws Exception {
        HostSocket probe = socket(AF_INET, SOCK_STREAM);
        probe.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        InetEndpoint nobody = probe.localAddress();
        probe.close();
        HostSocket c = socket(AF_INET, SOCK_STREAM);
        try {
            c.connect(nobody);
        } catch (ErrnoException e) {
            assertTrue(e.errno() == Errno.EINPROGRESS || e.errno() == Errno.ECONNREFUSED, e.errno().name());
            if (e.errno() == Errno.EINPROGRESS) {
                assertTrue((await(c, Poll.POLLERR) & Poll.POLLERR) != 0);
                assertEquals(Errno.ECONNREFUSED.number(), intOption(c, SOL_SOCKET, SO_ERROR));
            }
        }
        assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, c::peerAddress).errno());
    }

    @Test
    void datagramsKeepTheirBoundsAndSenders() throws Exception {
        HostSocket a = socket(AF_INET, SOCK_DGRAM);
        HostSocket b = socket(AF_INET, SOCK_DGRAM);
        a.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        b.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        assertEquals(10, a.send(List.of(bytes("0123456789")), 0, b.localAddress()));
        assertEquals(3, a.send(List.of(bytes("abc")), 0, b.localAddress()));
        await(b, Poll.POLLIN);
        MemorySegment in = arena.allocate(4);
        HostSocket.Received r = b.receive(List.of(in), MSG_TRUNC, true);
        assertTrue(r.length() == 10 || r.length() == 4, "length " + r.length());
        assertTrue((r.flags() & MSG_TRUNC) != 0);
        assertEquals("0123", text(in, 4));
        assertEquals(a.localAddress(), r.source());
        r = b.receive(List.of(in), 0, false);
        assertEquals(3, r.length());
        assertEquals(0, r.flags() & MSG_TRUNC);
        assertEquals(Errno.EDESTADDRREQ,
                assertThrows(ErrnoException.class, () -> a.send(List.of(bytes("x")), 0, null)).errno());
        a.connect(b.localAddress());
        assertEquals(b.localAddress(), a.peerAddress());
        a.disconnect();
        assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, a::peerAddress).errno());
    }

    @Test
    void optionsAreLinuxPairs() throws Exception {
        HostSocket s = socket(AF_INET6, SOCK_STREAM);
        assertTrue(s.hasOption(SOL_TCP, TCP_NODELAY));
        assertTrue(s.hasOption(SOL_SOCKET, SO_ERROR));
        assertFalse(s.hasOption(SOL_TCP, 999));
        assertEquals(0, intOption(s, SOL_TCP, TCP_NODELAY));
        s.setOption(SOL_TCP, TCP_NODELAY, intValue(1));
        assertEquals(1, intOption(s, SOL_TCP, TCP_NODELAY));
        s.setOption(SOL_SOCKET, SO_REUSEADDR, intValue(1));
        assertEquals(1, intOption(s, SOL_SOCKET, SO_REUSEADDR));
        s.setOption(SOL_IPV6, IPV6_V6ONLY, intValue(1));
        assertEquals(1, intOption(s, SOL_IPV6, IPV6_V6ONLY));
        assertEquals(Errno.ENOPROTOOPT,
                assertThrows(ErrnoException.class, () -> s.setOption(SOL_TCP, 999, intValue(1))).errno());
    }

    @Test
    void afterShutdownTheReaderSeesEofAndTheWriterEpipeWithoutASignal() throws Exception {
        HostSocket l = listener(AF_INET);
        HostSocket[] c = connection(l, AF_INET);
        c[0].shutdown(SHUT_WR);
        assertTrue((await(c[1], Poll.POLLIN) & Poll.POLLIN) != 0);
        MemorySegment in = arena.allocate(8);
        assertEquals(0, c[1].receive(List.of(in), 0, false).length());
        Errno e = assertThrows(ErrnoException.class, () -> c[0].send(List.of(bytes("x")), 0, null)).errno();
        assertEquals(Errno.EPIPE, e);
    }

    @Test
    void aHostWaitEndsWhenDataComesOrTheTimePasses() throws Exception {
        HostSocket l = listener(AF_INET);
        HostSocket[] c = connection(l, AF_INET);
        int nothing = c[1].await(Poll.POLLIN, 20_000_000);
        if (nothing == -1) {
            return; // a host that cannot wait so: waiters park until told, or look with poll
        }
        assertEquals(0, nothing & Poll.POLLIN);
        assertTrue((c[0].await(Poll.POLLOUT, -1) & Poll.POLLOUT) != 0, "a new connection has room");
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
                c[0].send(List.of(bytes("ping")), 0, null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long end = System.nanoTime() + 5_000_000_000L;
        int r = 0;
        while ((r & Poll.POLLIN) == 0 && System.nanoTime() < end) {
            r = c[1].await(Poll.POLLIN, -1);
        }
        sender.join();
        assertTrue((r & Poll.POLLIN) != 0, "revents " + r);
    }

    @Test
    void anInterruptEndsAHostWait() throws Exception {
        HostSocket l = listener(AF_INET);
        HostSocket[] c = connection(l, AF_INET);
        if (c[1].await(Poll.POLLIN, 1_000_000) == -1) {
            return;
        }
        Thread waiter = Thread.currentThread();
        Thread interrupter = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            waiter.interrupt();
        });
        long start = System.nanoTime();
        int r = c[1].await(Poll.POLLIN, 10_000_000_000L);
        long took = System.nanoTime() - start;
        assertTrue(Thread.interrupted(), "the interrupt is left for the caller to see");
        interrupter.join();
        assertEquals(0, r & Poll.POLLIN);
        assertTrue(took < 5_000_000_000L, "ended after " + took / 1_000_000 + " ms");
        // Interrupted before it starts: returns at once.
        Thread.currentThread().interrupt();
        assertEquals(0, c[1].await(Poll.POLLIN, 10_000_000_000L) & Poll.POLLIN);
        assertTrue(Thread.interrupted());
        // And the next wait is a whole one again (nothing left of the interrupts but maybe one early return).
        int later = c[1].await(Poll.POLLIN, 30_000_000);
        assertEquals(0, later & Poll.POLLIN);
    }

    @Test
    void aWatchedSocketTellsOfNewData() throws Exception {
        HostSocket l = listener(AF_INET);
        HostSocket[] c = connection(l, AF_INET);
        AtomicInteger told = new AtomicInteger();
        if (!c[1].watch(e -> told.getAndUpdate(v -> v | e))) {
            return; // a host that cannot tell: waiters look with poll, as the other tests do
        }
        told.set(0);
        c[0].send(List.of(bytes("ping")), 0, null);
        long end = System.nanoTime() + 5_000_000_000L;
        while ((told.get() & Poll.POLLIN) == 0 && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertTrue((told.get() & Poll.POLLIN) != 0, "told " + told.get());
        assertNotNull(c[1].localAddress());
    }
}
