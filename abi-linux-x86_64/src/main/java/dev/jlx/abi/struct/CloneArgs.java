package dev.jlx.abi.struct;

import dev.jlx.abi.CloneFlags;
import java.nio.ByteBuffer;

/**
 * {@code struct clone_args} ({@code linux/sched.h}), as clone3(2) takes it: 64 bytes in version 0,
 * 80 in version 1 (set_tid), 88 in version 2 (cgroup).
 */
public record CloneArgs(long flags, long pidfd, long childTid, long parentTid, long exitSignal, long stack,
        long stackSize, long tls, long setTid, long setTidSize, long cgroup) {
    public static final int SIZE = CloneFlags.CLONE_ARGS_SIZE_VER2;
    public static final int FLAGS = 0;
    public static final int PIDFD = 8;
    public static final int CHILD_TID = 16;
    public static final int PARENT_TID = 24;
    public static final int EXIT_SIGNAL = 32;
    public static final int STACK = 40;
    public static final int STACK_SIZE = 48;
    public static final int TLS = 56;
    public static final int SET_TID = 64;
    public static final int SET_TID_SIZE = 72;
    public static final int CGROUP = 80;

    /**
     * Reads a struct of {@code size} bytes (an older version when smaller than SIZE): the fields it
     * does not reach are zero, as the kernel's copy_struct_from_user leaves them.
     */
    public static CloneArgs readFrom(ByteBuffer buf, int offset, int size) {
        Layout.littleEndian(buf);
        long[] v = new long[SIZE / 8];
        for (int i = 0; i < v.length && 8 * i + 8 <= size; i++) {
            v[i] = buf.getLong(offset + 8 * i);
        }
        return new CloneArgs(v[FLAGS / 8], v[PIDFD / 8], v[CHILD_TID / 8], v[PARENT_TID / 8], v[EXIT_SIGNAL / 8],
                v[STACK / 8], v[STACK_SIZE / 8], v[TLS / 8], v[SET_TID / 8], v[SET_TID_SIZE / 8], v[CGROUP / 8]);
    }
}
