package dev.jlx.core.ipc;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.struct.IpcInfo;
import dev.jlx.abi.struct.IpcPerm;
import dev.jlx.abi.struct.MsqidDs;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestProcess.Credentials;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;

/**
 * System V message queues (Linux's ipc/msg.c). The table is guarded by {@link IpcIds}'s monitor,
 * each queue by its own (taken after the table's), which blocked senders and receivers wait on. A
 * message sent while receivers wait goes straight to the first that takes its type (pipelined_send),
 * one too small for it failing with E2BIG.
 */
public final class MessageQueues {
    private final IpcIds<Queue> ids = new IpcIds<>(Ipc.MSGMNI);
    /** Messages and their bytes in all queues (MSG_INFO's msgmap and msgtql). */
    private long messages;
    private long bytes;

    /** A message: its type and text. */
    public record Message(long type, byte[] text) {}

    /** A queue (Linux's msg_queue). */
    static final class Queue extends IpcObject {
        final LinkedList<Message> messages = new LinkedList<>();
        final List<Receiver> receivers = new ArrayList<>();
        long cbytes;
        long qbytes = Ipc.MSGMNB;
        int lspid;
        int lrpid;
        long stime;
        long rtime;

        Queue(int key, int flags, Credentials c) {
            super(key, flags, c);
        }
    }

    /** A blocked msgrcv (Linux's msg_receiver). */
    private static final class Receiver {
        final long type;
        final int mode;
        final long maxSize;
        final int pid;
        Message got;
        Errno error;

        Receiver(long type, int mode, long maxSize, int pid) {
            this.type = type;
            this.mode = mode;
            this.maxSize = maxSize;
            this.pid = pid;
        }
    }

    private static final int SEARCH_ANY = 1;
    private static final int SEARCH_EQUAL = 2;
    private static final int SEARCH_NOTEQUAL = 3;
    private static final int SEARCH_LESSEQUAL = 4;
    private static final int SEARCH_NUMBER = 5;

    /** Implements msgget(2). */
    public int get(int key, int flags, Credentials c) throws ErrnoException {
        return ids.get(key, flags, c, (k, f) -> new Queue(k, f, c), q -> { });
    }

    /**
     * Implements msgsnd(2) once the message is read (do_msgsnd): waits while the queue is full (its
     * bytes, or its message count, past msg_qbytes) unless IPC_NOWAIT (EAGAIN); EIDRM when it goes,
     * EINTR (restarted only without a handler) on a signal.
     */
    public void send(int msqid, Message m, int flags, GuestProcess p) throws ErrnoException {
        Queue q = ids.byId(msqid);
        synchronized (q) {
            while (true) {
                q.checkAccess(p.credentials(), 0222);
                if (q.deleted) {
                    throw new ErrnoException(Errno.EIDRM);
                }
                if (m.text().length + q.cbytes <= q.qbytes && 1 + q.messages.size() <= q.qbytes) {
                    break;
                }
                if ((flags & Ipc.IPC_NOWAIT) != 0) {
                    throw new ErrnoException(Errno.EAGAIN);
                }
                await(q);
                if (q.deleted) {
                    throw new ErrnoException(Errno.EIDRM);
                }
            }
            q.lspid = p.pid();
            q.stime = IpcObject.now();
            for (Iterator<Receiver> it = q.receivers.iterator(); it.hasNext();) {
                Receiver r = it.next();
                if (!matches(m, r.type, r.mode)) {
                    continue;
                }
                it.remove();
                if (r.maxSize < m.text().length) {
                    r.error = Errno.E2BIG;
                    q.notifyAll();
                    continue;
                }
                r.got = m;
                q.lrpid = r.pid;
                q.rtime = IpcObject.now();
                q.notifyAll();
                return;
            }
            q.messages.add(m);
            q.cbytes += m.text().length;
            count(1, m.text().length);
        }
    }

