/*
 * Reads and writes of a non-blocking pipe whose buffer lies in two mappings (two VMAs): one call on
 * Linux, whose count is what moved. Each count is checked against the bytes that crossed the pipe
 * (CPython's test_io test_nonblock_pipe_write_smallbuf: writes of 9999, 73 and 7574 bytes until
 * EAGAIN, then a drain, lost or doubled none).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

/* Four pages whose second half is a mapping of its own (shared, so never merged with the first). */
static char *twoMappings(void) {
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED
            || mmap(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
                    == MAP_FAILED) {
        perror("mmap");
        _exit(1);
    }
    return p;
}

static void nonblocking(int p[2]) {
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
}

static void onAlarm(int sig) {
    (void) sig;
}

/* The pattern of CPython's test: every byte counted as written comes out, in order, once. */
static void pattern(char *mem) {
    static char sent[1 << 20], received[1 << 20];
    size_t nsent = 0, nreceived = 0;
    int p[2];
    pipe(p);
    nonblocking(p);
    /* The buffers cross the boundary of the two mappings at different points each time. */
    const int sizes[] = {9999, 73, 7574};
    int rounds = 0;
    for (int k = 0; k < 3; k++) {
        for (int i = 0;; i++) {
            char *msg = mem + 2 * PAGE - 1 - (i * 37) % sizes[k] % (2 * PAGE - 1);
            if (msg + sizes[k] > mem + 4 * PAGE) {
                msg = mem + 4 * PAGE - sizes[k];
            }
            memset(msg, 'a' + i % 26, sizes[k]);
            ssize_t n = write(p[1], msg, sizes[k]);
            if (n < 0) {
                if (errno != EAGAIN) {
                    show("pattern write", n);
                }
                break;
            }
            memcpy(sent + nsent, msg, n);
            nsent += n;
        }
        for (;;) {
            char *into = mem + PAGE + (rounds * 511) % PAGE;
            ssize_t n = read(p[0], into, 2 * PAGE);
            if (n < 0) {
                if (errno != EAGAIN) {
                    show("pattern read", n);
                }
                break;
            }
            memcpy(received + nreceived, into, n);
            nreceived += n;
            rounds++;
        }
        memcpy(sent + nsent, "BLOCKED", 7);
        nsent += 7;
        show("pattern BLOCKED", write(p[1], "BLOCKED", 7));
    }
    ssize_t n;
    while ((n = read(p[0], received + nreceived, sizeof received - nreceived)) > 0) {
        nreceived += n;
    }
    printf("pattern: %s\n", nsent == nreceived && memcmp(sent, received, nsent) == 0 ? "every byte once, in order"
                                                                                     : "bytes lost or doubled");
    if (nsent != nreceived) {
        printf("pattern: %zu counted as written, %zu read\n", nsent, nreceived);
    }
    close(p[0]);
    close(p[1]);
}

int main(void) {
    char *mem = twoMappings();
    int p[2];

    /* A one-page pipe that the first mapping's page fills: the write returns that page, not EAGAIN. */
    pipe(p);
    nonblocking(p);
    show("F_SETPIPE_SZ", fcntl(p[1], F_SETPIPE_SZ, PAGE));
    memset(mem + PAGE, 'x', 2 * PAGE);
    show("write filling the pipe with the first mapping's bytes", write(p[1], mem + PAGE, 2 * PAGE));
    show("write to the full pipe", write(p[1], mem + PAGE, 2 * PAGE));
    show("read them back", read(p[0], mem, 2 * PAGE));
    show("read the empty pipe", read(p[0], mem, 2 * PAGE));

    /* A PIPE_BUF write goes in whole or not at all, wherever its bytes lie. */
    memset(mem, 'y', 4000);
    show("write 4000 bytes", write(p[1], mem, 4000));
    show("write 200 bytes across the mappings to a pipe with 96 free", write(p[1], mem + 2 * PAGE - 50, 200));
    struct iovec two[2] = {{mem, 50}, {mem + 100, 150}};
    show("writev of 50 and 150 bytes to it", writev(p[1], two, 2));
    show("read", read(p[0], mem, 2 * PAGE));
    show("read the empty pipe", read(p[0], mem, 2 * PAGE));
    close(p[0]);
    close(p[1]);

    /* A read across the mappings takes what is there: no EAGAIN, no wait for the rest. */
    pipe(p);
    nonblocking(p);
    memset(mem, 'z', PAGE);
    show("write a page", write(p[1], mem, PAGE));
    show("non-blocking read of two pages across the mappings", read(p[0], mem + PAGE, 2 * PAGE));
    show("write a page", write(p[1], mem, PAGE));
    fcntl(p[0], F_SETFL, 0);
    struct sigaction sa = {0};
    sa.sa_handler = onAlarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(10);
    show("blocking read of two pages across the mappings", read(p[0], mem + PAGE, 2 * PAGE));
    alarm(0);
    close(p[0]);
    close(p[1]);

    pattern(mem);
    return 0;
}
