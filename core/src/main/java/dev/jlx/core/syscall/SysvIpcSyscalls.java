package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ipc;
import dev.jlx.abi.struct.IpcInfo;
import dev.jlx.abi.struct.MsqidDs;
import dev.jlx.abi.struct.SemidDs;
import dev.jlx.abi.struct.Sembuf;
import dev.jlx.abi.struct.ShmidDs;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.ipc.IpcNamespace;
import dev.jlx.core.ipc.MessageQueues;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * System V shared memory, semaphores and message queues (svipc(7)), kept in the machine's
 * {@link IpcNamespace}: argument decoding and guest memory here, the objects there.
 */
final class SysvIpcSyscalls {
    /** SHMLBA on x86-64: a page. */
    private static final long SHMLBA = AddressSpace.PAGE;

    private SysvIpcSyscalls() {}

    private static IpcNamespace ipc(GuestThread t) {
        return t.process().ipc();
    }

    private static GuestMemory memory(GuestThread t) {
        return t.process().space().memory();
    }

    /** Implements Linux syscall shmget(2). */
    static long shmget(GuestThread t, Args a) throws ErrnoException {
        return ipc(t).shm().get(a.i32(0), a.u64(1), a.i32(2), t.process());
    }

    /**
     * Implements Linux syscall shmat(2): an address not on an SHMLBA boundary is rounded down with
     * SHM_RND (but not to 0 with SHM_REMAP), else EINVAL; SHM_REMAP without an address is EINVAL.
     */
    static long shmat(GuestThread t, Args a) throws ErrnoException {
        int shmid = a.i32(0);
        long addr = a.addr(1);
        int flags = a.i32(2);
        if (shmid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (addr != 0) {
            if ((addr & (SHMLBA - 1)) != 0) {
                if ((flags & Ipc.SHM_RND) == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                addr &= -SHMLBA;
                if (addr == 0 && (flags & Ipc.SHM_REMAP) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            }
        } else if ((flags & Ipc.SHM_REMAP) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return ipc(t).shm().attach(shmid, addr, flags, t.process());
    }

    /** Implements Linux syscall shmdt(2). */
    static long shmdt(GuestThread t, Args a) throws ErrnoException {
        t.process().space().detachShared(a.addr(0));
        return 0;
    }

    /** Implements Linux syscall shmctl(2). */
    static long shmctl(GuestThread t, Args a) throws ErrnoException {
        int shmid = a.i32(0);
        int cmd = a.i32(1);
        long buf = a.addr(2);
        GuestProcess p = t.process();
        var shm = ipc(t).shm();
        if (cmd < 0 || shmid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        switch (cmd) {
            case Ipc.IPC_INFO, Ipc.SHM_INFO -> {
                ByteBuffer out = GuestMemory.structBuffer(
                        cmd == Ipc.IPC_INFO ? IpcInfo.SHMINFO64_SIZE : IpcInfo.SHM_INFO_SIZE);
                int max = shm.info(cmd, out);
                memory(t).writeStruct(buf, out);
                return max;
            }
            case Ipc.IPC_STAT, Ipc.SHM_STAT, Ipc.SHM_STAT_ANY -> {
                ByteBuffer out = GuestMemory.structBuffer(ShmidDs.SIZE);
                int r = shm.stat(shmid, cmd, p.credentials(), out);
                memory(t).writeStruct(buf, out);
                return r;
            }
            case Ipc.IPC_SET -> {
                ShmidDs ds = ShmidDs.readFrom(memory(t).readStruct(buf, ShmidDs.SIZE), 0);
                shm.set(shmid, ds.perm(), p.credentials());
                return 0;
            }
            case Ipc.IPC_RMID -> {
                shm.remove(shmid, p.credentials());
                return 0;
            }
            case Ipc.SHM_LOCK, Ipc.SHM_UNLOCK -> {
                shm.lock(shmid, cmd == Ipc.SHM_LOCK, p.credentials());
                return 0;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** Implements Linux syscall semget(2). */
    static long semget(GuestThread t, Args a) throws ErrnoException {
        return ipc(t).sem().get(a.i32(0), a.i32(1), a.i32(2), t.process().credentials());
    }

    /** Implements Linux syscall semop(2). */
    static long semop(GuestThread t, Args a) throws ErrnoException {
        return semtimedop(t, a.i32(0), a.addr(1), a.i32(2) & 0xffffffffL, 0);
    }

    /** Implements Linux syscall semtimedop(2): a timeout is EAGAIN when it passes. */
    static long semtimedop(GuestThread t, Args a) throws ErrnoException {
        return semtimedop(t, a.i32(0), a.addr(1), a.i32(2) & 0xffffffffL, a.addr(3));
    }

    private static long semtimedop(GuestThread t, int semid, long sopsAddr, long nsops, long timeout)
            throws ErrnoException {
        // Linux's order: the count (nsops is an unsigned int), the timeout's bytes, the operations' bytes,
        // the id, then the timeout's value.
        if (nsops > Ipc.SEMOPM) {
            throw new ErrnoException(Errno.E2BIG);
        }
        if (nsops < 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Timespec ts = timeout == 0 ? null : Timespec.readFrom(memory(t).readStruct(timeout, Timespec.SIZE), 0);
        int n = (int) nsops;
        ByteBuffer raw = memory(t).readStruct(sopsAddr, n * Sembuf.SIZE);
        Sembuf[] sops = new Sembuf[n];
        for (int i = 0; i < n; i++) {
            sops[i] = Sembuf.readFrom(raw, i * Sembuf.SIZE);
        }
        if (semid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long deadline = Long.MAX_VALUE;
        if (ts != null) {
            long ns = TimeSyscalls.readTimespec(t, timeout);
            deadline = ns == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + ns;
        }
        ipc(t).sem().op(semid, sops, deadline, t.process());
        return 0;
    }

    /**
     * Implements Linux syscall semctl(2): the fourth argument is the union semun's value, an int for
     * SETVAL and a pointer for the others.
     */
    static long semctl(GuestThread t, Args a) throws ErrnoException {
        int semid = a.i32(0);
        int semnum = a.i32(1);
        int cmd = a.i32(2);
        long arg = a.raw(3);
        GuestProcess p = t.process();
        var sem = ipc(t).sem();
        if (semid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        switch (cmd) {
            case Ipc.IPC_INFO, Ipc.SEM_INFO -> {
                ByteBuffer out = GuestMemory.structBuffer(IpcInfo.SEMINFO_SIZE);
                int max = sem.info(cmd, out);
                memory(t).writeStruct(arg, out);
                return max;
            }
            case Ipc.IPC_STAT, Ipc.SEM_STAT, Ipc.SEM_STAT_ANY -> {
                ByteBuffer out = GuestMemory.structBuffer(SemidDs.SIZE);
                int r = sem.stat(semid, cmd, p.credentials(), out);
                memory(t).writeStruct(arg, out);
                return r;
            }
            case Ipc.IPC_SET -> {
                SemidDs ds = SemidDs.readFrom(memory(t).readStruct(arg, SemidDs.SIZE), 0);
                sem.set(semid, ds.perm(), p.credentials());
                return 0;
            }
            case Ipc.IPC_RMID -> {
                sem.remove(semid, p.credentials());
                return 0;
            }
            case Ipc.GETVAL, Ipc.GETPID, Ipc.GETNCNT, Ipc.GETZCNT -> {
                return sem.read(semid, semnum, cmd, p.credentials());
            }
            case Ipc.GETALL -> {
                int[] values = sem.getAll(semid, p.credentials());
                ByteBuffer out = GuestMemory.structBuffer(values.length * 2);
                for (int i = 0; i < values.length; i++) {
                    out.putShort(i * 2, (short) values[i]);
                }
                memory(t).writeStruct(arg, out);
                return 0;
            }
            case Ipc.SETVAL -> {
                int value = (int) arg;
                if (value > Ipc.SEMVMX || value < 0) {
                    throw new ErrnoException(Errno.ERANGE);
                }
                sem.setValue(semid, semnum, value, p);
                return 0;
            }
            case Ipc.SETALL -> {
                int n = sem.count(semid, true, p.credentials());
                ByteBuffer in = memory(t).readStruct(arg, n * 2);
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = Short.toUnsignedInt(in.getShort(i * 2));
                }
                sem.setAll(semid, values, p);
                return 0;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** Implements Linux syscall msgget(2). */
    static long msgget(GuestThread t, Args a) throws ErrnoException {
        return ipc(t).msg().get(a.i32(0), a.i32(1), t.process().credentials());
    }

    /** Implements Linux syscall msgsnd(2): {long mtype; char mtext[msgsz]} at msgp; EINVAL past msgmax or for a type below 1. */
    static long msgsnd(GuestThread t, Args a) throws ErrnoException {
        int msqid = a.i32(0);
        long msgp = a.addr(1);
        long size = a.u64(2);
        int flags = a.i32(3);
        if (size > Ipc.MSGMAX || size < 0 || msqid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long type = memory(t).readLong(msgp);
        if (type < 1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] text = memory(t).read(msgp + 8, (int) size);
        ipc(t).msg().send(msqid, new MessageQueues.Message(type, text), flags, t.process());
        return 0;
    }

    /** Implements Linux syscall msgrcv(2): returns the bytes of text copied (cut to msgsz with MSG_NOERROR). */
    static long msgrcv(GuestThread t, Args a) throws ErrnoException {
        long msgp = a.addr(1);
        long size = a.u64(2);
        MessageQueues.Message m = ipc(t).msg().receive(a.i32(0), size, a.raw(3), a.i32(4), t.process());
        int n = (int) Math.min(size, m.text().length);
        memory(t).writeLong(msgp, m.type());
        memory(t).write(msgp + 8, m.text(), 0, n);
        return n;
    }

    /** Implements Linux syscall msgctl(2). */
    static long msgctl(GuestThread t, Args a) throws ErrnoException {
        int msqid = a.i32(0);
        int cmd = a.i32(1);
        long buf = a.addr(2);
        GuestProcess p = t.process();
        var msg = ipc(t).msg();
        if (msqid < 0 || cmd < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        switch (cmd) {
            case Ipc.IPC_INFO, Ipc.MSG_INFO -> {
                ByteBuffer out = GuestMemory.structBuffer(IpcInfo.MSGINFO_SIZE);
                int max = msg.info(cmd, out);
                memory(t).writeStruct(buf, out);
                return max;
            }
            case Ipc.IPC_STAT, Ipc.MSG_STAT, Ipc.MSG_STAT_ANY -> {
                ByteBuffer out = GuestMemory.structBuffer(MsqidDs.SIZE);
                int r = msg.stat(msqid, cmd, p.credentials(), out);
                memory(t).writeStruct(buf, out);
                return r;
            }
            case Ipc.IPC_SET -> {
                MsqidDs ds = MsqidDs.readFrom(memory(t).readStruct(buf, MsqidDs.SIZE), 0);
                msg.set(msqid, ds.perm(), ds.qbytes(), p.credentials());
                return 0;
            }
            case Ipc.IPC_RMID -> {
                msg.remove(msqid, p.credentials());
                return 0;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }
}
