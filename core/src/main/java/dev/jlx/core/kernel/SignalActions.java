package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;

/**
 * A process's signal dispositions, analogous to Linux's {@code struct sighand_struct}: for each
 * signal 1..64 the handler, flags, restorer and mask that rt_sigaction(2) set.
 */
public final class SignalActions {
    private final long[] handler = new long[Signals.NSIG + 1];
    private final long[] flags = new long[Signals.NSIG + 1];
    private final long[] restorer = new long[Signals.NSIG + 1];
    private final long[] mask = new long[Signals.NSIG + 1];

    public long handler(int sig) {
        return handler[sig];
    }

    public long flags(int sig) {
        return flags[sig];
    }

    public long restorer(int sig) {
        return restorer[sig];
    }

    public long mask(int sig) {
        return mask[sig];
    }

    public void set(int sig, long handler, long flags, long restorer, long mask) {
        this.handler[sig] = handler;
        this.flags[sig] = flags;
        this.restorer[sig] = restorer;
        this.mask[sig] = mask;
    }

    /** fork's copy: the child starts with its parent's dispositions. */
    SignalActions copy() {
        SignalActions c = new SignalActions();
        System.arraycopy(handler, 0, c.handler, 0, handler.length);
        System.arraycopy(flags, 0, c.flags, 0, flags.length);
        System.arraycopy(restorer, 0, c.restorer, 0, restorer.length);
        System.arraycopy(mask, 0, c.mask, 0, mask.length);
        return c;
    }

    /** execve: caught signals go back to SIG_DFL; ignored ones stay ignored (signal(7)). */
    void resetHandlersForExec() {
        for (int sig = 1; sig < handler.length; sig++) {
            if (handler[sig] != Signals.SIG_IGN) {
                set(sig, Signals.SIG_DFL, 0, 0, 0);
            }
        }
    }

    /** What SIG_DFL does for {@code sig} (signal(7)). */
    public static DefaultAction defaultAction(int sig) {
        return switch (sig) {
            case Signals.SIGCHLD, Signals.SIGURG, Signals.SIGWINCH -> DefaultAction.IGNORE;
            case Signals.SIGCONT -> DefaultAction.CONTINUE;
            case Signals.SIGSTOP, Signals.SIGTSTP, Signals.SIGTTIN, Signals.SIGTTOU -> DefaultAction.STOP;
            default -> DefaultAction.TERMINATE;
        };
    }

    public enum DefaultAction {
        TERMINATE,
        IGNORE,
        STOP,
        CONTINUE
    }
}
