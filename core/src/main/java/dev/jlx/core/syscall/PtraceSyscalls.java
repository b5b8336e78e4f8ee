package dev.jlx.core.syscall;

import static dev.jlx.abi.Ptrace.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.core.kernel.Ptrace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ptrace(2): the tracer's requests; the stops themselves are {@link Ptrace}'s. */
final class PtraceSyscalls {
    private PtraceSyscalls() {}

    /** sizeof(sigset_t) for PTRACE_GETSIGMASK and PTRACE_SETSIGMASK. */
    private static final long SIGSET_SIZE = 8;

    /**
     * Implements Linux syscall ptrace(2) with sys_ptrace's order of checks: PTRACE_TRACEME; the
     * task (ESRCH); PTRACE_ATTACH and PTRACE_SEIZE; then a tracee of the caller's in a ptrace stop
     * (ESRCH, but for PTRACE_KILL and PTRACE_INTERRUPT any state); then the request (EIO for an
     * unknown one).
     */
    static long ptrace(GuestThread t, Args a) throws ErrnoException {
        long request = a.u64(0);
        int pid = a.i32(1);
        long addr = a.u64(2);
        long data = a.u64(3);
        Ptrace ptrace = t.process().kernel().ptrace();
        GuestProcess me = t.process();
        if (request == PTRACE_TRACEME) {
            ptrace.traceMe(t);
            return 0;
        }
        if (pid <= 0) {
            throw new ErrnoException(Errno.ESRCH);
        }
        GuestThread target = ProcessSyscalls.task(t, pid);
        if (request == PTRACE_ATTACH || request == PTRACE_SEIZE) {
            boolean seize = request == PTRACE_SEIZE;
            if (seize && (addr != 0 || (data & ~(long) PTRACE_O_MASK) != 0)) {
                throw new ErrnoException(Errno.EIO);
            }
            if (target.process() == me) {
                throw new ErrnoException(Errno.EPERM);
            }
            PidFdSyscalls.checkPtraceAccess(me, target.process());
            ptrace.attach(t, target, seize, seize ? (int) data : 0);
            return 0;
        }
        if (request == PTRACE_KILL) {
            ptrace.kill(me, pid);
            return 0;
        }
        if (request == PTRACE_INTERRUPT) {
            ptrace.interrupt(me, pid);
            return 0;
        }
        if (request == PTRACE_CONT || request == PTRACE_SYSCALL || request == PTRACE_DETACH
                || request == PTRACE_LISTEN || request == PTRACE_SINGLESTEP) {
            ptrace.resume(me, pid, (int) request, data);
            return 0;
        }
        GuestMemory mine = me.space().memory();
        return ptrace.withStopped(me, pid, tr -> request(t, ptrace, mine, Ptrace.thread(tr), tr, request, addr,
                data));
    }

