package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;

/**
 * A process's signal dispositions, analogous to Linux's {@code struct sighand_struct}: for each
 * signal 1..64 the handler, flags, restorer and mask that rt_sigaction(2) set. The monitor guards
 * them (Linux's siglock): the threads of the process change them while other processes send
 * signals that read them.
 */
public final class SignalActions {
    private final long[] handler = new long[Signals.NSIG + 1];
    private final long[] flags = new long[Signals.NSIG + 1];
    private final long[] restorer = new long[Signals.NSIG + 1];
    private final long[] mask = new long[Signals.NSIG + 1];

    public synchronized long handler(int sig) {
        return handler[sig];
    }

    public synchronized long flags(int sig) {
        return flags[sig];
    }

    public synchronized long restorer(int sig) {
        return restorer[sig];
    }

    public synchronized long mask(int sig) {
        return mask[sig];
    }

    public synchronized void set(int sig, long handler, long flags, long restorer, long mask) {
        this.handler[sig] = handler;
        this.flags[sig] = flags;
        this.restorer[sig] = restorer;
        this.mask[sig] = mask;
    }

    /** One signal's disposition, as rt_sigaction(2) reads and writes it. */
    public record Action(long handler, long flags, long restorer, long mask) {}

    /** rt_sigaction(2): {@code sig}'s action, replaced by {@code next} unless null, in one step. */
    public synchronized Action exchange(int sig, Action next) {
        Action old = new Action(handler[sig], flags[sig], restorer[sig], mask[sig]);
        if (next != null) {
            set(sig, next.handler(), next.flags(), next.restorer(), next.mask());
        }
        return old;
    }

    /** fork's copy: the child starts with its parent's dispositions. */
    synchronized SignalActions copy() {
        SignalActions c = new SignalActions();
        System.arraycopy(handler, 0, c.handler, 0, handler.length);
        System.arraycopy(flags, 0, c.flags, 0, flags.length);
        System.arraycopy(restorer, 0, c.restorer, 0, restorer.length);
        System.arraycopy(mask, 0, c.mask, 0, mask.length);
        return c;
    }

    /**
     * execve's and CLONE_CLEAR_SIGHAND's reset (Linux's flush_signal_handlers): caught signals go back
     * to SIG_DFL, ignored ones stay ignored (signal(7)); every action loses its flags and mask.
     */
    public synchronized void flushHandlers() {
        for (int sig = 1; sig < handler.length; sig++) {
            set(sig, handler[sig] == Signals.SIG_IGN ? Signals.SIG_IGN : Signals.SIG_DFL, 0, 0, 0);
        }
    }

    /** What SIG_DFL does for {@code sig} (signal(7)). */
    public static DefaultAction defaultAction(int sig) {
        return switch (sig) {
            case Signals.SIGCHLD, Signals.SIGURG, Signals.SIGWINCH -> DefaultAction.IGNORE;
            case Signals.SIGCONT -> DefaultAction.CONTINUE;
            case Signals.SIGSTOP, Signals.SIGTSTP, Signals.SIGTTIN, Signals.SIGTTOU -> DefaultAction.STOP;
            case Signals.SIGQUIT, Signals.SIGILL, Signals.SIGTRAP, Signals.SIGABRT, Signals.SIGBUS, Signals.SIGFPE,
                    Signals.SIGSEGV, Signals.SIGXCPU, Signals.SIGXFSZ, Signals.SIGSYS -> DefaultAction.CORE;
            default -> DefaultAction.TERMINATE;
        };
    }

    public enum DefaultAction {
        TERMINATE,
        /** Terminate with a core file (core(5)), when one may be written. */
        CORE,
        IGNORE,
        STOP,
        CONTINUE
    }
}
