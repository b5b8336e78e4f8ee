package dev.jlx.core.fs.proc;

import dev.jlx.abi.Mman;
import dev.jlx.core.ByteString;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.MemoryPolicy;
import dev.jlx.core.mem.Vma;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A process's mappings as /proc/PID/maps and smaps show them, and the totals status, statm and
 * stat derive from them. Files are named by their guest path with their offset; device and inode
 * are not kept by jlx's VMAs, so they read 00:00 0, as an anonymous mapping's do. The pages the
 * host holds (mincore) are the resident set.
 */
final class MemoryMap {
    private static final long PAGE = AddressSpace.PAGE;
    /** The mmap flags that become VMA flags, which must match for two VMAs to merge; the rest only guide mmap. */
    private static final int VMA_FLAGS = Mman.MAP_TYPE | Mman.MAP_GROWSDOWN | Mman.MAP_NORESERVE | Mman.MAP_LOCKED
            | dev.jlx.core.mem.AddressSpace.SEALED;

    private MemoryMap() {}

    /** One line of maps: a range with one protection, and how many of its pages the host holds. */
    record Region(long start, long end, int prot, int flags, ByteString name, long offset, long resident,
            MemoryPolicy policy) {
        long size() {
            return end - start;
        }

        boolean shared() {
            return (flags & Mman.MAP_TYPE) != Mman.MAP_PRIVATE;
        }

        boolean stack() {
            return (flags & Mman.MAP_GROWSDOWN) != 0;
        }

        boolean writable() {
            return (prot & Mman.PROT_WRITE) != 0;
        }

        boolean locked() {
            return (flags & Mman.MAP_LOCKED) != 0;
        }

        /** Not a file's: no name, or a bracketed one ([heap], [stack]). */
        boolean anonymous() {
            return name == null || name.startsWith((byte) '[');
        }
    }

