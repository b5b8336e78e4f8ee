package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import java.util.List;

/**
 * A process's pending signals, analogous to Linux's shared_pending with each task's pending set
 * (kernel/signal.c): which thread a signal goes to (complete_signal), which one a thread takes next
 * (dequeue_signal), and the default actions taken on the way. The sets change under the process's
 * monitor, which is also what a thread waiting for a signal waits on; they are volatile for the
 * dispatcher's check without it.
 */
final class PendingSignals {
    private final GuestProcess process;
    /**
     * Signals sent to the process (Linux's shared pending set) that are blocked or have a handler jlx
     * cannot run yet; those sent to one thread pend on it ({@link GuestThread#pendingSignals}).
     */
    private volatile long shared;
    /** Who sent each pending signal (its siginfo), as Linux's sigpending list. */
    private final SignalQueue sharedInfo = new SignalQueue();

    PendingSignals(GuestProcess process) {
        this.process = process;
    }

    /** The process's shared pending set. */
    long shared() {
        return shared;
    }

    /** Makes {@code d} pending for the process, or for {@code thread} alone when not null. */
    private void add(GuestThread thread, Siginfo d) {
        synchronized (process) {
            long bit = GuestThread.bit(d.signo());
            if (thread == null) {
                sharedInfo.add(d, (shared & bit) != 0);
                shared |= bit;
            } else {
                thread.pendingInfo().add(d, (thread.pendingSignals & bit) != 0);
                thread.pendingSignals |= bit;
            }
            process.notifyAll();
        }
        process.signalReadiness().wake(dev.jlx.core.fs.Readiness.INPUT);
    }

    /** The siginfo queued for {@code t} alone, or for the process when {@code shared}, in the order sent. */
    java.util.List<Siginfo> queued(GuestThread t, boolean shared) {
        synchronized (process) {
            return shared ? sharedInfo.inOrder() : t.pendingInfo().inOrder();
        }
    }

    /** Whether a signal of {@code mask} is pending for {@code t} (its own or its process's). */
    boolean pending(GuestThread t, long mask) {
        return ((t.pendingSignals | shared) & mask) != 0;
    }

    /**
     * signalfd's dequeue: takes the lowest pending signal of {@code mask}, {@code t}'s own first, as
     * it is (no action is taken), waiting for one when {@code wait}; null when none came. EINTR when
     * the thread is interrupted for another signal or the end of the process.
     */
    Siginfo take(GuestThread t, long mask, boolean wait) throws dev.jlx.core.ErrnoException {
        synchronized (process) {
            while (true) {
                Siginfo info = take(t, mask);
                if (info != null) {
                    return info;
                }
                if (!wait) {
                    return null;
                }
                if (t.ending() || t.signalPending()) {
                    throw new dev.jlx.core.ErrnoException(dev.jlx.abi.Errno.EINTR);
                }
                try {
                    process.wait();
                } catch (InterruptedException e) {
                    // Woken to look again: a signal, or the end of the process.
                }
            }
        }
    }

    /** Drops the pending {@code signals} of the process and of each of its threads (a stop's or SIGCONT's). */
    void discard(long signals) {
        synchronized (process) {
            shared &= ~signals;
            for (int sig = 1; sig <= Signals.NSIG; sig++) {
                if ((signals & GuestThread.bit(sig)) != 0) {
                    sharedInfo.clear(sig, process.posixTimers()::dropped);
                }
            }
            for (GuestThread t : process.threads()) {
                t.pendingSignals &= ~signals;
                for (int sig = 1; sig <= Signals.NSIG; sig++) {
                    if ((signals & GuestThread.bit(sig)) != 0) {
                        t.pendingInfo().clear(sig, process.posixTimers()::dropped);
                    }
                }
            }
        }
    }

