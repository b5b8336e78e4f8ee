/*
 * POSIX timers: timer_create on each clock (REALTIME, MONOTONIC, BOOTTIME, TAI, the CPU-time clocks)
 * with SIGEV_SIGNAL (siginfo: SI_TIMER, si_timerid, si_overrun, si_value), SIGEV_NONE, SIGEV_THREAD_ID
 * and the C library's SIGEV_THREAD, a NULL sigevent; relative, absolute and periodic settings, old
 * values, overruns counted while the signal pends (and their DELAYTIMER_MAX cap), stale signals after
 * timer_settime and timer_delete, ids per process (fork, execve), errno for bad ids, clocks,
 * sigevents and addresses; rt_sigtimedwait's EAGAIN, EINVAL and EINTR. Output is deterministic: it
 * says whether an expiry came and whether counts are within bounds, never how long things took.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000L
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* The kernel's interface, so that ids and errors are the kernel's own, not the C library's. */
static long k_create(clockid_t c, struct sigevent *ev, int *id) {
    return syscall(SYS_timer_create, c, ev, id) == 0 ? 0 : -errno;
}
static long k_settime(int id, int flags, const struct itimerspec *v, struct itimerspec *old) {
    return syscall(SYS_timer_settime, id, flags, v, old) == 0 ? 0 : -errno;
}
static long k_gettime(int id, struct itimerspec *v) {
    return syscall(SYS_timer_gettime, id, v) == 0 ? 0 : -errno;
}
static long k_delete(int id) {
    return syscall(SYS_timer_delete, id) == 0 ? 0 : -errno;
}
static long k_overrun(int id) {
    long r = syscall(SYS_timer_getoverrun, id);
    return r >= 0 ? r : -errno;
}

static const char *err(long r) {
    static char buf[64];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    switch (-r) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EPERM: return "EPERM";
    default: snprintf(buf, sizeof buf, "errno %ld", -r); return buf;
    }
}

static struct itimerspec spec(long value_ns, long interval_ns) {
    struct itimerspec s = {{interval_ns / 1000000000L, interval_ns % 1000000000L},
                           {value_ns / 1000000000L, value_ns % 1000000000L}};
    return s;
}

static long ns(struct timespec t) {
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static struct sigevent signal_event(int sig, int value) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    ev.sigev_value.sival_int = value;
    return ev;
}

static sigset_t just(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    return s;
}

/* Waits up to ms for sig (blocked); 0 when none came. */
static int wait_for(int sig, siginfo_t *si, long ms) {
    sigset_t s = just(sig);
    struct timespec t = {ms / 1000, (ms % 1000) * MS};
    int r = sigtimedwait(&s, si, &t);
    return r < 0 ? 0 : r;
}

