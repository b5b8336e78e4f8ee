package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.AsymmetricKey;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Keys;
import dev.jlx.core.kernel.Keys.Key;
import dev.jlx.core.mem.GuestMemory;
import java.nio.charset.StandardCharsets;

/**
 * add_key, request_key and keyctl over the run's {@link Keys} (security/keys/keyctl.c), with Linux's
 * checks in its order. No request-key upcall is ever run: a key request_key does not find is
 * ENOKEY, or ENOENT with callout info when the guest has no /sbin/request-key (as Linux, whose
 * upcall fails so), and a negative key is left for the searches that follow, as Linux leaves one.
 */
final class KeySyscalls {
    /** KEY_MAX_DESC_SIZE: the longest description, with its NUL. */
    private static final int KEY_MAX_DESC_SIZE = 4096;
    private static final long MAX_PAYLOAD = 1024 * 1024 - 1;
    /** user_preparse's limit, and logon's. */
    private static final int USER_MAX_PAYLOAD = 32767;
    /** key_negative_timeout: how long a failed request leaves its negative key, in seconds. */
    private static final long NEGATIVE_TIMEOUT = 60;

    private static final int KEYCTL_GET_KEYRING_ID = 0;
    private static final int KEYCTL_JOIN_SESSION_KEYRING = 1;
    private static final int KEYCTL_UPDATE = 2;
    private static final int KEYCTL_REVOKE = 3;
    private static final int KEYCTL_CHOWN = 4;
    private static final int KEYCTL_SETPERM = 5;
    private static final int KEYCTL_DESCRIBE = 6;
    private static final int KEYCTL_CLEAR = 7;
    private static final int KEYCTL_LINK = 8;
    private static final int KEYCTL_UNLINK = 9;
    private static final int KEYCTL_SEARCH = 10;
    private static final int KEYCTL_READ = 11;
    private static final int KEYCTL_INSTANTIATE = 12;
    private static final int KEYCTL_NEGATE = 13;
    private static final int KEYCTL_SET_REQKEY_KEYRING = 14;
    private static final int KEYCTL_SET_TIMEOUT = 15;
    private static final int KEYCTL_ASSUME_AUTHORITY = 16;
    private static final int KEYCTL_GET_SECURITY = 17;
    private static final int KEYCTL_SESSION_TO_PARENT = 18;
    private static final int KEYCTL_REJECT = 19;
    private static final int KEYCTL_INSTANTIATE_IOV = 20;
    private static final int KEYCTL_INVALIDATE = 21;
    private static final int KEYCTL_GET_PERSISTENT = 22;
    private static final int KEYCTL_PKEY_QUERY = 24;
    private static final int KEYCTL_PKEY_ENCRYPT = 25;
    private static final int KEYCTL_PKEY_DECRYPT = 26;
    private static final int KEYCTL_PKEY_SIGN = 27;
    private static final int KEYCTL_PKEY_VERIFY = 28;
    private static final int KEYCTL_RESTRICT_KEYRING = 29;
    private static final int KEYCTL_MOVE = 30;
    private static final int KEYCTL_CAPABILITIES = 31;
    private static final int KEYCTL_MOVE_EXCL = 1;

    /** keyctl's operations by number, as --trace names them. */
    static final java.util.List<String> OPERATIONS = java.util.List.of("KEYCTL_GET_KEYRING_ID",
            "KEYCTL_JOIN_SESSION_KEYRING", "KEYCTL_UPDATE", "KEYCTL_REVOKE", "KEYCTL_CHOWN", "KEYCTL_SETPERM",
            "KEYCTL_DESCRIBE", "KEYCTL_CLEAR", "KEYCTL_LINK", "KEYCTL_UNLINK", "KEYCTL_SEARCH", "KEYCTL_READ",
            "KEYCTL_INSTANTIATE", "KEYCTL_NEGATE", "KEYCTL_SET_REQKEY_KEYRING", "KEYCTL_SET_TIMEOUT",
            "KEYCTL_ASSUME_AUTHORITY", "KEYCTL_GET_SECURITY", "KEYCTL_SESSION_TO_PARENT", "KEYCTL_REJECT",
            "KEYCTL_INSTANTIATE_IOV", "KEYCTL_INVALIDATE", "KEYCTL_GET_PERSISTENT", "KEYCTL_DH_COMPUTE",
            "KEYCTL_PKEY_QUERY", "KEYCTL_PKEY_ENCRYPT", "KEYCTL_PKEY_DECRYPT", "KEYCTL_PKEY_SIGN",
            "KEYCTL_PKEY_VERIFY", "KEYCTL_RESTRICT_KEYRING", "KEYCTL_MOVE", "KEYCTL_CAPABILITIES",
            "KEYCTL_WATCH_KEY");

