/* A pipe end closed by one thread while another waits in epoll_wait on it is released at once:
   its writer gets EPIPE, as on Linux (a waiting call must not keep a closed file open). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static int ep, fds[2];

static void *waiter(void *arg) {
    struct epoll_event out;
    (void) arg;
    int n = epoll_wait(ep, &out, 1, 2000);
    printf("epoll_wait returned %d\n", n);
    return NULL;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    pipe(fds);
    ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    usleep(200000);
    close(fds[0]);
    ssize_t w = write(fds[1], "x", 1);
    printf("write after the reader's close: %zd %s\n", w, w < 0 ? strerror(errno) : "");
    pthread_join(t, NULL);
    return 0;
}
