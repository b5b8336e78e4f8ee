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
        new Utsname("Linux", t.process().kernel().host().identity().hostname(), release, Kernel.VERSION,
                "x86_64", "(none)").writeTo(b, 0);
        t.process().space().memory().writeStruct(a.addr(0), b);
        return 0;
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
