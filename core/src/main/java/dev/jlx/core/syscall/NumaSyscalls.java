package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.GuestThread.MemoryPolicy;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;

/**
 * The NUMA memory policy calls (mm/mempolicy.c, mm/migrate.c) on a machine of one memory node, node
 * 0, as jlx's guests see it: every policy places every page there, so the policies are checked and
 * kept, and pages never move.
 */
final class NumaSyscalls {
    private NumaSyscalls() {}

    /** The modes of Linux 6.1 (MPOL_WEIGHTED_INTERLEAVE came in 6.9). */
    private static final int MPOL_DEFAULT = 0;
    private static final int MPOL_PREFERRED = 1;
    private static final int MPOL_BIND = 2;
    private static final int MPOL_INTERLEAVE = 3;
    private static final int MPOL_LOCAL = 4;
    private static final int MPOL_MAX = 6;
    /** The mode flags. */
    private static final int MPOL_F_NUMA_BALANCING = 1 << 13;
    private static final int MPOL_F_RELATIVE_NODES = 1 << 14;
    private static final int MPOL_F_STATIC_NODES = 1 << 15;
    private static final int MPOL_MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
    /** get_mempolicy's flags. */
    private static final int MPOL_F_NODE = 1;
    private static final int MPOL_F_ADDR = 2;
    private static final int MPOL_F_MEMS_ALLOWED = 4;
    /** mbind's and move_pages' flags. */
    private static final int MPOL_MF_STRICT = 1;
    private static final int MPOL_MF_MOVE = 2;
    private static final int MPOL_MF_MOVE_ALL = 4;
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
            return MemoryPolicy.DEFAULT;
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
            return new MemoryPolicy(mode, flags, 0);
        }
        long usable = (flags & MPOL_F_RELATIVE_NODES) != 0 ? NODE_0 : nodes & NODE_0;
        if (usable == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return new MemoryPolicy(mode, flags, userMask ? nodes : usable);
    }

    /** Implements Linux syscall set_mempolicy(2): the calling thread's policy. */
    static long set_mempolicy(GuestThread t, Args a) throws ErrnoException {
        Mode m = mode(a.i32(0));
        long nodes = nodes(t.process().space().memory(), a.addr(1), a.u64(2));
        t.setMemoryPolicy(policy(m, nodes));
        return 0;
    }

    /**
     * Implements Linux syscall get_mempolicy(2): the thread's policy, or with MPOL_F_ADDR the policy
     * of the mapping at the address, which is always the default one (mbind keeps none); MPOL_F_NODE
     * names node 0.
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
            if ((flags & MPOL_F_ADDR) != 0) {
                if (!t.process().space().isMapped(addr)) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                p = MemoryPolicy.DEFAULT;
            } else if (addr != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if ((flags & MPOL_F_NODE) != 0) {
                // The node of the page at addr, or the next node an interleaving thread takes: node 0.
                if ((flags & MPOL_F_ADDR) == 0 && p.mode() != MPOL_INTERLEAVE) {
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
     * Implements Linux syscall mbind(2) with do_mbind's checks in order, the range's mappings
     * included (EFAULT for a hole, or for a range with no mapping with MPOL_DEFAULT). The policy is not
     * kept per mapping: on one node it places pages as the default does, and get_mempolicy with
     * MPOL_F_ADDR reports the default.
     */
    static long mbind(GuestThread t, Args a) throws ErrnoException {
        long start = a.addr(0);
        long len = a.u64(1);
        Mode m = mode(a.i32(2));
        AddressSpace space = t.process().space();
        long nodes = nodes(space.memory(), a.addr(3), a.u64(4));
        long flags = a.u64(5);
        if ((flags & ~(long) (MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & MPOL_MF_MOVE_ALL) != 0 && !t.process().credentials().capable(GuestProcess.CAP_SYS_NICE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((start & (AddressSpace.PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long end = start + ((len + AddressSpace.PAGE - 1) & -AddressSpace.PAGE);
        if (Long.compareUnsigned(end, start) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (end == start) {
            return 0;
        }
        MemoryPolicy p = policy(m, nodes);
        checkRange(space, start, end, p == MemoryPolicy.DEFAULT);
        return 0;
    }

    /** queue_pages_range's walk: EFAULT for a hole in the range, or (discontiguous allowed) for no mapping at all. */
    private static void checkRange(AddressSpace space, long start, long end, boolean discontiguous)
            throws ErrnoException {
        long at = start;
        boolean any = false;
        for (dev.jlx.core.mem.Vma v : space.vmas()) {
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
        }
        if (!any || Long.compareUnsigned(at, end) < 0 && !discontiguous) {
            throw new ErrnoException(Errno.EFAULT);
        }
    }

    /**
     * Implements Linux syscall set_mempolicy_home_node(2): the checks, then each mapping's policy,
     * which jlx never keeps (mbind), so there is none to give a home node: ENOENT, as Linux answers
     * for a range without one.
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
        throw new ErrnoException(Errno.ENOENT);
    }

    /** The process a migrate_pages or move_pages call names (0: the caller's), readable by ptrace's rules. */
    private static GuestProcess target(GuestThread t, int pid) throws ErrnoException {
        GuestProcess p = pid == 0 ? t.process() : ProcessSyscalls.task(t, pid).process();
        PidFdSyscalls.checkPtraceAccess(t.process(), p);
        return p;
    }

    /**
     * Implements Linux syscall migrate_pages(2): after the checks (the masks, the process, its
     * access, nodes beyond the allowed one without CAP_SYS_NICE), no page moves: 0 left unmoved.
     */
    static long migrate_pages(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long maxnode = a.u64(1);
        nodes(mem, a.addr(2), maxnode);
        long to = nodes(mem, a.addr(3), maxnode);
        target(t, a.i32(0));
        if ((to & ~NODE_0) != 0 && !t.process().credentials().capable(GuestProcess.CAP_SYS_NICE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        return 0;
    }

    /**
     * Implements Linux syscall move_pages(2): each page's node is 0 when the page is in memory,
     * -ENOENT when it is not (never touched), -EFAULT outside every mapping; a move to a node other
     * than 0 is ENODEV. Residency is the host's (mincore's).
     */
    static long move_pages(GuestThread t, Args a) throws ErrnoException {
        long count = a.u64(1);
        long pages = a.addr(2);
        long nodesIn = a.addr(3);
        long status = a.addr(4);
        long flags = a.u64(5);
        if ((flags & ~(long) (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & MPOL_MF_MOVE_ALL) != 0 && !t.process().credentials().capable(GuestProcess.CAP_SYS_NICE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        AddressSpace space = target(t, a.i32(0)).space();
        GuestMemory mem = t.process().space().memory();
        byte[] resident = new byte[1];
        for (long i = 0; i < count; i++) {
            long page = mem.readLong(pages + i * 8) & -AddressSpace.PAGE;
            if (nodesIn != 0) {
                int node = mem.readInt(nodesIn + i * 4);
                if (node != 0) {
                    throw new ErrnoException(Errno.ENODEV);
                }
            }
            int result;
            if (!space.isMapped(page)) {
                result = -Errno.EFAULT.number();
            } else {
                space.residency(page, 1, resident);
                result = resident[0] != 0 ? 0 : -Errno.ENOENT.number();
            }
            mem.writeInt(status + i * 4, result);
        }
        return 0;
    }
}
