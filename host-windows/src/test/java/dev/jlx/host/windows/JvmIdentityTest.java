package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jlx.abi.Resource;
import dev.jlx.core.host.HostRlimit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resource limits the Windows backend's first guest starts with, on Windows and standing in elsewhere. */
class JvmIdentityTest {
    /** /proc/self/limits as Linux 6.1 prints it (a Debian 12 login with 24 GiB). */
    private static final List<String> PROC_LIMITS = List.of(
            "Limit                     Soft Limit           Hard Limit           Units     ",
            "Max cpu time              unlimited            unlimited            seconds   ",
            "Max file size             unlimited            unlimited            bytes     ",
            "Max data size             unlimited            unlimited            bytes     ",
            "Max stack size            8388608              unlimited            bytes     ",
            "Max core file size        0                    unlimited            bytes     ",
            "Max resident set          unlimited            unlimited            bytes     ",
            "Max processes             96367                96367                processes ",
            "Max open files            1024                 524288               files     ",
            "Max locked memory         8388608              8388608              bytes     ",
            "Max address space         unlimited            unlimited            bytes     ",
            "Max file locks            unlimited            unlimited            locks     ",
            "Max pending signals       96367                96367                signals   ",
            "Max msgqueue size         819200               819200               bytes     ",
            "Max nice priority         0                    0                    ",
            "Max realtime priority     0                    0                    ",
            "Max realtime timeout      unlimited            unlimited            us        ");

    @Test
    void aPosixHostsLimitsAreItsProcSelfLimits() {
        HostRlimit[] l = JvmIdentity.limits(PROC_LIMITS);
        assertEquals(new HostRlimit(-1, -1), l[Resource.RLIMIT_CPU]);
        assertEquals(new HostRlimit(8 << 20, -1), l[Resource.RLIMIT_STACK]);
        assertEquals(new HostRlimit(96367, 96367), l[Resource.RLIMIT_NPROC]);
        assertEquals(new HostRlimit(1024, 524288), l[Resource.RLIMIT_NOFILE]);
        assertEquals(new HostRlimit(0, 0), l[Resource.RLIMIT_RTPRIO]);
        assertEquals(new HostRlimit(-1, -1), l[Resource.RLIMIT_RTTIME]);
        JvmIdentity posix = new JvmIdentity(1000, 1000, new int[] {1000}, "h", l, 1L << 30);
        assertEquals(new HostRlimit(96367, 96367), posix.rlimit(Resource.RLIMIT_SIGPENDING));
    }

    @Test
    void onWindowsProcessesAndSignalsAreLinuxsForTheMemoryAndTheRestLoginDefaults() {
        // 24683772 KiB: Linux's max_threads is memory / 128 KiB, RLIMIT_NPROC half of it.
        JvmIdentity windows = new JvmIdentity(1000, 1000, new int[] {1000}, "h", null, 24683772L * 1024);
        assertEquals(new HostRlimit(96420, 96420), windows.rlimit(Resource.RLIMIT_NPROC));
        assertEquals(new HostRlimit(96420, 96420), windows.rlimit(Resource.RLIMIT_SIGPENDING));
        assertEquals(new HostRlimit(10, 10), new JvmIdentity(1000, 1000, new int[] {1000}, "h", null, 1 << 20)
                .rlimit(Resource.RLIMIT_NPROC), "at least MIN_THREADS, 20");
        for (int r : new int[] {Resource.RLIMIT_NOFILE, Resource.RLIMIT_STACK, Resource.RLIMIT_CORE}) {
            assertNull(windows.rlimit(r), "core's Rlimits gives Linux's login default");
        }
    }
}
