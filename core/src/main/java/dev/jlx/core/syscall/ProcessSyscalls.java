package dev.jlx.core.syscall;

import dev.jlx.abi.ArchPrctl;
import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Rseq;
import dev.jlx.abi.Prctl;
import dev.jlx.abi.Resource;
import dev.jlx.abi.struct.Rlimit;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Rlimits;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/** Process and thread identity, exit, per-thread registrations, arch_prctl and resource limits. */
final class ProcessSyscalls {
    /** sizeof(struct robust_list_head) on x86-64. */
    private static final int ROBUST_LIST_HEAD_SIZE = 24;
    /** sizeof(struct rseq) as glibc registers it; the area must be 32-byte aligned. */
    private static final int RSEQ_MIN_SIZE = Rseq.SIZE;
    private static final int RSEQ_FLAG_UNREGISTER = 1;

    private ProcessSyscalls() {}

    /** Implements Linux syscall exit(2). With one thread per process so far, it ends the process. */
    static long exit(GuestThread t, Args a) {
        if (t.process().liveThreads() > 1) {
            t.exitThread();
        } else {
            t.process().exit(ExitStatus.exited(a.i32(0)));
        }
        return 0;
    }

    /** Implements Linux syscall exit_group(2). */
    static long exit_group(GuestThread t, Args a) {
        t.process().exit(ExitStatus.exited(a.i32(0)));
        return 0;
    }

    /** Implements Linux syscall getpid(2). */
    static long getpid(GuestThread t, Args a) {
        return t.process().pid();
    }

    /** Implements Linux syscall getppid(2). */
    static long getppid(GuestThread t, Args a) {
        return t.process().ppid();
    }

    /** Implements Linux syscall gettid(2). */
    static long gettid(GuestThread t, Args a) {
        return t.tid();
    }

    /** Implements Linux syscall set_tid_address(2). */
    static long set_tid_address(GuestThread t, Args a) {
        t.setClearChildTid(a.addr(0));
        return t.tid();
    }

