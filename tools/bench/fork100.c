/* Benchmark (k): the time of fork + _exit + waitpid while the parent has 100 MiB of touched memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    size_t size = 100 << 20;
    char *p = malloc(size);
    memset(p, 7, size);
    struct timespec a, b;
    int n = 20;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c == 0) _exit(p[i * 4096] == 7 ? 0 : 1);
        int st; waitpid(c, &st, 0);
        if (st != 0) return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.3f\n", ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6) / n);
    return 0;
}
