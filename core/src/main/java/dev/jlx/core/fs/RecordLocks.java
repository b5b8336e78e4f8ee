package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * fcntl(2) record locks of every guest process, analogous to Linux's file_lock lists. All guests
 * share one JVM, so the host's per-process POSIX locks cannot tell two guest processes apart: jlx
 * keeps the locks itself. Owners are a process (classic POSIX locks) or an open file description
 * (OFD locks); ranges are [start, end) with Long.MAX_VALUE meaning "to the end of the file, however
 * it grows". Locks taken by host processes outside jlx are not seen.
 */
public final class RecordLocks {
    /** A lock held by {@code owner}; {@code pid} is what F_GETLK reports (-1 for OFD locks). */
    public record Lock(Object owner, int pid, boolean write, long start, long end) {
        boolean overlaps(long s, long e) {
            return start < e && s < end;
        }
    }

    /** The identity of a locked file: its file system and inode. */
    public record FileKey(Object fileSystem, long dev, long ino) {}

    private final Map<FileKey, List<Lock>> locks = new HashMap<>();

    /** Whether no lock is held at all (closing a file then has nothing to release). */
    public synchronized boolean isEmpty() {
        return locks.isEmpty();
    }

    /** The first lock of another owner that conflicts with the one described, or null (F_GETLK). */
    public synchronized Lock conflict(FileKey file, Object owner, boolean write, long start, long end) {
        for (Lock l : locks.getOrDefault(file, List.of())) {
            if (l.owner() != owner && l.overlaps(start, end) && (write || l.write())) {
                return l;
            }
        }
        return null;
    }

    /**
     * F_SETLK / F_SETLKW: takes or releases ({@code type} null) the range for {@code owner}; a
     * conflict is EAGAIN, or waited out when {@code wait} (EINTR if the guest thread is interrupted).
     */
    public synchronized void set(FileKey file, Object owner, int pid, Boolean write, long start, long end, boolean wait)
            throws ErrnoException {
        if (write != null) {
            while (conflict(file, owner, write, start, end) != null) {
                if (!wait) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                Monitors.await(this);
            }
        }
        List<Lock> list = locks.computeIfAbsent(file, k -> new ArrayList<>());
        List<Lock> kept = new ArrayList<>();
        for (Iterator<Lock> it = list.iterator(); it.hasNext();) {
            Lock l = it.next();
            if (l.owner() == owner && l.overlaps(start, end)) {
                it.remove();
                // The owner's own lock is cut around the new range, as Linux splits it.
                if (l.start() < start) {
                    kept.add(new Lock(owner, l.pid(), l.write(), l.start(), start));
                }
                if (end < l.end()) {
                    kept.add(new Lock(owner, l.pid(), l.write(), end, l.end()));
                }
            }
        }
        list.addAll(kept);
        if (write != null) {
            list.add(new Lock(owner, pid, write, start, end));
        }
        if (list.isEmpty()) {
            locks.remove(file);
        }
        notifyAll();
    }

    /** Drops every lock {@code owner} holds on {@code file} (a POSIX owner closed a descriptor of it). */
    public synchronized void release(FileKey file, Object owner) {
        List<Lock> list = locks.get(file);
        if (list != null && list.removeIf(l -> l.owner() == owner)) {
            if (list.isEmpty()) {
                locks.remove(file);
            }
            notifyAll();
        }
    }

    /** Drops every lock {@code owner} holds (process exit, last close of an open file description). */
    public synchronized void releaseAll(Object owner) {
        boolean changed = false;
        for (Iterator<List<Lock>> it = locks.values().iterator(); it.hasNext();) {
            List<Lock> list = it.next();
            changed |= list.removeIf(l -> l.owner() == owner);
            if (list.isEmpty()) {
                it.remove();
            }
        }
        if (changed) {
            notifyAll();
        }
    }
}
