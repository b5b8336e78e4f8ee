package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/** capget and capset (kernel/capability.c), over the capability sets jlx keeps in the credentials. */
final class CapabilitySyscalls {
    private CapabilitySyscalls() {}

    /** The header versions: v1 carries 32 capabilities in one data struct, v2 and v3 64 in two. */
    private static final int VERSION_1 = 0x19980330;
    private static final int VERSION_2 = 0x20071026;
    private static final int VERSION_3 = 0x20080522;
    /** A __user_cap_data_struct: effective, permitted, inheritable, 32 bits each. */
    private static final int DATA_SIZE = 12;

    /**
     * The number of data structs the header's version carries; for an unknown version the preferred
     * one (v3) is written back into the header and the answer is EINVAL.
     */
    private static int dataCount(GuestMemory mem, long header) throws ErrnoException {
        int version = mem.readInt(header);
        if (version == VERSION_1) {
            return 1;
        }
        if (version == VERSION_2 || version == VERSION_3) {
            return 2;
        }
        mem.writeInt(header, VERSION_3);
        throw new ErrnoException(Errno.EINVAL);
    }

    /**
     * Implements Linux syscall capget(2): a NULL data pointer only asks for the version (0, with the
     * preferred version written for an unknown one); pid 0 or the caller's tid reads its own sets,
     * any other live thread's tid that thread's process's.
     */
    static long capget(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        long data = a.addr(1);
        int count;
        try {
            count = dataCount(mem, a.addr(0));
        } catch (ErrnoException e) {
            if (data == 0 && e.errno() == Errno.EINVAL) {
                return 0;
            }
            throw e;
        }
        if (data == 0) {
            return 0;
        }
        int pid = mem.readInt(a.addr(0) + 4);
        if (pid < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess target = pid == 0 || pid == t.tid() ? t.process() : ProcessSyscalls.task(t, pid).process();
        GuestProcess.Capabilities c = target.credentials().caps();
        ByteBuffer b = GuestMemory.structBuffer(count * DATA_SIZE);
        for (int i = 0; i < count; i++) {
            b.putInt((int) (c.effective() >>> 32 * i));
            b.putInt((int) (c.permitted() >>> 32 * i));
            b.putInt((int) (c.inheritable() >>> 32 * i));
        }
        mem.writeStruct(data, b);
        return 0;
    }

    /**
     * Implements Linux syscall capset(2), the caller's own sets only (pid 0 or its tid, else EPERM),
     * with cap_capset's rules: new inheritable capabilities need CAP_SETPCAP and the bounding set,
     * the permitted set may only shrink, the effective one must lie within it; the ambient set keeps
     * only what stays both permitted and inheritable. Bits past CAP_LAST_CAP are dropped.
     */
    static long capset(GuestThread t, Args a) throws ErrnoException {
        GuestMemory mem = t.process().space().memory();
        int count = dataCount(mem, a.addr(0));
        int pid = mem.readInt(a.addr(0) + 4);
        if (pid != 0 && pid != t.tid()) {
            throw new ErrnoException(Errno.EPERM);
        }
        ByteBuffer b = mem.readStruct(a.addr(1), count * DATA_SIZE);
        long effective = 0;
        long permitted = 0;
        long inheritable = 0;
        for (int i = 0; i < count; i++) {
            effective |= Integer.toUnsignedLong(b.getInt()) << 32 * i;
            permitted |= Integer.toUnsignedLong(b.getInt()) << 32 * i;
            inheritable |= Integer.toUnsignedLong(b.getInt()) << 32 * i;
        }
        long e = effective & GuestProcess.ALL_CAPABILITIES;
        long p = permitted & GuestProcess.ALL_CAPABILITIES;
        long in = inheritable & GuestProcess.ALL_CAPABILITIES;
        GuestProcess process = t.process();
        process.changeCredentials(c -> {
            GuestProcess.Capabilities old = c.caps();
            if (!c.capable(GuestProcess.CAP_SETPCAP) && (in & ~(old.inheritable() | old.permitted())) != 0
                    || (in & ~(old.inheritable() | process.capabilityBound())) != 0
                    || (p & ~old.permitted()) != 0 || (e & ~p) != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
            return c.withCaps(new GuestProcess.Capabilities(in, p, e, old.ambient() & p & in));
        });
        return 0;
    }
}