static void errors(void) {
    int id;
    struct sigevent ev = signal_event(SIGUSR1, 0);
    printf("create clock 99: %s\n", err(k_create(99, &ev, &id)));
    printf("create MONOTONIC_RAW: %s\n", err(k_create(CLOCK_MONOTONIC_RAW, &ev, &id)));
    printf("create REALTIME_COARSE: %s\n", err(k_create(CLOCK_REALTIME_COARSE, &ev, &id)));
    ev.sigev_notify = 99;
    printf("create notify 99: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, &id)));
    ev = signal_event(0, 0);
    printf("create signal 0: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, &id)));
    ev = signal_event(65, 0);
    printf("create signal 65: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, &id)));
    ev = signal_event(SIGUSR1, 0);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_notify_thread_id = getppid();
    printf("create thread id of another process: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, &id)));
    printf("create bad sigevent address: %s\n", err(k_create(CLOCK_MONOTONIC, (struct sigevent *) 8, &id)));
    ev = signal_event(SIGUSR1, 0);
    printf("create bad id address: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, (int *) 8)));
    struct itimerspec v = spec(0, 0);
    printf("settime bad id: %s\n", err(k_settime(123456, 0, &v, NULL)));
    printf("gettime bad id: %s\n", err(k_gettime(123456, &v)));
    printf("getoverrun bad id: %s\n", err(k_overrun(123456)));
    printf("delete bad id: %s\n", err(k_delete(123456)));
    printf("delete -1: %s\n", err(k_delete(-1)));
    if (k_create(CLOCK_MONOTONIC, &ev, &id) == 0) {
        printf("settime NULL: %s\n", err(k_settime(id, 0, NULL, NULL)));
        struct itimerspec bad = spec(0, 0);
        bad.it_value.tv_nsec = 1000000000L;
        printf("settime nsec 1e9: %s\n", err(k_settime(id, 0, &bad, NULL)));
        bad = spec(MS, 0);
        bad.it_interval.tv_sec = -1;
        printf("settime negative interval: %s\n", err(k_settime(id, 0, &bad, NULL)));
        printf("settime bad address: %s\n", err(k_settime(id, 0, (struct itimerspec *) 8, NULL)));
        printf("gettime bad address: %s\n", err(k_gettime(id, (struct itimerspec *) 8)));
        printf("settime unknown flags: %s\n", err(k_settime(id, 0x10, &v, NULL)));
        long first = k_delete(id);
        printf("delete: %s, ", err(first));
        printf("again: %s\n", err(k_delete(id)));
    }
}

/* Ids count up from 0 in a new process and are not reused at once; timers are not inherited. */
static void ids(int inherited) {
    pid_t pid = fork();
    if (pid == 0) {
        struct itimerspec v;
        printf("child: parent's timer: %s\n", err(k_gettime(inherited, &v)));
        struct sigevent ev = signal_event(SIGUSR1, 0);
        int a, b, c, d;
        k_create(CLOCK_MONOTONIC, &ev, &a);
        k_create(CLOCK_MONOTONIC, &ev, &b);
        k_create(CLOCK_MONOTONIC, &ev, &c);
        k_delete(b);
        k_create(CLOCK_MONOTONIC, &ev, &d);
        printf("child: ids %d %d %d, after deleting %d: %d\n", a, b, c, b, d);
        ev.sigev_notify = 99;
        printf("child: a bad sigevent: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, &a)));
        ev = signal_event(SIGUSR1, 0);
        k_create(CLOCK_MONOTONIC, &ev, &a);
        printf("child: next id %d\n", a);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static volatile sig_atomic_t handled;
static siginfo_t last;

static void on_signal(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    last = *si;
    handled++;
}

/* A one-shot timer on each clock, its signal taken by a handler. */
static void clocks(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    static const struct {
        clockid_t clock;
        const char *name;
    } all[] = {{CLOCK_REALTIME, "REALTIME"}, {CLOCK_MONOTONIC, "MONOTONIC"}, {CLOCK_BOOTTIME, "BOOTTIME"},
               {CLOCK_TAI, "TAI"}};
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) {
        struct sigevent ev = signal_event(SIGUSR1, 100 + i);
        int id;
        long r = k_create(all[i].clock, &ev, &id);
        if (r != 0) {
            printf("%s: create %s\n", all[i].name, err(r));
            continue;
        }
        handled = 0;
        struct itimerspec v = spec(10 * MS, 0);
        k_settime(id, 0, &v, NULL);
        struct itimerspec now;
        k_gettime(id, &now);
        int pending = now.it_value.tv_sec == 0 && now.it_value.tv_nsec > 0 && now.it_value.tv_nsec <= 10 * MS;
        for (int tries = 0; tries < 2000 && !handled; tries++) {
            usleep(2000);
        }
        k_gettime(id, &now);
        printf("%s: armed %d, signal %d code %s timerid ok %d value %d overrun %d, after: %ld.%09ld\n",
               all[i].name, pending, handled ? last.si_signo : 0, last.si_code == SI_TIMER ? "SI_TIMER" : "?",
               last.si_timerid == id, last.si_value.sival_int, last.si_overrun, (long) now.it_value.tv_sec,
               now.it_value.tv_nsec);
        k_delete(id);
    }
}

/* Absolute times, in the future and in the past. */
static void absolute(void) {
    sigset_t s = just(SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    clockid_t cs[] = {CLOCK_MONOTONIC, CLOCK_REALTIME};
    for (int i = 0; i < 2; i++) {
        struct sigevent ev = signal_event(SIGUSR2, 7);
        int id;
        k_create(cs[i], &ev, &id);
        struct timespec now;
        clock_gettime(cs[i], &now);
        struct itimerspec v = spec(ns(now) + 20 * MS, 0);
        k_settime(id, TIMER_ABSTIME, &v, NULL);
        struct itimerspec left;
        k_gettime(id, &left);
        siginfo_t si;
        int early = wait_for(SIGUSR2, &si, 0);
        int sig = wait_for(SIGUSR2, &si, 2000);
        printf("abstime %s: relative left ok %d, early %d, came %d value %d\n", i ? "REALTIME" : "MONOTONIC",
               left.it_value.tv_sec == 0 && left.it_value.tv_nsec > 0 && left.it_value.tv_nsec <= 20 * MS, early,
               sig, si.si_value.sival_int);
        v = spec(1, 0);
        k_settime(id, TIMER_ABSTIME, &v, NULL);
        printf("abstime in the past: came %d\n", wait_for(SIGUSR2, &si, 2000));
        k_delete(id);
    }
}

/* A periodic timer whose signal pends: one signal, its overruns, the rearm after it is taken. */
static void periodic(void) {
    struct sigevent ev = signal_event(SIGUSR2, 9);
    int id;
    k_create(CLOCK_MONOTONIC, &ev, &id);
    struct itimerspec v = spec(5 * MS, 5 * MS), old;
    k_settime(id, 0, &v, NULL);
    usleep(80 * 1000);
    struct itimerspec now;
    k_gettime(id, &now);
    printf("periodic pending: value in (0, 5ms] %d, interval %ld\n",
           now.it_value.tv_sec == 0 && now.it_value.tv_nsec > 0 && now.it_value.tv_nsec <= 5 * MS,
           now.it_interval.tv_nsec);
    printf("periodic getoverrun before: %s\n", err(k_overrun(id)));
    siginfo_t si;
    int sig = wait_for(SIGUSR2, &si, 2000);
    long overrun = k_overrun(id);
    printf("periodic: signal %d, si_overrun >= 10 %d, getoverrun = si_overrun %d\n", sig, si.si_overrun >= 10,
           overrun == si.si_overrun);
    sig = wait_for(SIGUSR2, &si, 2000);
    printf("periodic again: signal %d, si_overrun small %d\n", sig, si.si_overrun < 100);
    v = spec(0, 0);
    k_settime(id, 0, &v, &old);
    printf("disarm: old interval %ld, old value in (0, 5ms] %d\n", old.it_interval.tv_nsec,
           old.it_value.tv_sec == 0 && old.it_value.tv_nsec > 0 && old.it_value.tv_nsec <= 5 * MS);
    wait_for(SIGUSR2, &si, 0);
    k_gettime(id, &now);
    printf("disarmed: %ld.%09ld interval %ld, a signal after 30ms: %d\n", (long) now.it_value.tv_sec,
           now.it_value.tv_nsec, now.it_interval.tv_nsec, wait_for(SIGUSR2, &si, 30));
    v = spec(10000 * MS, 0);
    k_settime(id, 0, &v, NULL);
    v = spec(20000 * MS, 0);
    k_settime(id, 0, &v, &old);
    printf("old value in (9s, 10s] %d\n", old.it_value.tv_sec == 9 || (old.it_value.tv_sec == 10 && old.it_value.tv_nsec == 0));
    k_delete(id);

    /* A 1 ns period pending for more than 2^31 ns: the overrun count stops at DELAYTIMER_MAX. */
    k_create(CLOCK_MONOTONIC, &ev, &id);
    v = spec(1, 1);
    k_settime(id, 0, &v, NULL);
    usleep(2300 * 1000);
    sig = wait_for(SIGUSR2, &si, 2000);
    printf("1ns period: signal %d, overrun INT_MAX %d, getoverrun INT_MAX %d\n", sig, si.si_overrun == INT_MAX,
           k_overrun(id) == INT_MAX);
    k_delete(id);
}

/* Signals sent for a setting that was replaced, or a timer that was deleted, are dropped; two timers queue two. */
static void stale(void) {
    struct sigevent ev = signal_event(SIGUSR2, 1);
    int id, other;
    siginfo_t si;
    k_create(CLOCK_MONOTONIC, &ev, &id);
    struct itimerspec v = spec(MS, 0);
    k_settime(id, 0, &v, NULL);
    usleep(20 * 1000);
    k_delete(id);
    printf("after delete: signal %d\n", wait_for(SIGUSR2, &si, 0));
    k_create(CLOCK_MONOTONIC, &ev, &id);
    k_settime(id, 0, &v, NULL);
    usleep(20 * 1000);
    v = spec(100000 * MS, 0);
    k_settime(id, 0, &v, NULL);
    printf("after settime: signal %d\n", wait_for(SIGUSR2, &si, 0));
    k_delete(id);
    k_create(CLOCK_MONOTONIC, &ev, &id);
    ev.sigev_value.sival_int = 2;
    k_create(CLOCK_MONOTONIC, &ev, &other);
    v = spec(MS, 0);
    k_settime(id, 0, &v, NULL);
    k_settime(other, 0, &v, NULL);
    usleep(20 * 1000);
    int a = wait_for(SIGUSR2, &si, 2000), va = si.si_value.sival_int;
    int b = wait_for(SIGUSR2, &si, 2000), vb = si.si_value.sival_int;
    int c = wait_for(SIGUSR2, &si, 0);
    printf("two timers, one signal: %d %d %d values %d\n", a, b, c, va + vb);
    k_delete(id);
    k_delete(other);
}

/* SIGEV_NONE: nothing is sent, the setting reads back. NULL sigevent: SIGALRM with the id as value. */
static void none_and_null(void) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    int id;
    k_create(CLOCK_MONOTONIC, &ev, &id);
    struct itimerspec v = spec(MS, 0), now;
    k_settime(id, 0, &v, NULL);
    usleep(10 * 1000);
    k_gettime(id, &now);
    printf("SIGEV_NONE expired: %ld.%09ld\n", (long) now.it_value.tv_sec, now.it_value.tv_nsec);
    v = spec(3 * MS, 3 * MS);
    k_settime(id, 0, &v, NULL);
    usleep(20 * 1000);
    k_gettime(id, &now);
    printf("SIGEV_NONE periodic: value in (0, 3ms] %d, getoverrun %s\n",
           now.it_value.tv_sec == 0 && now.it_value.tv_nsec > 0 && now.it_value.tv_nsec <= 3 * MS, err(k_overrun(id)));
    k_delete(id);

    sigset_t s = just(SIGALRM);
    sigprocmask(SIG_BLOCK, &s, NULL);
    k_create(CLOCK_MONOTONIC, NULL, &id);
    v = spec(MS, 0);
    k_settime(id, 0, &v, NULL);
    siginfo_t si;
    int sig = wait_for(SIGALRM, &si, 2000);
    printf("NULL sigevent: signal %d, value is the id %d, timerid %d\n", sig, si.si_value.sival_int == id,
           si.si_timerid == id);
    k_delete(id);
}

static atomic_int thread_tid;
static atomic_int thread_got;
static atomic_int thread_value;

static void *sigwait_thread(void *arg) {
    (void) arg;
    thread_tid = (int) syscall(SYS_gettid);
    siginfo_t si;
    thread_got = wait_for(SIGUSR2, &si, 3000);
    thread_value = si.si_value.sival_int;
    return NULL;
}

/* SIGEV_THREAD_ID: the signal goes to the named thread; the main thread blocks it too. */
static void thread_id(void) {
    pthread_t th;
    pthread_create(&th, NULL, sigwait_thread, NULL);
    while (thread_tid == 0) {
        usleep(1000);
    }
    struct sigevent ev = signal_event(SIGUSR2, 31);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_notify_thread_id = thread_tid;
    int id;
    printf("SIGEV_THREAD_ID create: %s\n", err(k_create(CLOCK_MONOTONIC, &ev, &id)));
    struct itimerspec v = spec(10 * MS, 0);
    k_settime(id, 0, &v, NULL);
    pthread_join(th, NULL);
    siginfo_t si;
    printf("SIGEV_THREAD_ID: thread got %d value %d, main thread got %d\n", thread_got, thread_value,
           wait_for(SIGUSR2, &si, 0));
    k_delete(id);
}

static atomic_int callbacks;
static atomic_int callback_value;

static void on_expiry(union sigval v) {
    callback_value = v.sival_int;
    callbacks++;
}

/* The C library's SIGEV_THREAD: a helper thread waits for the timer's signal and runs the function. */
static void thread_notify(void) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_expiry;
    ev.sigev_value.sival_int = 42;
    timer_t t;
    printf("SIGEV_THREAD create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t));
    struct itimerspec v = spec(5 * MS, 5 * MS);
    timer_settime(t, 0, &v, NULL);
    for (int tries = 0; tries < 3000 && callbacks < 3; tries++) {
        usleep(2000);
    }
    timer_delete(t);
    printf("SIGEV_THREAD: at least 3 calls %d, value %d\n", callbacks >= 3, callback_value);
}

static atomic_int spin_stop;

static void *spinner(void *arg) {
    (void) arg;
    while (!spin_stop) {
    }
    return NULL;
}

/* Timers on CPU-time clocks: they expire once the process or thread has used that much CPU. */
static void cpu_clocks(void) {
    sigset_t s = just(SIGUSR2);
    clockid_t cs[] = {CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
    for (int i = 0; i < 2; i++) {
        struct sigevent ev = signal_event(SIGUSR2, 50 + i);
        int id;
        long r = k_create(cs[i], &ev, &id);
        struct itimerspec v = spec(30 * MS, 0);
        k_settime(id, 0, &v, NULL);
        struct timespec start, now;
        clock_gettime(CLOCK_MONOTONIC, &start);
        siginfo_t si;
        int sig = 0;
        struct timespec zero = {0, 0};
        do {
            sig = sigtimedwait(&s, &si, &zero);
            clock_gettime(CLOCK_MONOTONIC, &now);
        } while (sig < 0 && ns(now) - ns(start) < 10000 * MS);
        struct timespec cpu;
        clock_gettime(cs[i], &cpu);
        printf("%s timer: create %s, signal %d value %d, clock past 30ms %d\n", i ? "THREAD_CPUTIME" : "PROCESS_CPUTIME",
               err(r), sig, si.si_value.sival_int, ns(cpu) >= 30 * MS);
        k_delete(id);
    }
    /* Another thread's CPU time counts for the process's clock while this one sleeps. */
    pthread_t th;
    pthread_create(&th, NULL, spinner, NULL);
    struct sigevent ev = signal_event(SIGUSR2, 60);
    int id;
    k_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &id);
    struct itimerspec v = spec(20 * MS, 0);
    k_settime(id, 0, &v, NULL);
    siginfo_t si;
    printf("process CPU timer with a spinning thread: signal %d\n", wait_for(SIGUSR2, &si, 10000));
    spin_stop = 1;
    pthread_join(th, NULL);
    k_delete(id);
}

static void on_usr1(int sig) {
    (void) sig;
}

static const char *waited(int r) {
    return err(r < 0 ? -errno : r);
}

/* rt_sigtimedwait itself: EAGAIN at once or at its time, EINVAL for a bad timeout, EINTR for another signal. */
static void timedwait(void) {
    sigset_t s = just(SIGUSR2);
    siginfo_t si;
    struct timespec t = {0, 0};
    printf("sigtimedwait nothing pending: %s\n", waited(sigtimedwait(&s, &si, &t)));
    t.tv_nsec = 20 * MS;
    printf("sigtimedwait 20ms: %s\n", waited(sigtimedwait(&s, &si, &t)));
    t.tv_nsec = 1000000000L;
    printf("sigtimedwait bad timeout: %s\n", waited(sigtimedwait(&s, &si, &t)));
    signal(SIGUSR1, on_usr1);
    sigset_t usr1 = just(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    struct sigevent ev = signal_event(SIGUSR1, 0);
    int id;
    k_create(CLOCK_MONOTONIC, &ev, &id);
    struct itimerspec v = spec(10 * MS, 0);
    k_settime(id, 0, &v, NULL);
    t.tv_sec = 5;
    t.tv_nsec = 0;
    /* The system call: musl's sigtimedwait tries again after EINTR. */
    printf("sigtimedwait with a handled signal coming: %s\n",
           waited((int) syscall(SYS_rt_sigtimedwait, &s, &si, &t, 8)));
    printf("rt_sigtimedwait set size 4: %s\n", waited((int) syscall(SYS_rt_sigtimedwait, &s, &si, &t, 4)));
    printf("rt_sigtimedwait bad set: %s\n", waited((int) syscall(SYS_rt_sigtimedwait, (sigset_t *) 8, &si, &t, 8)));
    k_delete(id);
    raise(SIGUSR2);
    int sig = sigtimedwait(&s, &si, NULL);
    printf("sigtimedwait a raised signal: %d code %d\n", sig, si.si_code);
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "exec") == 0) {
        struct itimerspec v;
        printf("after exec: the old timer: %s\n", err(k_gettime(atoi(argv[2]), &v)));
        struct sigevent ev = signal_event(SIGUSR1, 0);
        int id;
        k_create(CLOCK_MONOTONIC, &ev, &id);
        printf("after exec: a new timer's id is past the old one %d\n", id > atoi(argv[2]));
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t usr = just(SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr, NULL);
    errors();
    struct sigevent ev = signal_event(SIGUSR1, 0);
    int kept;
    k_create(CLOCK_MONOTONIC, &ev, &kept);
    ids(kept);
    clocks();
    absolute();
    periodic();
    stale();
    none_and_null();
    thread_id();
    thread_notify();
    cpu_clocks();
    timedwait();
    char idtext[16];
    snprintf(idtext, sizeof idtext, "%d", kept);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "exec", idtext, (char *) NULL);
    printf("exec failed: %s\n", strerror(errno));
    return 1;
}
