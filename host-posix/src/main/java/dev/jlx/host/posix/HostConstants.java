package dev.jlx.host.posix;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.core.ErrnoException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jnr.constants.Constant;

/**
 * Translates between Linux's numbers and a POSIX host's, by name, never by number (macOS and Linux
 * differ), in the manner of qemu's {@code fcntl_flags_tbl}. The host's numbers come from
 * jnr-constants, which has one table per OS, completed by {@link HostHeaders}; so the translation
 * for another OS can be built and tested on this one. Unknown guest bits are EINVAL and unknown host
 * errors EIO, each logged once.
 */
final class HostConstants {
    private static final System.Logger LOG = System.getLogger("dev.jlx.host.posix");
    /** Implied on every 64-bit host: never passed on, never refused. */
    private static final int IGNORED_OPEN_FLAGS = OpenFlags.O_LARGEFILE;
    private static final int PERMISSION_BITS = 07777;

    private final boolean linux;
    /** Linux O_* bits -> host bits, multi-bit flags first (O_SYNC holds O_DSYNC, O_TMPFILE O_DIRECTORY). */
    private final Map<Integer, Integer> openFlags = new LinkedHashMap<>();
    /** Linux O_* flags the host lacks, by value, to name them when refused. */
    private final Map<Integer, String> missingOpenFlags = new LinkedHashMap<>();
    private final Map<Integer, Integer> accessBits = new HashMap<>();
    private final Map<Integer, Integer> whence = new HashMap<>();
    private final int hostTypeMask;
    private final Map<Integer, Integer> linuxTypeOfHostType = new HashMap<>();
    private final Map<Integer, Errno> errnoByHostNumber = new HashMap<>();
    private final Map<Integer, String> hostErrnoNames = new HashMap<>();
    private final int atFdcwd;
    private final int atSymlinkNofollow;
    private final long utimeNow;
    private final long utimeOmit;
    private final long tiocgwinsz;
    private final long fionread;
    private final long renameNoreplace;
    private final long renameExchange;
    private final Map<String, Long> headers;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param linux whether the host lays out structs (dirent, termios) as Linux does
     * @param hostOpenFlags the host's {@code O_*} values by name
     * @param hostAccess the host's {@code R_OK/W_OK/X_OK} values by name
     * @param hostErrnos the host's errno names by value; aliases share a value
     * @param headers the host's other values by name ({@link HostHeaders})
     */
    HostConstants(boolean linux, Map<String, Long> hostOpenFlags, Map<String, Long> hostAccess,
            Map<Long, List<String>> hostErrnos, Map<String, Long> headers) {
        this.linux = linux;
        Map<String, Long> hostFlags = new HashMap<>(headers);
        hostFlags.putAll(hostOpenFlags);
        List<Map.Entry<String, Integer>> linuxFlags = new ArrayList<>(linuxConstants(OpenFlags.class, "O_").entrySet());
        linuxFlags.sort((a, b) -> Integer.bitCount(b.getValue()) - Integer.bitCount(a.getValue()));
        for (Map.Entry<String, Integer> f : linuxFlags) {
            int value = f.getValue();
            if (Integer.bitCount(value & ~OpenFlags.O_ACCMODE & ~IGNORED_OPEN_FLAGS) == 0) {
                continue;
            }
            Long host = hostFlags.get(f.getKey());
            if (host != null) {
                openFlags.put(value, host.intValue());
            } else {
                missingOpenFlags.put(value, f.getKey());
            }
        }
        linuxConstants(Fcntl.class, "").forEach((name, value) -> {
            if (name.endsWith("_OK") && value != 0) {
                accessBits.put(value, required(hostAccess, name));
            } else if (name.startsWith("SEEK_") && headers.containsKey(name)) {
                whence.put(value, required(headers, name));
            }
        });
        hostTypeMask = required(headers, "S_IFMT");
        linuxConstants(FileMode.class, "S_IF").forEach((name, value) -> {
            if (!name.equals("S_IFMT")) {
                linuxTypeOfHostType.put(required(headers, name), value);
            }
        });
        hostErrnos.forEach((number, names) -> {
            hostErrnoNames.put(number.intValue(), String.join("/", names));
            names.stream().map(HostConstants::linuxErrnoNamed).filter(e -> e != null).findFirst()
                    .ifPresent(e -> errnoByHostNumber.put(number.intValue(), e));
        });
        atFdcwd = required(headers, "AT_FDCWD");
        atSymlinkNofollow = required(headers, "AT_SYMLINK_NOFOLLOW");
        utimeNow = headers.get("UTIME_NOW");
        utimeOmit = headers.get("UTIME_OMIT");
        tiocgwinsz = headers.get("TIOCGWINSZ");
        fionread = headers.get("FIONREAD");
        renameNoreplace = headers.get("RENAME_NOREPLACE");
        renameExchange = headers.get("RENAME_EXCHANGE");
        this.headers = headers;
    }

