package dev.jlx.core.fs.proc;

import dev.jlx.core.kernel.CpuTime;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.Kernel;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The machine-wide files of /proc (stat, uptime, loadavg, meminfo, version), in Linux 6.1's formats.
 * jlx's machine has {@link Cpu#count()} CPUs that are busy exactly while they run guest code of this
 * kernel's live processes (all counted on CPU 0, where jlx says guests run), booted when the JVM
 * started, and the host's memory and load as sysinfo(2) reports them. It has no interrupts and
 * jlx does not count context switches.
 */
final class SystemFiles {
    /** NR_SOFTIRQS: the softirq line has a total and one count per kind. */
    private static final int SOFTIRQS = 10;
    /** FSHIFT: load averages are fixed-point with 11 fraction bits. */
    private static final int FSHIFT = 11;
    /** VMALLOC_END - VMALLOC_START of x86-64 with 4-level paging (32 TiB less a byte), VmallocTotal. */
    private static final long VMALLOC_TOTAL = (32L << 40) - 1;

    private SystemFiles() {}

    private static com.sun.management.OperatingSystemMXBean os() {
        return (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    private static byte[] ascii(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** CPU time of the kernel's live processes: user and system. */
    private static CpuTime busy(Kernel kernel) {
        long user = 0;
        long system = 0;
        for (GuestProcess p : kernel.processes()) {
            CpuTime c = CpuTime.of(p);
            user += c.userNanos();
            system += c.systemNanos();
        }
        return new CpuTime(user, system);
    }

    private static int threads(Kernel kernel) {
        return kernel.processes().stream().mapToInt(p -> p.threadSnapshot().size()).sum();
    }

    /** /proc/uptime: seconds since boot, and the idle seconds of all CPUs together. */
    static byte[] uptime(Kernel kernel) {
        long up = Boot.uptimeNanos();
        CpuTime busy = busy(kernel);
        long idle = Math.max(0, up * Cpu.count() - busy.userNanos() - busy.systemNanos());
        return ascii(centiseconds(up) + " " + centiseconds(idle) + "\n");
    }

    private static String centiseconds(long nanos) {
        long cs = nanos / Boot.TICK_NANOS;
        return String.format("%d.%02d", cs / 100, cs % 100);
    }

    /** /proc/stat: CPU time per CPU in ticks (user nice system idle iowait irq softirq steal guest guest_nice). */
    static byte[] stat(Kernel kernel) {
        long up = Boot.uptimeNanos();
        CpuTime busy = busy(kernel);
        int cpus = Cpu.count();
        long cpu0Idle = Math.max(0, up - busy.userNanos() - busy.systemNanos());
        StringBuilder s = new StringBuilder();
        cpuLine(s, "cpu ", busy, cpu0Idle + up * (cpus - 1));
        for (int i = 0; i < cpus; i++) {
            cpuLine(s, "cpu" + i, i == 0 ? busy : new CpuTime(0, 0), i == 0 ? cpu0Idle : up);
        }
        s.append("intr 0\n");
        s.append("ctxt 0\n");
        s.append("btime ").append(Boot.epochSeconds()).append('\n');
        s.append("processes ").append(kernel.lastPid() - 1).append('\n');
        s.append("procs_running ").append(threads(kernel)).append('\n');
        s.append("procs_blocked 0\n");
        s.append("softirq 0").append(" 0".repeat(SOFTIRQS)).append('\n');
        return ascii(s);
    }

    private static void cpuLine(StringBuilder s, String name, CpuTime busy, long idle) {
        s.append(name).append(' ').append(Boot.ticks(busy.userNanos())).append(" 0 ")
                .append(Boot.ticks(busy.systemNanos())).append(' ').append(Boot.ticks(idle)).append(" 0 0 0 0 0 0\n");
    }

    /**
     * /proc/loadavg: the host's load average (the JVM knows only the last minute's, which sysinfo(2)
     * gives for all three too), running and total threads, and the last pid handed out.
     */
    static byte[] loadavg(Kernel kernel) {
        long fixed = (long) (Math.max(0, os().getSystemLoadAverage()) * (1 << FSHIFT)) + (1 << FSHIFT) / 200;
        String load = String.format("%d.%02d", fixed >> FSHIFT, ((fixed & ((1 << FSHIFT) - 1)) * 100) >> FSHIFT);
        int threads = threads(kernel);
        return ascii(load + " " + load + " " + load + " " + threads + "/" + threads + " " + kernel.lastPid() + "\n");
    }

    /**
     * /proc/meminfo, consistent with sysinfo(2): total and free memory and swap are the host's as the
     * JVM sees them; free memory is what the host could give without swapping, so it is both MemFree
     * and MemAvailable, and no buffers or cache are left over. jlx keeps no page cache, slabs, page
     * tables, huge pages or kernel stacks of its own: those lines are 0. AnonPages is the guest
     * memory the host holds; the commit limit and Committed_AS follow Linux's heuristic overcommit
     * (half of RAM plus swap; private writable mappings).
     */
    static byte[] meminfo(Kernel kernel) {
        var os = os();
        long total = os.getTotalMemorySize();
        long free = os.getFreeMemorySize();
        long swapTotal = os.getTotalSwapSpaceSize();
        long swapFree = os.getFreeSwapSpaceSize();
        long anon = 0;
        long committed = 0;
        for (GuestProcess p : kernel.processes()) {
            MemoryMap.Usage u = MemoryMap.usage(MemoryMap.regions(p), p.image());
            anon += u.residentAnon();
            committed += u.data() + u.stack();
        }
        StringBuilder s = new StringBuilder();
        kb(s, "MemTotal", total);
        kb(s, "MemFree", free);
        kb(s, "MemAvailable", free);
        for (String none : new String[] {"Buffers", "Cached", "SwapCached", "Active", "Inactive", "Active(anon)",
            "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked"}) {
            kb(s, none, 0);
        }
        kb(s, "SwapTotal", swapTotal);
        kb(s, "SwapFree", swapFree);
        for (String none : new String[] {"Zswap", "Zswapped", "Dirty", "Writeback"}) {
            kb(s, none, 0);
        }
        kb(s, "AnonPages", anon);
        for (String none : new String[] {"Mapped", "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim",
            "KernelStack", "PageTables", "SecPageTables", "NFS_Unstable", "Bounce", "WritebackTmp"}) {
            kb(s, none, 0);
        }
        kb(s, "CommitLimit", total / 2 + swapTotal);
        kb(s, "Committed_AS", committed);
        kb(s, "VmallocTotal", VMALLOC_TOTAL);
        for (String none : new String[] {"VmallocUsed", "VmallocChunk", "Percpu", "HardwareCorrupted",
            "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped", "FilePmdMapped"}) {
            kb(s, none, 0);
        }
        for (String none : new String[] {"HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp"}) {
            s.append(String.format("%-16s%8d\n", none + ":", 0));
        }
        kb(s, "Hugepagesize", 2L << 20);
        for (String none : new String[] {"Hugetlb", "DirectMap4k", "DirectMap2M", "DirectMap1G"}) {
            kb(s, none, 0);
        }
        return ascii(s);
    }

    /** One meminfo line: the label padded to 16 columns with the value, in kB (show_val_kb). */
    private static void kb(StringBuilder s, String label, long bytes) {
        s.append(String.format("%-16s%8d kB\n", label + ":", bytes >> 10));
    }

    /** /proc/version: the banner Linux prints, with jlx as builder and Java as compiler. */
    static byte[] version() {
        return ascii("Linux version " + Kernel.RELEASE + " (jlx@jlx) (Java " + Runtime.version().feature() + ") "
                + Kernel.VERSION + "\n");
    }
}
