package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.SyscallNr;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.api.ExitStatus;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * seccomp(2) as a kernel built with CONFIG_SECCOMP but without CONFIG_SECCOMP_FILTER answers it:
 * strict mode, and the two queries; filters are EINVAL (jlx has no classic-BPF interpreter over its
 * syscalls).
 */
final class SeccompSyscalls {
    private SeccompSyscalls() {}

    private static final int SECCOMP_SET_MODE_STRICT = 0;
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    private static final int SECCOMP_GET_ACTION_AVAIL = 2;
    private static final int SECCOMP_GET_NOTIF_SIZES = 3;
    /** prctl PR_SET_SECCOMP's modes. */
    private static final int SECCOMP_MODE_STRICT = 1;
    private static final int SECCOMP_MODE_FILTER = 2;
    /** The filter return actions Linux 6.1 knows. */
    private static final long[] ACTIONS = {0x80000000L, 0, 0x00030000, 0x00050000, 0x7fc00000, 0x7ff00000, 0x7ffc0000,
            0x7fff0000};
    /** sizeof struct seccomp_notif, seccomp_notif_resp and seccomp_data. */
    private static final short NOTIF_SIZE = 80;
    private static final short NOTIF_RESP_SIZE = 24;
    private static final short DATA_SIZE = 64;

    /** The only calls strict mode lets through (mode1_syscalls). */
    static boolean strictAllows(long nr) {
        return nr == SyscallNr.READ || nr == SyscallNr.WRITE || nr == SyscallNr.EXIT || nr == SyscallNr.RT_SIGRETURN;
    }

    /** What any other call does in strict mode: the thread dies of SIGKILL (do_exit), and with its last thread the process. */
    static final SyscallEntry STRICT_KILL = new SyscallEntry(-1, "seccomp-strict-kill", Support.FULL, "", Errno.ENOSYS,
            SeccompSyscalls::strictKill, ArgFormat.LONG, new ArgFormat[0], false, true);

    private static long strictKill(GuestThread t, Args a) {
        if (t.process().liveThreads() > 1) {
            t.exitThread();
        } else {
            t.process().exit(ExitStatus.killed(Signals.SIGKILL));
        }
        return 0;
    }

    /** Implements Linux syscall seccomp(2). */
    static long seccomp(GuestThread t, Args a) throws ErrnoException {
        int op = a.i32(0);
        int flags = a.i32(1);
        long args = a.addr(2);
        switch (op) {
            case SECCOMP_SET_MODE_STRICT -> {
                if (flags != 0 || args != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                return setStrict(t);
            }
            case SECCOMP_GET_ACTION_AVAIL -> {
                if (flags != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                long action = Integer.toUnsignedLong(t.process().space().memory().readInt(args));
                for (long known : ACTIONS) {
                    if (known == action) {
                        return 0;
                    }
                }
                throw new ErrnoException(Errno.EOPNOTSUPP);
            }
            case SECCOMP_GET_NOTIF_SIZES -> {
                if (flags != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                ByteBuffer b = GuestMemory.structBuffer(6);
                b.putShort(NOTIF_SIZE).putShort(NOTIF_RESP_SIZE).putShort(DATA_SIZE);
                t.process().space().memory().writeStruct(args, b);
                return 0;
            }
            default -> {
                // SECCOMP_SET_MODE_FILTER among them: no filters without CONFIG_SECCOMP_FILTER.
                if (op == SECCOMP_SET_MODE_FILTER) {
                    t.process().kernel().warnOnce("seccomp-filter", "seccomp filters are not supported: EINVAL");
                }
                throw new ErrnoException(Errno.EINVAL);
            }
        }
    }

    /** prctl(PR_SET_SECCOMP): strict mode (arg3 ignored), or a filter (EINVAL here). */
    static long prctlSetSeccomp(GuestThread t, long mode) throws ErrnoException {
        if (mode == SECCOMP_MODE_STRICT) {
            return setStrict(t);
        }
        if (mode == SECCOMP_MODE_FILTER) {
            t.process().kernel().warnOnce("seccomp-filter", "seccomp filters are not supported: EINVAL");
        }
        throw new ErrnoException(Errno.EINVAL);
    }

    /** seccomp_set_mode_strict: the thread enters strict mode, and rdtsc faults (disable_TSC). */
    private static long setStrict(GuestThread t) {
        t.setSeccompStrict();
        t.setTscFaults(true);
        return 0;
    }
}
