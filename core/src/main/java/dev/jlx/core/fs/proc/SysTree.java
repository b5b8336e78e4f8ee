package dev.jlx.core.fs.proc;

import dev.jlx.abi.Errno;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * The part of /sys that describes the CPUs (devices/system/cpu), consistent with /proc/cpuinfo
 * and sched_getaffinity: {@link Cpu#count()} CPUs, all online, each a core of its own in package 0;
 * and the one memory node (devices/system/node), node 0 with every CPU, as Mems_allowed and the
 * NUMA policy calls have it.
 * Names are listed in order; sysfs files show a size of one page, as kernfs attributes do.
 */
public final class SysTree {
    /** SYSFS_MAGIC of linux/magic.h. */
    public static final long MAGIC = 0x62656572L;
    private static final long ATTRIBUTE_SIZE = 4096;

    private final long mountedNanos;
    private final PseudoNode.Dir root;
    private long nextIno = 1;

    public SysTree() {
        Instant now = Instant.now();
        mountedNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        PseudoNode.Meta rootMeta = meta(0555);
        int cpus = Cpu.count();
        String all = Bitmaps.list(Bitmaps.first(cpus));
        SequencedMap<String, PseudoNode> cpuDir = new LinkedHashMap<>();
        for (int i = 0; i < cpus; i++) {
            cpuDir.put("cpu" + i, dir(topology(i, cpus)));
        }
        cpuDir.put("online", file(all));
        cpuDir.put("possible", file(all));
        cpuDir.put("present", file(all));
        SequencedMap<String, PseudoNode> system = new LinkedHashMap<>();
        system.put("cpu", dir(cpuDir));
        SequencedMap<String, PseudoNode> node0 = new LinkedHashMap<>();
        node0.put("cpulist", file(all));
        node0.put("cpumap", file(Bitmaps.hex(Bitmaps.first(cpus), cpus)));
        // LOCAL_DISTANCE: the only distance there is.
        node0.put("distance", file("10"));
        SequencedMap<String, PseudoNode> nodeDir = new LinkedHashMap<>();
        for (String state : new String[] {"possible", "online", "has_normal_memory", "has_memory", "has_cpu"}) {
            nodeDir.put(state, file("0"));
        }
        nodeDir.put("node0", dir(node0));
        system.put("node", dir(nodeDir));
        SequencedMap<String, PseudoNode> devices = new LinkedHashMap<>();
        devices.put("system", dir(system));
        SequencedMap<String, PseudoNode> top = new LinkedHashMap<>();
        top.put("devices", dir(devices));
        root = new PseudoNode.Dir(rootMeta, () -> top);
    }

    /** cpuN/topology: its own core, alone in it, in the one package and die that hold every CPU. */
    private SequencedMap<String, PseudoNode> topology(int cpu, int cpus) {
        BitSet self = Bitmaps.only(cpu);
        BitSet all = Bitmaps.first(cpus);
        SequencedMap<String, PseudoNode> t = new LinkedHashMap<>();
        t.put("core_cpus", file(Bitmaps.hex(self, cpus)));
        t.put("core_cpus_list", file(Bitmaps.list(self)));
        t.put("core_id", file(Integer.toString(cpu)));
        t.put("core_siblings", file(Bitmaps.hex(all, cpus)));
        t.put("core_siblings_list", file(Bitmaps.list(all)));
        t.put("die_cpus", file(Bitmaps.hex(all, cpus)));
        t.put("die_cpus_list", file(Bitmaps.list(all)));
        t.put("die_id", file("0"));
        t.put("package_cpus", file(Bitmaps.hex(all, cpus)));
        t.put("package_cpus_list", file(Bitmaps.list(all)));
        t.put("physical_package_id", file("0"));
        t.put("thread_siblings", file(Bitmaps.hex(self, cpus)));
        t.put("thread_siblings_list", file(Bitmaps.list(self)));
        SequencedMap<String, PseudoNode> cpuEntries = new LinkedHashMap<>();
        cpuEntries.put("topology", dir(t));
        return cpuEntries;
    }

    private PseudoNode.Meta meta(int perm) {
        return new PseudoNode.Meta(nextIno++, perm, 0, 0, mountedNanos);
    }

    private PseudoNode.Dir dir(SequencedMap<String, PseudoNode> entries) {
        return new PseudoNode.Dir(meta(0755), () -> entries);
    }

    /** A read-only attribute: kernfs refuses to open it for writing, even for root (EACCES). */
    private PseudoNode.File file(String value) {
        byte[] bytes = (value + "\n").getBytes(StandardCharsets.US_ASCII);
        return new PseudoNode.File(meta(0444), ATTRIBUTE_SIZE, () -> bytes, null, Errno.EACCES);
    }

    public PseudoNode.Dir root() {
        return root;
    }
}
