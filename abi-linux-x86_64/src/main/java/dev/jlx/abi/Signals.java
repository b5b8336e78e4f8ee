package dev.jlx.abi;

/** Signal numbers and sigaction constants, from {@code asm/signal.h} and {@code asm-generic/signal-defs.h}. */
public final class Signals {
    private Signals() {}

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
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
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;
    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SIG_SETMASK = 2;
    public static final int SA_NOCLDSTOP = 0x1;
    public static final int SA_NOCLDWAIT = 0x2;
    public static final int SA_SIGINFO = 0x4;
    public static final int SA_ONSTACK = 0x8000000;
    public static final int SA_RESTART = 0x10000000;
    public static final int SA_NODEFER = 0x40000000;
    public static final int SA_RESETHAND = 0x80000000;
    public static final int SA_RESTORER = 0x4000000;

    /** _NSIG: signals are numbered 1..64. */
    public static final int NSIG = 64;
    /** The kernel's first real-time signal; glibc reserves 32 and 33 and reports SIGRTMIN as 34. */
    public static final int SIGRTMIN = 32;
    public static final int SIG_DFL = 0;
    public static final int SIG_IGN = 1;

    /** "SIGSEGV", "SIGRT3" (SIGRTMIN + 3) style names, or null outside 1..64. */
    public static String name(int sig) {
        if (sig >= SIGRTMIN && sig <= NSIG) {
            return "SIGRT" + (sig - SIGRTMIN);
        }
        return AbiNames.nameOf(Signals.class, "SIG", sig, "SIG_");
    }
}
