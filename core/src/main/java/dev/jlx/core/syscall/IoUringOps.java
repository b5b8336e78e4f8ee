package dev.jlx.core.syscall;

import static dev.jlx.abi.IoUring.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Poll;
import dev.jlx.abi.SyscallNr;
import dev.jlx.abi.struct.Timespec;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FdTable;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.IoUringRing;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * io_uring's requests: io_submit_sqes' walk of the SQ ring with io_init_req's checks and each
 * opcode's prep checks (a failure there is the SQE's CQE and ends the submission), links
 * (IOSQE_IO_LINK, IOSQE_IO_HARDLINK, IORING_OP_LINK_TIMEOUT), drains (IOSQE_IO_DRAIN) and the
 * opcodes, each served by the handler of the syscall it stands for. A request on a pollable file
 * that is not ready (a read of an empty pipe, an accept with no connection) waits on the file's
 * readiness, as Linux's FAST_POLL, and runs on a thread of its own once ready; one on a host
 * descriptor, whose readiness jlx does not see, runs on its own thread at once.
 */
final class IoUringOps {
    private static final int IORING_NOP_INJECT_RESULT = 1;
    private static final int IORING_POLL_ADD_MULTI = 1;
    private static final int IORING_POLL_UPDATE_EVENTS = 2;
    private static final int IORING_POLL_UPDATE_USER_DATA = 4;
    private static final int IORING_POLL_ADD_LEVEL = 8;
    private static final int IORING_TIMEOUT_MULTISHOT = 1 << 6;
    private static final int IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;
    private static final int IORING_ASYNC_CANCEL_USERDATA = 1 << 4;
    private static final int IORING_ASYNC_CANCEL_OP = 1 << 5;

    /** The opcodes jlx serves, as IORING_REGISTER_PROBE reports them. */
    private static final long SERVED = bits(IORING_OP_NOP, IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_FSYNC,
            IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED, IORING_OP_POLL_ADD, IORING_OP_POLL_REMOVE,
            IORING_OP_SYNC_FILE_RANGE, IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_TIMEOUT,
            IORING_OP_TIMEOUT_REMOVE, IORING_OP_ACCEPT, IORING_OP_ASYNC_CANCEL, IORING_OP_LINK_TIMEOUT,
            IORING_OP_CONNECT, IORING_OP_FALLOCATE, IORING_OP_OPENAT, IORING_OP_CLOSE, IORING_OP_STATX,
            IORING_OP_READ, IORING_OP_WRITE, IORING_OP_FADVISE, IORING_OP_MADVISE, IORING_OP_SEND, IORING_OP_RECV,
            IORING_OP_OPENAT2, IORING_OP_SPLICE, IORING_OP_TEE, IORING_OP_SHUTDOWN, IORING_OP_RENAMEAT,
            IORING_OP_UNLINKAT, IORING_OP_MKDIRAT, IORING_OP_SYMLINKAT, IORING_OP_LINKAT, IORING_OP_FTRUNCATE);
    /** The opcodes whose request works on the file of sqe->fd (io_issue_def's needs_file). */
    private static final long NEEDS_FILE = bits(IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_FSYNC,
            IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED, IORING_OP_POLL_ADD, IORING_OP_SYNC_FILE_RANGE,
            IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_ACCEPT, IORING_OP_CONNECT, IORING_OP_FALLOCATE,
            IORING_OP_READ, IORING_OP_WRITE, IORING_OP_FADVISE, IORING_OP_SEND, IORING_OP_RECV, IORING_OP_SPLICE,
            IORING_OP_TEE, IORING_OP_SHUTDOWN, IORING_OP_FTRUNCATE);
    /** Reads and writes: sqe->ioprio is theirs, and a short transfer breaks a link. */
    private static final long READ_WRITE = bits(IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_READ_FIXED,
            IORING_OP_WRITE_FIXED, IORING_OP_READ, IORING_OP_WRITE);
    /** Those that take IOSQE_BUFFER_SELECT (provided buffers, which jlx cannot register). */
    private static final long BUFFER_SELECT = bits(IORING_OP_READV, IORING_OP_READ, IORING_OP_RECV, IORING_OP_RECVMSG);
    /** Those that wait for input, and for room. */
    private static final long WAITS_IN = bits(IORING_OP_READV, IORING_OP_READ_FIXED, IORING_OP_READ, IORING_OP_RECV,
            IORING_OP_RECVMSG, IORING_OP_ACCEPT);
    private static final long WAITS_OUT = bits(IORING_OP_WRITEV, IORING_OP_WRITE_FIXED, IORING_OP_WRITE,
            IORING_OP_SEND, IORING_OP_SENDMSG);
    /** Networking opcodes, whose sqe->ioprio holds IORING_RECVSEND_* or IORING_ACCEPT_* flags. */
    private static final long NET = bits(IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_ACCEPT, IORING_OP_SEND,
            IORING_OP_RECV);

