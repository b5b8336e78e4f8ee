package dev.jlx.core.syscall;

import static dev.jlx.abi.Mempolicy.*;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.mem.MemoryPolicy;
import dev.jlx.core.mem.Vma;

/**
 * The NUMA memory policy calls (mm/mempolicy.c, mm/migrate.c) on a machine of one memory node, node
 * 0, as jlx's guests see it (Mems_allowed): every policy places every page there, so the policies
 * are checked and kept (a thread's in {@link GuestThread}, a mapping's in its {@link Vma}), and pages
 * never move.
 */
final class NumaSyscalls {
    private NumaSyscalls() {}

    /** MAX_NUMNODES: CONFIG_NODES_SHIFT 10, as Debian's and Ubuntu's x86-64 kernels. */
    private static final long MAX_NUMNODES = 1024;
    /** The one node: the mask of nodes with memory. */
    private static final long NODE_0 = 1;

    /** A mode argument split into its mode and flags, as sanitize_mpol_flags. */
    private record Mode(int mode, int flags) {}

    private static Mode mode(int arg) throws ErrnoException {
        int flags = arg & MPOL_MODE_FLAGS;
        int mode = arg & ~MPOL_MODE_FLAGS;
        if (Integer.compareUnsigned(mode, MPOL_MAX) >= 0
                || (flags & MPOL_F_STATIC_NODES) != 0 && (flags & MPOL_F_RELATIVE_NODES) != 0
                || (flags & MPOL_F_NUMA_BALANCING) != 0 && mode != MPOL_BIND) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return new Mode(mode, flags);
    }

