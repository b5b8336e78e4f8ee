/* Threads and signals that meet a thread computing without syscalls: it must be preempted. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int flag;
static volatile long ticks[2];
static long counter;

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void *set_flag_later(void *arg) {
    (void) arg;
    usleep(100000);
    flag = 1;
    return NULL;
}

static void *spin_on_flag(void *arg) {
    (void) arg;
    while (!flag) {
    }
    return NULL;
}

/* Each of two threads waits, computing, until the other has made progress too. */
static void *tick(void *arg) {
    int me = (int) (long) arg;
    for (long i = 0; i < 2000000; i++) {
        ticks[me]++;
    }
    while (ticks[1 - me] < 2000000) {
        ticks[me]++;
    }
    return NULL;
}

static void *add(void *arg) {
    (void) arg;
    for (int i = 0; i < 2000000; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

static volatile long handled_at;

static void on_alarm(int sig) {
    (void) sig;
    handled_at = now_ms();
    flag = 1;
}

int main(void) {
    pthread_t t[4];

    /* A thread spins on a flag the main thread sets after a sleep. */
    flag = 0;
    pthread_create(&t[0], NULL, spin_on_flag, NULL);
    usleep(100000);
    flag = 1;
    pthread_join(t[0], NULL);
    printf("spinning thread saw the flag\n");

    /* The main thread spins on a flag another thread sets. */
    flag = 0;
    pthread_create(&t[0], NULL, set_flag_later, NULL);
    while (!flag) {
    }
    pthread_join(t[0], NULL);
    printf("spinning main thread saw the flag\n");

    /* Two computing threads that need each other's progress. */
    pthread_create(&t[0], NULL, tick, (void *) 0L);
    pthread_create(&t[1], NULL, tick, (void *) 1L);
    pthread_join(t[0], NULL);
    pthread_join(t[1], NULL);
    printf("both computing threads progressed\n");

    /* LOCK-prefixed adds from preempted threads stay atomic. */
    for (int i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, add, NULL);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    printf("atomic counter %ld\n", counter);

    /* One thread spins; SIGALRM's handler sets the flag, within 50 ms of the alarm (the best of
       three tries, so that a busy host's scheduling does not decide it). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    long best = -1;
    for (int try = 0; try < 3; try++) {
        flag = 0;
        struct itimerval it = {{0, 0}, {0, 100000}};
        long armed = now_ms();
        setitimer(ITIMER_REAL, &it, NULL);
        while (!flag) {
        }
        long late = handled_at - (armed + 100);
        if (best < 0 || late < best) {
            best = late;
        }
    }
    printf("alarm handled in a spinning thread %s\n", best < 50 ? "within 50 ms" : "late");
    return 0;
}
