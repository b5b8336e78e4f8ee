package dev.jlx.core.syscall;

/**
 * The six arguments of the syscall being served, read through typed accessors (as gVisor's
 * SyscallArgument): a handler says what it expects, and the conversion is in one place. One
 * instance per guest thread, reused for every call.
 */
public final class Args {
    final long[] regs = new long[9];

    /** Raw 64-bit argument {@code i} (0-5). */
    public long raw(int i) {
        return regs[1 + i];
    }

    /** A guest address. */
    public long addr(int i) {
        return regs[1 + i];
    }

    /** A C int (the kernel looks at the low 32 bits only). */
    public int i32(int i) {
        return (int) regs[1 + i];
    }

    /** A file descriptor: a C int. */
    public int fd(int i) {
        return (int) regs[1 + i];
    }

    /** A size_t or other unsigned long. */
    public long u64(int i) {
        return regs[1 + i];
    }

    /** The syscall number. */
    public int number() {
        return (int) regs[0];
    }

    /** The address of the syscall instruction. */
    public long rip() {
        return regs[7];
    }
}
