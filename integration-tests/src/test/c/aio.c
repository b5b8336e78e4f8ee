/*
 * Linux native AIO (io_setup, io_submit, io_getevents, io_pgetevents, io_cancel, io_destroy) on a
 * file in the working directory, a pipe and an eventfd: results, events, errors in Linux's order, the
 * ring's header in user memory as libaio reads it, and a fork's child without the context.
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
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

/* linux/aio_abi.h's definitions (musl has no kernel headers). */
typedef unsigned long aio_context_t;
enum { IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3, IOCB_CMD_POLL = 5,
       IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8 };
#define IOCB_FLAG_RESFD 1
struct io_event {
    uint64_t data, obj;
    int64_t res, res2;
};
struct iocb {
    uint64_t aio_data;
    uint32_t aio_key, aio_rw_flags;
    uint16_t aio_lio_opcode;
    int16_t aio_reqprio;
    uint32_t aio_fildes;
    uint64_t aio_buf, aio_nbytes;
    int64_t aio_offset;
    uint64_t aio_reserved2;
    uint32_t aio_flags, aio_resfd;
};
#ifndef SYS_io_pgetevents
#define SYS_io_pgetevents 333
#endif

struct aio_ring {
    unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
    struct io_event events[];
};

static void *bad;

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static long setup(unsigned nr, aio_context_t *ctx) {
    return syscall(SYS_io_setup, nr, ctx);
}

static long submit(aio_context_t ctx, long nr, struct iocb **cbs) {
    return syscall(SYS_io_submit, ctx, nr, cbs);
}

static long getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *ts) {
    return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}

static struct iocb cb(int op, int fd, void *buf, long n, long off, uint64_t data) {
    struct iocb c;
    memset(&c, 0, sizeof c);
    c.aio_lio_opcode = op;
    c.aio_fildes = fd;
    c.aio_buf = (uint64_t) (uintptr_t) buf;
    c.aio_nbytes = n;
    c.aio_offset = off;
    c.aio_data = data;
    return c;
}

static long one(aio_context_t ctx, struct iocb *c) {
    return submit(ctx, 1, &c);
}

static void reap(const char *label, aio_context_t ctx, struct iocb *base) {
    struct io_event ev[8];
    struct timespec ts = {1, 0};
    long n = getevents(ctx, 1, 8, ev, &ts);
    if (n < 0) {
        printf("%s: getevents %s\n", label, errname(errno));
        return;
    }
    for (long i = 0; i < n; i++) {
        long res = (long) ev[i].res;
        printf("%s: event data %llu obj %s res %s%ld res2 %lld\n", label, (unsigned long long) ev[i].data,
               base && ev[i].obj == (uint64_t) (uintptr_t) base ? "iocb" : "?", res < 0 ? "-" : "",
               res < 0 ? 0 : res, (long long) ev[i].res2);
        if (res < 0) {
            printf("%s: event errno %s\n", label, errname((int) -res));
        }
    }
}

static void ring(aio_context_t ctx) {
    struct aio_ring *r = (struct aio_ring *) ctx;
    printf("ring magic %#x compat %u incompat %u header %u head %u tail %u nr>=%s\n", r->magic,
           r->compat_features, r->incompat_features, r->header_length, r->head, r->tail, r->nr >= 8 ? "8" : "?");
}

static long aionr(void) {
    FILE *f = fopen("/proc/sys/fs/aio-nr", "r");
    long n = -1;
    if (f) {
        fscanf(f, "%ld", &n);
        fclose(f);
    }
    return n;
}

