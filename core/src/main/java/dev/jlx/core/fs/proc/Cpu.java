package dev.jlx.core.fs.proc;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jlx.core.cpu.RunResult;
import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.cpu.X86Reg;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU a guest sees: the answers of the engine's own CPUID (its Westmere model), asked once per
 * JVM, and as many such CPUs as the JVM may use (what sched_getaffinity reports). /proc/cpuinfo is
 * made from these as Linux's show_cpuinfo makes it; its flags are exactly the CPUID bits Linux names,
 * without the flags Linux adds from its own probing (constant_tsc, rep_good, ...), which describe
 * the host rather than the engine.
 */
public final class Cpu {
    /** The guest address of the probe's code: cpuid; hlt at 0, rdtsc; hlt at 16. */
    private static final long CODE = 0x400000;
    private static final byte[] PROBE = {0x0f, (byte) 0xa2, (byte) 0xf4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x0f, 0x31, (byte) 0xf4};
    /** How long the TSC is watched to find its rate, as Linux calibrates it against another clock. */
    private static final long CALIBRATION_NANOS = 20_000_000L;
    /** CONFIG_HZ of Debian's kernels: bogomips derive from loops per jiffy. */
    private static final long HZ = 250;

    /** One CPUID answer. */
    private record Regs(int eax, int ebx, int ecx, int edx) {}

    /** A 32-bit capability word of Linux's cpufeatures.h: where CPUID puts it, and its flag names (null: unnamed). */
    private record Word(int leaf, int subleaf, char register, String[] names) {}

    private static String[] names(Object... bitAndName) {
        String[] names = new String[32];
        for (int i = 0; i < bitAndName.length; i += 2) {
            names[(Integer) bitAndName[i]] = (String) bitAndName[i + 1];
        }
        return names;
    }

    /** The words in Linux's order (by word number); each is read only when its leaf exists. */
    private static final List<Word> WORDS = List.of(
            new Word(1, 0, 'd', new String[] {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic",
                null, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", null, "dts", "acpi",
                "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"}),
            new Word(0x80000001, 0, 'd', names(11, "syscall", 19, "mp", 20, "nx", 22, "mmxext", 25, "fxsr_opt",
                26, "pdpe1gb", 27, "rdtscp", 29, "lm", 30, "3dnowext", 31, "3dnow")),
            new Word(1, 0, 'c', new String[] {"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est",
                "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", null, "pcid", "dca", "sse4_1",
                "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", null, "avx", "f16c",
                "rdrand", "hypervisor"}),
            new Word(0x80000001, 0, 'c', names(0, "lahf_lm", 1, "cmp_legacy", 2, "svm", 3, "extapic", 4,
                "cr8_legacy", 5, "abm", 6, "sse4a", 7, "misalignsse", 8, "3dnowprefetch", 9, "osvw", 10, "ibs",
                11, "xop", 12, "skinit", 13, "wdt", 15, "lwp", 16, "fma4", 17, "tce", 19, "nodeid_msr", 21, "tbm",
                22, "topoext", 23, "perfctr_core", 24, "perfctr_nb", 26, "bpext", 27, "ptsc", 28, "perfctr_llc",
                29, "mwaitx")),
            new Word(7, 0, 'b', new String[] {"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", null, "smep",
                "bmi2", "erms", "invpcid", "rtm", "cqm", null, "mpx", "rdt_a", "avx512f", "avx512dq", "rdseed", "adx",
                "smap", "avx512ifma", null, "clflushopt", "clwb", "intel_pt", "avx512pf", "avx512er", "avx512cd",
                "sha_ni", "avx512bw", "avx512vl"}),
            new Word(0xd, 1, 'a', names(0, "xsaveopt", 1, "xsavec", 2, "xgetbv1", 3, "xsaves", 4, "xfd")),
            new Word(7, 1, 'a', names(4, "avx_vnni", 5, "avx512_bf16")),
            new Word(0x80000008, 0, 'b', names(0, "clzero", 1, "irperf", 2, "xsaveerptr", 4, "rdpru", 9,
                "wbnoinvd")),
            new Word(6, 0, 'a', names(0, "dtherm", 1, "ida", 2, "arat", 4, "pln", 6, "pts", 7, "hwp", 8,
                "hwp_notify", 9, "hwp_act_window", 10, "hwp_epp", 11, "hwp_pkg_req", 19, "hfi")),
            new Word(7, 0, 'c', names(1, "avx512vbmi", 2, "umip", 3, "pku", 4, "ospke", 5, "waitpkg", 6,
                "avx512_vbmi2", 8, "gfni", 9, "vaes", 10, "vpclmulqdq", 11, "avx512_vnni", 12, "avx512_bitalg",
                13, "tme", 14, "avx512_vpopcntdq", 16, "la57", 22, "rdpid", 24, "bus_lock_detect", 25, "cldemote",
                27, "movdiri", 28, "movdir64b", 29, "enqcmd", 30, "sgx_lc")),
            new Word(7, 0, 'd', names(2, "avx512_4vnniw", 3, "avx512_4fmaps", 4, "fsrm", 8, "avx512_vp2intersect",
                10, "md_clear", 14, "serialize", 16, "tsxldtrk", 18, "pconfig", 19, "arch_lbr", 20, "ibt", 22,
                "amx_bf16", 23, "avx512_fp16", 24, "amx_tile", 25, "amx_int8", 28, "flush_l1d", 29,
                "arch_capabilities")));

