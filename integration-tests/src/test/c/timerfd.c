/*
 * timerfd: timerfd_create's clocks and flags, timerfd_settime (relative, TFD_TIMER_ABSTIME, periodic,
 * TFD_TIMER_CANCEL_ON_SET, old values), timerfd_gettime, reads of the expiry count (EAGAIN without
 * one when non-blocking, EINTR for a handled signal, EINVAL for a short buffer), readiness in poll,
 * select and epoll, what fstat, fcntl, /proc/self/fd and /proc/self/fdinfo show, errno for bad
 * descriptors, flags, values and addresses. Deterministic: expiries and counts within bounds only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000L

static const char *err(long r) {
    static char buf[32];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    switch (-r) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    case EBADF: return "EBADF";
    case EPERM: return "EPERM";
    default: snprintf(buf, sizeof buf, "errno %ld", -r); return buf;
    }
}

static long r(long v) {
    return v < 0 ? -errno : v;
}

static struct itimerspec spec(long value_ns, long interval_ns) {
    struct itimerspec s = {{interval_ns / 1000000000L, interval_ns % 1000000000L},
                           {value_ns / 1000000000L, value_ns % 1000000000L}};
    return s;
}

static long read_ticks(int fd, uint64_t *ticks) {
    return r(read(fd, ticks, sizeof *ticks));
}

static void on_alarm(int sig) {
    (void) sig;
}

static void show_fdinfo(int fd) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("fdinfo: %s\n", strerror(errno));
        return;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "clockid", 7) == 0 || strncmp(line, "ticks", 5) == 0 || strncmp(line, "settime", 7) == 0
            || strncmp(line, "it_interval", 11) == 0 || strncmp(line, "flags", 5) == 0) {
            printf("fdinfo %s", line);
        } else if (strncmp(line, "it_value", 8) == 0) {
            printf("fdinfo it_value present\n");
        }
    }
    fclose(f);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("create CLOCK_PROCESS_CPUTIME_ID: %s\n", err(r(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0))));
    printf("create CLOCK_TAI: %s\n", err(r(timerfd_create(CLOCK_TAI, 0))));
    printf("create clock 99: %s\n", err(r(timerfd_create(99, 0))));
    printf("create bad flags: %s\n", err(r(timerfd_create(CLOCK_MONOTONIC, 1))));
    long alarm_fd = r(timerfd_create(CLOCK_BOOTTIME_ALARM, 0));
    printf("create CLOCK_BOOTTIME_ALARM as euid %d: %s\n", geteuid() == 0 ? 0 : 1,
           alarm_fd >= 0 ? "ok" : err(alarm_fd));
    if (alarm_fd >= 0) {
        close((int) alarm_fd);
    }

    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    printf("flags: O_NONBLOCK %d O_RDWR %d, FD_CLOEXEC %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, fcntl(fd, F_GETFD) == FD_CLOEXEC);
    struct stat st;
    fstat(fd, &st);
    printf("fstat: mode 0%o size %ld\n", (unsigned) st.st_mode, (long) st.st_size);
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    printf("link: %s\n", target);

    struct itimerspec v = spec(0, 0), old;
    int pipefd[2];
    pipe(pipefd);
    printf("settime bad fd: %s\n", err(r(timerfd_settime(999, 0, &v, NULL))));
    printf("settime on a pipe: %s\n", err(r(timerfd_settime(pipefd[0], 0, &v, NULL))));
    printf("gettime on a pipe: %s\n", err(r(timerfd_gettime(pipefd[0], &v))));
    printf("settime bad flags: %s\n", err(r(timerfd_settime(fd, 4, &v, NULL))));
    struct itimerspec bad = spec(0, 0);
    bad.it_value.tv_nsec = 1000000000L;
    printf("settime nsec 1e9: %s\n", err(r(timerfd_settime(fd, 0, &bad, NULL))));
    printf("settime bad address: %s\n", err(r(timerfd_settime(fd, 0, (struct itimerspec *) 8, NULL))));
    printf("gettime bad address: %s\n", err(r(timerfd_gettime(fd, (struct itimerspec *) 8))));
    timerfd_gettime(fd, &v);
    printf("fresh: %ld.%09ld interval %ld\n", (long) v.it_value.tv_sec, v.it_value.tv_nsec, v.it_interval.tv_nsec);

    uint64_t ticks = 0;
    printf("read before arming: %s\n", err(read_ticks(fd, &ticks)));
    v = spec(20 * MS, 0);
    timerfd_settime(fd, 0, &v, NULL);
    struct pollfd p = {fd, POLLIN, 0};
    printf("poll before expiry: %d\n", poll(&p, 1, 0));
    int ready = poll(&p, 1, 5000);
    printf("poll until expiry: %d revents %x\n", ready, p.revents);
    long got_bytes = read_ticks(fd, &ticks);
    printf("read: %s ticks %llu\n", err(got_bytes), (unsigned long long) ticks);
    printf("read again: %s\n", err(read_ticks(fd, &ticks)));
    timerfd_gettime(fd, &v);
    printf("one-shot after expiry: %ld.%09ld\n", (long) v.it_value.tv_sec, v.it_value.tv_nsec);
    char small[4];
    v = spec(1, 0);
    timerfd_settime(fd, 0, &v, NULL);
    usleep(5000);
    printf("read 4 bytes: %s\n", err(r(read(fd, small, sizeof small))));
    printf("write: %s\n", err(r(write(fd, &ticks, sizeof ticks))));
    printf("read 16 bytes: %s\n", err(r(read(fd, (char[16]){0}, 16))));

    /* Periodic: the count covers every interval passed while no one read. */
    v = spec(5 * MS, 5 * MS);
    timerfd_settime(fd, 0, &v, NULL);
    usleep(80 * 1000);
    timerfd_gettime(fd, &v);
    printf("periodic: value in (0, 5ms] %d interval %ld\n",
           v.it_value.tv_sec == 0 && v.it_value.tv_nsec > 0 && v.it_value.tv_nsec <= 5 * MS, v.it_interval.tv_nsec);
    read_ticks(fd, &ticks);
    printf("periodic: ticks >= 10 %d\n", ticks >= 10);
    v = spec(10000 * MS, 10000 * MS);
    timerfd_settime(fd, 0, &v, NULL);
    show_fdinfo(fd);
    v = spec(0, 0);
    timerfd_settime(fd, 0, &v, &old);
    printf("disarm: old interval %ld\n", old.it_interval.tv_nsec);
    timerfd_gettime(fd, &v);
    printf("disarmed: %ld.%09ld\n", (long) v.it_value.tv_sec, v.it_value.tv_nsec);

    /* Setting again starts the count again. */
    v = spec(MS, 0);
    timerfd_settime(fd, 0, &v, NULL);
    usleep(10000);
    v = spec(100000 * MS, 0);
    timerfd_settime(fd, 0, &v, &old);
    long reread = read_ticks(fd, &ticks);
    printf("reset: old value %ld.%09ld, read %s\n", (long) old.it_value.tv_sec, old.it_value.tv_nsec, err(reread));
    v = spec(200000 * MS, 0);
    timerfd_settime(fd, 0, &v, &old);
    printf("old value in (99s, 100s] %d\n", old.it_value.tv_sec == 99 || (old.it_value.tv_sec == 100 && old.it_value.tv_nsec == 0));

    /* Absolute times, with TFD_TIMER_CANCEL_ON_SET on the realtime clock. */
    int rt = timerfd_create(CLOCK_REALTIME, 0);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    v = spec(now.tv_sec * 1000000000L + now.tv_nsec + 20 * MS, 0);
    printf("abstime cancel-on-set: %s\n", err(r(timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &v, NULL))));
    got_bytes = read_ticks(rt, &ticks);
    printf("blocking read: %s ticks %llu\n", err(got_bytes), (unsigned long long) ticks);
    v = spec(1000 * MS, 0);
    timerfd_settime(rt, TFD_TIMER_ABSTIME, &v, NULL);
    got_bytes = read_ticks(rt, &ticks);
    printf("abstime in the past: %s ticks %llu\n", err(got_bytes), (unsigned long long) ticks);
    show_fdinfo(rt);

    /* A handled signal interrupts a blocking read. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    v = spec(100000 * MS, 0);
    timerfd_settime(rt, 0, &v, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    printf("read interrupted: %s\n", err(read_ticks(rt, &ticks)));

    /* epoll and select wake when it expires. */
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 77}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    printf("epoll before: %d\n", epoll_wait(ep, &out, 1, 0));
    v = spec(10 * MS, 0);
    timerfd_settime(fd, 0, &v, NULL);
    int got = epoll_wait(ep, &out, 1, 5000);
    printf("epoll: %d events %x data %u\n", got, out.events, out.data.u32);
    read_ticks(fd, &ticks);
    printf("epoll after read: %d\n", epoll_wait(ep, &out, 1, 0));
    v = spec(10 * MS, 0);
    timerfd_settime(fd, 0, &v, NULL);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(fd, &rd);
    struct timeval tv = {5, 0};
    ready = select(fd + 1, &rd, NULL, NULL, &tv);
    printf("select: %d readable %d\n", ready, FD_ISSET(fd, &rd) != 0);
    close(fd);
    close(rt);
    return 0;
}
