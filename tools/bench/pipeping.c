/*
 * Benchmark (n4): poll wake-up latency. Two processes bounce one byte through two pipes; each waits
 * in poll(2) for its pipe to become readable before it reads. Prints the microseconds per round
 * trip, the mean over ROUNDS after WARMUP rounds.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 200
#define ROUNDS 5000

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Waits in poll for fd to be readable, then takes its byte. */
static void take(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char c;
    if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN) || read(fd, &c, 1) != 1) {
        perror("pipeping: take");
        exit(1);
    }
}

static void give(int fd) {
    if (write(fd, "x", 1) != 1) {
        perror("pipeping: give");
        exit(1);
    }
}

int main(void) {
    int ping[2], pong[2];
    if (pipe(ping) || pipe(pong)) {
        perror("pipeping: pipe");
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("pipeping: fork");
        return 1;
    }
    if (child == 0) {
        for (int i = 0; i < WARMUP + ROUNDS; i++) {
            take(ping[0]);
            give(pong[1]);
        }
        _exit(0);
    }
    long start = 0;
    for (int i = 0; i < WARMUP + ROUNDS; i++) {
        if (i == WARMUP) {
            start = now_ns();
        }
        give(ping[1]);
        take(pong[0]);
    }
    long elapsed = now_ns() - start;
    int status;
    if (waitpid(child, &status, 0) != child || status != 0) {
        fprintf(stderr, "pipeping: child failed\n");
        return 1;
    }
    printf("%.1f\n", elapsed / 1e3 / ROUNDS);
    return 0;
}
