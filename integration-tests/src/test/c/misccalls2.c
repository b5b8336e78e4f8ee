/* readahead, ioprio_set/ioprio_get, sched_setattr/sched_getattr, vmsplice and futex_waitv, against Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3
#define IOPRIO(class, level) ((class) << 13 | (level))

struct sched_attr_v1 {
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
    uint32_t sched_util_min, sched_util_max;
};

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, strerror(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static long ioget(int which, int who) {
    return syscall(SYS_ioprio_get, which, who);
}

static long ioset(int which, int who, int prio) {
    return syscall(SYS_ioprio_set, which, who, prio);
}

static void readaheads(void) {
    int f = open("ra.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(f, "some bytes", 10);
    show("readahead file", syscall(SYS_readahead, f, 0L, 4096L));
    show("readahead past end", syscall(SYS_readahead, f, 1L << 40, 10L));
    show("readahead huge count", syscall(SYS_readahead, f, 0L, -1L));
    int w = open("ra.tmp", O_WRONLY);
    show("readahead write-only", syscall(SYS_readahead, w, 0L, 10L));
    int p = open("ra.tmp", O_PATH);
    show("readahead O_PATH", syscall(SYS_readahead, p, 0L, 10L));
    int pipes[2];
    pipe(pipes);
    show("readahead pipe", syscall(SYS_readahead, pipes[0], 0L, 10L));
    int d = open(".", O_RDONLY | O_DIRECTORY);
    show("readahead directory", syscall(SYS_readahead, d, 0L, 10L));
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show("readahead socket", syscall(SYS_readahead, sv[0], 0L, 10L));
    show("readahead closed", syscall(SYS_readahead, 99, 0L, 10L));
    int n = open("/dev/null", O_RDONLY);
    show("readahead /dev/null", syscall(SYS_readahead, n, 0L, 10L));
    close(f);
    close(w);
    close(p);
    close(pipes[0]);
    close(pipes[1]);
    close(d);
    close(sv[0]);
    close(sv[1]);
    close(n);
    unlink("ra.tmp");
}

static void ioprios(void) {
    /* A session of its own, so that the process group holds only these processes. */
    setsid();
    show("ioprio default", ioget(IOPRIO_WHO_PROCESS, 0));
    show("ioprio group default", ioget(IOPRIO_WHO_PGRP, 0));
    show("ioprio set BE 2", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 2)));
    show("ioprio get", ioget(IOPRIO_WHO_PROCESS, getpid()));
    show("ioprio set hint bits", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 3) | 1 << 3));
    show("ioprio get", ioget(IOPRIO_WHO_PROCESS, 0));
    show("ioprio set bit 16", ioset(IOPRIO_WHO_PROCESS, 0, 1 << 16 | IOPRIO(3, 1)));
    show("ioprio get", ioget(IOPRIO_WHO_PROCESS, 0));
    show("ioprio set -1", ioset(IOPRIO_WHO_PROCESS, 0, -1));
    show("ioprio set class 4", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(4, 0)));
    show("ioprio set NONE level 1", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(0, 1)));
    show("ioprio set bad which", ioset(7, 0, IOPRIO(2, 0)));
    show("ioprio get bad which", ioget(0, 0));
    show("ioprio set no such pid", ioset(IOPRIO_WHO_PROCESS, 999999, IOPRIO(2, 0)));
    show("ioprio get no such group", ioget(IOPRIO_WHO_PGRP, 999999));
    show("ioprio set RT 0", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(1, 0)));
    show("ioprio get", ioget(IOPRIO_WHO_PROCESS, 0));
    show("ioprio set IDLE", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(3, 0)));

    int go[2], ready[2];
    pipe(go);
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        show("child inherits", ioget(IOPRIO_WHO_PROCESS, 0));
        write(ready[1], "r", 1);
        char c;
        read(go[0], &c, 1);
        show("child after parent's set", ioget(IOPRIO_WHO_PROCESS, 0));
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    show("set the child BE 5", ioset(IOPRIO_WHO_PROCESS, child, IOPRIO(2, 5)));
    show("group best", ioget(IOPRIO_WHO_PGRP, 0));
    show("group best by id", ioget(IOPRIO_WHO_PGRP, getpgrp()));
    show("set the group BE 6", ioset(IOPRIO_WHO_PGRP, 0, IOPRIO(2, 6)));
    show("group best", ioget(IOPRIO_WHO_PGRP, 0));
    show("set NONE", ioset(IOPRIO_WHO_PROCESS, 0, 0));
    show("group best with a NONE", ioget(IOPRIO_WHO_PGRP, 0));
    write(go[1], "g", 1);
    waitpid(child, NULL, 0);

    pid_t u = fork();
    if (u == 0) {
        setresgid(4242, 4242, 4242);
        setresuid(4242, 4242, 4242);
        show("unprivileged RT", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(1, 4)));
        show("unprivileged BE", ioset(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 7)));
        show("unprivileged on its parent", ioset(IOPRIO_WHO_PROCESS, getppid(), IOPRIO(2, 7)));
        show("user's", ioget(IOPRIO_WHO_USER, 0));
        show("user's by id", ioget(IOPRIO_WHO_USER, 4242));
        show("set user's", ioset(IOPRIO_WHO_USER, 0, IOPRIO(3, 0)));
        show("user's", ioget(IOPRIO_WHO_USER, 4242));
        _exit(0);
    }
    waitpid(u, NULL, 0);
    show("no process of user 4243", ioget(IOPRIO_WHO_USER, 4243));
}

