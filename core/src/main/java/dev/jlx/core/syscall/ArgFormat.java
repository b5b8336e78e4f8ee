package dev.jlx.core.syscall;

/**
 * How {@code --trace} prints one syscall argument or result, strace style. Formats live in the
 * syscall table, not in handlers (as qemu's strace.list).
 */
public enum ArgFormat {
    /** Signed decimal C int. */
    INT,
    /** Unsigned 64-bit decimal (sizes, counts). */
    SIZE,
    /** Signed 64-bit decimal (offsets). */
    LONG,
    /** Hexadecimal, NULL for 0. */
    PTR,
    /** Octal with a leading 0 (modes). */
    OCTAL,
    /** A file descriptor. */
    FD,
    /** A dirfd: AT_FDCWD by name. */
    DIRFD,
    /** A NUL-terminated string in guest memory (a path). */
    PATH,
    /** A buffer the guest passes in; its length is the next argument. */
    BUF_IN,
    /** A buffer the call fills; its length is the result. */
    BUF_OUT,
    /** open(2) flags by name. */
    OPEN_FLAGS,
    /** mmap/mprotect protection by name. */
    PROT,
    /** mmap flags by name. */
    MAP_FLAGS,
    /** A signal number by name. */
    SIGNAL,
    /** lseek whence by name. */
    WHENCE,
    /** An ioctl request by name. */
    IOCTL_REQ,
    /** arch_prctl code by name. */
    ARCH_CODE,
    /** A clock id by name. */
    CLOCK,
    /** An rlimit resource by name. */
    RESOURCE,
    /** sigprocmask how by name. */
    SIGMASK_HOW,
    /** fcntl command by name. */
    FCNTL_CMD,
    /** *at flags (AT_*) by name. */
    AT_FLAGS,
    /** A {@code struct stat} the call fills, every field (as {@code strace -v}); its address when the call fails. */
    STAT_OUT,
    /** A {@code struct statx} the call fills, every field; its address when the call fails. */
    STATX_OUT
}
