/*
 * Timeouts, sizes and counts at their edges (negative, huge, overflowing) in the calls that wait or
 * move data: each line is a call's result and errno. A call that would wait for ever is woken by a
 * SIGALRM within 30 ms (its handler does nothing, without SA_RESTART), so it ends with EINTR. First the
 * resource limits the process started with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-50s %s %s\n", label, r_ < 0 ? "-1" : "ok", r_ < 0 ? strerror(e_) : ""); } while (0)
#define SHOWN(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-50s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

/* linux/futex.h, which musl's headers lack. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define FUTEX_WAIT_BITSET_PRIVATE 137
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffff

static void on_alarm(int sig) {
    (void) sig;
}

/*
 * A SIGALRM in 30 ms, to end a wait that has no end of its own, and every 30 ms after it: one that
 * comes before the call has begun to wait (the process was not run for 30 ms) must not leave it
 * waiting for ever.
 */
static void alarm_soon(void) {
    struct itimerval it = {{0, 30000}, {0, 30000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void alarm_off(void) {
    struct itimerval it = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void) {
    /* The limits a process starts with are its starter's (here the test's JVM, natively and under jlx). */
    printf("limits at start\n");
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        struct rlimit l;
        getrlimit(r, &l);
        printf("  %2d %lld %lld\n", r, (long long) l.rlim_cur, (long long) l.rlim_max);
    }
    char limits[4096];
    int lf = open("/proc/self/limits", O_RDONLY);
    ssize_t ln = read(lf, limits, sizeof limits - 1);
    close(lf);
    limits[ln > 0 ? ln : 0] = 0;
    fputs(limits, stdout);
    struct rlimit nofile;
    getrlimit(RLIMIT_NOFILE, &nofile);
    SHOWN("dup2 onto RLIMIT_NOFILE - 1", dup2(1, nofile.rlim_cur - 1) == (int) nofile.rlim_cur - 1);
    SHOWN("dup2 onto RLIMIT_NOFILE", dup2(1, nofile.rlim_cur));
    SHOWN("F_DUPFD from RLIMIT_NOFILE", fcntl(1, F_DUPFD, nofile.rlim_cur));
    SHOWN("F_DUPFD from RLIMIT_NOFILE - 1 (taken)", fcntl(1, F_DUPFD, nofile.rlim_cur - 1));
    SHOWN("sysconf(_SC_OPEN_MAX) is RLIMIT_NOFILE", sysconf(_SC_OPEN_MAX) == (long) nofile.rlim_cur);
    close(nofile.rlim_cur - 1);
    SHOWN("F_DUPFD from RLIMIT_NOFILE - 1 (free)", fcntl(1, F_DUPFD, nofile.rlim_cur - 1) == (int) nofile.rlim_cur - 1);
    close(nofile.rlim_cur - 1);
    /* poll's nfds is checked against RLIMIT_NOFILE: the same soft limit natively and under jlx. */
    nofile.rlim_cur = 1024;
    setrlimit(RLIMIT_NOFILE, &nofile);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    int p[2], empty[2];
    pipe(p);
    pipe(empty);
    write(p[1], "hello", 5);
    char buf[64];
    int idle = empty[0];

    printf("poll and ppoll\n");
    struct pollfd ready = {p[0], POLLIN, 0};
    struct pollfd waits = {idle, POLLIN, 0};
    SHOWN("poll ready, timeout INT_MAX", poll(&ready, 1, INT_MAX));
    SHOWN("poll ready, timeout INT_MIN", poll(&ready, 1, INT_MIN));
    alarm_soon();
    SHOWN("poll idle, timeout -1 (alarm)", poll(&waits, 1, -1));
    alarm_soon();
    SHOWN("poll idle, timeout INT_MAX (alarm)", poll(&waits, 1, INT_MAX));
    alarm_off();
    SHOWN("poll nfds huge", syscall(SYS_poll, &ready, (unsigned long) -1, 0));
    SHOWN("poll nfds 1<<31", syscall(SYS_poll, &ready, 1UL << 31, 0));
    SHOWN("poll nfds 1<<20", syscall(SYS_poll, &ready, 1UL << 20, 0));
    SHOWN("poll nfds 2000", syscall(SYS_poll, &ready, 2000UL, 0));
    struct timespec huge = {LONG_MAX, 999999999};
    struct timespec neg = {-1, 0};
    struct timespec badns = {0, 1000000000};
    struct timespec negns = {0, -1};
    SHOWN("ppoll ready, timeout {LONG_MAX, 999999999}", syscall(SYS_ppoll, &ready, 1, &huge, NULL, 8));
    SHOWN("ppoll timeout {-1, 0}", syscall(SYS_ppoll, &ready, 1, &neg, NULL, 8));
    SHOWN("ppoll timeout {0, 1e9}", syscall(SYS_ppoll, &ready, 1, &badns, NULL, 8));
    SHOWN("ppoll timeout {0, -1}", syscall(SYS_ppoll, &ready, 1, &negns, NULL, 8));
    alarm_soon();
    SHOWN("ppoll idle, timeout {LONG_MAX, 999999999}", syscall(SYS_ppoll, &waits, 1, &huge, NULL, 8));
    alarm_off();
    SHOWN("ppoll nfds huge", syscall(SYS_ppoll, &ready, (unsigned long) -1, &huge, NULL, 8));
    SHOWN("ppoll nfds 1<<31", syscall(SYS_ppoll, &ready, 1UL << 31, &huge, NULL, 8));
    sigset_t none;
    sigemptyset(&none);
    SHOWN("ppoll sigsetsize 4", syscall(SYS_ppoll, &ready, 1UL, &huge, &none, 4));
    SHOWN("ppoll sigsetsize huge", syscall(SYS_ppoll, &ready, 1UL, &huge, &none, (size_t) -1));

    printf("select and pselect6\n");
    fd_set r;
    struct timeval tv;
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv = (struct timeval) {LONG_MAX, 999999};
    SHOWN("select ready, timeout {LONG_MAX, 999999}", select(p[0] + 1, &r, NULL, NULL, &tv));
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv = (struct timeval) {LONG_MAX, LONG_MAX};
    SHOWN("select ready, timeout {LONG_MAX, LONG_MAX}", select(p[0] + 1, &r, NULL, NULL, &tv));
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv = (struct timeval) {0, 5000000};
    SHOWN("select ready, timeout {0, 5000000}", select(p[0] + 1, &r, NULL, NULL, &tv));
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv = (struct timeval) {-1, 0};
    SHOWN("select timeout {-1, 0}", select(p[0] + 1, &r, NULL, NULL, &tv));
    FD_ZERO(&r); FD_SET(p[0], &r);
    tv = (struct timeval) {0, -1};
    SHOWN("select timeout {0, -1}", select(p[0] + 1, &r, NULL, NULL, &tv));
    FD_ZERO(&r); FD_SET(p[0], &r);
    SHOWN("select nfds -1", syscall(SYS_select, -1, &r, NULL, NULL, NULL));
    FD_ZERO(&r); FD_SET(idle, &r);
    tv = (struct timeval) {LONG_MAX, 999999};
    alarm_soon();
    SHOWN("select idle, timeout {LONG_MAX, 999999} (alarm)", select(idle + 1, &r, NULL, NULL, &tv));
    FD_ZERO(&r); FD_SET(idle, &r);
    alarm_soon();
    SHOWN("select idle, no timeout (alarm)", select(idle + 1, &r, NULL, NULL, NULL));
    alarm_off();
    FD_ZERO(&r); FD_SET(p[0], &r);
    struct timespec hts = huge;
    SHOWN("pselect6 ready, timeout {LONG_MAX, 999999999}", pselect(p[0] + 1, &r, NULL, NULL, &hts, NULL));
    FD_ZERO(&r); FD_SET(p[0], &r);
    hts = badns;
    SHOWN("pselect6 timeout {0, 1e9}", pselect(p[0] + 1, &r, NULL, NULL, &hts, NULL));
    FD_ZERO(&r); FD_SET(idle, &r);
    hts = huge;
    alarm_soon();
    SHOWN("pselect6 idle, timeout {LONG_MAX, 999999999}", pselect(idle + 1, &r, NULL, NULL, &hts, NULL));
    alarm_off();

    printf("epoll\n");
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u64 = 7}};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    int ep2 = epoll_create1(0);
    ev.data.u64 = 8;
    epoll_ctl(ep2, EPOLL_CTL_ADD, idle, &ev);
    struct epoll_event out[4];
    SHOWN("epoll_wait ready, timeout INT_MAX", epoll_wait(ep, out, 4, INT_MAX));
    SHOWN("epoll_wait ready, timeout INT_MIN", epoll_wait(ep, out, 4, INT_MIN));
    SHOWN("epoll_wait maxevents 0", epoll_wait(ep, out, 0, 0));
    SHOWN("epoll_wait maxevents -1", syscall(SYS_epoll_wait, ep, out, -1, 0));
    SHOWN("epoll_wait maxevents INT_MAX", syscall(SYS_epoll_wait, ep, out, INT_MAX, 0));
    SHOWN("epoll_wait maxevents INT_MAX/12 + 1", syscall(SYS_epoll_wait, ep, out, INT_MAX / 12 + 1, 0));
    alarm_soon();
    SHOWN("epoll_wait idle, timeout -1 (alarm)", epoll_wait(ep2, out, 4, -1));
    alarm_soon();
    SHOWN("epoll_pwait idle, timeout -1 (alarm)", epoll_pwait(ep2, out, 4, -1, NULL));
    alarm_soon();
    SHOWN("epoll_pwait idle, timeout INT_MAX (alarm)", epoll_pwait(ep2, out, 4, INT_MAX, &none));
    alarm_off();
    SHOWN("epoll_pwait2 ready, timeout {LONG_MAX, 999999999}", syscall(SYS_epoll_pwait2, ep, out, 4, &huge, NULL, 8));
    SHOWN("epoll_pwait2 timeout {-1, 0}", syscall(SYS_epoll_pwait2, ep, out, 4, &neg, NULL, 8));
    alarm_soon();
    SHOWN("epoll_pwait2 idle, timeout {LONG_MAX, 999999999}", syscall(SYS_epoll_pwait2, ep2, out, 4, &huge, NULL, 8));
    alarm_off();

    printf("sleeps and futexes\n");
    SHOW("nanosleep {-1, 0}", syscall(SYS_nanosleep, &neg, NULL));
    SHOW("nanosleep {0, 1e9}", syscall(SYS_nanosleep, &badns, NULL));
    SHOW("nanosleep {0, -1}", syscall(SYS_nanosleep, &negns, NULL));
    SHOW("nanosleep {0, 0}", nanosleep(&(struct timespec) {0, 0}, NULL));
    SHOW("clock_nanosleep bad clock", syscall(SYS_clock_nanosleep, 12345, 0, &badns, NULL));
    SHOW("clock_nanosleep {0, 1e9}", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &badns, NULL));
    SHOW("clock_nanosleep ABSTIME {0, 0}", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME,
            &(struct timespec) {0, 0}, NULL));
    SHOW("clock_nanosleep ABSTIME {0, 1e9}", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &badns, NULL));
    int word = 1;
    SHOW("futex wait, timeout {-1, 0}", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &neg, NULL, 0));
    SHOW("futex wait, timeout {0, 1e9}", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &badns, NULL, 0));
    SHOW("futex wait, other value, timeout huge", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 2, &huge, NULL, 0));
    alarm_soon();
    SHOW("futex wait, timeout {LONG_MAX, 999999999}", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &huge, NULL, 0));
    alarm_soon();
    SHOW("futex wait_bitset, abs {LONG_MAX, 999999999}", syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1,
            &huge, NULL, FUTEX_BITSET_MATCH_ANY));
    alarm_soon();
    SHOW("futex wait_bitset realtime, abs huge", syscall(SYS_futex, &word,
            FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &huge, NULL, FUTEX_BITSET_MATCH_ANY));
    alarm_off();
    SHOW("futex wait_bitset, abs {0, 0}", syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1,
            &(struct timespec) {0, 0}, NULL, FUTEX_BITSET_MATCH_ANY));
    SHOWN("futex wake INT_MAX", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
    SHOWN("futex wake -1", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, -1, NULL, NULL, 0));

    printf("sizes and counts\n");
    SHOWN("read count SIZE_MAX", syscall(SYS_read, p[0], buf, SIZE_MAX));
    SHOWN("read count 1<<62", syscall(SYS_read, p[0], buf, 1UL << 62));
    SHOWN("read count SSIZE_MAX", syscall(SYS_read, p[0], buf, SSIZE_MAX));
    SHOWN("write count SIZE_MAX", syscall(SYS_write, p[1], buf, SIZE_MAX));
    SHOWN("write count 1<<62", syscall(SYS_write, p[1], buf, 1UL << 62));
    SHOWN("read count 0", read(p[0], buf, 0));
    SHOWN("read count 3", read(p[0], buf, 3));
    SHOWN("pread pipe", syscall(SYS_pread64, p[0], buf, 3, 0));
    int file = open("limits.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink("limits.tmp");
    SHOWN("pread offset -1", syscall(SYS_pread64, file, buf, 3, -1L));
    SHOWN("pwrite offset LLONG_MIN", syscall(SYS_pwrite64, file, buf, 3, LLONG_MIN));
    SHOWN("lseek LLONG_MIN", syscall(SYS_lseek, file, LLONG_MIN, SEEK_SET));
    struct iovec iov[2] = {{buf, 2}, {buf + 2, 2}};
    SHOWN("readv iovcnt -1", syscall(SYS_readv, p[0], iov, -1L));
    SHOWN("readv iovcnt 1025", syscall(SYS_readv, p[0], iov, 1025));
    SHOWN("readv iovcnt INT_MAX", syscall(SYS_readv, p[0], iov, INT_MAX));
    SHOWN("readv iovcnt 0", readv(p[0], iov, 0));
    SHOWN("readv iovcnt 2", readv(p[0], iov, 2));
    struct iovec bad[2] = {{buf, 1}, {buf, (size_t) -1}};
    SHOWN("writev iov_len SIZE_MAX", writev(p[1], bad, 2));
    struct iovec over[2] = {{buf, SSIZE_MAX}, {buf, SSIZE_MAX}};
    SHOWN("writev two SSIZE_MAX lengths", writev(p[1], over, 2));
    SHOWN("writev iovcnt 1025", syscall(SYS_writev, p[1], iov, 1025));
    SHOWN("writev iovcnt -1", syscall(SYS_writev, p[1], iov, -1L));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    char dents[512];
    SHOWN("getdents64 count 0", syscall(SYS_getdents64, dir, dents, 0));
    SHOWN("getdents64 count 1", syscall(SYS_getdents64, dir, dents, 1));
    SHOWN("getdents64 count SIZE_MAX", syscall(SYS_getdents64, dir, dents, SIZE_MAX));
    SHOWN("getdents64 count 1<<40", syscall(SYS_getdents64, dir, dents, 1UL << 40));
    SHOWN("getdents count SIZE_MAX", syscall(SYS_getdents, dir, dents, SIZE_MAX));
    SHOWN("getrandom count 0", syscall(SYS_getrandom, buf, 0, 0));
    SHOWN("getrandom count 16", syscall(SYS_getrandom, buf, 16, 0));
    SHOWN("getrandom bad flags", syscall(SYS_getrandom, buf, 16, 0x100));
    SHOWN("getrandom count SIZE_MAX, NULL", syscall(SYS_getrandom, NULL, SIZE_MAX, 0));
    SHOWN("readlink bufsiz -1", syscall(SYS_readlink, "/proc/self/exe", buf, -1));
    SHOWN("readlink bufsiz INT_MAX", syscall(SYS_readlink, "/", buf, INT_MAX));
    SHOWN("getcwd NULL, size SIZE_MAX", syscall(SYS_getcwd, NULL, SIZE_MAX));
    SHOWN("getcwd size 0", syscall(SYS_getcwd, buf, 0));
    SHOWN("getgroups -1", syscall(SYS_getgroups, -1, NULL));
    SHOWN("sched_getaffinity size 0", syscall(SYS_sched_getaffinity, 0, 0, buf));
    SHOWN("sched_getaffinity size 7", syscall(SYS_sched_getaffinity, 0, 7, buf));
    SHOWN("sched_getaffinity size SIZE_MAX", syscall(SYS_sched_getaffinity, 0, SIZE_MAX, buf) > 0);
    SHOWN("rt_sigprocmask sigsetsize 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &none, NULL, 4));
    SHOWN("rt_sigprocmask sigsetsize SIZE_MAX", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &none, NULL, SIZE_MAX));
    SHOWN("fcntl F_DUPFD INT_MAX", syscall(SYS_fcntl, p[0], F_DUPFD, INT_MAX));
    SHOWN("fcntl F_DUPFD -1", syscall(SYS_fcntl, p[0], F_DUPFD, -1));
    SHOWN("dup2 to INT_MAX", syscall(SYS_dup2, p[0], INT_MAX));
    SHOWN("fcntl F_SETPIPE_SZ UINT_MAX", syscall(SYS_fcntl, p[0], F_SETPIPE_SZ, UINT_MAX));
    SHOWN("fcntl F_SETPIPE_SZ -1", syscall(SYS_fcntl, p[0], F_SETPIPE_SZ, -1));
    SHOWN("fcntl F_SETPIPE_SZ 1<<30", syscall(SYS_fcntl, p[0], F_SETPIPE_SZ, 1 << 30));
    char max[32] = {0};
    int sysctl = open("/proc/sys/fs/pipe-max-size", O_RDONLY);
    SHOWN("read /proc/sys/fs/pipe-max-size", read(sysctl, max, sizeof max - 1));
    printf("%-50s %s", "  its value", max);
    SHOWN("fcntl F_SETPIPE_SZ pipe-max-size", syscall(SYS_fcntl, p[0], F_SETPIPE_SZ, atoi(max)));
    SHOWN("fcntl F_GETLEASE", fcntl(file, F_GETLEASE));
    SHOWN("fcntl F_GETLEASE on a pipe", fcntl(p[0], F_GETLEASE));
    SHOWN("fcntl F_SETLEASE 99", fcntl(file, F_SETLEASE, 99));
    SHOWN("fcntl F_SETLEASE F_RDLCK on a pipe", fcntl(p[0], F_SETLEASE, F_RDLCK));
    SHOWN("ftruncate -1", syscall(SYS_ftruncate, file, -1L));
    SHOW("mmap length SIZE_MAX", syscall(SYS_mmap, NULL, SIZE_MAX, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    SHOW("mmap length 0", syscall(SYS_mmap, NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    SHOWN("munmap length SIZE_MAX", munmap((void *) 0x10000000, SIZE_MAX));
    SHOWN("mprotect length SIZE_MAX", mprotect((void *) 0x10000000, SIZE_MAX, PROT_READ));
    SHOWN("madvise length SIZE_MAX", madvise((void *) 0x10000000, SIZE_MAX, MADV_NORMAL));
    SHOWN("brk huge", syscall(SYS_brk, (unsigned long) -4096) == -4096);
    /* fs.nr_open, RLIMIT_NOFILE's ceiling; then writes to it and to fs.pipe-max-size, which root may
     * make: only ones that change nothing (the value back, or one refused), since natively they are
     * the host's. */
    char nr[32] = {0};
    int nrfd = open("/proc/sys/fs/nr_open", O_RDONLY);
    SHOWN("read /proc/sys/fs/nr_open", read(nrfd, nr, sizeof nr - 1));
    printf("%-50s %s", "  its value", nr);
    close(nrfd);
    struct rlimit above = {atol(nr) + 1, atol(nr) + 1};
    SHOWN("setrlimit RLIMIT_NOFILE nr_open + 1", setrlimit(RLIMIT_NOFILE, &above));
    const char *writes[][2] = {
        {"/proc/sys/fs/pipe-max-size", max}, {"/proc/sys/fs/pipe-max-size", "abc\n"},
        {"/proc/sys/fs/pipe-max-size", "-1\n"}, {"/proc/sys/fs/pipe-max-size", "3000000000\n"},
        {"/proc/sys/fs/nr_open", nr}, {"/proc/sys/fs/nr_open", "abc\n"}, {"/proc/sys/fs/nr_open", "5\n"},
        {"/proc/sys/fs/nr_open", "2147483647\n"},
    };
    for (unsigned i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        char label[80];
        snprintf(label, sizeof label, "write %.*s to %s", (int) strcspn(writes[i][1], "\n"), writes[i][1],
                 writes[i][0] + 10);
        int w = open(writes[i][0], O_WRONLY);
        if (w < 0) {
            SHOWN(label, w);
            continue;
        }
        SHOWN(label, write(w, writes[i][1], strlen(writes[i][1])));
        close(w);
    }
    memset(max, 0, sizeof max);
    lseek(sysctl, 0, SEEK_SET);
    SHOWN("read /proc/sys/fs/pipe-max-size again", read(sysctl, max, sizeof max - 1));
    printf("%-50s %s", "  its value", max);
    return 0;
}