static long setattr(pid_t pid, void *attr, unsigned flags) {
    return syscall(SYS_sched_setattr, pid, attr, flags);
}

static long getattr(pid_t pid, void *attr, unsigned size, unsigned flags) {
    return syscall(SYS_sched_getattr, pid, attr, size, flags);
}

static void print_attr(const char *label) {
    struct sched_attr_v1 a;
    memset(&a, 0xee, sizeof a);
    long r = getattr(0, &a, sizeof a, 0);
    if (r < 0) {
        show(label, r);
        return;
    }
    printf("%s: size %u policy %u flags %llu nice %d priority %u slice %d deadline %llu period %llu util %u %u\n",
        label, a.size, a.sched_policy, (unsigned long long) a.sched_flags, a.sched_nice, a.sched_priority,
        a.sched_runtime > 0, (unsigned long long) a.sched_deadline, (unsigned long long) a.sched_period,
        a.sched_util_min, a.sched_util_max);
}

static void schedattrs(void) {
    struct sched_attr_v1 a;
    print_attr("initial");
    unsigned char big[80];
    memset(big, 0xee, sizeof big);
    show("get size 48", getattr(0, big, 48, 0));
    printf("  size field %u, byte 48 %#x\n", *(uint32_t *) big, big[48]);
    show("get size 80", getattr(0, big, 80, 0));
    printf("  size field %u, byte 56 %#x\n", *(uint32_t *) big, big[56]);
    show("get size 47", getattr(0, big, 47, 0));
    show("get size 8192", getattr(0, big, 8192, 0));
    show("get flags 1", getattr(0, big, 56, 1));
    show("get NULL", getattr(0, NULL, 56, 0));
    show("get pid -1", getattr(-1, big, 56, 0));
    show("get no such pid", getattr(999999, big, 56, 0));
    show("get bad address", getattr(0, (void *) 8, 56, 0));

    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.sched_nice = 5;
    show("set nice 5", setattr(0, &a, 0));
    print_attr("after");
    printf("  getpriority %d\n", getpriority(PRIO_PROCESS, 0));
    a.sched_nice = 100;
    show("set nice 100 (clamped)", setattr(0, &a, 0));
    print_attr("after");
    a.sched_nice = 0;
    show("set flags 1 on setattr call", setattr(0, &a, 1));
    show("set NULL", setattr(0, NULL, 0));
    show("set pid -1", setattr(-1, &a, 0));
    a.size = 40;
    show("set size 40", setattr(0, &a, 0));
    printf("  size written back %u\n", a.size);
    a.size = 0;
    show("set size 0 (VER0)", setattr(0, &a, 0));
    memset(big, 0, sizeof big);
    struct sched_attr_v1 *b = (struct sched_attr_v1 *) big;
    b->size = 80;
    b->sched_policy = SCHED_BATCH;
    show("set size 80 zero tail", setattr(0, big, 0));
    big[70] = 1;
    show("set size 80 non-zero tail", setattr(0, big, 0));
    printf("  size written back %u\n", b->size);
    b->size = 8192;
    show("set size 8192", setattr(0, big, 0));
    printf("  size written back %u\n", b->size);
    print_attr("after BATCH");

    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.sched_policy = SCHED_FIFO;
    a.sched_priority = 10;
    a.sched_flags = 1;
    show("set FIFO 10 reset-on-fork", setattr(0, &a, 0));
    print_attr("after");
    printf("  sched_getscheduler %#x\n", sched_getscheduler(0));
    a.sched_flags = 0x10;
    a.sched_priority = 0;
    a.sched_policy = SCHED_RR;
    show("set RR keeping params", setattr(0, &a, 0));
    print_attr("after");
    a.sched_flags = 0x08;
    a.sched_priority = 20;
    a.sched_policy = 99;
    show("set priority 20 keeping policy", setattr(0, &a, 0));
    print_attr("after");
    a.sched_flags = 0;
    a.sched_policy = SCHED_OTHER;
    a.sched_priority = 0;
    a.sched_nice = -3;
    show("set OTHER nice -3", setattr(0, &a, 0));
    print_attr("after");
    a.sched_policy = SCHED_FIFO;
    show("set FIFO priority 0", setattr(0, &a, 0));
    a.sched_priority = 100;
    show("set FIFO priority 100", setattr(0, &a, 0));
    a.sched_policy = 7;
    a.sched_priority = 0;
    show("set policy 7", setattr(0, &a, 0));
    a.sched_policy = (uint32_t) -1;
    show("set policy -1", setattr(0, &a, 0));
    a.sched_policy = SCHED_OTHER | 0x40000000;
    show("set policy with SCHED_RESET_ON_FORK", setattr(0, &a, 0));
    a.sched_policy = SCHED_OTHER;
    a.sched_flags = 0x80;
    show("set unknown flag", setattr(0, &a, 0));
    a.sched_flags = 0;
    a.sched_policy = 6;
    show("set DEADLINE without parameters", setattr(0, &a, 0));
    a.sched_runtime = 500;
    a.sched_deadline = 1000000;
    show("set DEADLINE runtime 500", setattr(0, &a, 0));
    a.sched_runtime = 2000000;
    show("set DEADLINE runtime over deadline", setattr(0, &a, 0));
    a.sched_runtime = 1000;
    a.sched_deadline = 50000;
    show("set DEADLINE period under 100us", setattr(0, &a, 0));

    pid_t u = fork();
    if (u == 0) {
        setresgid(4242, 4242, 4242);
        setresuid(4242, 4242, 4242);
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_NICE, &none);
        setrlimit(RLIMIT_RTPRIO, &none);
        struct sched_attr_v1 c;
        memset(&c, 0, sizeof c);
        c.size = sizeof c;
        c.sched_nice = -10;
        show("unprivileged nice -10", setattr(0, &c, 0));
        c.sched_nice = 10;
        show("unprivileged nice 10", setattr(0, &c, 0));
        c.sched_policy = SCHED_FIFO;
        c.sched_priority = 1;
        show("unprivileged FIFO", setattr(0, &c, 0));
        c.sched_policy = 6;
        c.sched_priority = 0;
        c.sched_runtime = 1000000;
        c.sched_deadline = 10000000;
        show("unprivileged DEADLINE", setattr(0, &c, 0));
        c.sched_policy = SCHED_OTHER;
        c.sched_runtime = c.sched_deadline = 0;
        show("unprivileged on its parent", setattr(getppid(), &c, 0));
        _exit(0);
    }
    waitpid(u, NULL, 0);
}

