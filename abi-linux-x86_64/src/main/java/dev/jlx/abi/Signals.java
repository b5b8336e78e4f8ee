package dev.jlx.abi;

/**
 * Signal numbers, sigprocmask(2) hows and sigaction(2) flags, from the x86 {@code asm/signal.h} and
 * {@code asm-generic/signal-defs.h}, and sigaltstack(2) flags from {@code linux/signal.h}.
 */
public final class Signals {
    private Signals() {}

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGIOT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGSTKFLT = 16;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGIO = 29;
    public static final int SIGPOLL = SIGIO;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;

    /**
     * The kernel's first real-time signal. glibc keeps 32 and 33 for itself (thread cancellation and
     * setxid), so a guest's {@code SIGRTMIN} macro says 34; the kernel must still accept 32 and 33.
     */
    public static final int SIGRTMIN = 32;
    public static final int SIGRTMAX = 64;
    /** {@code _NSIG}: signals are numbered 1 to 64, so a kernel sigset_t is one 64-bit word. */
    public static final int NSIG = 64;
    /** The sigsetsize rt_sigprocmask(2) and rt_sigaction(2) insist on, in bytes. */
    public static final int SIGSET_SIZE = NSIG / 8;

    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SIG_SETMASK = 2;

    /** Handler values with a special meaning. */
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;
    public static final long SIG_ERR = -1;

    public static final int SA_NOCLDSTOP = 0x00000001;
    public static final int SA_NOCLDWAIT = 0x00000002;
    public static final int SA_SIGINFO = 0x00000004;
    /** Never set by the kernel: a program sets it to probe which flags a kernel knows. */
    public static final int SA_UNSUPPORTED = 0x00000400;
    public static final int SA_EXPOSE_TAGBITS = 0x00000800;
    /** x86-64 has no kernel-provided return trampoline: libc passes its own in sa_restorer. */
    public static final int SA_RESTORER = 0x04000000;
    public static final int SA_ONSTACK = 0x08000000;
    public static final int SA_RESTART = 0x10000000;
    public static final int SA_NODEFER = 0x40000000;
    public static final int SA_RESETHAND = 0x80000000;

    public static final int MINSIGSTKSZ = 2048;
    public static final int SIGSTKSZ = 8192;
    /** sigaltstack(2) ss_flags. */
    public static final int SS_ONSTACK = 1;
    public static final int SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;

    /** si_code values (asm-generic/siginfo.h): who sent a signal. */
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_TKILL = -6;
    /** A POSIX timer's expiry (its siginfo is {@code _timer}). */
    public static final int SI_TIMER = -2;
    /** sigev_notify values (asm-generic/siginfo.h): how a POSIX timer tells its expiry. */
    public static final int SIGEV_SIGNAL = 0;
    public static final int SIGEV_NONE = 1;
    public static final int SIGEV_THREAD = 2;
    public static final int SIGEV_THREAD_ID = 4;
    /** si_code values of SIGCHLD. */
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_TRAPPED = 4;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    /**
     * The name strace prints for a signal: {@code "SIGSEGV"}, or {@code "SIGRT3"} for
     * {@code SIGRTMIN + 3} counted from the kernel's SIGRTMIN (32).
     *
     * @return the name, or null when {@code sig} is not in 1..64
     */
    public static String name(int sig) {
        if (sig >= 1 && sig < SIGRTMIN) {
            return NAMES[sig];
        }
        return sig >= SIGRTMIN && sig <= SIGRTMAX ? "SIGRT" + (sig - SIGRTMIN) : null;
    }
}