    private synchronized void count(int n, long size) {
        messages += n;
        bytes += n * size;
    }

    private static boolean matches(Message m, long type, int mode) {
        return switch (mode) {
            case SEARCH_ANY -> true;
            case SEARCH_LESSEQUAL -> m.type() <= type;
            case SEARCH_EQUAL -> m.type() == type;
            default -> m.type() != type;
        };
    }

    private static void await(Object monitor) throws ErrnoException {
        try {
            monitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR);
        }
    }

    /**
     * Implements msgrcv(2) but for the copy out (do_msgrcv): the first message of type {@code type}
     * as {@code flags} choose (0 any, > 0 that type or with MSG_EXCEPT any other, < 0 the lowest type
     * up to -type; with MSG_COPY, which needs IPC_NOWAIT, the type-th message, left in the queue). E2BIG
     * when longer than {@code size} without MSG_NOERROR; ENOMSG with IPC_NOWAIT; else it waits.
     */
    public Message receive(int msqid, long size, long type, int flags, GuestProcess p) throws ErrnoException {
        if (msqid < 0 || size < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean copy = (flags & Ipc.MSG_COPY) != 0;
        if (copy && ((flags & Ipc.MSG_EXCEPT) != 0 || (flags & Ipc.IPC_NOWAIT) == 0)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int mode;
        if (copy) {
            mode = SEARCH_NUMBER;
        } else if (type == 0) {
            mode = SEARCH_ANY;
        } else if (type < 0) {
            mode = SEARCH_LESSEQUAL;
            type = type == Long.MIN_VALUE ? Long.MAX_VALUE : -type;
        } else {
            mode = (flags & Ipc.MSG_EXCEPT) != 0 ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
        }
        Queue q = ids.byId(msqid);
        synchronized (q) {
            while (true) {
                q.checkAccess(p.credentials(), 0444);
                if (q.deleted) {
                    throw new ErrnoException(Errno.EIDRM);
                }
                Message m = find(q, type, mode);
                if (m != null) {
                    if (size < m.text().length && (flags & Ipc.MSG_NOERROR) == 0) {
                        throw new ErrnoException(Errno.E2BIG);
                    }
                    if (copy) {
                        // copy_msg: a message longer than the copy buffer (MSG_NOERROR) does not fit it.
                        if (m.text().length > Math.min(size, Ipc.MSGMAX)) {
                            throw new ErrnoException(Errno.EINVAL);
                        }
                        return m;
                    }
                    q.messages.remove(m);
                    q.cbytes -= m.text().length;
                    q.rtime = IpcObject.now();
                    q.lrpid = p.pid();
                    count(-1, m.text().length);
                    q.notifyAll();
                    return m;
                }
                if ((flags & Ipc.IPC_NOWAIT) != 0) {
                    throw new ErrnoException(Errno.ENOMSG);
                }
                Receiver r = new Receiver(type, mode, (flags & Ipc.MSG_NOERROR) != 0 ? Integer.MAX_VALUE : size,
                        p.pid());
                q.receivers.add(r);
                try {
                    while (r.got == null && r.error == null) {
                        await(q);
                    }
                } finally {
                    q.receivers.remove(r);
                }
                if (r.got != null) {
                    return r.got;
                }
                if (r.error != Errno.EAGAIN) {
                    throw new ErrnoException(r.error);
                }
            }
        }
    }

    /** Linux's find_msg. */
    private static Message find(Queue q, long type, int mode) {
        Message found = null;
        long count = 0;
        for (Message m : q.messages) {
            if (mode == SEARCH_NUMBER) {
                if (count++ == type) {
                    return m;
                }
            } else if (matches(m, type, mode)) {
                if (mode != SEARCH_LESSEQUAL) {
                    return m;
                }
                if (found == null || m.type() < found.type()) {
                    found = m;
                }
            }
        }
        return found;
    }

    /** Implements msgctl(2) IPC_STAT, MSG_STAT and MSG_STAT_ANY; the STAT forms take an index and return the id. */
    public int stat(int msqidOrIndex, int cmd, Credentials c, ByteBuffer out) throws ErrnoException {
        Queue q = cmd == Ipc.IPC_STAT ? ids.byId(msqidOrIndex) : ids.byIndex(msqidOrIndex);
        synchronized (q) {
            if (cmd != Ipc.MSG_STAT_ANY) {
                q.checkAccess(c, 0444);
            }
            new MsqidDs(q.perm(), q.stime, q.rtime, q.ctime, q.cbytes, q.messages.size(), q.qbytes, q.lspid, q.lrpid)
                    .writeTo(out, 0);
            return cmd == Ipc.IPC_STAT ? 0 : q.id;
        }
    }

    /**
     * Implements msgctl(2) IPC_SET: owner, permission bits and msg_qbytes (past msgmnb only with
     * CAP_SYS_RESOURCE, euid 0, else EPERM); waiting senders and receivers look again.
     */
    public void set(int msqid, IpcPerm perm, long qbytes, Credentials c) throws ErrnoException {
        Queue q = ids.byId(msqid);
        synchronized (q) {
            q.checkOwner(c);
            if (qbytes > Ipc.MSGMNB && !c.capable(dev.jlx.core.kernel.GuestProcess.CAP_SYS_RESOURCE)) {
                throw new ErrnoException(Errno.EPERM);
            }
            q.set(perm);
            q.qbytes = qbytes;
            for (Receiver r : q.receivers) {
                r.error = Errno.EAGAIN;
            }
            q.receivers.clear();
            q.notifyAll();
        }
    }

    /** Implements msgctl(2) IPC_RMID: its messages go, and its waiters wake with EIDRM. */
    public void remove(int msqid, Credentials c) throws ErrnoException {
        synchronized (ids) {
            Queue q = ids.byId(msqid);
            synchronized (q) {
                q.checkOwner(c);
                ids.remove(q);
                q.deleted = true;
                for (Receiver r : q.receivers) {
                    r.error = Errno.EIDRM;
                }
                q.receivers.clear();
                count(-q.messages.size(), 0);
                synchronized (this) {
                    bytes -= q.cbytes;
                }
                q.messages.clear();
                q.notifyAll();
            }
        }
    }

    /** Implements msgctl(2) IPC_INFO and MSG_INFO (msginfo); returns the highest index in use. */
    public int info(int cmd, ByteBuffer out) {
        synchronized (ids) {
            if (cmd == Ipc.MSG_INFO) {
                synchronized (this) {
                    IpcInfo.writeMsginfo(out, ids.inUse(), (int) messages, Ipc.MSGMAX, Ipc.MSGMNB, Ipc.MSGMNI,
                            Ipc.MSGSSZ, (int) bytes, Ipc.MSGSEG);
                }
            } else {
                IpcInfo.writeMsginfo(out, Ipc.MSGPOOL, Ipc.MSGMAP, Ipc.MSGMAX, Ipc.MSGMNB, Ipc.MSGMNI, Ipc.MSGSSZ,
                        Ipc.MSGTQL, Ipc.MSGSEG);
            }
            return ids.maxIndex();
        }
    }

    /** /proc/sysvipc/msg, as sysvipc_msg_proc_show prints it. */
    public String proc() {
        StringBuilder out = new StringBuilder("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid"
                + "  cuid  cgid      stime      rtime      ctime\n");
        List<Queue> queues;
        synchronized (ids) {
            queues = ids.all();
        }
        for (Queue q : queues) {
            synchronized (q) {
                out.append(String.format(Locale.ROOT, "%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d%n",
                        q.key, q.id, q.mode, q.cbytes, q.messages.size(), q.lspid, q.lrpid, q.uid, q.gid, q.cuid,
                        q.cgid, q.stime, q.rtime, q.ctime));
            }
        }
        return out.toString();
    }
}
