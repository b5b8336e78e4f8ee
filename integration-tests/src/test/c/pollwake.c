/*
 * Waits without a timeout that another process's action ends: poll, select, pselect and epoll_wait
 * on a pipe woken by a write, a read that makes room, and the last writer's close; an epoll inside
 * poll; edge-triggered epoll reporting each new write while data is left; a FIFO reader opened with
 * O_NONBLOCK before any writer (no POLLHUP until a writer came and went); an eventfd; a write end
 * whose readers are gone. Each child acts after a pause, so the parent is asleep in its wait (a
 * pause that only makes a wake-up likely to be tested: no outcome depends on it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAUSE_US 50000

static void show_poll(const char *what, struct pollfd *p, int n, int r) {
    printf("%s: %d", what, r);
    for (int i = 0; i < n; i++) {
        printf(" revents 0x%x", p[i].revents);
    }
    printf("%s%s\n", r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void epoll_show(const char *what, int ep, int timeout) {
    struct epoll_event ev[4];
    int n = epoll_wait(ep, ev, 4, timeout);
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) {
        printf(" [data %lu events 0x%x]", (unsigned long) ev[i].data.u64, ev[i].events);
    }
    printf("\n");
}

/* A child that pauses, runs act(fd), pauses again and exits; its other descriptors close then. */
static pid_t later(void (*act)(int), int fd) {
    pid_t pid = fork();
    if (pid == 0) {
        usleep(PAUSE_US);
        act(fd);
        usleep(PAUSE_US);
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
}

static void write_byte(int fd) {
    if (write(fd, "x", 1) != 1) {
        perror("write");
    }
}

/* The parent's go-ahead for write_twice's second write, once it has seen the first. */
static int go[2];

static void write_twice(int fd) {
    write_byte(fd);
    char b;
    if (read(go[0], &b, 1) != 1) {
        perror("read go");
    }
    usleep(PAUSE_US);
    write_byte(fd);
}

static void read_page(int fd) {
    char buf[4096];
    if (read(fd, buf, sizeof buf) != (ssize_t) sizeof buf) {
        perror("read");
    }
}

static void do_nothing(int fd) {
    (void) fd;
}

static void add_one(int fd) {
    uint64_t one = 1;
    if (write(fd, &one, sizeof one) != sizeof one) {
        perror("eventfd write");
    }
}

/* Reads what the pipe holds, without waiting for more. */
static void drain(int fd) {
    char buf[65536];
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    while (read(fd, buf, sizeof buf) > 0) {
    }
    fcntl(fd, F_SETFL, flags);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    pipe(p);

    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    pid_t c = later(write_byte, p[1]);
    show_poll("poll woken by a write", &pf, 1, poll(&pf, 1, -1));
    reap(c);
    drain(p[0]);

    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    c = later(write_byte, p[1]);
    int r = select(p[0] + 1, &rd, NULL, NULL, NULL);
    printf("select woken by a write: %d readable %d\n", r, FD_ISSET(p[0], &rd));
    reap(c);
    drain(p[0]);

    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    sigset_t none;
    sigemptyset(&none);
    c = later(write_byte, p[1]);
    r = pselect(p[0] + 1, &rd, NULL, NULL, NULL, &none);
    printf("pselect woken by a write: %d readable %d\n", r, FD_ISSET(p[0], &rd));
    reap(c);
    drain(p[0]);

    /* A full pipe: the writer's poll wakes when the reader takes a page. */
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    long filled = 0;
    char page[4096] = {0};
    for (ssize_t n; (n = write(p[1], page, sizeof page)) > 0;) {
        filled += n;
    }
    printf("filled %ld\n", filled);
    struct pollfd wf = {.fd = p[1], .events = POLLOUT};
    show_poll("full pipe, poll 0", &wf, 1, poll(&wf, 1, 0));
    c = later(read_page, p[0]);
    show_poll("poll woken by room", &wf, 1, poll(&wf, 1, -1));
    reap(c);
    drain(p[0]);
    fcntl(p[1], F_SETFL, 0);

    /* An epoll descriptor inside poll. */
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5};
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    struct pollfd ef = {.fd = ep, .events = POLLIN};
    c = later(write_byte, p[1]);
    show_poll("poll of an epoll woken by a write", &ef, 1, poll(&ef, 1, -1));
    reap(c);
    epoll_show("its epoll_wait", ep, 0);
    drain(p[0]);
    close(ep);

    /* Edge-triggered: each write is an edge, though the first byte is still unread. */
    ep = epoll_create1(0);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 6;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    pipe(go);
    c = later(write_twice, p[1]);
    epoll_show("EPOLLET first write", ep, -1);
    epoll_show("EPOLLET again at once", ep, 0);
    write_byte(go[1]);
    epoll_show("EPOLLET second write", ep, -1);
    reap(c);
    close(go[0]);
    close(go[1]);
    drain(p[0]);
    close(ep);

    /* The last writer's close: the parent's own write end is closed first. */
    int q[2];
    pipe(q);
    c = later(do_nothing, q[1]);
    close(q[1]);
    struct pollfd hf = {.fd = q[0], .events = POLLIN};
    show_poll("poll woken by the last writer's exit", &hf, 1, poll(&hf, 1, -1));
    reap(c);
    close(q[0]);

    /* A write end whose reader is gone. */
    pipe(q);
    close(q[0]);
    struct pollfd of = {.fd = q[1], .events = POLLOUT};
    show_poll("write end without a reader", &of, 1, poll(&of, 1, 0));
    close(q[1]);

    /* A FIFO reader opened O_NONBLOCK with no writer: no hang-up until a writer came and went. */
    char fifo[64];
    snprintf(fifo, sizeof fifo, "/dev/shm/pollwake-%d", (int) getpid());
    unlink(fifo);
    if (mkfifo(fifo, 0600) != 0) {
        perror("mkfifo");
        return 1;
    }
    int fr = open(fifo, O_RDONLY | O_NONBLOCK);
    struct pollfd ff = {.fd = fr, .events = POLLIN};
    show_poll("FIFO reader before any writer", &ff, 1, poll(&ff, 1, 0));
    pid_t w = fork();
    if (w == 0) {
        usleep(PAUSE_US);
        int fw = open(fifo, O_WRONLY);
        write_byte(fw);
        usleep(PAUSE_US);
        _exit(0);
    }
    show_poll("FIFO reader woken by a writer", &ff, 1, poll(&ff, 1, -1));
    drain(fr);
    show_poll("FIFO reader, writer gone", &ff, 1, poll(&ff, 1, -1));
    reap(w);
    close(fr);
    unlink(fifo);

    int e = eventfd(0, 0);
    struct pollfd evf = {.fd = e, .events = POLLIN};
    c = later(add_one, e);
    show_poll("poll woken by an eventfd write", &evf, 1, poll(&evf, 1, -1));
    reap(c);
    return 0;
}
