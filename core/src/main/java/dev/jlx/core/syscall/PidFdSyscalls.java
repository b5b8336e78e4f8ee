package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Procfs;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.PidFd;
import dev.jlx.core.kernel.Ptrace;

/** Process descriptors: pidfd_open, pidfd_send_signal, pidfd_getfd (kernel/pid.c, kernel/signal.c). */
final class PidFdSyscalls {
    /** PIDFD_NONBLOCK is O_NONBLOCK; PIDFD_THREAD (O_EXCL) asks for a thread's pidfd. */
    private static final int PIDFD_THREAD = OpenFlags.O_EXCL;
    /** pidfd_send_signal's scopes: the thread, the thread group, the process group named by the pid. */
    private static final int PIDFD_SIGNAL_THREAD = 1;
    private static final int PIDFD_SIGNAL_THREAD_GROUP = 2;
    private static final int PIDFD_SIGNAL_PROCESS_GROUP = 4;

    private PidFdSyscalls() {}

    /**
     * Implements Linux syscall pidfd_open(2): a close-on-exec pidfd of a process (a zombie too);
     * EINVAL for a thread that does not lead its process, ESRCH for no such pid.
     */
    static long pidfd_open(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        int flags = a.i32(1);
        if ((flags & ~(OpenFlags.O_NONBLOCK | PIDFD_THREAD)) != 0 || pid <= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess target = t.process().kernel().process(pid);
        if (target == null) {
            // A thread's id names a pid that leads no process (pidfd_prepare's pid_has_task).
            SignalSyscalls.liveThread(t, 0, pid);
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & PIDFD_THREAD) != 0) {
            t.process().kernel().warnOnce("pidfd:thread", "pidfd_open with PIDFD_THREAD is not supported: EINVAL");
            throw new ErrnoException(Errno.EINVAL);
        }
        return install(t.process(), target, flags & OpenFlags.O_NONBLOCK);
    }

    /** A new pidfd of {@code target} in {@code p}'s table, close-on-exec (clone's CLONE_PIDFD too). */
    static int install(GuestProcess p, GuestProcess target, int statusFlags) throws ErrnoException {
        GuestProcess.Credentials c = p.credentials();
        return (int) FileSyscalls.installNew(p, new PidFd(target, statusFlags, c.fsuid(), c.fsgid()), true);
    }

    /** The pidfd behind {@code fd}: EBADF when it is none (pidfd_pid). */
    static PidFd pidfd(GuestThread t, int fd) throws ErrnoException {
        if (!(t.process().fds().get(fd) instanceof PidFd pidfd)) {
            throw new ErrnoException(Errno.EBADF);
        }
        return pidfd;
    }

    /**
     * Implements Linux syscall pidfd_send_signal(2): to the process (or, by flag, its leading thread
     * or the process group its pid names), with the caller's siginfo when given: its signo must be
     * the signal's, and a code of the kernel's or tkill's is EPERM but to the caller's own thread.
     * ESRCH once the process is reaped.
     */
    static long pidfd_send_signal(GuestThread t, Args a) throws ErrnoException {
        int sig = a.i32(1);
        long infoAddr = a.addr(2);
        int flags = a.i32(3);
        int scopes = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP;
        if ((flags & ~scopes) != 0 || Integer.bitCount(flags) > 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess caller = t.process();
        GuestProcess target;
        boolean reaped = false;
        OpenFile file = caller.fds().get(a.fd(0));
        if (file instanceof PidFd pidfd) {
            target = pidfd.process();
            reaped = pidfd.reaped();
        } else {
            // An open /proc/PID directory stands for its process too (tgid_pidfd_to_pid).
            int pid = Procfs.pidDirectory(file);
            if (pid == 0) {
                throw new ErrnoException(Errno.EBADF);
            }
            target = caller.kernel().process(pid);
            if (target == null) {
                throw new ErrnoException(Errno.ESRCH);
            }
        }
        Siginfo info;
        if (infoAddr != 0) {
            info = SignalSyscalls.readSiginfo(t, infoAddr, -1);
            if (info.signo() != sig) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if ((t.tid() != target.pid() || flags == PIDFD_SIGNAL_PROCESS_GROUP)
                    && (info.code() >= 0 || info.code() == Signals.SI_TKILL)) {
                throw new ErrnoException(Errno.EPERM);
            }
        } else {
            info = Siginfo.kill(sig, flags == PIDFD_SIGNAL_THREAD ? Signals.SI_TKILL : Signals.SI_USER, caller.pid(),
                    caller.credentials().uid());
        }
        if (flags == PIDFD_SIGNAL_PROCESS_GROUP) {
            boolean any = false;
            for (GuestProcess p : caller.kernel().processes()) {
                if (p.pgid() == target.pid()) {
                    any = true;
                    checkSignal(sig);
                    if (sig != 0 && !p.zombie()) {
                        p.signal(p == caller ? t : null, info);
                    }
                }
            }
            if (!any) {
                throw new ErrnoException(Errno.ESRCH);
            }
            return 0;
        }
        if (reaped) {
            throw new ErrnoException(Errno.ESRCH);
        }
        checkSignal(sig);
        if (sig == 0 || target.zombie()) {
            return 0;
        }
        if (flags == PIDFD_SIGNAL_THREAD) {
            GuestThread leader = target.mainThread();
            if (!leader.ending()) {
                target.signalThread(leader, info);
            }
        } else {
            target.signal(target == caller ? t : null, info);
        }
        return 0;
    }

    private static void checkSignal(int sig) throws ErrnoException {
        if (sig < 0 || sig > Signals.NSIG) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * Implements Linux syscall pidfd_getfd(2): a close-on-exec duplicate of another process's
     * descriptor (the same open file description), for a caller ptrace may let attach to it.
     */
    static long pidfd_getfd(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(2) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess target = pidfd(t, a.fd(0)).process();
        if (target.zombie() || target.exiting()) {
            // Its descriptors are gone with it (__pidfd_fget's PF_EXITING case).
            throw new ErrnoException(Errno.ESRCH);
        }
        checkPtraceAccess(t.process(), target);
        OpenFile file = target.fds().get(a.fd(1));
        file.retain();
        return FileSyscalls.installNew(t.process(), file, true);
    }

    /** __ptrace_may_access with PTRACE_MODE_REALCREDS (see {@link Ptrace#checkAccess}). */
    static void checkPtraceAccess(GuestProcess caller, GuestProcess target) throws ErrnoException {
        Ptrace.checkAccess(caller, target);
    }
}