int main(void) {
    bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    aio_context_t ctx = 0;
    long before = aionr();
    show("io_setup NULL", setup(4, NULL));
    show("io_setup bad", setup(4, bad));
    show("io_setup 0 events", setup(0, &ctx));
    ctx = 1;
    show("io_setup ctx not 0", setup(4, &ctx));
    ctx = 0;
    show("io_setup too many", setup(1u << 31, &ctx));
    show("io_setup huge", setup(70000, &ctx));
    show("io_setup", setup(4, &ctx));
    printf("aio-nr grew by %ld\n", aionr() - before);
    ring(ctx);

    int fd = open("aio.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    char text[] = "hello, asynchronous world";
    char buf[64] = {0};
    struct iocb w = cb(IOCB_CMD_PWRITE, fd, text, strlen(text), 0, 1);
    show("submit pwrite", one(ctx, &w));
    ring(ctx);
    reap("pwrite", ctx, &w);
    ring(ctx);
    struct iocb r = cb(IOCB_CMD_PREAD, fd, buf, sizeof buf, 7, 2);
    show("submit pread", one(ctx, &r));
    reap("pread", ctx, &r);
    printf("read \"%s\"\n", buf);
    printf("file offset %ld\n", (long) lseek(fd, 0, SEEK_CUR));

    char a[6] = {0}, b[8] = {0};
    struct iovec iov[2] = {{a, 5}, {b, 7}};
    struct iocb rv = cb(IOCB_CMD_PREADV, fd, iov, 2, 0, 3);
    struct iocb fs = cb(IOCB_CMD_FSYNC, fd, NULL, 0, 0, 4);
    struct iocb fds = cb(IOCB_CMD_FDSYNC, fd, NULL, 0, 0, 5);
    struct iocb *three[] = {&rv, &fs, &fds};
    show("submit preadv fsync fdatasync", submit(ctx, 3, three));
    struct io_event ev[8];
    /* Linux syncs in a worker: wait for all three. */
    show("getevents min 3", getevents(ctx, 3, 8, ev, NULL));
    show("getevents min 0", getevents(ctx, 0, 8, ev, NULL));
    printf("preadv \"%s\" \"%s\"\n", a, b);
    struct iocb wv = cb(IOCB_CMD_PWRITEV, fd, iov, 2, 100, 6);
    show("submit pwritev", one(ctx, &wv));
    struct timespec zero = {0, 0};
    show("getevents zero timeout", getevents(ctx, 1, 8, ev, &zero));
    show("getevents none left, zero timeout", getevents(ctx, 1, 8, ev, &zero));
    struct timespec shortwait = {0, 20000000};
    show("getevents none left, 20 ms", getevents(ctx, 1, 8, ev, &shortwait));
    printf("file size %ld\n", (long) lseek(fd, 0, SEEK_END));

    /* The submission's own errors, in Linux's order. */
    show("submit bad ctx", submit(12345, 1, NULL));
    show("submit nr -1", submit(ctx, -1, NULL));
    show("submit nr 0", submit(ctx, 0, NULL));
    show("submit bad array", submit(ctx, 1, bad));
    struct iocb *badp = bad;
    show("submit bad iocb", submit(ctx, 1, &badp));
    struct iocb x = cb(IOCB_CMD_PREAD, fd, buf, 4, 0, 9);
    x.aio_reserved2 = 1;
    show("submit reserved2", one(ctx, &x));
    x = cb(IOCB_CMD_PREAD, 999, buf, -1, 0, 9);
    show("submit negative nbytes bad fd", one(ctx, &x));
    x = cb(IOCB_CMD_PREAD, 999, buf, 4, 0, 9);
    show("submit bad fd", one(ctx, &x));
    x = cb(6, fd, buf, 4, 0, 9);
    show("submit NOOP", one(ctx, &x));
    x = cb(99, fd, buf, 4, 0, 9);
    show("submit opcode 99", one(ctx, &x));
    x = cb(IOCB_CMD_PREAD, fd, buf, 4, 0, 9);
    x.aio_flags = IOCB_FLAG_RESFD;
    x.aio_resfd = 999;
    show("submit resfd bad", one(ctx, &x));
    x.aio_resfd = fd;
    show("submit resfd not eventfd", one(ctx, &x));
    x = cb(IOCB_CMD_PREAD, fd, buf, 4, -1, 9);
    show("submit negative offset", one(ctx, &x));
    x = cb(IOCB_CMD_PREAD, fd, bad, 4, 0, 9);
    reap("pread into PROT_NONE", ctx, (one(ctx, &x) == 1 ? &x : NULL));
    x = cb(IOCB_CMD_PREAD, fd, (void *) -4096L, 4, 0, 9);
    show("submit buffer past user space", one(ctx, &x));
    x = cb(IOCB_CMD_PREADV, fd, iov, 2000, 0, 9);
    show("submit 2000 iovecs", one(ctx, &x));
    x = cb(IOCB_CMD_PREAD, fd, buf, 4, 0, 9);
    x.aio_rw_flags = 0x1000;
    show("submit unknown rw flag", one(ctx, &x));
    x = cb(IOCB_CMD_FSYNC, fd, buf, 0, 0, 9);
    show("submit fsync with buffer", one(ctx, &x));
    int ro = open("aio.tmp", O_RDONLY);
    x = cb(IOCB_CMD_PWRITE, ro, text, 3, 0, 9);
    show("submit pwrite read-only", one(ctx, &x));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    x = cb(IOCB_CMD_PREAD, dir, buf, 4, 0, 9);
    show("submit pread directory", one(ctx, &x));
    x = cb(IOCB_CMD_FSYNC, dir, NULL, 0, 0, 10);
    show("submit fsync directory", one(ctx, &x));
    reap("fsync directory", ctx, &x);
    struct iocb good = cb(IOCB_CMD_PREAD, fd, buf, 5, 0, 11);
    struct iocb broken = cb(IOCB_CMD_PREAD, 999, buf, 5, 0, 12);
    struct iocb *mixed[] = {&good, &broken, &good};
    show("submit good then bad fd", submit(ctx, 3, mixed));
    reap("good then bad", ctx, &good);

    /* An eventfd told of each completion, and a pipe. */
    int efd = eventfd(0, 0);
    int p[2];
    pipe(p);
    x = cb(IOCB_CMD_PWRITE, p[1], "pipe bytes", 10, 12345, 13);
    x.aio_flags = IOCB_FLAG_RESFD;
    x.aio_resfd = efd;
    show("submit pwrite pipe resfd", one(ctx, &x));
    uint64_t count = 0;
    read(efd, &count, 8);
    printf("eventfd count %llu\n", (unsigned long long) count);
    reap("pipe write", ctx, &x);
    memset(buf, 0, sizeof buf);
    x = cb(IOCB_CMD_PREAD, p[0], buf, sizeof buf, 0, 14);
    show("submit pread pipe", one(ctx, &x));
    reap("pipe read", ctx, &x);
    printf("pipe gave \"%s\"\n", buf);
    x = cb(IOCB_CMD_FSYNC, p[0], NULL, 0, 0, 15);
    show("submit fsync pipe", one(ctx, &x));

    /* POLL: ready at once, waiting until written, cancelled. */
    struct iocb pl = cb(IOCB_CMD_POLL, p[1], (void *) (long) POLLOUT, 0, 0, 16);
    show("submit poll writable", one(ctx, &pl));
    reap("poll writable", ctx, &pl);
    pl = cb(IOCB_CMD_POLL, p[0], (void *) (long) POLLIN, 0, 0, 17);
    show("submit poll readable", one(ctx, &pl));
    show("getevents poll not yet", getevents(ctx, 1, 8, ev, &zero));
    write(p[1], "x", 1);
    reap("poll readable", ctx, &pl);
    read(p[0], buf, 1);
    pl = cb(IOCB_CMD_POLL, p[0], (void *) (long) POLLIN, 0, 0, 18);
    show("submit poll to cancel", one(ctx, &pl));
    struct io_event result;
    show("io_cancel poll", syscall(SYS_io_cancel, ctx, &pl, &result));
    reap("cancelled poll", ctx, &pl);
    show("io_cancel again", syscall(SYS_io_cancel, ctx, &pl, &result));
    pl = cb(IOCB_CMD_POLL, p[0], (void *) 0x10000L, 0, 0, 19);
    show("submit poll events past 16 bits", one(ctx, &pl));
    pl = cb(IOCB_CMD_POLL, p[0], (void *) (long) POLLIN, 0, 1, 19);
    show("submit poll with offset", one(ctx, &pl));

    /* io_cancel's and io_getevents' errors. */
    struct iocb done = cb(IOCB_CMD_PREAD, fd, buf, 4, 0, 20);
    one(ctx, &done);
    show("io_cancel completed", syscall(SYS_io_cancel, ctx, &done, &result));
    reap("completed", ctx, &done);
    show("io_cancel bad iocb", syscall(SYS_io_cancel, ctx, bad, &result));
    done.aio_key = 5;
    show("io_cancel key not 0", syscall(SYS_io_cancel, ctx, &done, &result));
    done.aio_key = 0;
    show("io_cancel bad ctx", syscall(SYS_io_cancel, 12345, &done, &result));
    show("getevents bad ctx", getevents(12345, 0, 1, ev, NULL));
    show("getevents bad timeout", getevents(ctx, 0, 1, ev, bad));
    show("getevents min > nr", getevents(ctx, 2, 1, ev, NULL));
    show("getevents min -1", getevents(ctx, -1, 1, ev, NULL));
    one(ctx, &done);
    show("getevents bad events", getevents(ctx, 1, 1, bad, NULL));
    show("getevents still there", getevents(ctx, 1, 1, ev, NULL));

    /* io_pgetevents: the signal mask argument. */
    struct {
        const sigset_t *sigmask;
        size_t sigsetsize;
    } sig;
    sigset_t mask;
    sigemptyset(&mask);
    sig.sigmask = &mask;
    sig.sigsetsize = 8;
    one(ctx, &done);
    show("io_pgetevents", syscall(SYS_io_pgetevents, ctx, 1, 8, ev, NULL, &sig));
    sig.sigsetsize = 4;
    show("io_pgetevents size 4", syscall(SYS_io_pgetevents, ctx, 0, 8, ev, NULL, &sig));
    show("io_pgetevents bad sigset", syscall(SYS_io_pgetevents, ctx, 0, 8, ev, NULL, bad));
    show("io_pgetevents bad ctx", syscall(SYS_io_pgetevents, 12345, 0, 8, ev, NULL, NULL));

    /* A full ring: submissions beyond its room are EAGAIN until events are taken. */
    aio_context_t small = 0;
    setup(1, &small);
    struct iocb many[600];
    struct iocb *manyp[600];
    for (int i = 0; i < 600; i++) {
        many[i] = cb(IOCB_CMD_PREAD, fd, buf, 1, 0, i);
        manyp[i] = &many[i];
    }
    long taken = 0, n;
    while ((n = submit(small, 600 - taken, manyp + taken)) > 0) {
        taken += n;
    }
    printf("full ring: %s after %s requests\n", n < 0 ? errname(errno) : "0", taken > 0 ? "some" : "no");
    struct io_event lots[600];
    printf("reaped all: %s\n", getevents(small, 0, 600, lots, NULL) == taken ? "yes" : "no");
    show("submit after reaping", submit(small, 1, manyp));

    /* A child has no context; the parent's stays. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        show("child io_submit", one(ctx, &done));
        show("child io_destroy", syscall(SYS_io_destroy, ctx));
        aio_context_t mine = 0;
        show("child io_setup", setup(2, &mine));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    show("parent io_submit after fork", one(ctx, &done));
    reap("parent", ctx, &done);

    show("io_destroy", syscall(SYS_io_destroy, ctx));
    show("io_destroy again", syscall(SYS_io_destroy, ctx));
    show("io_submit destroyed", one(ctx, &done));
    show("io_destroy small", syscall(SYS_io_destroy, small));
    show("io_destroy bad", syscall(SYS_io_destroy, 12345));
    printf("aio-nr back to %s\n", aionr() == before ? "before" : "other");
    unlink("aio.tmp");
    return 0;
}
