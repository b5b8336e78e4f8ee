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
    /** A ptrace request by name. */
    PTRACE_REQ,
    /** fcntl command by name. */
    FCNTL_CMD,
    /** keyctl's operation by name (KEYCTL_PKEY_QUERY...). */
    KEYCTL_OP,
    /** futex's operation by name, as strace writes it (FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME). */
    FUTEX_OP,
    /** *at flags (AT_*) by name. */
    AT_FLAGS,
    /** CLONE_* flags by name, as unshare and setns take them. */
    CLONE_FLAGS,
    /** A {@code struct stat} the call fills, every field (as {@code strace -v}); its address when the call fails. */
    STAT_OUT,
    /** A {@code struct statx} the call fills, every field; its address when the call fails. */
    STATX_OUT,
    /** A socket's address family (AF_UNIX...). */
    SOCK_FAMILY,
    /** A socket type with SOCK_CLOEXEC and SOCK_NONBLOCK. */
    SOCK_TYPE,
    /** A socket's protocol, by name for the family two arguments before where strace names it (IPPROTO_TCP, NETLINK_ROUTE...). */
    SOCK_PROTOCOL,
    /** accept4's SOCK_CLOEXEC and SOCK_NONBLOCK. */
    SOCK_FLAGS,
    /** A sockaddr the guest passes in; its length is the next argument. */
    SOCKADDR_IN,
    /** A sockaddr the call fills; the next argument points at its length (value-result). */
    SOCKADDR_OUT,
    /** MSG_* flags. */
    MSG_FLAGS,
    /** fanotify_init's class and FAN_* flags. */
    FAN_INIT_FLAGS,
    /** userfaultfd's flags: UFFD_USER_MODE_ONLY, O_NONBLOCK, O_CLOEXEC. */
    UFFD_FLAGS,
    /** fanotify_mark's FAN_MARK_* flags. */
    FAN_MARK_FLAGS,
    /** fanotify's event bits. */
    FAN_EVENTS,
    /** A NUMA policy mode with its MPOL_F_* mode flags. */
    MPOL_MODE,
    /** mbind's and move_pages' MPOL_MF_* flags. */
    MPOL_MF_FLAGS,
    /** get_mempolicy's MPOL_F_NODE, MPOL_F_ADDR and MPOL_F_MEMS_ALLOWED. */
    MPOL_GET_FLAGS,
    /** A {@code struct msghdr} sendmsg reads: name, iovecs, control messages. */
    MSGHDR_IN,
    /** A {@code struct msghdr} recvmsg fills. */
    MSGHDR_OUT,
    /** shutdown's how. */
    SHUT_HOW,
    /** socketpair's two descriptors, written by the call. */
    FD_PAIR,
    /** A socket option level (SOL_SOCKET...). */
    SOCKOPT_LEVEL,
    /** A socket option name at the level of the previous argument. */
    SOCKOPT_NAME,
    /** setsockopt's value; its length is the next argument. */
    SOCKOPT_IN,
    /** getsockopt's value; the next argument points at its length (value-result). */
    SOCKOPT_OUT,
    /** A pointer to a socklen_t the call reads and rewrites: {@code [128 => 9]}. */
    SOCKLEN_OUT,
    /** io_uring_setup's struct io_uring_params: what it asks, and on success what it got back. */
    IO_URING_PARAMS,
    /** io_uring_enter's IORING_ENTER_* flags. */
    IO_URING_ENTER_FLAGS
}