static long vms(int fd, const struct iovec *iov, unsigned long n, unsigned flags) {
    return syscall(SYS_vmsplice, fd, iov, n, flags);
}

static void vmsplices(void) {
    int p[2];
    pipe(p);
    char hello[] = "hello ", world[] = "world";
    struct iovec out[2] = {{hello, 6}, {world, 5}};
    show("vmsplice bad flag", vms(p[1], out, 2, 0x10));
    show("vmsplice closed", vms(99, out, 2, 0));
    show("vmsplice 1025 iovecs", vms(p[1], out, 1025, 0));
    struct iovec bad = {NULL, 4};
    show("vmsplice NULL buffer", vms(p[1], &bad, 1, 0));
    show("vmsplice iovecs NULL", vms(p[1], NULL, 2, 0));
    show("vmsplice into pipe", vms(p[1], out, 2, 0));
    char buf[64] = {0};
    show("read", read(p[0], buf, sizeof buf));
    printf("  [%s]\n", buf);
    write(p[1], "abcdefgh", 8);
    char x[4] = {0}, y[16] = {0};
    struct iovec in[2] = {{x, 3}, {y, 16}};
    show("vmsplice out of pipe", vms(p[0], in, 2, 0));
    printf("  [%.3s] [%s]\n", x, y);
    show("vmsplice out of empty pipe, nonblocking", vms(p[0], in, 2, 2));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    write(p[1], "xy", 2);
    show("vmsplice out of O_NONBLOCK pipe", vms(p[0], in, 2, 0));
    int f = open("vms.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    show("vmsplice regular file", vms(f, out, 2, 0));
    struct iovec none = {hello, 0};
    show("vmsplice regular file, nothing", vms(f, &none, 1, 0));
    int o = open("vms.tmp", O_PATH);
    show("vmsplice O_PATH", vms(o, out, 2, 0));
    close(o);
    close(f);
    unlink("vms.tmp");
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    static char fill[65536];
    long put = 0, n;
    while ((n = write(p[1], fill, sizeof fill)) > 0) {
        put += n;
    }
    printf("  filled %ld\n", put);
    show("vmsplice into full pipe, nonblocking", vms(p[1], out, 2, 2));
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    show("vmsplice with no reader", vms(p[1], out, 2, 0));
    close(p[1]);
    pipe(p);
    close(p[1]);
    show("vmsplice out of pipe with no writer", vms(p[0], in, 2, 0));
    close(p[0]);
}

struct waitv {
    uint64_t val, uaddr;
    uint32_t flags, reserved;
};
#define FUTEX2_SIZE_U8 0
#define FUTEX2_SIZE_U32 2
#define FUTEX2_SIZE_U64 3
#define FUTEX2_PRIVATE 128

static uint32_t words[3];
static struct waitv vec[3];
static long waited;

static long waitv(struct waitv *v, unsigned n, unsigned flags, struct timespec *ts, int clock) {
    return syscall(SYS_futex_waitv, v, n, flags, ts, clock);
}

static void *waiter(void *arg) {
    (void) arg;
    waited = waitv(vec, 3, 0, NULL, 0);
    return NULL;
}

/* Wakes word i until a waiter is there to be woken. */
static void wake_when_waiting(int i, int op) {
    while (syscall(SYS_futex, &words[i], op, 1, NULL, NULL, 0) == 0) {
        usleep(1000);
    }
}

static void waitvs(void) {
    for (int i = 0; i < 3; i++) {
        vec[i] = (struct waitv){0, (uintptr_t) &words[i], FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0};
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    show("waitv flags 1", waitv(vec, 3, 1, &now, CLOCK_MONOTONIC));
    show("waitv none", waitv(vec, 0, 0, &now, CLOCK_MONOTONIC));
    show("waitv 129", waitv(vec, 129, 0, &now, CLOCK_MONOTONIC));
    show("waitv NULL", waitv(NULL, 3, 0, &now, CLOCK_MONOTONIC));
    show("waitv CLOCK_BOOTTIME", waitv(vec, 3, 0, &now, CLOCK_BOOTTIME));
    show("waitv timeout NULL-ish", waitv(vec, 3, 0, (struct timespec *) 8, CLOCK_MONOTONIC));
    struct timespec badts = {0, 2000000000L};
    show("waitv bad timeout", waitv(vec, 3, 0, &badts, CLOCK_MONOTONIC));
    show("waitv past monotonic", waitv(vec, 3, 0, &now, CLOCK_MONOTONIC));
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    show("waitv past realtime", waitv(vec, 3, 0, &rt, CLOCK_REALTIME));
    words[2] = 5;
    show("waitv value differs", waitv(vec, 3, 0, NULL, 0));
    vec[2].val = 5;
    vec[1].flags = FUTEX2_SIZE_U8;
    show("waitv U8", waitv(vec, 3, 0, NULL, 0));
    vec[1].flags = FUTEX2_SIZE_U64;
    show("waitv U64", waitv(vec, 3, 0, NULL, 0));
    vec[1].flags = FUTEX2_SIZE_U32 | 0x100;
    show("waitv unknown flag", waitv(vec, 3, 0, NULL, 0));
    vec[1].flags = FUTEX2_SIZE_U32;
    vec[1].reserved = 1;
    show("waitv reserved", waitv(vec, 3, 0, NULL, 0));
    vec[1].reserved = 0;
    vec[1].val = 1ULL << 32;
    show("waitv value past 32 bits", waitv(vec, 3, 0, NULL, 0));
    vec[1].val = 0;
    vec[1].uaddr += 1;
    show("waitv unaligned", waitv(vec, 3, 0, NULL, 0));
    vec[1].uaddr = 0;
    show("waitv word NULL", waitv(vec, 3, 0, NULL, 0));
    vec[1].uaddr = (uintptr_t) &words[1];
    show("waitv entries unreadable", waitv((struct waitv *) 8, 3, 0, NULL, 0));
    vec[1].flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;

    pthread_t th;
    pthread_create(&th, NULL, waiter, NULL);
    wake_when_waiting(1, 1 | 128);
    pthread_join(th, NULL);
    show("waitv woken by word 1", waited);
    for (int i = 0; i < 3; i++) {
        vec[i].flags = FUTEX2_SIZE_U32;
    }
    pthread_create(&th, NULL, waiter, NULL);
    wake_when_waiting(2, 1);
    pthread_join(th, NULL);
    show("waitv shared, woken by word 2", waited);
    vec[0].flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 20000000;
    if (now.tv_nsec >= 1000000000) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000;
    }
    show("waitv 20 ms", waitv(vec, 3, 0, &now, CLOCK_MONOTONIC));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    readaheads();
    ioprios();
    schedattrs();
    vmsplices();
    waitvs();
    return 0;
}
