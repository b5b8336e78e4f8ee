package dev.jlx.core.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The netlink sockets of one kernel (Linux's per-namespace nl_table for NETLINK_ROUTE): the port
 * ids bound and one lock for all their state, since a send between two sockets touches both. The
 * lock is a leaf: nothing outside this package is called while it is held.
 */
public final class NetlinkDomain {
    final ReentrantLock lock = new ReentrantLock();
    /** Bound sockets by port id, in the order they were bound: /proc/net/netlink. */
    private final Map<Integer, NetlinkSocket> bound = new LinkedHashMap<>();

    NetlinkSocket find(int portid) {
        return bound.get(portid);
    }

    Iterable<NetlinkSocket> boundView() {
        return bound.values();
    }

    /** netlink_insert: false when {@code portid} is taken (EADDRINUSE). */
    boolean insert(int portid, NetlinkSocket s) {
        return bound.putIfAbsent(portid, s) == null;
    }

    void remove(int portid, NetlinkSocket s) {
        bound.remove(portid, s);
    }

    /**
     * netlink_autobind's port id: the caller's tgid when free, else a free negative number of
     * [-2^31, -4097], where Linux searches from a random point.
     */
    int autobindId(int tgid) {
        if (!bound.containsKey(tgid)) {
            return tgid;
        }
        int rover = Integer.MIN_VALUE + ThreadLocalRandom.current().nextInt(-4096 - Integer.MIN_VALUE);
        while (bound.containsKey(rover)) {
            rover = rover <= Integer.MIN_VALUE ? -4097 : rover - 1;
        }
        return rover;
    }

    /** /proc/net/netlink, as netlink_seq_show prints it (kernel addresses hidden, as for an unprivileged reader). */
    public byte[] procNetNetlink() {
        List<NetlinkSocket> all;
        lock.lock();
        try {
            all = new ArrayList<>(bound.values());
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
