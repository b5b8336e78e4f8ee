/*
 * Process descriptors: pidfd_open and its checks, poll and epoll readiness when the process ends
 * and once it is reaped, PIDFD_NONBLOCK, fdinfo's Pid line, pidfd_send_signal (with and without a
 * siginfo, its scopes), pidfd_getfd, waitid(P_PIDFD) and clone's and clone3's CLONE_PIDFD.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOWN(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-48s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x1000
#endif

static int pidfd_open(pid_t pid, unsigned flags) {
    return syscall(SYS_pidfd_open, pid, flags);
}

static int send_signal(int fd, int sig, siginfo_t *info, unsigned flags) {
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static int revents(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, 0);
    return n < 0 ? -1 : p.revents;
}

/* fdinfo's Pid line: the pid, or -1 once reaped. */
static void pid_line(const char *label, int fd, pid_t expect) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    long pid = -2;
    while (f && fgets(buf, sizeof buf, f)) {
        sscanf(buf, "Pid: %ld", &pid);
    }
    if (f) {
        fclose(f);
    }
    printf("%s: fdinfo Pid %s\n", label, pid == expect ? "as expected" : pid == -1 ? "-1" : "other");
}

/* A child that waits for a byte on the pipe, then exits with {@code code}. */
static pid_t waiting_child(int *pipefd, int code) {
    pipe(pipefd);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        char b;
        close(pipefd[1]);
        read(pipefd[0], &b, 1);
        _exit(code);
    }
    close(pipefd[0]);
    return c;
}

static void waitid_report(const char *label, int fd, int options) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    errno = 0;
    int r = waitid(P_PIDFD, fd, &si, options);
    printf("%-48s %d %s code %d status %d pid set %d\n", label, r, r < 0 ? strerror(errno) : "", si.si_code,
           si.si_status, si.si_pid != 0);
}

static volatile int got_usr1;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    got_usr1 = si->si_code == SI_QUEUE ? si->si_value.sival_int : 1000 + si->si_code;
}

