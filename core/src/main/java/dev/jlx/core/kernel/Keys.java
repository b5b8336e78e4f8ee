package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The kernel key retention service of one run (security/keys): keys of the types "user", "logon",
 * "keyring" and "asymmetric" with their serials, owners, permissions and expiry; the thread, process and
 * session keyrings of the guests, and the per-uid user, user-session and persistent keyrings.
 * The host's keys are never seen. Guarded by its own monitor.
 */
public final class Keys {
    public static final int KEY_SPEC_THREAD_KEYRING = -1;
    public static final int KEY_SPEC_PROCESS_KEYRING = -2;
    public static final int KEY_SPEC_SESSION_KEYRING = -3;
    public static final int KEY_SPEC_USER_KEYRING = -4;
    public static final int KEY_SPEC_USER_SESSION_KEYRING = -5;
    public static final int KEY_SPEC_GROUP_KEYRING = -6;
    public static final int KEY_SPEC_REQKEY_AUTH_KEY = -7;
    public static final int KEY_SPEC_REQUESTOR_KEYRING = -8;

    public static final int KEY_NEED_VIEW = 0x01;
    public static final int KEY_NEED_READ = 0x02;
    public static final int KEY_NEED_WRITE = 0x04;
    public static final int KEY_NEED_SEARCH = 0x08;
    public static final int KEY_NEED_LINK = 0x10;
    public static final int KEY_NEED_SETATTR = 0x20;
    /** No permission is checked (Linux's KEY_DEFER_PERM_CHECK and KEY_NEED_UNLINK). */
    public static final int KEY_NEED_NONE = 0;

    public static final int KEY_POS_ALL = 0x3f000000;
    public static final int KEY_POS_SETATTR = 0x20000000;
    public static final int KEY_POS_READ = 0x02000000;
    public static final int KEY_POS_WRITE = 0x04000000;
    public static final int KEY_USR_VIEW = 0x00010000;
    public static final int KEY_USR_READ = 0x00020000;
    public static final int KEY_USR_SEARCH = 0x00080000;
    public static final int KEY_USR_LINK = 0x00100000;
    /** Every permission bit (possessor, user, group, other). */
    public static final int KEY_PERM_ALL = 0x3f3f3f3f;

    /** The default keyring request_key links new keys into (KEY_REQKEY_DEFL_*), per thread. */
    public static final int KEY_REQKEY_DEFL_DEFAULT = 0;

    /** One key (Linux's struct key). */
    public static final class Key {
        public final int serial;
        public final String type;
        public final String description;
        public int uid;
        public int gid;
        public int perm;
        /** A user or logon key's payload; null for a keyring. */
        public byte[] payload;
        /** An asymmetric key's parsed key; null for other types. */
        public AsymmetricKey asymmetric;
        /** A keyring's keys, in the order they were linked. */
        public final List<Key> links = new ArrayList<>();
        public boolean revoked;
        public boolean invalidated;
        /** A negative key's error (ENOKEY, or the one KEYCTL_REJECT gave); null for a positive key. */
        public Errno rejected;
        /** System.nanoTime() of expiry, Long.MAX_VALUE for none. */
        public long expiry = Long.MAX_VALUE;
        /** A keyring that refuses every further link (KEYCTL_RESTRICT_KEYRING without a type). */
        public boolean restricted;

        Key(int serial, String type, String description, int uid, int gid, int perm) {
            this.serial = serial;
            this.type = type;
            this.description = description;
            this.uid = uid;
            this.gid = gid;
            this.perm = perm;
        }

        public boolean keyring() {
            return type.equals("keyring");
        }

        public boolean expired() {
            return expiry != Long.MAX_VALUE && System.nanoTime() - expiry >= 0;
        }
    }

    private final Map<Integer, Key> bySerial = new HashMap<>();
    private final Map<GuestThread, Key> threadKeyrings = new WeakHashMap<>();
    private final Map<GuestProcess, Key> processKeyrings = new WeakHashMap<>();
    private final Map<GuestProcess, Key> sessionKeyrings = new WeakHashMap<>();
    private final Map<GuestThread, Integer> reqkeyDefaults = new WeakHashMap<>();
    private final Map<Integer, Key> userKeyrings = new HashMap<>();
    private final Map<Integer, Key> userSessionKeyrings = new HashMap<>();
    private final Map<Integer, Key> persistentKeyrings = new HashMap<>();

    /** A new key with a fresh random serial (Linux's serials are random too, from 3 up). */
    public synchronized Key create(String type, String description, int uid, int gid, int perm) {
        int serial;
        do {
            serial = ThreadLocalRandom.current().nextInt(3, Integer.MAX_VALUE);
        } while (bySerial.containsKey(serial));
        Key k = new Key(serial, type, description, uid, gid, perm);
        bySerial.put(serial, k);
        return k;
    }

    /** The live key of that serial (an invalidated one is gone); ENOKEY for none. */
    public synchronized Key get(int serial) throws ErrnoException {
        Key k = bySerial.get(serial);
        if (k == null || k.invalidated) {
            throw new ErrnoException(Errno.ENOKEY);
        }
        return k;
    }

    /** KEYCTL_INVALIDATE: the key leaves every keyring and its serial is forgotten. */
    public synchronized void invalidate(Key k) {
        k.invalidated = true;
        bySerial.remove(k.serial);
        for (Key ring : bySerial.values()) {
            ring.links.remove(k);
        }
    }

    public synchronized Key thread(GuestThread t) {
        return threadKeyrings.get(t);
    }

    public synchronized Key process(GuestProcess p) {
        return processKeyrings.get(p);
    }

