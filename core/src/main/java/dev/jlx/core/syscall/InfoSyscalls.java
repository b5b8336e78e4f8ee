package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Random;
import dev.jlx.abi.struct.Sysinfo;
import dev.jlx.abi.struct.Utsname;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.mem.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/** uname, sysinfo and getrandom. */
final class InfoSyscalls {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** GRND_* bits getrandom(2) accepts. */
    private static final int GRND_ALL = Random.GRND_NONBLOCK | Random.GRND_RANDOM | Random.GRND_INSECURE;

    private InfoSyscalls() {}

    /** personality(2)'s UNAME26 flag. */
    private static final int UNAME26 = 0x0020000;

    /** Implements Linux syscall uname(2). */
    static long uname(GuestThread t, Args a) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Utsname.SIZE);
        String release = (t.personality() & UNAME26) != 0 ? uname26(Kernel.RELEASE) : Kernel.RELEASE;
        dev.jlx.core.kernel.Namespaces.Uts uts = t.process().namespaces().uts();
        new Utsname("Linux", uts.nodename(), release, Kernel.VERSION, "x86_64", uts.domainname()).writeTo(b, 0);
        t.process().space().memory().writeStruct(a.addr(0), b);
        return 0;
    }

    /** __NEW_UTS_LEN: a UTS name's longest length. */
    private static final int UTS_LEN = 64;

    /** Implements Linux syscall sethostname(2): CAP_SYS_ADMIN, at most 64 bytes. */
    static long sethostname(GuestThread t, Args a) throws ErrnoException {
        t.process().namespaces().uts().setNodename(utsName(t, a));
        return 0;
    }

    /** Implements Linux syscall setdomainname(2), as sethostname. */
    static long setdomainname(GuestThread t, Args a) throws ErrnoException {
        t.process().namespaces().uts().setDomainname(utsName(t, a));
        return 0;
    }

    /** The name a sethostname or setdomainname call gives, with Linux's checks in order: EPERM, EINVAL, EFAULT. */
    private static String utsName(GuestThread t, Args a) throws ErrnoException {
        if (!t.process().credentials().capable(dev.jlx.core.kernel.GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        int len = a.i32(1);
        if (len < 0 || len > UTS_LEN) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return utsString(t.process().space().memory().read(a.addr(0), len));
    }

    /** syslog(2)'s actions. */
    private static final int SYSLOG_ACTION_READ = 2;
    private static final int SYSLOG_ACTION_READ_ALL = 3;
    private static final int SYSLOG_ACTION_READ_CLEAR = 4;
    private static final int SYSLOG_ACTION_CONSOLE_LEVEL = 8;
    private static final int SYSLOG_ACTION_SIZE_UNREAD = 9;
    private static final int SYSLOG_ACTION_SIZE_BUFFER = 10;
    /** The log buffer's size: CONFIG_LOG_BUF_SHIFT 18, as Debian's and Ubuntu's kernels. */
    private static final int LOG_BUF_LEN = 1 << 18;

    /**
     * Implements Linux syscall syslog(2) over an empty kernel log (jlx's kernel logs nothing a guest
     * could read), with kernel.dmesg_restrict 1 (Debian's and Ubuntu's default): every action needs
     * CAP_SYSLOG or CAP_SYS_ADMIN. Reads give 0 bytes, SYSLOG_ACTION_READ waits for a message that
     * never comes (until a signal).
     */
    static long syslog(GuestThread t, Args a) throws ErrnoException {
        dev.jlx.core.kernel.GuestProcess.Credentials c = t.process().credentials();
        if (!c.capable(dev.jlx.core.kernel.GuestProcess.CAP_SYSLOG)
                && !c.capable(dev.jlx.core.kernel.GuestProcess.CAP_SYS_ADMIN)) {
            throw new ErrnoException(Errno.EPERM);
        }
        int type = a.i32(0);
        int len = a.i32(2);
        switch (type) {
            case 0, 1, 5, 6, 7 -> {
                return 0;
            }
            case SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR -> {
                if (a.addr(1) == 0 || len < 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (len == 0 || type != SYSLOG_ACTION_READ) {
                    return 0;
                }
                t.process().awaitSignal(t);
                throw new ErrnoException(Errno.EINTR);
            }
            case SYSLOG_ACTION_CONSOLE_LEVEL -> {
                if (len < 1 || len > 8) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return 0;
            }
            case SYSLOG_ACTION_SIZE_UNREAD -> {
                return 0;
            }
            case SYSLOG_ACTION_SIZE_BUFFER -> {
                return LOG_BUF_LEN;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** A UTS name as Linux keeps it: the bytes up to the first NUL. */
    private static String utsString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The release UNAME26 shows (Linux's override_release), for programs that know only 2.6 version
     * numbers: "2.6." and the minor version plus 60, then what follows the numeric part.
     */
    private static String uname26(String release) {
        int end = 0;
        int dots = 0;
        while (end < release.length()) {
            char c = release.charAt(end);
            if ((c == '.' && ++dots >= 3) || (c != '.' && !Character.isDigit(c))) {
                break;
            }
            end++;
        }
        String[] numbers = release.substring(0, end).split("\\.");
        return "2.6." + (Integer.parseInt(numbers[1]) + 60) + release.substring(end);
    }

    /** Implements Linux syscall sysinfo(2), from the JVM's view of the host. */
    static long sysinfo(GuestThread t, Args a) throws ErrnoException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double load = Math.max(0, os.getSystemLoadAverage());
        long loadFixed = (long) (load * 65536);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        ByteBuffer b = GuestMemory.structBuffer(Sysinfo.SIZE);
        new Sysinfo(uptime, new long[] {loadFixed, loadFixed, loadFixed}, os.getTotalMemorySize(),
                os.getFreeMemorySize(), 0, 0, os.getTotalSwapSpaceSize(), os.getFreeSwapSpaceSize(),
                1, 0, 0, 1).writeTo(b, 0);
        t.process().space().memory().writeStruct(a.addr(0), b);
        return 0;
    }

    /**
     * Implements Linux syscall sysfs(2) over /proc/filesystems's list: option 1 gives a type name's
     * index (EFAULT, ENOENT for "", EINVAL for an unknown type), 2 copies index's name with its NUL
     * (EINVAL past the end, then EFAULT), 3 the number of types; other options EINVAL.
     */
    static long sysfs(GuestThread t, Args a) throws ErrnoException {
        int option = a.i32(0);
        if (option < 1 || option > 3) {
            throw new ErrnoException(Errno.EINVAL);
        }
        java.util.List<String> names = dev.jlx.core.fs.proc.MountTable.filesystemNames(t.process().fsView().vfs());
        if (option == 3) {
            return names.size();
        }
        GuestMemory mem = t.process().space().memory();
        if (option == 1) {
            byte[] name = mem.readCString(a.addr(1), dev.jlx.core.fs.Vfs.PATH_MAX - 1);
            if (name.length == 0) {
                throw new ErrnoException(Errno.ENOENT);
            }
            int index = names.indexOf(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (index < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return index;
        }
        long index = Integer.toUnsignedLong(a.i32(1));
        if (index >= names.size()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] name = (names.get((int) index) + "\0").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        mem.write(a.addr(2), name);
        return 0;
    }

    /** Implements Linux syscall getrandom(2). jlx's entropy source is always initialized. */
    static long getrandom(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(2);
        if ((flags & ~GRND_ALL) != 0
                || (flags & (Random.GRND_INSECURE | Random.GRND_RANDOM)) == (Random.GRND_INSECURE | Random.GRND_RANDOM)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long n = ReadWriteSyscalls.capped(a.u64(1));
        GuestMemory.accessOk(a.addr(0), n);
        // Straight into guest memory, a fault after some bytes ending the call with their count.
        byte[] chunk = new byte[(int) Math.min(n, 1 << 16)];
        return ReadWriteSyscalls.transfer(t.process().space().memory(), a.addr(0), n, true, (s, done) -> {
            for (long at = 0; at < s.byteSize(); at += chunk.length) {
                int len = (int) Math.min(chunk.length, s.byteSize() - at);
                RANDOM.nextBytes(chunk);
                MemorySegment.copy(chunk, 0, s, ValueLayout.JAVA_BYTE, at, len);
            }
            return (int) s.byteSize();
        });
    }
}
