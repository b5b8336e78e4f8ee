package dev.jlx.host.posix;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.OpenFlags;
import java.lang.reflect.Field;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jnr.constants.Constant;

/**
 * Translates between Linux's numbers and a POSIX host's, by name, never by number (macOS and Linux
 * differ). The host's tables come from jnr-constants, which has one per OS, so the translation for
 * another OS can be built and tested on this one.
 */
final class HostConstants {
    private static final System.Logger LOG = System.getLogger("dev.jlx.host.posix");
    /** Linux open flags with no effect jlx must pass on (O_LARGEFILE is implied on 64-bit hosts). */
    private static final int IGNORED_OPEN_FLAGS = OpenFlags.O_LARGEFILE;

    private final boolean linux;
    /** Linux O_* bit -> host bits, for each single-bit flag (O_ACCMODE values handled apart). */
    private final Map<Integer, Integer> openFlags;
    private final Map<Integer, Errno> errnoByHostNumber;
    private final Set<Integer> warned = ConcurrentHashMap.newKeySet();

    HostConstants(boolean linux, Map<String, Long> hostOpenFlags, Map<Long, String> hostErrnoNames) {
        this.linux = linux;
        this.openFlags = new LinkedHashMap<>();
        // Multi-bit flags first (O_SYNC contains O_DSYNC, O_TMPFILE contains O_DIRECTORY).
        java.util.List<Field> fields = new java.util.ArrayList<>(java.util.List.of(OpenFlags.class.getFields()));
        fields.sort((a, b) -> Integer.bitCount(staticInt(b)) - Integer.bitCount(staticInt(a)));
        for (Field f : fields) {
            String name = f.getName();
            int linuxValue = staticInt(f);
            if (name.equals("O_RDONLY") || name.equals("O_WRONLY") || name.equals("O_RDWR") || name.equals("O_ACCMODE")
                    || (linuxValue & IGNORED_OPEN_FLAGS) == linuxValue) {
                continue;
            }
            Long host = hostOpenFlags.get(name);
            if (host != null) {
                openFlags.put(linuxValue, host.intValue());
            }
        }
        this.errnoByHostNumber = new HashMap<>();
        for (Map.Entry<Long, String> e : hostErrnoNames.entrySet()) {
            Errno linuxErrno = linuxErrnoNamed(e.getValue());
            if (linuxErrno != null) {
                errnoByHostNumber.put(e.getKey().intValue(), linuxErrno);
            }
        }
    }

    /** The tables of the OS this JVM runs on. */
    static HostConstants forRunningHost() {
        return new HostConstants(jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.LINUX,
                namesToValues(jnr.constants.platform.OpenFlags.class), valuesToNames(jnr.constants.platform.Errno.class));
    }

    /** The tables of another OS, e.g. {@code jnr.constants.platform.darwin.OpenFlags}. */
    static <F extends Enum<F> & Constant, E extends Enum<E> & Constant> HostConstants forTables(boolean linux,
            Class<F> openFlagTable, Class<E> errnoTable) {
        return new HostConstants(linux, namesToValues(openFlagTable), valuesToNames(errnoTable));
    }

    boolean isLinux() {
        return linux;
    }

    /** The host's AT_FDCWD: -100 on Linux, -2 on macOS and the BSDs. */
    int atFdcwd() {
        return linux ? -100 : -2;
    }

    /** The host's AT_SYMLINK_NOFOLLOW: 0x100 on Linux, 0x20 on macOS and the BSDs. */
    int atSymlinkNofollow() {
        return linux ? 0x100 : 0x20;
    }

    /** A Linux timespec nanosecond field as the host reads it: UTIME_NOW and UTIME_OMIT differ. */
    long hostUtimeNsec(long linuxNsec) {
        if (linuxNsec == LINUX_UTIME_NOW) {
            return linux ? linuxNsec : -1;
        }
        if (linuxNsec == LINUX_UTIME_OMIT) {
            return linux ? linuxNsec : -2;
        }
        return linuxNsec;
    }

