package dev.jlx.abi;

/**
 * System V IPC and POSIX message queue constants: {@code linux/ipc.h}, {@code linux/shm.h},
 * {@code linux/sem.h}, {@code linux/msg.h}, {@code linux/mqueue.h}, and the defaults of
 * {@code ipc/} (Linux's limits, which /proc/sys/kernel and /proc/sys/fs/mqueue show).
 */
public final class Ipc {
    private Ipc() {}

    public static final int IPC_PRIVATE = 0;
    public static final int IPC_CREAT = 01000;
    public static final int IPC_EXCL = 02000;
    public static final int IPC_NOWAIT = 04000;

    public static final int IPC_RMID = 0;
    public static final int IPC_SET = 1;
    public static final int IPC_STAT = 2;
    public static final int IPC_INFO = 3;

    /** An object's ids are its index plus its sequence number times this (IPCMNI, without ipcmni_extend). */
    public static final int IPCMNI = 32768;

    public static final int SHM_LOCK = 11;
    public static final int SHM_UNLOCK = 12;
    public static final int SHM_STAT = 13;
    public static final int SHM_INFO = 14;
    public static final int SHM_STAT_ANY = 15;
    public static final int SHM_RDONLY = 010000;
    public static final int SHM_RND = 020000;
    public static final int SHM_REMAP = 040000;
    public static final int SHM_EXEC = 0100000;
    public static final int SHM_HUGETLB = 04000;
    public static final int SHM_NORESERVE = 010000;
    /** Mode bits of a segment: removed while still attached, locked in memory. */
    public static final int SHM_DEST = 01000;
    public static final int SHM_LOCKED = 02000;
    /** SHMMAX and SHMALL: ULONG_MAX - 2^24. */
    public static final long SHMMAX = 0xfffffffffeffffffL;
    public static final long SHMALL = SHMMAX;
    public static final int SHMMNI = 4096;
    public static final int SHMMIN = 1;
    public static final int SHMSEG = SHMMNI;

    public static final int GETPID = 11;
    public static final int GETVAL = 12;
    public static final int GETALL = 13;
    public static final int GETNCNT = 14;
    public static final int GETZCNT = 15;
    public static final int SETVAL = 16;
    public static final int SETALL = 17;
    public static final int SEM_STAT = 18;
    public static final int SEM_INFO = 19;
    public static final int SEM_STAT_ANY = 20;
    public static final int SEM_UNDO = 0x1000;
    public static final int SEMMNI = 32000;
    public static final int SEMMSL = 32000;
    public static final int SEMMNS = SEMMNI * SEMMSL;
    public static final int SEMOPM = 500;
    public static final int SEMVMX = 32767;
    public static final int SEMAEM = SEMVMX;
    public static final int SEMUME = SEMOPM;
    public static final int SEMMNU = SEMMNS;
    public static final int SEMMAP = SEMMNS;
    public static final int SEMUSZ = 20;

    public static final int MSG_STAT = 11;
    public static final int MSG_INFO = 12;
    public static final int MSG_STAT_ANY = 13;
    public static final int MSG_NOERROR = 010000;
    public static final int MSG_EXCEPT = 020000;
    public static final int MSG_COPY = 040000;
    public static final int MSGMNI = 32000;
    public static final int MSGMAX = 8192;
    public static final int MSGMNB = 16384;
    public static final int MSGPOOL = MSGMNI * MSGMNB / 1024;
    public static final int MSGTQL = MSGMNB;
    public static final int MSGMAP = MSGMNB;
    public static final int MSGSSZ = 16;
    public static final int MSGSEG = Math.min(MSGPOOL * 1024 / MSGSSZ, 0xffff);

    /** POSIX message queues' limits (ipc/mqueue.c, linux/ipc_namespace.h): /proc/sys/fs/mqueue. */
    public static final int MQ_QUEUES_MAX = 256;
    public static final int MQ_MSG_MAX = 10;
    public static final int MQ_MSGSIZE_MAX = 8192;
    public static final int MQ_MSG_DEFAULT = 10;
    public static final int MQ_MSGSIZE_DEFAULT = 8192;
    public static final int MQ_HARD_MSGMAX = 65536;
    public static final int MQ_HARD_MSGSIZEMAX = 16 * 1024 * 1024;
    /** MQ_PRIO_MAX: priorities are below it. */
    public static final int MQ_PRIO_MAX = 32768;
    /** The bytes of a 32-byte cookie glibc's SIGEV_THREAD notification reads from its netlink socket. */
    public static final int NOTIFY_COOKIE_LEN = 32;
    public static final int NOTIFY_NONE = 0;
    public static final int NOTIFY_WOKENUP = 1;
    public static final int NOTIFY_REMOVED = 2;
}
