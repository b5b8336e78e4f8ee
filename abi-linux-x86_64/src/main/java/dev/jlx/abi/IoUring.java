package dev.jlx.abi;

/**
 * io_uring's ABI (include/uapi/linux/io_uring.h, and the kernel's struct io_rings layout that
 * io_uring_setup reports through io_sqring_offsets and io_cqring_offsets), as Linux 6.18 has it.
 */
public final class IoUring {
    private IoUring() {}

    // io_uring_setup(2) flags.
    public static final int IORING_SETUP_IOPOLL = 1;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    public static final int IORING_SETUP_NO_MMAP = 1 << 14;
    public static final int IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
    public static final int IORING_SETUP_NO_SQARRAY = 1 << 16;
    public static final int IORING_SETUP_HYBRID_IOPOLL = 1 << 17;
    public static final int IORING_SETUP_CQE_MIXED = 1 << 18;
    /** Every flag Linux 6.18 knows. */
    public static final int IORING_SETUP_FLAGS = (1 << 19) - 1;

    /** IORING_MAX_ENTRIES and IORING_MAX_CQ_ENTRIES. */
    public static final int IORING_MAX_ENTRIES = 32768;
    public static final int IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;

    /** The features Linux 6.18 reports (IORING_FEAT_SINGLE_MMAP through IORING_FEAT_NO_IOWAIT). */
    public static final int IORING_FEAT_ALL = 0x3ffff;

    // mmap offsets of the rings and the SQE array.
    public static final long IORING_OFF_SQ_RING = 0;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;

    // io_uring_enter(2) flags.
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;
    public static final int IORING_ENTER_ABS_TIMER = 1 << 5;
    public static final int IORING_ENTER_EXT_ARG_REG = 1 << 6;
    public static final int IORING_ENTER_NO_IOWAIT = 1 << 7;
    public static final int IORING_ENTER_FLAGS = (1 << 8) - 1;
    /** sizeof(struct io_uring_getevents_arg): sigmask, sigmask_sz, min_wait_usec, ts. */
    public static final int GETEVENTS_ARG_SIZE = 24;

    // sq_flags bits.
    public static final int IORING_SQ_NEED_WAKEUP = 1;
    public static final int IORING_SQ_CQ_OVERFLOW = 2;

    // struct io_rings offsets (the kernel's, reported in sq_off and cq_off).
    public static final int RING_SQ_HEAD = 0;
    public static final int RING_SQ_TAIL = 4;
    public static final int RING_CQ_HEAD = 8;
    public static final int RING_CQ_TAIL = 12;
    public static final int RING_SQ_MASK = 16;
    public static final int RING_CQ_MASK = 20;
    public static final int RING_SQ_ENTRIES = 24;
    public static final int RING_CQ_ENTRIES = 28;
    public static final int RING_SQ_DROPPED = 32;
    public static final int RING_SQ_FLAGS = 36;
    public static final int RING_CQ_FLAGS = 40;
    public static final int RING_CQ_OVERFLOW = 44;
    public static final int RING_CQES = 64;

    /** sizeof(struct io_uring_params), with sq_off at 40 and cq_off at 80. */
    public static final int PARAMS_SIZE = 120;

    // struct io_uring_sqe fields.
    public static final int SQE_SIZE = 64;
    public static final int SQE_OPCODE = 0;
    public static final int SQE_FLAGS = 1;
    public static final int SQE_IOPRIO = 2;
    public static final int SQE_FD = 4;
    public static final int SQE_OFF = 8;
    public static final int SQE_ADDR = 16;
    public static final int SQE_LEN = 24;
    public static final int SQE_OP_FLAGS = 28;
    public static final int SQE_USER_DATA = 32;
    public static final int SQE_BUF_INDEX = 40;
    public static final int SQE_PERSONALITY = 42;
    public static final int SQE_FILE_INDEX = 44;
    public static final int SQE_ADDR3 = 48;
    public static final int CQE_SIZE = 16;

