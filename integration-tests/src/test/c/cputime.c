/*
 * CPU-time clocks and timers: CLOCK_PROCESS_CPUTIME_ID (ended threads included), CLOCK_THREAD_CPUTIME_ID,
 * the clocks of clock_getcpuclockid and pthread_getcpuclockid and their PROF/VIRT/SCHED encodings
 * (gettime, getres, nanosleep), times, getrusage and SIGCHLD's times, ITIMER_VIRTUAL and ITIMER_PROF.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
/* include/linux/posix-timers.h: ~pid << 3 | per-thread << 2 | which (PROF 0, VIRT 1, SCHED 2, CLOCKFD 3). */
#define CPUCLOCK(pid, thread, which) ((clockid_t) ((~(unsigned) (pid) << 3) | ((thread) ? 4 : 0) | (which)))

static long long read_clock(clockid_t c) {
    struct timespec ts;
    if (syscall(SYS_clock_gettime, c, &ts) != 0) {
        return -errno;
    }
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static volatile long child_ticks = -1;

static void on_child(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    child_ticks = si->si_utime + si->si_stime;
}

/* Computes until the clock has advanced by ns; calls into the kernel as it goes. */
static void burn(clockid_t c, long long ns) {
    long long end = read_clock(c) + ns;
    volatile long x = 0;
    while (read_clock(c) < end) {
        for (int i = 0; i < 20000; i++) {
            x++;
        }
    }
}

static void show_res(const char *name, clockid_t c) {
    struct timespec ts;
    if (syscall(SYS_clock_getres, c, &ts) != 0) {
        printf("getres %-22s = -1 %s\n", name, strerror(errno));
    } else {
        printf("getres %-22s = %ld.%09ld\n", name, (long) ts.tv_sec, ts.tv_nsec);
    }
    long long v = read_clock(c);
    printf("gettime %-21s = %s\n", name, v < 0 ? strerror((int) -v) : "ok");
}

static atomic_int stop_spinning;
static atomic_int spinner_started;

static void *spinner(void *arg) {
    (void) arg;
    volatile long x = 0;
    spinner_started = 1;
    while (!stop_spinning) {
        for (int i = 0; i < 20000; i++) {
            x++;
        }
        syscall(SYS_getppid);
    }
    return NULL;
}

static void *burner(void *arg) {
    (void) arg;
    burn(CLOCK_THREAD_CPUTIME_ID, 60 * MS);
    return NULL;
}

static volatile sig_atomic_t vtalrms, profs;

static void on_timer(int sig) {
    if (sig == SIGVTALRM) {
        vtalrms++;
    } else {
        profs++;
    }
}

static void show_itimer(const char *what, int r, struct itimerval *v, long long max_ms) {
    long long value = v->it_value.tv_sec * 1000000LL + v->it_value.tv_usec;
    long long interval = v->it_interval.tv_sec * 1000000LL + v->it_interval.tv_usec;
    printf("%s: %d, value in (0, %lld ms]: %d, interval %lld us\n", what, r, max_ms,
            value > 0 && value <= max_ms * 1000, interval);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    show_res("PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID);
    show_res("THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID);
    clockid_t mine;
    clock_getcpuclockid(0, &mine);
    show_res("getcpuclockid(0)", mine);
    pthread_getcpuclockid(pthread_self(), &mine);
    show_res("pthread_getcpuclockid", mine);
    show_res("process PROF", CPUCLOCK(0, 0, 0));
    show_res("process VIRT", CPUCLOCK(0, 0, 1));
    show_res("process CLOCKFD", CPUCLOCK(0, 0, 3));
    show_res("thread VIRT", CPUCLOCK(0, 1, 1));
    show_res("own pid", CPUCLOCK(getpid(), 0, 2));
    show_res("own tid as thread", CPUCLOCK(syscall(SYS_gettid), 1, 2));
    show_res("no such process", CPUCLOCK(999999, 0, 2));
    show_res("no such thread", CPUCLOCK(999999, 1, 2));
    show_res("CLOCK 12345", 12345);

    burn(CLOCK_THREAD_CPUTIME_ID, 50 * MS);
    long long thread = read_clock(CLOCK_THREAD_CPUTIME_ID);
    long long process = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    printf("thread clock >= 50 ms %d, process clock >= thread clock %d, VIRT <= PROF %d\n", thread >= 50 * MS,
            process >= thread, read_clock(CPUCLOCK(0, 0, 1)) <= read_clock(CPUCLOCK(0, 0, 0)));

    /* A thread that ends: its time stays in the process's. */
    pthread_t t;
    pthread_create(&t, NULL, burner, NULL);
    pthread_join(t, NULL);
    long long after = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    printf("ended thread's 60 ms counted %d\n", after - process >= 60 * MS);

    /* Another thread's clock: read it, sleep on it. Sleeping on one's own thread clock is EINVAL. */
    pthread_create(&t, NULL, spinner, NULL);
    while (!spinner_started) {
        sched_yield();
    }
    clockid_t theirs;
    pthread_getcpuclockid(t, &theirs);
    struct timespec ts = {0, 20 * MS};
    long long before = read_clock(theirs);
    long r = syscall(SYS_clock_nanosleep, theirs, 0, &ts, NULL);
    printf("nanosleep 20 ms on the spinner's clock = %ld, it advanced 20 ms %d\n", r,
            read_clock(theirs) - before >= 20 * MS);
    before = read_clock(CLOCK_PROCESS_CPUTIME_ID);
    r = syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &ts, NULL);
    printf("nanosleep 20 ms on the process clock = %ld, it advanced 20 ms %d\n", r,
            read_clock(CLOCK_PROCESS_CPUTIME_ID) - before >= 20 * MS);
    long long abs = read_clock(theirs) + 20 * MS;
    struct timespec until = {abs / 1000000000LL, abs % 1000000000LL};
    r = syscall(SYS_clock_nanosleep, theirs, TIMER_ABSTIME, &until, NULL);
    printf("nanosleep until +20 ms on the spinner's clock = %ld, reached %d\n", r, read_clock(theirs) >= abs);
    r = syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL);
    printf("nanosleep on THREAD_CPUTIME_ID = %ld errno %d\n", r, r ? errno : 0);
    r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_COARSE, 0, &ts, NULL);
    printf("nanosleep on MONOTONIC_COARSE = %ld errno %d\n", r, r ? errno : 0);
    pthread_getcpuclockid(pthread_self(), &mine);
    r = syscall(SYS_clock_nanosleep, mine, 0, &ts, NULL);
    printf("nanosleep on its own thread clock = %ld %s\n", r, r ? strerror(errno) : "");
    stop_spinning = 1;
    pthread_join(t, NULL);

    /* times and getrusage count the whole process, and the children waited for; SIGCHLD tells the child's. */
    struct sigaction chld = {.sa_sigaction = on_child, .sa_flags = SA_SIGINFO};
    sigaction(SIGCHLD, &chld, NULL);
    pid_t child = fork();
    if (child == 0) {
        burn(CLOCK_PROCESS_CPUTIME_ID, 50 * MS);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    signal(SIGCHLD, SIG_DFL);
    struct tms tm;
    times(&tm);
    printf("times: self >= 16 ticks %d, children >= 4 ticks %d\n", tm.tms_utime + tm.tms_stime >= 16,
            tm.tms_cutime + tm.tms_cstime >= 4);
    /* Linux counts these by ticks, times by the scheduler's clock: they need not agree exactly. */
    printf("SIGCHLD's si_utime + si_stime >= 2 ticks %d\n", child_ticks >= 2);
    struct rusage self, me;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_THREAD, &me);
    printf("rusage self >= thread %d\n", self.ru_utime.tv_sec * 1000000 + self.ru_utime.tv_usec + self.ru_stime.tv_sec
            * 1000000 + self.ru_stime.tv_usec >= me.ru_utime.tv_sec * 1000000 + me.ru_utime.tv_usec
            + me.ru_stime.tv_sec * 1000000 + me.ru_stime.tv_usec);

    /* ITIMER_VIRTUAL once, ITIMER_PROF every 10 ms. */
    signal(SIGVTALRM, on_timer);
    signal(SIGPROF, on_timer);
    struct itimerval set = {{0, 0}, {0, 30000}}, old, now;
    int ir = setitimer(ITIMER_VIRTUAL, &set, &old);
    printf("setitimer VIRTUAL 30 ms: %d, old value %ld.%06ld\n", ir, (long) old.it_value.tv_sec,
            (long) old.it_value.tv_usec);
    ir = getitimer(ITIMER_VIRTUAL, &now);
    show_itimer("getitimer VIRTUAL", ir, &now, 34);
    for (int i = 0; i < 2000 && !vtalrms; i++) {
        burn(CLOCK_THREAD_CPUTIME_ID, 1 * MS);
    }
    getitimer(ITIMER_VIRTUAL, &now);
    printf("SIGVTALRM %d, then disarmed %d\n", vtalrms, now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0);
    struct itimerval every = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_PROF, &every, NULL);
    ir = getitimer(ITIMER_PROF, &now);
    show_itimer("getitimer PROF", ir, &now, 14);
    for (int i = 0; i < 2000 && profs < 3; i++) {
        burn(CLOCK_THREAD_CPUTIME_ID, 1 * MS);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, &old);
    printf("SIGPROF at least 3 times %d, interval was %ld us\n", profs >= 3, (long) old.it_interval.tv_usec);
    setitimer(ITIMER_PROF, &every, NULL);
    child = fork();
    if (child == 0) {
        getitimer(ITIMER_PROF, &now);
        printf("fork child's ITIMER_PROF %ld.%06ld\n", (long) now.it_value.tv_sec, (long) now.it_value.tv_usec);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    setitimer(ITIMER_PROF, &off, NULL);
    ir = setitimer(3, &set, NULL);
    printf("setitimer(3) = %d %s\n", ir, strerror(errno));
    ir = getitimer(3, &now);
    printf("getitimer(3) = %d %s\n", ir, strerror(errno));
    return 0;
}
