/*
 * io_uring with raw syscalls (no liburing): io_uring_setup's checks and sizes, the rings mapped from
 * the descriptor, files written and read in the working directory, a pipe read and a poll that
 * complete later, timeouts, links and a link timeout, cancellation, a drain, registered buffers,
 * files and an eventfd, the probe, poll on the ring, a signal interrupting a wait, and bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

/* linux/io_uring.h's definitions (musl has no kernel headers). */
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#define SYS_io_uring_enter 426
#define SYS_io_uring_register 427
#endif
struct sqring_offsets { uint32_t head, tail, ring_mask, ring_entries, flags, dropped, array, resv1; uint64_t user_addr; };
struct cqring_offsets { uint32_t head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1; uint64_t user_addr; };
struct params {
    uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd, resv[3];
    struct sqring_offsets sq_off;
    struct cqring_offsets cq_off;
};
struct sqe {
    uint8_t opcode, flags;
    uint16_t ioprio;
    int32_t fd;
    uint64_t off, addr;
    uint32_t len, op_flags;
    uint64_t user_data;
    uint16_t buf_index, personality;
    int32_t file_index;
    uint64_t addr3, pad;
};
struct cqe { uint64_t user_data; int32_t res; uint32_t flags; };
struct kts { int64_t sec, nsec; };
struct getevents_arg { uint64_t sigmask; uint32_t sigmask_sz, min_wait_usec; uint64_t ts; };
struct probe_op { uint8_t op, resv; uint16_t flags; uint32_t resv2; };
struct probe { uint8_t last_op, ops_len; uint16_t resv; uint32_t resv2[3]; struct probe_op ops[64]; };

enum { OP_NOP = 0, OP_READV = 1, OP_WRITEV = 2, OP_FSYNC = 3, OP_READ_FIXED = 4, OP_WRITE_FIXED = 5, OP_POLL_ADD = 6,
       OP_POLL_REMOVE = 7, OP_SENDMSG = 9, OP_RECVMSG = 10, OP_TIMEOUT = 11, OP_TIMEOUT_REMOVE = 12, OP_ACCEPT = 13,
       OP_ASYNC_CANCEL = 14, OP_LINK_TIMEOUT = 15, OP_CONNECT = 16, OP_OPENAT = 18, OP_CLOSE = 19, OP_STATX = 21,
       OP_READ = 22, OP_WRITE = 23, OP_SEND = 26, OP_RECV = 27, OP_RENAMEAT = 35, OP_UNLINKAT = 36, OP_MKDIRAT = 37 };
#define SQE_FIXED_FILE 1
#define SQE_IO_DRAIN 2
#define SQE_IO_LINK 4
#define SQE_CQE_SKIP 64
#define SETUP_CQSIZE 8
#define SETUP_CLAMP 16
#define SETUP_R_DISABLED 64
#define SETUP_TASKRUN_FLAG 512
#define SETUP_DEFER_TASKRUN 8192
#define ENTER_GETEVENTS 1
#define ENTER_EXT_ARG 8
#define OFF_SQ_RING 0ULL
#define OFF_CQ_RING 0x8000000ULL
#define OFF_SQES 0x10000000ULL

static int ring_fd;
static unsigned *sq_head, *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask, *sq_flags;
static struct sqe *sqes;
static struct cqe *cqes;

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static const char *res(int r) {
    static char buf[32];
    if (r < 0) {
        return errname(-r);
    }
    snprintf(buf, sizeof buf, "%d", r);
    return buf;
}

static long setup(unsigned entries, struct params *p) {
    return syscall(SYS_io_uring_setup, entries, p);
}

static long enter(unsigned submit, unsigned min, unsigned flags, void *arg, size_t argsz) {
    return syscall(SYS_io_uring_enter, ring_fd, submit, min, flags, arg, argsz);
}

static long reg(int fd, unsigned op, void *arg, unsigned nr) {
    return syscall(SYS_io_uring_register, fd, op, arg, nr);
}

static struct sqe *next_sqe(uint8_t op, int fd, uint64_t addr, uint32_t len, uint64_t off, uint64_t user) {
    unsigned tail = *sq_tail;
    unsigned i = tail & *sq_mask;
    struct sqe *s = &sqes[i];
    memset(s, 0, sizeof *s);
    s->opcode = op;
    s->fd = fd;
    s->addr = addr;
    s->len = len;
    s->off = off;
    s->user_data = user;
    sq_array[i] = i;
    __atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
    return s;
}

