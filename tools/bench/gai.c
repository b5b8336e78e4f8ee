/*
 * Benchmark (n3): name lookups. Resolves NAME (default "localhost", which /etc/hosts holds) with
 * getaddrinfo COUNT times (default 1,000) in one process, as a program connecting by name does
 * (AF_UNSPEC, SOCK_STREAM, AI_ADDRCONFIG), after one lookup that loads what the resolver needs.
 * Prints the microseconds per lookup, measured inside the program; with BLOCK, also those of each
 * BLOCK lookups in turn, on stderr (how a run warms up).
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int lookup(const char *name) {
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    int r = getaddrinfo(name, "80", &hints, &res);
    if (r != 0) {
        fprintf(stderr, "gai: %s: %s\n", name, gai_strerror(r));
        return -1;
    }
    freeaddrinfo(res);
    return 0;
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "localhost";
    long count = argc > 2 ? atol(argv[2]) : 1000;
    long block = argc > 3 ? atol(argv[3]) : 0;
    if (lookup(name) < 0) {
        return 1;
    }
    long start = now_ns();
    long blockStart = start;
    for (long i = 0; i < count; i++) {
        if (lookup(name) < 0) {
            return 1;
        }
        if (block > 0 && (i + 1) % block == 0) {
            long now = now_ns();
            fprintf(stderr, "%.0f%s", (now - blockStart) / 1e3 / block, i + 1 + block <= count ? " " : "\n");
            blockStart = now;
        }
    }
    printf("%.1f\n", (now_ns() - start) / 1e3 / count);
    return 0;
}
