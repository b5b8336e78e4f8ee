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
import dev.jlx.core.ByteString;
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
    private static final int SO_KEEPALIVE = 9;
    private static final int SO_LINGER = 13;
    private static final int SO_PEERCRED = 17;
    private static final int SOL_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int SOL_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int MSG_PEEK = 2;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_CTRUNC = 0x8;
    private static final int SOL_IP = 0;
    private static final int IP_PKTINFO = 8;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
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
        return accepted(l, connecting(l, family));
    }

    /** A socket of {@code family} connecting to the listener {@code l}. */
    private HostSocket connecting(HostSocket l, int family) throws Exception {
        HostSocket c = socket(family, SOCK_STREAM);
        try {
            c.connect(l.localAddress());
        } catch (ErrnoException e) {
            assertEquals(Errno.EINPROGRESS, e.errno());
        }
        return c;
    }

    /** {@code c}'s connection, accepted from {@code l}: {c, the accepted socket}, both ends connected. */
    private HostSocket[] accepted(HostSocket l, HostSocket c) throws Exception {
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

    /**
     * IP_PKTINFO's message in Linux's layout (a 16-byte cmsghdr, then struct in_pktinfo: ifindex,
     * spec_dst, addr), msg_controllen its CMSG_SPACE; a buffer too short for it gets its start and
     * MSG_CTRUNC, as put_cmsg cuts. A host without the option gives no message at all.
     */
    @Test
    void controlMessagesAreLinuxsAndCutAsLinuxCutsThem() throws Exception {
        HostSocket a = socket(AF_INET, SOCK_DGRAM);
        HostSocket b = socket(AF_INET, SOCK_DGRAM);
        a.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        b.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        boolean pktinfo = b.hasOption(SOL_IP, IP_PKTINFO);
        if (pktinfo) {
            b.setOption(SOL_IP, IP_PKTINFO, intValue(1));
            assertEquals(1, intOption(b, SOL_IP, IP_PKTINFO));
        }
        a.send(List.of(bytes("one")), 0, b.localAddress());
        a.send(List.of(bytes("two")), 0, b.localAddress());
        await(b, Poll.POLLIN);
        MemorySegment in = arena.allocate(8);
        MemorySegment control = arena.allocate(64, 8);
        HostSocket.Received r = b.receive(List.of(in), 0, false, control);
        assertEquals(3, r.length());
        if (!pktinfo) {
            assertEquals(0, r.controlLength());
            return;
        }
        assertEquals(32, r.controlLength());
        assertEquals(0, r.flags() & MSG_CTRUNC);
        assertEquals(28, control.get(ValueLayout.JAVA_LONG, 0));
        assertEquals(SOL_IP, control.get(ValueLayout.JAVA_INT, 8));
        assertEquals(IP_PKTINFO, control.get(ValueLayout.JAVA_INT, 12));
        byte[] addr = new byte[4];
        MemorySegment.copy(control, ValueLayout.JAVA_BYTE, 24, addr, 0, 4);
        assertArrayEquals(LOOPBACK, addr);
        r = b.receive(List.of(in), 0, false, control.asSlice(0, 20));
        assertEquals(20, r.controlLength());
        assertEquals(MSG_CTRUNC, r.flags() & MSG_CTRUNC);
        assertEquals(20, control.get(ValueLayout.JAVA_LONG, 0));
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

    @Test
    void aPeekLeavesTheBytesThatAvailableCounts() throws Exception {
        for (int family : new int[] {AF_INET, AF_INET6}) {
            HostSocket[] c = connection(listener(family), family);
            c[0].send(List.of(bytes("abcdef")), 0, null);
            MemorySegment in = arena.allocate(16);
            long end = System.nanoTime() + 5_000_000_000L;
            while (c[1].available() < 6 && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            assertEquals(6, c[1].available());
            assertEquals(3, c[1].receive(List.of(in.asSlice(0, 3)), MSG_PEEK, false).length());
            assertEquals("abc", text(in, 3));
            assertEquals(6, c[1].receive(List.of(in), MSG_PEEK, false).length());
            assertEquals("abcdef", text(in, 6));
            assertEquals(2, c[1].receive(List.of(in.asSlice(0, 2)), 0, false).length());
            assertEquals("ab", text(in, 2));
            assertEquals(4, c[1].available());
            c[0].send(List.of(bytes("gh")), 0, null);
            end = System.nanoTime() + 5_000_000_000L;
            while (c[1].available() < 6 && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            HostSocket.Received r = c[1].receive(List.of(in.asSlice(0, 1), in.asSlice(1, 15)), 0, false);
            assertEquals(6, r.length());
            assertEquals("cdefgh", text(in, 6));
            assertEquals(0, c[1].available());
        }
    }

    @Test
    void aDatagramPeekedIsReceivedAgainAndAvailableIsTheNextOnesLength() throws Exception {
        for (int family : new int[] {AF_INET, AF_INET6}) {
            byte[] lo = family == AF_INET ? LOOPBACK : LOOPBACK6;
            HostSocket a = socket(family, SOCK_DGRAM);
            HostSocket b = socket(family, SOCK_DGRAM);
            a.bind(new InetEndpoint(lo, 0, 0, 0));
            b.bind(new InetEndpoint(lo, 0, 0, 0));
            a.send(List.of(bytes("01234"), bytes("56789")), 0, b.localAddress());
            a.send(List.of(bytes("abc")), 0, b.localAddress());
            await(b, Poll.POLLIN);
            assertEquals(10, b.available());
            MemorySegment in = arena.allocate(16);
            HostSocket.Received r = b.receive(List.of(in.asSlice(0, 4)), MSG_PEEK, true);
            assertEquals(4, r.length());
            assertTrue((r.flags() & MSG_TRUNC) != 0);
            assertEquals(a.localAddress(), r.source());
            r = b.receive(List.of(in), 0, false);
            assertEquals(10, r.length());
            assertEquals("0123456789", text(in, 10));
            assertEquals(0, r.flags() & MSG_TRUNC);
            await(b, Poll.POLLIN);
            assertEquals(3, b.available());
            assertEquals(3, b.receive(List.of(in), 0, false).length());
            assertEquals(0, b.available());
            assertEquals(Errno.EAGAIN,
                    assertThrows(ErrnoException.class, () -> b.receive(List.of(in), 0, false)).errno());
        }
    }

    @Test
    void aRefusedConnectIsReportedOnce() throws Exception {
        HostSocket probe = socket(AF_INET, SOCK_STREAM);
        probe.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        InetEndpoint nobody = probe.localAddress();
        probe.close();
        HostSocket c = socket(AF_INET, SOCK_STREAM);
        try {
            c.connect(nobody);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ECONNREFUSED) {
                return; // a host that knows at once: nothing is pending
            }
            assertEquals(Errno.EINPROGRESS, e.errno());
        }
        int r = await(c, Poll.POLLERR);
        assertEquals(Poll.POLLERR | Poll.POLLHUP, r & (Poll.POLLERR | Poll.POLLHUP));
        assertEquals(Errno.ECONNREFUSED.number(), intOption(c, SOL_SOCKET, SO_ERROR));
        assertEquals(0, intOption(c, SOL_SOCKET, SO_ERROR));
        assertEquals(0, c.poll() & Poll.POLLERR);
    }

    @Test
    void thePeersCloseIsEofAfterItsData() throws Exception {
        for (int family : new int[] {AF_INET, AF_INET6}) {
            HostSocket[] c = connection(listener(family), family);
            c[0].send(List.of(bytes("bye")), 0, null);
            c[0].close();
            MemorySegment in = arena.allocate(8);
            assertTrue((await(c[1], Poll.POLLIN) & Poll.POLLIN) != 0);
            long end = System.nanoTime() + 5_000_000_000L;
            long got = 0;
            while (got < 3 && System.nanoTime() < end) {
                try {
                    got += c[1].receive(List.of(in.asSlice(got)), 0, false).length();
                } catch (ErrnoException e) {
                    assertEquals(Errno.EAGAIN, e.errno());
                }
            }
            assertEquals("bye", text(in, 3));
            while (System.nanoTime() < end) {
                try {
                    assertEquals(0, c[1].receive(List.of(in), 0, false).length());
                    break;
                } catch (ErrnoException e) {
                    assertEquals(Errno.EAGAIN, e.errno());
                    Thread.sleep(1);
                }
            }
            assertEquals(0, c[1].receive(List.of(in), 0, false).length());
            assertTrue((c[1].poll() & Poll.POLLIN) != 0);
        }
    }

    @Test
    void aResetIsEconnresetOnceThenEpipe() throws Exception {
        HostSocket[] c = connection(listener(AF_INET), AF_INET);
        c[1].setOption(SOL_SOCKET, SO_LINGER, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1)
                .putInt(4, 0).array());
        c[1].close();
        assertTrue((await(c[0], Poll.POLLERR) & Poll.POLLERR) != 0);
        MemorySegment in = arena.allocate(8);
        assertEquals(Errno.ECONNRESET,
                assertThrows(ErrnoException.class, () -> c[0].receive(List.of(in), 0, false)).errno());
        assertEquals(Errno.EPIPE,
                assertThrows(ErrnoException.class, () -> c[0].send(List.of(bytes("x")), 0, null)).errno());
    }

    @Test
    void shutdownsOfSocketsNotConnected() throws Exception {
        HostSocket s = socket(AF_INET, SOCK_STREAM);
        assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, () -> s.shutdown(SHUT_RDWR)).errno());
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> s.shutdown(5)).errno());
        HostSocket u = socket(AF_INET, SOCK_DGRAM);
        assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, () -> u.shutdown(SHUT_WR)).errno());
        HostSocket l = listener(AF_INET);
        assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> l.bind(new InetEndpoint(LOOPBACK, 0, 0,
                0))).errno());
    }

    @Test
    void aPortInUseIsEaddrinuse() throws Exception {
        HostSocket l = listener(AF_INET);
        HostSocket other = socket(AF_INET, SOCK_STREAM);
        assertEquals(Errno.EADDRINUSE,
                assertThrows(ErrnoException.class, () -> other.bind(l.localAddress())).errno());
    }

    @Test
    void anIpv6ListenerTakesIpv4ClientsAsMappedAddresses() throws Exception {
        HostSocket l = socket(AF_INET6, SOCK_STREAM);
        l.bind(new InetEndpoint(new byte[16], 0, 0, 0));
        l.listen(4);
        HostSocket c = socket(AF_INET, SOCK_STREAM);
        try {
            c.connect(new InetEndpoint(LOOPBACK, l.localAddress().port(), 0, 0));
        } catch (ErrnoException e) {
            assertEquals(Errno.EINPROGRESS, e.errno());
        }
        assertTrue((await(l, Poll.POLLIN) & Poll.POLLIN) != 0);
        HostSocket.Accepted a = l.accept();
        open.add(a.socket());
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertArrayEquals(mapped, a.peer().address());
        assertArrayEquals(mapped, a.socket().localAddress().address());
        assertEquals(c.localAddress().port(), a.peer().port());
    }

    @Test
    void anAcceptedConnectionInheritsTheListenersOptions() throws Exception {
        HostSocket l = socket(AF_INET, SOCK_STREAM);
        l.setOption(SOL_TCP, TCP_NODELAY, intValue(1));
        l.setOption(SOL_SOCKET, SO_KEEPALIVE, intValue(1));
        l.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        l.listen(8);
        HostSocket[] c = connection(l, AF_INET);
        assertEquals(1, intOption(c[1], SOL_TCP, TCP_NODELAY));
        assertEquals(1, intOption(c[1], SOL_SOCKET, SO_KEEPALIVE));
        assertEquals(0, intOption(c[0], SOL_TCP, TCP_NODELAY));
    }

    @Test
    void aConnectedDatagramSocketLearnsOfARefusal() throws Exception {
        HostSocket probe = socket(AF_INET, SOCK_DGRAM);
        probe.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        InetEndpoint nobody = probe.localAddress();
        probe.close();
        HostSocket u = socket(AF_INET, SOCK_DGRAM);
        AtomicInteger told = new AtomicInteger();
        boolean watched = u.watch(e -> told.getAndUpdate(v -> v | e));
        u.connect(nobody);
        assertEquals(1, u.send(List.of(bytes("x")), 0, null));
        assertTrue((await(u, Poll.POLLERR) & Poll.POLLERR) != 0);
        MemorySegment in = arena.allocate(8);
        assertEquals(Errno.ECONNREFUSED,
                assertThrows(ErrnoException.class, () -> u.receive(List.of(in), 0, false)).errno());
        assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> u.receive(List.of(in), 0, false)).errno());
        // Again, the error taken by SO_ERROR this time; then the socket still hears of a datagram.
        assertEquals(1, u.send(List.of(bytes("x")), 0, null));
        assertTrue((await(u, Poll.POLLERR) & Poll.POLLERR) != 0);
        assertEquals(Errno.ECONNREFUSED.number(), intOption(u, SOL_SOCKET, SO_ERROR));
        HostSocket b = socket(AF_INET, SOCK_DGRAM);
        b.bind(new InetEndpoint(LOOPBACK, 0, 0, 0));
        u.connect(b.localAddress());
        told.set(0);
        b.send(List.of(bytes("y")), 0, u.localAddress());
        assertTrue(!watched || told(told, Poll.POLLIN), "a datagram after the error");
        assertTrue((await(u, Poll.POLLIN) & Poll.POLLIN) != 0);
        assertEquals(1, u.receive(List.of(in), 0, false).length());
    }

    /** Waits (5 s at most) until {@code told} has one of {@code events}. */
    private static boolean told(AtomicInteger told, int events) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while ((told.get() & events) == 0 && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        return (told.get() & events) != 0;
    }

    @Test
    void aWatchedSocketTellsOfEachArrivalEvenUnreadAndOfWhatItsOwnPollFound() throws Exception {
        HostSocket l = listener(AF_INET);
        AtomicInteger listenerTold = new AtomicInteger();
        if (!l.watch(e -> listenerTold.getAndUpdate(v -> v | e))) {
            return; // a host that cannot tell
        }
        // Told before the accept: a connection accepted first may leave the poller's edge with
        // nothing ready when it looks, and epoll drops such a report.
        HostSocket client = connecting(l, AF_INET);
        assertTrue(told(listenerTold, Poll.POLLIN));
        HostSocket[] c = accepted(l, client);
        AtomicInteger told = new AtomicInteger();
        assertTrue(c[1].watch(e -> told.getAndUpdate(v -> v | e)));
        told.set(0);
        c[0].send(List.of(bytes("a")), 0, null);
        assertTrue(told(told, Poll.POLLIN), "first arrival");
        told.set(0);
        c[0].send(List.of(bytes("b")), 0, null);
        assertTrue(told(told, Poll.POLLIN), "an arrival while data is unread");
        MemorySegment in = arena.allocate(8);
        assertEquals(2, c[1].receive(List.of(in), 0, false).length());
        told.set(0);
        c[0].send(List.of(bytes("c")), 0, null);
        await(c[1], Poll.POLLIN);
        assertTrue(told(told, Poll.POLLIN), "an arrival a poll found first");
        told.set(0);
        c[0].shutdown(SHUT_WR);
        assertTrue(told(told, Poll.POLLIN), "the peer's end");
    }

    /** The host path, in the form of the backend's files, of a path of this host (a POSIX host's: the same). */
    protected ByteString hostPath(java.nio.file.Path p) {
        return ByteString.of(p.toString());
    }

    /**
     * connectUnix: a socket a host process bound (the JDK's UNIX listener here) is reached, data goes
     * both ways with the readiness told, the peer's end reads as 0, SO_PEERCRED (where the host has
     * it) names the listener's user; once nobody listens there, ECONNREFUSED.
     */
    @Test
    void connectsToAUnixSocketAHostProcessBound() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jlx-unix");
        java.nio.file.Path path = dir.resolve("s.sock");
        try {
            try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                server.bind(java.net.UnixDomainSocketAddress.of(path));
                HostSocket c = network().connectUnix(hostPath(path), SOCK_STREAM);
                open.add(c);
                AtomicInteger told = new AtomicInteger();
                boolean watched = c.watch(e -> told.getAndUpdate(v -> v | e));
                try (var accepted = server.accept()) {
                    assertEquals(5, c.send(List.of(bytes("hello")), 0, null));
                    ByteBuffer got = ByteBuffer.allocate(5);
                    while (got.hasRemaining() && accepted.read(got) >= 0) {
                        // a blocking channel: until the five bytes are in
                    }
                    assertEquals("hello", new String(got.array(), StandardCharsets.US_ASCII));
                    MemorySegment in = arena.allocate(16);
                    assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class,
                            () -> c.receive(List.of(in), 0, false)).errno());
                    told.set(0);
                    accepted.write(ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)));
                    assertTrue((await(c, Poll.POLLIN) & Poll.POLLIN) != 0);
                    if (watched) {
                        assertTrue(told(told, Poll.POLLIN), "the arrival told");
                    }
                    assertEquals(5, c.available());
                    HostSocket.Received r = c.receive(List.of(in), 0, false);
                    assertEquals("world", text(in, r.length()));
                    if (c.hasOption(SOL_SOCKET, SO_PEERCRED)) {
                        ByteBuffer cred = ByteBuffer.wrap(c.option(SOL_SOCKET, SO_PEERCRED, 12))
                                .order(ByteOrder.LITTLE_ENDIAN);
                        assertEquals(java.nio.file.Files.getAttribute(path, "unix:uid"), cred.getInt(4));
                    }
                    c.shutdown(SHUT_WR);
                    assertEquals(-1, accepted.read(ByteBuffer.allocate(1)));
                }
                assertTrue((await(c, Poll.POLLRDHUP | Poll.POLLHUP) & (Poll.POLLIN | Poll.POLLHUP)) != 0);
                assertEquals(0, c.receive(List.of(arena.allocate(4)), 0, false).length());
            }
            assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class,
                    () -> network().connectUnix(hostPath(path), SOCK_STREAM)).errno());
        } finally {
            java.nio.file.Files.deleteIfExists(path);
            java.nio.file.Files.delete(dir);
        }
    }
}
