package dev.jlx.core.syscall;

import dev.jlx.abi.Clocks;
import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.MqAttr;
import dev.jlx.abi.struct.Sigevent;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.ipc.MqueueFile;
import dev.jlx.core.ipc.PosixQueue;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * POSIX message queues (mq_overview(7)), kept in the machine's IPC namespace: a queue's descriptor
 * is an {@link MqueueFile}. The names are those of Linux's mqueue file system, which glibc and musl
 * pass without their leading slash.
 */
final class MqueueSyscalls {
    /** The open flags mq_open looks at. */
    private static final int OPEN_FLAGS = OpenFlags.O_ACCMODE | OpenFlags.O_CREAT | OpenFlags.O_EXCL
            | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC;
    private static final int NAME_MAX = 255;
    private static final int PATH_MAX = 4096;
    /** si_code of a message queue's notification signal. */
    private static final int SI_MESGQ = -3;

    private MqueueSyscalls() {}

    /**
     * Implements Linux syscall mq_open(2): an empty name is ENOENT, ".", ".." or one that holds a slash
     * EACCES (lookup_one_len's answer), one past NAME_MAX ENAMETOOLONG; the access mode 3 opens no
     * existing queue (EINVAL) but creates one, as Linux's prepare_open.
     */
    static long mq_open(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        GuestMemory mem = p.space().memory();
        ByteString name = name(mem, a.addr(0));
        int flags = a.i32(1);
        int mode = a.i32(2);
        MqAttr attr = null;
        if ((flags & OpenFlags.O_CREAT) != 0 && a.addr(3) != 0) {
            attr = MqAttr.readFrom(mem.readStruct(a.addr(3), MqAttr.SIZE), 0);
        }
        PosixQueue q = p.ipc().mqueue().open(name, flags, mode, attr, p.credentials(), p.umask());
        MqueueFile file = new MqueueFile(q, flags & OPEN_FLAGS);
        return FileSyscalls.installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    private static ByteString name(GuestMemory mem, long address) throws ErrnoException {
        byte[] raw = mem.readCString(address, PATH_MAX - 1);
        String s = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (raw.length == 0) {
            // getname refuses an empty name.
            throw new ErrnoException(Errno.ENOENT);
        }
        if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0) {
            throw new ErrnoException(Errno.EACCES);
        }
        if (raw.length > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        return ByteString.of(s);
    }

    /** Implements Linux syscall mq_unlink(2). */
    static long mq_unlink(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        p.ipc().mqueue().unlink(name(p.space().memory(), a.addr(0)), p.credentials());
        return 0;
    }

    /** The queue behind a descriptor: EBADF for none or another kind of file. */
    private static MqueueFile queue(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process().fds().get(fd);
        if (!(f instanceof MqueueFile q)) {
            throw new ErrnoException(Errno.EBADF);
        }
        return q;
    }

    /** An absolute CLOCK_REALTIME timeout as a System.nanoTime() deadline; Long.MAX_VALUE for none (NULL). */
    private static long deadline(GuestThread t, long address) throws ErrnoException {
        if (address == 0) {
            return Long.MAX_VALUE;
        }
        long abs = TimeSyscalls.readTimespec(t, address);
        long left = abs - TimeSyscalls.now(t, Clocks.CLOCK_REALTIME);
        return System.nanoTime() + Math.max(0, left);
    }

    /** Implements Linux syscall mq_timedsend(2): priority below MQ_PRIO_MAX; ETIMEDOUT when the absolute timeout passes. */
    static long mq_timedsend(GuestThread t, Args a) throws ErrnoException {
        // The timeout is read first, then the priority (an unsigned int) checked, as Linux's.
        long deadline = deadline(t, a.addr(4));
        PosixQueue.checkPriority(a.i32(3) & 0xffffffffL);
        MqueueFile f = queue(t, a.i32(0));
        if (!f.writable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        long len = a.u64(2);
        if (Long.compareUnsigned(len, f.queue().attributes()[1]) > 0) {
            throw new ErrnoException(Errno.EMSGSIZE);
        }
        byte[] text = t.process().space().memory().read(a.addr(1), (int) len);
        GuestProcess sender = t.process();
        f.queue().send(new PosixQueue.Message(text, a.i32(3)),
                (f.statusFlags() & OpenFlags.O_NONBLOCK) != 0, deadline, n -> n.owner().signal(null,
                        new Siginfo(n.signo(), 0, SI_MESGQ, new Siginfo.Rt(sender.pid(), sender.credentials().uid(),
                                n.value()))));
        return 0;
    }

    /** Implements Linux syscall mq_timedreceive(2): returns the message's length, its priority where asked. */
    static long mq_timedreceive(GuestThread t, Args a) throws ErrnoException {
        long deadline = deadline(t, a.addr(4));
        MqueueFile f = queue(t, a.i32(0));
        if (!f.readable()) {
            throw new ErrnoException(Errno.EBADF);
        }
        PosixQueue.Message m = f.queue().receive(a.u64(2), (f.statusFlags() & OpenFlags.O_NONBLOCK) != 0, deadline);
        GuestMemory mem = t.process().space().memory();
        mem.write(a.addr(1), m.text());
        if (a.addr(3) != 0) {
            mem.writeInt(a.addr(3), m.priority());
        }
        return m.text().length;
    }

    /**
     * Implements Linux syscall mq_notify(2): SIGEV_SIGNAL and SIGEV_NONE; SIGEV_THREAD (glibc's, over
     * a netlink socket that receives a cookie) is EINVAL, as a kernel without CONFIG_NET's netlink would give.
     */
    static long mq_notify(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        PosixQueue.Notification n = null;
        if (a.addr(1) != 0) {
            Sigevent e = Sigevent.readFrom(p.space().memory().readStruct(a.addr(1), Sigevent.SIZE), 0);
            switch (e.notification()) {
                case Signals.SIGEV_SIGNAL -> {
                    if (e.signo() < 0 || e.signo() > Signals.NSIG) {
                        throw new ErrnoException(Errno.EINVAL);
                    }
                }
                case Signals.SIGEV_NONE -> { }
                default -> throw new ErrnoException(Errno.EINVAL);
            }
            n = new PosixQueue.Notification(e.notification(), e.signo(), e.value(), p);
        }
        queue(t, a.i32(0)).queue().notify(n, p);
        return 0;
    }

    /** Implements Linux syscall mq_getsetattr(2): only O_NONBLOCK of mq_flags can change (other bits EINVAL). */
    static long mq_getsetattr(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        MqAttr set = null;
        if (a.addr(1) != 0) {
            set = MqAttr.readFrom(mem.readStruct(a.addr(1), MqAttr.SIZE), 0);
            if ((set.flags() & ~OpenFlags.O_NONBLOCK) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        MqueueFile f = queue(t, a.i32(0));
        if (a.addr(2) != 0) {
            long[] attr = f.queue().attributes();
            ByteBuffer out = GuestMemory.structBuffer(MqAttr.SIZE);
            new MqAttr(f.statusFlags() & OpenFlags.O_NONBLOCK, attr[0], attr[1], attr[2]).writeTo(out, 0);
            mem.writeStruct(a.addr(2), out);
        }
        if (set != null) {
            f.setStatusFlags((f.statusFlags() & ~OpenFlags.O_NONBLOCK) | (int) (set.flags() & OpenFlags.O_NONBLOCK));
        }
        return 0;
    }
}
