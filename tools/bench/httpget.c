/*
 * Benchmark (n2): sequential HTTP requests. GETs / from 127.0.0.1:PORT COUNT times (default 10,000),
 * one connection each (connect, send the request, read the response to the server's close), and
 * checks each answer is a 200. Prints requests per second, measured inside the program; with BLOCK,
 * also the microseconds per request of each BLOCK requests in turn, on stderr (how a run warms up).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char REQUEST[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: httpget\r\nAccept: */*\r\n"
                              "Connection: close\r\n\r\n";

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* One request: 0, or -1 after saying what failed. */
static int get(const struct sockaddr_in *a) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (const struct sockaddr *) a, sizeof *a) < 0) {
        perror("httpget: connect");
        return -1;
    }
    if (write(s, REQUEST, sizeof REQUEST - 1) != sizeof REQUEST - 1) {
        perror("httpget: write");
        return -1;
    }
    char resp[4096];
    size_t have = 0;
    ssize_t n = 0;
    while (have < sizeof resp - 1 && (n = read(s, resp + have, sizeof resp - 1 - have)) > 0) {
        have += n;
    }
    close(s);
    if (n < 0) {
        perror("httpget: read");
        return -1;
    }
    resp[have] = 0;
    if (strncmp(resp, "HTTP/1.1 200 ", 13) != 0 || !strstr(resp, "\r\n\r\n")) {
        fprintf(stderr, "httpget: unexpected response: %.40s\n", resp);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: httpget PORT [COUNT [BLOCK]]\n");
        return 2;
    }
    long count = argc > 2 ? atol(argv[2]) : 10000;
    long block = argc > 3 ? atol(argv[3]) : 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    long start = now_ns();
    long blockStart = start;
    for (long i = 0; i < count; i++) {
        if (get(&a) < 0) {
            return 1;
        }
        if (block > 0 && (i + 1) % block == 0) {
            long now = now_ns();
            fprintf(stderr, "%.0f%s", (now - blockStart) / 1e3 / block, i + 1 + block <= count ? " " : "\n");
            blockStart = now;
        }
    }
    printf("%.0f\n", count / ((now_ns() - start) / 1e9));
    return 0;
}