    /**
     * The process's session keyring: its own once it joined one, else the one it had at fork (its
     * parent's), else the run's first session, made for the first process as pam_keyinit would.
     */
    public synchronized Key session(GuestProcess p) {
        Key k = sessionKeyrings.get(p);
        if (k == null) {
            GuestProcess parent = p.parent();
            k = parent != null && parent != p ? session(parent) : null;
            if (k == null) {
                GuestProcess.Credentials c = p.credentials();
                k = create("keyring", "_ses", c.uid(), c.gid(), KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ);
            }
            sessionKeyrings.put(p, k);
        }
        return k;
    }

    public synchronized void setSession(GuestProcess p, Key k) {
        sessionKeyrings.put(p, k);
    }

    /** The thread or process keyring, made on first use ("_tid", "_pid"). */
    public synchronized Key installThread(GuestThread t) {
        return threadKeyrings.computeIfAbsent(t, x -> ownKeyring(t.process(), "_tid"));
    }

    public synchronized Key installProcess(GuestProcess p) {
        return processKeyrings.computeIfAbsent(p, x -> ownKeyring(p, "_pid"));
    }

    private Key ownKeyring(GuestProcess p, String name) {
        GuestProcess.Credentials c = p.credentials();
        return create("keyring", name, c.uid(), c.gid(), KEY_POS_ALL | KEY_USR_VIEW);
    }

    /** The uid's user keyring ("_uid.N") and user-session keyring ("_uid_ses.N"), made on first use. */
    public synchronized Key user(int uid, boolean session) {
        Map<Integer, Key> map = session ? userSessionKeyrings : userKeyrings;
        Key k = map.get(uid);
        if (k == null) {
            k = create("keyring", (session ? "_uid_ses." : "_uid.") + uid, uid, -1,
                    KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH | KEY_USR_LINK);
            map.put(uid, k);
            if (session) {
                link(k, user(uid, false));
            }
        }
        return k;
    }

    /** The uid's persistent keyring ("_persistent.N"), made on first use. */
    public synchronized Key persistent(int uid) {
        return persistentKeyrings.computeIfAbsent(uid, u -> create("keyring", "_persistent." + u, u, -1,
                KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH | KEY_USR_LINK));
    }

    public synchronized int reqkeyDefault(GuestThread t) {
        return reqkeyDefaults.getOrDefault(t, KEY_REQKEY_DEFL_DEFAULT);
    }

    public synchronized void setReqkeyDefault(GuestThread t, int value) {
        reqkeyDefaults.put(t, value);
    }

    /** Links {@code key} into {@code ring}, replacing a key of the same type and description (key_link). */
    public synchronized void link(Key ring, Key key) {
        if (ring.links.contains(key)) {
            return;
        }
        ring.links.removeIf(k -> k.type.equals(key.type) && k.description.equals(key.description));
        ring.links.add(key);
    }

    /** Whether {@code ring} reaches {@code key} through its keyrings (key_link's cycle check: EDEADLK). */
    public synchronized boolean reaches(Key ring, Key key) {
        return reaches(ring, key, new ArrayList<>());
    }

    private boolean reaches(Key ring, Key key, List<Key> seen) {
        if (ring == key) {
            return true;
        }
        if (seen.contains(ring)) {
            return false;
        }
        seen.add(ring);
        for (Key k : ring.links) {
            if (reaches(k, key, seen)) {
                return true;
            }
        }
        return false;
    }

    /**
     * keyring_search: a key of that type and description found depth first through {@code ring}'s
     * keyrings (skipping expired, revoked and invalidated ones), or null; {@code searchable} says
     * whether the caller may search a nested keyring.
     */
    public synchronized Key search(Key ring, String type, String description,
            java.util.function.Predicate<Key> searchable) throws ErrnoException {
        Errno[] skipped = new Errno[1];
        Key found = search(ring, type, description, searchable, new ArrayList<>(), skipped);
        if (found == null) {
            throw new ErrnoException(skipped[0] != null ? skipped[0] : Errno.ENOKEY);
        }
        return found;
    }

    /**
     * keyring_search_iterator: a matching key that is revoked or expired leaves its error (EKEYREVOKED,
     * EKEYEXPIRED) as the answer when nothing else is found, as Linux's; an invalidated key is gone at
     * once (Linux's garbage collector takes it a moment later).
     */
    private Key search(Key ring, String type, String description, java.util.function.Predicate<Key> searchable,
            List<Key> seen, Errno[] skipped) {
        if (seen.contains(ring)) {
            return null;
        }
        seen.add(ring);
        for (Key k : ring.links) {
            if (!k.type.equals(type) || !k.description.equals(description)) {
                continue;
            }
            if (k.revoked) {
                skipped[0] = Errno.EKEYREVOKED;
            } else if (k.expired()) {
                skipped[0] = Errno.EKEYEXPIRED;
            } else {
                return k;
            }
        }
        for (Key k : ring.links) {
            if (k.keyring() && !k.revoked && !k.expired() && searchable.test(k)) {
                Key found = search(k, type, description, searchable, seen, skipped);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The keyring of {@code uid} called {@code name} that a session may join (find_keyring_by_name), or null. */
    public synchronized Key keyringNamed(String name, int uid, java.util.function.Predicate<Key> searchable) {
        for (Key k : bySerial.values()) {
            if (k.keyring() && !k.revoked && !k.invalidated && k.description.equals(name) && k.uid == uid
                    && searchable.test(k)) {
                return k;
            }
        }
        return null;
    }

    /** The keys /proc/keys lists: every live key, by serial. */
    public synchronized List<Key> all() {
        List<Key> out = new ArrayList<>(bySerial.values());
        out.sort((a, b) -> Integer.compare(a.serial, b.serial));
        return out;
    }
}