    private KeySyscalls() {}

    /** A key as looked up: the key and whether the caller possesses it (Linux's key_ref_t). */
    private record Ref(Key key, boolean possessed) {}

    private static Keys keys(GuestThread t) {
        return t.process().kernel().keys();
    }

    /** key_get_type_from_user: EFAULT, EINVAL for an empty or 32-byte name, EPERM for a '.' one. */
    private static String type(GuestThread t, long address) throws ErrnoException {
        byte[] b = t.process().space().memory().readCString(address, 32);
        if (b.length == 0 || b.length >= 32) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (b[0] == '.') {
            throw new ErrnoException(Errno.EPERM);
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** strndup_user: EFAULT, EINVAL when no NUL comes within {@code max} bytes. */
    private static String string(GuestThread t, long address, int max) throws ErrnoException {
        byte[] b = t.process().space().memory().readCString(address, max);
        if (b.length >= max) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * lookup_user_key: a special keyring (made when {@code create}) or a key by serial; then a
     * negative key's error (unless {@code partial}) and the permission {@code need}.
     */
    private static Ref lookup(GuestThread t, int id, boolean create, boolean partial, int need) throws ErrnoException {
        Keys keys = keys(t);
        GuestProcess p = t.process();
        Key k;
        switch (id) {
            case Keys.KEY_SPEC_THREAD_KEYRING -> {
                k = keys.thread(t);
                if (k == null) {
                    if (!create) {
                        throw new ErrnoException(Errno.ENOKEY);
                    }
                    k = keys.installThread(t);
                }
            }
            case Keys.KEY_SPEC_PROCESS_KEYRING -> {
                k = keys.process(p);
                if (k == null) {
                    if (!create) {
                        throw new ErrnoException(Errno.ENOKEY);
                    }
                    k = keys.installProcess(p);
                }
            }
            case Keys.KEY_SPEC_SESSION_KEYRING -> k = keys.session(p);
            case Keys.KEY_SPEC_USER_KEYRING -> k = keys.user(p.credentials().uid(), false);
            case Keys.KEY_SPEC_USER_SESSION_KEYRING -> k = keys.user(p.credentials().uid(), true);
            // No request-key authorisation is ever assumed: jlx runs no upcall.
            case Keys.KEY_SPEC_REQKEY_AUTH_KEY, Keys.KEY_SPEC_REQUESTOR_KEYRING -> throw new ErrnoException(Errno.ENOKEY);
            default -> {
                if (id < 1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                k = keys.get(id);
            }
        }
        Ref ref = new Ref(k, id < 0 || possessed(t, k));
        if (!partial && k.rejected != null) {
            throw new ErrnoException(k.rejected);
        }
        if (need != Keys.KEY_NEED_NONE) {
            permission(t, ref, need);
        }
        if (partial) {
            validate(k);
        }
        return ref;
    }

    /** key_validate: EKEYREVOKED, EKEYEXPIRED. */
    private static void validate(Key k) throws ErrnoException {
        if (k.revoked) {
            throw new ErrnoException(Errno.EKEYREVOKED);
        }
        if (k.expired()) {
            throw new ErrnoException(Errno.EKEYEXPIRED);
        }
    }

    /** Whether the key is reachable from the caller's thread, process or session keyring. */
    private static boolean possessed(GuestThread t, Key k) {
        Keys keys = keys(t);
        for (Key ring : new Key[] {keys.thread(t), keys.process(t.process()), keys.session(t.process())}) {
            if (ring != null && keys.reaches(ring, k)) {
                return true;
            }
        }
        return false;
    }

    /** key_task_permission: the owner's, group's or others' bits, plus the possessor's; EACCES. */
    private static void permission(GuestThread t, Ref ref, int need) throws ErrnoException {
        if (!allowed(t, ref.key(), ref.possessed(), need)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    private static boolean allowed(GuestThread t, Key k, boolean possessed, int need) {
        GuestProcess.Credentials c = t.process().credentials();
        int perm;
        if (k.uid == c.fsuid()) {
            perm = k.perm >>> 16;
        } else if (k.gid != -1 && (k.perm & 0x3f00) != 0 && (k.gid == c.fsgid() || member(c, k.gid))) {
            perm = k.perm >>> 8;
        } else {
            perm = k.perm;
        }
        if (possessed) {
            perm |= k.perm >>> 24;
        }
        return (perm & need & 0x3f) == need;
    }

    private static boolean member(GuestProcess.Credentials c, int gid) {
        for (int g : c.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    /** The key types jlx has (key_type_lookup's others are ENODEV, or ENOKEY for a search). */
    private static boolean known(String type) {
        return type.equals("user") || type.equals("logon") || type.equals("keyring") || type.equals("asymmetric");
    }

    /** Whether the type has a reader (logon and asymmetric keys have none: EOPNOTSUPP). */
    private static boolean readable(String type) {
        return !type.equals("logon") && !type.equals("asymmetric");
    }

    /** The default permissions key_create_or_update gives a key (KEY_PERM_UNDEF). */
    private static int defaultPerm(String type) {
        // VIEW, SEARCH, LINK and SETATTR for the possessor; READ where the type has a reader; WRITE
        // where it can be updated (an asymmetric key cannot).
        int perm = Keys.KEY_POS_ALL & ~(Keys.KEY_POS_READ | Keys.KEY_POS_WRITE) | Keys.KEY_USR_VIEW;
        if (readable(type)) {
            perm |= Keys.KEY_POS_READ;
        }
        return type.equals("asymmetric") ? perm : perm | Keys.KEY_POS_WRITE;
    }

    /** Implements Linux syscall add_key(2). */
    static long add_key(GuestThread t, Args a) throws ErrnoException {
        long plen = a.raw(3);
        if (Long.compareUnsigned(plen, MAX_PAYLOAD) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        String type = type(t, a.addr(0));
        String description = null;
        if (a.addr(1) != 0) {
            description = string(t, a.addr(1), KEY_MAX_DESC_SIZE);
            if (description.isEmpty()) {
                description = null;
            } else if (description.charAt(0) == '.' && type.startsWith("keyring")) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        byte[] payload = plen == 0 ? null : t.process().space().memory().read(a.addr(2), (int) plen);
        Ref ring = lookup(t, a.i32(4), true, false, Keys.KEY_NEED_WRITE);
        return createOrUpdate(t, ring.key(), type, description, payload).serial;
    }

    /** key_create_or_update: ENODEV for an unknown type, ENOTDIR for a key not a keyring, the type's checks. */
    private static Key createOrUpdate(GuestThread t, Key ring, String type, String description, byte[] payload)
            throws ErrnoException {
        if (!known(type)) {
            throw new ErrnoException(Errno.ENODEV);
        }
        validate(ring);
        if (ring.restricted) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (!ring.keyring()) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        int length = payload == null ? 0 : payload.length;
        AsymmetricKey asymmetric = null;
        if (type.equals("asymmetric")) {
            // The type's preparse, which may propose the description.
            asymmetric = AsymmetricKey.parse(payload);
            if (description == null) {
                description = asymmetric.proposedDescription;
            }
        } else if (type.equals("keyring") ? length != 0 : length == 0 || length > USER_MAX_PAYLOAD) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (description == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (type.equals("logon") && description.indexOf(':') <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Keys keys = keys(t);
        // Only a type with an update operation updates a key of the same description.
        if (!type.equals("keyring") && !type.equals("asymmetric")) {
            for (Key k : ring.links) {
                if (k.type.equals(type) && k.description.equals(description) && !k.revoked && !k.invalidated) {
                    permission(t, new Ref(k, true), Keys.KEY_NEED_WRITE);
                    k.payload = payload;
                    k.rejected = null;
                    return k;
                }
            }
        }
        GuestProcess.Credentials c = t.process().credentials();
        Key k = keys.create(type, description, c.fsuid(), c.fsgid(), defaultPerm(type));
        k.payload = asymmetric == null ? payload : null;
        k.asymmetric = asymmetric;
        keys.link(ring, k);
        return k;
    }

    /** Implements Linux syscall request_key(2): a search of the caller's keyrings, without upcalls. */
    static long request_key(GuestThread t, Args a) throws ErrnoException {
        String type = type(t, a.addr(0));
        String description = string(t, a.addr(1), KEY_MAX_DESC_SIZE);
        String callout = a.addr(2) == 0 ? null : string(t, a.addr(2), 4096);
        Key dest = a.i32(3) == 0 ? null : lookup(t, a.i32(3), true, false, Keys.KEY_NEED_WRITE).key();
        if (!known(type)) {
            throw new ErrnoException(Errno.ENOKEY);
        }
        Key found = searchProcessKeyrings(t, type, description);
        if (found != null) {
            if (found.rejected != null) {
                throw new ErrnoException(found.rejected);
            }
            if (dest != null) {
                keys(t).link(dest, found);
            }
            return found.serial;
        }
        if (callout == null) {
            throw new ErrnoException(Errno.ENOKEY);
        }
        // construct_key: the upcall fails; the negative key it leaves answers the searches that follow.
        Key target = dest != null ? dest : defaultDestination(t);
        GuestProcess.Credentials c = t.process().credentials();
        Key negative = keys(t).create(type, description, c.fsuid(), c.fsgid(), defaultPerm(type));
        negative.rejected = Errno.ENOKEY;
        negative.expiry = System.nanoTime() + NEGATIVE_TIMEOUT * 1_000_000_000L;
        keys(t).link(target, negative);
        boolean helper;
        try {
            // Linux runs its upcall from the machine's root, not the caller's.
            t.process().kernel().vfs().stat(dev.jlx.core.ByteString.of("/"), dev.jlx.core.ByteString.of("/sbin/request-key"), true);
            helper = true;
        } catch (ErrnoException missing) {
            helper = false;
        }
        throw new ErrnoException(helper ? Errno.ENOKEY : Errno.ENOENT);
    }

    /** search_process_keyrings: the thread, process and session keyrings (the user session's without one), in order. */
    private static Key searchProcessKeyrings(GuestThread t, String type, String description) {
        Keys keys = keys(t);
        for (Key ring : new Key[] {keys.thread(t), keys.process(t.process()), keys.session(t.process())}) {
            if (ring != null) {
                try {
                    return keys.search(ring, type, description, r -> allowed(t, r, true, Keys.KEY_NEED_SEARCH));
                } catch (ErrnoException notThere) {
                    // On to the next keyring.
                }
            }
        }
        return null;
    }

    /** The keyring request_key links a new key into: the KEYCTL_SET_REQKEY_KEYRING choice, else the first the caller has. */
    private static Key defaultDestination(GuestThread t) {
        Keys keys = keys(t);
        int uid = t.process().credentials().uid();
        return switch (keys.reqkeyDefault(t)) {
            case 1 -> keys.installThread(t);
            case 2 -> keys.installProcess(t.process());
            case 3 -> keys.session(t.process());
            case 4 -> keys.user(uid, false);
            case 5 -> keys.user(uid, true);
            default -> keys.thread(t) != null ? keys.thread(t)
                    : keys.process(t.process()) != null ? keys.process(t.process()) : keys.session(t.process());
        };
    }

    /** Implements Linux syscall keyctl(2). */
    static long keyctl(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Keys keys = keys(t);
        int id = a.i32(1);
        return switch (a.i32(0)) {
            case KEYCTL_GET_KEYRING_ID -> lookup(t, id, a.i32(2) != 0, false, Keys.KEY_NEED_NONE).key().serial;
            case KEYCTL_JOIN_SESSION_KEYRING -> joinSession(t, a.addr(1) == 0 ? null : string(t, a.addr(1), KEY_MAX_DESC_SIZE));
            case KEYCTL_UPDATE -> {
                long plen = a.raw(3);
                if (Long.compareUnsigned(plen, MAX_PAYLOAD) > 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                byte[] payload = plen == 0 ? new byte[0] : mem.read(a.addr(2), (int) plen);
                Key k = lookup(t, id, true, false, Keys.KEY_NEED_WRITE).key();
                validate(k);
                if (k.keyring() || k.asymmetric != null) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                if (payload.length == 0 || payload.length > USER_MAX_PAYLOAD) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                k.payload = payload;
                yield 0;
            }
            case KEYCTL_REVOKE -> {
                Ref ref = lookupEither(t, id, true, Keys.KEY_NEED_WRITE, Keys.KEY_NEED_SETATTR);
                ref.key().revoked = true;
                yield 0;
            }
            case KEYCTL_CHOWN -> chown(t, id, a.i32(2), a.i32(3));
            case KEYCTL_SETPERM -> {
                int perm = a.i32(2);
                if ((perm & ~Keys.KEY_PERM_ALL) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                Key k = lookup(t, id, true, true, Keys.KEY_NEED_SETATTR).key();
                if (!t.process().credentials().capable(GuestProcess.CAP_SYS_ADMIN)
                        && k.uid != t.process().credentials().fsuid()) {
                    throw new ErrnoException(Errno.EACCES);
                }
                k.perm = perm;
                yield 0;
            }
            case KEYCTL_DESCRIBE -> {
                Key k = lookup(t, id, true, true, Keys.KEY_NEED_VIEW).key();
                String s = k.type + ";" + k.uid + ";" + k.gid + ";" + String.format("%08x", k.perm) + ";" + k.description;
                yield copyOut(mem, a.addr(2), a.raw(3), (s + "\0").getBytes(StandardCharsets.ISO_8859_1), true);
            }
            case KEYCTL_CLEAR -> {
                Key k = lookup(t, id, true, false, Keys.KEY_NEED_WRITE).key();
                if (!k.keyring()) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                synchronized (keys) {
                    k.links.clear();
                }
                yield 0;
            }
            case KEYCTL_LINK -> {
                Key ring = lookup(t, a.i32(2), true, false, Keys.KEY_NEED_WRITE).key();
                Key k = lookup(t, id, true, false, Keys.KEY_NEED_LINK).key();
                link(keys, ring, k);
                yield 0;
            }
            case KEYCTL_UNLINK -> {
                Key ring = lookup(t, a.i32(2), false, false, Keys.KEY_NEED_WRITE).key();
                Key k = lookup(t, id, false, true, Keys.KEY_NEED_NONE).key();
                if (!ring.keyring()) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                synchronized (keys) {
                    if (!ring.links.remove(k)) {
                        throw new ErrnoException(Errno.ENOENT);
                    }
                }
                yield 0;
            }
            case KEYCTL_SEARCH -> search(t, id, a.addr(2), a.addr(3), a.i32(4));
            case KEYCTL_READ -> read(t, id, a.addr(2), a.raw(3));
            case KEYCTL_INSTANTIATE -> {
                if (a.addr(2) != 0 && a.raw(3) != 0) {
                    GuestMemory.accessOk(a.addr(2), a.raw(3));
                }
                // Only a request-key upcall holds the authorisation; jlx runs none.
                throw new ErrnoException(Errno.EPERM);
            }
            case KEYCTL_INSTANTIATE_IOV -> {
                if (a.addr(2) != 0 && a.raw(3) != 0) {
                    ReadWriteSyscalls.iovecs(mem, a.addr(2), a.raw(3) & 0xffffffffL);
                }
                throw new ErrnoException(Errno.EPERM);
            }
            case KEYCTL_NEGATE -> throw new ErrnoException(Errno.EPERM);
            case KEYCTL_REJECT -> {
                long error = Integer.toUnsignedLong(a.i32(3));
                if (error == 0 || error >= 4095 || error >= 512 && error <= 516) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                throw new ErrnoException(Errno.EPERM);
            }
            case KEYCTL_SET_REQKEY_KEYRING -> {
                int old = keys.reqkeyDefault(t);
                int value = id;
                if (value == -1) {
                    yield old;
                }
                if (value < 0 || value > 7 || value == 6) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (value == 1) {
                    keys.installThread(t);
                } else if (value == 2) {
                    keys.installProcess(t.process());
                }
                keys.setReqkeyDefault(t, value);
                yield old;
            }
            case KEYCTL_SET_TIMEOUT -> {
                Ref ref = lookupEither(t, id, true, Keys.KEY_NEED_SETATTR, Keys.KEY_NEED_SETATTR);
                long seconds = Integer.toUnsignedLong(a.i32(2));
                ref.key().expiry = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
                yield 0;
            }
            case KEYCTL_ASSUME_AUTHORITY -> {
                if (id < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (id == 0) {
                    yield 0;
                }
                throw new ErrnoException(Errno.ENOKEY);
            }
            case KEYCTL_GET_SECURITY -> {
                lookup(t, id, false, true, Keys.KEY_NEED_VIEW);
                // No security module: the label is empty.
                yield copyOut(mem, a.addr(2), a.raw(3), new byte[1], false);
            }
            case KEYCTL_SESSION_TO_PARENT -> {
                GuestProcess parent = t.process().parent();
                if (parent == null || parent == t.process()
                        || parent.credentials().euid() != t.process().credentials().euid()) {
                    throw new ErrnoException(Errno.EPERM);
                }
                keys.setSession(parent, keys.session(t.process()));
                yield 0;
            }
            case KEYCTL_INVALIDATE -> {
                Key k = lookup(t, id, false, false, Keys.KEY_NEED_SEARCH).key();
                keys.invalidate(k);
                yield 0;
            }
            case KEYCTL_GET_PERSISTENT -> {
                GuestProcess.Credentials c = t.process().credentials();
                int uid = a.i32(1) == -1 ? c.uid() : a.i32(1);
                if (uid != c.uid() && uid != c.euid() && uid != c.suid() && !c.capable(GuestProcess.CAP_SETUID)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                Key dest = lookup(t, a.i32(2), true, false, Keys.KEY_NEED_WRITE).key();
                Key persistent = keys.persistent(uid);
                link(keys, dest, persistent);
                yield persistent.serial;
            }
            case KEYCTL_RESTRICT_KEYRING -> {
                Key k = lookup(t, id, false, false, Keys.KEY_NEED_SETATTR).key();
                if (a.addr(2) != 0) {
                    type(t, a.addr(2));
                }
                if (a.addr(3) != 0 && a.addr(2) == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (!k.keyring()) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                if (a.addr(2) != 0) {
                    // Named restrictions (key_or_keyring:..., builtin_trusted) check certificate signatures; jlx does not.
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                if (k.restricted) {
                    throw new ErrnoException(Errno.EEXIST);
                }
                k.restricted = true;
                yield 0;
            }
            case KEYCTL_MOVE -> {
                if ((a.i32(4) & ~KEYCTL_MOVE_EXCL) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                Key k = lookup(t, id, true, true, Keys.KEY_NEED_LINK).key();
                Key from = lookup(t, a.i32(2), false, false, Keys.KEY_NEED_WRITE).key();
                Key to = lookup(t, a.i32(3), true, false, Keys.KEY_NEED_WRITE).key();
                if (!from.keyring() || !to.keyring()) {
                    throw new ErrnoException(Errno.ENOTDIR);
                }
                synchronized (keys) {
                    if (!from.links.contains(k)) {
                        throw new ErrnoException(Errno.ENOENT);
                    }
                    if ((a.i32(4) & KEYCTL_MOVE_EXCL) != 0 && to.links.stream()
                            .anyMatch(o -> o != k && o.type.equals(k.type) && o.description.equals(k.description))) {
                        throw new ErrnoException(Errno.EEXIST);
                    }
                    link(keys, to, k);
                    from.links.remove(k);
                }
                yield 0;
            }
            case KEYCTL_CAPABILITIES -> {
                // CAPABILITIES, PERSISTENT_KEYRINGS, PUBLIC_KEY, INVALIDATE, RESTRICT_KEYRING, MOVE;
                // NS_KEYRING_NAME, NS_KEY_TAG.
                byte[] caps = {0x01 | 0x02 | 0x08 | 0x20 | 0x40 | (byte) 0x80, 0x01 | 0x02};
                long n = Long.compareUnsigned(a.raw(2), 2) > 0 ? 2 : a.raw(2);
                if (n > 0) {
                    mem.write(a.addr(1), caps, 0, (int) n);
                }
                yield 2;
            }
            case KEYCTL_PKEY_QUERY -> {
                if (a.raw(2) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                Pkey p = pkey(t, id, a.addr(3));
                AsymmetricKey.Query q = p.key().query(p.encoding(), p.hash());
                // struct keyctl_pkey_query, its __spare cleared.
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(56).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putInt(q.supportedOps()).putInt(q.keySize()).putShort((short) q.maxData()).putShort((short) q.maxSig())
                        .putShort((short) q.maxEnc()).putShort((short) q.maxDec());
                mem.write(a.addr(4), b.array(), 0, 56);
                yield 0;
            }
            case KEYCTL_PKEY_ENCRYPT, KEYCTL_PKEY_DECRYPT, KEYCTL_PKEY_SIGN, KEYCTL_PKEY_VERIFY -> {
                // struct keyctl_pkey_params: key_id, in_len, out_len, __spare[7] that must be 0.
                java.nio.ByteBuffer params = mem.readStruct(a.addr(1), 40);
                for (int off = 12; off < 40; off += 4) {
                    if (params.getInt(off) != 0) {
                        throw new ErrnoException(Errno.EINVAL);
                    }
                }
                yield pkeyOp(t, a.i32(0), params, a.addr(2), a.addr(3), a.addr(4));
            }
            default -> throw new ErrnoException(Errno.EOPNOTSUPP);
        };
    }

    /** An asymmetric key with the encoding ("raw" unless given) and hash an info string asks for. */
    private record Pkey(AsymmetricKey key, String encoding, String hash) {}

    /**
     * keyctl_pkey_params_get: the info string (EFAULT; EINVAL for a token but enc= and hash=, a
     * repeated one or an empty value), the key (its lookup's error), EOPNOTSUPP for a key of a type
     * without public-key operations.
     */
    private static Pkey pkey(GuestThread t, int id, long info) throws ErrnoException {
        String encoding = null;
        String hash = null;
        for (String token : string(t, info, 4096).split("[ \t]")) {
            if (token.isEmpty()) {
                continue;
            }
            boolean enc = token.startsWith("enc=");
            if (!enc && !token.startsWith("hash=") || (enc ? encoding : hash) != null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            String value = token.substring(enc ? 4 : 5);
            if (value.isEmpty()) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (enc) {
                encoding = value;
            } else {
                hash = value;
            }
        }
        Key k = lookup(t, id, false, false, Keys.KEY_NEED_SEARCH).key();
        if (k.asymmetric == null) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        return new Pkey(k.asymmetric, encoding == null ? "raw" : encoding, hash);
    }

    /**
     * keyctl_pkey_e_d_s and keyctl_pkey_verify: the key and info, the query's size limits (EINVAL),
     * the input (and the signature to verify), the operation, then the output and its length. Past
     * the limits, this machine's Linux (6.18) sizes the signature read and the output buffer by the
     * query's maximum, not by out_len/in2_len: a shorter signature buffer is read whole, an
     * encryption writes the key's size; jlx does the same.
     */
    private static long pkeyOp(GuestThread t, int op, java.nio.ByteBuffer params, long info, long in, long out)
            throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        Pkey p = pkey(t, params.getInt(0), info);
        AsymmetricKey.Query q = p.key().query(p.encoding(), p.hash());
        long inLength = Integer.toUnsignedLong(params.getInt(4));
        long outLength = Integer.toUnsignedLong(params.getInt(8));
        long[] limits = switch (op) {
            case KEYCTL_PKEY_ENCRYPT -> new long[] {q.maxDec(), q.maxEnc()};
            case KEYCTL_PKEY_DECRYPT -> new long[] {q.maxEnc(), q.maxDec()};
            default -> new long[] {q.maxData(), q.maxSig()};
        };
        if (inLength > limits[0] || outLength > limits[1]) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] data = mem.read(in, (int) inLength);
        int room = (int) limits[1];
        if (op == KEYCTL_PKEY_VERIFY) {
            p.key().verify(p.encoding(), p.hash(), data, mem.read(out, room));
            return 0;
        }
        byte[] result = switch (op) {
            case KEYCTL_PKEY_ENCRYPT -> p.key().encrypt(p.encoding(), p.hash(), data, room);
            case KEYCTL_PKEY_DECRYPT -> p.key().decrypt(p.encoding(), p.hash(), data, room);
            default -> p.key().sign(p.encoding(), p.hash(), data, room);
        };
        mem.write(out, result, 0, result.length);
        return result.length;
    }

    /** A lookup whose permission is {@code first}, or {@code second} when the first is EACCES (revoke, set timeout). */
    private static Ref lookupEither(GuestThread t, int id, boolean create, int first, int second) throws ErrnoException {
        Ref ref = lookup(t, id, create, true, Keys.KEY_NEED_NONE);
        if (!allowed(t, ref.key(), ref.possessed(), first)) {
            permission(t, ref, second);
        }
        return ref;
    }

    /** key_link: ENOTDIR, EPERM for a restricted keyring, EDEADLK for a cycle. */
    private static void link(Keys keys, Key ring, Key k) throws ErrnoException {
        if (!ring.keyring()) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        if (ring.restricted) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (k.keyring() && keys.reaches(k, ring)) {
            throw new ErrnoException(Errno.EDEADLK);
        }
        keys.link(ring, k);
    }

    /** KEYCTL_CHOWN: -1 for both changes nothing; a new owner needs CAP_SYS_ADMIN, a group one's own. */
    private static long chown(GuestThread t, int id, int uid, int gid) throws ErrnoException {
        if (uid == -1 && gid == -1) {
            return 0;
        }
        Key k = lookup(t, id, true, true, Keys.KEY_NEED_SETATTR).key();
        GuestProcess.Credentials c = t.process().credentials();
        boolean admin = c.capable(GuestProcess.CAP_SYS_ADMIN);
        if (!admin && (uid != -1 && k.uid != uid || gid != -1 && gid != k.gid && gid != c.fsgid() && !member(c, gid))) {
            throw new ErrnoException(Errno.EACCES);
        }
        if (uid != -1) {
            k.uid = uid;
        }
        if (gid != -1) {
            k.gid = gid;
        }
        return 0;
    }

    /**
     * KEYCTL_JOIN_SESSION_KEYRING: a new anonymous "_ses" keyring, or the named one of the caller's
     * that it may search without possessing it (find_keyring_by_name passes over the others), else a
     * new one of that name.
     */
    private static long joinSession(GuestThread t, String name) throws ErrnoException {
        Keys keys = keys(t);
        GuestProcess.Credentials c = t.process().credentials();
        Key k = name == null ? null : keys.keyringNamed(name, c.uid(), r -> allowed(t, r, false, Keys.KEY_NEED_SEARCH));
        if (k == null) {
            // A named one may also be linked by its user (join_session_keyring), "_ses" not.
            k = keys.create("keyring", name == null ? "_ses" : name, c.uid(), c.gid(),
                    Keys.KEY_POS_ALL | Keys.KEY_USR_VIEW | Keys.KEY_USR_READ | (name == null ? 0 : Keys.KEY_USR_LINK));
        }
        keys.setSession(t.process(), k);
        return k.serial;
    }

    /** KEYCTL_SEARCH: type, description, the keyring (searchable), the destination, then the search; ENOKEY. */
    private static long search(GuestThread t, int ringId, long typeAddr, long descAddr, int destId) throws ErrnoException {
        String type = type(t, typeAddr);
        String description = string(t, descAddr, KEY_MAX_DESC_SIZE);
        Key ring = lookup(t, ringId, false, false, Keys.KEY_NEED_SEARCH).key();
        Key dest = destId == 0 ? null : lookup(t, destId, true, false, Keys.KEY_NEED_WRITE).key();
        if (!known(type)) {
            throw new ErrnoException(Errno.ENOKEY);
        }
        if (!ring.keyring()) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        Key found = keys(t).search(ring, type, description, r -> allowed(t, r, true, Keys.KEY_NEED_SEARCH));
        if (found.rejected != null) {
            throw new ErrnoException(Errno.ENOKEY);
        }
        if (dest != null) {
            permission(t, new Ref(found, true), Keys.KEY_NEED_LINK);
            link(keys(t), dest, found);
        }
        return found.serial;
    }

    /**
     * KEYCTL_READ: any lookup error is ENOKEY; read permission, or search permission on a possessed
     * key; a logon key has no reader (EOPNOTSUPP); a keyring's serials need a buffer of whole ints.
     */
    private static long read(GuestThread t, int id, long buffer, long length) throws ErrnoException {
        Ref ref;
        try {
            ref = lookup(t, id, false, false, Keys.KEY_NEED_NONE);
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.ENOKEY);
        }
        if (!allowed(t, ref.key(), ref.possessed(), Keys.KEY_NEED_READ)
                && !(ref.possessed() && allowed(t, ref.key(), true, Keys.KEY_NEED_SEARCH))) {
            throw new ErrnoException(Errno.EACCES);
        }
        Key k = ref.key();
        if (!readable(k.type)) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        validate(k);
        GuestMemory mem = t.process().space().memory();
        if (!k.keyring()) {
            return copyOut(mem, buffer, length, k.payload, true);
        }
        if (buffer != 0 && length != 0 && (length & 3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        java.nio.ByteBuffer b;
        synchronized (keys(t)) {
            b = java.nio.ByteBuffer.allocate(k.links.size() * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (Key linked : k.links) {
                b.putInt(linked.serial);
            }
        }
        return copyOut(mem, buffer, length, b.array(), true);
    }

    /**
     * Copies {@code data} to a guest buffer of {@code length} bytes and returns its whole size:
     * {@code wholeOnly} copies nothing when it does not fit (DESCRIBE, READ), else as much as fits.
     */
    private static long copyOut(GuestMemory mem, long buffer, long length, byte[] data, boolean wholeOnly)
            throws ErrnoException {
        if (buffer != 0 && length != 0) {
            long n = Long.compareUnsigned(length, data.length) >= 0 ? data.length : wholeOnly ? 0 : length;
            if (n > 0) {
                mem.write(buffer, data, 0, (int) n);
            }
        }
        return data.length;
    }
}