    /** UTIME_NOW and UTIME_OMIT of linux/stat.h. */
    static final long LINUX_UTIME_NOW = (1L << 30) - 1;
    static final long LINUX_UTIME_OMIT = (1L << 30) - 2;

    /**
     * Where readdir's struct dirent keeps the name: after d_ino, d_off, d_reclen and d_type on Linux
     * (19), after d_ino, d_seekoff, d_reclen, d_namlen and d_type on macOS and the BSDs (21).
     */
    int direntNameOffset() {
        return linux ? 19 : 21;
    }

    int direntTypeOffset() {
        return linux ? 18 : 20;
    }

    /** Linux S_IF* bits for a DT_* value (the same numbers on every POSIX host), or -1 for DT_UNKNOWN. */
    int linuxTypeOfDirent(byte dtype) {
        return dtype == 0 ? -1 : (dtype & 0xf) << 12;
    }

    /**
     * Host open(2) flags for Linux {@code flags}. Access mode values are the same on every POSIX
     * host (0, 1, 2). A Linux flag the host has no equivalent for is EINVAL.
     */
    int hostOpenFlags(int flags) throws dev.jlx.core.ErrnoException {
        int host = flags & OpenFlags.O_ACCMODE;
        int rest = flags & ~OpenFlags.O_ACCMODE & ~IGNORED_OPEN_FLAGS;
        for (Map.Entry<Integer, Integer> e : openFlags.entrySet()) {
            int bits = e.getKey();
            if ((rest & bits) == bits) {
                host |= e.getValue();
                rest &= ~bits;
            }
        }
        if (rest != 0) {
            LOG.log(System.Logger.Level.WARNING, "open flags 0" + Integer.toOctalString(rest)
                    + " have no equivalent on this host: EINVAL");
            throw new dev.jlx.core.ErrnoException(Errno.EINVAL);
        }
        return host;
    }

    /** Linux errno for a host errno; one without a Linux equivalent is EIO, logged once. */
    Errno linuxErrno(int hostErrno) {
        Errno e = errnoByHostNumber.get(hostErrno);
        if (e != null) {
            return e;
        }
        if (warned.add(hostErrno)) {
            LOG.log(System.Logger.Level.WARNING, "host errno " + hostErrno + " has no Linux equivalent: EIO");
        }
        return Errno.EIO;
    }

    /** Linux SEEK_* whence to host; SEEK_DATA/SEEK_HOLE differ between OSes. */
    int hostWhence(int whence) throws dev.jlx.core.ErrnoException {
        return switch (whence) {
            case Fcntl.SEEK_SET, Fcntl.SEEK_CUR, Fcntl.SEEK_END -> whence;
            case Fcntl.SEEK_DATA, Fcntl.SEEK_HOLE -> linux ? whence : unsupportedWhence();
            default -> throw new dev.jlx.core.ErrnoException(Errno.EINVAL);
        };
    }

    private static int unsupportedWhence() throws dev.jlx.core.ErrnoException {
        throw new dev.jlx.core.ErrnoException(Errno.EINVAL);
    }

    /** Names that differ: the host's ENOTSUP is Linux's EOPNOTSUPP, EWOULDBLOCK is EAGAIN. */
    private static Errno linuxErrnoNamed(String hostName) {
        String name = switch (hostName) {
            case "ENOTSUP" -> "EOPNOTSUPP";
            case "EWOULDBLOCK" -> "EAGAIN";
            case "EDEADLOCK" -> "EDEADLK";
            default -> hostName;
        };
        try {
            return Errno.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
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

    private static <T extends Enum<T> & Constant> Map<Long, String> valuesToNames(Class<T> table) {
        Map<Long, String> out = new HashMap<>();
        for (T c : EnumSet.allOf(table)) {
            if (c.defined()) {
                out.putIfAbsent(c.longValue(), c.name());
            }
        }
        return out;
    }

    private static int staticInt(Field f) {
        try {
            return f.getInt(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
