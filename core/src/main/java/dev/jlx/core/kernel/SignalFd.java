package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.AnonInodeFile;
import dev.jlx.core.fs.Readiness;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A signalfd (fs/signalfd.c): a read takes the reader's pending signals of its mask, its thread's
 * own first, lowest first, as 128-byte {@code signalfd_siginfo} records, without their actions; it
 * waits while none is pending. poll is ready when one is. Like Linux's, it reads the signals of
 * whichever process reads it.
 */
public final class SignalFd extends AnonInodeFile {
    /** sizeof(struct signalfd_siginfo). */
    public static final int RECORD = 128;

    private final int uid;
    private final int gid;
    private volatile long mask;

    public SignalFd(long mask, int statusFlags, int uid, int gid) {
        super(OpenFlags.O_RDWR | statusFlags, uid, gid);
        this.uid = uid;
        this.gid = gid;
        setMask(mask);
    }

    /** signalfd4 on an existing one: the new mask, less SIGKILL and SIGSTOP. */
    public void setMask(long mask) {
        this.mask = mask & ~(GuestThread.bit(Signals.SIGKILL) | GuestThread.bit(Signals.SIGSTOP));
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        long count = dst.byteSize() / RECORD;
        if (count == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestThread t = Kernel.caller();
        PendingSignals pending = t.process().pendingSignalsOf();
        int done = 0;
        while (done < count) {
            Siginfo info = pending.take(t, mask, done == 0 && (statusFlags & OpenFlags.O_NONBLOCK) == 0);
            if (info == null) {
                if (done == 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                break;
            }
            write(dst, (long) done * RECORD, info);
            done++;
        }
        return done * RECORD;
    }

    /** SI_SIGIO: a SIGIO's code. */
    private static final int SI_SIGIO = -5;

    /** signalfd_copyinfo: the fields of the siginfo's union member at signalfd_siginfo's offsets. */
    private static void write(MemorySegment dst, long at, Siginfo info) {
        dst.asSlice(at, RECORD).fill((byte) 0);
        ValueLayout.OfInt i = ValueLayout.JAVA_INT_UNALIGNED;
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED;
        dst.set(i, at, info.signo());
        dst.set(i, at + 4, info.errno());
        dst.set(i, at + 8, info.code());
        switch (info.fields()) {
            case Siginfo.Kill k -> {
                dst.set(i, at + 12, k.pid());
                dst.set(i, at + 16, k.uid());
            }
            case Siginfo.Child c -> {
                dst.set(i, at + 12, c.pid());
                dst.set(i, at + 16, c.uid());
                dst.set(i, at + 40, c.status());
                dst.set(l, at + 56, c.utime());
                dst.set(l, at + 64, c.stime());
            }
            case Siginfo.Timer tm -> {
                dst.set(i, at + 24, tm.timerId());
                dst.set(i, at + 32, tm.overrun());
                dst.set(i, at + 44, (int) tm.value());
                dst.set(l, at + 48, tm.value());
            }
            case Siginfo.Rt r -> {
                dst.set(i, at + 12, r.pid());
                dst.set(i, at + 16, r.uid());
                dst.set(i, at + 44, (int) r.value());
                dst.set(l, at + 48, r.value());
            }
            case Siginfo.Fault f -> dst.set(l, at + 72, f.addr());
            case Siginfo.Poll poll -> {
                dst.set(i, at + 28, (int) poll.band());
                dst.set(i, at + 20, poll.fd());
            }
            case Siginfo.Raw r -> {
                // siginfo_layout for a siginfo a process wrote: a fault's address, a child's status,
                // SIGIO's band and descriptor, a timer's or sigqueue's value, else who sent it.
                int code = info.code();
                boolean own = code > Signals.SI_USER && code < Signals.SI_KERNEL;
                int sig = info.signo();
                if (own && (sig == Signals.SIGILL || sig == Signals.SIGFPE || sig == Signals.SIGSEGV
                        || sig == Signals.SIGBUS || sig == Signals.SIGTRAP)) {
                    dst.set(l, at + 72, r.longAt(Siginfo.SI_ADDR));
                } else if (own && sig == Signals.SIGCHLD) {
                    dst.set(i, at + 12, r.intAt(Siginfo.SI_PID));
                    dst.set(i, at + 16, r.intAt(Siginfo.SI_UID));
                    dst.set(i, at + 40, r.intAt(Siginfo.SI_STATUS));
                    dst.set(l, at + 56, r.longAt(Siginfo.SI_UTIME));
                    dst.set(l, at + 64, r.longAt(Siginfo.SI_STIME));
                } else if (own || code == SI_SIGIO) {
                    dst.set(i, at + 28, (int) r.longAt(Siginfo.SI_BAND));
                    dst.set(i, at + 20, r.intAt(Siginfo.SI_FD));
                } else if (code == Signals.SI_TIMER) {
                    dst.set(i, at + 24, r.intAt(Siginfo.SI_TID));
                    dst.set(i, at + 32, r.intAt(Siginfo.SI_OVERRUN));
                    dst.set(i, at + 44, r.intAt(Siginfo.SI_VALUE));
                    dst.set(l, at + 48, r.longAt(Siginfo.SI_VALUE));
                } else {
                    dst.set(i, at + 12, r.intAt(Siginfo.SI_PID));
                    dst.set(i, at + 16, r.intAt(Siginfo.SI_UID));
                    if (code < 0) {
                        dst.set(i, at + 44, r.intAt(Siginfo.SI_VALUE));
                        dst.set(l, at + 48, r.longAt(Siginfo.SI_VALUE));
                    }
                }
            }
        }
    }

    @Override
    public int poll(int events) {
        GuestThread t = Kernel.caller();
        if (t == null) {
            return 0;
        }
        return t.process().pendingSignalsOf().pending(t, mask) ? events & (Poll.POLLIN | Poll.POLLRDNORM) : 0;
    }

    @Override
    public Readiness readiness() {
        GuestThread t = Kernel.caller();
        return t == null ? Readiness.FIXED : t.process().signalReadiness();
    }

    @Override
    protected void release() {
        // Nothing to give back.
    }
}
