package dev.jlx.core.syscall;

import static dev.jlx.abi.IoUring.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Resource;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.EventFd;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.IoUringRing;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.mem.RunToken;
import dev.jlx.core.net.SocketFile;
import java.nio.ByteBuffer;

/**
 * io_uring_setup, io_uring_enter and io_uring_register (io_uring/io_uring.c, register.c), with
 * Linux's checks in its order. The rings are an {@link IoUringRing} the guest maps; each SQE is
 * served by the syscall code of the call it stands for ({@link IoUringOps}), on the submitting
 * thread when it will not wait, else once its file is ready, on a thread of its own, so the
 * submitter never blocks on it.
 */
final class IoUringSyscalls {
    /** How /proc/PID/maps names a ring's mapping. */
    static final ByteString MAPS_NAME = ByteString.of("anon_inode:[io_uring]");
    /** IORING_MAX_REG_BUFFERS and IORING_MAX_FIXED_FILES. */
    private static final int MAX_REG_BUFFERS = 1 << 14;
    private static final int MAX_FIXED_FILES = 1 << 20;
    /** sizeof(struct io_uring_reg_wait), which IORING_ENTER_EXT_ARG_REG wants. */
    private static final int REG_WAIT_SIZE = 64;
    /** IO_RINGFD_REG_MAX: registered ring descriptors per task. */
    private static final int RINGFD_REG_MAX = 16;

    private IoUringSyscalls() {}

