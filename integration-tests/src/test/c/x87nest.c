/* x87 and SSE state across nested signal handlers: a SA_NODEFER handler that computes with long
 * double (x87) and double (SSE) raises its own signal again, 50 deep; every level's values and the
 * interrupted code's must come back intact from each frame's saved FPU state. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile int depth;
static long double results[64];
static double sse[64];

static void handler(int sig) {
    int d = ++depth;
    volatile long double x = 1.0L + d / 3.0L;
    volatile double y = 1.0 + d / 7.0;
    long double acc = x * x + 0.5L;
    double sacc = y * y + 0.25;
    if (d < 50) raise(sig);
    /* After the nested handlers returned, this level's x87 stack and SSE values are still its own. */
    acc = acc * x - x / 3.0L;
    sacc = sacc * y - y / 5.0;
    results[d] = acc;
    sse[d] = sacc;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    volatile long double before = 3.14159265358979323846264338327950288L;
    long double keep = before * 2.0L;
    raise(SIGUSR1);
    keep = keep / 2.0L;
    printf("depth %d, main's value kept: %s\n", depth, keep == before ? "yes" : "no");
    for (int i = 1; i <= 50; i += 7) printf("level %2d: %.18Lg %.15g\n", i, results[i], sse[i]);
    long double sum = 0;
    double ssum = 0;
    for (int i = 1; i <= 50; i++) { sum += results[i]; ssum += sse[i]; }
    printf("sum %.18Lg %.15g\n", sum, ssum);

    /* Nested with a real x87 stack in use: a signal arrives in the middle of a long double loop. */
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    depth = 0;
    long double a = 0;
    for (int i = 1; i <= 200; i++) {
        a += 1.0L / i;
        if (i % 40 == 0) raise(SIGUSR2);
    }
    printf("harmonic 200 %.18Lg after %d signals\n", a, depth);
    return 0;
}
