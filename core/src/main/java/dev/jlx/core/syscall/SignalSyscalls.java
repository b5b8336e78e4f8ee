package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.KernelSigaction;
import dev.jlx.abi.struct.Sigaltstack;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.SignalActions;
import dev.jlx.core.kernel.SignalFrames;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * Signal dispositions and masks, kill and its relatives, and the calls around handlers: handlers
 * run on Linux's signal frames ({@link SignalFrames}), delivered as a syscall returns or when
 * another process's signal stops the engine.
 */
final class SignalSyscalls {
    /** The kernel's sigset_t is 64 bits; rt_sig* calls insist on that size. */
    private static final long SIGSET_SIZE = 8;

    private SignalSyscalls() {}

    private static void checkSignal(int sig) throws ErrnoException {
        if (sig < 1 || sig > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** Implements Linux syscall signalfd(2): signalfd4 without flags. */
    static long signalfd(GuestThread t, Args a) throws ErrnoException {
        return signalfd(t, a.fd(0), a.addr(1), a.u64(2), 0);
    }

    /** Implements Linux syscall signalfd4(2): SFD_NONBLOCK, SFD_CLOEXEC; an existing signalfd gets the new mask. */
    static long signalfd4(GuestThread t, Args a) throws ErrnoException {
        return signalfd(t, a.fd(0), a.addr(1), a.u64(2), a.i32(3));
    }

    private static long signalfd(GuestThread t, int fd, long maskAddr, long size, int flags) throws ErrnoException {
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK)) != 0 || size != SIGSET_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long mask = t.process().space().memory().readLong(maskAddr);
        GuestProcess p = t.process();
        if (fd != -1) {
            if (!(p.fds().get(fd) instanceof dev.jlx.core.kernel.SignalFd existing)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            existing.setMask(mask);
            return fd;
        }
        dev.jlx.core.kernel.SignalFd file = new dev.jlx.core.kernel.SignalFd(mask, flags & OpenFlags.O_NONBLOCK,
                p.credentials().fsuid(), p.credentials().fsgid());
        return FileSyscalls.installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** Implements Linux syscall rt_sigaction(2). */
    static long rt_sigaction(GuestThread t, Args a) throws ErrnoException {
        int sig = a.i32(0);
        if (a.u64(3) != SIGSET_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        checkSignal(sig);
        GuestMemory mem = t.process().space().memory();
        SignalActions.Action next = null;
        if (a.addr(1) != 0) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) {
                throw new ErrnoException(Errno.EINVAL);
            }
            KernelSigaction k = KernelSigaction.readFrom(mem.readStruct(a.addr(1), KernelSigaction.SIZE), 0);
            next = new SignalActions.Action(k.handler(), k.flags(), k.restorer(),
                    k.mask() & ~(GuestThread.bit(Signals.SIGKILL) | GuestThread.bit(Signals.SIGSTOP)));
        }
        // The old action is the one replaced, even when another thread changes it at the same time.
        SignalActions.Action old = t.process().signalActions().exchange(sig, next);
        if (next != null && ignored(sig, old.handler()) && !ignored(sig, next.handler())) {
            // POSIX timers whose signal was ignored send it again (Linux's posixtimer_sig_unignore).
            t.process().posixTimers().unignored(sig);
        }
        if (a.addr(2) != 0) {
            ByteBuffer b = GuestMemory.structBuffer(KernelSigaction.SIZE);
            new KernelSigaction(old.handler(), old.flags(), old.restorer(), old.mask()).writeTo(b, 0);
            mem.writeStruct(a.addr(2), b);
        }
        return 0;
    }

    /** Whether a signal with this handler is ignored: SIG_IGN, or SIG_DFL whose default is to ignore. */
    private static boolean ignored(int sig, long handler) {
        return handler == Signals.SIG_IGN
                || handler == Signals.SIG_DFL && SignalActions.defaultAction(sig) == SignalActions.DefaultAction.IGNORE;
    }

    /** Implements Linux syscall rt_sigprocmask(2). */
    static long rt_sigprocmask(GuestThread t, Args a) throws ErrnoException {
        if (a.u64(3) != SIGSET_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        long old = t.signalMask();
        if (a.addr(1) != 0) {
            long set = mem.readLong(a.addr(1));
            switch (a.i32(0)) {
                case Signals.SIG_BLOCK -> t.setSignalMask(old | set);
                case Signals.SIG_UNBLOCK -> t.setSignalMask(old & ~set);
                case Signals.SIG_SETMASK -> t.setSignalMask(set);
                default -> throw new ErrnoException(Errno.EINVAL);
            }
        }
        if (a.addr(2) != 0) {
            mem.writeLong(a.addr(2), old);
        }
        // A signal this unblocks is delivered as the call returns (SyscallDispatcher).
        return 0;
    }

    /**
     * Implements Linux syscall kill(2): a pid, the caller's group (0), every process but the caller
     * and jlx itself (-1), or a group (-pgid). Signal 0 only checks that a target exists. A zombie
     * can be signalled, to no effect, as on Linux.
     */
    static long kill(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        int sig = a.i32(1);
        GuestProcess caller = t.process();
        if (pid == Integer.MIN_VALUE) {
            throw new ErrnoException(Errno.ESRCH);
        }
        java.util.List<GuestProcess> targets = new java.util.ArrayList<>();
        for (GuestProcess p : caller.kernel().processes()) {
            boolean match = pid > 0 ? p.pid() == pid
                    : pid == 0 ? p.pgid() == caller.pgid()
                    : pid == -1 ? p != caller
                    : p.pgid() == -pid;
            if (match) {
                targets.add(p);
            }
        }
        if (targets.isEmpty()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        // Linux checks the signal for each process it finds (check_kill_permission): none is ESRCH first.
        if (sig < 0 || sig > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (sig != 0) {
            for (GuestProcess p : targets) {
                if (!p.zombie()) {
                    // The caller's own process: its thread takes the signal unless it blocks it.
                    p.signal(p == caller ? t : null, Siginfo.kill(sig, Signals.SI_USER, caller.pid(),
                            caller.credentials().uid()));
                }
            }
        }
        return 0;
    }

    /** Implements Linux syscall tgkill(2). */
    static long tgkill(GuestThread t, Args a) throws ErrnoException {
        int tgid = a.i32(0);
        if (tgid <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return sendToThread(t, tgid, a.i32(1), a.i32(2));
    }

    /** Implements Linux syscall tkill(2). */
    static long tkill(GuestThread t, Args a) throws ErrnoException {
        return sendToThread(t, 0, a.i32(0), a.i32(1));
    }

    /**
     * tgkill/tkill: the thread {@code tid} (of process {@code tgid} unless 0) gets {@code sig};
     * EINVAL for a bad tid or signal, ESRCH when there is no such live thread.
     */
    private static long sendToThread(GuestThread t, int tgid, int tid, int sig) throws ErrnoException {
        if (tid <= 0 || sig < 0 || sig > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestThread target = liveThread(t, tgid, tid);
        if (sig != 0) {
            GuestProcess sender = t.process();
            target.process().signalThread(target, Siginfo.kill(sig, Signals.SI_TKILL, sender.pid(),
                    sender.credentials().uid()));
        }
        return 0;
    }

    /**
     * Implements Linux syscall rt_sigqueueinfo(2): the caller's siginfo (its signo replaced) to a
     * process, as kill sends; a code of the kernel's (>= 0) or tkill's is EPERM unless the target's
     * pid is the calling thread's id (do_rt_sigqueueinfo).
     */
    static long rt_sigqueueinfo(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        int sig = a.i32(1);
        Siginfo info = readSiginfo(t, a.addr(2), sig);
        if (impersonates(info) && pid != t.tid()) {
            throw new ErrnoException(Errno.EPERM);
        }
        // A thread's id names its process too (kill_pid_info looks the task up by any pid).
        GuestProcess p = pid > 0 ? t.process().kernel().process(pid) : null;
        if (p == null) {
            p = liveThread(t, 0, Math.max(pid, 0)).process();
        }
        checkSignalOrZero(sig);
        if (sig != 0 && !p.zombie()) {
            p.signal(p == t.process() ? t : null, info);
        }
        return 0;
    }

    /** Implements Linux syscall rt_tgsigqueueinfo(2): as rt_sigqueueinfo, to one thread of a process (do_send_specific). */
    static long rt_tgsigqueueinfo(GuestThread t, Args a) throws ErrnoException {
        int tgid = a.i32(0);
        int tid = a.i32(1);
        int sig = a.i32(2);
        Siginfo info = readSiginfo(t, a.addr(3), sig);
        if (tid <= 0 || tgid <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (impersonates(info) && tid != t.tid()) {
            throw new ErrnoException(Errno.EPERM);
        }
        GuestThread target = liveThread(t, tgid, tid);
        checkSignalOrZero(sig);
        if (sig != 0) {
            target.process().signalThread(target, info);
        }
        return 0;
    }

    /** A code only the kernel (>= 0: SI_USER, SI_KERNEL, a fault's) or tkill (SI_TKILL) gives. */
    private static boolean impersonates(Siginfo info) {
        return info.code() >= 0 || info.code() == Signals.SI_TKILL;
    }

    private static void checkSignalOrZero(int sig) throws ErrnoException {
        if (sig < 0 || sig > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** The si_code limits of the signals whose codes are their own (sig_sicodes: NSIGILL, NSIGFPE...). */
    private static int sigSpecificCodes(int sig) {
        return switch (sig) {
            case Signals.SIGILL -> 11;
            case Signals.SIGFPE -> 15;
            case Signals.SIGSEGV -> 10;
            case Signals.SIGBUS -> 5;
            case Signals.SIGTRAP -> 6;
            case Signals.SIGCHLD -> 6;
            case Signals.SIGSYS -> 2;
            default -> 0;
        };
    }

    /** known_siginfo_layout: whether Linux knows which union member a signal and code use. */
    private static boolean knownLayout(int sig, int code) {
        if (code == Signals.SI_KERNEL) {
            return true;
        }
        if (code > Signals.SI_USER) {
            int limit = sigSpecificCodes(sig);
            return limit != 0 ? code <= limit : code <= 6; // NSIGPOLL
        }
        return code >= -7 || code == -60; // SI_DETHREAD, SI_ASYNCNL
    }

    /**
     * copy_siginfo_from_user: the 48 bytes of kernel_siginfo at {@code address} (EFAULT), with
     * {@code signo} in place of si_signo unless it is negative; a layout Linux does not know must
     * have the rest of the 128 bytes zero (E2BIG), so that it reads back exactly.
     */
    static Siginfo readSiginfo(GuestThread t, long address, int signo) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        ByteBuffer b = mem.readStruct(address, Siginfo.Raw.KERNEL_SIZE);
        b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int sig = signo < 0 ? b.getInt(Siginfo.SI_SIGNO) : signo;
        int code = b.getInt(Siginfo.SI_CODE);
        if (!knownLayout(sig, code)) {
            byte[] tail = mem.read(address + Siginfo.Raw.KERNEL_SIZE, Siginfo.SIZE - Siginfo.Raw.KERNEL_SIZE);
            for (byte x : tail) {
                if (x != 0) {
                    throw new ErrnoException(Errno.E2BIG);
                }
            }
        }
        byte[] kept = new byte[Siginfo.Raw.KERNEL_SIZE - Siginfo.Raw.FROM];
        b.get(Siginfo.Raw.FROM, kept);
        return new Siginfo(sig, b.getInt(Siginfo.SI_ERRNO), code, new Siginfo.Raw(kept));
    }

    /** The live thread {@code tid} (of process {@code tgid} unless 0); ESRCH when there is none. */
    static GuestThread liveThread(GuestThread t, int tgid, int tid) throws ErrnoException {
        for (GuestProcess p : t.process().kernel().processes()) {
            if ((tgid == 0 || p.pid() == tgid) && !p.zombie()) {
                for (GuestThread candidate : p.threadSnapshot()) {
                    if (candidate.tid() == tid) {
                        return candidate;
                    }
                }
            }
        }
        throw new ErrnoException(Errno.ESRCH);
    }

    /** Implements Linux syscall rt_sigreturn(2): back from a handler to the frame's registers and mask. */
    static long rt_sigreturn(GuestThread t, Args a) throws ErrnoException {
        t.resumeAt(SignalFrames.sigreturn(t));
        return 0;
    }

    /** Implements Linux syscall rt_sigsuspend(2): waits with a temporary mask for a handled signal. */
    static long rt_sigsuspend(GuestThread t, Args a) throws ErrnoException {
        if (a.u64(1) != SIGSET_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long mask = t.process().space().memory().readLong(a.addr(0));
        t.setRestoreMask(t.signalMask());
        t.setSignalMask(mask);
        t.process().awaitSignal(t);
        throw new ErrnoException(Errno.EINTR);
    }

    /**
     * Implements Linux syscall restart_syscall(2). jlx restarts an interrupted call itself (sleeps
     * with the time left) and never hands the guest a restart block, so a direct call finds the
     * default one: EINTR, as Linux's do_no_restart_syscall.
     */
    static long restart_syscall(GuestThread t, Args a) throws ErrnoException {
        throw new ErrnoException(Errno.EINTR);
    }

    /** Implements Linux syscall pause(2). */
    static long pause(GuestThread t, Args a) throws ErrnoException {
        t.process().awaitSignal(t);
        throw new ErrnoException(Errno.EINTR);
    }

    /**
     * Implements Linux syscall rt_sigtimedwait(2): takes a pending signal of the set (SIGKILL and
     * SIGSTOP left out) without running its handler, waiting up to the timeout (NULL: without limit)
     * for one to come; EAGAIN when none came, EINTR when a handled signal outside the set came first.
     * The siginfo is written after the signal is taken, so a bad address loses it, as on Linux.
     */
    static long rt_sigtimedwait(GuestThread t, Args a) throws ErrnoException {
        if (a.u64(3) != SIGSET_SIZE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        long set = mem.readLong(a.addr(0)) & ~(GuestThread.bit(Signals.SIGKILL) | GuestThread.bit(Signals.SIGSTOP));
        long timeout = a.addr(2) == 0 ? -1 : TimeSyscalls.readTimespec(t, a.addr(2));
        Siginfo info = t.process().awaitSignal(t, set, timeout);
        if (a.addr(1) != 0) {
            ByteBuffer b = GuestMemory.structBuffer(Siginfo.SIZE);
            info.writeTo(b, 0);
            mem.writeStruct(a.addr(1), b);
        }
        return info.signo();
    }

    /** Sends {@code sig} to the calling thread alone, as Linux's send_sig (SIGPIPE). */
    static void send(GuestThread t, int sig) {
        GuestProcess p = t.process();
        p.signalThread(t, Siginfo.kill(sig, Signals.SI_USER, p.pid(), p.credentials().uid()));
    }

    /**
     * Implements Linux syscall rt_sigpending(2): the blocked signals pending for the thread or its
     * process; a set size above the kernel's is EINVAL, a smaller one gets that many bytes.
     */
    static long rt_sigpending(GuestThread t, Args a) throws ErrnoException {
        long size = a.u64(1);
        if (Long.compareUnsigned(size, SIGSET_SIZE) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long pending = (t.process().pendingSignals() | t.pendingSignals()) & t.signalMask();
        byte[] set = new byte[(int) size];
        for (int i = 0; i < set.length; i++) {
            set[i] = (byte) (pending >>> (8 * i));
        }
        t.process().space().memory().write(a.addr(0), set);
        return 0;
    }


    /** Implements Linux syscall sigaltstack(2). */
    static long sigaltstack(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long sp = t.engine().reg(X86Reg.RSP);
        ByteBuffer old = GuestMemory.structBuffer(Sigaltstack.SIZE);
        new Sigaltstack(t.altStackSp(), t.altStackState(sp), t.altStackSize()).writeTo(old, 0);
        if (a.addr(0) != 0) {
            Sigaltstack ss = Sigaltstack.readFrom(mem.readStruct(a.addr(0), Sigaltstack.SIZE), 0);
            t.setAltStack(sp, ss.sp(), ss.flags(), ss.size());
        }
        if (a.addr(1) != 0) {
            mem.writeStruct(a.addr(1), old);
        }
        return 0;
    }
}