    /** Implements Linux syscall set_robust_list(2). */
    static long set_robust_list(GuestThread t, Args a) throws ErrnoException {
        if (a.u64(1) != ROBUST_LIST_HEAD_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.setRobustList(a.addr(0), a.u64(1));
        return 0;
    }

    /** Implements Linux syscall get_robust_list(2) for the calling thread. */
    static long get_robust_list(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(0) != 0 && a.i32(0) != t.tid()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        GuestMemory mem = t.process().space().memory();
        mem.writeLong(a.addr(1), t.robustList());
        mem.writeLong(a.addr(2), t.robustListLength());
        return 0;
    }

    /**
     * Implements Linux syscall rseq(2). jlx runs every guest on CPU 0 and never preempts a thread
     * inside a critical section with another thread of its address space running, so registering
     * means writing cpu_id_start and cpu_id once, as the kernel does on registration.
     */
    static long rseq(GuestThread t, Args a) throws ErrnoException {
        long area = a.addr(0);
        long len = a.u64(1) & 0xffffffffL;
        int flags = a.i32(2);
        GuestMemory mem = t.process().space().memory();
        if (flags == RSEQ_FLAG_UNREGISTER) {
            if (t.rseq() != area) {
                throw new ErrnoException(Errno.EINVAL);
            }
            t.setRseq(0, 0);
            return 0;
        }
        if (flags != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (t.rseq() != 0) {
            throw new ErrnoException(t.rseq() == area ? Errno.EBUSY : Errno.EINVAL);
        }
        if ((area & (RSEQ_MIN_SIZE - 1)) != 0 || len < RSEQ_MIN_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // cpu_id_start and cpu_id: the one CPU, 0.
        mem.writeLong(area + Rseq.CPU_ID_START, 0);
        t.setRseq(area, a.i32(3));
        return 0;
    }

    /** Implements Linux syscall arch_prctl(2). */
    static long arch_prctl(GuestThread t, Args a) throws ErrnoException {
        long value = a.addr(1);
        switch (a.i32(0)) {
            case ArchPrctl.ARCH_SET_FS -> {
                checkCanonical(value);
                t.engine().reg(X86Reg.FS_BASE, value);
                return 0;
            }
            case ArchPrctl.ARCH_SET_GS -> {
                checkCanonical(value);
                t.engine().reg(X86Reg.GS_BASE, value);
                return 0;
            }
            case ArchPrctl.ARCH_GET_FS -> {
                t.process().space().memory().writeLong(value, t.engine().reg(X86Reg.FS_BASE));
                return 0;
            }
            case ArchPrctl.ARCH_GET_GS -> {
                t.process().space().memory().writeLong(value, t.engine().reg(X86Reg.GS_BASE));
                return 0;
            }
            case ArchPrctl.ARCH_GET_CPUID -> {
                return 1;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    private static void checkCanonical(long address) throws ErrnoException {
        if (address < 0 || address >= AddressSpace.TASK_SIZE) {
            throw new ErrnoException(Errno.EPERM);
        }
    }

    /** Implements Linux syscall getrlimit(2). */
    static long getrlimit(GuestThread t, Args a) throws ErrnoException {
        int resource = a.i32(0);
        checkResource(resource);
        putRlimit(t, a.addr(1), t.process().rlimits(), resource);
        return 0;
    }

    /** Implements Linux syscall setrlimit(2). */
    static long setrlimit(GuestThread t, Args a) throws ErrnoException {
        int resource = a.i32(0);
        checkResource(resource);
        setLimit(t.process(), resource, Rlimit.readFrom(t.process().space().memory().readStruct(a.addr(1),
                Rlimit.SIZE), 0));
        return 0;
    }

    /** Implements Linux syscall prlimit64(2) for the calling process. */
    static long prlimit64(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        int resource = a.i32(1);
        GuestProcess p = t.process();
        if (pid != 0 && pid != p.pid()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        checkResource(resource);
        Rlimit requested = a.addr(2) == 0 ? null
                : Rlimit.readFrom(p.space().memory().readStruct(a.addr(2), Rlimit.SIZE), 0);
        Rlimits.Limit old = requested == null ? p.rlimits().get(resource) : setLimit(p, resource, requested);
        if (a.addr(3) != 0) {
            ByteBuffer b = GuestMemory.structBuffer(Rlimit.SIZE);
            new Rlimit(old.soft(), old.hard()).writeTo(b, 0);
            p.space().memory().writeStruct(a.addr(3), b);
        }
        return 0;
    }

    private static void checkResource(int resource) throws ErrnoException {
        if (resource < 0 || resource >= Resource.RLIM_NLIMITS) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** Sets one limit, checked against the current one in the same step; returns the one replaced. */
    private static Rlimits.Limit setLimit(GuestProcess p, int resource, Rlimit r) throws ErrnoException {
        if (Long.compareUnsigned(r.cur(), r.max()) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return p.rlimits().change(resource, new Rlimits.Limit(r.cur(), r.max()), current -> {
            // Raising a hard limit needs CAP_SYS_RESOURCE, which a guest of a non-root user lacks.
            if (Long.compareUnsigned(r.max(), current.hard()) > 0 && p.credentials().euid() != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
            if (resource == Resource.RLIMIT_NOFILE && Long.compareUnsigned(r.max(), 1L << 20) > 0) {
                throw new ErrnoException(Errno.EPERM);
            }
        });
    }

    private static void putRlimit(GuestThread t, long address, Rlimits limits, int resource) throws ErrnoException {
        Rlimits.Limit l = limits.get(resource);
        ByteBuffer b = GuestMemory.structBuffer(Rlimit.SIZE);
        new Rlimit(l.soft(), l.hard()).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }

    /**
     * Implements Linux syscall prctl(2): the process name, and the flags programs set and read back
     * (dumpable, no_new_privs, parent-death signal, child subreaper). Options jlx does not know are
     * EINVAL, as Linux answers options it was built without.
     */
    static long prctl(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        GuestMemory mem = p.space().memory();
        int option = a.i32(0);
        switch (option) {
            case Prctl.PR_SET_NAME -> {
                byte[] name = mem.readCString(a.addr(1), 15);
                p.setComm(name);
                return 0;
            }
            case Prctl.PR_GET_NAME -> {
                mem.write(a.addr(1), java.util.Arrays.copyOf(p.comm(), 16));
                return 0;
            }
            case Prctl.PR_SET_DUMPABLE -> {
                if (a.u64(1) > 1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return setFlag(p, Prctl.PR_GET_DUMPABLE, a.u64(1));
            }
            case Prctl.PR_SET_NO_NEW_PRIVS -> {
                if (a.u64(1) != 1 || a.u64(2) != 0 || a.u64(3) != 0 || a.u64(4) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return setFlag(p, Prctl.PR_GET_NO_NEW_PRIVS, 1);
            }
            case Prctl.PR_SET_PDEATHSIG -> {
                if (a.u64(1) > dev.jlx.abi.Signals.NSIG) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return setFlag(p, Prctl.PR_GET_PDEATHSIG, a.u64(1));
            }
            case Prctl.PR_SET_CHILD_SUBREAPER -> {
                return setFlag(p, Prctl.PR_GET_CHILD_SUBREAPER, a.u64(1) != 0 ? 1 : 0);
            }
            case Prctl.PR_GET_DUMPABLE, Prctl.PR_GET_NO_NEW_PRIVS -> {
                return p.prctlSetting(option, option == Prctl.PR_GET_DUMPABLE ? 1 : 0);
            }
            case Prctl.PR_GET_PDEATHSIG, Prctl.PR_GET_CHILD_SUBREAPER -> {
                mem.writeInt(a.addr(1), (int) p.prctlSetting(option, 0));
                return 0;
            }
            case Prctl.PR_GET_SECCOMP -> {
                return 0;
            }
            case Prctl.PR_CAPBSET_READ -> {
                // The bounding set of an unprivileged process started by a login session is full.
                if (a.u64(1) > CAP_LAST_CAP) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return 1;
            }
            default -> {
                p.kernel().warnOnce("prctl-" + option, "prctl option " + option + " is not implemented: EINVAL");
                throw new ErrnoException(Errno.EINVAL);
            }
        }
    }

    /** CAP_LAST_CAP of Linux 6.1 (CAP_CHECKPOINT_RESTORE). */
    private static final int CAP_LAST_CAP = 40;

    private static long setFlag(GuestProcess p, int getOption, long value) {
        p.setPrctlSetting(getOption, value);
        return 0;
    }

    /** Implements Linux syscall sched_getaffinity(2): the thread's mask, all the JVM's CPUs unless set. */
    static long sched_getaffinity(GuestThread t, Args a) throws ErrnoException {
        GuestThread target = affinityTarget(t, a.i32(0));
        int cpus = onlineCpus();
        int maskBytes = ((cpus + 63) / 64) * 8;
        long len = a.u64(1);
        if (len < maskBytes || (len & 7) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long mask = target.affinity() & allCpus(cpus);
        byte[] bytes = new byte[maskBytes];
        for (int cpu = 0; cpu < Math.min(cpus, 64); cpu++) {
            if ((mask & (1L << cpu)) != 0) {
                bytes[cpu / 8] |= (byte) (1 << (cpu % 8));
            }
        }
        t.process().space().memory().write(a.addr(2), bytes);
        return maskBytes;
    }

    /**
     * Implements Linux syscall sched_setaffinity(2): the mask, less CPUs the JVM does not have,
     * becomes the thread's (EINVAL when none is left). Java threads are not pinned: the mask is
     * what the guest reads back and what its children inherit.
     */
    static long sched_setaffinity(GuestThread t, Args a) throws ErrnoException {
        GuestThread target = affinityTarget(t, a.i32(0));
        long len = a.u64(1);
        long mask = 0;
        if (len >= 8) {
            mask = t.process().space().memory().readLong(a.addr(2));
        } else if (len > 0) {
            byte[] b = t.process().space().memory().read(a.addr(2), (int) len);
            for (int i = 0; i < b.length; i++) {
                mask |= (b[i] & 0xffL) << (8 * i);
            }
        }
        mask &= allCpus(onlineCpus());
        if (mask == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        target.setAffinity(mask);
        return 0;
    }

    private static int onlineCpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The mask of CPUs 0..cpus-1 (masks hold the first 64 CPUs). */
    private static long allCpus(int cpus) {
        return cpus >= 64 ? -1L : (1L << cpus) - 1;
    }

    /** The thread a sched_*affinity call names: 0 for the caller, else any guest thread's tid (ESRCH). */
    private static GuestThread affinityTarget(GuestThread t, int pid) throws ErrnoException {
        if (pid == 0) {
            return t;
        }
        for (dev.jlx.core.kernel.GuestProcess p : t.process().kernel().processes()) {
            for (GuestThread th : p.threadSnapshot()) {
                if (th.tid() == pid && !p.zombie()) {
                    return th;
                }
            }
        }
        throw new ErrnoException(Errno.ESRCH);
    }

    /** Scheduling policies of sched(7). */
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_FIFO = 1;
    private static final int SCHED_RR = 2;
    private static final int SCHED_BATCH = 3;
    private static final int SCHED_IDLE = 5;
    private static final int SCHED_DEADLINE = 6;

    /** The calling process or thread: pid 0, its pid or its tid; other processes are ESRCH for now. */
    private static void self(GuestThread t, int pid) throws ErrnoException {
        if (pid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (pid != 0 && pid != t.tid() && pid != t.process().pid()) {
            throw new ErrnoException(Errno.ESRCH);
        }
    }

    /** Implements Linux syscall sched_get_priority_max(2): 99 for the real-time policies, else 0. */
    static long sched_get_priority_max(GuestThread t, Args a) throws ErrnoException {
        return switch (a.i32(0)) {
            case SCHED_FIFO, SCHED_RR -> 99;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    /** Implements Linux syscall sched_get_priority_min(2): 1 for the real-time policies, else 0. */
    static long sched_get_priority_min(GuestThread t, Args a) throws ErrnoException {
        return switch (a.i32(0)) {
            case SCHED_FIFO, SCHED_RR -> 1;
            case SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE -> 0;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    /** Implements Linux syscall sched_getscheduler(2): guest threads run under SCHED_OTHER. */
    static long sched_getscheduler(GuestThread t, Args a) throws ErrnoException {
        self(t, a.i32(0));
        return SCHED_OTHER;
    }

    /** Implements Linux syscall sched_getparam(2): SCHED_OTHER's only priority, 0. */
    static long sched_getparam(GuestThread t, Args a) throws ErrnoException {
        self(t, a.i32(0));
        if (a.addr(1) == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().space().memory().writeInt(a.addr(1), 0);
        return 0;
    }

    /** Implements Linux syscall getpriority(2): the raw syscall answers 20 - nice, and nice is 0. */
    static long getpriority(GuestThread t, Args a) throws ErrnoException {
        int which = a.i32(0);
        if (which < 0 || which > 2) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (which == 0) {
            self(t, a.i32(1));
        } else if (a.i32(1) != 0 && a.i32(1) != (which == 1 ? t.process().pid() : t.process().credentials().uid())) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return 20;
    }

    /**
     * Implements Linux syscall getcpu(2). The host does not say on which CPU a Java thread runs,
     * so the answer is CPU 0 of node 0, a CPU the thread may run on (its affinity mask has it).
     */
    static long getcpu(GuestThread t, Args a) throws ErrnoException {
        if (a.addr(0) != 0) {
            t.process().space().memory().writeInt(a.addr(0), 0);
        }
        if (a.addr(1) != 0) {
            t.process().space().memory().writeInt(a.addr(1), 0);
        }
        return 0;
    }

    /** Implements Linux syscall sched_yield(2): other guest threads run whenever this one is not. */
    static long sched_yield(GuestThread t, Args a) {
        Thread.yield();
        return 0;
    }
}
