/*
 * POSIX message queues: mq_open's names, flags, attributes and errors, priorities (highest first,
 * oldest first within one), EMSGSIZE, EAGAIN with O_NONBLOCK, mq_timedsend's and mq_timedreceive's
 * timeouts, a receiver in another process woken by a send, a signal interrupting a wait, mq_notify
 * with SIGEV_SIGNAL (si_code SI_MESGQ, si_value) and SIGEV_NONE, EBUSY, mq_getsetattr, the
 * descriptor's read, fstat, poll and select, /proc/sys/fs/mqueue, and mq_unlink. The queues are
 * unlinked at the end. Uses the kernel's calls directly so that errors are the kernel's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

static long k_open(const char *name, int flags, int mode, struct mq_attr *attr) {
    return syscall(SYS_mq_open, name, flags, mode, attr);
}

static void check(const char *what, long r) {
    if (r < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: ok\n", what);
    }
}

static void attrs(const char *what, int q) {
    struct mq_attr a;
    syscall(SYS_mq_getsetattr, q, NULL, &a);
    printf("%s: flags %lx maxmsg %ld msgsize %ld curmsgs %ld\n", what, a.mq_flags, a.mq_maxmsg, a.mq_msgsize,
           a.mq_curmsgs);
}

static void receive(const char *what, int q, size_t room) {
    char buf[9000];
    unsigned prio = 99;
    long n = syscall(SYS_mq_timedreceive, q, buf, room, &prio, NULL);
    if (n < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: %ld prio %u \"%.*s\"\n", what, n, prio, (int) n, buf);
    }
}

static int sendm(int q, const char *text, unsigned prio) {
    return syscall(SYS_mq_timedsend, q, text, strlen(text), prio, NULL);
}

static volatile siginfo_t got;
static volatile int signals;

static void onsig(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    got = *si;
    signals++;
}

static struct timespec soon(long ms) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms * 1000000;
    t.tv_sec += t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char name[64], other[64];
    snprintf(name, sizeof name, "jlx-mq-%d", getpid());
    snprintf(other, sizeof other, "jlx-mq2-%d", getpid());

    check("absent", k_open(name, O_RDWR, 0, NULL));
    check("slash", k_open("a/b", O_RDWR | O_CREAT, 0600, NULL));
    check("empty", k_open("", O_RDWR | O_CREAT, 0600, NULL));
    check("dot", k_open(".", O_RDWR | O_CREAT, 0600, NULL));
    char longname[300];
    memset(longname, 'n', 299);
    longname[299] = 0;
    check("long", k_open(longname, O_RDWR | O_CREAT, 0600, NULL));
    struct mq_attr bad = {0, 0, 100, 0};
    check("maxmsg 0", k_open(name, O_RDWR | O_CREAT, 0600, &bad));
    bad.mq_maxmsg = 5;
    bad.mq_msgsize = 0;
    check("msgsize 0", k_open(name, O_RDWR | O_CREAT, 0600, &bad));
    check("glibc no slash", mq_open("noslash", O_RDWR | O_CREAT, 0600, NULL));

    int q = k_open(name, O_RDWR | O_CREAT | O_EXCL, 0640, NULL);
    check("create", q);
    attrs("default", q);
    check("excl", k_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
    check("accmode 3", k_open(name, 3, 0, NULL));
    int q2 = k_open(name, O_RDONLY, 0, NULL);
    check("reopen", q2);
    struct stat st;
    fstat(q, &st);
    printf("fstat: regular %d mode %o size %ld nlink %lu\n", S_ISREG(st.st_mode), st.st_mode & 07777,
           (long) st.st_size, (unsigned long) st.st_nlink);

    struct mq_attr a = {0, 3, 16, 0};
    int small = k_open(other, O_RDWR | O_CREAT | O_NONBLOCK, 0600, &a);
    check("small", small);
    attrs("small", small);

    /* Priorities. */
    sendm(q, "low", 1);
    sendm(q, "high", 10);
    sendm(q, "mid", 5);
    sendm(q, "high two", 10);
    sendm(q, "zero", 0);
    attrs("five", q);
    char text[128] = "";
    lseek(q, 0, SEEK_SET);
    long n = read(q, text, sizeof text - 1);
    text[n > 0 ? n : 0] = 0;
    printf("read: %ld %s", n, text);
    check("write fd", write(q, "x", 1));
    check("prio max", syscall(SYS_mq_timedsend, q, "x", 1, 32768, NULL));
    check("send on read-only", sendm(q2, "x", 0));
    receive("small buffer", q, 100);
    for (int i = 0; i < 5; i++) {
        receive("take", q, 8192);
    }

    /* Nonblocking, sizes and timeouts. */
    check("too long", sendm(small, "0123456789abcdefg", 0));
    sendm(small, "a", 0);
    sendm(small, "b", 0);
    sendm(small, "c", 0);
    check("full", sendm(small, "d", 0));
    struct pollfd pf = {small, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("poll full: in %d out %d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
    struct mq_attr blocking = {0, 0, 0, 0}, old;
    check("setattr", syscall(SYS_mq_getsetattr, small, &blocking, &old));
    printf("old flags nonblock: %d\n", (old.mq_flags & O_NONBLOCK) != 0);
    struct mq_attr junk = {O_NONBLOCK | 1, 0, 0, 0};
    check("setattr bad flags", syscall(SYS_mq_getsetattr, small, &junk, NULL));
    struct timespec t = soon(50);
    check("timed send", syscall(SYS_mq_timedsend, small, "d", 1, 0, &t));
    struct timespec badts = {0, 2000000000};
    check("bad timeout", syscall(SYS_mq_timedsend, small, "d", 1, 0, &badts));
    receive("a", small, 16);
    receive("b", small, 16);
    receive("c", small, 16);
    pf.revents = 0;
    poll(&pf, 1, 0);
    printf("poll empty: in %d out %d\n", !!(pf.revents & POLLIN), !!(pf.revents & POLLOUT));
    t = soon(50);
    char buf[16];
    check("timed receive", syscall(SYS_mq_timedreceive, small, buf, 16, NULL, &t));
    check("not a queue", sendm(1, "x", 0));

    /* A receiver in another process; a signal interrupts one. */
    pid_t c = fork();
    if (c == 0) {
        receive("child got", small, 16);
        _exit(0);
    }
    usleep(50000);
    sendm(small, "to child", 3);
    int status;
    waitpid(c, &status, 0);
    struct sigaction sa = {0};
    sa.sa_sigaction = onsig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    c = fork();
    if (c == 0) {
        receive("interrupted", small, 16);
        _exit(0);
    }
    usleep(50000);
    kill(c, SIGUSR1);
    waitpid(c, &status, 0);

    /* mq_notify */
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 4242;
    check("notify", syscall(SYS_mq_notify, small, &ev));
    check("notify busy", syscall(SYS_mq_notify, small, &ev));
    lseek(small, 0, SEEK_SET);
    n = read(small, text, sizeof text - 1);
    text[n > 0 ? n : 0] = 0;
    char *pid = strstr(text, "NOTIFY_PID:");
    printf("read registered: %.*s pid-self %d\n", (int) (pid - text), text, pid && atoi(pid + 11) == getpid());
    sigset_t set, prev;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &prev);
    sendm(small, "wake", 0);
    sigprocmask(SIG_SETMASK, &prev, NULL);
    printf("notified: %d code %d value %d pid-self %d\n", signals, got.si_code, got.si_value.sival_int,
           got.si_pid == getpid());
    sendm(small, "again", 0);
    printf("once only: %d\n", signals);
    receive("wake", small, 16);
    receive("again", small, 16);
    ev.sigev_notify = SIGEV_NONE;
    check("notify none", syscall(SYS_mq_notify, small, &ev));
    check("unregister", syscall(SYS_mq_notify, small, NULL));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    check("notify bad signal", syscall(SYS_mq_notify, small, &ev));
    ev.sigev_notify = 99;
    check("notify bad kind", syscall(SYS_mq_notify, small, &ev));

    FILE *f = fopen("/proc/sys/fs/mqueue/msg_max", "r");
    char line[64];
    fgets(line, sizeof line, f);
    fclose(f);
    printf("msg_max: %s", line);
    f = fopen("/proc/sys/fs/mqueue/queues_max", "r");
    fgets(line, sizeof line, f);
    fclose(f);
    printf("queues_max: %s", line);

    check("unlink", syscall(SYS_mq_unlink, name));
    check("unlink again", syscall(SYS_mq_unlink, name));
    sendm(q, "still there", 2);
    receive("after unlink", q2, 8192);
    check("open unlinked", k_open(name, O_RDWR, 0, NULL));
    check("unlink other", syscall(SYS_mq_unlink, other));
    check("glibc unlink", mq_unlink("/noslash"));
    close(q);
    close(q2);
    close(small);
    return 0;
}
