package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Sched;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Scheduling;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** sched_setattr and sched_getattr: struct sched_attr over the attributes sched_setscheduler keeps. */
final class SchedAttrSyscalls {
    private SchedAttrSyscalls() {}

    /** struct sched_attr (linux/sched/types.h): VER0 without the utilization clamps, VER1 with them. */
    private static final int SCHED_ATTR_SIZE_VER0 = 48;
    private static final int SCHED_ATTR_SIZE_VER1 = 56;
    private static final int SIZE = 0;
    private static final int POLICY = 4;
    private static final int FLAGS = 8;
    private static final int NICE = 16;
    private static final int PRIORITY = 20;
    private static final int RUNTIME = 24;
    private static final int DEADLINE = 32;
    private static final int PERIOD = 40;
    /** SCHED_FLAG_* (linux/sched.h). */
    private static final long SCHED_FLAG_RESET_ON_FORK = 0x01;
    private static final long SCHED_FLAG_KEEP_POLICY = 0x08;
    private static final long SCHED_FLAG_KEEP_PARAMS = 0x10;
    private static final long SCHED_FLAG_UTIL_CLAMP = 0x20 | 0x40;
    private static final long SCHED_FLAG_ALL = 0x7f;
    /** DL_SCALE: a deadline task's runtime is at least 1 << 10 ns. */
    private static final long MIN_DL_RUNTIME = 1 << 10;
    /** sysctl_sched_dl_period_min and _max (100 us, 2^22 us), in ns. */
    private static final long DL_PERIOD_MIN = 100_000L;
    private static final long DL_PERIOD_MAX = (1L << 22) * 1000;

    /**
     * Implements Linux syscall sched_setattr(2): sched_copy_attr's size rules (0 as VER0, outside
     * VER0..PAGE_SIZE or a non-zero tail past the struct: E2BIG with the size jlx knows written
     * back), then the policy as sched_setscheduler takes it, with the nice value for SCHED_OTHER and
     * SCHED_BATCH, SCHED_FLAG_KEEP_POLICY and SCHED_FLAG_KEEP_PARAMS (which changes only
     * SCHED_FLAG_RESET_ON_FORK). The utilization clamps are
     * EOPNOTSUPP, as on a kernel built without CONFIG_UCLAMP_TASK; SCHED_DEADLINE's parameters are
     * checked, then refused (EPERM, or EBUSY for euid 0: jlx admits no deadline bandwidth).
     */
    static long sched_setattr(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        long uattr = a.addr(1);
        if (uattr == 0 || pid < 0 || a.i32(2) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        long size = Integer.toUnsignedLong(mem.readInt(uattr));
        if (size == 0) {
            size = SCHED_ATTR_SIZE_VER0;
        }
        if (size < SCHED_ATTR_SIZE_VER0 || size > AddressSpace.PAGE) {
            throw tooBig(mem, uattr);
        }
        byte[] raw = mem.read(uattr, (int) size);
        for (int i = SCHED_ATTR_SIZE_VER1; i < raw.length; i++) {
            if (raw[i] != 0) {
                throw tooBig(mem, uattr);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(SCHED_ATTR_SIZE_VER1).order(ByteOrder.LITTLE_ENDIAN)
                .put(raw, 0, Math.min(raw.length, SCHED_ATTR_SIZE_VER1));
        int policy = b.getInt(POLICY);
        long flags = b.getLong(FLAGS);
        if ((flags & SCHED_FLAG_UTIL_CLAMP) != 0 && size < SCHED_ATTR_SIZE_VER1) {
            throw new ErrnoException(Errno.EINVAL);
        }
        int nice = Math.clamp(b.getInt(NICE), Sched.MIN_NICE, Sched.MAX_NICE);
        int priority = b.getInt(PRIORITY);
        if (policy < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & SCHED_FLAG_KEEP_POLICY) != 0) {
            policy = ProcessSyscalls.SETPARAM_POLICY;
        }
        GuestThread target = ProcessSyscalls.task(t, pid);
        Scheduling cur = target.scheduling();
        if ((flags & SCHED_FLAG_KEEP_PARAMS) != 0) {
            // get_params: a real-time task's priority, another's nice value (checked as given, then kept).
            if (Sched.realTime(cur.policy())) {
                priority = cur.rtPriority();
            } else {
                nice = cur.nice();
            }
        }
        if ((flags & ~SCHED_FLAG_ALL) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & SCHED_FLAG_UTIL_CLAMP) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        ProcessSyscalls.changeScheduling(t, target, policy, (flags & SCHED_FLAG_RESET_ON_FORK) != 0, priority, nice,
                deadlineValid(b.getLong(RUNTIME), b.getLong(DEADLINE), b.getLong(PERIOD)),
                (flags & SCHED_FLAG_KEEP_PARAMS) != 0);
        return 0;
    }

    private static ErrnoException tooBig(GuestMemory mem, long uattr) {
        try {
            mem.writeInt(uattr + SIZE, SCHED_ATTR_SIZE_VER1);
        } catch (ErrnoException ignored) {
            // put_user's failure is not reported: E2BIG is.
        }
        return new ErrnoException(Errno.E2BIG);
    }

    /** __checkparam_dl: 1024 ns <= runtime <= deadline <= period (the deadline when 0), the period within the sysctl bounds. */
    private static boolean deadlineValid(long runtime, long deadline, long period) {
        if (deadline == 0 || Long.compareUnsigned(runtime, MIN_DL_RUNTIME) < 0 || deadline < 0 || period < 0) {
            return false;
        }
        long p = period == 0 ? deadline : period;
        return p >= deadline && Long.compareUnsigned(deadline, runtime) >= 0 && p >= DL_PERIOD_MIN
                && p <= DL_PERIOD_MAX;
    }

    /**
     * Implements Linux syscall sched_getattr(2): the policy, SCHED_FLAG_RESET_ON_FORK, and a
     * real-time task's priority or another's nice value and time slice (the fair scheduler's base
     * slice, 0.75 ms times 1 + log2 of the CPUs up to 8); as much of the struct as {@code size}
     * takes, with the size written set to it, and zeros past it up to {@code size}
     * (copy_struct_to_user).
     */
    static long sched_getattr(GuestThread t, Args a) throws ErrnoException {
        int pid = a.i32(0);
        long uattr = a.addr(1);
        long usize = Integer.toUnsignedLong(a.i32(2));
        if (uattr == 0 || pid < 0 || usize > AddressSpace.PAGE || usize < SCHED_ATTR_SIZE_VER0 || a.i32(3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Scheduling s = ProcessSyscalls.task(t, pid).scheduling();
        int size = (int) Math.min(usize, SCHED_ATTR_SIZE_VER1);
        ByteBuffer b = ByteBuffer.allocate((int) usize).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SIZE, size).putInt(POLICY, s.policy()).putLong(FLAGS, s.resetOnFork() ? SCHED_FLAG_RESET_ON_FORK : 0);
        if (Sched.realTime(s.policy())) {
            b.putInt(PRIORITY, s.rtPriority());
        } else {
            b.putInt(NICE, s.nice());
            int cpus = Math.min(Runtime.getRuntime().availableProcessors(), 8);
            b.putLong(RUNTIME, 750_000L * (1 + 31 - Integer.numberOfLeadingZeros(cpus)));
        }
        t.process().space().memory().write(uattr, b.array());
        return 0;
    }
}
