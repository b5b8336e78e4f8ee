package dev.jlx.core.net;

import dev.jlx.core.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The AF_UNIX sockets of one kernel (Linux's per-namespace unix table): the names they are bound to
 * and one lock for all their state. A send touches two sockets (the receiver's queue, the sender's
 * buffer account) and a connect three, so one lock keeps them simple; each socket has a condition
 * of its own that its waiters wait on. The lock is a leaf: nothing outside this package is called
 * while it is held (files that were in flight are closed after it is left).
 */
public final class UnixDomain {
    final ReentrantLock lock = new ReentrantLock();
    private final Map<Name, UnixSocket> abstractNames = new HashMap<>();
    private final Map<UnixPaths.NodeKey, UnixSocket> pathNames = new HashMap<>();
    /** Every socket alive, accepted or not, in creation order: /proc/net/unix. */
    private final Set<UnixSocket> sockets = new LinkedHashSet<>();
    /** Where autobind looks next: a random start, as Linux's, then upwards through 2^20 names. */
    private int autobind = ThreadLocalRandom.current().nextInt(1 << 20);

    /**
     * Whether a connect may reach a socket a host process bound (a socket node on a host mount no
     * guest socket is bound to): off unless the user asks (--host-unix-sockets), since such a
     * socket (/run/docker.sock) is a way out of any sandbox.
     */
    private volatile boolean hostSockets;

    /** Files in flight (sent, not yet received) per sending user: Linux's user->unix_inflight. */
    private final Map<Integer, Long> inflight = new HashMap<>();

    public void allowHostSockets(boolean allowed) {
        hostSockets = allowed;
    }

    boolean hostSockets() {
        return hostSockets;
    }

    /** Adds {@code delta} to {@code uid}'s files in flight; the count now. */
    long inflight(int uid, long delta) {
        return inflight.merge(uid, delta, Long::sum);
    }

    /** The sockets alive (the lock held). */
    Iterable<UnixSocket> socketsView() {
        return sockets;
    }

    /** An abstract name: Linux keys them by the bytes and the socket type (the type is in the hash). */
    private record Name(int type, ByteString bytes) {}

    void add(UnixSocket s) {
        sockets.add(s);
    }

    void remove(UnixSocket s) {
        sockets.remove(s);
        abstractNames.values().remove(s);
        pathNames.values().remove(s);
    }

    UnixSocket findAbstract(int type, byte[] address) {
        return abstractNames.get(new Name(type, ByteString.of(address)));
    }

    boolean bindAbstract(int type, byte[] address, UnixSocket s) {
        return abstractNames.putIfAbsent(new Name(type, ByteString.of(address)), s) == null;
    }

    UnixSocket findPath(UnixPaths.NodeKey key) {
        return pathNames.get(key);
    }

    void bindPath(UnixPaths.NodeKey key, UnixSocket s) {
        pathNames.put(key, s);
    }

    /** unix_autobind's name: "\0" and five hex digits, the first free one; null when all 2^20 are taken (ENOSPC). */
    byte[] autobindName(int type) {
        for (int tries = 0; tries < 1 << 20; tries++) {
            autobind = (autobind + 1) & 0xFFFFF;
            byte[] address = new byte[8];
            address[0] = 1;
            byte[] hex = String.format("%05x", autobind).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(hex, 0, address, 3, 5);
            if (findAbstract(type, address) == null) {
                return address;
            }
        }
        return null;
    }

    /** The sockets' descriptions for unix_diag, in creation order (connections not accepted yet left out). */
    public List<SockDiag.Unix> diagnoses() {
        lock.lock();
        try {
            List<SockDiag.Unix> out = new ArrayList<>();
            for (UnixSocket s : sockets) {
                UnixPaths.NodeKey node = null;
                for (Map.Entry<UnixPaths.NodeKey, UnixSocket> e : pathNames.entrySet()) {
                    if (e.getValue() == s) {
                        node = e.getKey();
                    }
                }
                SockDiag.Unix d = s.diag(node);
                if (d != null) {
                    out.add(d);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** /proc/net/unix, as unix_seq_show prints it (kernel addresses hidden, as for an unprivileged reader). */
    public byte[] procNetUnix() {
        List<UnixSocket> all;
        lock.lock();
        try {
            all = new ArrayList<>(sockets);
        } finally {
            lock.unlock();
        }
        StringBuilder b = new StringBuilder("Num       RefCount Protocol Flags    Type St Inode Path\n");
        for (UnixSocket s : all) {
            s.procLine(b);
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
