/*
 * epoll on pipes: the checks of epoll_create1 and epoll_ctl, level- and edge-triggered readiness,
 * EPOLLONESHOT, hang-ups (EPOLLRDHUP is for sockets, not pipes), an epoll descriptor inside poll and inside another epoll,
 * a wait that a child's write ends, and one that a signal interrupts; eventfd, alone and in epoll.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void wait_and_show(const char *what, int ep, int timeout) {
    struct epoll_event ev[8];
    int n = epoll_wait(ep, ev, 8, timeout);
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) {
        printf(" [data %lu events 0x%x]", (unsigned long) ev[i].data.u64, ev[i].events);
    }
    printf("%s%s\n", n < 0 ? " " : "", n < 0 ? strerror(errno) : "");
}

static void on_alarm(int sig) {
    (void) sig;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    (void) argc;
    show("epoll_create1 bad flags", epoll_create1(1));
    show("epoll_create 0", epoll_create(0));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("FD_CLOEXEC %d\n", fcntl(ep, F_GETFD));
    int p[2];
    pipe(p);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 11};
    show("add the read end", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    show("add it again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    show("add the epoll itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    int file = open(argv[0], O_RDONLY);
    show("add a regular file", epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev));
    show("modify what is not there", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev));
    show("delete what is not there", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], &ev));
    show("add to a non-epoll", epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev));
    show("bad op", epoll_ctl(ep, 9, p[0], &ev));
    show("epoll_wait maxevents 0", epoll_wait(ep, &ev, 0, 0));
    wait_and_show("empty pipe, timeout 0", ep, 0);
    wait_and_show("empty pipe, timeout 20 ms", ep, 20);
    write(p[1], "0123456789", 10);
    wait_and_show("level-triggered with data", ep, 0);
    wait_and_show("and again", ep, 0);

    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 22;
    show("EPOLLET", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    wait_and_show("edge: data already there", ep, 0);
    wait_and_show("edge: nothing new", ep, 0);
    char buf[64];
    read(p[0], buf, 5);
    wait_and_show("edge: after a partial read", ep, 0);
    write(p[1], "ab", 2);
    wait_and_show("edge: after new data", ep, 0);
    read(p[0], buf, sizeof buf);

    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 33;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    write(p[1], "x", 1);
    wait_and_show("oneshot", ep, 0);
    wait_and_show("oneshot, disarmed", ep, 0);
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    wait_and_show("oneshot, re-armed", ep, 0);
    read(p[0], buf, sizeof buf);

    struct epoll_event out = {.events = EPOLLOUT, .data.u64 = 44};
    show("add the write end", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &out));
    wait_and_show("writable", ep, 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);

    struct pollfd pfd = {.fd = ep, .events = POLLIN};
    int polled = poll(&pfd, 1, 0);
    printf("poll on the epoll fd: %d revents 0x%x\n", polled, pfd.revents);
    write(p[1], "y", 1);
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &(struct epoll_event){.events = EPOLLIN, .data.u64 = 55});
    polled = poll(&pfd, 1, 0);
    printf("poll on the epoll fd: %d revents 0x%x\n", polled, pfd.revents);
    int outer = epoll_create1(0);
    show("nest it", epoll_ctl(outer, EPOLL_CTL_ADD, ep, &(struct epoll_event){.events = EPOLLIN, .data.u64 = 66}));
    show("loop", epoll_ctl(ep, EPOLL_CTL_ADD, outer, &(struct epoll_event){.events = EPOLLIN}));
    wait_and_show("outer", outer, 0);
    read(p[0], buf, sizeof buf);

    /* A child writes later: the wait ends with its data; then its exit closes the write end. */
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &(struct epoll_event){.events = EPOLLIN | EPOLLRDHUP, .data.u64 = 77});
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(p[1], "late", 4);
        usleep(200000);
        _exit(0);
    }
    close(p[1]);
    wait_and_show("waiting for the child", ep, 5000);
    waitpid(pid, NULL, 0);
    read(p[0], buf, sizeof buf);
    wait_and_show("writer gone", ep, 0);

    /* A signal ends the wait with EINTR. */
    int q[2];
    pipe(q);
    int ep2 = epoll_create1(0);
    epoll_ctl(ep2, EPOLL_CTL_ADD, q[0], &(struct epoll_event){.events = EPOLLIN});
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    wait_and_show("interrupted", ep2, -1);
    close(q[0]);
    wait_and_show("after closing the watched fd", ep2, 0);

    show("eventfd2 bad flags", eventfd(0, 0x10));
    int efd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    uint64_t v = 0;
    show("read the initial count", read(efd, &v, 8));
    printf("count %lu\n", (unsigned long) v);
    show("read at 0", read(efd, &v, 8));
    show("short read", read(efd, &v, 4));
    v = 5;
    show("write 5", write(efd, &v, 8));
    v = 7;
    show("write 7", write(efd, &v, 8));
    v = UINT64_MAX;
    show("write 2^64-1", write(efd, &v, 8));
    v = UINT64_MAX - 1;
    show("write past the limit", write(efd, &v, 8));
    epoll_ctl(ep2, EPOLL_CTL_ADD, efd, &(struct epoll_event){.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u64 = 88});
    wait_and_show("eventfd in epoll", ep2, 0);
    wait_and_show("eventfd, nothing new", ep2, 0);
    read(efd, &v, 8);
    printf("count %lu\n", (unsigned long) v);
    v = 1;
    write(efd, &v, 8);
    wait_and_show("eventfd after a write", ep2, 0);
    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    for (int i = 0; i < 3; i++) {
        v = 0;
        long r = read(sem, &v, 8);
        printf("semaphore read %ld value %lu\n", r, (unsigned long) v);
    }
    pid = fork();
    if (pid == 0) {
        usleep(50000);
        v = 9;
        write(sem, &v, 8);
        _exit(0);
    }
    fcntl(sem, F_SETFL, 0);
    v = 0;
    show("blocking semaphore read", read(sem, &v, 8));
    printf("value %lu\n", (unsigned long) v);
    waitpid(pid, NULL, 0);
    return 0;
}
