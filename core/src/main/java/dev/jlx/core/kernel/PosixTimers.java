package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's POSIX timers (timer_create), as Linux's kernel/time/posix-timers.c since 6.13. Ids
 * count up from 0 per process (a fork child starts again at 0; execve deletes the timers but keeps
 * counting). An expiry sends the timer's signal, which is queued once per timer; a periodic timer
 * is not rearmed until that signal is taken, and then counts the intervals it missed as overruns
 * (si_overrun, timer_getoverrun, at most DELAYTIMER_MAX). A signal made stale by timer_settime or
 * timer_delete before it is taken is dropped; a periodic timer whose signal is ignored waits until
 * it is not ignored any more. One monitor guards the table and its timers; it comes after the
 * process's monitor (signals are taken under that) and before each timer's {@link ClockAlarm}.
 */
public final class PosixTimers {
    /** DELAYTIMER_MAX: the overrun count saturates at INT_MAX. */
    private static final long DELAYTIMER_MAX = Integer.MAX_VALUE;

    private final GuestProcess process;
    private final Map<Integer, Timer> timers = new TreeMap<>();
    /** The signals the timers have queued and not yet seen taken, each with its timer. */
    private final Map<Siginfo, Timer> queued = new IdentityHashMap<>();
    private int nextId;

    PosixTimers(GuestProcess process) {
        this.process = process;
    }

    /** How a timer tells its expiry: SIGEV_NONE, or a signal to the process or to one of its threads. */
    public record Notify(int how, int signo, long value, GuestThread thread) {}

    /** One timer (Linux's k_itimer). */
    final class Timer {
        final int id;
        final int clockId;
        final Notify notify;
        final ClockAlarm.Clock clock;
        final ClockAlarm alarm;
        /** Armed: the clock's time of the next expiry; interval 0 for a one-shot timer. */
        boolean armed;
        long deadline;
        long interval;
        /** Expired, its signal queued or ignored, not rearmed until it is taken (REQUEUE_PENDING). */
        boolean requeuePending;
        /** The signal was ignored when sent: it is sent again once it is not ignored. */
        boolean parked;
        /** Changes with each setting, so a signal sent for an older one is known stale. */
        long signalSeq;
        /** The signal queued for this timer and not yet taken, and the setting it was sent for. */
        Siginfo pending;
        long pendingSeq;
        /** Linux's it_overrun (counting, from -1) and it_overrun_last (what the last signal carried). */
        long overrun = -1;
        long overrunLast;

        Timer(int id, int clockId, Notify notify, ClockAlarm.Clock clock) {
            this.id = id;
            this.clockId = clockId;
            this.notify = notify;
            this.clock = clock;
            this.alarm = new ClockAlarm(clock, this::expire);
        }

        public int clockId() {
            return clockId;
        }

        /** Moves a periodic timer's deadline past now, counting the intervals passed (hrtimer_forward). */
        private void forward(long now) {
            if (interval > 0 && now >= deadline) {
                long missed = (now - deadline) / interval + 1;
                deadline = missed > (Long.MAX_VALUE - deadline) / interval ? Long.MAX_VALUE : deadline + missed * interval;
                overrun = Math.min(overrun + missed, DELAYTIMER_MAX);
            }
        }

        private void expire() {
            Siginfo info;
            synchronized (PosixTimers.this) {
                if (!armed || requeuePending || timers.get(id) != this || clock.now().getAsLong() < deadline) {
                    return;
                }
                if (interval == 0) {
                    armed = false;
                } else {
                    requeuePending = true;
                }
                if (pending != null) {
                    // Its signal is still queued (sent for an older setting): it now stands for this one.
                    pendingSeq = signalSeq;
                    return;
                }
                info = queue();
            }
            send(this, info);
        }

        /** The signal for the current setting, recorded as queued. */
        private Siginfo queue() {
            Siginfo info = new Siginfo(notify.signo(), 0, Signals.SI_TIMER, new Siginfo.Timer(id, 0, notify.value()));
            pending = info;
            pendingSeq = signalSeq;
            queued.put(info, this);
            return info;
        }
    }

    /** Sends a timer's signal; one that is ignored is not queued, and a periodic timer waits for it. */
    private void send(Timer timer, Siginfo info) {
        boolean sent = !process.exiting() && (timer.notify.thread() == null
                ? process.pending().send(null, info, false)
                : !timer.notify.thread().ending() && process.pending().send(timer.notify.thread(), info, true));
        if (!sent) {
            synchronized (this) {
                dropped(info);
                if (timer.interval > 0 && timer.requeuePending && timer.pendingSeq == timer.signalSeq) {
                    timer.parked = true;
                }
            }
        }
    }

    /**
     * timer_create: a new timer {@code id} (from {@link #allocateId}) on {@code clock}; {@code notify}
     * null for SIGEV_SIGNAL SIGALRM to the process with the id as its value.
     */
    public synchronized void create(int id, int clockId, ClockAlarm.Clock clock, Notify notify) {
        if (notify == null) {
            notify = new Notify(Signals.SIGEV_SIGNAL, Signals.SIGALRM, id, null);
        }
        timers.put(id, new Timer(id, clockId, notify, clock));
    }