int main(void) {
    SHOWN("pidfd_open bad flags", pidfd_open(getpid(), 1));
    SHOWN("pidfd_open pid 0", pidfd_open(0, 0));
    SHOWN("pidfd_open pid -1", pidfd_open(-1, 0));
    SHOWN("pidfd_open no such pid", pidfd_open(4000000, 0));
    int self = pidfd_open(getpid(), 0);
    SHOWN("pidfd_open self", self >= 0);
    SHOWN("F_GETFD", fcntl(self, F_GETFD));
    SHOWN("F_GETFL access and O_NONBLOCK", fcntl(self, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    char link[64], target[128];
    snprintf(link, sizeof link, "/proc/self/fd/%d", self);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("link %s\n", target);
    pid_line("self", self, getpid());
    SHOWN("poll self", revents(self));
    char buf[8];
    SHOWN("read pidfd", read(self, buf, sizeof buf));
    SHOWN("write pidfd", write(self, buf, sizeof buf));
    int nb = pidfd_open(getpid(), PIDFD_NONBLOCK);
    SHOWN("PIDFD_NONBLOCK F_GETFL", fcntl(nb, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
    close(nb);

    /* Signals to oneself, with a siginfo and without. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    SHOWN("send_signal self", send_signal(self, SIGUSR1, NULL, 0));
    printf("got %d\n", got_usr1);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_QUEUE;
    si.si_value.sival_int = 55;
    SHOWN("send_signal self with info", send_signal(self, SIGUSR1, &si, 0));
    printf("got %d\n", got_usr1);
    SHOWN("send_signal info signo differs", send_signal(self, SIGUSR2, &si, 0));
    SHOWN("send_signal bad info", send_signal(self, SIGUSR1, (siginfo_t *) 8, 0));
    SHOWN("send_signal bad flags", send_signal(self, SIGUSR1, NULL, 8));
    SHOWN("send_signal two scopes", send_signal(self, SIGUSR1, NULL, 3));
    SHOWN("send_signal PIDFD_SIGNAL_THREAD", send_signal(self, SIGUSR1, NULL, 1));
    printf("got %d\n", got_usr1);
    SHOWN("send_signal signal 65", send_signal(self, 65, NULL, 0));
    SHOWN("send_signal signal 0", send_signal(self, 0, NULL, 0));
    SHOWN("send_signal closed fd", send_signal(99, SIGUSR1, NULL, 0));
    SHOWN("send_signal not a pidfd", send_signal(1, SIGUSR1, NULL, 0));

    /* A child: readiness as it ends and once reaped. */
    int p[2];
    pid_t c = waiting_child(p, 7);
    int fd = pidfd_open(c, 0);
    int fdnb = pidfd_open(c, PIDFD_NONBLOCK);
    pid_line("child running", fd, c);
    SHOWN("poll running child", revents(fd));
    waitid_report("waitid nonblocking pidfd, running", fdnb, WEXITED);
    waitid_report("waitid nonblocking pidfd, WNOHANG", fdnb, WEXITED | WNOHANG);
    waitid_report("waitid WNOHANG running", fd, WEXITED | WNOHANG);
    memset(&si, 0, sizeof si);
    si.si_signo = SIGUSR1;
    si.si_code = SI_USER;
    SHOWN("send_signal child SI_USER info", send_signal(fd, SIGUSR1, &si, 0));
    si.si_code = SI_TKILL;
    SHOWN("send_signal child SI_TKILL info", send_signal(fd, SIGUSR1, &si, 0));
    SHOWN("pidfd_getfd flags", syscall(SYS_pidfd_getfd, fd, 0, 1));
    SHOWN("pidfd_getfd not open", syscall(SYS_pidfd_getfd, fd, 99, 0));
    SHOWN("pidfd_getfd not a pidfd", syscall(SYS_pidfd_getfd, 1, 0, 0));
    int dup = syscall(SYS_pidfd_getfd, fd, p[0] == 3 ? 3 : p[0], 0);
    SHOWN("pidfd_getfd child's pipe end", dup >= 0);
    SHOWN("pidfd_getfd F_GETFD", fcntl(dup, F_GETFD));
    close(dup);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 42};
    SHOWN("epoll_ctl pidfd", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
    SHOWN("epoll_wait running", epoll_wait(ep, &ev, 1, 0));
    write(p[1], "x", 1);
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    SHOWN("poll until the child ends", poll(&pf, 1, 10000));
    printf("revents 0x%x\n", pf.revents);
    memset(&ev, 0, sizeof ev);
    SHOWN("epoll_wait ended", epoll_wait(ep, &ev, 1, 10000));
    printf("epoll events 0x%x data %u\n", ev.events, ev.data.u32);
    pid_line("zombie", fd, c);
    SHOWN("send_signal zombie", send_signal(fd, SIGUSR1, NULL, 0));
    SHOWN("pidfd_getfd zombie", syscall(SYS_pidfd_getfd, fd, 0, 0));
    waitid_report("waitid WNOWAIT", fd, WEXITED | WNOWAIT);
    waitid_report("waitid", fd, WEXITED);
    SHOWN("poll reaped", revents(fd));
    pid_line("reaped", fd, c);
    SHOWN("send_signal reaped", send_signal(fd, SIGUSR1, NULL, 0));
    SHOWN("send_signal reaped signal 65", send_signal(fd, 65, NULL, 0));
    waitid_report("waitid reaped", fd, WEXITED);
    SHOWN("waitid P_PIDFD not a pidfd", waitid(P_PIDFD, 1, &si, WEXITED));
    SHOWN("waitid P_PIDFD closed", waitid(P_PIDFD, 99, &si, WEXITED));
    SHOWN("waitid P_PIDFD -1", waitid(P_PIDFD, -1, &si, WEXITED));
    close(fd);
    close(fdnb);
    close(ep);
    close(p[1]);

    /* A child killed through its pidfd; one that takes a queued signal. */
    c = waiting_child(p, 0);
    fd = pidfd_open(c, 0);
    SHOWN("send_signal SIGTERM", send_signal(fd, SIGTERM, NULL, 0));
    waitid_report("waitid killed", fd, WEXITED);
    close(fd);
    close(p[1]);

    /* A pidfd from clone3, and from clone (in parent_tid's place). */
    int cfd = -1;
    struct {
        uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    } args = {.flags = CLONE_PIDFD, .pidfd = (uintptr_t) &cfd, .exit_signal = SIGCHLD};
    fflush(stdout);
    long r = syscall(SYS_clone3, &args, sizeof args);
    if (r == 0) {
        _exit(3);
    }
    SHOWN("clone3 CLONE_PIDFD pidfd set", cfd >= 0);
    SHOWN("clone3 pidfd F_GETFD", fcntl(cfd, F_GETFD));
    pf.fd = cfd;
    SHOWN("poll clone3 child", poll(&pf, 1, 10000));
    waitid_report("waitid clone3 child", cfd, WEXITED);
    close(cfd);
    int cfd2 = -1;
    r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &cfd2, 0, 0);
    if (r == 0) {
        _exit(4);
    }
    SHOWN("clone CLONE_PIDFD pidfd set", cfd2 >= 0);
    waitid_report("waitid clone child", cfd2, WEXITED);
    close(cfd2);
    SHOWN("clone CLONE_PIDFD|CLONE_PARENT_SETTID", syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0,
            &cfd2, 0, 0));
    SHOWN("clone CLONE_PIDFD bad address", syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, (void *) 8, 0, 0));
    SHOWN("no child left", wait(NULL));

    /* An open /proc/PID directory stands for its process in pidfd_send_signal (tgid_pidfd_to_pid). */
    int selfdir = open("/proc/self", O_RDONLY | O_DIRECTORY);
    SHOWN("send 0 through /proc/self", send_signal(selfdir, 0, NULL, 0));
    close(selfdir);
    int procdir = open("/proc", O_RDONLY | O_DIRECTORY);
    SHOWN("send 0 through /proc", send_signal(procdir, 0, NULL, 0));
    close(procdir);
    int tasks = open("/proc/self/task", O_RDONLY | O_DIRECTORY);
    SHOWN("send 0 through /proc/self/task", send_signal(tasks, 0, NULL, 0));
    close(tasks);
    pid_t gone = fork();
    if (gone == 0) {
        _exit(0);
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int) gone);
    int gonedir = open(path, O_RDONLY | O_DIRECTORY);
    waitpid(gone, NULL, 0);
    SHOWN("send 0 through a reaped child's /proc dir", send_signal(gonedir, 0, NULL, 0));
    close(gonedir);
    return 0;
}