    /**
     * Those whose error breaks their link (the ones that req_set_fail on it); the others (fsync,
     * fallocate, statx, madvise, the path calls, ...) let the link go on whatever their result.
     */
    private static final long FAIL_LINK = bits(IORING_OP_NOP, IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_READ_FIXED,
            IORING_OP_WRITE_FIXED, IORING_OP_POLL_REMOVE, IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_TIMEOUT,
            IORING_OP_TIMEOUT_REMOVE, IORING_OP_ACCEPT, IORING_OP_ASYNC_CANCEL, IORING_OP_LINK_TIMEOUT,
            IORING_OP_CONNECT, IORING_OP_OPENAT, IORING_OP_CLOSE, IORING_OP_READ, IORING_OP_WRITE, IORING_OP_FADVISE,
            IORING_OP_SEND, IORING_OP_RECV, IORING_OP_OPENAT2, IORING_OP_SPLICE, IORING_OP_TEE);

    /** Timeouts (TIMEOUT, LINK_TIMEOUT) expire on one daemon thread. */
    private static final ScheduledExecutorService TIMERS = timers();

    private IoUringOps() {}

    private static long bits(int... ops) {
        long b = 0;
        for (int op : ops) {
            b |= 1L << op;
        }
        return b;
    }

    private static boolean in(long set, int op) {
        return op < 64 && (set >> op & 1) != 0;
    }

    /** Whether jlx serves {@code opcode} (IORING_REGISTER_PROBE's IO_URING_OP_SUPPORTED). */
    static boolean served(int opcode) {
        return in(SERVED, opcode);
    }

