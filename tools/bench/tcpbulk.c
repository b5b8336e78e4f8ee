/*
 * Benchmark (n1): loopback TCP throughput. The process listens on 127.0.0.1 (a port the kernel
 * picks), forks a sender that connects and writes 1 GiB in 128 KiB writes, and reads it all in
 * 128 KiB reads until the sender closes. Prints MB/s (10^6 bytes a second) from accept to end of
 * stream, measured inside the program.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOTAL (1L << 30)
#define CHUNK (128 * 1024)

static char buf[CHUNK];

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void fail(const char *what) {
    perror(what);
    exit(1);
}

/* The child: connects to port and writes TOTAL bytes. */
static void send_all(unsigned short port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s < 0 || connect(s, (struct sockaddr *) &a, sizeof a) < 0) {
        fail("tcpbulk: connect");
    }
    memset(buf, 'x', sizeof buf);
    for (long left = TOTAL; left > 0;) {
        ssize_t n = write(s, buf, left < CHUNK ? left : CHUNK);
        if (n <= 0) {
            fail("tcpbulk: write");
        }
        left -= n;
    }
    close(s);
    _exit(0);
}

int main(void) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (l < 0 || bind(l, (struct sockaddr *) &a, sizeof a) < 0 || listen(l, 1) < 0
            || getsockname(l, (struct sockaddr *) &a, &len) < 0) {
        fail("tcpbulk: listen");
    }
    pid_t child = fork();
    if (child < 0) {
        fail("tcpbulk: fork");
    }
    if (child == 0) {
        close(l);
        send_all(ntohs(a.sin_port));
    }
    int c = accept(l, NULL, NULL);
    if (c < 0) {
        fail("tcpbulk: accept");
    }
    long start = now_ns();
    long got = 0;
    ssize_t n;
    while ((n = read(c, buf, sizeof buf)) > 0) {
        got += n;
    }
    long elapsed = now_ns() - start;
    if (n < 0) {
        fail("tcpbulk: read");
    }
    int status;
    if (waitpid(child, &status, 0) != child || status != 0 || got != TOTAL) {
        fprintf(stderr, "tcpbulk: received %ld of %ld bytes\n", got, TOTAL);
        return 1;
    }
    printf("%.0f\n", TOTAL / (elapsed / 1e9) / 1e6);
    return 0;
}