    /**
     * The VMAs, lowest first, with equal neighbours merged as Linux's vma_merge would have (jlx's heap
     * grows by one VMA per brk): anonymous ones, and a file's at contiguous offsets. A range without
     * access has no host memory to ask about.
     */
    static List<Region> regions(GuestProcess p) {
        List<Region> out = new ArrayList<>();
        for (Vma v : List.copyOf(p.space().vmas())) {
            long resident = v.prot() == Mman.PROT_NONE ? 0 : p.space().residentBytes(v) / PAGE;
            Region r = new Region(v.start(), v.end(), v.prot(), v.flags(), v.name(), v.fileOffset(), resident,
                    v.policy());
            Region last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.end == r.start && last.prot == r.prot
                    && (last.flags & VMA_FLAGS) == (r.flags & VMA_FLAGS) && Objects.equals(last.name, r.name)
                    && Objects.equals(last.policy, r.policy)
                    && (r.anonymous() || last.offset + last.size() == r.offset)) {
                out.set(out.size() - 1, new Region(last.start, r.end, r.prot, r.flags, r.name, last.offset,
                        last.resident + r.resident, r.policy));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** One maps line, as show_map_vma prints it: the name starts at column 73. */
    private static void line(StringBuilder out, Region r) {
        int begin = out.length();
        out.append(String.format("%08x-%08x %c%c%c%c %08x %02x:%02x %d ", r.start, r.end,
                (r.prot & Mman.PROT_READ) != 0 ? 'r' : '-', r.writable() ? 'w' : '-',
                (r.prot & Mman.PROT_EXEC) != 0 ? 'x' : '-', r.shared() ? 's' : 'p', r.offset, 0, 0, 0));
        if (r.name != null) {
            out.repeat(' ', Math.max(0, 72 - (out.length() - begin))).append(' ');
            // A file's path is escaped as seq_file_path does: only the newline, in octal. The name's bytes
            // go out as they are (one char each here, see maps()).
            out.append(r.anonymous() ? r.name.latin1() : r.name.latin1().replace("\n", "\\012"));
        }
        out.append('\n');
    }

    static byte[] maps(List<Region> regions) {
        StringBuilder out = new StringBuilder();
        for (Region r : regions) {
            line(out, r);
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * smaps: every page the host holds counts as the process's own and dirty, since jlx's guest
     * memory is anonymous host memory filled at mmap time (shared file mappings excepted, whose
     * pages are the file's and clean as far as jlx knows). jlx has no huge pages or swap; a locked
     * mapping's resident pages are Locked.
     */
    static byte[] smaps(List<Region> regions) {
        StringBuilder out = new StringBuilder();
        for (Region r : regions) {
            line(out, r);
            long rss = r.resident * PAGE;
            long dirty = r.shared() ? 0 : rss;
            kb(out, "Size:", r.size());
            kb(out, "KernelPageSize:", PAGE);
            kb(out, "MMUPageSize:", PAGE);
            kb(out, "Rss:", rss);
            kb(out, "Pss:", rss);
            kb(out, "Pss_Dirty:", dirty);
            kb(out, "Shared_Clean:", 0);
            kb(out, "Shared_Dirty:", 0);
            kb(out, "Private_Clean:", rss - dirty);
            kb(out, "Private_Dirty:", dirty);
            kb(out, "Referenced:", rss);
            kb(out, "Anonymous:", r.shared() ? 0 : rss);
            for (String none : new String[] {"LazyFree:", "AnonHugePages:", "ShmemPmdMapped:", "FilePmdMapped:",
                "Shared_Hugetlb:", "Private_Hugetlb:", "Swap:", "SwapPss:"}) {
                kb(out, none, 0);
            }
            kb(out, "Locked:", r.locked() ? rss : 0);
            out.append(String.format("%-16s%8d\n", "THPeligible:", 0));
            out.append("VmFlags: ").append(vmFlags(r)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void kb(StringBuilder out, String label, long bytes) {
        out.append(String.format("%-16s%8d kB\n", label, bytes >> 10));
    }

    /**
     * The VmFlags mnemonics in their bit order. A private mapping may always become readable,
     * writable and executable (mr mw me); one that is writable is charged to the commit limit (ac).
     */
    private static String vmFlags(Region r) {
        StringBuilder f = new StringBuilder();
        if ((r.prot & Mman.PROT_READ) != 0) {
            f.append("rd ");
        }
        if (r.writable()) {
            f.append("wr ");
        }
        if ((r.prot & Mman.PROT_EXEC) != 0) {
            f.append("ex ");
        }
        if (r.shared()) {
            f.append("sh ");
        }
        f.append("mr mw me ");
        if (r.shared()) {
            f.append("ms ");
        }
        if (r.stack()) {
            f.append("gd ");
        }
        if (r.locked()) {
            f.append("lo ");
        }
        if (!r.shared() && (r.writable() || r.stack())) {
            f.append("ac ");
        }
        if ((r.flags & Mman.MAP_NORESERVE) != 0) {
            f.append("nr ");
        }
        if ((r.flags & dev.jlx.core.mem.AddressSpace.SEALED) != 0) {
            f.append("sl ");
        }
        return f.toString();
    }

    /**
     * The sizes status, statm and stat report, in bytes, as Linux's mm counters count them: data is
     * private writable memory outside the stack, exec is executable memory that is not writable,
     * text the executable's own code within it.
     */
    record Usage(long size, long resident, long residentFile, long residentShmem, long data, long stack, long exec,
            long text) {
        long residentAnon() {
            return resident - residentFile - residentShmem;
        }

        long lib() {
            return exec - text;
        }
    }

    static Usage usage(List<Region> regions, GuestProcess.ExecImage image) {
        long size = 0;
        long resident = 0;
        long file = 0;
        long shmem = 0;
        long data = 0;
        long stack = 0;
        long exec = 0;
        for (Region r : regions) {
            size += r.size();
            long bytes = r.resident * PAGE;
            resident += bytes;
            if (r.shared()) {
                if (r.name == null) {
                    shmem += bytes;
                } else {
                    file += bytes;
                }
            }
            if (r.stack()) {
                stack += r.size();
            } else if (r.writable() && !r.shared()) {
                data += r.size();
            } else if ((r.prot & Mman.PROT_EXEC) != 0 && !r.writable()) {
                exec += r.size();
            }
        }
        long text = image == null ? 0
                : Math.min(exec, AddressSpace.pageUp(image.endCode()) - AddressSpace.pageDown(image.startCode()));
        return new Usage(size, resident, file, shmem, data, stack, exec, text);
    }
}
