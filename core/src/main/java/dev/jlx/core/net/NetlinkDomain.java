package dev.jlx.core.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The netlink sockets of one kernel (Linux's per-namespace nl_table): the port ids bound, each
 * protocol's apart, and one lock for all their state, since a send between two sockets touches
 * both. The lock is a leaf: nothing outside this package is called while it is held.
 */
public final class NetlinkDomain {
    final ReentrantLock lock = new ReentrantLock();
    /** Per protocol, the bound sockets by port id, in the order they were bound: /proc/net/netlink. */
    @SuppressWarnings("unchecked")
    private final Map<Integer, NetlinkSocket>[] bound = new Map[dev.jlx.abi.Netlink.MAX_LINKS];

    public NetlinkDomain() {
        for (int i = 0; i < bound.length; i++) {
            bound[i] = new LinkedHashMap<>();
        }
    }

    NetlinkSocket find(int protocol, int portid) {
        return bound[protocol].get(portid);
    }

    Iterable<NetlinkSocket> boundView(int protocol) {
        return bound[protocol].values();
    }

    /** Every bound socket, protocol by protocol (the lock held): NETLINK_SOCK_DIAG's netlink_diag. */
    List<NetlinkSocket> allBound() {
        List<NetlinkSocket> all = new ArrayList<>();
        for (Map<Integer, NetlinkSocket> m : bound) {
            all.addAll(m.values());
        }
        return all;
    }

    /** netlink_insert: false when {@code portid} is taken (EADDRINUSE). */
    boolean insert(int protocol, int portid, NetlinkSocket s) {
        return bound[protocol].putIfAbsent(portid, s) == null;
    }

    void remove(int protocol, int portid, NetlinkSocket s) {
        bound[protocol].remove(portid, s);
    }

    /**
     * netlink_autobind's port id: the caller's tgid when free, else a free negative number of
     * [-2^31, -4097], where Linux searches from a random point.
     */
    int autobindId(int protocol, int tgid) {
        Map<Integer, NetlinkSocket> ids = bound[protocol];
        if (!ids.containsKey(tgid)) {
            return tgid;
        }
        int rover = Integer.MIN_VALUE + ThreadLocalRandom.current().nextInt(-4096 - Integer.MIN_VALUE);
        while (ids.containsKey(rover)) {
            rover = rover <= Integer.MIN_VALUE ? -4097 : rover - 1;
        }
        return rover;
    }

    /** /proc/net/netlink, as netlink_seq_show prints it (kernel addresses hidden, as for an unprivileged reader). */
    public byte[] procNetNetlink() {
        List<NetlinkSocket> all;
        lock.lock();
        try {
            all = allBound();
        } finally {
            lock.unlock();
        }
        StringBuilder b = new StringBuilder(
                "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n");
        for (NetlinkSocket s : all) {
            s.procLine(b);
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