    /**
     * Implements Linux syscall io_uring_setup(2): EFAULT for unreadable params, EINVAL for a
     * reserved field, an unknown flag, a combination Linux refuses or a bad size; the rings are
     * made, params written back (sizes rounded up to powers of two, the offsets of Linux's struct
     * io_rings, Linux 6.18's features) and the descriptor returned, O_RDWR and close-on-exec.
     */
    static long io_uring_setup(GuestThread t, Args a) throws ErrnoException {
        GuestProcess p = t.process();
        GuestMemory mem = p.space().memory();
        long entries = Integer.toUnsignedLong(a.i32(0));
        long params = a.addr(1);
        ByteBuffer b = mem.readStruct(params, PARAMS_SIZE);
        for (int i = 28; i < 40; i += 4) {
            if (b.getInt(i) != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        int flags = b.getInt(8);
        if ((flags & ~IORING_SETUP_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        sanitise(flags);
        // io_uring_fill_params.
        if (entries == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (entries > IORING_MAX_ENTRIES) {
            if ((flags & IORING_SETUP_CLAMP) == 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            entries = IORING_MAX_ENTRIES;
        }
        int sq = powerOfTwo(entries);
        int cq;
        if ((flags & IORING_SETUP_CQSIZE) != 0) {
            long asked = Integer.toUnsignedLong(b.getInt(4));
            if (asked == 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (asked > IORING_MAX_CQ_ENTRIES) {
                if ((flags & IORING_SETUP_CLAMP) == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                asked = IORING_MAX_CQ_ENTRIES;
            }
            cq = powerOfTwo(asked);
            if (cq < sq) {
                throw new ErrnoException(Errno.EINVAL);
            }
        } else {
            cq = 2 * sq;
        }
        if ((flags & IORING_SETUP_NO_MMAP) != 0) {
            // Rings in the guest's own memory would need jlx to reach guest pages as host memory.
            p.kernel().warnOnce("io_uring NO_MMAP", "io_uring_setup: IORING_SETUP_NO_MMAP is not served (EINVAL)");
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & IORING_SETUP_SQPOLL) != 0) {
            p.kernel().warnOnce("io_uring SQPOLL", "io_uring_setup: IORING_SETUP_SQPOLL is not served (EPERM, as Linux before 5.11 for an unprivileged caller)");
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & IORING_SETUP_ATTACH_WQ) != 0) {
            // io_sq_offload_create: the ring to share workers with (jlx has no workers to share).
            OpenFile wq;
            try {
                wq = p.fds().get(b.getInt(24));
            } catch (ErrnoException e) {
                throw new ErrnoException(Errno.ENXIO);
            }
            if (!(wq instanceof IoUringRing)) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        if ((flags & IORING_SETUP_SQ_AFF) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess.Credentials c = p.credentials();
        IoUringRing ring = new IoUringRing(p.kernel().host().memory(), sq, cq, flags, c.euid(), c.egid(),
                new IoUringOps.State());
        ByteBuffer out = ByteBuffer.allocate(PARAMS_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(0, b, 0, PARAMS_SIZE);
        out.putInt(0, sq).putInt(4, cq).putInt(20, IORING_FEAT_ALL);
        // struct io_sqring_offsets at 40, struct io_cqring_offsets at 80: Linux's io_rings.
        out.putInt(40, RING_SQ_HEAD).putInt(44, RING_SQ_TAIL).putInt(48, RING_SQ_MASK).putInt(52, RING_SQ_ENTRIES)
                .putInt(56, RING_SQ_FLAGS).putInt(60, RING_SQ_DROPPED).putInt(64, ring.sqArrayOffset()).putInt(68, 0)
                .putLong(72, 0);
        out.putInt(80, RING_CQ_HEAD).putInt(84, RING_CQ_TAIL).putInt(88, RING_CQ_MASK).putInt(92, RING_CQ_ENTRIES)
                .putInt(96, RING_CQ_OVERFLOW).putInt(100, RING_CQES).putInt(104, RING_CQ_FLAGS).putInt(108, 0)
                .putLong(112, 0);
        try {
            mem.write(params, out.array());
        } catch (ErrnoException e) {
            ring.close();
            throw e;
        }
        if ((flags & IORING_SETUP_SINGLE_ISSUER) != 0 && (flags & IORING_SETUP_R_DISABLED) == 0) {
            ring.setSubmitter(t);
        }
        return FileSyscalls.installNew(p, ring, true);
    }

    /** io_uring_sanitise_params: the combinations of flags Linux refuses (EINVAL). */
    private static void sanitise(int flags) throws ErrnoException {
        boolean bad = (flags & IORING_SETUP_REGISTERED_FD_ONLY) != 0 && (flags & IORING_SETUP_NO_MMAP) == 0
                || (flags & IORING_SETUP_SQPOLL) != 0
                        && (flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_DEFER_TASKRUN)) != 0
                || (flags & IORING_SETUP_TASKRUN_FLAG) != 0
                        && (flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)) == 0
                || (flags & IORING_SETUP_HYBRID_IOPOLL) != 0 && (flags & IORING_SETUP_IOPOLL) == 0
                || (flags & IORING_SETUP_DEFER_TASKRUN) != 0 && (flags & IORING_SETUP_SINGLE_ISSUER) == 0
                || (flags & IORING_SETUP_CQE32) != 0 && (flags & IORING_SETUP_CQE_MIXED) != 0;
        if (bad) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    private static int powerOfTwo(long n) {
        return (int) (n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1);
    }

    /** The ring behind {@code fd}: EBADF for no file, EOPNOTSUPP for another kind. */
    private static IoUringRing ring(GuestThread t, int fd, boolean registered) throws ErrnoException {
        if (registered) {
            // jlx registers no ring descriptors (IORING_REGISTER_RING_FDS is not served).
            throw new ErrnoException(Integer.toUnsignedLong(fd) >= RINGFD_REG_MAX ? Errno.EINVAL : Errno.EBADF);
        }
        if (!(t.process().fds().get(fd) instanceof IoUringRing ring)) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        return ring;
    }

    /**
     * Implements Linux syscall io_uring_enter(2): submits up to {@code to_submit} SQEs (the number
     * taken is the result), then with IORING_ENTER_GETEVENTS waits until {@code min_complete} CQEs
     * are ready, with EXT_ARG's timeout (ETIME) and signal mask, interruptible by a signal (EINTR);
     * a wait's error is the result only when nothing was submitted.
     */
    static long io_uring_enter(GuestThread t, Args a) throws ErrnoException {
        int toSubmit = a.i32(1);
        int minComplete = a.i32(2);
        int flags = a.i32(3);
        long argp = a.addr(4);
        long argsz = a.u64(5);
        if ((flags & ~IORING_ENTER_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        IoUringRing ring = ring(t, a.fd(0), (flags & IORING_ENTER_REGISTERED_RING) != 0);
        if (ring.disabled()) {
            throw new ErrnoException(Errno.EBADFD);
        }
        long ret = 0;
        if (toSubmit != 0) {
            GuestThread issuer = ring.submitter();
            if (issuer != null && issuer != t) {
                throw new ErrnoException(Errno.EEXIST);
            }
            ret = IoUringOps.submit(t, ring, Integer.toUnsignedLong(toSubmit));
            if (ret != Integer.toUnsignedLong(toSubmit)) {
                return ret;
            }
        }
        if ((flags & IORING_ENTER_GETEVENTS) == 0) {
            return ret;
        }
        try {
            waitEvents(t, ring, Integer.toUnsignedLong(minComplete), flags, argp, argsz);
        } catch (ErrnoException e) {
            if (ret == 0) {
                throw e;
            }
        }
        return ret;
    }

    /** io_get_ext_arg, then io_cqring_wait. */
    private static void waitEvents(GuestThread t, IoUringRing ring, long minComplete, int flags, long argp, long argsz)
            throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long sig = argp;
        long sigsz = argsz;
        long ts = 0;
        if ((flags & IORING_ENTER_EXT_ARG) != 0) {
            if ((flags & IORING_ENTER_EXT_ARG_REG) != 0) {
                // No wait region can be registered (IORING_REGISTER_MEM_REGION is not served): its size is 0.
                throw new ErrnoException(argsz != REG_WAIT_SIZE ? Errno.EINVAL : Errno.EFAULT);
            }
            if (argsz != GETEVENTS_ARG_SIZE) {
                throw new ErrnoException(Errno.EINVAL);
            }
            ByteBuffer arg = mem.readStruct(argp, GETEVENTS_ARG_SIZE);
            sig = arg.getLong(0);
            sigsz = Integer.toUnsignedLong(arg.getInt(8));
            ts = arg.getLong(16);
        }
        long deadline = Long.MAX_VALUE;
        if (ts != 0) {
            Timespec time = Timespec.readFrom(mem.readStruct(ts, Timespec.SIZE), 0);
            long nanos = saturatedNanos(time);
            long now = System.nanoTime();
            if ((flags & IORING_ENTER_ABS_TIMER) != 0) {
                // jlx's CLOCK_MONOTONIC is System.nanoTime() (TimeSyscalls).
                deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : nanos;
            } else {
                deadline = nanos <= 0 ? now : nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE - 1 : now + nanos;
            }
        }
        int min = (int) Math.min(minComplete, ring.cqEntries());
        if (ring.cqReadyAtLeast(min)) {
            return;
        }
        if (sig != 0) {
            PollSyscalls.swapMask(t, sig, sigsz);
        }
        ring.awaitCqes(min, deadline);
    }

    private static long saturatedNanos(Timespec ts) {
        if (ts.sec() >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        return ts.sec() * 1_000_000_000L + ts.nsec();
    }

    /**
     * Implements Linux syscall io_uring_register(2): EINVAL for an opcode past Linux 6.18's, then the
     * ring (EBADF, EOPNOTSUPP), then the opcode's own checks. PROBE, BUFFERS and UNREGISTER_BUFFERS,
     * FILES and UNREGISTER_FILES, EVENTFD, EVENTFD_ASYNC and UNREGISTER_EVENTFD, ENABLE_RINGS are
     * served; the others are EINVAL, as from a kernel without them.
     */
    static long io_uring_register(GuestThread t, Args a) throws ErrnoException {
        int opcode = a.i32(1);
        boolean registered = (opcode & IORING_REGISTER_USE_REGISTERED_RING) != 0;
        opcode &= ~IORING_REGISTER_USE_REGISTERED_RING;
        long arg = a.addr(2);
        long nr = Integer.toUnsignedLong(a.i32(3));
        if (opcode >= IORING_REGISTER_LAST) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (a.fd(0) == -1) {
            // The "blind" opcodes (SEND_MSG_RING, QUERY) are not served.
            throw new ErrnoException(Errno.EINVAL);
        }
        IoUringRing ring = ring(t, a.fd(0), registered);
        GuestThread issuer = ring.submitter();
        if (issuer != null && issuer != t) {
            throw new ErrnoException(Errno.EEXIST);
        }
        synchronized (ring) {
            return register(t, ring, opcode, arg, nr);
        }
    }

    private static long register(GuestThread t, IoUringRing ring, int opcode, long arg, long nr) throws ErrnoException {
        switch (opcode) {
            case IORING_REGISTER_BUFFERS -> {
                if (arg == 0) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                registerBuffers(t, ring, arg, nr);
            }
            case IORING_UNREGISTER_BUFFERS -> {
                if (arg != 0 || nr != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (ring.buffers() == null) {
                    throw new ErrnoException(Errno.ENXIO);
                }
                ring.setBuffers(null);
            }
            case IORING_REGISTER_FILES -> {
                if (arg == 0) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                registerFiles(t, ring, arg, nr);
            }
            case IORING_UNREGISTER_FILES -> {
                if (arg != 0 || nr != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (ring.files() == null) {
                    throw new ErrnoException(Errno.ENXIO);
                }
                IoUringRing.closeFiles(ring.setFiles(null));
            }
            case IORING_REGISTER_EVENTFD, IORING_REGISTER_EVENTFD_ASYNC -> {
                if (nr != 1) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (ring.eventFd() != null) {
                    throw new ErrnoException(Errno.EBUSY);
                }
                int fd = t.process().space().memory().readInt(arg);
                if (!(t.process().fds().get(fd) instanceof EventFd e)) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                ring.setEventFd(e, opcode == IORING_REGISTER_EVENTFD_ASYNC);
            }
            case IORING_UNREGISTER_EVENTFD -> {
                if (arg != 0 || nr != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (ring.eventFd() == null) {
                    throw new ErrnoException(Errno.ENXIO);
                }
                ring.setEventFd(null, false);
            }
            case IORING_REGISTER_PROBE -> {
                if (arg == 0 || nr > 256) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                probe(t, arg, nr);
            }
            case IORING_REGISTER_ENABLE_RINGS -> {
                if (arg != 0 || nr != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                ring.enable(t);
            }
            default -> {
                t.process().kernel().warnOnce("io_uring_register " + opcode,
                        "io_uring_register: opcode " + opcode + " is not served (EINVAL)");
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        return 0;
    }

    /** io_probe: struct io_uring_probe (16 bytes) and nr struct io_uring_probe_op (8 bytes each), all zero on entry. */
    private static void probe(GuestThread t, long arg, long nr) throws ErrnoException {
        nr = Math.min(nr, IORING_OP_LAST);
        GuestMemory mem = t.process().space().memory();
        int size = (int) (16 + 8 * nr);
        byte[] in = mem.read(arg, size);
        for (byte x : in) {
            if (x != 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(0, (byte) (IORING_OP_LAST - 1));
        out.put(1, (byte) nr);
        for (int i = 0; i < nr; i++) {
            out.put(16 + 8 * i, (byte) i);
            if (IoUringOps.served(i)) {
                out.putShort(16 + 8 * i + 2, (short) IO_URING_OP_SUPPORTED);
            }
        }
        mem.write(arg, out.array());
    }

    /** io_sqe_buffers_register: nr iovecs, each readable guest memory (EFAULT), at most 1 GiB. */
    private static void registerBuffers(GuestThread t, IoUringRing ring, long arg, long nr) throws ErrnoException {
        if (ring.buffers() != null) {
            throw new ErrnoException(Errno.EBUSY);
        }
        if (nr == 0 || nr > MAX_REG_BUFFERS) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        long[] bufs = new long[(int) (2 * nr)];
        for (int i = 0; i < nr; i++) {
            ByteBuffer iov = mem.readStruct(arg + 16L * i, 16);
            long base = iov.getLong(0);
            long len = iov.getLong(8);
            if (base == 0) {
                if (len != 0) {
                    throw new ErrnoException(Errno.EFAULT);
                }
            } else {
                if (len == 0 || Long.compareUnsigned(len, 1L << 30) > 0) {
                    throw new ErrnoException(Errno.EFAULT);
                }
                // Linux pins the pages: the first and last must be there.
                mem.read(base, 1);
                mem.read(base + len - 1, 1);
            }
            bufs[2 * i] = base;
            bufs[2 * i + 1] = len;
        }
        ring.setBuffers(bufs);
    }

    /** io_sqe_files_register: nr descriptors (-1 for an empty slot); an io_uring descriptor or a bad one is EBADF. */
    private static void registerFiles(GuestThread t, IoUringRing ring, long arg, long nr) throws ErrnoException {
        if (ring.files() != null) {
            throw new ErrnoException(Errno.EBUSY);
        }
        if (nr == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (nr > MAX_FIXED_FILES || nr > t.process().rlimits().soft(Resource.RLIMIT_NOFILE)) {
            throw new ErrnoException(Errno.EMFILE);
        }
        GuestMemory mem = t.process().space().memory();
        OpenFile[] table = new OpenFile[(int) nr];
        try {
            for (int i = 0; i < nr; i++) {
                int fd = mem.readInt(arg + 4L * i);
                if (fd == -1) {
                    continue;
                }
                OpenFile f = t.process().fds().get(fd);
                if (f instanceof IoUringRing) {
                    throw new ErrnoException(Errno.EBADF);
                }
                f.retain();
                table[i] = f;
            }
        } catch (ErrnoException e) {
            IoUringRing.closeFiles(table);
            throw e;
        }
        ring.setFiles(table);
    }

    /** Whether O_NONBLOCK is set on a file (io_uring then gives EAGAIN instead of waiting). */
    static boolean nonblocking(OpenFile f) {
        return (f.statusFlags() & OpenFlags.O_NONBLOCK) != 0;
    }

    /** A stream file (pipe, socket): io_uring ignores the offset of a read or write on one. */
    static boolean stream(OpenFile f) throws ErrnoException {
        return f instanceof SocketFile || f.isPipe();
    }

    /** Runs a syscall's own handler with these arguments, as io_uring's request of that kind; -errno on failure. */
    static long call(GuestThread t, boolean inline, int nr, long... args) {
        SyscallEntry e = SyscallTable.entry(nr);
        Args a = new Args();
        a.regs[0] = nr;
        System.arraycopy(args, 0, a.regs, 1, args.length);
        // io_uring_enter gives the run token up; a call that may change the memory map takes it back.
        RunToken token = inline && !e.blocks() ? t.process().space().runToken() : null;
        if (token != null) {
            token.acquire(t.engine());
        }
        try {
            return e.handler().handle(t, a);
        } catch (ErrnoException x) {
            return -x.errno().number();
        } finally {
            if (token != null) {
                token.release();
            }
        }
    }
}
