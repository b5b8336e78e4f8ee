package dev.jlx.core.mem;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Mman;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.host.HostMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A guest process's virtual memory, analogous to Linux's {@code struct mm_struct}: the VMAs, the
 * program break and mmap placement. It is the source of truth; every engine that runs this address
 * space gets each change. Guest pages are host pages jlx owns ({@link HostMemory}), mapped into the
 * engine with their real protection, so Java reads and writes them directly. A PROT_NONE range is
 * no region of the engines at all (an access there is unmapped to them; the fault path and
 * {@link GuestMemory} look here and answer as Linux for a PROT_NONE page): guard pages and large
 * reservations then cost the engines nothing, and an mprotect from or to PROT_NONE maps or unmaps
 * the same host memory, which keeps the contents.
 *
 * <p>Changing the engines' regions is what costs in mmap and munmap (each map or unmap rebuilds an
 * engine's view of all its regions, and a private page's host memory is mapped and unmapped with it),
 * and allocators such as musl's unmap a small mapping only to map the same range again soon. So
 * munmap of a whole small private mapping without code <em>retires</em> it instead: its range leaves
 * the VMAs (it is unmapped for the guest, the syscalls and /proc) but stays in the engines, hidden
 * there ({@link CpuEngine#hide}: every access faults, and a fault where no VMA is reads SEGV_MAPERR),
 * with its host memory. An mmap of exactly that range takes it back, zeroed; any other change there
 * unmaps it for good first, as do fork and exec; an engine attached later maps it hidden too.
 *
 * <p>Layout follows Linux x86-64 without address randomization: stack below 0x7ffffffff000,
 * mmap top-down from below the stack gap, heap right after the executable.
 */
public final class AddressSpace implements CpuEngine.Code {
    public static final long PAGE = 4096;
    private static final ByteString HEAP = ByteString.of("[heap]");
    /** TASK_SIZE for 4-level paging: the first non-canonical user address, less one guard page. */
    public static final long TASK_SIZE = 0x7ffffffff000L;
    /** The lowest address mmap hands out without MAP_FIXED (vm.mmap_min_addr). */
    static final long MMAP_MIN = 0x10000;
    /**
     * The most VMAs an address space holds: Linux's vm.max_map_count. Beyond it, beyond
     * {@link #MAX_REGIONS} or beyond {@link #allVmasMax}, mmap, mprotect, munmap, mremap and brk
     * fail as Linux's do beyond its limit.
     */
    static final int MAX_MAP_COUNT = 65530;
    /**
     * The most VMAs that are regions of the engines (those not PROT_NONE). Unicorn holds at most 4,095
     * regions (measured: one more and qemu's phys_section_add fails an assertion, which aborts the
     * JVM); the rest is a margin.
     */
    static final int MAX_REGIONS = 4000;
    /**
     * The host mappings left to the JVM itself (its heap, code, thread stacks, the engines' buffers):
     * when the host refuses it one, the JVM aborts.
     */
    static final int HOST_RESERVE = 8192;
    /** The most ranges retired at once (each one more region of the engines), and the largest one. */
    static final int RETIRED_MAX = 8;
    static final long RETIRE_MAX_BYTES = 64 << 10;
    /**
     * The most VMAs of all address spaces in this JVM together: each may hold a host mapping of its
     * own, and the host may limit the JVM's (Linux: to vm.max_map_count).
     */
    private final int allVmasMax;
    private static final AtomicInteger ALL_VMAS = new AtomicInteger();
    private final HostMemory hostMemory;

    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /** Ranges munmap retired (see above), oldest first: no VMA overlaps one. */
    private final List<Vma> retired = new ArrayList<>(RETIRED_MAX);
    /** How many of {@link #vmas} are regions of the engines ({@link Vma#inEngines}). */
    private int regions;
    private final List<CpuEngine> engines = new ArrayList<>();
    private long mmapBase = 0x7ffff7fff000L;
    private long brkStart;
    private long brk;
    /** mlockall(MCL_FUTURE): new mappings are locked; not inherited by fork, gone with execve's new space. */
    private boolean lockFuture;
    private boolean lockFutureOnFault;
    /**
     * Whether pkey_alloc has taken protection key 0 into the mm's allocation map: on a CPU without
     * PKU Linux takes it, then fails to set its rights (EINVAL) and keeps it, so later calls find
     * no key (ENOSPC). Copied by fork, as the mm's context is.
     */
    private final java.util.concurrent.atomic.AtomicBoolean pkeyTaken = new java.util.concurrent.atomic.AtomicBoolean();
    /** membarrier's registrations (its REGISTER_* command bits), Linux's mm->membarrier_state: gone with execve. */
    private final java.util.concurrent.atomic.AtomicInteger membarrierRegistrations =
            new java.util.concurrent.atomic.AtomicInteger();
    /** The largest resident size {@link #peakResidentBytes} has seen. */
    private long peakResident;
    private Vma lastHit;
    /** Set once destroyed: a later detach has nothing left to unmap. */
    private boolean destroyed;
    /**
     * The memory file this space's private pages live in, mapped shared, when only this space uses
     * it; null after fork froze it, and on hosts without memory files (then pages are plain).
     */
    private MemoryFile own;
    /** The memory file fork froze, which this space maps privately (with pages of its own on top), or null. */
    private MemoryFile frozen;
    private final GuestMemory memory = new GuestMemory(this);
    private final RunToken runToken = new RunToken();

    /** An empty address space whose pages are {@code hostMemory}'s. */
    public AddressSpace(HostMemory hostMemory) {
        this.hostMemory = hostMemory;
        this.allVmasMax = (int) Math.max(Math.min((long) hostMemory.mappingLimit() - HOST_RESERVE, Integer.MAX_VALUE),
                MAX_REGIONS);
    }

    public GuestMemory memory() {
        return memory;
    }

    /** The turn-taking of the engines that run this address space. */
    public RunToken runToken() {
        return runToken;
    }

    /** Makes {@code engine} run this address space: it gets every current and future mapping. */
    public synchronized void attach(CpuEngine engine) {
        engines.add(engine);
        for (Vma v : vmas.values()) {
            if (v.inEngines()) {
                engine.map(v.start, v.end - v.start, v.prot, v.host);
            }
        }
        // Only this engine is touched: the others may be running (a thread that starts or ends
        // does not hold the run token), so the retired ranges come along, hidden, as in them.
        for (Vma r : retired) {
            engine.map(r.start, r.end - r.start, Mman.PROT_NONE, r.host);
        }
    }

    /**
     * Maps the executable mappings that overlap [from, to) into {@code engine}, read and execute
     * only, for it to look at code without running this space; the returned action unmaps them.
     */
    @Override
    public synchronized Runnable map(CpuEngine engine, long from, long to) {
        List<Vma> code = new ArrayList<>();
        for (Vma v : vmas.values()) {
            if (v.end > from && v.start < to && (v.prot & Mman.PROT_EXEC) != 0) {
                engine.map(v.start, v.end - v.start, Mman.PROT_READ | Mman.PROT_EXEC, v.host);
                code.add(v);
            }
        }
        return () -> {
            for (Vma v : code) {
                engine.unmap(v.start, v.end - v.start);
            }
        };
    }

    /** Up to {@code length} bytes of this space's memory at {@code address}; none where it is not readable. */
    @Override
    public byte[] read(long address, int length) {
        try {
            return memory().read(address, length);
        } catch (ErrnoException e) {
            return new byte[0];
        }
    }

    /** {@code engine} no longer runs this address space: its mappings go from the engine. */
    public synchronized void detach(CpuEngine engine) {
        if (engines.remove(engine) && !destroyed) {
            for (Vma v : vmas.values()) {
                if (v.inEngines()) {
                    engine.unmap(v.start, v.end - v.start);
                }
            }
            for (Vma r : retired) {
                engine.unmap(r.start, r.end - r.start);
            }
        }
    }

    /** Where mmap's top-down search starts (below the stack and its gap). */
    public synchronized void setMmapBase(long base) {
        this.mmapBase = base;
    }

    /** The mappings now, lowest first (a copy: other threads may change the address space). */
    public synchronized Collection<Vma> vmas() {
        return List.copyOf(vmas.values());
    }

    /** Whether a VMA holds {@code address}, whatever its protection (a fault there is SEGV_ACCERR). */
    public boolean isMapped(long address) {
        return find(address) != null;
    }

    /** The VMA holding {@code address}, or null. */
    public Vma vmaAt(long address) {
        return find(address);
    }

    synchronized Vma find(long address) {
        Vma hit = lastHit;
        if (hit != null && address >= hit.start && address < hit.end) {
            return hit;
        }
        Map.Entry<Long, Vma> e = vmas.floorEntry(address);
        if (e == null || address >= e.getValue().end) {
            return null;
        }
        lastHit = e.getValue();
        return lastHit;
    }

    /**
     * The key of the futex word at {@code address}, as Linux's get_futex_key: a private futex's is
     * this space and the address, unchecked; a shared one in a MAP_SHARED mapping is the file and
     * offset mapped there, or for shared anonymous memory (which fork hands on at the same host
     * address) that memory and the host address, so other processes meet it; elsewhere it is
     * private. EFAULT when a shared futex's address is not mapped.
     */
    public synchronized FutexKey futexKey(long address, boolean shared) throws ErrnoException {
        if (!shared) {
            return new FutexKey(this, address);
        }
        Vma v = find(address);
        if (v == null) {
            throw new ErrnoException(Errno.EFAULT);
        }
        if (v.sharedHost == null) {
            return new FutexKey(this, address);
        }
        long host = v.host.address() + (address - v.start);
        FutexKey file = SharedFiles.futexKey(host);
        return file != null ? file : new FutexKey(v.sharedHost, host);
    }

    /**
     * mmap of anonymous memory with Linux placement and errors. {@code hint} is used when free;
     * with {@code fixed} the range replaces whatever was there; with {@code noReplace} an occupied
     * range is EEXIST.
     */
    public synchronized long map(long hint, long length, int prot, int flags, ByteString name) throws ErrnoException {
        return map(hint, length, prot, flags, name, null, ALL_PROT, 0);
    }

    public static final int ALL_PROT = Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC;

    /**
     * mmap of a file: as {@link #map}, with {@code fileOffset} for /proc/PID/maps and, when
     * {@code host} is not null, that shared mapping of the file (of the page-rounded length) as the
     * VMA's bytes, mprotect limited to {@code maxProt}. The mapping is closed when no address space
     * maps any of it any more.
     */
    public synchronized long map(long hint, long length, int prot, int flags, ByteString name, HostMapping host,
            int maxProt, long fileOffset) throws ErrnoException {
        if (length == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // An unsigned length that rounds past the address space (SIZE_MAX) is ENOMEM, as do_mmap's.
        long len = pageUp(length);
        if (len <= 0 || len > TASK_SIZE) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        boolean fixed = (flags & Mman.MAP_FIXED) != 0;
        boolean noReplace = (flags & Mman.MAP_FIXED_NOREPLACE) != 0;
        long start;
        if (fixed || noReplace) {
            if ((hint & (PAGE - 1)) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (hint + len > TASK_SIZE || hint + len < hint) {
                throw new ErrnoException(Errno.ENOMEM);
            }
            if (noReplace && !isFree(hint, hint + len)) {
                throw new ErrnoException(Errno.EEXIST);
            }
            start = hint;
            // Checked before the old mappings go, as Linux's do_mmap checks map_count first.
            ensureRoom(start, start + len, 1, prot);
            checkUnsealed(start, start + len);
            unmapRange(start, start + len);
        } else {
            long h = pageDown(hint);
            start = h >= MMAP_MIN && h + len <= TASK_SIZE && isFree(h, h + len) ? h : findGap(len);
        }
        insert(start, len, prot, flags, name, host == null ? null : new SharedHost(host), maxProt, fileOffset);
        return start;
    }

    /**
     * shmat(2)'s mapping of a System V segment's memory, MAP_SHARED: at {@code address} when not 0
     * (replacing what is there with {@code replace}, else EINVAL when anything is), else where mmap
     * would put it; named {@code name} for /proc/PID/maps, mprotect limited to {@code maxProt}.
     */
    public synchronized long attachShared(long address, int prot, boolean replace, ByteString name, SharedHost shared,
            int maxProt) throws ErrnoException {
        long len = shared.size();
        long start;
        if (address != 0) {
            if (!replace && (address + len < address || !isFree(address, address + len))) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (address + len > TASK_SIZE || address + len < address) {
                throw new ErrnoException(Errno.ENOMEM);
            }
            ensureRoom(address, address + len, 1, prot);
            checkUnsealed(address, address + len);
            unmapRange(address, address + len);
            start = address;
        } else {
            start = findGap(len);
        }
        if (!references(shared)) {
            shared.share();
        }
        try {
            insert(start, len, prot, Mman.MAP_SHARED, name, shared, maxProt, 0);
        } catch (ErrnoException e) {
            if (!references(shared)) {
                shared.release();
            }
            throw e;
        }
        return start;
    }

    /**
     * shmdt(2): unmaps the System V attachment that starts at {@code address} (the first mapping of a
     * segment from there whose offset in the segment is its distance from {@code address}: a piece
     * mprotect or munmap left counts), then the further pieces of that attachment within the segment's
     * size. EINVAL when there is none.
     */
    public synchronized void detachShared(long address) throws ErrnoException {
        if ((address & (PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        SharedHost found = null;
        for (Vma v : List.copyOf(vmas.tailMap(address, true).values())) {
            boolean piece = v.sharedHost != null && v.sharedHost.attachments != null
                    && v.start - address == v.fileOffset;
            if (found == null && piece) {
                found = v.sharedHost;
                unmapRange(v.start, v.end);
            } else if (found != null) {
                if (v.end - address > found.size()) {
                    break;
                }
                if (piece && v.sharedHost == found) {
                    unmapRange(v.start, v.end);
                }
            }
        }
        if (found == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    private void insert(long start, long len, int prot, int flags, ByteString name) throws ErrnoException {
        insert(start, len, prot, flags, name, null, ALL_PROT, 0);
    }

    private void insert(long start, long len, int prot, int flags, ByteString name, SharedHost given, int maxProt,
            long fileOffset) throws ErrnoException {
        // Shared anonymous memory is one host allocation that fork hands on (SharedHost), never in the file.
        boolean shared = (flags & Mman.MAP_SHARED_VALIDATE) != Mman.MAP_PRIVATE;
        flags &= ~SEALED;
        if (lockFuture) {
            flags |= Mman.MAP_LOCKED;
        }
        ensureRoom(0, 0, 1, prot);
        Vma reused = given == null && !shared && Vma.inEngines(prot) ? takeRetired(start, start + len) : null;
        if (reused == null) {
            dropRetired(start, start + len);
        }
        Vma v;
        if (reused != null) {
            // New anonymous memory reads as zero; a small range is quicker to clear than to map anew.
            reused.host.fill((byte) 0);
            v = new Vma(start, start + len, prot, flags, name, reused.host, maxProt, fileOffset, null,
                    reused.memoryFile, reused.owned);
        } else if (given != null || shared) {
            SharedHost sharedHost = given != null ? given : SharedHost.allocate(hostMemory, len);
            if (sharedHost == null) {
                throw new ErrnoException(Errno.ENOMEM);
            }
            v = new Vma(start, start + len, prot, flags, name, sharedHost.memory(), maxProt, fileOffset, sharedHost,
                    null, false);
            if ((maxProt & Mman.PROT_WRITE) != 0) {
                runToken.join(RunToken.SHARED_MEMORY);
            }
        } else {
            // Private PROT_NONE pages get host memory only when they become accessible: a reservation costs none.
            v = new Vma(start, start + len, prot, flags, name, null, maxProt, fileOffset, null, null, false);
            if (v.inEngines()) {
                v = withHost(v, prot);
            }
        }
        put(v);
        if (v.inEngines()) {
            for (CpuEngine e : engines) {
                if (reused != null) {
                    e.protect(start, len, prot);
                } else {
                    e.map(start, len, prot, v.host);
                }
            }
        }
    }

    /**
     * {@code v}, private pages without host memory (PROT_NONE since they were mapped), with new
     * zeroed host memory and protection {@code prot}: in this space's page file where it has one.
     */
    private Vma withHost(Vma v, int prot) throws ErrnoException {
        long len = v.end - v.start;
        if (own == null && frozen == null) {
            own = MemoryFile.create(hostMemory);
        }
        // Since fork froze this space's file, new pages are plain ones until the next fork takes them in.
        MemorySegment host = own != null ? own.pages.map(v.start, len, true) : hostMemory.allocate(len);
        if (host == null) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        return new Vma(v.start, v.end, prot, v.flags, v.name, host, v.maxProt, v.fileOffset, null, own, own != null,
                v.policy);
    }

    /** Top-down first fit below the mmap base, as Linux's default allocator. */
    private long findGap(long len) throws ErrnoException {
        long top = mmapBase;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start >= top) {
                continue;
            }
            if (v.end <= top - len) {
                return top - len;
            }
            top = v.start;
        }
        if (top - len >= MMAP_MIN) {
            return top - len;
        }
        throw new ErrnoException(Errno.ENOMEM);
    }

    /**
     * ENOMEM unless the VMAs and the engines' regions stay within {@link #MAX_MAP_COUNT},
     * {@link #MAX_REGIONS} and {@link #allVmasMax} once [start, end) is cut out of the VMAs it overlaps (an empty range cuts
     * nothing) and {@code added} VMAs of protection {@code prot} are put in.
     */
    private void ensureRoom(long start, long end, int added, int prot) throws ErrnoException {
        int moreVmas = added;
        int moreRegions = Vma.inEngines(prot) ? added : 0;
        if (start < end) {
            for (Vma v : overlapping(start, end)) {
                // A VMA cut in its middle leaves two pieces, one cut at an end one, one inside none.
                int change = (v.start < start ? 1 : 0) + (v.end > end ? 1 : 0) - 1;
                moreVmas += change;
                moreRegions += v.inEngines() ? change : 0;
            }
        }
        if (!fits(moreVmas, moreRegions) && !retired.isEmpty()) {
            dropRetired();
        }
        if (!fits(moreVmas, moreRegions)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
    }

    /** Whether the limits hold with {@code moreVmas} VMAs and {@code moreRegions} regions more (retired ranges are both). */
    private boolean fits(int moreVmas, int moreRegions) {
        return vmas.size() + moreVmas <= MAX_MAP_COUNT && regions + retired.size() + moreRegions <= MAX_REGIONS
                && ALL_VMAS.get() + moreVmas <= allVmasMax;
    }

    /** Puts {@code v} in the map (in place of one at its start), counting the engines' regions. */
    private void put(Vma v) {
        Vma old = vmas.put(v.start, v);
        // The one replaced may be the cached hit (a VMA given a policy in place).
        lastHit = null;
        regions += (v.inEngines() ? 1 : 0) - (old != null && old.inEngines() ? 1 : 0);
        // The new one is counted before the old goes, so that a split never takes a count through 0.
        counted(v, 1);
        if (old == null) {
            ALL_VMAS.incrementAndGet();
        } else {
            counted(old, -1);
        }
    }

    private void remove(Vma v) {
        vmas.remove(v.start);
        regions -= v.inEngines() ? 1 : 0;
        ALL_VMAS.decrementAndGet();
        counted(v, -1);
    }

    /** Tells the holder of {@code v}'s shared memory that a VMA maps it, or no longer does (Linux's vm_ops open and close). */
    private static void counted(Vma v, int delta) {
        if (v.sharedHost != null && v.sharedHost.attachments != null) {
            v.sharedHost.attachments.changed(delta);
        }
    }

    /** The most VMAs all address spaces of this JVM may hold together, as this space's host memory allows. */
    int allVmasMax() {
        return allVmasMax;
    }

    /** The VMAs of all address spaces in this JVM. */
    static int allVmas() {
        return ALL_VMAS.get();
    }

    private boolean isFree(long start, long end) {
        Map.Entry<Long, Vma> below = vmas.lowerEntry(end);
        return below == null || below.getValue().end <= start;
    }

    /** munmap(2): a range that is partly or not at all mapped is fine. */
    public synchronized void unmap(long address, long length) throws ErrnoException {
        if ((address & (PAGE - 1)) != 0 || length <= 0 || address + length > TASK_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        checkUnsealed(address, address + pageUp(length));
        ensureRoom(address, address + pageUp(length), 0, 0);
        unmapRange(address, address + pageUp(length));
    }

    private void unmapRange(long start, long end) {
        for (Vma v : overlapping(start, end)) {
            long from = Math.max(start, v.start);
            long to = Math.min(end, v.end);
            keepOutside(v, from, to);
            if (from == v.start && to == v.end && retirable(v)) {
                retire(v);
                continue;
            }
            if (v.inEngines()) {
                for (CpuEngine e : engines) {
                    e.unmap(from, to - from);
                }
            }
            if (v.sharedHost == null) {
                if (v.host != null) {
                    hostMemory.free(v.host.asSlice(from - v.start, to - from));
                }
                if (v.owned) {
                    own.pages.punch(from, to - from);
                }
            } else if (!references(v.sharedHost)) {
                v.sharedHost.release();
            }
        }
        lastHit = null;
    }

    /** Whether munmap of all of {@code v} may retire it (see the class comment). */
    private boolean retirable(Vma v) {
        return !destroyed && v.sharedHost == null && v.host != null && v.inEngines()
                && (v.prot & Mman.PROT_EXEC) == 0 && v.end - v.start <= RETIRE_MAX_BYTES;
    }

    /** Retires {@code v}, already out of the VMAs: hidden in the engines, its host memory kept. */
    private void retire(Vma v) {
        if (retired.size() == RETIRED_MAX) {
            drop(retired.removeFirst());
        }
        for (CpuEngine e : engines) {
            e.hide(v.start, v.end - v.start);
        }
        retired.add(v);
        // Still a host mapping, counted as VMAs are.
        ALL_VMAS.incrementAndGet();
    }

    /** Takes back the retired range that is exactly [start, end), or null. */
    private Vma takeRetired(long start, long end) {
        for (int i = 0; i < retired.size(); i++) {
            Vma r = retired.get(i);
            if (r.start == start && r.end == end) {
                ALL_VMAS.decrementAndGet();
                return retired.remove(i);
            }
        }
        return null;
    }

    /** Unmaps for good the retired ranges that overlap [start, end). */
    private void dropRetired(long start, long end) {
        for (int i = retired.size() - 1; i >= 0; i--) {
            Vma r = retired.get(i);
            if (r.start < end && start < r.end) {
                drop(retired.remove(i));
            }
        }
    }

    /** Unmaps every retired range for good. */
    private void dropRetired() {
        while (!retired.isEmpty()) {
            drop(retired.removeLast());
        }
    }

    /** Unmaps retired range {@code r} (no longer in {@link #retired}) from the engines and gives its memory back. */
    private void drop(Vma r) {
        long len = r.end - r.start;
        for (CpuEngine e : engines) {
            e.unmap(r.start, len);
        }
        hostMemory.free(r.host);
        if (r.owned) {
            own.pages.punch(r.start, len);
        }
        ALL_VMAS.decrementAndGet();
    }

    private boolean references(SharedHost shared) {
        for (Vma v : vmas.values()) {
            if (v.sharedHost == shared) {
                return true;
            }
        }
        return false;
    }

    /** Removes [from, to) from VMA {@code v}, keeping the parts of it below and above (a split). */
    private void keepOutside(Vma v, long from, long to) {
        keepOutside(v, from, to, null);
    }

    /**
     * As {@link #keepOutside(Vma, long, long)}, with {@code middle} (when not null) put in for [from, to).
     * The pieces go in before the whole goes (one of them in its place), as Linux's split opens the
     * new VMA first: a System V segment's attach count never passes through 0 meanwhile.
     */
    private void keepOutside(Vma v, long from, long to, Vma middle) {
        if (to < v.end) {
            put(v.slice(to, v.end, v.prot));
        }
        if (v.start < from) {
            put(v.slice(v.start, from, v.prot));
            if (middle != null) {
                put(middle);
            }
        } else if (middle != null) {
            put(middle);
        } else {
            remove(v);
        }
    }

    private List<Vma> overlapping(long start, long end) {
        List<Vma> out = new ArrayList<>();
        Map.Entry<Long, Vma> first = vmas.lowerEntry(start);
        if (first != null && first.getValue().end > start) {
            out.add(first.getValue());
        }
        out.addAll(vmas.subMap(start, true, end, false).values());
        return out;
    }

    /** The {@link Vma#flags} bit (no MAP_* flag of x86-64 uses it) of a VMA mseal sealed: Linux's VM_SEALED. */
    public static final int SEALED = 0x2000000;

    /**
     * mseal(2) of [start, end), whole pages: ENOMEM when a page of it is unmapped, else its VMAs (split
     * at the ends) are sealed for good: mprotect, munmap, mremap and mmap MAP_FIXED over them are
     * EPERM, and so are madvise's discarding advice on read-only private anonymous ones.
     */
    public synchronized void seal(long start, long end) throws ErrnoException {
        if (Long.compareUnsigned(end, TASK_SIZE) > 0 || !isFullyMapped(start, end)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        List<Vma> affected = overlapping(start, end);
        affected.removeIf(v -> (v.flags & SEALED) != 0);
        int added = 0;
        for (Vma v : affected) {
            added += (v.start < start ? 1 : 0) + (v.end > end ? 1 : 0);
        }
        if (!fits(added, added)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        for (Vma v : affected) {
            long from = Math.max(start, v.start);
            long to = Math.min(end, v.end);
            keepOutside(v, from, to, v.slice(from, to, v.prot).withFlags(v.flags | SEALED));
        }
        lastHit = null;
    }

    /** EPERM when a VMA in [start, end) is sealed (Linux's can_modify_vma). */
    private void checkUnsealed(long start, long end) throws ErrnoException {
        for (Vma v : overlapping(start, end)) {
            if ((v.flags & SEALED) != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
    }

    /**
     * remap_file_pages(2) as Linux emulates it since 3.16 (an mmap MAP_FIXED of the same file): the
     * pages [start, start + size), which must lie in MAP_SHARED mappings of one object with one
     * protection and no hole (EINVAL otherwise), now map that object's pages from page {@code pgoff}.
     * The new pages must lie within the host memory the mapping was made over (the part of the file
     * mmap mapped, or the whole shared anonymous memory): others are EINVAL, as jlx keeps no handle
     * on the file to map more of it.
     */
    public synchronized void remapPages(long start, long size, long pgoff) throws ErrnoException {
        Vma v = find(start);
        if (v == null || !v.shared() || v.sharedHost == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long end = start + size;
        for (long at = v.end; at < end;) {
            Vma next = find(at);
            if (next == null || next.sharedHost != v.sharedHost || next.flags != v.flags || next.prot != v.prot) {
                throw new ErrnoException(Errno.EINVAL);
            }
            at = next.end;
        }
        SharedHost shared = v.sharedHost;
        long inHost = v.host.address() - shared.memory().address();
        // The object's offset of the host memory's first byte: a file mapping's is mmap's offset, shared anonymous memory's 0.
        long base = v.name == null ? 0 : v.fileOffset - inHost;
        long from = pgoff * PAGE - base;
        if (pgoff > Long.MAX_VALUE / PAGE || from < 0 || from > shared.size() - size) {
            throw new ErrnoException(Errno.EINVAL);
        }
        checkUnsealed(start, end);
        ensureRoom(start, end, 1, v.prot);
        shared.share();
        unmapRange(start, end);
        if (references(shared)) {
            // This space still maps some of it: the count taken above is one too many.
            shared.release();
        }
        Vma remapped = new Vma(start, end, v.prot, v.flags, v.name, shared.memory().asSlice(from, size), v.maxProt,
                v.name == null ? 0 : base + from, shared, null, false);
        put(remapped);
        if (remapped.inEngines()) {
            for (CpuEngine e : engines) {
                e.map(start, size, v.prot, remapped.host);
            }
        }
    }

    /** mprotect(2): ENOMEM when any page of the range is unmapped. */
    public void protect(long address, long length, int prot) throws ErrnoException {
        protect(address, length, prot, -1);
    }

    /**
     * pkey_mprotect: as {@link #protect(long, long, int)} with protection key {@code pkey}; the
     * emulated CPU has no PKU, so no key but -1 (none) is ever allocated: EINVAL after mprotect's
     * argument checks, as mm_pkey_is_allocated.
     */
    public synchronized void protect(long address, long length, int prot, int pkey) throws ErrnoException {
        // do_mprotect_pkey's order: both grow directions, alignment, an empty range (0 whatever the
        // protection), a wrapping one, then the protection bits (arch_validate_prot: PROT_SEM is one).
        int grows = prot & (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP);
        if (grows == (Mman.PROT_GROWSDOWN | Mman.PROT_GROWSUP) || (address & (PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (length == 0) {
            return;
        }
        // The length is unsigned: one that wraps the address space (SIZE_MAX rounds up to 0) is ENOMEM.
        long end = address + pageUp(length);
        if (Long.compareUnsigned(end, address) <= 0) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        if (((prot & ~grows) & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC | Mman.PROT_SEM)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        prot &= Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC;
        if (pkey != -1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (Long.compareUnsigned(end, TASK_SIZE) > 0) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        if (!isFullyMapped(address, end)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        List<Vma> affected = overlapping(address, end);
        for (Vma v : affected) {
            if ((prot & ~v.maxProt) != 0) {
                throw new ErrnoException(Errno.EACCES);
            }
            if ((v.flags & SEALED) != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        ensureRoom(address, end, affected.size(), prot);
        for (Vma v : affected) {
            long from = Math.max(address, v.start);
            long to = Math.min(end, v.end);
            Vma now = v.slice(from, to, prot);
            if (now.host == null && now.inEngines()) {
                now = withHost(now, prot);
            }
            keepOutside(v, from, to, now);
            // PROT_NONE is no region of the engines: to or from it the range is unmapped or mapped
            // (the same host memory, so the contents stay).
            for (CpuEngine e : engines) {
                if (!v.inEngines() && !now.inEngines()) {
                    break;
                } else if (!v.inEngines()) {
                    e.map(from, to - from, prot, now.host);
                } else if (!now.inEngines()) {
                    e.unmap(from, to - from);
                } else {
                    e.protect(from, to - from, prot);
                }
            }
        }
        lastHit = null;
    }

    /**
     * mlock and munlock's apply_vma_lock_flags: marks [address, address + length) locked (the VMAs'
     * MAP_LOCKED, what VmLck and smaps' "lo" show) or not, from the page of {@code address} on for
     * {@code length} (a whole number of pages, as the caller rounded it); EINVAL when that wraps,
     * ENOMEM when a page of it is unmapped. jlx keeps every page in memory anyway, so a lock is a
     * record (jlx maps no vdso, vvar or other VM_SPECIAL pages that mlock would leave alone).
     */
    public synchronized void setLocked(long address, long length, boolean locked) throws ErrnoException {
        long start = pageDown(address);
        long end = start + length;
        if (Long.compareUnsigned(end, start) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (end == start) {
            return;
        }
        if (Long.compareUnsigned(end, TASK_SIZE) > 0 || !isFullyMapped(start, end)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        List<Vma> affected = overlapping(start, end);
        affected.removeIf(v -> ((v.flags & Mman.MAP_LOCKED) != 0) == locked);
        int added = 0;
        for (Vma v : affected) {
            added += (v.start < start ? 1 : 0) + (v.end > end ? 1 : 0);
        }
        if (vmas.size() + added > MAX_MAP_COUNT) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        for (Vma v : affected) {
            long from = Math.max(start, v.start);
            long to = Math.min(end, v.end);
            Vma now = v.slice(from, to, v.prot);
            keepOutside(v, from, to);
            put(now.withFlags(locked ? v.flags | Mman.MAP_LOCKED : v.flags & ~Mman.MAP_LOCKED));
        }
        lastHit = null;
    }

    /**
     * mbind's mbind_range: the VMAs in [start, end) (a hole is fine: the caller checked) take
     * {@code policy} (null: none), split at the ends. Returns false, changing nothing, when the
     * splits would pass the map count (Linux's split_vma fails with ENOMEM).
     */
    public synchronized boolean setPolicy(long start, long end, MemoryPolicy policy) {
        List<Vma> affected = overlapping(start, end);
        affected.removeIf(v -> java.util.Objects.equals(v.policy, policy));
        int added = 0;
        for (Vma v : affected) {
            added += (v.start < start ? 1 : 0) + (v.end > end ? 1 : 0);
        }
        if (!fits(added, added)) {
            return false;
        }
        for (Vma v : affected) {
            long from = Math.max(start, v.start);
            long to = Math.min(end, v.end);
            keepOutside(v, from, to, v.slice(from, to, v.prot).withPolicy(policy));
        }
        lastHit = null;
        return true;
    }

    /**
     * mlock's populate: every accessible page of [start, start + length) made resident (a read of
     * each host page), as a lock faults them in; false when a PROT_NONE page is in the range, which
     * Linux's __mm_populate cannot fault in.
     */
    public synchronized boolean populate(long start, long length) {
        boolean all = true;
        for (Vma v : overlapping(start, start + length)) {
            if (!v.inEngines() || v.host == null) {
                all &= v.inEngines();
                continue;
            }
            long from = Math.max(start, v.start);
            long to = Math.min(start + length, v.end);
            for (long at = from; at < to; at += PAGE) {
                v.host.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at - v.start);
            }
        }
        return all;
    }

    /** The locked bytes of [start, start + length) (count_mm_mlocked_page_nr). */
    public synchronized long lockedBytes(long start, long length) {
        long total = 0;
        for (Vma v : overlapping(start, start + length)) {
            if ((v.flags & Mman.MAP_LOCKED) != 0) {
                total += Math.min(v.end, start + length) - Math.max(v.start, start);
            }
        }
        return total;
    }

    /** mlockall: every VMA locked when {@code current}; new mappings too from now on when {@code future}. */
    public synchronized void lockAll(boolean current, boolean future, boolean onFault) {
        lockFuture = future;
        lockFutureOnFault = onFault;
        if (current) {
            for (Vma v : List.copyOf(vmas.values())) {
                put(v.withFlags(v.flags | Mman.MAP_LOCKED));
                if (!onFault) {
                    populate(v.start, v.end - v.start);
                }
            }
            lastHit = null;
        }
    }

    /** munlockall: no VMA locked, nor any new one. */
    public synchronized void unlockAll() {
        lockFuture = false;
        for (Vma v : List.copyOf(vmas.values())) {
            put(v.withFlags(v.flags & ~Mman.MAP_LOCKED));
        }
        lastHit = null;
    }

    /** All the bytes mapped (Linux's mm->total_vm), for mlockall's limit. */
    public synchronized long mappedBytes() {
        long total = 0;
        for (Vma v : vmas.values()) {
            total += v.end - v.start;
        }
        return total;
    }

    /** pkey_alloc's key 0, taken once (see the field). */
    public java.util.concurrent.atomic.AtomicBoolean pkeyTaken() {
        return pkeyTaken;
    }

    /** membarrier's registrations, as MEMBARRIER_CMD_GET_REGISTRATIONS reports them. */
    public java.util.concurrent.atomic.AtomicInteger membarrierRegistrations() {
        return membarrierRegistrations;
    }

    /** Whether mlockall(MCL_FUTURE) locks new mappings (Linux's mm->def_flags VM_LOCKED). */
    public synchronized boolean locksFuture() {
        return lockFuture;
    }

    /** Whether those locks wait for the pages to be touched (MCL_ONFAULT: VM_LOCKONFAULT). */
    public synchronized boolean locksFutureOnFault() {
        return lockFutureOnFault;
    }

    /** The bytes mlock holds (Linux's mm->locked_vm, /proc's VmLck). */
    public synchronized long lockedBytes() {
        long total = 0;
        for (Vma v : vmas.values()) {
            total += (v.flags & Mman.MAP_LOCKED) != 0 ? v.end - v.start : 0;
        }
        return total;
    }

    /**
     * EPERM when [start, end) holds a sealed read-only private anonymous VMA, whose pages advice that
     * discards them would change (Linux's is_ro_anon, for MADV_DONTNEED, MADV_FREE, MADV_DONTFORK...).
     */
    public synchronized void checkDiscardable(long start, long end) throws ErrnoException {
        for (Vma v : overlapping(start, end)) {
            boolean anonymous = v.name == null || v.name.length() > 0 && v.name.byteAt(0) == '[';
            if ((v.flags & SEALED) != 0 && !v.shared() && anonymous && (v.prot & Mman.PROT_WRITE) == 0) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
    }

    /** ENOMEM unless every page of [address, address + length) is mapped (madvise's hints). */
    public synchronized void checkMapped(long address, long length) throws ErrnoException {
        long end = address + pageUp(length);
        if (end < address || !isFullyMapped(address, end)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
    }

    boolean isFullyMapped(long start, long end) {
        long at = start;
        while (at < end) {
            Vma v = find(at);
            if (v == null) {
                return false;
            }
            at = v.end;
        }
        return true;
    }

    /**
     * mremap(2) of anonymous memory: shrink in place, grow in place when the pages above are free,
     * else move when MREMAP_MAYMOVE allows (the contents are copied).
     */
    public synchronized long remap(long oldAddress, long oldLength, long newLength, int flags, long newAddress)
            throws ErrnoException {
        boolean dontUnmap = (flags & Mman.MREMAP_DONTUNMAP) != 0;
        if ((oldAddress & (PAGE - 1)) != 0
                || (flags & ~(Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED | Mman.MREMAP_DONTUNMAP)) != 0
                || ((flags & Mman.MREMAP_FIXED) != 0 && (flags & Mman.MREMAP_MAYMOVE) == 0) || newLength == 0
                || (dontUnmap && ((flags & Mman.MREMAP_MAYMOVE) == 0 || oldLength != newLength))) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long oldLen = pageUp(oldLength);
        long newLen = pageUp(newLength);
        List<Vma> pieces = mergeable(oldAddress, oldAddress + oldLen);
        Vma v = pieces.getFirst();
        for (Vma piece : pieces) {
            if ((piece.flags & SEALED) != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        if (v.shared() && newLen > oldLen) {
            // Growing or moving would copy the pages and so break the sharing: not done (see the syscall table).
            throw new ErrnoException(Errno.ENOMEM);
        }
        if (dontUnmap && v.shared()) {
            // Only private anonymous memory, as Linux before 5.13.
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & Mman.MREMAP_FIXED) != 0) {
            if ((newAddress & (PAGE - 1)) != 0 || (newAddress < oldAddress + oldLen && oldAddress < newAddress + newLen)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            checkUnsealed(newAddress, newAddress + newLen);
            return move(pieces, oldAddress, oldLen, newLen, newAddress, true, dontUnmap);
        }
        if (dontUnmap) {
            // MREMAP_DONTUNMAP always moves, even where the size stays.
            return move(pieces, oldAddress, oldLen, newLen, 0, false, true);
        }
        if (newLen <= oldLen) {
            if (newLen < oldLen) {
                ensureRoom(oldAddress + newLen, oldAddress + oldLen, 0, 0);
                unmapRange(oldAddress + newLen, oldAddress + oldLen);
            }
            return oldAddress;
        }
        long tail = oldAddress + oldLen;
        if (tail == pieces.getLast().end && tail + (newLen - oldLen) <= TASK_SIZE && isFree(tail, tail + newLen - oldLen)) {
            insert(tail, newLen - oldLen, v.prot, v.flags, v.name);
            put(find(tail).withPolicy(v.policy));
            return oldAddress;
        }
        if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        return move(pieces, oldAddress, oldLen, newLen, 0, false, false);
    }

    /**
     * The VMAs covering [start, end) from the one holding {@code start}: EFAULT unless that one does,
     * or unless the next ones follow it without a gap and are what Linux would have merged into it
     * (private anonymous memory of the same protection and flags, as a grow in place or a split and
     * mprotect back leave here, where VMAs are never merged).
     */
    private List<Vma> mergeable(long start, long end) throws ErrnoException {
        Vma first = find(start);
        if (first == null) {
            throw new ErrnoException(Errno.EFAULT);
        }
        List<Vma> pieces = new ArrayList<>(List.of(first));
        for (Vma last = first; last.end < end; ) {
            Vma next = vmas.get(last.end);
            if (next == null || next.prot != first.prot || next.flags != first.flags || first.name != null
                    || next.name != null || first.shared() || next.shared()
                    || !java.util.Objects.equals(next.policy, first.policy)) {
                throw new ErrnoException(Errno.EFAULT);
            }
            pieces.add(next);
            last = next;
        }
        return pieces;
    }

    /**
     * Moves the pages of [oldAddress, oldAddress + oldLen) to a new mapping of newLen bytes (at
     * {@code target} when {@code fixed}); with {@code keepOld} (MREMAP_DONTUNMAP) the old range stays
     * mapped, empty: its private pages read as zero again.
     */
    private long move(List<Vma> pieces, long oldAddress, long oldLen, long newLen, long target, boolean fixed,
            boolean keepOld) throws ErrnoException {
        Vma v = pieces.getFirst();
        // As Linux's move_vma: room for the most a move may add (the new mapping, and a mapping cut
        // in two by each of the ranges, and the old range kept) is checked first, so that it never
        // fails half done.
        ensureRoom(0, 0, keepOld ? 4 : 3, v.prot);
        long to = fixed ? target : findGap(newLen);
        if (fixed) {
            unmapRange(to, to + newLen);
        }
        insert(to, newLen, v.prot, v.flags, v.name);
        // copy_vma takes the policy along.
        Vma moved = find(to).withPolicy(v.policy);
        put(moved);
        long copied = Math.min(oldLen, newLen);
        for (Vma piece : pieces) {
            long from = Math.max(oldAddress, piece.start);
            long until = Math.min(oldAddress + copied, piece.end);
            if (piece.host == null || from >= until) {
                continue;
            }
            // PROT_NONE pages that were accessible once keep their bytes, so the new place needs memory too.
            if (moved.host == null) {
                moved = withHost(moved, moved.prot);
                put(moved);
            }
            MemorySegment.copy(piece.host, from - piece.start, moved.host, from - oldAddress, until - from);
        }
        unmapRange(oldAddress, oldAddress + oldLen);
        if (keepOld) {
            insert(oldAddress, oldLen, v.prot, v.flags, v.name);
            put(find(oldAddress).withPolicy(v.policy));
        }
        return to;
    }

    /**
     * madvise(MADV_DONTNEED): private pages read as zero afterwards; shared ones keep their
     * contents (the file's, or the shared memory's).
     */
    public synchronized void discard(long address, long length) throws ErrnoException {
        long end = address + pageUp(length);
        if (!isFullyMapped(address, end)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        checkDiscardable(address, end);
        for (Vma v : overlapping(address, end)) {
            if (v.shared() || v.host == null) {
                continue;
            }
            long from = Math.max(address, v.start);
            long to = Math.min(end, v.end);
            if (v.owned) {
                own.pages.punch(from, to - from);
            } else {
                v.host.asSlice(from - v.start, to - from).fill((byte) 0);
            }
        }
    }

    /**
     * msync(2): the shared mappings in the range are written back to their files by the host (the
     * host's page cache already holds every write, so MS_ASYNC has nothing to start).
     */
    public synchronized void sync(long address, long length, boolean synchronous) throws ErrnoException {
        long end = address + pageUp(length);
        if (end < address || !isFullyMapped(address, end)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        if (!synchronous) {
            return;
        }
        for (Vma v : overlapping(address, end)) {
            if (v.sharedHost != null) {
                long from = Math.max(address, v.start);
                v.sharedHost.sync(v.host.address() + (from - v.start), Math.min(end, v.end) - from);
            }
        }
    }

    /**
     * The most memory the guest's pages have held at once, as far as jlx has looked: the host's
     * count of resident pages now, or a larger count seen at an earlier call (getrusage's maxrss).
     */
    public synchronized long peakResidentBytes() {
        long bytes = 0;
        for (Vma v : vmas.values()) {
            bytes += residentBytes(v);
        }
        peakResident = Math.max(peakResident, bytes);
        return peakResident;
    }

    /**
     * mincore's vector for the {@code pages} pages from {@code start} (page-aligned): 1 for a page
     * the host holds in memory (pages never accessible have none); the count filled before the first
     * unmapped page, which is all of them when there is none.
     */
    public synchronized int residency(long start, int pages, byte[] out) {
        int done = 0;
        while (done < pages) {
            long at = start + done * PAGE;
            Vma v = find(at);
            if (v == null) {
                break;
            }
            int n = (int) Math.min(pages - done, (v.end - at) / PAGE);
            if (v.host == null) {
                java.util.Arrays.fill(out, done, done + n, (byte) 0);
            } else {
                hostMemory.residentPages(v.host.asSlice(at - v.start, n * PAGE), out, done);
            }
            done += n;
        }
        return done;
    }

    /** How many bytes of {@code v}'s pages the host holds in memory. */
    public long residentBytes(Vma v) {
        return v.host == null ? 0 : hostMemory.residentBytes(v.host);
    }

    /** Sets the program break's start (the page after the executable's bss). */
    public synchronized void initBrk(long start) {
        brkStart = pageUp(start);
        brk = brkStart;
    }

    /** brk(2): moves the break and returns the new one, or the old one when it cannot move. */
    public synchronized long brk(long requested) {
        if (requested < brkStart) {
            return brk;
        }
        long oldTop = pageUp(brk);
        long newTop = pageUp(requested);
        try {
            if (newTop > oldTop) {
                if (!isFree(oldTop, newTop) || newTop > mmapBase) {
                    return brk;
                }
                insert(oldTop, newTop - oldTop, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE
                        | Mman.MAP_ANONYMOUS, HEAP);
            } else if (newTop < oldTop) {
                checkUnsealed(newTop, oldTop);
                unmapRange(newTop, oldTop);
            }
        } catch (ErrnoException e) {
            return brk;
        }
        brk = requested;
        return brk;
    }

    /** Releases all host memory; the engines must not run this space any more. */
    public synchronized void destroy() {
        dropRetired();
        destroyed = true;
        java.util.Set<SharedHost> shared = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Vma v : List.copyOf(vmas.values())) {
            if (v.inEngines()) {
                for (CpuEngine e : engines) {
                    e.unmap(v.start, v.end - v.start);
                }
            }
            if (v.sharedHost == null) {
                if (v.host != null) {
                    hostMemory.free(v.host);
                }
            } else {
                shared.add(v.sharedHost);
            }
        }
        ALL_VMAS.addAndGet(-vmas.size());
        vmas.values().forEach(v -> counted(v, -1));
        vmas.clear();
        shared.forEach(SharedHost::release);
        regions = 0;
        lastHit = null;
        if (own != null) {
            own.release();
            own = null;
        }
        if (frozen != null) {
            frozen.release();
            frozen = null;
        }
    }

    /**
     * fork's copy of this address space, attached to no engine; shared mappings are shared, the
     * break and the mmap base are the same. Private pages are copy-on-write where the host has
     * memory files: this space's file is frozen and both spaces map it privately, and the pages
     * this space has written since an earlier freeze are copied. Other private pages (on hosts
     * without memory files) are copied, only those the host holds, so untouched ones stay free.
     */
    public synchronized AddressSpace fork() throws ErrnoException {
        // Retired ranges hold this space's file pages outside its VMAs, which freezing does not expect.
        dropRetired();
        AddressSpace child = new AddressSpace(hostMemory);
        child.runToken.inherit(runToken);
        child.mmapBase = mmapBase;
        child.brkStart = brkStart;
        child.brk = brk;
        child.pkeyTaken.set(pkeyTaken.get());
        // Taking pages into the file then remapping them would lose what another thread wrote in between.
        if (engines.size() <= 1 && (frozen == null || frozen.sole())) {
            makeOwn();
        }
        if (own != null) {
            freeze();
        }
        MemoryFile base = frozen;
        if (base != null) {
            base.share();
            child.frozen = base;
        }
        java.util.Set<SharedHost> shared = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try {
            for (Vma v : vmas.values()) {
                long len = v.end - v.start;
                MemorySegment host;
                boolean cow = base != null && v.memoryFile == base;
                if (v.sharedHost != null) {
                    host = v.host;
                    if (shared.add(v.sharedHost)) {
                        v.sharedHost.share();
                    }
                } else if (v.host == null) {
                    host = null;
                } else {
                    host = cow ? base.pages.map(v.start, len, false) : hostMemory.allocate(len);
                    if (host == null) {
                        throw new ErrnoException(Errno.ENOMEM);
                    }
                    if (cow) {
                        base.pages.copyWritten(v.host, host);
                    } else {
                        hostMemory.copy(v.host, host);
                    }
                }
                // Locks are not inherited (dup_mmap clears VM_LOCKED).
                child.put(new Vma(v.start, v.end, v.prot, v.flags & ~Mman.MAP_LOCKED, v.name, host, v.maxProt, v.fileOffset,
                        v.sharedHost, cow ? base : null, false, v.policy));
            }
        } catch (ErrnoException e) {
            child.destroy();
            throw e;
        }
        return child;
    }

    /** fork: this space's own file becomes frozen, mapped privately from now on (the host addresses stay). */
    private void freeze() {
        for (Vma v : List.copyOf(vmas.values())) {
            if (v.owned) {
                own.pages.remap(v.host, v.start, false);
                put(v.backedBy(own, false));
            }
        }
        frozen = own;
        own = null;
        lastHit = null;
    }

    /**
     * Puts every private page of this space in its own memory file, mapped shared, so that fork
     * can freeze it. A frozen file nobody else maps any more is taken back, and only the pages
     * written since go into it; else the pages are copied into a new file. Nothing changes on a
     * host without memory files.
     */
    private void makeOwn() {
        if (own == null) {
            boolean takeBack = frozen != null && frozen.sole();
            own = takeBack ? frozen : MemoryFile.create(hostMemory);
            if (own == null) {
                return;
            }
            if (takeBack) {
                frozen = null;
                punchOutsidePrivate();
            }
        }
        for (Vma v : List.copyOf(vmas.values())) {
            if (v.sharedHost != null || v.owned || v.host == null) {
                continue;
            }
            long len = v.end - v.start;
            boolean mine = v.memoryFile == own;
            if (!mine) {
                own.pages.punch(v.start, len);
            }
            own.pages.write(v.host, v.start, mine);
            own.pages.remap(v.host, v.start, true);
            put(v.backedBy(own, true));
        }
        if (frozen != null) {
            frozen.release();
            frozen = null;
        }
        lastHit = null;
    }

    /**
     * Frees what a taken-back file holds outside this space's private pages (other spaces' pages), so
     * that a range given pages later finds holes there.
     */
    private void punchOutsidePrivate() {
        long at = 0;
        for (Vma v : vmas.values()) {
            if (v.sharedHost == null && v.host != null) {
                if (v.start > at) {
                    own.pages.punch(at, v.start - at);
                }
                at = v.end;
            }
        }
        if (at < TASK_SIZE) {
            own.pages.punch(at, TASK_SIZE - at);
        }
    }

    /** Code written by Java into executable pages must be retranslated (ENGINE.md). */
    synchronized void codeWritten(long address, long length) {
        for (CpuEngine e : engines) {
            e.flushCode(address, length);
        }
    }

    public static long pageUp(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    public static long pageDown(long v) {
        return v & -PAGE;
    }
}
