package dev.jlx.core.syscall;

import dev.jlx.abi.ArchPrctl;
import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.RobustListHead;
import dev.jlx.abi.struct.Rseq;
import dev.jlx.abi.Prctl;
import dev.jlx.abi.Resource;
import dev.jlx.abi.Sched;
import dev.jlx.abi.struct.Rlimit;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Rlimits;
import dev.jlx.core.kernel.Scheduling;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Process and thread identity, exit, per-thread registrations, arch_prctl and resource limits. */
final class ProcessSyscalls {
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
        if (a.u64(1) != RobustListHead.SIZE) {
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
                return t.engine().cpuidFaulting() ? 0 : 1;
            }
            case ArchPrctl.ARCH_SET_CPUID -> {
                // The engine's cpuid hook faults as the CPU's CPUID faulting does (set_cpuid_mode).
                t.engine().setCpuidFaulting(value == 0);
                return 0;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** PR_SET_SYSCALL_USER_DISPATCH's modes; EXCLUSIVE_ON was PR_SYS_DISPATCH_ON before 6.17 added INCLUSIVE_ON. */
    private static final long PR_SYS_DISPATCH_OFF = 0;
    private static final long PR_SYS_DISPATCH_EXCLUSIVE_ON = 1;
    private static final long PR_SYS_DISPATCH_INCLUSIVE_ON = 2;

    /**
     * task_set_syscall_user_dispatch: OFF takes no other argument; EXCLUSIVE_ON lets calls from
     * [offset, offset + len) through (a range that wraps is EINVAL), INCLUSIVE_ON dispatches only those
     * (kept as the inverted range, as Linux keeps it); a selector past the user address space is
     * EFAULT (it is read at each call, not now).
     */
    private static void setSyscallUserDispatch(GuestThread t, long mode, long offset, long len, long selector)
            throws ErrnoException {
        if (mode == PR_SYS_DISPATCH_OFF) {
            if (offset != 0 || len != 0 || selector != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            t.setSyscallUserDispatch(null);
            return;
        }
        if (mode == PR_SYS_DISPATCH_EXCLUSIVE_ON) {
            if (offset != 0 && Long.compareUnsigned(offset + len, offset) <= 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        } else if (mode == PR_SYS_DISPATCH_INCLUSIVE_ON) {
            if (len == 0 || Long.compareUnsigned(offset + len, offset) <= 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            offset += len;
            len = -len;
        } else {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (selector != 0) {
            GuestMemory.accessOk(selector, 1);
        }
        t.setSyscallUserDispatch(new GuestThread.UserDispatch(offset, len, selector));
    }

    /**
     * Implements Linux syscall modify_ldt(2). No guest process has a local descriptor table (the
     * engine's CPU loads none): reading it gives 0 bytes, reading the default one (func 2) zeroes at
     * most 128 bytes, and the writes (func 1, 0x11) are ENOSYS, as an unknown func. The result is an
     * int zero-extended to 64 bits, as Linux returns it: -ENOSYS is 4294967258 in rax.
     */
    static long modify_ldt(GuestThread t, Args a) throws ErrnoException {
        int ret = -Errno.ENOSYS.number();
        if (a.i32(0) == 0) {
            ret = 0;
        } else if (a.i32(0) == 2) {
            int count = Long.compareUnsigned(a.u64(2), 128) > 0 ? 128 : (int) a.u64(2);
            try {
                t.process().space().memory().write(a.addr(1), new byte[count]);
                ret = count;
            } catch (ErrnoException e) {
                ret = -e.errno().number();
            }
        }
        return Integer.toUnsignedLong(ret);
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
            if (Long.compareUnsigned(r.max(), current.hard()) > 0 && !p.credentials().capable(GuestProcess.CAP_SYS_RESOURCE)) {
                throw new ErrnoException(Errno.EPERM);
            }
            if (resource == Resource.RLIMIT_NOFILE && Long.compareUnsigned(r.max(), p.kernel().nrOpen()) > 0) {
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
     * Implements Linux syscall personality(2): 0xffffffff only asks; any other value is taken as it
     * is, for the calling thread. Returns the previous value. jlx honours UNAME26 (uname's release)
     * and ADDR_NO_RANDOMIZE (it never randomizes); the other flags are recorded only.
     */
    static long personality(GuestThread t, Args a) throws ErrnoException {
        int old = t.personality();
        int value = a.i32(0);
        if (value != -1) {
            t.setPersonality(value);
        }
        return Integer.toUnsignedLong(old);
    }

    /** PR_GET_TIMING's only mode. */
    private static final int PR_TIMING_STATISTICAL = 0;

    /**
     * Implements Linux syscall prctl(2): the name, dumpable, no_new_privs, the parent-death signal, the
     * child subreaper flag (recorded), keepcaps and securebits, the capability bounding and ambient sets,
     * the machine-check policy, the TSC mode (recorded: rdtsc does not fault) and the clear_child_tid
     * address, with Linux's checks in Linux's order. Other options are EINVAL, as Linux answers options it
     * was built without.
     */
    static long prctl(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        GuestMemory mem = p.space().memory();
        int option = a.i32(0);
        long arg2 = a.u64(1);
        switch (option) {
            case Prctl.PR_SET_NAME -> {
                // strncpy_from_user of TASK_COMM_LEN - 1 bytes: a longer name is cut, not refused.
                byte[] name;
                try {
                    name = mem.readCString(a.addr(1), Prctl.TASK_COMM_LEN - 2);
                } catch (ErrnoException tooLong) {
                    if (tooLong.errno() != Errno.ENAMETOOLONG) {
                        throw tooLong;
                    }
                    name = mem.read(a.addr(1), Prctl.TASK_COMM_LEN - 1);
                }
                p.setComm(name);
                return 0;
            }
            case Prctl.PR_GET_NAME -> {
                mem.write(a.addr(1), java.util.Arrays.copyOf(p.comm(), Prctl.TASK_COMM_LEN));
                return 0;
            }
            case Prctl.PR_SET_DUMPABLE -> {
                if (arg2 != 0 && arg2 != 1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                p.setDumpable((int) arg2);
                return 0;
            }
            case Prctl.PR_GET_DUMPABLE -> {
                return p.dumpable();
            }
            case Prctl.PR_SET_NO_NEW_PRIVS -> {
                if (arg2 != 1 || a.u64(2) != 0 || a.u64(3) != 0 || a.u64(4) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                p.setNoNewPrivs();
                return 0;
            }
            case Prctl.PR_GET_NO_NEW_PRIVS -> {
                if (arg2 != 0 || a.u64(2) != 0 || a.u64(3) != 0 || a.u64(4) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return p.noNewPrivs() ? 1 : 0;
            }
            case Prctl.PR_SET_PDEATHSIG -> {
                if (Long.compareUnsigned(arg2, dev.jlx.abi.Signals.NSIG) > 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                t.setParentDeathSignal((int) arg2);
                return 0;
            }
            case Prctl.PR_GET_PDEATHSIG -> {
                mem.writeInt(a.addr(1), t.parentDeathSignal());
                return 0;
            }
            case Prctl.PR_SET_CHILD_SUBREAPER -> {
                p.setChildSubreaper(arg2 != 0);
                return 0;
            }
            case Prctl.PR_GET_CHILD_SUBREAPER -> {
                mem.writeInt(a.addr(1), p.childSubreaper() ? 1 : 0);
                return 0;
            }
            case Prctl.PR_GET_SECCOMP -> {
                // In strict mode prctl itself kills, so a caller that gets here has no seccomp mode.
                return 0;
            }
            case Prctl.PR_SET_SECCOMP -> {
                return SeccompSyscalls.prctlSetSeccomp(t, arg2);
            }
            case Prctl.PR_GET_KEEPCAPS -> {
                return (p.securebits() & GuestProcess.SECBIT_KEEP_CAPS) != 0 ? 1 : 0;
            }
            case Prctl.PR_SET_KEEPCAPS -> {
                if (Long.compareUnsigned(arg2, 1) > 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if ((p.securebits() & SECBIT_KEEP_CAPS_LOCKED) != 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
                p.setSecurebits(arg2 != 0 ? p.securebits() | GuestProcess.SECBIT_KEEP_CAPS
                        : p.securebits() & ~GuestProcess.SECBIT_KEEP_CAPS);
                return 0;
            }
            case Prctl.PR_GET_SECUREBITS -> {
                return p.securebits();
            }
            case Prctl.PR_SET_SECUREBITS -> {
                int old = p.securebits();
                // As cap_task_prctl: no change of a locked bit, no unlocking, no unknown bit, and CAP_SETPCAP.
                if (((old & SECURE_ALL_LOCKS) >>> 1 & (old ^ arg2)) != 0 || (old & SECURE_ALL_LOCKS & ~arg2) != 0
                        || (arg2 & ~(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) != 0 || !privileged(p)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                p.setSecurebits((int) arg2);
                return 0;
            }
            case Prctl.PR_CAPBSET_READ -> {
                checkCapability(arg2);
                return (p.capabilityBound() >>> arg2) & 1;
            }
            case Prctl.PR_CAPBSET_DROP -> {
                if (!privileged(p)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                checkCapability(arg2);
                p.dropBoundingCapability((int) arg2);
                return 0;
            }
            case Prctl.PR_CAP_AMBIENT -> {
                return capAmbient(p, a);
            }
            case Prctl.PR_MCE_KILL -> {
                return mceKill(t, a);
            }
            case Prctl.PR_MCE_KILL_GET -> {
                if (arg2 != 0 || a.u64(2) != 0 || a.u64(3) != 0 || a.u64(4) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                int flags = t.mceFlags();
                return (flags & GuestThread.MCE_PROCESS) == 0 ? PR_MCE_KILL_DEFAULT
                        : (flags & GuestThread.MCE_EARLY) != 0 ? PR_MCE_KILL_EARLY : PR_MCE_KILL_LATE;
            }
            case Prctl.PR_GET_TSC -> {
                mem.writeInt(a.addr(1), t.tscFaults() ? PR_TSC_SIGSEGV : PR_TSC_ENABLE);
                return 0;
            }
            case Prctl.PR_SET_TSC -> {
                if (arg2 != PR_TSC_SIGSEGV && arg2 != PR_TSC_ENABLE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                t.setTscFaults(arg2 == PR_TSC_SIGSEGV);
                return 0;
            }
            case Prctl.PR_SET_SYSCALL_USER_DISPATCH -> {
                setSyscallUserDispatch(t, a.u64(1), a.u64(2), a.u64(3), a.addr(4));
                return 0;
            }
            case Prctl.PR_GET_TID_ADDRESS -> {
                mem.writeLong(a.addr(1), t.clearChildTid());
                return 0;
            }
            case Prctl.PR_GET_TIMING -> {
                return PR_TIMING_STATISTICAL;
            }
            case Prctl.PR_SET_TIMING -> {
                // Process timing is statistical only; Linux never had the timestamp-based mode.
                if (arg2 != PR_TIMING_STATISTICAL) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return 0;
            }
            case Prctl.PR_GET_TIMERSLACK -> {
                return t.timerSlack();
            }
            case Prctl.PR_SET_TIMERSLACK -> {
                t.setTimerSlack(arg2);
                return 0;
            }
            case Prctl.PR_TASK_PERF_EVENTS_DISABLE, Prctl.PR_TASK_PERF_EVENTS_ENABLE -> {
                // The task's perf events: jlx opens none (perf_event_open is not served), so there are none to switch.
                return 0;
            }
            default -> {
                p.kernel().warnOnce("prctl-" + option, "prctl option " + option + " is not implemented: EINVAL");
                throw new ErrnoException(Errno.EINVAL);
            }
        }
    }

    /** Securebits: the lockable bits (SECBIT_NOROOT, NO_SETUID_FIXUP, KEEP_CAPS, NO_CAP_AMBIENT_RAISE) and their locks. */
    private static final int SECURE_ALL_BITS = 0x55;
    private static final int SECURE_ALL_LOCKS = 0xaa;
    private static final int SECBIT_KEEP_CAPS_LOCKED = 1 << 5;
    /** PR_MCE_KILL's arg2 (clear, set) and policies. */
    private static final int PR_MCE_KILL_CLEAR = 0;
    private static final int PR_MCE_KILL_SET = 1;
    private static final int PR_MCE_KILL_LATE = 0;
    private static final int PR_MCE_KILL_EARLY = 1;
    private static final int PR_MCE_KILL_DEFAULT = 2;
    private static final int PR_TSC_ENABLE = 1;
    private static final int PR_TSC_SIGSEGV = 2;
    /** PR_CAP_AMBIENT's operations. */
    private static final int PR_CAP_AMBIENT_IS_SET = 1;
    private static final int PR_CAP_AMBIENT_RAISE = 2;
    private static final int PR_CAP_AMBIENT_LOWER = 3;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /** CAP_SETPCAP: changing the bounding set and the securebits. */
    private static boolean privileged(GuestProcess p) {
        return p.credentials().capable(GuestProcess.CAP_SETPCAP);
    }

    private static void checkCapability(long cap) throws ErrnoException {
        if (Long.compareUnsigned(cap, GuestProcess.CAP_LAST_CAP) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * PR_CAP_AMBIENT, as cap_task_prctl: raising needs the capability both permitted and inheritable,
     * and no SECBIT_NO_CAP_AMBIENT_RAISE.
     */
    private static long capAmbient(GuestProcess p, Args a) throws ErrnoException {
        long op = a.u64(1);
        if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
            if ((a.u64(2) | a.u64(3) | a.u64(4)) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            p.changeCredentials(c -> c.withCaps(ambient(c.caps(), 0)));
            return 0;
        }
        if ((a.u64(3) | a.u64(4)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        checkCapability(a.u64(2));
        long bit = 1L << a.u64(2);
        if (op == PR_CAP_AMBIENT_IS_SET) {
            return (p.credentials().caps().ambient() & bit) != 0 ? 1 : 0;
        }
        if (op == PR_CAP_AMBIENT_LOWER) {
            p.changeCredentials(c -> c.withCaps(ambient(c.caps(), c.caps().ambient() & ~bit)));
            return 0;
        }
        if (op == PR_CAP_AMBIENT_RAISE) {
            p.changeCredentials(c -> {
                GuestProcess.Capabilities caps = c.caps();
                if ((caps.permitted() & caps.inheritable() & bit) == 0
                        || (p.securebits() & GuestProcess.SECBIT_NO_CAP_AMBIENT_RAISE) != 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
                return c.withCaps(ambient(caps, caps.ambient() | bit));
            });
            return 0;
        }
        throw new ErrnoException(Errno.EINVAL);
    }

    private static GuestProcess.Capabilities ambient(GuestProcess.Capabilities c, long ambient) {
        return new GuestProcess.Capabilities(c.inheritable(), c.permitted(), c.effective(), ambient);
    }

    /** PR_MCE_KILL, as Linux's: SET marks the task before it looks at the policy, even an invalid one. */
    private static long mceKill(GuestThread t, Args a) throws ErrnoException {
        if ((a.u64(3) | a.u64(4)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long policy = a.u64(2);
        int flags = t.mceFlags();
        if (a.u64(1) == PR_MCE_KILL_CLEAR) {
            if (policy != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            t.setMceFlags(flags & ~GuestThread.MCE_PROCESS);
            return 0;
        }
        if (a.u64(1) != PR_MCE_KILL_SET) {
            throw new ErrnoException(Errno.EINVAL);
        }
        flags |= GuestThread.MCE_PROCESS;
        try {
            if (policy == PR_MCE_KILL_EARLY) {
                flags |= GuestThread.MCE_EARLY;
            } else if (policy == PR_MCE_KILL_LATE) {
                flags &= ~GuestThread.MCE_EARLY;
            } else if (policy == PR_MCE_KILL_DEFAULT) {
                flags &= ~(GuestThread.MCE_EARLY | GuestThread.MCE_PROCESS);
            } else {
                throw new ErrnoException(Errno.EINVAL);
            }
        } finally {
            t.setMceFlags(flags);
        }
        return 0;
    }

    /** Implements Linux syscall sched_getaffinity(2): the thread's mask, all the JVM's CPUs unless set. */
    static long sched_getaffinity(GuestThread t, Args a) throws ErrnoException {
        GuestThread target = task(t, a.i32(0));
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
        GuestThread target = task(t, a.i32(0));
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

    /** The task a sched_* or PRIO_PROCESS call names: 0 for the caller, else any live guest thread's tid (ESRCH). */
    static GuestThread task(GuestThread t, int pid) throws ErrnoException {
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

    /** sched_setparam's policy: keep the one the task has. */
    static final int SETPARAM_POLICY = -1;

    /** Implements Linux syscall sched_get_priority_max(2): 99 for the real-time policies, else 0. */
    static long sched_get_priority_max(GuestThread t, Args a) throws ErrnoException {
        return switch (a.i32(0)) {
            case Sched.SCHED_FIFO, Sched.SCHED_RR -> Sched.MAX_RT_PRIORITY;
            case Sched.SCHED_OTHER, Sched.SCHED_BATCH, Sched.SCHED_IDLE, Sched.SCHED_DEADLINE -> 0;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    /** Implements Linux syscall sched_get_priority_min(2): 1 for the real-time policies, else 0. */
    static long sched_get_priority_min(GuestThread t, Args a) throws ErrnoException {
        return switch (a.i32(0)) {
            case Sched.SCHED_FIFO, Sched.SCHED_RR -> 1;
            case Sched.SCHED_OTHER, Sched.SCHED_BATCH, Sched.SCHED_IDLE, Sched.SCHED_DEADLINE -> 0;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    /** Implements Linux syscall sched_getscheduler(2): the task's policy, with SCHED_RESET_ON_FORK. */
    static long sched_getscheduler(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        if (pid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Scheduling s = task(t, pid).scheduling();
        return s.policy() | (s.resetOnFork() ? Sched.SCHED_RESET_ON_FORK : 0);
    }

    /**
     * Implements Linux syscall sched_rr_get_interval(2): SCHED_RR's time slice (RR_TIMESLICE, 100
     * ms); 0 for SCHED_FIFO, and for the fair policies, whose slice (0.75 ms times 1 + log2 of the
     * CPUs, at most 3 ms) is less than one 4 ms jiffy at jlx's CONFIG_HZ of 250.
     */
    static long sched_rr_get_interval(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        if (pid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long nanos = task(t, pid).scheduling().policy() == Sched.SCHED_RR ? 100_000_000L : 0;
        TimeSyscalls.putTimespec(t.process().space().memory(), a.addr(1), nanos);
        return 0;
    }

    /** Implements Linux syscall sched_getparam(2): the task's real-time priority (0 under the other policies). */
    static long sched_getparam(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        if (a.addr(1) == 0 || pid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().space().memory().writeInt(a.addr(1), task(t, pid).scheduling().rtPriority());
        return 0;
    }

    /** Implements Linux syscall sched_setscheduler(2). */
    static long sched_setscheduler(GuestThread t, Args a) throws ErrnoException {
        int policy = a.i32(1);
        if (policy < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return setScheduler(t, a.i32(0), policy, a.addr(2));
    }

    /** Implements Linux syscall sched_setparam(2): sched_setscheduler keeping the policy. */
    static long sched_setparam(GuestThread t, Args a) throws ErrnoException {
        return setScheduler(t, a.i32(0), SETPARAM_POLICY, a.addr(1));
    }

    /**
     * sched_setscheduler: SCHED_RESET_ON_FORK comes in the policy, the nice value stays, and
     * SCHED_DEADLINE has no parameters (EINVAL).
     */
    private static long setScheduler(GuestThread t, int pid, int requested, long param) throws ErrnoException {
        if (param == 0 || pid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int priority = t.process().space().memory().readInt(param);
        GuestThread target = task(t, pid);
        int policy = requested == SETPARAM_POLICY ? requested : requested & ~Sched.SCHED_RESET_ON_FORK;
        changeScheduling(t, target, policy, (requested & Sched.SCHED_RESET_ON_FORK) != 0, priority, null, false,
                false);
        return 0;
    }

    /**
     * __sched_setscheduler with Linux's checks in its order: the policy ({@code policy}
     * SETPARAM_POLICY keeps the task's, and its SCHED_RESET_ON_FORK) and priority must fit each
     * other, a SCHED_DEADLINE task's parameters must be valid ({@code deadlineValid}, else EINVAL);
     * without CAP_SYS_NICE a lower nice value needs RLIMIT_NICE, a real-time policy
     * or priority RLIMIT_RTPRIO, leaving SCHED_IDLE RLIMIT_NICE for the nice value, SCHED_DEADLINE
     * is refused, the task must be the caller's, and SCHED_RESET_ON_FORK cannot be cleared (EPERM).
     * {@code nice} (null: kept) is taken by SCHED_OTHER and SCHED_BATCH. jlx admits no
     * SCHED_DEADLINE bandwidth: a privileged change to it is EBUSY, as sched_dl_overflow's answer.
     * With {@code keepParams} (SCHED_FLAG_KEEP_PARAMS) all is checked, but only SCHED_RESET_ON_FORK changes.
     */
    static void changeScheduling(GuestThread t, GuestThread target, int requested, boolean resetRequested,
            int priority, Integer nice, boolean deadlineValid, boolean keepParams) throws ErrnoException {
        GuestProcess owner = target.process();
        GuestProcess.Credentials caller = t.process().credentials();
        boolean capable = caller.capable(GuestProcess.CAP_SYS_NICE);
        target.changeScheduling(cur -> {
            int policy = requested;
            boolean resetOnFork = resetRequested;
            if (policy == SETPARAM_POLICY) {
                policy = cur.policy();
                resetOnFork = cur.resetOnFork();
            } else if (policy != Sched.SCHED_OTHER && policy != Sched.SCHED_BATCH && policy != Sched.SCHED_IDLE
                    && !Sched.realTime(policy) && policy != Sched.SCHED_DEADLINE) {
                throw new ErrnoException(Errno.EINVAL);
            }
            boolean fair = policy == Sched.SCHED_OTHER || policy == Sched.SCHED_BATCH;
            int newNice = fair && nice != null ? nice : cur.nice();
            // The priority is unsigned there: -1 is above 99.
            if (Integer.compareUnsigned(priority, Sched.MAX_RT_PRIORITY) > 0
                    || policy == Sched.SCHED_DEADLINE && !deadlineValid
                    || Sched.realTime(policy) != (priority != 0)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (!capable) {
                if (newNice < cur.nice() && !canNice(owner, newNice)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                long rtLimit = owner.rlimits().soft(Resource.RLIMIT_RTPRIO);
                if (Sched.realTime(policy) && (policy != cur.policy() && rtLimit == 0
                        || priority > cur.rtPriority() && Long.compareUnsigned(priority, rtLimit) > 0)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (policy == Sched.SCHED_DEADLINE) {
                    throw new ErrnoException(Errno.EPERM);
                }
                if (cur.policy() == Sched.SCHED_IDLE && policy != Sched.SCHED_IDLE && !canNice(owner, cur.nice())) {
                    throw new ErrnoException(Errno.EPERM);
                }
                GuestProcess.Credentials theirs = owner.credentials();
                if (caller.euid() != theirs.euid() && caller.euid() != theirs.uid()
                        || cur.resetOnFork() && !resetOnFork) {
                    throw new ErrnoException(Errno.EPERM);
                }
            }
            if (policy == Sched.SCHED_DEADLINE) {
                throw new ErrnoException(Errno.EBUSY);
            }
            if (keepParams) {
                return new Scheduling(cur.policy(), cur.rtPriority(), cur.nice(), resetOnFork);
            }
            return new Scheduling(policy, priority, newNice, resetOnFork);
        });
    }

    /** Linux's can_nice without CAP_SYS_NICE: whether the task's RLIMIT_NICE (20 - nice) allows {@code nice}. */
    private static boolean canNice(GuestProcess p, int nice) {
        return Long.compareUnsigned(20 - nice, p.rlimits().soft(Resource.RLIMIT_NICE)) <= 0;
    }

    /**
     * The live guest threads a getpriority or setpriority call names (Linux's tasks): PRIO_PROCESS
     * one thread by its tid (0: the caller), PRIO_PGRP the threads of a process group's processes
     * (0: the caller's group), PRIO_USER those of the processes whose real uid it is (0: the caller's).
     */
    static List<GuestThread> priorityTasks(GuestThread t, int which, int who) throws ErrnoException {
        List<GuestThread> tasks = new ArrayList<>();
        switch (which) {
            case Resource.PRIO_PROCESS -> {
                try {
                    tasks.add(task(t, who));
                } catch (ErrnoException none) {
                    // No such task: ESRCH, from the caller.
                }
            }
            case Resource.PRIO_PGRP, Resource.PRIO_USER -> {
                int id = who != 0 ? who : which == Resource.PRIO_PGRP ? t.process().pgid()
                        : t.process().credentials().uid();
                for (GuestProcess p : t.process().kernel().processes()) {
                    if (!p.zombie() && (which == Resource.PRIO_PGRP ? p.pgid() : p.credentials().uid()) == id) {
                        tasks.addAll(p.threadSnapshot());
                    }
                }
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return tasks;
    }

    /**
     * Implements Linux syscall getpriority(2): the highest priority of the tasks named, as 20 - nice
     * (1..40); ESRCH when none.
     */
    static long getpriority(GuestThread t, Args a) throws ErrnoException {
        int best = -1;
        for (GuestThread task : priorityTasks(t, a.i32(0), a.i32(1))) {
            best = Math.max(best, 20 - task.scheduling().nice());
        }
        if (best < 0) {
            throw new ErrnoException(Errno.ESRCH);
        }
        return best;
    }

    /**
     * Implements Linux syscall setpriority(2): the nice value, cut to -20..19, for each task named
     * (set_one_prio): EPERM for a task that is not the caller's (by its effective uid) without
     * CAP_SYS_NICE, EACCES for a lower nice than the task's that its RLIMIT_NICE does not allow.
     * The others change; the answer is the last task's error, else 0, or ESRCH when none was named.
     */
    static long setpriority(GuestThread t, Args a) throws ErrnoException {
        int nice = Math.clamp(a.i32(2), Sched.MIN_NICE, Sched.MAX_NICE);
        GuestProcess.Credentials caller = t.process().credentials();
        boolean capable = caller.capable(GuestProcess.CAP_SYS_NICE);
        Errno error = Errno.ESRCH;
        for (GuestThread task : priorityTasks(t, a.i32(0), a.i32(1))) {
            GuestProcess owner = task.process();
            GuestProcess.Credentials theirs = owner.credentials();
            if (!capable && theirs.uid() != caller.euid() && theirs.euid() != caller.euid()) {
                error = Errno.EPERM;
                continue;
            }
            try {
                task.changeScheduling(cur -> {
                    if (nice < cur.nice() && !capable && !canNice(owner, nice)) {
                        throw new ErrnoException(Errno.EACCES);
                    }
                    return cur.withNice(nice);
                });
                if (error == Errno.ESRCH) {
                    error = null;
                }
            } catch (ErrnoException e) {
                error = e.errno();
            }
        }
        if (error != null) {
            throw new ErrnoException(error);
        }
        return 0;
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

    /**
     * Implements Linux syscall vhangup(2): EPERM without CAP_SYS_TTY_CONFIG; the caller's controlling
     * terminal, when it has one, hangs up as far as its session goes (its processes lose it, the
     * leader gets SIGHUP and SIGCONT); descriptions already open on it are not hung up.
     */
    static long vhangup(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        if (!p.credentials().capable(GuestProcess.CAP_SYS_TTY_CONFIG)) {
            throw new ErrnoException(Errno.EPERM);
        }
        dev.jlx.core.tty.Terminal tty = p.controllingTerminal();
        if (tty != null) {
            tty.vhangup();
        }
        return 0;
    }

    /** Implements Linux syscall sched_yield(2): other guest threads run whenever this one is not. */
    static long sched_yield(GuestThread t, Args a) {
        Thread.yield();
        return 0;
    }
}