    /** A value of the host's headers ({@link HostHeaders}) that every POSIX host has, by its C name. */
    long header(String name) {
        Long v = headers.get(name);
        if (v == null) {
            throw new IllegalStateException("no " + name + " in this host's headers table");
        }
        return v;
    }

    /** The host-specific headers table for the running OS, or null when jlx has none. */
    static Map<String, Long> headersOfRunningHost() {
        return switch (jnr.ffi.Platform.getNativePlatform().getOS()) {
            case LINUX -> HostHeaders.LINUX;
            case DARWIN -> HostHeaders.DARWIN;
            default -> null;
        };
    }

    /** The tables of the OS this JVM runs on; only for an OS {@link #headersOfRunningHost()} knows. */
    static HostConstants forRunningHost() {
        return new HostConstants(jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.LINUX,
                namesToValues(jnr.constants.platform.OpenFlags.class),
                namesToValues(jnr.constants.platform.Access.class),
                valuesToNames(jnr.constants.platform.Errno.class), headersOfRunningHost());
    }

    /** The tables of a given OS, e.g. {@code jnr.constants.platform.darwin.*} with {@link HostHeaders#DARWIN}. */
    static <F extends Enum<F> & Constant, A extends Enum<A> & Constant, E extends Enum<E> & Constant>
            HostConstants forTables(boolean linux, Class<F> openFlagTable, Class<A> accessTable, Class<E> errnoTable,
                    Map<String, Long> headers) {
        return new HostConstants(linux, namesToValues(openFlagTable), namesToValues(accessTable),
                valuesToNames(errnoTable), headers);
    }

    boolean isLinux() {
        return linux;
    }

    int atFdcwd() {
        return atFdcwd;
    }

    int atSymlinkNofollow() {
        return atSymlinkNofollow;
    }

    long fionread() {
        return fionread;
    }

    long tiocgwinsz() {
        return tiocgwinsz;
    }