static int last_res;

/* Reaps every CQE there, in ring order. */
static int reap(void) {
    int n = 0;
    unsigned head = *cq_head;
    while (head != __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE)) {
        struct cqe *c = &cqes[head & *cq_mask];
        printf("  cqe %llu: %s flags %u\n", (unsigned long long) c->user_data, res(c->res), c->flags);
        last_res = c->res;
        head++;
        n++;
    }
    __atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
    return n;
}

/* Waits for n CQEs, then prints them sorted by user_data (requests that complete together). */
static void reap_sorted(unsigned n) {
    struct cqe got[16];
    if (enter(0, n, ENTER_GETEVENTS, NULL, 0) < 0) {
        printf("  wait: %s\n", errname(errno));
    }
    unsigned head = *cq_head, k = 0;
    while (head != __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) && k < 16) {
        got[k++] = cqes[head & *cq_mask];
        head++;
    }
    __atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < k; i++) {
        for (unsigned j = i + 1; j < k; j++) {
            if (got[j].user_data < got[i].user_data) {
                struct cqe x = got[i];
                got[i] = got[j];
                got[j] = x;
            }
        }
    }
    for (unsigned i = 0; i < k; i++) {
        printf("  cqe %llu: %s\n", (unsigned long long) got[i].user_data, res(got[i].res));
    }
}

static void submit_wait(const char *label, unsigned submit, unsigned min) {
    long r = enter(submit, min, ENTER_GETEVENTS, NULL, 0);
    show(label, r);
    reap();
}

static void setup_checks(void) {
    struct params p;
    memset(&p, 0, sizeof p);
    show("setup NULL params", setup(4, NULL));
    show("setup 0 entries", setup(0, &p));
    p.resv[1] = 1;
    show("setup reserved field", setup(4, &p));
    memset(&p, 0, sizeof p);
    p.flags = 1u << 30;
    show("setup unknown flag", setup(4, &p));
    p.flags = SETUP_TASKRUN_FLAG;
    show("setup TASKRUN_FLAG alone", setup(4, &p));
    p.flags = SETUP_DEFER_TASKRUN;
    show("setup DEFER_TASKRUN without SINGLE_ISSUER", setup(4, &p));
    p.flags = SETUP_CQSIZE;
    p.cq_entries = 2;
    show("setup CQSIZE below SQ", setup(4, &p));
    p.cq_entries = 0;
    show("setup CQSIZE 0", setup(4, &p));
    memset(&p, 0, sizeof p);
    show("setup 40000 entries", setup(40000, &p));
    p.flags = SETUP_CLAMP;
    long fd = setup(40000, &p);
    show("setup 40000 entries CLAMP", fd >= 0 ? 0 : -1);
    printf("  clamped: sq %u cq %u\n", p.sq_entries, p.cq_entries);
    close(fd);
    memset(&p, 0, sizeof p);
    p.flags = SETUP_CQSIZE;
    p.cq_entries = 100;
    fd = setup(5, &p);
    show("setup 5 CQSIZE 100", fd >= 0 ? 0 : -1);
    printf("  sq %u cq %u array %u cqes %u\n", p.sq_entries, p.cq_entries, p.sq_off.array, p.cq_off.cqes);
    close(fd);
}