    /**
     * Takes the lowest of {@code signals} pending for {@code t} (its own first, then the process's,
     * as dequeue_signal), whatever its disposition; null when none is. A POSIX timer's signal made
     * stale by timer_settime or timer_delete since it was sent is dropped, as Linux 6.13's
     * posixtimer_deliver_signal drops it. Under the process's monitor.
     */
    private Siginfo take(GuestThread t, long signals) {
        while (true) {
            long own = t.pendingSignals & signals;
            long sharedNow = shared & signals;
            if ((own | sharedNow) == 0) {
                return null;
            }
            SignalQueue infos = own != 0 ? t.pendingInfo() : sharedInfo;
            int sig = Long.numberOfTrailingZeros(own != 0 ? own : sharedNow) + 1;
            Siginfo info = infos.poll(sig);
            if (!infos.has(sig)) {
                if (own != 0) {
                    t.pendingSignals &= ~GuestThread.bit(sig);
                } else {
                    shared &= ~GuestThread.bit(sig);
                }
            }
            if (info == null) {
                return Siginfo.kill(sig, Signals.SI_USER, 0, 0);
            }
            if (info.code() == Signals.SI_TIMER) {
                info = process.posixTimers().delivered(info);
            }
            if (info != null) {
                return info;
            }
        }
    }

    /**
     * Takes the lowest pending signal {@code t} does not block: one with SIG_DFL gets its default
     * action here (the process may end), SIG_IGN drops it, a handler returns it for a frame.
     */
    Siginfo next(GuestThread t) {
        SignalActions actions = process.signalActions();
        while (true) {
            Siginfo info;
            synchronized (process) {
                // A stopped process takes no signal until SIGCONT (SIGKILL never waits in the set).
                if (process.stopped()) {
                    return null;
                }
                info = take(t, ~t.signalMask());
                if (info == null) {
                    return null;
                }
            }
            if (t.tracee() != null) {
                // The signal-delivery stop: the tracer may suppress the signal or give another.
                info = process.kernel().ptrace().signalStop(t, info, true);
                if (info == null) {
                    continue;
                }
                if ((t.signalMask() & GuestThread.bit(info.signo())) != 0) {
                    // ptrace_signal: a replacement the thread blocks is queued for later.
                    add(t, info);
                    continue;
                }
            }
            int sig = info.signo();
            long handler = actions.handler(sig);
            if (handler == Signals.SIG_IGN) {
                continue;
            }
            if (handler == Signals.SIG_DFL) {
                switch (SignalActions.defaultAction(sig)) {
                    case TERMINATE -> {
                        process.exit(ExitStatus.killed(sig));
                        return null;
                    }
                    case CORE -> {
                        process.exitWithCore(t, info);
                        return null;
                    }
                    case STOP -> process.jobControl().stopUnlessOrphaned(sig);
                    case IGNORE, CONTINUE -> { }
                }
                continue;
            }
            return info;
        }
    }

