/* Threads: create/join, a mutex and an atomic counter, a condition variable, TLS, distinct tids, detached threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_long counter;
static long locked;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int ready;
static __thread long mine = 5;
static pid_t tids[4];

static void *work(void *arg) {
    long i = (long) arg;
    tids[i] = (pid_t) syscall(SYS_gettid);
    mine += i;
    for (int k = 0; k < 50000; k++) {
        atomic_fetch_add(&counter, 1);
        pthread_mutex_lock(&m);
        locked++;
        pthread_mutex_unlock(&m);
    }
    pthread_mutex_lock(&m);
    while (!ready) {
        pthread_cond_wait(&c, &m);
    }
    pthread_mutex_unlock(&m);
    return (void *) (mine * 10);
}

static void *detached(void *arg) {
    atomic_fetch_add(&counter, 1000000);
    return arg;
}

int main(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) {
        if (pthread_create(&t[i], NULL, work, (void *) i) != 0) {
            puts("pthread_create failed");
            return 1;
        }
    }
    usleep(20000);
    pthread_mutex_lock(&m);
    ready = 1;
    pthread_cond_broadcast(&c);
    pthread_mutex_unlock(&m);
    long results = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        results += (long) r;
    }
    int distinct = 1;
    for (int i = 0; i < 4; i++) {
        distinct &= tids[i] != getpid();
        for (int j = 0; j < i; j++) {
            distinct &= tids[i] != tids[j];
        }
    }
    pthread_t d;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&d, &attr, detached, NULL);
    while (atomic_load(&counter) < 1000000) {
        usleep(1000);
    }
    printf("counter %ld locked %ld results %ld main tls %ld distinct tids %d\n", (long) atomic_load(&counter),
           locked, results, mine, distinct);
    return 0;
}