static void map_rings(struct params *p) {
    size_t sq_size = p->sq_off.array + p->sq_entries * 4;
    size_t cq_size = p->cq_off.cqes + p->cq_entries * sizeof(struct cqe);
    printf("features SINGLE_MMAP %d NODROP %d EXT_ARG %d\n", !!(p->features & 1), !!(p->features & 2),
           !!(p->features & 256));
    char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, OFF_SQ_RING);
    char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, OFF_CQ_RING);
    sqes = mmap(NULL, p->sq_entries * sizeof(struct sqe), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd,
                OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
        printf("mmap failed: %s\n", errname(errno));
        exit(1);
    }
    printf("mmap of an offset within the SQ ring's: %s\n",
           mmap(NULL, 4096, PROT_READ, MAP_SHARED, ring_fd, 0x4000000) == MAP_FAILED ? errname(errno) : "mapped");
    printf("mmap of an unknown offset: %s\n",
           mmap(NULL, 4096, PROT_READ, MAP_SHARED, ring_fd, 0x20000000) == MAP_FAILED ? errname(errno) : "mapped");
    sq_head = (unsigned *) (sq + p->sq_off.head);
    sq_tail = (unsigned *) (sq + p->sq_off.tail);
    sq_mask = (unsigned *) (sq + p->sq_off.ring_mask);
    sq_flags = (unsigned *) (sq + p->sq_off.flags);
    sq_array = (unsigned *) (sq + p->sq_off.array);
    cq_head = (unsigned *) (cq + p->cq_off.head);
    cq_tail = (unsigned *) (cq + p->cq_off.tail);
    cq_mask = (unsigned *) (cq + p->cq_off.ring_mask);
    cqes = (struct cqe *) (cq + p->cq_off.cqes);
    printf("ring entries sq %u cq %u masks %u %u\n", *(unsigned *) (sq + p->sq_off.ring_entries),
           *(unsigned *) (cq + p->cq_off.ring_entries), *sq_mask, *cq_mask);
    /* SINGLE_MMAP: the CQ ring mapping is the SQ ring's memory. */
    printf("same memory: %d\n", *(unsigned *) (sq + p->cq_off.ring_entries) == p->cq_entries);
}