    // IOSQE_* flags.
    public static final int IOSQE_FIXED_FILE = 1;
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    public static final int IOSQE_IO_LINK = 1 << 2;
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    public static final int IOSQE_ASYNC = 1 << 4;
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;
    public static final int IOSQE_VALID = (1 << 7) - 1;

    // Opcodes (enum io_uring_op).
    public static final int IORING_OP_NOP = 0;
    public static final int IORING_OP_READV = 1;
    public static final int IORING_OP_WRITEV = 2;
    public static final int IORING_OP_FSYNC = 3;
    public static final int IORING_OP_READ_FIXED = 4;
    public static final int IORING_OP_WRITE_FIXED = 5;
    public static final int IORING_OP_POLL_ADD = 6;
    public static final int IORING_OP_POLL_REMOVE = 7;
    public static final int IORING_OP_SYNC_FILE_RANGE = 8;
    public static final int IORING_OP_SENDMSG = 9;
    public static final int IORING_OP_RECVMSG = 10;
    public static final int IORING_OP_TIMEOUT = 11;
    public static final int IORING_OP_TIMEOUT_REMOVE = 12;
    public static final int IORING_OP_ACCEPT = 13;
    public static final int IORING_OP_ASYNC_CANCEL = 14;
    public static final int IORING_OP_LINK_TIMEOUT = 15;
    public static final int IORING_OP_CONNECT = 16;
    public static final int IORING_OP_FALLOCATE = 17;
    public static final int IORING_OP_OPENAT = 18;
    public static final int IORING_OP_CLOSE = 19;
    public static final int IORING_OP_FILES_UPDATE = 20;
    public static final int IORING_OP_STATX = 21;
    public static final int IORING_OP_READ = 22;
    public static final int IORING_OP_WRITE = 23;
    public static final int IORING_OP_FADVISE = 24;
    public static final int IORING_OP_MADVISE = 25;
    public static final int IORING_OP_SEND = 26;
    public static final int IORING_OP_RECV = 27;
    public static final int IORING_OP_OPENAT2 = 28;
    public static final int IORING_OP_EPOLL_CTL = 29;
    public static final int IORING_OP_SPLICE = 30;
    public static final int IORING_OP_PROVIDE_BUFFERS = 31;
    public static final int IORING_OP_REMOVE_BUFFERS = 32;
    public static final int IORING_OP_TEE = 33;
    public static final int IORING_OP_SHUTDOWN = 34;
    public static final int IORING_OP_RENAMEAT = 35;
    public static final int IORING_OP_UNLINKAT = 36;
    public static final int IORING_OP_MKDIRAT = 37;
    public static final int IORING_OP_SYMLINKAT = 38;
    public static final int IORING_OP_LINKAT = 39;
    public static final int IORING_OP_FTRUNCATE = 55;
    /** IORING_OP_LAST in Linux 6.18 (IORING_OP_PIPE is 62). */
    public static final int IORING_OP_LAST = 63;

    // io_uring_register(2) opcodes.
    public static final int IORING_REGISTER_BUFFERS = 0;
    public static final int IORING_UNREGISTER_BUFFERS = 1;
    public static final int IORING_REGISTER_FILES = 2;
    public static final int IORING_UNREGISTER_FILES = 3;
    public static final int IORING_REGISTER_EVENTFD = 4;
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    public static final int IORING_REGISTER_EVENTFD_ASYNC = 7;
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;
    public static final int IORING_REGISTER_LAST = 36;
    public static final int IORING_REGISTER_USE_REGISTERED_RING = 1 << 31;
    public static final int IO_URING_OP_SUPPORTED = 1;

    // Per-opcode flags.
    public static final int IORING_FSYNC_DATASYNC = 1;
    public static final int IORING_TIMEOUT_ABS = 1;
    public static final int IORING_TIMEOUT_UPDATE = 1 << 1;
    public static final int IORING_TIMEOUT_BOOTTIME = 1 << 2;
    public static final int IORING_TIMEOUT_REALTIME = 1 << 3;
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
    public static final int IORING_ASYNC_CANCEL_ALL = 1;
    public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;
    public static final int IORING_CQE_F_MORE = 1 << 1;
}