    /**
     * get_nodes: the first 64 nodes of a user node mask of {@code maxnode} - 1 bits (the rest may
     * name no node past MAX_NUMNODES: EINVAL); no mask, or maxnode 1, is the empty mask.
     */
    private static long nodes(GuestMemory mem, long mask, long maxnode) throws ErrnoException {
        long bits = maxnode - 1;
        if (bits == 0 || mask == 0) {
            return 0;
        }
        if (Long.compareUnsigned(bits, AddressSpace.PAGE * 8) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // Words past MAX_NUMNODES must be zero, read from the last one down.
        while (bits > MAX_NUMNODES) {
            long n = Math.min(bits, 64);
            long word = mem.readLong(mask + (bits - 1) / 64 * 8);
            if (n < 64) {
                word &= (1L << n) - 1;
            }
            if (bits - n >= MAX_NUMNODES) {
                bits -= n;
            } else {
                bits = MAX_NUMNODES;
            }
            if (word != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        // Every word of the mask is read (EFAULT), though only node 0 exists.
        long first = 0;
        for (long w = 0; w < (bits + 63) / 64; w++) {
            long word = mem.readLong(mask + w * 8);
            if (w == 0) {
                first = word;
            }
        }
        return bits < 64 ? first & (1L << bits) - 1 : first;
    }

    /**
     * mpol_new and mpol_set_nodemask: the policy a mode and node mask make, null for MPOL_DEFAULT.
     * The nodes asked for are cut to the nodes with memory (or folded onto them with
     * MPOL_F_RELATIVE_NODES); an empty result is EINVAL, except for MPOL_PREFERRED, which then means
     * MPOL_LOCAL. With MPOL_F_STATIC_NODES or RELATIVE_NODES the mask the caller gave is what
     * get_mempolicy reports.
     */
    private static MemoryPolicy policy(Mode m, long nodes) throws ErrnoException {
        int mode = m.mode();
        int flags = m.flags();
        boolean userMask = (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) != 0;
        if (mode == MPOL_DEFAULT) {
            if (nodes != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return null;
        }
        if (mode == MPOL_PREFERRED && nodes == 0) {
            if (userMask) {
                throw new ErrnoException(Errno.EINVAL);
            }
            mode = MPOL_LOCAL;
        } else if (mode == MPOL_LOCAL) {
            if (nodes != 0 || userMask) {
                throw new ErrnoException(Errno.EINVAL);
            }
        } else if (nodes == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (mode == MPOL_LOCAL) {
            return new MemoryPolicy(mode, flags, 0, -1);
        }
        long usable = (flags & MPOL_F_RELATIVE_NODES) != 0 ? NODE_0 : nodes & NODE_0;
        if (usable == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return new MemoryPolicy(mode, flags, userMask ? nodes : usable, -1);
    }

    /** Implements Linux syscall set_mempolicy(2): the calling thread's policy. */
    static long set_mempolicy(GuestThread t, Args a) throws ErrnoException {
        Mode m = mode(a.i32(0));
        long nodes = nodes(t.process().space().memory(), a.addr(1), a.u64(2));
        MemoryPolicy p = policy(m, nodes);
        t.setMemoryPolicy(p == null ? MemoryPolicy.DEFAULT : p);
        return 0;
    }

    /**
     * Implements Linux syscall get_mempolicy(2): the thread's policy, or with MPOL_F_ADDR the policy
     * of the mapping at the address (MPOL_DEFAULT for one without); MPOL_F_NODE names node 0: the
     * node of the page at the address (which must be readable, as get_user_pages faults it in), or
     * the next node an interleaving thread takes.
     */
    static long get_mempolicy(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long policyOut = a.addr(0);
        long maskOut = a.addr(1);
        long maxnode = a.u64(2);
        long addr = a.addr(3);
        long flags = a.u64(4);
        if (maskOut != 0 && maxnode < 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & ~(long) (MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int value;
        long nodes;
        if ((flags & MPOL_F_MEMS_ALLOWED) != 0) {
            if ((flags & (MPOL_F_NODE | MPOL_F_ADDR)) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            value = 0;
            nodes = NODE_0;
        } else {
            MemoryPolicy p = t.memoryPolicy();
            Vma v = null;
            if ((flags & MPOL_F_ADDR) != 0) {
                v = t.process().space().vmaAt(addr);
                if (v == null) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                p = v.policy() == null ? MemoryPolicy.DEFAULT : v.policy();
            } else if (addr != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if ((flags & MPOL_F_NODE) != 0) {
                if (v != null) {
                    if ((v.prot() & dev.jlx.abi.Mman.PROT_READ) == 0) {
                        throw new ErrnoException(Errno.EFAULT);
                    }
                } else if (p.mode() != MPOL_INTERLEAVE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                value = 0;
            } else {
                value = p.mode() | p.flags();
            }
            nodes = p.nodes();
        }
        if (policyOut != 0) {
            mem.writeInt(policyOut, value);
        }
        if (maskOut != 0) {
            copyNodes(mem, maskOut, maxnode, nodes);
        }
        return 0;
    }

    /** copy_nodes_to_user: one word of nodes (nr_node_ids is 1), the rest of a longer mask zeroed. */
    private static void copyNodes(GuestMemory mem, long mask, long maxnode, long nodes) throws ErrnoException {
        long copy = (maxnode - 1 + 63) / 64 * 8;
        if (copy > 8) {
            if (copy > AddressSpace.PAGE) {
                throw new ErrnoException(Errno.EINVAL);
            }
            mem.write(mask + 8, new byte[(int) (copy - 8)]);
            copy = 8;
        }
        if (copy == 8) {
            mem.writeLong(mask, nodes);
        }
    }

    /**
     * Implements Linux syscall mbind(2) with do_mbind's checks in order: the range's mappings (a hole
     * is EFAULT, unless the mode is MPOL_DEFAULT and some mapping is there), and with MPOL_MF_STRICT
     * alone (no move asked) EIO when a page in memory lies on a node the mask leaves out, as node 0
     * is for MPOL_LOCAL or a relative mask. The mappings then take the policy, split at the ends.
     */
    static long mbind(GuestThread t, Args a) throws ErrnoException {
        long start = a.addr(0);
        long len = a.u64(1);
        Mode m = mode(a.i32(2));
        AddressSpace space = t.process().space();
        long nodes = nodes(space.memory(), a.addr(3), a.u64(4));
        int flags = a.i32(5);
        if ((flags & ~(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & MPOL_MF_MOVE_ALL) != 0 && !t.process().credentials().capable(GuestProcess.CAP_SYS_NICE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((start & (AddressSpace.PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (m.mode() == MPOL_DEFAULT) {
            flags &= ~MPOL_MF_STRICT;
        }
        long end = start + ((len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE);
        if (Long.compareUnsigned(end, start) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (end == start) {
            return 0;
        }
        MemoryPolicy p = policy(m, nodes);
        // Only pages off the mask are looked at; every page is on node 0.
        boolean strict = (flags & (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) == MPOL_MF_STRICT
                && (nodes & NODE_0) == 0;
        synchronized (space) {
            checkRange(space, start, end, p == null, strict);
            if (!space.setPolicy(start, end, p)) {
                throw new ErrnoException(Errno.ENOMEM);
            }
        }
        return 0;
    }

    /**
     * queue_pages_range's walk, mapping by mapping: EFAULT for a hole before or after one (or, with
     * {@code discontiguous}, for no mapping at all), then with {@code strict} EIO for a page of it in
     * memory.
     */
    private static void checkRange(AddressSpace space, long start, long end, boolean discontiguous, boolean strict)
            throws ErrnoException {
        long at = start;
        boolean any = false;
        for (Vma v : space.vmas()) {
            if (Long.compareUnsigned(v.end(), at) <= 0) {
                continue;
            }
            if (Long.compareUnsigned(v.start(), end) >= 0) {
                break;
            }
            if (Long.compareUnsigned(v.start(), at) > 0 && !discontiguous) {
                throw new ErrnoException(Errno.EFAULT);
            }
            any = true;
            at = v.end();
            if (Long.compareUnsigned(at, end) < 0 && !discontiguous && !space.isMapped(at)) {
                throw new ErrnoException(Errno.EFAULT);
            }
            if (strict && v.prot() != dev.jlx.abi.Mman.PROT_NONE) {
                long from = Math.max(start, v.start());
                int pages = (int) ((Math.min(end, v.end()) - from) / AddressSpace.PAGE);
                byte[] resident = new byte[pages];
                space.residency(from, pages, resident);
                for (byte r : resident) {
                    if (r != 0) {
                        throw new ErrnoException(Errno.EIO);
                    }
                }
            }
        }
        if (!any) {
            throw new ErrnoException(Errno.EFAULT);
        }
    }

    /**
     * Implements Linux syscall set_mempolicy_home_node(2): the checks (node 0 is the one online),
     * then each mapping of the range in turn: one without a policy is passed over, one whose policy
     * is neither MPOL_BIND nor MPOL_PREFERRED_MANY stops the walk (EOPNOTSUPP; those before keep
     * their home node), the others take the home node. ENOENT when no mapping had a policy.
     */
    static long set_mempolicy_home_node(GuestThread t, Args a) throws ErrnoException {
        long start = a.addr(0);
        long len = a.u64(1);
        long home = a.u64(2);
        if ((start & (AddressSpace.PAGE - 1)) != 0 || a.u64(3) != 0 || home != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long end = start + ((len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE);
        if (Long.compareUnsigned(end, start) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (end == start) {
            return 0;
        }
        AddressSpace space = t.process().space();
        Errno result = Errno.ENOENT;
        synchronized (space) {
            for (Vma v : java.util.List.copyOf(space.vmas())) {
                if (Long.compareUnsigned(v.end(), start) <= 0 || v.policy() == null) {
                    continue;
                }
                if (Long.compareUnsigned(v.start(), end) >= 0) {
                    break;
                }
                int mode = v.policy().mode();
                if (mode != MPOL_BIND && mode != MPOL_PREFERRED_MANY) {
                    result = Errno.EOPNOTSUPP;
                    break;
                }
                long from = Long.compareUnsigned(v.start(), start) < 0 ? start : v.start();
                long to = Long.compareUnsigned(v.end(), end) > 0 ? end : v.end();
                if (!space.setPolicy(from, to, v.policy().withHomeNode((int) home))) {
                    result = Errno.ENOMEM;
                    break;
                }
                result = null;
            }
        }
        if (result != null) {
            throw new ErrnoException(result);
        }
        return 0;
    }

    /**
     * The process a migrate_pages or move_pages call names (0: the caller's), readable by ptrace's
     * rules; it may be a zombie, which has no memory left (the caller's EINVAL).
     */
    private static GuestProcess target(GuestThread t, int pid) throws ErrnoException {
        GuestProcess zombie = pid > 0 ? t.process().kernel().process(pid) : null;
        GuestProcess p = pid == 0 ? t.process()
                : zombie != null && zombie.zombie() ? zombie : ProcessSyscalls.task(t, pid).process();
        PidFdSyscalls.checkPtraceAccess(t.process(), p);
        return p;
    }

    /**
     * Implements Linux syscall migrate_pages(2): after the checks (the masks, the process, its
     * access, nodes beyond the allowed one without CAP_SYS_NICE, EINVAL when the new nodes leave
     * out node 0 or the process is a zombie), no page moves: 0 left unmoved.
     */
    static long migrate_pages(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long maxnode = a.u64(1);
        nodes(mem, a.addr(2), maxnode);
        long to = nodes(mem, a.addr(3), maxnode);
        GuestProcess target = target(t, a.i32(0));
        if ((to & ~NODE_0) != 0 && !t.process().credentials().capable(GuestProcess.CAP_SYS_NICE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((to & NODE_0) == 0 || target.zombie()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    /** do_pages_stat's batch: the page addresses are read 16 at a time, and their states written so. */
    private static final int STAT_CHUNK = 16;

    /**
     * Implements Linux syscall move_pages(2): each page's node is 0 when the page is in memory,
     * -ENOENT when it is not (never touched), -EFAULT outside every mapping. With a node array
     * (do_pages_move) each page is taken in turn: a node other than 0 stops the call with ENODEV,
     * the states stored before it kept. Residency is the host's (mincore's).
     */
    static long move_pages(GuestThread t, Args a) throws ErrnoException {
        long count = a.u64(1);
        long pages = a.addr(2);
        long nodesIn = a.addr(3);
        long status = a.addr(4);
        int flags = a.i32(5);
        if ((flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & MPOL_MF_MOVE_ALL) != 0 && !t.process().credentials().capable(GuestProcess.CAP_SYS_NICE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        GuestProcess target = target(t, a.i32(0));
        if (target.zombie()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        AddressSpace space = target.space();
        GuestMemory mem = t.process().space().memory();
        if (nodesIn != 0) {
            for (long i = 0; i < count; i++) {
                long page = mem.readLong(pages + i * 8);
                int node = mem.readInt(nodesIn + i * 4);
                if (node != 0) {
                    throw new ErrnoException(Errno.ENODEV);
                }
                mem.writeInt(status + i * 4, pageState(space, page));
            }
            return 0;
        }
        for (long i = 0; i < count; i += STAT_CHUNK) {
            int n = (int) Math.min(count - i, STAT_CHUNK);
            byte[] addresses = mem.read(pages + i * 8, n * 8);
            byte[] states = new byte[n * 4];
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(addresses).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(states).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < n; k++) {
                out.putInt(pageState(space, in.getLong()));
            }
            mem.write(status + i * 4, states);
        }
        return 0;
    }

    /** A page's state for move_pages: node 0 in memory, -ENOENT not yet, -EFAULT unmapped. */
    private static int pageState(AddressSpace space, long address) {
        long page = address & -AddressSpace.PAGE;
        if (!space.isMapped(page)) {
            return -Errno.EFAULT.number();
        }
        byte[] resident = new byte[1];
        space.residency(page, 1, resident);
        return resident[0] != 0 ? 0 : -Errno.ENOENT.number();
    }
}
