package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.Poll;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.kernel.Deadline;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestProcess.Credentials;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One POSIX message queue (Linux's mqueue_inode_info): messages by priority, oldest first within
 * one, at most maxmsg of at most msgsize bytes each, and one process's notification request. Its
 * monitor guards it; blocked senders and receivers wait on it.
 */
public final class PosixQueue {
    private static final AtomicLong INODES = new AtomicLong(400_000);

    /** A message and its priority. */
    public record Message(byte[] text, int priority) {}

    /** What mq_notify asked: SIGEV_SIGNAL's signal and value, or SIGEV_NONE; and whose request it is. */
    public record Notification(int kind, int signo, long value, GuestProcess owner) {}

    /** What a notification sends: the signal, to the owner, from {@code sender}. */
    public interface Notifier {
        void send(Notification n);
    }

    final long maxmsg;
    final long msgsize;
    private final int mode;
    private final int uid;
    private final int gid;
    final long inode = INODES.incrementAndGet();
    final long ctime = System.currentTimeMillis();
    private final TreeMap<Integer, ArrayDeque<Message>> messages = new TreeMap<>();
    private long count;
    private long bytes;
    private int waitingReceivers;
    private Notification notification;
    private long readerWakeups;
    private long writerWakeups;
    final Readiness readiness = new Readiness();

    PosixQueue(long maxmsg, long msgsize, int mode, int uid, int gid) {
        this.maxmsg = maxmsg;
        this.msgsize = msgsize;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
    }

    int uid() {
        return uid;
    }

    int gid() {
        return gid;
    }

    int mode() {
        return mode;
    }

    /** inode_permission for {@code want} (4 read, 2 write): EACCES; root passes (CAP_DAC_OVERRIDE). */
    void checkAccess(Credentials c, int want) throws ErrnoException {
        if (c.capable(dev.jlx.core.kernel.GuestProcess.CAP_DAC_OVERRIDE)) {
            return;
        }
        int granted = c.fsuid() == uid ? mode >> 6 : inGroup(c) ? mode >> 3 : mode;
        if ((want & ~granted & 7) != 0) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    private boolean inGroup(Credentials c) {
        if (c.fsgid() == gid) {
            return true;
        }
        for (int g : c.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    /**
     * mq_timedsend's queueing: EMSGSIZE past msgsize; while full, EAGAIN when nonblocking or wait
     * until {@code deadline} ({@code System.nanoTime()}, Long.MAX_VALUE for none: ETIMEDOUT) or a
     * signal (EINTR, restartable). A message that makes an empty queue non-empty while no receiver
     * waits fires the notification, which is then gone.
     */
    public void send(Message m, boolean nonblocking, long deadline, Notifier notifier) throws ErrnoException {
        Notification fire = null;
        synchronized (this) {
            if (m.text().length > msgsize) {
                throw new ErrnoException(Errno.EMSGSIZE);
            }
            while (count == maxmsg) {
                if (nonblocking) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                await(deadline);
            }
            messages.computeIfAbsent(-m.priority(), p -> new ArrayDeque<>()).add(m);
            count++;
            bytes += m.text().length;
            readerWakeups++;
            notifyAll();
            readiness.wake(Readiness.INPUT);
            if (count == 1 && waitingReceivers == 0 && notification != null) {
                fire = notification;
                notification = null;
            }
        }
        // Linux accepts signal 0 and then sends nothing.
        if (fire != null && fire.kind() != dev.jlx.abi.Signals.SIGEV_NONE && fire.signo() != 0
                && !fire.owner().exiting()) {
            notifier.send(fire);
        }
    }

    /** mq_timedreceive's taking: the highest priority's oldest message; EMSGSIZE when {@code room} is below msgsize; waits as send does. */
    public synchronized Message receive(long room, boolean nonblocking, long deadline) throws ErrnoException {
        if (room < msgsize) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        while (count == 0) {
            if (nonblocking) {
                throw new ErrnoException(Errno.EAGAIN);
            }
            waitingReceivers++;
            try {
                await(deadline);
            } finally {
                waitingReceivers--;
            }
        }
        Map.Entry<Integer, ArrayDeque<Message>> first = messages.firstEntry();
        Message m = first.getValue().poll();
        if (first.getValue().isEmpty()) {
            messages.remove(first.getKey());
        }
        count--;
        bytes -= m.text().length;
        writerWakeups++;
        notifyAll();
        readiness.wake(Readiness.OUTPUT);
        return m;
    }

    private void await(long deadline) throws ErrnoException {
        try {
            if (!Deadline.waitOn(this, deadline)) {
                throw new ErrnoException(Errno.ETIMEDOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        }
    }

    /**
     * mq_notify(2): {@code n} null removes the caller's request (anyone else's stays); else EBUSY when
     * a live process has one already. A request of a process that has ended is gone (Linux drops it
     * when the owner closes its descriptor).
     */
    public synchronized void notify(Notification n, GuestProcess caller) throws ErrnoException {
        if (notification != null && notification.owner().exiting()) {
            notification = null;
        }
        if (n == null) {
            if (notification != null && notification.owner() == caller) {
                notification = null;
            }
            return;
        }
        if (notification != null) {
            throw new ErrnoException(Errno.EBUSY);
        }
        notification = n;
    }

    /** The attributes mq_getsetattr reports (mq_flags is the descriptor's, filled by the caller). */
    public synchronized long[] attributes() {
        return new long[] {maxmsg, msgsize, count};
    }

    /** What a read of the descriptor shows (mqueue_read_file). */
    synchronized String describe() {
        Notification n = notification != null && !notification.owner().exiting() ? notification : null;
        return String.format(java.util.Locale.ROOT, "QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", bytes,
                n == null ? 0 : n.kind(), n != null && n.kind() == dev.jlx.abi.Signals.SIGEV_SIGNAL ? n.signo() : 0,
                n == null ? 0 : n.owner().pid());
    }

    synchronized int poll(int events) {
        int ready = 0;
        if (count > 0) {
            ready |= events & (Poll.POLLIN | Poll.POLLRDNORM);
        }
        if (count < maxmsg) {
            ready |= events & (Poll.POLLOUT | Poll.POLLWRNORM);
        }
        return ready;
    }

    synchronized long generation(boolean input) {
        return input ? readerWakeups : writerWakeups;
    }

    /** For mq_timedsend: the priority bound. */
    public static void checkPriority(long priority) throws ErrnoException {
        if (Long.compareUnsigned(priority, Ipc.MQ_PRIO_MAX) >= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }
}
