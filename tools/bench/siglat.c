/*
 * Benchmark (l): latency of a signal to a process that computes without syscalls. A child spins;
 * its parent sends SIGUSR1 1,000 times and waits for the handler's mark each time. Prints the
 * median and the worst latency in microseconds, from kill(2) to the handler's first instruction.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 1000

struct shared {
    volatile long handled;
    volatile long at_ns;
    volatile int ready;
};
static struct shared *sh;

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void on_usr1(int sig) {
    (void) sig;
    sh->at_ns = now_ns();
    sh->handled++;
}

static int by_value(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

int main(void) {
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    signal(SIGUSR1, on_usr1);
    pid_t child = fork();
    if (child == 0) {
        sh->ready = 1;
        for (;;) {
        }
    }
    while (!sh->ready) {
        usleep(1000);
    }
    usleep(20000);
    static long lat[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        long before = sh->handled;
        long sent = now_ns();
        kill(child, SIGUSR1);
        while (sh->handled == before) {
            sched_yield();
        }
        lat[i] = sh->at_ns - sent;
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    qsort(lat, ROUNDS, sizeof lat[0], by_value);
    printf("%.1f %.1f\n", lat[ROUNDS / 2] / 1e3, lat[ROUNDS - 1] / 1e3);
    return 0;
}
