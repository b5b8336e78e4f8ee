package dev.jlx.core.kernel;

import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import java.util.ArrayDeque;

/**
 * The siginfo of one pending set's signals, as Linux's sigpending list: a standard signal pends
 * once (one sent while it is pending is dropped, its first siginfo kept: legacy_queue), a real-time
 * signal and a POSIX timer's signal once per send, taken in the order sent. Guarded by the
 * process's monitor, as the set's bits.
 */
final class SignalQueue {
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Siginfo>[] infos = new ArrayDeque[Signals.NSIG + 1];
    /** Every queued siginfo in the order sent (Linux's list, which PTRACE_PEEKSIGINFO reads). */
    private final java.util.List<Siginfo> sent = new java.util.ArrayList<>();

    /** Queues {@code d}; false when it is dropped, a standard signal already pending. */
    boolean add(Siginfo d, boolean pending) {
        int sig = d.signo();
        if (pending && sig < Signals.SIGRTMIN && d.code() != Signals.SI_TIMER) {
            return false;
        }
        if (infos[sig] == null) {
            infos[sig] = new ArrayDeque<>(1);
        }
        infos[sig].add(d);
        sent.add(d);
        return true;
    }

    /** The first siginfo of {@code sig}, taken off; null when none was kept. */
    Siginfo poll(int sig) {
        Siginfo d = infos[sig] == null ? null : infos[sig].poll();
        removeSent(d);
        return d;
    }

    private void removeSent(Siginfo d) {
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) == d) {
                sent.remove(i);
                return;
            }
        }
    }

    /** The queued siginfo in the order sent. */
    java.util.List<Siginfo> inOrder() {
        return java.util.List.copyOf(sent);
    }

    /** Whether more of {@code sig} are queued. */
    boolean has(int sig) {
        return infos[sig] != null && !infos[sig].isEmpty();
    }

    /** Drops every queued {@code sig}, telling {@code dropped} of each. */
    void clear(int sig, java.util.function.Consumer<Siginfo> dropped) {
        if (infos[sig] != null) {
            infos[sig].forEach(dropped);
            infos[sig].forEach(this::removeSent);
            infos[sig].clear();
        }
    }
}
