/* nanosleep(2) and clock_nanosleep(2) interrupted by signals: EINTR with the time left in rem for a
 * handled signal (with or without SA_RESTART: nanosleep is never restarted, man 7 signal), no rem
 * for TIMER_ABSTIME, no interruption by an ignored or blocked signal, and the whole sleep after a
 * stop and continue. Times are printed as ranges so that runs compare. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void handler(int sig) {
    (void) sig;
    caught++;
}

static void on(int sig, int flags, void (*h)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void alarm_in_ms(long ms) {
    struct itimerval it = {{0, 0}, {ms / 1000, ms % 1000 * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void rem_range(const struct timespec *rem, double lo, double hi) {
    double r = rem->tv_sec + rem->tv_nsec / 1e9;
    printf("  rem %s [%.1f, %.1f]\n", r >= lo && r <= hi ? "in" : "NOT in", lo, hi);
}

static void elapsed(double start, double lo, double hi) {
    double e = now() - start;
    printf("  elapsed %s [%.1f, %.1f]\n", e >= lo && e <= hi ? "in" : "NOT in", lo, hi);
}

static void *kicker(void *arg) {
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, NULL);
    pthread_kill(*(pthread_t *) arg, SIGUSR1);
    return NULL;
}

int main(void) {
    struct timespec req = {2, 0}, rem;
    double t0;
    int r;

    on(SIGALRM, 0, handler);
    alarm_in_ms(100);
    t0 = now();
    r = nanosleep(&req, &rem);
    printf("nanosleep, handler: %d %s caught=%d\n", r, r ? strerror(errno) : "", caught);
    rem_range(&rem, 1.0, 1.95);
    elapsed(t0, 0.05, 1.0);

    on(SIGALRM, SA_RESTART, handler);
    alarm_in_ms(100);
    r = nanosleep(&req, &rem);
    printf("nanosleep, SA_RESTART handler: %d %s caught=%d\n", r, r ? strerror(errno) : "", caught);
    rem_range(&rem, 1.0, 1.95);

    alarm_in_ms(100);
    r = nanosleep(&req, NULL);
    printf("nanosleep, NULL rem: %d %s caught=%d\n", r, r ? strerror(errno) : "", caught);

    on(SIGALRM, 0, handler);
    alarm_in_ms(100);
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
    printf("clock_nanosleep relative: %s caught=%d\n", r ? strerror(r) : "0", caught);
    rem_range(&rem, 1.0, 1.95);

    alarm_in_ms(100);
    r = clock_nanosleep(CLOCK_REALTIME, 0, &req, &rem);
    printf("clock_nanosleep REALTIME relative: %s caught=%d\n", r ? strerror(r) : "0", caught);
    rem_range(&rem, 1.0, 1.95);

    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_sec += 2;
    rem.tv_sec = 77;
    rem.tv_nsec = 7;
    alarm_in_ms(100);
    t0 = now();
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
    printf("clock_nanosleep TIMER_ABSTIME: %s caught=%d rem untouched=%d\n", r ? strerror(r) : "0", caught,
           rem.tv_sec == 77 && rem.tv_nsec == 7);
    elapsed(t0, 0.05, 1.0);

    /* SA_RESTART with TIMER_ABSTIME: still EINTR (ERESTARTNOHAND restarts only when no handler runs). */
    on(SIGALRM, SA_RESTART, handler);
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_sec += 2;
    alarm_in_ms(100);
    t0 = now();
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    printf("clock_nanosleep TIMER_ABSTIME SA_RESTART: %s caught=%d\n", r ? strerror(r) : "0", caught);
    elapsed(t0, 0.05, 1.0);

    /* SA_RESTART with a relative clock_nanosleep: EINTR as nanosleep's. */
    alarm_in_ms(100);
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
    printf("clock_nanosleep relative SA_RESTART: %s caught=%d\n", r ? strerror(r) : "0", caught);

    /* An ignored signal and a blocked one do not interrupt. */
    struct timespec shortreq = {0, 300000000};
    on(SIGALRM, 0, SIG_IGN);
    alarm_in_ms(100);
    t0 = now();
    r = nanosleep(&shortreq, &rem);
    printf("nanosleep, ignored signal: %d\n", r);
    elapsed(t0, 0.25, 1.5);

    on(SIGALRM, 0, handler);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGALRM);
    sigprocmask(SIG_BLOCK, &set, &old);
    alarm_in_ms(100);
    t0 = now();
    r = nanosleep(&shortreq, &rem);
    printf("nanosleep, blocked signal: %d caught=%d\n", r, caught);
    elapsed(t0, 0.25, 1.5);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("after unblocking caught=%d\n", caught);

    /* A signal sent to this thread by another thread. */
    on(SIGUSR1, 0, handler);
    pthread_t self = pthread_self(), th;
    pthread_create(&th, NULL, kicker, &self);
    r = nanosleep(&req, &rem);
    printf("nanosleep, pthread_kill: %d %s caught=%d\n", r, r ? strerror(errno) : "", caught);
    rem_range(&rem, 1.0, 1.95);
    pthread_join(th, NULL);

    /* A child stopped and continued, with no handler: its sleep goes on to its end (restart_syscall). */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct timespec half = {0, 600000000};
        t0 = now();
        r = nanosleep(&half, &rem);
        printf("nanosleep, stopped and continued: %d\n", r);
        elapsed(t0, 0.55, 2.0);
        r = clock_nanosleep(CLOCK_MONOTONIC, 0, &half, &rem);
        printf("clock_nanosleep, stopped and continued: %d\n", r);
        elapsed(t0, 1.1, 4.0);
        fflush(stdout);
        _exit(0);
    }
    struct timespec tenth = {0, 100000000};
    for (int i = 0; i < 2; i++) {
        nanosleep(&tenth, NULL);
        kill(child, SIGSTOP);
        nanosleep(&tenth, NULL);
        kill(child, SIGCONT);
        nanosleep(&tenth, NULL);
        nanosleep(&tenth, NULL);
        nanosleep(&tenth, NULL);
        nanosleep(&tenth, NULL);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
    fflush(stdout);

    /* Bad arguments. */
    struct timespec bad = {0, 1000000000};
    r = nanosleep(&bad, NULL);
    printf("nanosleep nsec 1e9: %d %s\n", r, strerror(errno));
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL);
    printf("clock_nanosleep nsec 1e9: %s\n", strerror(r));
    return 0;
}