    /** The power-management names of CPUID 0x80000007 EDX (bit 8, the invariant TSC, is shown as a flag). */
    private static final String[] POWER = {"ts", "fid", "vid", "ttp", "tm", "stc", "100mhzsteps", "hwpstate", "",
        "cpb", "eff_freq_ro", "proc_feedback", "acc_power"};

    private final String vendor;
    private final int family;
    private final int model;
    private final int stepping;
    private final String modelName;
    private final int level;
    private final List<String> flags;
    private final long cacheKb;
    private final int clflush;
    private final int physicalBits;
    private final int virtualBits;
    private final String power;
    /** The TSC's rate as measured, 0 when it did not advance. */
    private final long tscKhz;

    private static final class Probed {
        static final Cpu CPU = probe();
    }

    private Cpu(UnicornEngine engine) {
        Regs zero = cpuid(engine, 0, 0);
        level = zero.eax();
        vendor = ascii(zero.ebx(), zero.edx(), zero.ecx());
        Regs one = cpuid(engine, 1, 0);
        int baseFamily = (one.eax() >> 8) & 0xf;
        family = baseFamily == 0xf ? baseFamily + ((one.eax() >> 20) & 0xff) : baseFamily;
        model = ((one.eax() >> 4) & 0xf) | (family >= 6 ? ((one.eax() >> 16) & 0xf) << 4 : 0);
        stepping = one.eax() & 0xf;
        clflush = ((one.ebx() >> 8) & 0xff) * 8;
        int extended = cpuid(engine, 0x80000000, 0).eax();
        if (Integer.compareUnsigned(extended, 0x80000004) >= 0) {
            StringBuilder brand = new StringBuilder();
            for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
                Regs r = cpuid(engine, leaf, 0);
                brand.append(ascii(r.eax(), r.ebx(), r.ecx(), r.edx()));
            }
            // Intel right-justifies the brand string; Linux strips the padding.
            modelName = brand.toString().replace("\0", "").strip();
        } else {
            modelName = "unknown";
        }
        int maxSubleaf7 = level >= 7 ? cpuid(engine, 7, 0).eax() : 0;
        flags = new ArrayList<>();
        for (Word w : WORDS) {
            boolean present = w.leaf() < 0 ? Integer.compareUnsigned(w.leaf(), extended) <= 0 : w.leaf() <= level;
            if (!present || (w.leaf() == 7 && w.subleaf() > maxSubleaf7)) {
                continue;
            }
            Regs r = cpuid(engine, w.leaf(), w.subleaf());
            int bits = switch (w.register()) {
                case 'a' -> r.eax();
                case 'b' -> r.ebx();
                case 'c' -> r.ecx();
                default -> r.edx();
            };
            for (int bit = 0; bit < 32; bit++) {
                if ((bits >>> bit & 1) != 0 && w.names()[bit] != null) {
                    flags.add(w.names()[bit]);
                }
            }
        }
        cacheKb = cacheKb(engine, extended);
        if (Integer.compareUnsigned(extended, 0x80000008) >= 0) {
            int sizes = cpuid(engine, 0x80000008, 0).eax();
            physicalBits = sizes & 0xff;
            virtualBits = (sizes >> 8) & 0xff;
        } else {
            physicalBits = 36;
            virtualBits = 48;
        }
        StringBuilder pm = new StringBuilder();
        if (Integer.compareUnsigned(extended, 0x80000007) >= 0) {
            int edx = cpuid(engine, 0x80000007, 0).edx();
            for (int bit = 0; bit < 32; bit++) {
                if ((edx >>> bit & 1) != 0) {
                    if (bit >= POWER.length) {
                        pm.append(" [").append(bit).append(']');
                    } else if (!POWER[bit].isEmpty()) {
                        pm.append(' ').append(POWER[bit]);
                    }
                }
            }
        }
        power = pm.toString();
        tscKhz = flags.contains("tsc") ? tscKhz(engine) : 0;
    }

    /**
     * The size Linux reports: from the deterministic cache leaf 4, the last level (L3, else L2, else
     * both L1 caches); without it, the L2 size of leaf 0x80000006.
     */
    private long cacheKb(UnicornEngine engine, int extended) {
        if (level >= 4) {
            long[] byLevel = new long[4];
            for (int i = 0; i < 16; i++) {
                Regs r = cpuid(engine, 4, i);
                if ((r.eax() & 0x1f) == 0) {
                    break;
                }
                int cacheLevel = (r.eax() >> 5) & 0x7;
                long size = (long) ((r.ebx() >>> 22) + 1) * (((r.ebx() >> 12) & 0x3ff) + 1) * ((r.ebx() & 0xfff) + 1)
                        * (Integer.toUnsignedLong(r.ecx()) + 1);
                if (cacheLevel < byLevel.length) {
                    byLevel[cacheLevel] += size / 1024;
                }
            }
            return byLevel[3] != 0 ? byLevel[3] : byLevel[2] != 0 ? byLevel[2] : byLevel[1];
        }
        return Integer.compareUnsigned(extended, 0x80000006) >= 0 ? cpuid(engine, 0x80000006, 0).ecx() >>> 16 : 0;
    }

    /** The TSC's rate: its ticks over a short wait, against the JVM's monotonic clock. */
    private static long tscKhz(UnicornEngine engine) {
        // Once before, so that both timed reads run code already translated and take as long.
        rdtsc(engine);
        long start = rdtsc(engine);
        long startNanos = System.nanoTime();
        long endNanos;
        do {
            Thread.onSpinWait();
            endNanos = System.nanoTime();
        } while (endNanos - startNanos < CALIBRATION_NANOS);
        long ticks = rdtsc(engine) - start;
        endNanos = System.nanoTime();
        return ticks <= 0 ? 0 : ticks * 1_000_000L / (endNanos - startNanos);
    }

    private static long rdtsc(UnicornEngine engine) {
        run(engine, CODE + 16);
        return engine.reg(X86Reg.RDX) << 32 | (engine.reg(X86Reg.RAX) & 0xffffffffL);
    }

    private static Regs cpuid(UnicornEngine engine, int leaf, int subleaf) {
        engine.reg(X86Reg.RAX, Integer.toUnsignedLong(leaf));
        engine.reg(X86Reg.RCX, Integer.toUnsignedLong(subleaf));
        run(engine, CODE);
        return new Regs((int) engine.reg(X86Reg.RAX), (int) engine.reg(X86Reg.RBX), (int) engine.reg(X86Reg.RCX),
                (int) engine.reg(X86Reg.RDX));
    }

    private static void run(UnicornEngine engine, long at) {
        RunResult r = engine.run(at);
        if (r.kind() != RunResult.Kind.HALTED) {
            throw new IllegalStateException("CPUID probe ended with " + r.kind() + ": " + r.detail());
        }
    }

    private static String ascii(int... registers) {
        byte[] b = new byte[registers.length * 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (registers[i / 4] >>> (8 * (i % 4)));
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static Cpu probe() {
        try (Arena arena = Arena.ofConfined(); UnicornEngine engine = new UnicornEngine()) {
            MemorySegment page = arena.allocate(4096, 4096);
            MemorySegment.copy(PROBE, 0, page, JAVA_BYTE, 0, PROBE.length);
            engine.map(CODE, 4096, 5, page);
            try {
                return new Cpu(engine);
            } finally {
                engine.unmap(CODE, 4096);
            }
        }
    }

    /** The CPUs jlx reports: those the JVM may use, numbered from 0 (as sched_getaffinity says). */
    public static int count() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** /proc/cpuinfo: one block per CPU, all in one package of {@link #count()} cores. */
    static byte[] cpuinfo() {
        Cpu c = Probed.CPU;
        int cpus = count();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cpus; i++) {
            out.append("processor\t: ").append(i).append('\n');
            out.append("vendor_id\t: ").append(c.vendor).append('\n');
            out.append("cpu family\t: ").append(c.family).append('\n');
            out.append("model\t\t: ").append(c.model).append('\n');
            out.append("model name\t: ").append(c.modelName).append('\n');
            out.append("stepping\t: ").append(c.stepping).append('\n');
            if (c.tscKhz > 0) {
                out.append(String.format("cpu MHz\t\t: %d.%03d\n", c.tscKhz / 1000, c.tscKhz % 1000));
            }
            if (c.cacheKb > 0) {
                out.append("cache size\t: ").append(c.cacheKb).append(" KB\n");
            }
            out.append("physical id\t: 0\n");
            out.append("siblings\t: ").append(cpus).append('\n');
            out.append("core id\t\t: ").append(i).append('\n');
            out.append("cpu cores\t: ").append(cpus).append('\n');
            out.append("apicid\t\t: ").append(i).append('\n');
            out.append("initial apicid\t: ").append(i).append('\n');
            String fpu = c.flags.contains("fpu") ? "yes" : "no";
            out.append("fpu\t\t: ").append(fpu).append('\n');
            out.append("fpu_exception\t: ").append(fpu).append('\n');
            out.append("cpuid level\t: ").append(c.level).append('\n');
            out.append("wp\t\t: yes\n");
            out.append("flags\t\t:");
            c.flags.forEach(f -> out.append(' ').append(f));
            // The engine does not execute speculatively, so none of Linux's CPU bugs applies.
            out.append("\nbugs\t\t:\n");
            long loopsPerJiffy = c.tscKhz * 1000 / HZ;
            out.append(String.format("bogomips\t: %d.%02d\n", loopsPerJiffy / (500000 / HZ),
                    loopsPerJiffy / (5000 / HZ) % 100));
            out.append("clflush size\t: ").append(c.clflush).append('\n');
            out.append("cache_alignment\t: ").append(c.clflush).append('\n');
            out.append("address sizes\t: ").append(c.physicalBits).append(" bits physical, ").append(c.virtualBits)
                    .append(" bits virtual\n");
            out.append("power management:").append(c.power).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
