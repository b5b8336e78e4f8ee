package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess.Credentials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects of one System V kind in a namespace, analogous to Linux's {@code struct ipc_ids}: by
 * index and by key. Ids are made as Linux's ipc_addid makes them: the index, taken cyclically below
 * max(in use * 3 / 2, 64), plus a sequence number (bumped each time the index wraps) times
 * {@link Ipc#IPCMNI}. Guarded by its monitor.
 */
final class IpcIds<T extends IpcObject> {
    /** Linux's ipc_min_cycle (RADIX_TREE_MAP_SIZE): indices cycle through at least this many. */
    private static final int MIN_CYCLE = 64;
    /** ipcid_seq_max: the sequence number wraps past it. */
    private static final int SEQ_MAX = Integer.MAX_VALUE / Ipc.IPCMNI;

    /** How a new object is made for a key once the checks are passed; it may refuse (EINVAL, ENOSPC...). */
    interface Maker<T> {
        T make(int key, int flags) throws ErrnoException;
    }

    /** The checks of an existing object beyond its permissions (Linux's more_checks: a size too large). */
    interface Check<T> {
        void check(T existing) throws ErrnoException;
    }

    private final TreeMap<Integer, T> byIndex = new TreeMap<>();
    private final Map<Integer, T> byKey = new HashMap<>();
    private final int limit;
    private int seq;
    private int lastIndex = -1;

    IpcIds(int limit) {
        this.limit = limit;
    }

    /**
     * Linux's ipcget: IPC_PRIVATE makes a new object; else the key's object, made when absent with
     * IPC_CREAT (ENOENT without), EEXIST with IPC_CREAT|IPC_EXCL, else checked (more_checks, then the
     * permissions {@code flags} asks). Returns the id.
     */
    synchronized int get(int key, int flags, Credentials c, Maker<T> maker, Check<T> check) throws ErrnoException {
        T found = key == Ipc.IPC_PRIVATE ? null : byKey.get(key);
        if (found == null) {
            if (key != Ipc.IPC_PRIVATE && (flags & Ipc.IPC_CREAT) == 0) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (byIndex.size() >= limit) {
                throw new ErrnoException(Errno.ENOSPC);
            }
            T made = maker.make(key, flags);
            add(made);
            return made.id;
        }
        if ((flags & (Ipc.IPC_CREAT | Ipc.IPC_EXCL)) == (Ipc.IPC_CREAT | Ipc.IPC_EXCL)) {
            throw new ErrnoException(Errno.EEXIST);
        }
        check.check(found);
        found.checkAccess(c, flags);
        return found.id;
    }

    private void add(T object) throws ErrnoException {
        int max = Math.min(Math.max(byIndex.size() * 3 / 2, MIN_CYCLE), Ipc.IPCMNI);
        int index = freeIndex(lastIndex + 1, max);
        if (index < 0) {
            index = freeIndex(0, max);
        }
        if (index < 0) {
            throw new ErrnoException(Errno.ENOSPC);
        }
        if (index <= lastIndex) {
            seq = seq + 1 >= SEQ_MAX ? 0 : seq + 1;
        }
        lastIndex = index;
        object.id = index + seq * Ipc.IPCMNI;
        byIndex.put(index, object);
        if (object.key != Ipc.IPC_PRIVATE) {
            byKey.put(object.key, object);
        }
    }

    private int freeIndex(int from, int max) {
        for (int i = from; i < max; i++) {
            if (!byIndex.containsKey(i)) {
                return i;
            }
        }
        return -1;
    }

    /** The object with id {@code id}: EINVAL when none has it (Linux's ipc_obtain_object_check). */
    synchronized T byId(int id) throws ErrnoException {
        T o = id < 0 ? null : byIndex.get(id % Ipc.IPCMNI);
        if (o == null || o.id != id) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return o;
    }

    /** The object at index {@code index} (the *_STAT commands): EINVAL when none. */
    synchronized T byIndex(int index) throws ErrnoException {
        T o = index < 0 ? null : byIndex.get(index);
        if (o == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return o;
    }

    /** Takes the object out of the tables: its id and key are free from now on. */
    synchronized void remove(T object) {
        byIndex.remove(object.index(), object);
        byKey.remove(object.key, object);
    }

    /** The key goes (IPC_RMID of a segment still attached: it stays, as IPC_PRIVATE, until the last detach). */
    synchronized void forgetKey(T object) {
        byKey.remove(object.key, object);
        object.key = Ipc.IPC_PRIVATE;
    }

    synchronized int inUse() {
        return byIndex.size();
    }

    /** Linux's ipc_get_maxidx as the *_INFO commands return it: the highest index in use, 0 with none. */
    synchronized int maxIndex() {
        return byIndex.isEmpty() ? 0 : byIndex.lastKey();
    }

    /** The objects, by index (as /proc/sysvipc lists them). */
    synchronized List<T> all() {
        return new ArrayList<>(byIndex.values());
    }
}
