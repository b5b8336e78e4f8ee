/* exit_group while other threads wait in blocking calls and one computes: the process ends at once. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *reads(void *a) { char c; (void) a; read(fds[0], &c, 1); return NULL; }
static void *waits(void *a) { (void) a; pthread_mutex_lock(&mu); pthread_cond_wait(&cv, &mu); return NULL; }
static void *sleeps(void *a) { struct timespec ts = {1000, 0}; (void) a; nanosleep(&ts, NULL); return NULL; }
static void *pauses(void *a) { (void) a; pause(); return NULL; }
static void *polls(void *a) { struct pollfd p = {fds[0], POLLIN, 0}; (void) a; poll(&p, 1, -1); return NULL; }
static void *epolls(void *a) {
    struct epoll_event ev = {EPOLLIN, {0}}, out;
    int ep = epoll_create1(0);
    (void) a;
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
    epoll_wait(ep, &out, 1, -1);
    return NULL;
}
static void *computes(void *a) { (void) a; for (volatile unsigned long i = 0;; i++) { } return NULL; }

int main(void) {
    void *(*bodies[])(void *) = {reads, waits, sleeps, pauses, polls, epolls, computes};
    pthread_t t;
    pipe(fds);
    for (unsigned i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        pthread_create(&t, NULL, bodies[i], NULL);
    }
    usleep(100000);
    printf("exiting with threads blocked\n");
    fflush(stdout);
    _exit(3);
}