    private static ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "jlx-io_uring-timeouts");
            th.setDaemon(true);
            return th;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** A ring's submissions: running chains, those a drain holds back, timeouts that count completions. */
    static final class State {
        private int inflight;
        private final ArrayDeque<Chain> deferred = new ArrayDeque<>();
        /** Completions other than timeouts' (the sequence IORING_OP_TIMEOUT's count is against). */
        private long completions;
        private final List<Counted> counted = new ArrayList<>();
        /** IOSQE_CQE_SKIP_SUCCESS was used: drains are refused from then on, as Linux's drain_disabled. */
        private boolean drainDisabled;
    }

    private record Counted(long target, AtomicBoolean settled, Completion done) {}

    /** The end of a request: its result (-errno), and whether it waited (for IORING_REGISTER_EVENTFD_ASYNC). */
    @FunctionalInterface
    private interface Completion {
        void complete(long res, boolean waited);
    }

    /** One SQE, copied at submission (IORING_FEAT_SUBMIT_STABLE), with what its prep read. */
    private static final class Request {
        final int opcode;
        final int flags;
        final int ioprio;
        final int fd;
        final long off;
        final long addr;
        final int len;
        final int opFlags;
        final long userData;
        final int bufIndex;
        final int personality;
        final int fileIndex;
        /** The result its init or prep failed with (-errno), or 0. */
        int error;
        /** TIMEOUT and LINK_TIMEOUT: the time, in nanoseconds. */
        long nanos;
        /** What a read or write should move; a shorter one breaks its link. */
        long expected = -1;
        /** Its registration while it waits, for a LINK_TIMEOUT to cancel it. */
        volatile IoUringRing.Pending pending;

        Request(ByteBuffer b) {
            opcode = b.get(SQE_OPCODE) & 0xff;
            flags = b.get(SQE_FLAGS) & 0xff;
            ioprio = b.getShort(SQE_IOPRIO) & 0xffff;
            fd = b.getInt(SQE_FD);
            off = b.getLong(SQE_OFF);
            addr = b.getLong(SQE_ADDR);
            len = b.getInt(SQE_LEN);
            opFlags = b.getInt(SQE_OP_FLAGS);
            userData = b.getLong(SQE_USER_DATA);
            bufIndex = b.getShort(SQE_BUF_INDEX) & 0xffff;
            personality = b.getShort(SQE_PERSONALITY) & 0xffff;
            fileIndex = b.getInt(SQE_FILE_INDEX);
        }

        boolean links() {
            return (flags & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK)) != 0;
        }
    }

    /** Requests linked together, run one after the other; {@code drain} holds it until all before are done. */
    private record Chain(List<Request> requests, boolean drain) {}

    /** Where a request runs: the submitting thread ({@code inline}), or a thread of its own. */
    private record Ctx(GuestThread t, IoUringRing ring, State st) {}

    /**
     * io_submit_sqes: takes up to {@code max} SQEs, returns how many were taken (one whose init or
     * prep failed counts, and ends the walk unless IORING_SETUP_SUBMIT_ALL; one whose SQ array index
     * is out of range does not, and ends it too).
     */
    static long submit(GuestThread t, IoUringRing ring, long max) {
        State st = (State) ring.submissions();
        Ctx c = new Ctx(t, ring, st);
        long ready = Integer.toUnsignedLong(ring.sqReady());
        long n = Math.min(max, ready);
        long taken = 0;
        List<Request> link = null;
        while (taken < n) {
            ByteBuffer sqe = ring.takeSqe();
            if (sqe == null) {
                break;
            }
            taken++;
            Request r = new Request(sqe);
            r.error = init(c, r, link != null);
            // io_submit_sqe, and io_submit_fail_init for a failed one: a link goes on being assembled.
            if (link != null) {
                link.add(r);
                if (r.links()) {
                    continue;
                }
                queue(c, link);
                link = null;
            } else if (r.links()) {
                link = new ArrayList<>();
                link.add(r);
                continue;
            } else {
                queue(c, List.of(r));
            }
            if (r.error != 0 && (ring.setupFlags() & IORING_SETUP_SUBMIT_ALL) == 0) {
                break;
            }
        }
        if (link != null) {
            queue(c, link);
        }
        ring.commitSq();
        return taken;
    }

    /** io_init_req and the opcode's prep: 0, or the -errno the SQE fails with. */
    private static int init(Ctx c, Request r, boolean inLink) {
        if (r.opcode >= IORING_OP_LAST) {
            return -Errno.EINVAL.number();
        }
        if ((r.flags & ~IOSQE_VALID) != 0) {
            return -Errno.EINVAL.number();
        }
        if ((r.flags & IOSQE_BUFFER_SELECT) != 0 && !in(BUFFER_SELECT, r.opcode)) {
            return -Errno.EOPNOTSUPP.number();
        }
        synchronized (c.st) {
            if ((r.flags & IOSQE_CQE_SKIP_SUCCESS) != 0) {
                c.st.drainDisabled = true;
            }
            if ((r.flags & IOSQE_IO_DRAIN) != 0 && c.st.drainDisabled) {
                return -Errno.EOPNOTSUPP.number();
            }
        }
        if (r.ioprio != 0 && !in(READ_WRITE, r.opcode) && !in(NET, r.opcode)) {
            return -Errno.EINVAL.number();
        }
        if ((c.ring.setupFlags() & IORING_SETUP_IOPOLL) != 0 && !in(READ_WRITE, r.opcode) && r.opcode != IORING_OP_NOP) {
            return -Errno.EINVAL.number();
        }
        if (r.personality != 0) {
            // No personality can be registered (IORING_REGISTER_PERSONALITY is not served).
            return -Errno.EINVAL.number();
        }
        if (!served(r.opcode)) {
            // As io_eopnotsupp_prep, for an opcode the kernel was built without.
            c.t.process().kernel().warnOnce("io_uring op " + r.opcode, "io_uring: opcode " + r.opcode
                    + " is not served (EOPNOTSUPP)");
            return -Errno.EOPNOTSUPP.number();
        }
        try {
            return prep(c, r, inLink);
        } catch (ErrnoException e) {
            return -e.errno().number();
        }
    }

    /** Each opcode's prep: the SQE fields it refuses (EINVAL), what it copies in (EFAULT). */
    private static int prep(Ctx c, Request r, boolean inLink) throws ErrnoException {
        boolean fixed = (r.flags & IOSQE_FIXED_FILE) != 0;
        switch (r.opcode) {
            case IORING_OP_NOP -> {
                if ((r.opFlags & ~IORING_NOP_INJECT_RESULT) != 0) {
                    return einval();
                }
            }
            case IORING_OP_READV, IORING_OP_WRITEV -> {
                long total = 0;
                GuestMemory mem = c.t.process().space().memory();
                try {
                    for (int i = 0; i < Integer.toUnsignedLong(r.len) && i < 1024; i++) {
                        total += mem.readLong(r.addr + 16L * i + 8);
                    }
                    r.expected = total;
                } catch (ErrnoException unreadable) {
                    // The call itself gives EFAULT.
                }
            }
            case IORING_OP_READ, IORING_OP_WRITE, IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED, IORING_OP_TEE ->
                    r.expected = Integer.toUnsignedLong(r.len);
            case IORING_OP_FSYNC -> {
                if (r.addr != 0 || r.bufIndex != 0 || r.fileIndex != 0 || (r.opFlags & ~IORING_FSYNC_DATASYNC) != 0) {
                    return einval();
                }
            }
            case IORING_OP_POLL_ADD -> {
                int f = r.len;
                if (r.addr != 0 || r.bufIndex != 0 || r.off != 0
                        || (f & ~(IORING_POLL_ADD_MULTI | IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA
                                | IORING_POLL_ADD_LEVEL)) != 0
                        || (f & ~IORING_POLL_ADD_LEVEL) != 0) {
                    // Multishot polls and updates are not served.
                    return einval();
                }
            }
            case IORING_OP_POLL_REMOVE -> {
                if (r.bufIndex != 0 || r.fileIndex != 0 || r.len != 0) {
                    return einval();
                }
            }
            case IORING_OP_TIMEOUT, IORING_OP_LINK_TIMEOUT -> {
                boolean link = r.opcode == IORING_OP_LINK_TIMEOUT;
                if (r.bufIndex != 0 || r.len != 1 || r.fileIndex != 0 || link && r.off != 0) {
                    return einval();
                }
                int f = r.opFlags;
                int clocks = f & (IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME);
                if ((f & ~(IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME
                        | IORING_TIMEOUT_ETIME_SUCCESS | IORING_TIMEOUT_MULTISHOT)) != 0
                        || Integer.bitCount(clocks) > 1 || (f & IORING_TIMEOUT_MULTISHOT) != 0) {
                    return einval();
                }
                if (link && !inLink) {
                    return einval();
                }
                Timespec ts = Timespec.readFrom(c.t.process().space().memory().readStruct(r.addr, Timespec.SIZE), 0);
                if (ts.sec() < 0 || ts.nsec() < 0) {
                    return einval();
                }
                long nanos = ts.sec() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE
                        : ts.sec() * 1_000_000_000L + ts.nsec();
                if ((f & IORING_TIMEOUT_ABS) != 0) {
                    long now = (f & IORING_TIMEOUT_REALTIME) != 0
                            ? java.time.Instant.now().getEpochSecond() * 1_000_000_000L + java.time.Instant.now().getNano()
                            : System.nanoTime();
                    nanos = nanos == Long.MAX_VALUE ? nanos : Math.max(0, nanos - now);
                }
                r.nanos = nanos;
            }
            case IORING_OP_TIMEOUT_REMOVE -> {
                // IORING_TIMEOUT_UPDATE and IORING_LINK_TIMEOUT_UPDATE are not served.
                if (r.bufIndex != 0 || r.len != 0 || r.fileIndex != 0 || r.opFlags != 0) {
                    return einval();
                }
            }
            case IORING_OP_ASYNC_CANCEL -> {
                int f = r.opFlags;
                if (r.off != 0 || r.fileIndex != 0
                        || (f & ~(IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ANY
                                | IORING_ASYNC_CANCEL_FD_FIXED | IORING_ASYNC_CANCEL_USERDATA | IORING_ASYNC_CANCEL_OP)) != 0
                        || (f & IORING_ASYNC_CANCEL_ANY) != 0
                                && (f & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)) != 0
                        || (f & (IORING_ASYNC_CANCEL_FD_FIXED | IORING_ASYNC_CANCEL_OP)) != 0) {
                    // Cancelling by a registered file or by opcode is not served.
                    return einval();
                }
            }
            case IORING_OP_OPENAT, IORING_OP_OPENAT2 -> {
                if (r.bufIndex != 0) {
                    return einval();
                }
                if (fixed) {
                    return -Errno.EBADF.number();
                }
                if (r.fileIndex != 0) {
                    // Opening straight into a registered slot is not served.
                    return einval();
                }
            }
            case IORING_OP_CLOSE -> {
                if (r.off != 0 || r.addr != 0 || r.len != 0 || r.opFlags != 0 || r.bufIndex != 0) {
                    return einval();
                }
                if (fixed) {
                    return -Errno.EBADF.number();
                }
                if (r.fileIndex != 0) {
                    return einval();
                }
            }
            case IORING_OP_ACCEPT -> {
                if (r.len != 0 || r.bufIndex != 0 || r.fileIndex != 0 || r.ioprio != 0) {
                    // Multishot accepts and accepting into a registered slot are not served.
                    return einval();
                }
            }
            case IORING_OP_SEND, IORING_OP_RECV, IORING_OP_SENDMSG, IORING_OP_RECVMSG -> {
                if (r.ioprio != 0) {
                    // IORING_RECVSEND_* (multishot, bundles, zero copy) are not served.
                    return einval();
                }
            }
            case IORING_OP_SPLICE -> {
                r.expected = Integer.toUnsignedLong(r.len);
                if (r.addr != -1 || r.off != -1) {
                    // Splice at given offsets would need them in guest memory: not served.
                    return einval();
                }
            }
            default -> {
                // Checked by the syscall the request stands for.
            }
        }
        return 0;
    }

    private static int einval() {
        return -Errno.EINVAL.number();
    }

    /** Queues a chain: one that failed at init is failed whole; otherwise it runs, or waits behind a drain. */
    private static void queue(Ctx c, List<Request> requests) {
        boolean failed = false;
        boolean drain = false;
        for (Request r : requests) {
            failed |= r.error != 0;
            drain |= (r.flags & IOSQE_IO_DRAIN) != 0;
        }
        if (failed) {
            // io_queue_sqe_fallback with REQ_F_FAIL: each request's own error, the others -ECANCELED.
            for (Request r : requests) {
                post(c, r, r.error != 0 ? r.error : -Errno.ECANCELED.number(), false);
            }
            return;
        }
        Chain chain = new Chain(requests, drain);
        synchronized (c.st) {
            if (!c.st.deferred.isEmpty() || drain && c.st.inflight > 0) {
                c.st.deferred.add(chain);
                return;
            }
            c.st.inflight++;
        }
        run(c, chain, 0);
    }

    /** A chain is done: the drained chains whose turn came start. */
    private static void chainDone(Ctx c) {
        List<Chain> start = new ArrayList<>();
        synchronized (c.st) {
            c.st.inflight--;
            while (!c.st.deferred.isEmpty()) {
                Chain next = c.st.deferred.peek();
                if (next.drain() && c.st.inflight > 0) {
                    break;
                }
                c.st.deferred.poll();
                c.st.inflight++;
                start.add(next);
            }
        }
        for (Chain ch : start) {
            run(c, ch, 0);
        }
    }

    /** Runs the chain's request at {@code i}, and on its success (or a hard link) the next. */
    private static void run(Ctx c, Chain chain, int i) {
        List<Request> rs = chain.requests();
        if (i >= rs.size()) {
            chainDone(c);
            return;
        }
        Request r = rs.get(i);
        Request timeout = i + 1 < rs.size() && rs.get(i + 1).opcode == IORING_OP_LINK_TIMEOUT ? rs.get(i + 1) : null;
        AtomicBoolean settled = new AtomicBoolean();
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        Completion done = (res, waited) -> {
            post(c, r, res, waited);
            boolean ok = (r.flags & IOSQE_IO_HARDLINK) != 0 || !failsLink(r, res);
            int next = i + 1;
            if (timeout != null) {
                next = i + 2;
                if (settled.compareAndSet(false, true)) {
                    if (timer[0] != null) {
                        timer[0].cancel(false);
                    }
                    post(c, timeout, -Errno.ECANCELED.number(), waited);
                }
            }
            if (ok) {
                run(c, chain, next);
            } else {
                for (int k = next; k < rs.size(); k++) {
                    post(c, rs.get(k), -Errno.ECANCELED.number(), waited);
                }
                chainDone(c);
            }
        };
        if (r.opcode == IORING_OP_LINK_TIMEOUT) {
            // A link timeout after a request that already completed (two in a row): nothing to time.
            done.complete(-Errno.ECANCELED.number(), false);
            return;
        }
        issue(c, r, done);
        if (timeout != null && !settled.get()) {
            // io_queue_linked_timeout: the request is cancelled when the time is up first.
            timer[0] = TIMERS.schedule(() -> {
                if (!settled.compareAndSet(false, true)) {
                    return;
                }
                IoUringRing.Pending p = r.pending;
                boolean cancelled = p != null && c.ring.removePending(p) && p.cancel().getAsBoolean();
                post(c, timeout, cancelled ? -Errno.ETIME.number() : -Errno.EALREADY.number(), true);
            }, timeout.nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** req_set_fail: a cancelled request, an error of one that fails on it, a short read, write, splice or tee. */
    private static boolean failsLink(Request r, long res) {
        if (res == -Errno.ECANCELED.number()) {
            return true;
        }
        if (r.opcode == IORING_OP_TIMEOUT && (r.opFlags & IORING_TIMEOUT_ETIME_SUCCESS) != 0) {
            return false;
        }
        return in(FAIL_LINK, r.opcode) && (res < 0 || r.expected >= 0 && res != r.expected);
    }

    /** Posts a request's CQE (not with IOSQE_CQE_SKIP_SUCCESS and success), and counts it for timeouts. */
    private static void post(Ctx c, Request r, long res, boolean waited) {
        if ((r.flags & IOSQE_CQE_SKIP_SUCCESS) == 0 || res < 0) {
            c.ring.post(r.userData, res, 0, waited);
        }
        if (r.opcode == IORING_OP_TIMEOUT) {
            return;
        }
        List<Counted> due = new ArrayList<>();
        synchronized (c.st) {
            c.st.completions++;
            c.st.counted.removeIf(t -> t.target() <= c.st.completions && due.add(t));
        }
        for (Counted t : due) {
            if (t.settled().compareAndSet(false, true)) {
                t.done().complete(0, true);
            }
        }
    }

    /** Issues a request; {@code done} hears its result, at once or once it waited. */
    private static void issue(Ctx c, Request r, Completion done) {
        switch (r.opcode) {
            case IORING_OP_NOP -> done.complete((r.opFlags & IORING_NOP_INJECT_RESULT) != 0 ? r.len : 0, false);
            case IORING_OP_TIMEOUT -> timeout(c, r, done);
            case IORING_OP_TIMEOUT_REMOVE -> done.complete(remove(c, p -> p.opcode() == IORING_OP_TIMEOUT
                    && p.userData() == r.addr), false);
            case IORING_OP_POLL_REMOVE -> done.complete(remove(c, p -> p.opcode() == IORING_OP_POLL_ADD
                    && p.userData() == r.addr), false);
            case IORING_OP_ASYNC_CANCEL -> done.complete(cancel(c, r), false);
            default -> {
                OpenFile f = null;
                if (in(NEEDS_FILE, r.opcode)) {
                    f = file(c, r.fd, (r.flags & IOSQE_FIXED_FILE) != 0);
                    if (f == null) {
                        done.complete(-Errno.EBADF.number(), false);
                        return;
                    }
                }
                if ((r.flags & IOSQE_BUFFER_SELECT) != 0) {
                    // No buffers can be provided (IORING_OP_PROVIDE_BUFFERS and buffer rings are not served).
                    done.complete(-Errno.ENOBUFS.number(), false);
                    return;
                }
                int events = r.opcode == IORING_OP_POLL_ADD ? pollEvents(r)
                        : in(WAITS_IN, r.opcode) ? Poll.POLLIN : in(WAITS_OUT, r.opcode) ? Poll.POLLOUT : 0;
                if (events != 0 && waits(f, events)) {
                    Readiness rd = f.readiness();
                    if (rd == Readiness.FIXED || rd.unseen()) {
                        onThread(c, r, f, done);
                    } else {
                        arm(c, r, f, events, done);
                    }
                    return;
                }
                done.complete(r.opcode == IORING_OP_POLL_ADD ? f.poll(events) & events : perform(c, r, f, true), false);
            }
        }
    }

    /** POLL_ADD's events: poll32_events, with POLLERR and POLLHUP, as io_poll_parse_events. */
    private static int pollEvents(Request r) {
        return r.opFlags & 0xffff | Poll.POLLERR | Poll.POLLHUP;
    }

    /** Whether a request on {@code f} would wait for {@code events}: a pollable file, not O_NONBLOCK, not ready. */
    private static boolean waits(OpenFile f, int events) {
        try {
            if (!f.pollable()) {
                return false;
            }
        } catch (ErrnoException e) {
            return false;
        }
        return (f.poll(events | Poll.POLLERR | Poll.POLLHUP) & (events | Poll.POLLERR | Poll.POLLHUP)) == 0
                && !IoUringSyscalls.nonblocking(f);
    }

    /** The request's file: sqe->fd in the process's table, or with IOSQE_FIXED_FILE in the registered ones; null: EBADF. */
    private static OpenFile file(Ctx c, int fd, boolean fixed) {
        if (fixed) {
            OpenFile[] table = c.ring.files();
            return table == null || fd < 0 || fd >= table.length ? null : table[fd];
        }
        try {
            return c.t.process().fds().get(fd);
        } catch (ErrnoException e) {
            return null;
        }
    }

    /**
     * Waits for the file's readiness (io_arm_poll_handler) without blocking anyone: registered for
     * cancellation meanwhile; once ready, a POLL_ADD completes with the ready events, another
     * request runs on a thread of its own.
     */
    private static void arm(Ctx c, Request r, OpenFile f, int events, Completion completion) {
        // The request holds its file while it waits, as Linux's does (a close of the descriptor meanwhile does not end it).
        f.retain();
        Completion done = (res, waited) -> {
            closeQuietly(f);
            completion.complete(res, waited);
        };
        AtomicBoolean fired = new AtomicBoolean();
        Readiness rd = f.readiness();
        Readiness.Watch[] watch = new Readiness.Watch[1];
        int wanted = events | Poll.POLLERR | Poll.POLLHUP;
        IoUringRing.Pending pending = new IoUringRing.Pending(r.userData, r.opcode, f, () -> {
            if (!fired.compareAndSet(false, true)) {
                return false;
            }
            rd.unwatch(watch[0]);
            done.complete(-Errno.ECANCELED.number(), true);
            return true;
        });
        r.pending = pending;
        java.util.function.IntConsumer check = changed -> {
            int now = f.poll(wanted) & wanted;
            if (now != 0 && fired.compareAndSet(false, true)) {
                rd.unwatch(watch[0]);
                c.ring.removePending(pending);
                if (r.opcode == IORING_OP_POLL_ADD) {
                    done.complete(now, true);
                } else {
                    onThread(c, r, f, done);
                }
            }
        };
        c.ring.addPending(pending);
        watch[0] = rd.watch(Readiness.ALL, check::accept);
        // A change between the first look and the watch is seen here.
        check.accept(Readiness.ALL);
    }

    /**
     * Runs a request on a thread of its own (Linux's io-wq worker): it may block there. It cannot be
     * cancelled while it runs (EALREADY to a cancel). A POLL_ADD on a file whose readiness jlx does
     * not see asks it every few milliseconds.
     */
    private static void onThread(Ctx c, Request r, OpenFile f, Completion done) {
        AtomicBoolean cancelled = new AtomicBoolean();
        boolean poll = r.opcode == IORING_OP_POLL_ADD;
        IoUringRing.Pending pending = new IoUringRing.Pending(r.userData, r.opcode, f,
                () -> poll && cancelled.compareAndSet(false, true));
        r.pending = pending;
        c.ring.addPending(pending);
        f.retain();
        Thread.ofPlatform().daemon().name("jlx-io_uring-worker").start(() -> {
            long res;
            try {
                if (poll) {
                    int events = pollEvents(r);
                    int now;
                    while ((now = f.poll(events) & events) == 0 && !cancelled.get()) {
                        Thread.sleep(5);
                    }
                    res = cancelled.get() ? -Errno.ECANCELED.number() : now;
                } else {
                    res = perform(c, r, f, false);
                }
            } catch (InterruptedException e) {
                res = -Errno.EINTR.number();
            } finally {
                FdTable.releaseHeld();
                closeQuietly(f);
            }
            c.ring.removePending(pending);
            done.complete(res, true);
        });
    }

    private static void closeQuietly(OpenFile f) {
        try {
            f.close();
        } catch (ErrnoException ignored) {
            // Its descriptor is long gone: as close(2)'s late error, nobody hears it.
        }
    }

    /** TIMEOUT: -ETIME when the time is up, 0 once its count of other completions came. */
    private static void timeout(Ctx c, Request r, Completion done) {
        AtomicBoolean settled = new AtomicBoolean();
        ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
        IoUringRing.Pending pending = new IoUringRing.Pending(r.userData, r.opcode, null, () -> {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            if (timer[0] != null) {
                timer[0].cancel(false);
            }
            done.complete(-Errno.ECANCELED.number(), true);
            return true;
        });
        Completion finish = (res, waited) -> {
            c.ring.removePending(pending);
            if (timer[0] != null) {
                timer[0].cancel(false);
            }
            done.complete(res, waited);
        };
        c.ring.addPending(pending);
        if (r.off != 0) {
            synchronized (c.st) {
                c.st.counted.add(new Counted(c.st.completions + r.off, settled, finish));
            }
        }
        if (r.nanos != Long.MAX_VALUE) {
            timer[0] = TIMERS.schedule(() -> {
                if (settled.compareAndSet(false, true)) {
                    synchronized (c.st) {
                        c.st.counted.removeIf(t -> t.settled() == settled);
                    }
                    finish.complete(-Errno.ETIME.number(), true);
                }
            }, r.nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** POLL_REMOVE and TIMEOUT_REMOVE: 0 when the request was found and cancelled (it ends -ECANCELED), else -ENOENT. */
    private static long remove(Ctx c, java.util.function.Predicate<IoUringRing.Pending> match) {
        List<IoUringRing.Pending> found = c.ring.takePending(match);
        if (found.isEmpty()) {
            return -Errno.ENOENT.number();
        }
        return found.get(0).cancel().getAsBoolean() ? 0 : -Errno.EALREADY.number();
    }

    /**
     * ASYNC_CANCEL: by user_data, by file (IORING_ASYNC_CANCEL_FD) or any (IORING_ASYNC_CANCEL_ANY);
     * the first match, or all with IORING_ASYNC_CANCEL_ALL (the result then how many). -ENOENT for
     * none, -EALREADY for one that runs already.
     */
    private static long cancel(Ctx c, Request r) {
        int f = r.opFlags;
        OpenFile file = null;
        if ((f & IORING_ASYNC_CANCEL_FD) != 0) {
            file = file(c, r.fd, false);
            if (file == null) {
                return -Errno.EBADF.number();
            }
        }
        OpenFile byFile = file;
        boolean any = (f & IORING_ASYNC_CANCEL_ANY) != 0;
        boolean all = (f & (IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_ANY)) != 0;
        boolean[] first = {true};
        List<IoUringRing.Pending> found = c.ring.takePending(p -> {
            boolean m = any || (byFile != null ? p.file() == byFile : p.userData() == r.addr);
            if (m && !all && !first[0]) {
                return false;
            }
            if (m) {
                first[0] = false;
            }
            return m;
        });
        if (found.isEmpty()) {
            return -Errno.ENOENT.number();
        }
        int n = 0;
        boolean running = false;
        for (IoUringRing.Pending p : found) {
            if (p.cancel().getAsBoolean()) {
                n++;
            } else {
                running = true;
            }
        }
        if (all) {
            return n;
        }
        return running ? -Errno.EALREADY.number() : 0;
    }

    /** Does the request's work through the handler of the syscall it stands for; its result or -errno. */
    private static long perform(Ctx c, Request r, OpenFile f, boolean inline) {
        boolean fixed = (r.flags & IOSQE_FIXED_FILE) != 0 && f != null;
        long fd = fixed ? FdTable.FIXED_FD : r.fd;
        try {
            return fixed ? FdTable.withFixed(f, () -> op(c, r, f, fd, inline)) : op(c, r, f, fd, inline);
        } catch (ErrnoException e) {
            return -e.errno().number();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long op(Ctx c, Request r, OpenFile f, long fd, boolean inline) throws ErrnoException {
        GuestThread t = c.t;
        long len = Integer.toUnsignedLong(r.len);
        int flags = r.opFlags;
        return switch (r.opcode) {
            case IORING_OP_READV, IORING_OP_WRITEV -> {
                if ((c.ring.setupFlags() & IORING_SETUP_IOPOLL) != 0) {
                    yield -Errno.EOPNOTSUPP.number();
                }
                long pos = IoUringSyscalls.stream(f) ? -1 : r.off;
                yield IoUringSyscalls.call(t, inline, r.opcode == IORING_OP_READV ? SyscallNr.PREADV2 : SyscallNr.PWRITEV2,
                        fd, r.addr, len, pos, 0, flags);
            }
            case IORING_OP_READ, IORING_OP_WRITE, IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED -> {
                if ((c.ring.setupFlags() & IORING_SETUP_IOPOLL) != 0) {
                    yield -Errno.EOPNOTSUPP.number();
                }
                boolean write = r.opcode == IORING_OP_WRITE || r.opcode == IORING_OP_WRITE_FIXED;
                if (r.opcode == IORING_OP_READ_FIXED || r.opcode == IORING_OP_WRITE_FIXED) {
                    long[] bufs = c.ring.buffers();
                    if (bufs == null || r.bufIndex >= bufs.length / 2) {
                        yield -Errno.EFAULT.number();
                    }
                    long base = bufs[2 * r.bufIndex];
                    long end = base + bufs[2 * r.bufIndex + 1];
                    if (Long.compareUnsigned(r.addr, base) < 0 || Long.compareUnsigned(r.addr + len, end) > 0) {
                        yield -Errno.EFAULT.number();
                    }
                }
                long pos = IoUringSyscalls.stream(f) ? -1 : r.off;
                yield pos == -1
                        ? IoUringSyscalls.call(t, inline, write ? SyscallNr.WRITE : SyscallNr.READ, fd, r.addr, len)
                        : IoUringSyscalls.call(t, inline, write ? SyscallNr.PWRITE64 : SyscallNr.PREAD64, fd, r.addr, len, pos);
            }
            case IORING_OP_FSYNC -> IoUringSyscalls.call(t, inline,
                    (flags & IORING_FSYNC_DATASYNC) != 0 ? SyscallNr.FDATASYNC : SyscallNr.FSYNC, fd);
            case IORING_OP_SYNC_FILE_RANGE -> IoUringSyscalls.call(t, inline, SyscallNr.SYNC_FILE_RANGE, fd, r.off, len, flags);
            case IORING_OP_SENDMSG -> IoUringSyscalls.call(t, inline, SyscallNr.SENDMSG, fd, r.addr, flags);
            case IORING_OP_RECVMSG -> IoUringSyscalls.call(t, inline, SyscallNr.RECVMSG, fd, r.addr, flags);
            case IORING_OP_ACCEPT -> IoUringSyscalls.call(t, inline, SyscallNr.ACCEPT4, fd, r.addr, r.off, flags);
            case IORING_OP_CONNECT -> IoUringSyscalls.call(t, inline, SyscallNr.CONNECT, fd, r.addr, r.off);
            case IORING_OP_FALLOCATE -> IoUringSyscalls.call(t, inline, SyscallNr.FALLOCATE, fd, len, r.off, r.addr);
            case IORING_OP_OPENAT -> IoUringSyscalls.call(t, inline, SyscallNr.OPENAT, r.fd, r.addr,
                    Integer.toUnsignedLong(flags | OpenFlags.O_LARGEFILE), len);
            case IORING_OP_OPENAT2 -> IoUringSyscalls.call(t, inline, SyscallNr.OPENAT2, r.fd, r.addr, r.off, len);
            case IORING_OP_CLOSE -> {
                // io_close: a ring's own descriptor is not closed through a ring.
                OpenFile target;
                try {
                    target = t.process().fds().peek(r.fd);
                } catch (ErrnoException e) {
                    yield -Errno.EBADF.number();
                }
                yield target instanceof IoUringRing ? -Errno.EBADF.number()
                        : IoUringSyscalls.call(t, inline, SyscallNr.CLOSE, r.fd);
            }
            case IORING_OP_STATX -> IoUringSyscalls.call(t, inline, SyscallNr.STATX, r.fd, r.addr, flags, len, r.off);
            case IORING_OP_FADVISE -> IoUringSyscalls.call(t, inline, SyscallNr.FADVISE64, fd, r.off, len, flags);
            case IORING_OP_MADVISE -> IoUringSyscalls.call(t, inline, SyscallNr.MADVISE, r.addr, len, flags);
            case IORING_OP_SEND -> IoUringSyscalls.call(t, inline, SyscallNr.SENDTO, fd, r.addr, len, flags, r.off,
                    r.fileIndex & 0xffff);
            case IORING_OP_RECV -> IoUringSyscalls.call(t, inline, SyscallNr.RECVFROM, fd, r.addr, len, flags, 0, 0);
            case IORING_OP_SPLICE -> IoUringSyscalls.call(t, inline, SyscallNr.SPLICE, r.fileIndex, 0, fd, 0, len, flags);
            case IORING_OP_TEE -> IoUringSyscalls.call(t, inline, SyscallNr.TEE, r.fileIndex, fd, len, flags);
            case IORING_OP_SHUTDOWN -> IoUringSyscalls.call(t, inline, SyscallNr.SHUTDOWN, fd, len);
            case IORING_OP_RENAMEAT -> IoUringSyscalls.call(t, inline, SyscallNr.RENAMEAT2, r.fd, r.addr, len, r.off, flags);
            case IORING_OP_UNLINKAT -> IoUringSyscalls.call(t, inline, SyscallNr.UNLINKAT, r.fd, r.addr, flags);
            case IORING_OP_MKDIRAT -> IoUringSyscalls.call(t, inline, SyscallNr.MKDIRAT, r.fd, r.addr, len);
            case IORING_OP_SYMLINKAT -> IoUringSyscalls.call(t, inline, SyscallNr.SYMLINKAT, r.addr, r.fd, r.off);
            case IORING_OP_LINKAT -> IoUringSyscalls.call(t, inline, SyscallNr.LINKAT, r.fd, r.addr, len, r.off, flags);
            case IORING_OP_FTRUNCATE -> IoUringSyscalls.call(t, inline, SyscallNr.FTRUNCATE, fd, r.off);
            default -> -Errno.EOPNOTSUPP.number();
        };
    }
}
