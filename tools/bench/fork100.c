/*
 * Benchmark (k), fork with 100 MiB of touched memory.
 *   fork100          the time of fork + _exit + waitpid: prints ms per fork
 *   fork100 hold N   forks N children that stay alive; prints "ready" once all run, and ends them
 *                    when stdin closes (the benchmark reads the memory the process tree holds meanwhile)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static int hold(char *p, int n) {
    int ready[2], release[2];
    if (pipe(ready) || pipe(release)) return 1;
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c < 0) return 1;
        if (c == 0) {
            char b;
            close(release[1]);
            if (write(ready[1], "x", 1) != 1) _exit(1);
            while (read(release[0], &b, 1) > 0) {}
            _exit(p[i * 4096] == 7 ? 0 : 1);
        }
    }
    char b;
    for (int i = 0; i < n; i++) if (read(ready[0], &b, 1) != 1) return 1;
    printf("ready\n");
    fflush(stdout);
    while (read(0, &b, 1) > 0) {}
    close(release[1]);
    for (int i = 0; i < n; i++) {
        int st;
        if (wait(&st) < 0 || st != 0) return 1;
    }
    return 0;
}
int main(int argc, char **argv) {
    size_t size = 100 << 20;
    char *p = malloc(size);
    memset(p, 7, size);
    if (argc == 3 && strcmp(argv[1], "hold") == 0) return hold(p, atoi(argv[2]));
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