static void files(void) {
    int fd = open("uring-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char text[] = "hello io_uring\n";
    char buf[64];
    memset(buf, 0, sizeof buf);
    next_sqe(OP_WRITE, fd, (uintptr_t) text, strlen(text), 0, 1)->flags = SQE_IO_LINK;
    next_sqe(OP_FSYNC, fd, 0, 0, 0, 2)->flags = SQE_IO_LINK;
    next_sqe(OP_READ, fd, (uintptr_t) buf, 8, 6, 3);
    submit_wait("write fsync read chain", 3, 3);
    printf("  read: %s\n", buf);
    /* Offset -1: the file position, which moves (IORING_FEAT_RW_CUR_POS). */
    lseek(fd, 0, SEEK_SET);
    memset(buf, 0, sizeof buf);
    next_sqe(OP_READ, fd, (uintptr_t) buf, 5, -1, 4);
    submit_wait("read at the position", 1, 1);
    printf("  read: %s, position %ld\n", buf, (long) lseek(fd, 0, SEEK_CUR));
    struct iovec iov[2] = {{"abc", 3}, {"defg", 4}};
    next_sqe(OP_WRITEV, fd, (uintptr_t) iov, 2, 20, 5)->flags = SQE_IO_LINK;
    char a[4] = {0}, b[5] = {0};
    struct iovec riov[2] = {{a, 3}, {b, 4}};
    next_sqe(OP_READV, fd, (uintptr_t) riov, 2, 20, 6);
    submit_wait("writev readv", 2, 2);
    printf("  readv: %s %s\n", a, b);
    next_sqe(OP_READ, fd, (uintptr_t) buf, 10, 1000, 7);
    submit_wait("read past the end", 1, 1);
    next_sqe(OP_READ, 999, (uintptr_t) buf, 10, 0, 8);
    submit_wait("read of a bad descriptor", 1, 1);
    next_sqe(OP_WRITE, fd, 8, 10, 0, 9);
    submit_wait("write from a bad buffer", 1, 1);
    close(fd);

    /* Paths: openat, statx, close, mkdirat, renameat, unlinkat. */
    next_sqe(OP_OPENAT, AT_FDCWD, (uintptr_t) "uring-new", 0, 0, 10)->op_flags = O_CREAT | O_WRONLY;
    ((struct sqe *) &sqes[(*sq_tail - 1) & *sq_mask])->len = 0600;
    submit_wait("openat", 1, 1);
    close(last_res);
    /* struct statx (musl has none): stx_size at 40; STATX_SIZE is 0x200. */
    uint64_t stx[32];
    memset(stx, 0, sizeof stx);
    next_sqe(OP_STATX, AT_FDCWD, (uintptr_t) "uring-file", 0x200, (uintptr_t) stx, 11);
    submit_wait("statx", 1, 1);
    printf("  size %llu\n", (unsigned long long) stx[5]);
    int nfd = open("uring-new", O_RDONLY);
    next_sqe(OP_CLOSE, nfd, 0, 0, 0, 12);
    submit_wait("close", 1, 1);
    printf("  fcntl after close: %s\n", fcntl(nfd, F_GETFD) < 0 ? errname(errno) : "open");
    next_sqe(OP_CLOSE, ring_fd, 0, 0, 0, 13);
    submit_wait("close of the ring", 1, 1);
    next_sqe(OP_OPENAT, AT_FDCWD, (uintptr_t) "uring-missing", 0, 0, 14);
    submit_wait("openat of a missing file", 1, 1);
    next_sqe(OP_MKDIRAT, AT_FDCWD, (uintptr_t) "uring-dir", 0755, 0, 15)->flags = SQE_IO_LINK;
    next_sqe(OP_RENAMEAT, AT_FDCWD, (uintptr_t) "uring-new", AT_FDCWD, (uintptr_t) "uring-dir/moved", 16)->flags = SQE_IO_LINK;
    next_sqe(OP_UNLINKAT, AT_FDCWD, (uintptr_t) "uring-dir/moved", 0, 0, 17)->flags = SQE_IO_LINK;
    next_sqe(OP_UNLINKAT, AT_FDCWD, (uintptr_t) "uring-dir", 0, 0, 18)->op_flags = AT_REMOVEDIR;
    submit_wait("mkdir rename unlink rmdir", 4, 4);
    printf("  uring-dir: %s\n", access("uring-dir", F_OK) < 0 ? errname(errno) : "exists");
    /* A failing link: the rest is cancelled. */
    next_sqe(OP_UNLINKAT, AT_FDCWD, (uintptr_t) "uring-missing", 0, 0, 19)->flags = SQE_IO_LINK;
    next_sqe(OP_NOP, 0, 0, 0, 0, 20)->flags = SQE_IO_LINK;
    next_sqe(OP_NOP, 0, 0, 0, 0, 21);
    submit_wait("broken link", 3, 3);
    unlink("uring-file");
}

static void later(void) {
    int p[2];
    pipe(p);
    char buf[32];
    memset(buf, 0, sizeof buf);
    next_sqe(OP_READ, p[0], (uintptr_t) buf, sizeof buf, 0, 30);
    show("read of an empty pipe submitted", enter(1, 0, 0, NULL, 0));
    usleep(20000);
    printf("  ready before the write: %d\n", reap());
    struct pollfd pf = {ring_fd, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("  ring poll: %s%s\n", pf.revents & POLLIN ? "IN " : "", pf.revents & POLLOUT ? "OUT" : "");
    write(p[1], "later", 5);
    submit_wait("after the write", 0, 1);
    printf("  read: %s\n", buf);

    next_sqe(OP_POLL_ADD, p[0], 0, 0, 0, 31)->op_flags = POLLIN;
    show("poll of an empty pipe submitted", enter(1, 0, 0, NULL, 0));
    write(p[1], "x", 1);
    submit_wait("after the write", 0, 1);
    read(p[0], buf, 1);

    /* A drained NOP waits for the read before it. */
    next_sqe(OP_READ, p[0], (uintptr_t) buf, 2, 0, 32);
    next_sqe(OP_NOP, 0, 0, 0, 0, 33)->flags = SQE_IO_DRAIN;
    show("read and drained nop", enter(2, 0, 0, NULL, 0));
    usleep(20000);
    printf("  ready before the write: %d\n", reap());
    write(p[1], "yz", 2);
    submit_wait("after the write", 0, 2);

    /* Cancellation. */
    next_sqe(OP_READ, p[0], (uintptr_t) buf, 2, 0, 34);
    enter(1, 0, 0, NULL, 0);
    next_sqe(OP_ASYNC_CANCEL, 0, 34, 0, 0, 35);
    next_sqe(OP_ASYNC_CANCEL, 0, 777, 0, 0, 36);
    enter(2, 3, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    next_sqe(OP_POLL_ADD, p[0], 0, 0, 0, 37)->op_flags = POLLIN;
    enter(1, 0, 0, NULL, 0);
    next_sqe(OP_POLL_REMOVE, 0, 37, 0, 0, 38);
    next_sqe(OP_POLL_REMOVE, 0, 37, 0, 0, 39);
    enter(2, 3, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);

    /* A link timeout cancels the read it guards. */
    struct kts t30 = {0, 30000000};
    next_sqe(OP_READ, p[0], (uintptr_t) buf, 2, 0, 40)->flags = SQE_IO_LINK;
    next_sqe(OP_LINK_TIMEOUT, 0, (uintptr_t) &t30, 1, 0, 41);
    enter(2, 2, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    /* ... and is cancelled when the read comes first. */
    write(p[1], "ab", 2);
    next_sqe(OP_READ, p[0], (uintptr_t) buf, 2, 0, 42)->flags = SQE_IO_LINK;
    next_sqe(OP_LINK_TIMEOUT, 0, (uintptr_t) &t30, 1, 0, 43);
    enter(2, 2, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);

    /* Sockets: a receive that waits, then the send. */
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    next_sqe(OP_RECV, sv[1], (uintptr_t) buf, sizeof buf, 0, 44);
    enter(1, 0, 0, NULL, 0);
    next_sqe(OP_SEND, sv[0], (uintptr_t) "sock", 4, 0, 45);
    enter(1, 2, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    printf("  received: %.4s\n", buf);
    close(sv[0]);
    close(sv[1]);
    close(p[0]);
    close(p[1]);
}

static void timeouts(void) {
    struct kts t20 = {0, 20000000};
    next_sqe(OP_TIMEOUT, 0, (uintptr_t) &t20, 1, 0, 50);
    submit_wait("timeout", 1, 1);
    struct kts t5s = {5, 0};
    next_sqe(OP_TIMEOUT, 0, (uintptr_t) &t5s, 1, 1, 51);
    next_sqe(OP_NOP, 0, 0, 0, 0, 52);
    enter(2, 2, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    next_sqe(OP_TIMEOUT, 0, (uintptr_t) &t5s, 1, 0, 53);
    enter(1, 0, 0, NULL, 0);
    next_sqe(OP_TIMEOUT_REMOVE, 0, 53, 0, 0, 54);
    next_sqe(OP_TIMEOUT_REMOVE, 0, 53, 0, 0, 55);
    enter(2, 3, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    next_sqe(OP_TIMEOUT, 0, (uintptr_t) &t20, 2, 0, 56);
    submit_wait("timeout with len 2", 1, 1);
    next_sqe(OP_TIMEOUT, 0, 8, 1, 0, 57);
    submit_wait("timeout with a bad timespec", 1, 1);
    /* A wait with EXT_ARG's timeout and nothing to wait for. */
    struct getevents_arg ga = {0, 8, 0, (uintptr_t) &t20};
    show("wait with a timeout", enter(0, 1, ENTER_GETEVENTS | ENTER_EXT_ARG, &ga, sizeof ga));
    show("wait with a bad EXT_ARG size", enter(0, 1, ENTER_GETEVENTS | ENTER_EXT_ARG, &ga, 16));
    sigset_t mask;
    sigemptyset(&mask);
    show("wait with a bad sigset size", enter(0, 1, ENTER_GETEVENTS, &mask, 4));
}

static void on_alarm(int sig) {
    (void) sig;
}

static void interrupted(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    show("wait interrupted by a signal", enter(0, 1, ENTER_GETEVENTS, NULL, 0));
}

static void registered(void) {
    static char fixed[4096];
    struct iovec iov = {fixed, sizeof fixed};
    show("unregister buffers with none", reg(ring_fd, 1, NULL, 0));
    show("register buffers", reg(ring_fd, 0, &iov, 1));
    show("register buffers again", reg(ring_fd, 0, &iov, 1));
    int fd = open("uring-fixed", O_RDWR | O_CREAT | O_TRUNC, 0644);
    strcpy(fixed, "fixed buffer");
    next_sqe(OP_WRITE_FIXED, fd, (uintptr_t) fixed, 12, 0, 60)->flags = SQE_IO_LINK;
    next_sqe(OP_READ_FIXED, fd, (uintptr_t) fixed + 100, 12, 0, 61);
    next_sqe(OP_READ_FIXED, fd, (uintptr_t) fixed + 4090, 12, 0, 62);
    next_sqe(OP_READ_FIXED, fd, (uintptr_t) fixed, 12, 0, 63)->buf_index = 3;
    enter(4, 4, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    printf("  read fixed: %s\n", fixed + 100);
    show("unregister buffers", reg(ring_fd, 1, NULL, 0));

    int fds[2] = {-1, fd};
    show("unregister files with none", reg(ring_fd, 3, NULL, 0));
    show("register files", reg(ring_fd, 2, fds, 2));
    close(fd);
    char buf[16] = {0};
    next_sqe(OP_READ, 1, (uintptr_t) buf, 5, 0, 64)->flags = SQE_FIXED_FILE;
    next_sqe(OP_READ, 0, (uintptr_t) buf, 5, 0, 65)->flags = SQE_FIXED_FILE;
    next_sqe(OP_READ, 7, (uintptr_t) buf, 5, 0, 66)->flags = SQE_FIXED_FILE;
    enter(3, 3, ENTER_GETEVENTS, NULL, 0);
    reap_sorted(0);
    printf("  read through a registered file: %s\n", buf);
    show("unregister files", reg(ring_fd, 3, NULL, 0));
    int bad[1] = {ring_fd};
    show("register the ring itself", reg(ring_fd, 2, bad, 1));
    unlink("uring-fixed");

    int efd = eventfd(0, 0);
    int nul = open("/dev/null", O_RDONLY);
    show("register eventfd with /dev/null", reg(ring_fd, 4, &nul, 1));
    show("register eventfd nr 2", reg(ring_fd, 4, &efd, 2));
    show("register eventfd", reg(ring_fd, 4, &efd, 1));
    show("register eventfd again", reg(ring_fd, 4, &efd, 1));
    next_sqe(OP_NOP, 0, 0, 0, 0, 67);
    submit_wait("nop with an eventfd", 1, 1);
    uint64_t count = 0;
    read(efd, &count, 8);
    printf("  eventfd count %llu\n", (unsigned long long) count);
    show("unregister eventfd", reg(ring_fd, 5, NULL, 0));
    show("unregister eventfd again", reg(ring_fd, 5, NULL, 0));
    /* A successful request with IOSQE_CQE_SKIP_SUCCESS posts nothing. */
    next_sqe(OP_NOP, 0, 0, 0, 0, 68)->flags = SQE_CQE_SKIP;
    next_sqe(OP_NOP, 0, 0, 0, 0, 69);
    submit_wait("skipped nop, nop", 2, 1);
    next_sqe(OP_NOP, 0, 0, 0, 0, 70)->flags = SQE_IO_DRAIN;
    submit_wait("drain after a skip", 1, 1);

    struct probe pr;
    memset(&pr, 0, sizeof pr);
    show("probe", reg(ring_fd, 8, &pr, 64));
    printf("  last_op %u ops_len %u\n", pr.last_op, pr.ops_len);
    int ops[] = {OP_NOP, OP_READV, OP_WRITEV, OP_READ, OP_WRITE, OP_TIMEOUT, OP_OPENAT, OP_CLOSE, OP_POLL_ADD, OP_ASYNC_CANCEL};
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        printf("  op %d: op %u flags %u\n", ops[i], pr.ops[ops[i]].op, pr.ops[ops[i]].flags);
    }
    pr.resv = 1;
    show("probe not zeroed", reg(ring_fd, 8, &pr, 64));
    show("probe of 300", reg(ring_fd, 8, &pr, 300));
    show("probe NULL", reg(ring_fd, 8, NULL, 4));
    close(nul);
    close(efd);
}

static void bad_arguments(void) {
    int nul = open("/dev/null", O_RDONLY);
    show("enter unknown flag", syscall(SYS_io_uring_enter, ring_fd, 0, 0, 1u << 20, NULL, 0));
    show("enter on /dev/null", syscall(SYS_io_uring_enter, nul, 0, 0, 0, NULL, 0));
    show("enter on a bad descriptor", syscall(SYS_io_uring_enter, 999, 0, 0, 0, NULL, 0));
    show("register unknown opcode", reg(ring_fd, 999, NULL, 0));
    show("register on /dev/null", reg(nul, 8, NULL, 0));
    show("register on a bad descriptor", reg(999, 8, NULL, 0));
    show("enable rings not disabled", reg(ring_fd, 12, NULL, 0));
    next_sqe(200, 0, 0, 0, 0, 80);
    next_sqe(OP_NOP, 0, 0, 0, 0, 81);
    show("unknown opcode then nop", enter(2, 0, 0, NULL, 0));
    reap();
    next_sqe(OP_NOP, 0, 0, 0, 0, 82)->flags = 0x80;
    show("unknown sqe flag", enter(1, 0, 0, NULL, 0));
    reap();
    show("nop left over", enter(1, 1, ENTER_GETEVENTS, NULL, 0));
    reap();
    next_sqe(OP_NOP, 0, 0, 0, 0, 83)->ioprio = 1;
    submit_wait("nop with ioprio", 1, 1);
    show("submit with nothing queued", enter(4, 0, 0, NULL, 0));
    close(nul);

    /* A ring that starts disabled. */
    struct params p;
    memset(&p, 0, sizeof p);
    p.flags = SETUP_R_DISABLED;
    int fd = setup(2, &p);
    show("enter on a disabled ring", syscall(SYS_io_uring_enter, fd, 0, 0, 0, NULL, 0));
    show("enable rings", reg(fd, 12, NULL, 0));
    show("enter after enabling", syscall(SYS_io_uring_enter, fd, 0, 0, 0, NULL, 0));
    close(fd);
}

/* A CQ ring of 2 with 6 NOPs: the CQEs that find it full wait (IORING_SQ_CQ_OVERFLOW) and come as it drains. */
static void overflow(void) {
    struct params p;
    memset(&p, 0, sizeof p);
    p.flags = SETUP_CQSIZE;
    p.cq_entries = 2;
    int fd = setup(2, &p);
    char *ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, OFF_SQ_RING);
    struct sqe *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, OFF_SQES);
    unsigned *tail = (unsigned *) (ring + p.sq_off.tail), *array = (unsigned *) (ring + p.sq_off.array);
    unsigned *flags = (unsigned *) (ring + p.sq_off.flags), *head = (unsigned *) (ring + p.cq_off.head);
    unsigned *ctail = (unsigned *) (ring + p.cq_off.tail), *over = (unsigned *) (ring + p.cq_off.overflow);
    struct cqe *c = (struct cqe *) (ring + p.cq_off.cqes);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 2; i++) {
            unsigned t = *tail;
            memset(&s[t & 1], 0, sizeof s[0]);
            s[t & 1].opcode = OP_NOP;
            s[t & 1].user_data = round * 10 + i;
            array[t & 1] = t & 1;
            __atomic_store_n(tail, t + 1, __ATOMIC_RELEASE);
        }
        long r = syscall(SYS_io_uring_enter, fd, 2, 0, 0, NULL, 0);
        printf("overflow round %d: submitted %ld, cq tail %u, sq flags %u, overflow %u\n", round, r, *ctail, *flags, *over);
    }
    int got = 0;
    while (got < 6) {
        long r = syscall(SYS_io_uring_enter, fd, 0, 1, ENTER_GETEVENTS, NULL, 0);
        printf("  wait %ld, sq flags %u\n", r, *flags);
        while (*head != __atomic_load_n(ctail, __ATOMIC_ACQUIRE)) {
            printf("  cqe %llu: %d\n", (unsigned long long) c[*head & 1].user_data, c[*head & 1].res);
            __atomic_store_n(head, *head + 1, __ATOMIC_RELEASE);
            got++;
        }
    }
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    setup_checks();
    struct params p;
    memset(&p, 0, sizeof p);
    ring_fd = setup(8, &p);
    if (ring_fd < 0) {
        printf("setup: %s\n", errname(errno));
        return 1;
    }
    printf("setup: sq %u cq %u flags %u\n", p.sq_entries, p.cq_entries, p.flags);
    printf("sq_off head %u tail %u mask %u entries %u flags %u dropped %u array %u\n", p.sq_off.head, p.sq_off.tail,
           p.sq_off.ring_mask, p.sq_off.ring_entries, p.sq_off.flags, p.sq_off.dropped, p.sq_off.array);
    printf("cq_off head %u tail %u mask %u entries %u overflow %u cqes %u flags %u\n", p.cq_off.head, p.cq_off.tail,
           p.cq_off.ring_mask, p.cq_off.ring_entries, p.cq_off.overflow, p.cq_off.cqes, p.cq_off.flags);
    printf("descriptor: cloexec %d flags %o\n", fcntl(ring_fd, F_GETFD), fcntl(ring_fd, F_GETFL));
    char link[64] = {0};
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", ring_fd);
    readlink(path, link, sizeof link - 1);
    printf("link: %s\n", link);
    map_rings(&p);
    next_sqe(OP_NOP, 0, 0, 0, 0, 1234);
    show("nop submitted", enter(1, 0, 0, NULL, 0));
    struct pollfd pf = {ring_fd, POLLIN | POLLOUT, 0};
    show("ring poll", poll(&pf, 1, 0));
    printf("  %s%s\n", pf.revents & POLLIN ? "IN " : "", pf.revents & POLLOUT ? "OUT" : "");
    submit_wait("nop reaped", 0, 1);
    files();
    later();
    timeouts();
    interrupted();
    registered();
    bad_arguments();
    overflow();
    return 0;
}