    /**
     * rt_sigtimedwait: takes one of {@code signals} pending for {@code t}, waiting up to
     * {@code timeoutNanos} (negative: without limit) for one to come, whatever its disposition.
     * EAGAIN when none came in time; EINTR when a signal outside them that {@code t} does not block
     * came first (its handler runs as the call returns), or the process ends.
     */
    Siginfo await(GuestThread t, long signals, long timeoutNanos) throws ErrnoException {
        long start = System.nanoTime();
        synchronized (process) {
            while (true) {
                Siginfo info = take(t, signals);
                if (info != null) {
                    return info;
                }
                if (((shared | t.pendingSignals) & ~t.signalMask() & ~signals) != 0 || t.ending()) {
                    throw new ErrnoException(Errno.EINTR);
                }
                long left = timeoutNanos - (System.nanoTime() - start);
                if (timeoutNanos >= 0 && left <= 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                try {
                    if (timeoutNanos < 0) {
                        process.wait();
                    } else {
                        process.wait(left / 1_000_000, (int) (left % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    // Woken to look again: a signal, or the end of the process.
                }
            }
        }
    }

    /** pause and rt_sigsuspend: waits until a signal {@code t} does not block is pending, or the process ends. */
    void await(GuestThread t) {
        synchronized (process) {
            while (((shared | t.pendingSignals) & ~t.signalMask()) == 0 && !t.ending()) {
                try {
                    process.wait();
                } catch (InterruptedException e) {
                    // Woken to look again: a signal, or the end of the process.
                }
            }
        }
    }

    /**
     * Sends {@code d} to the process, to be taken by {@code thread} (null: the main thread) unless it
     * blocks it and another does not, or to {@code thread} alone when {@code threadDirected}: SIGKILL
     * ends the process; an ignored signal vanishes; one that every thread blocks, or one with a
     * handler, stays pending; else its default action is taken. SIGCONT resumes a stopped process
     * whatever its disposition, and a stop signal cancels a pending SIGCONT and vice versa. False
     * when the signal was ignored (Linux's prepare_signal), which a POSIX timer needs to know.
     */
    boolean send(GuestThread thread, Siginfo d, boolean threadDirected) {
        int sig = d.signo();
        List<GuestThread> threads = process.threads();
        GuestThread t = thread != null ? thread : threads.isEmpty() ? null : threads.get(0);
        if (sig == Signals.SIGKILL) {
            process.kernel().ptrace().killed(process);
            process.exit(ExitStatus.killed(sig));
            return true;
        }
        JobControl jobs = process.jobControl();
        boolean cont = sig == Signals.SIGCONT;
        if (!cont && (JobControl.STOP_SIGNALS & GuestThread.bit(sig)) != 0) {
            discard(GuestThread.bit(Signals.SIGCONT));
        }
        long handler = process.signalActions().handler(sig);
        // A traced thread's signals all wait for it to take them, through its tracer (sig_ignored).
        boolean traced = t != null && t.tracee() != null;
        if (handler == Signals.SIG_IGN && !traced) {
            if (cont) {
                jobs.resume();
            }
            return false;
        }
        if (!threadDirected && t != null && (t.signalMask() & GuestThread.bit(sig)) != 0) {
            // As Linux's complete_signal: a process's signal wakes a thread that does not block it.
            for (GuestThread other : threads) {
                if ((other.signalMask() & GuestThread.bit(sig)) == 0) {
                    t = other;
                    break;
                }
            }
        }
        boolean blocked = t != null && (t.signalMask() & GuestThread.bit(sig)) != 0;
        // A stopped process acts on nothing but SIGKILL and SIGCONT until it runs again. A signal
        // that dumps core is taken by the thread itself, whose registers the core records (Linux's
        // complete_signal leaves sig_kernel_coredump signals to dequeue_signal as well).
        boolean core = SignalActions.defaultAction(sig) == SignalActions.DefaultAction.CORE && t != null;
        if (blocked || traced || handler != Signals.SIG_DFL || (jobs.stopped() && !cont) || core) {
            // SIGCONT resumes the process whatever its disposition, once it is queued (as Linux's
            // prepare_signal then wake-up): a thread that wakes finds it with what was pending.
            add(threadDirected ? t : null, d);
            if (cont) {
                jobs.resume();
            }
            if (t != null && Kernel.caller() != t) {
                // The handler runs as the thread's current syscall returns (a blocking call is
                // interrupted), or, when it runs guest code, before its next block. A thread that
                // blocks the signal is stopped too: it may be unblocking it in rt_sigreturn just
                // now, after it looked for pending signals and before this one was added.
                if (!blocked) {
                    process.threadRunner().interrupt(t);
                }
                if (t.engine().stopsExactly()) {
                    t.engine().stop();
                }
            }
            return true;
        }
        if (cont) {
            jobs.resume();
        }
        switch (SignalActions.defaultAction(sig)) {
            case TERMINATE, CORE -> process.exit(ExitStatus.killed(sig));
            case STOP -> jobs.stopUnlessOrphaned(sig);
            case IGNORE -> {
                return false;
            }
            case CONTINUE -> { }
        }
        return true;
    }
}