    /** The requests on a stopped tracee, under the kernel's monitor (nothing here blocks). */
    private static long request(GuestThread t, Ptrace ptrace, GuestMemory mine, GuestThread tracee, Ptrace.Tracee tr,
            long request, long addr, long data) throws ErrnoException {
        GuestMemory theirs = tracee.process().space().memory();
        switch ((int) request) {
            case PTRACE_PEEKTEXT, PTRACE_PEEKDATA -> {
                long word = peek(theirs, addr);
                mine.writeLong(data, word);
                return 0;
            }
            case PTRACE_POKETEXT, PTRACE_POKEDATA -> {
                poke(theirs, addr, data);
                return 0;
            }
            case PTRACE_PEEKUSR -> {
                mine.writeLong(data, peekUser(tr, addr));
                return 0;
            }
            case PTRACE_POKEUSR -> {
                pokeUser(tr, addr, data);
                return 0;
            }
            case PTRACE_GETREGS -> {
                mine.writeStruct(data, regsBuffer(Ptrace.regs(tr)));
                return 0;
            }
            case PTRACE_SETREGS -> {
                Ptrace.setRegs(tr, readRegs(mine, data, USER_REGS_COUNT, Ptrace.regs(tr)));
                return 0;
            }
            case PTRACE_GETFPREGS -> {
                mine.write(data, ptrace.onTracee(tr, e -> e.fxsave()));
                return 0;
            }
            case PTRACE_SETFPREGS -> {
                setFpregs(ptrace, tr, mine.read(data, USER_FPREGS_SIZE));
                return 0;
            }
            case PTRACE_GETREGSET, PTRACE_SETREGSET -> {
                return regset(ptrace, mine, tr, addr, data, request == PTRACE_SETREGSET);
            }
            case PTRACE_PEEKSIGINFO -> {
                return peekSiginfo(mine, tr, addr, data);
            }
            case PTRACE_SETOPTIONS -> {
                Ptrace.setOptions(tr, data);
                return 0;
            }
            case PTRACE_GETEVENTMSG -> {
                mine.writeLong(data, Ptrace.eventMessage(tr));
                return 0;
            }
            case PTRACE_GETSIGINFO -> {
                Siginfo info = Ptrace.siginfo(tr);
                ByteBuffer b = GuestMemory.structBuffer(Siginfo.SIZE);
                info.writeTo(b, 0);
                mine.writeStruct(data, b);
                return 0;
            }
            case PTRACE_SETSIGINFO -> {
                Ptrace.siginfo(tr);
                byte[] raw = mine.read(data, Siginfo.SIZE);
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                Ptrace.setSiginfo(tr, new Siginfo(b.getInt(Siginfo.SI_SIGNO), b.getInt(Siginfo.SI_ERRNO),
                        b.getInt(Siginfo.SI_CODE), new Siginfo.Raw(java.util.Arrays.copyOfRange(raw,
                                Siginfo.Raw.FROM, Siginfo.SIZE))));
                return 0;
            }
            case PTRACE_GETSIGMASK -> {
                if (addr != SIGSET_SIZE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                mine.writeLong(data, Ptrace.signalMask(tr));
                return 0;
            }
            case PTRACE_SETSIGMASK -> {
                if (addr != SIGSET_SIZE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                Ptrace.setSignalMask(tr, mine.readLong(data));
                return 0;
            }
            case PTRACE_GET_SYSCALL_INFO -> {
                return syscallInfo(mine, tr, addr, data);
            }
            default -> {
                // PTRACE_SINGLESTEP, the FPU's registers, hardware breakpoints and the rest (see the table).
                t.process().kernel().warnOnce("ptrace " + request, "ptrace request " + request
                        + " is not served: EIO");
                throw new ErrnoException(Errno.EIO);
            }
        }
    }

    /** A word of the tracee's memory (FOLL_FORCE: any mapping it can read); EIO when there is none. */
    private static long peek(GuestMemory m, long addr) throws ErrnoException {
        try {
            return m.readLong(addr);
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    /**
     * A word into the tracee's memory, as FOLL_FORCE writes it: also into a mapping it may only read
     * or run (a breakpoint in its code); EIO when nothing is mapped there.
     */
    private static void poke(GuestMemory m, long addr, long word) throws ErrnoException {
        try {
            m.writeLong(addr, word);
            return;
        } catch (ErrnoException notWritable) {
            // Try the forced write below.
        }
        try {
            m.writeLongForced(addr, word);
        } catch (ErrnoException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    /** DR6's bits that read as 1 (Linux keeps virtual_dr6 with them flipped: ptrace_get_debugreg). */
    private static final long DR6_RESERVED = 0xffff0ff0L;

    /**
     * PTRACE_PEEKUSR: an aligned offset into struct user (EIO otherwise): the registers, the debug
     * registers (DR6 with the single-step bit of the last step), 0 for the rest.
     */
    private static long peekUser(Ptrace.Tracee tr, long addr) throws ErrnoException {
        checkUserOffset(addr);
        if (addr < USER_REGS_SIZE) {
            return Ptrace.regs(tr)[(int) (addr / 8)];
        }
        if (addr >= USER_DEBUGREG && addr < USER_DEBUGREG + 64) {
            int n = (int) (addr - USER_DEBUGREG) / 8;
            return n == 6 ? Ptrace.debugReg(tr, 6) ^ DR6_RESERVED : n == 4 || n == 5 ? 0 : Ptrace.debugReg(tr, n);
        }
        return 0;
    }

    private static void pokeUser(Ptrace.Tracee tr, long addr, long value) throws ErrnoException {
        checkUserOffset(addr);
        if (addr < USER_REGS_SIZE) {
            long[] r = Ptrace.regs(tr);
            r[(int) (addr / 8)] = value;
            Ptrace.setRegs(tr, r);
        } else if (addr >= USER_DEBUGREG && addr < USER_DEBUGREG + 64) {
            pokeDebugReg(tr, (int) (addr - USER_DEBUGREG) / 8, value);
        }
    }

    /** The user-space addresses a breakpoint may watch (TASK_SIZE_MAX less a page, as arch_check_bp_in_kernelspace). */
    private static final long TASK_SIZE = 0x7ffffffff000L;

    /**
     * A debug register (ptrace_set_debugreg): DR0-3 hold addresses (EINVAL for a kernel one), DR6 its
     * status, DR7 enables data watchpoints (write, or read and write) of 1, 2, 4 or 8 aligned bytes,
     * which the engine watches with memory hooks. An instruction breakpoint (R/W 00) is refused
     * with ENOSPC, as Linux's when no slot is left, an I/O one or a misaligned range with EINVAL
     * (hw_breakpoint_arch_parse); a debugger then falls back to int3 breakpoints.
     */
    private static void pokeDebugReg(Ptrace.Tracee tr, int n, long value) throws ErrnoException {
        if (n < 4) {
            if (Long.compareUnsigned(value, TASK_SIZE) >= 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            Ptrace.setDebugReg(tr, n, value);
        } else if (n == 6) {
            Ptrace.setDebugReg(tr, 6, value ^ DR6_RESERVED);
        } else if (n == 7) {
            for (int i = 0; i < 4; i++) {
                if ((value >> (2 * i) & 3) == 0) {
                    continue;
                }
                int type = (int) (value >> (16 + 4 * i) & 3);
                if (type == 2 || (Ptrace.debugReg(tr, i) & (Ptrace.dr7Length(value, i) - 1)) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (type == 0 || !Ptrace.thread(tr).engine().stopsExactly()) {
                    Ptrace.thread(tr).process().kernel().warnOnce("ptrace debug registers",
                            "ptrace: a hardware breakpoint jlx cannot serve (an instruction one, or no stop stub): ENOSPC");
                    throw new ErrnoException(Errno.ENOSPC);
                }
            }
            Ptrace.setDebugReg(tr, 7, value);
        }
    }

    private static void checkUserOffset(long addr) throws ErrnoException {
        if ((addr & 7) != 0 || Long.compareUnsigned(addr, USER_SIZE) >= 0) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    private static ByteBuffer regsBuffer(long[] regs) {
        ByteBuffer b = GuestMemory.structBuffer(USER_REGS_SIZE);
        for (long r : regs) {
            b.putLong(r);
        }
        return b.flip();
    }

    private static long[] readRegs(GuestMemory m, long addr, int count, long[] into) throws ErrnoException {
        ByteBuffer b = ByteBuffer.wrap(m.read(addr, count * 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            into[i] = b.getLong();
        }
        return into;
    }

    /** MXCSR's bits the CPU has (Linux's mxcsr_feature_mask): a state with others is EINVAL. */
    private static final int MXCSR_FEATURES = 0xffff;
    /** MXCSR's offset in the FXSAVE area. */
    private static final int FXSAVE_MXCSR = 24;

    /** The FPU's registers into the tracee (xfpregs_set): EINVAL for an MXCSR the CPU cannot hold. */
    private static void setFpregs(Ptrace ptrace, Ptrace.Tracee tr, byte[] area) throws ErrnoException {
        int mxcsr = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN).getInt(FXSAVE_MXCSR);
        if ((mxcsr & ~MXCSR_FEATURES) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ptrace.onTracee(tr, e -> {
            e.fxrstor(area);
            return Boolean.TRUE;
        });
    }

    /**
     * PTRACE_GETREGSET and SETREGSET with NT_PRSTATUS (the general registers) or NT_PRFPREG (the
     * FXSAVE area; a set takes the whole of it), EINVAL for any other set: an iovec whose length is a
     * multiple of 8, cut to the set's size and written back.
     */
    private static long regset(Ptrace ptrace, GuestMemory mine, Ptrace.Tracee tr, long type, long iov, boolean set)
            throws ErrnoException {
        long base = mine.readLong(iov);
        long len = mine.readLong(iov + 8);
        if (type != NT_PRSTATUS && type != NT_PRFPREG || len % 8 != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (type == NT_PRFPREG) {
            len = Math.min(len, USER_FPREGS_SIZE);
            if (set) {
                if (len != USER_FPREGS_SIZE) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                setFpregs(ptrace, tr, mine.read(base, USER_FPREGS_SIZE));
            } else {
                mine.write(base, ptrace.onTracee(tr, e -> e.fxsave()), 0, (int) len);
            }
            mine.writeLong(iov + 8, len);
            return 0;
        }
        len = Math.min(len, USER_REGS_SIZE);
        int count = (int) (len / 8);
        long[] regs = Ptrace.regs(tr);
        if (set) {
            Ptrace.setRegs(tr, readRegs(mine, base, count, regs));
        } else {
            ByteBuffer b = regsBuffer(regs);
            mine.write(base, b.array(), 0, (int) len);
        }
        mine.writeLong(iov + 8, len);
        return 0;
    }

    /**
     * PTRACE_PEEKSIGINFO (ptrace_peek_siginfo): up to nr of the tracee's queued signals (its own, or
     * its process's with PTRACE_PEEKSIGINFO_SHARED) from the off-th, in the order sent; returns how
     * many were copied. EINVAL for unknown flags or a negative nr; EFAULT when none could be written.
     */
    private static long peekSiginfo(GuestMemory mine, Ptrace.Tracee tr, long argsAddr, long out)
            throws ErrnoException {
        ByteBuffer args = ByteBuffer.wrap(mine.read(argsAddr, PEEKSIGINFO_ARGS_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        long off = args.getLong(0);
        int flags = args.getInt(8);
        int nr = args.getInt(12);
        if ((flags & ~PTRACE_PEEKSIGINFO_SHARED) != 0 || nr < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        java.util.List<Siginfo> queued = Ptrace.queued(tr, (flags & PTRACE_PEEKSIGINFO_SHARED) != 0);
        int copied = 0;
        for (long i = off; copied < nr && Long.compareUnsigned(i, queued.size()) < 0; i++) {
            ByteBuffer b = GuestMemory.structBuffer(Siginfo.SIZE);
            queued.get((int) i).writeTo(b, 0);
            try {
                mine.writeStruct(out + (long) copied * Siginfo.SIZE, b);
            } catch (ErrnoException e) {
                if (copied == 0) {
                    throw e;
                }
                break;
            }
            copied++;
        }
        return copied;
    }

    /**
     * PTRACE_GET_SYSCALL_INFO: what the stop knows of the syscall (entry: number and arguments;
     * exit: value and whether it is an error; else nothing), as much as {@code size} bytes of it;
     * returns the whole size. Syscall stops count only with PTRACE_O_TRACESYSGOOD, as Linux's.
     */
    private static long syscallInfo(GuestMemory mine, Ptrace.Tracee tr, long size, long addr) throws ErrnoException {
        long[] r = Ptrace.regs(tr);
        ByteBuffer b = GuestMemory.structBuffer(INFO_SIZE_ENTRY);
        b.putInt(INFO_ARCH, AUDIT_ARCH_X86_64);
        b.putLong(INFO_INSTRUCTION_POINTER, r[RIP]);
        b.putLong(INFO_STACK_POINTER, r[RSP]);
        int actual = INFO_SIZE_NONE;
        Siginfo info = Ptrace.siginfoOrNull(tr);
        Ptrace.Kind kind = Ptrace.kind(tr);
        if (info != null && info.code() == (dev.jlx.abi.Signals.SIGTRAP | 0x80)) {
            if (kind == Ptrace.Kind.SYSCALL_ENTRY) {
                b.put(INFO_OP, (byte) PTRACE_SYSCALL_INFO_ENTRY);
                b.putLong(INFO_NR, r[ORIG_RAX]);
                long[] args = {r[RDI], r[RSI], r[RDX], r[R10], r[R8], r[R9]};
                for (int i = 0; i < 6; i++) {
                    b.putLong(INFO_ARGS + 8 * i, args[i]);
                }
                actual = INFO_SIZE_ENTRY;
            } else if (kind == Ptrace.Kind.SYSCALL_EXIT) {
                b.put(INFO_OP, (byte) PTRACE_SYSCALL_INFO_EXIT);
                b.putLong(INFO_RVAL, r[RAX]);
                b.put(INFO_IS_ERROR, (byte) (Long.compareUnsigned(r[RAX], -4095L) >= 0 ? 1 : 0));
                actual = INFO_SIZE_EXIT;
            }
        }
        int write = (int) Math.min(actual, size);
        if (write > 0) {
            mine.write(addr, b.array(), 0, write);
        }
        return actual;
    }
}
