package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * flock(2) locks of the Windows backend's files, kept in the JVM (all guest processes live in it):
 * NT's byte-range locks belong to handles and are mandatory, while flock's are advisory and belong
 * to open file descriptions. A lock is held by a {@link WindowsFile} (one per description: dup and
 * fork share it) on a file, known by volume serial and file id.
 */
final class FlockTable {
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int LOCK_UN = 8;

    record Key(long volume, long fileId) {}

    private static final class State {
        final Set<Object> shared = new HashSet<>();
        Object exclusive;
    }

    private final Map<Key, State> locks = new HashMap<>();

    synchronized void lock(Key key, Object holder, int operation) throws ErrnoException {
        if ((operation & LOCK_UN) != 0) {
            release(key, holder);
            return;
        }
        boolean exclusive = (operation & LOCK_EX) != 0;
        State s = locks.computeIfAbsent(key, k -> new State());
        // A holder converting its lock gives up the old one first, as Linux's flock does.
        s.shared.remove(holder);
        if (s.exclusive == holder) {
            s.exclusive = null;
        }
        notifyAll();
        while (s.exclusive != null || (exclusive && !s.shared.isEmpty())) {
            if ((operation & LOCK_NB) != 0) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ErrnoException(Errno.EINTR);
            }
            s = locks.computeIfAbsent(key, k -> new State());
        }
        if (exclusive) {
            s.exclusive = holder;
        } else {
            s.shared.add(holder);
        }
    }

    synchronized void release(Key key, Object holder) {
        State s = locks.get(key);
        if (s == null) {
            return;
        }
        s.shared.remove(holder);
        if (s.exclusive == holder) {
            s.exclusive = null;
        }
        if (s.shared.isEmpty() && s.exclusive == null) {
            locks.remove(key);
        }
        notifyAll();
    }
}
