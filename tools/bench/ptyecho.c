/*
 * Benchmarks (t) and (t2): a pseudo-terminal. (t) keystroke echo in raw mode: a child puts the
 * slave in raw mode and writes back each byte it reads; the parent writes one byte to the master and
 * waits for it to come back, ROUNDS times: microseconds per byte, after WARMUP rounds. (t2) with the
 * argument "flood": a child writes 100 MiB to the slave (raw, as `cat` of a file to a terminal whose
 * output is not translated) while the parent drains the master: MiB/s.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define WARMUP 200
#define ROUNDS 5000
#define FLOOD (100L << 20)

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

int main(int argc, char **argv) {
    int flood = argc > 1 && strcmp(argv[1], "flood") == 0;
    int m, s;
    if (openpty(&m, &s, NULL, NULL, NULL) != 0) {
        perror("ptyecho: openpty");
        return 1;
    }
    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    pid_t c = fork();
    if (c == 0) {
        close(m);
        static char buf[65536];
        if (flood) {
            memset(buf, 'x', sizeof buf);
            for (long done = 0; done < FLOOD; done += sizeof buf) {
                if (write(s, buf, sizeof buf) != (ssize_t) sizeof buf) {
                    perror("ptyecho: write");
                    _exit(1);
                }
            }
            _exit(0);
        }
        for (;;) {
            ssize_t n = read(s, buf, sizeof buf);
            if (n <= 0 || write(s, buf, n) != n) {
                _exit(0);
            }
        }
    }
    close(s);
    static char buf[65536];
    if (flood) {
        long start = now_ns(), got = 0;
        while (got < FLOOD) {
            ssize_t n = read(m, buf, sizeof buf);
            if (n <= 0) {
                break;
            }
            got += n;
        }
        double secs = (now_ns() - start) / 1e9;
        printf("%.1f\n", got / 1048576.0 / secs);
    } else {
        long start = 0;
        for (int i = 0; i < WARMUP + ROUNDS; i++) {
            if (i == WARMUP) {
                start = now_ns();
            }
            char b = 'a' + i % 26;
            if (write(m, &b, 1) != 1 || read(m, &b, 1) != 1) {
                perror("ptyecho: round");
                return 1;
            }
        }
        printf("%.1f\n", (now_ns() - start) / 1e3 / ROUNDS);
    }
    close(m);
    waitpid(c, NULL, 0);
    return 0;
}