    /**
     * renameat2's Linux flags as the host's rename call takes them; RENAME_WHITEOUT (an overlayfs
     * detail no host backend can honour) and unknown bits are EINVAL, as Linux says of flags a file
     * system does not support.
     */
    int hostRenameFlags(int linuxFlags) throws ErrnoException {
        int known = Rename.RENAME_NOREPLACE | Rename.RENAME_EXCHANGE;
        if ((linuxFlags & ~known) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long host = 0;
        if ((linuxFlags & Rename.RENAME_NOREPLACE) != 0) {
            host |= renameNoreplace;
        }
        if ((linuxFlags & Rename.RENAME_EXCHANGE) != 0) {
            host |= renameExchange;
        }
        return (int) host;
    }

    /** A Linux timespec nanosecond field as the host reads it: UTIME_NOW and UTIME_OMIT differ. */
    long hostUtimeNsec(long linuxNsec) {
        if (linuxNsec == Fcntl.UTIME_NOW) {
            return utimeNow;
        }
        if (linuxNsec == Fcntl.UTIME_OMIT) {
            return utimeOmit;
        }
        return linuxNsec;
    }

    /**
     * Where readdir's struct dirent keeps the name: after d_ino, d_off, d_reclen and d_type on Linux
     * (19), after d_ino, d_seekoff, d_reclen, d_namlen and d_type on macOS (21).
     */
    int direntNameOffset() {
        return linux ? 19 : 21;
    }

    int direntTypeOffset() {
        return linux ? 18 : 20;
    }

    /** Linux S_IF* bits for a DT_* value (S_IF* shifted right by 12 on every POSIX host), or -1 for DT_UNKNOWN. */
    int linuxTypeOfDirent(byte dtype) {
        return dtype == 0 ? -1 : linuxMode((dtype & 0xf) << 12) & FileMode.S_IFMT;
    }

    /**
     * A host {@code st_mode} in Linux bits. Permission bits are the same everywhere; a file type
     * Linux lacks (macOS's S_IFWHT) keeps only its permission bits, and is logged once.
     */
    int linuxMode(int hostMode) {
        int hostType = hostMode & hostTypeMask;
        Integer type = linuxTypeOfHostType.get(hostType);
        if (type == null) {
            warnOnce("type " + hostType, "host file type 0" + Integer.toOctalString(hostType)
                    + " has no Linux equivalent: reported without a type");
            type = 0;
        }
        return type | (hostMode & PERMISSION_BITS);
    }

    /** The last translation {@link #hostOpenFlags} made: a program opens with the same flags again and again. */
    private record OpenFlagsPair(int linux, int host) {
    }

    private volatile OpenFlagsPair lastOpenFlags;

    /** Host open(2) flags for Linux {@code flags}; access mode values are the same on every POSIX host. */
    int hostOpenFlags(int flags) throws ErrnoException {
        OpenFlagsPair last = lastOpenFlags;
        if (last != null && last.linux() == flags) {
            return last.host();
        }
        int host = translateOpenFlags(flags);
        lastOpenFlags = new OpenFlagsPair(flags, host);
        return host;
    }

    private int translateOpenFlags(int flags) throws ErrnoException {
        for (Map.Entry<Integer, String> e : missingOpenFlags.entrySet()) {
            if ((flags & e.getKey()) == e.getKey()) {
                warnOnce(e.getValue(), e.getValue() + " has no equivalent on this host: open fails with EINVAL");
                throw new ErrnoException(Errno.EINVAL, e.getValue());
            }
        }
        int host = flags & OpenFlags.O_ACCMODE;
        int rest = flags & ~OpenFlags.O_ACCMODE & ~IGNORED_OPEN_FLAGS;
        for (Map.Entry<Integer, Integer> e : openFlags.entrySet()) {
            int bits = e.getKey();
            if ((rest & bits) == bits) {
                host |= e.getValue();
                rest &= ~bits;
            }
        }
        if (rest == 0) {
            return host;
        }
        warnOnce("open 0" + Integer.toOctalString(rest),
                "unknown open flag bits 0" + Integer.toOctalString(rest) + ": open fails with EINVAL");
        throw new ErrnoException(Errno.EINVAL);
    }

    /** Host access(2) mode for Linux {@code R_OK/W_OK/X_OK} bits (F_OK is 0 everywhere). */
    int hostAccessMode(int linuxMode) throws ErrnoException {
        int host = 0;
        int rest = linuxMode;
        for (Map.Entry<Integer, Integer> e : accessBits.entrySet()) {
            if ((rest & e.getKey()) != 0) {
                host |= e.getValue();
                rest &= ~e.getKey();
            }
        }
        if (rest != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return host;
    }

    /** Host lseek(2) whence for a Linux {@code SEEK_*}; one the host lacks is EINVAL. */
    int hostWhence(int linuxWhence) throws ErrnoException {
        Integer host = whence.get(linuxWhence);
        if (host == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return host;
    }

    /** Linux errno for a host errno; one without a Linux equivalent is EIO, logged once with its name. */
    Errno linuxErrno(int hostErrno) {
        Errno e = errnoByHostNumber.get(hostErrno);
        if (e != null) {
            return e;
        }
        warnOnce("errno " + hostErrno, "host errno " + hostErrno + " ("
                + hostErrnoNames.getOrDefault(hostErrno, "unnamed") + ") has no Linux equivalent: EIO");
        return Errno.EIO;
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    /**
     * The Linux errno a host name stands for. Linux folds ENOTSUP into EOPNOTSUPP, EWOULDBLOCK into
     * EAGAIN and EDEADLOCK into EDEADLK; macOS's ENOATTR is what Linux calls ENODATA for xattrs.
     */
    private static Errno linuxErrnoNamed(String hostName) {
        String name = switch (hostName) {
            case "ENOTSUP" -> "EOPNOTSUPP";
            case "EWOULDBLOCK" -> "EAGAIN";
            case "EDEADLOCK" -> "EDEADLK";
            case "ENOATTR" -> "ENODATA";
            default -> hostName;
        };
        try {
            return Errno.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int required(Map<String, Long> table, String name) {
        Long value = table.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the host table lacks " + name);
        }
        return value.intValue();
    }

    /** The public static int constants of an ABI class whose names start with {@code prefix}. */
    private static Map<String, Integer> linuxConstants(Class<?> abiClass, String prefix) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Field f : abiClass.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && f.getName().startsWith(prefix)) {
                try {
                    out.put(f.getName(), f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    private static <T extends Enum<T> & Constant> Map<String, Long> namesToValues(Class<T> table) {
        Map<String, Long> out = new HashMap<>();
        for (T c : EnumSet.allOf(table)) {
            if (c.defined()) {
                out.put(c.name(), c.longValue());
            }
        }
        return out;
    }

    private static <T extends Enum<T> & Constant> Map<Long, List<String>> valuesToNames(Class<T> table) {
        Map<Long, List<String>> out = new HashMap<>();
        for (T c : EnumSet.allOf(table)) {
            if (c.defined()) {
                out.computeIfAbsent(c.longValue(), v -> new ArrayList<>()).add(c.name());
            }
        }
        return out;
    }
}