    /**
     * An id as Linux's posix_timer_add gives it: the next one free, counting up and wrapping at
     * INT_MAX; EAGAIN when none is. A timer_create that fails after taking it uses it up, as on Linux.
     */
    public synchronized int allocateId() throws ErrnoException {
        for (long tries = 0; tries <= Integer.MAX_VALUE; tries++) {
            int id = nextId;
            nextId = (nextId + 1) & Integer.MAX_VALUE;
            if (!timers.containsKey(id)) {
                return id;
            }
        }
        throw new ErrnoException(Errno.EAGAIN);
    }

    private Timer timer(int id) throws ErrnoException {
        Timer t = timers.get(id);
        if (t == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return t;
    }

    /** timer_gettime: {remaining, interval} in nanoseconds, as Linux's common_timer_get. */
    public synchronized long[] get(int id) throws ErrnoException {
        return get(timer(id));
    }

    private long[] get(Timer t) {
        boolean none = t.notify.how() == Signals.SIGEV_NONE;
        if (!t.armed && !t.requeuePending) {
            return new long[] {0, t.interval};
        }
        long now = t.clock.now().getAsLong();
        if (t.interval > 0 && (t.requeuePending && !t.parked || none)) {
            t.forward(now);
        }
        long remaining = t.deadline - now;
        if (remaining <= 0) {
            // Expired with its signal pending: 1 ns; a SIGEV_NONE one-shot timer that expired: 0.
            return new long[] {none ? 0 : 1, t.interval};
        }
        return new long[] {remaining, t.interval};
    }

    /**
     * timer_settime: arms timer {@code id} for {@code value} (the clock's time when {@code absolute},
     * else from now; 0 disarms) repeating every {@code interval}; returns the old setting as
     * {@link #get} gives it. A SIGEV_NONE timer is never run: its setting only reads back.
     */
    public synchronized long[] set(int id, long value, long interval, boolean absolute) throws ErrnoException {
        Timer t = timer(id);
        long[] old = get(t);
        t.alarm.cancel();
        t.signalSeq++;
        t.armed = false;
        t.requeuePending = false;
        t.parked = false;
        t.overrunLast = 0;
        t.interval = 0;
        if (value == 0) {
            t.deadline = 0;
            return old;
        }
        t.interval = interval;
        long now = t.clock.now().getAsLong();
        t.deadline = absolute ? value : now + Math.min(value, Long.MAX_VALUE - Math.max(now, 0));
        t.armed = true;
        if (t.notify.how() != Signals.SIGEV_NONE) {
            t.alarm.arm(t.deadline);
        }
        return old;
    }

    /** timer_getoverrun: the overruns the last signal taken carried. */
    public synchronized int overrun(int id) throws ErrnoException {
        return (int) Math.min(timer(id).overrunLast, DELAYTIMER_MAX);
    }

    /** timer_delete: its signal, if still queued, is dropped when taken. */
    public synchronized void delete(int id) throws ErrnoException {
        Timer t = timer(id);
        t.alarm.cancel();
        timers.remove(id);
    }

    /** execve and exit: every timer goes (Linux's exit_itimers); the id count goes on. */
    public synchronized void deleteAll() {
        for (Timer t : timers.values()) {
            t.alarm.cancel();
        }
        timers.clear();
    }

    /** The ids and clocks of the timers (for /proc/PID/timers). */
    public synchronized Map<Integer, Integer> clocks() {
        Map<Integer, Integer> out = new TreeMap<>();
        timers.forEach((id, t) -> out.put(id, t.clockId));
        return out;
    }

    /**
     * A timer's signal is being taken (under the process's monitor): the siginfo to deliver, with its
     * overrun count, and a periodic timer rearmed past now; null when the signal is stale (its timer
     * deleted or set again since). A signal no timer of this process queued is returned as it is.
     */
    synchronized Siginfo delivered(Siginfo info) {
        Timer t = queued.remove(info);
        if (t == null) {
            return info;
        }
        t.pending = null;
        if (timers.get(t.id) != t || t.pendingSeq != t.signalSeq) {
            return null;
        }
        if (t.interval > 0 && t.requeuePending) {
            t.forward(t.clock.now().getAsLong());
            t.overrunLast = t.overrun;
            t.overrun = -1;
            t.requeuePending = false;
            t.alarm.arm(t.deadline);
        }
        Siginfo.Timer fields = (Siginfo.Timer) info.fields();
        return new Siginfo(info.signo(), 0, Signals.SI_TIMER,
                new Siginfo.Timer(fields.timerId(), (int) Math.min(t.overrunLast, DELAYTIMER_MAX), fields.value()));
    }

    /** A timer's queued signal was dropped without being taken (a stop signal's discard, an ignored send). */
    synchronized void dropped(Siginfo info) {
        Timer t = queued.remove(info);
        if (t != null) {
            t.pending = null;
        }
    }

    /** rt_sigaction made {@code sig} no longer ignored: the timers that wait for it send it again. */
    public void unignored(int sig) {
        java.util.List<Timer> waiting = new java.util.ArrayList<>();
        java.util.List<Siginfo> infos = new java.util.ArrayList<>();
        synchronized (this) {
            for (Timer t : timers.values()) {
                if (t.parked && t.notify.signo() == sig && t.pending == null) {
                    t.parked = false;
                    waiting.add(t);
                    infos.add(t.queue());
                }
            }
        }
        for (int i = 0; i < waiting.size(); i++) {
            send(waiting.get(i), infos.get(i));
        }
    }
}
