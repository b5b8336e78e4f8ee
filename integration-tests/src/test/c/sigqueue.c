/*
 * Queued signals with the sender's siginfo: rt_sigqueueinfo (sigqueue) and rt_tgsigqueueinfo
 * (pthread_sigqueue), the EPERM rule for codes only the kernel or tkill gives, the checks in Linux's
 * order, real-time signals queued once per send and standard ones once, and the siginfo as a
 * handler, sigwaitinfo, signalfd and another process see it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOWN(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-48s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

static int rtsig;
static volatile int seen[16];
static volatile int nseen;
static volatile int codes[16];
static volatile int samepid[16];
static volatile int ontid[16];

static void handler(int sig, siginfo_t *si, void *uc) {
    (void) uc;
    if (nseen < 16) {
        seen[nseen] = sig == rtsig ? si->si_value.sival_int : 1000 + sig;
        codes[nseen] = si->si_code;
        samepid[nseen] = si->si_pid == getpid();
        ontid[nseen] = syscall(SYS_gettid) == getpid();
        nseen++;
    }
}

static long sigqueueinfo(pid_t pid, int sig, siginfo_t *si) {
    return syscall(SYS_rt_sigqueueinfo, pid, sig, si);
}

static siginfo_t make(int sig, int code, int value) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = code;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    return si;
}

static void report(const char *label) {
    printf("%s:", label);
    for (int i = 0; i < nseen; i++) {
        printf(" %d(code %d%s%s)", seen[i], codes[i], samepid[i] ? " self" : "", ontid[i] ? "" : " thread");
    }
    printf("\n");
    nseen = 0;
}

static pthread_t worker;
static volatile pid_t worker_tid;
static volatile int worker_done;

static void *work(void *arg) {
    (void) arg;
    siginfo_t si = make(SIGUSR1, SI_USER, 0);
    /* From a thread that is not the leader, the pid is not the caller's thread id: EPERM. */
    SHOWN("thread: rt_sigqueueinfo SI_USER to own process", sigqueueinfo(getpid(), SIGUSR1, &si));
    fflush(stdout);
    worker_tid = syscall(SYS_gettid);
    while (!worker_done) {
        usleep(1000);
    }
    return NULL;
}

int main(void) {
    rtsig = SIGRTMIN + 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(rtsig, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);

    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, rtsig);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old);
    for (int i = 1; i <= 3; i++) {
        union sigval v = {.sival_int = i * 10};
        SHOWN("sigqueue rt", sigqueue(getpid(), rtsig, v));
    }
    union sigval v0 = {.sival_int = 5};
    SHOWN("sigqueue SIGUSR2", sigqueue(getpid(), SIGUSR2, v0));
    SHOWN("sigqueue SIGUSR2 again (dropped)", sigqueue(getpid(), SIGUSR2, v0));
    sigprocmask(SIG_SETMASK, &old, NULL);
    report("delivered");

    siginfo_t si = make(rtsig, SI_QUEUE, 77);
    SHOWN("rt_sigqueueinfo SI_QUEUE self", sigqueueinfo(getpid(), rtsig, &si));
    si = make(rtsig, SI_USER, 78);
    SHOWN("rt_sigqueueinfo SI_USER self", sigqueueinfo(getpid(), rtsig, &si));
    si = make(rtsig, SI_TKILL, 79);
    SHOWN("rt_sigqueueinfo SI_TKILL self", sigqueueinfo(getpid(), rtsig, &si));
    si = make(rtsig, SI_KERNEL, 80);
    SHOWN("rt_sigqueueinfo SI_KERNEL self", sigqueueinfo(getpid(), rtsig, &si));
    report("delivered");
    si = make(rtsig, SI_QUEUE, 1);
    SHOWN("rt_sigqueueinfo pid 0", sigqueueinfo(0, rtsig, &si));
    SHOWN("rt_sigqueueinfo pid -1", sigqueueinfo(-1, rtsig, &si));
    SHOWN("rt_sigqueueinfo no such pid", sigqueueinfo(4000000, rtsig, &si));
    SHOWN("rt_sigqueueinfo signal 65", sigqueueinfo(getpid(), 65, &si));
    SHOWN("rt_sigqueueinfo signal -1", sigqueueinfo(getpid(), -1, &si));
    SHOWN("rt_sigqueueinfo signal 0", sigqueueinfo(getpid(), 0, &si));
    SHOWN("rt_sigqueueinfo bad siginfo", sigqueueinfo(getpid(), rtsig, (siginfo_t *) 8));
    si = make(rtsig, SI_USER, 1);
    SHOWN("rt_sigqueueinfo SI_USER no such pid (EPERM)", sigqueueinfo(4000000, rtsig, &si));
    /* An si_code Linux has no layout for must have the rest of the 128 bytes zero. */
    si = make(rtsig, -100, 1);
    ((char *) &si)[100] = 1;
    SHOWN("rt_sigqueueinfo unknown code, tail set", sigqueueinfo(getpid(), rtsig, &si));
    si = make(SIGUSR1, SI_QUEUE, 1);
    ((char *) &si)[100] = 1;
    SHOWN("rt_sigqueueinfo SI_QUEUE, tail set", sigqueueinfo(getpid(), SIGUSR1, &si));
    report("delivered");

    /* sigwaitinfo sees the siginfo as sent: the errno field and value, signo replaced. */
    sigprocmask(SIG_BLOCK, &block, &old);
    si = make(SIGUSR1, SI_QUEUE, 4242);
    si.si_errno = 7;
    SHOWN("rt_sigqueueinfo signo differs", sigqueueinfo(getpid(), rtsig, &si));
    siginfo_t got;
    memset(&got, 0xff, sizeof got);
    SHOWN("sigwaitinfo", sigwaitinfo(&block, &got) == rtsig);
    printf("got signo ok %d errno %d code %d value %d pid self %d uid ok %d tail zero %d\n", got.si_signo == rtsig,
           got.si_errno, got.si_code, got.si_value.sival_int, got.si_pid == getpid(), got.si_uid == getuid(),
           ((char *) &got)[100] == 0);

    /* signalfd's record of a queued signal. */
    int sfd = signalfd(-1, &block, 0);
    union sigval v = {.sival_int = 99};
    sigqueue(getpid(), rtsig, v);
    struct signalfd_siginfo ssi;
    SHOWN("signalfd read", read(sfd, &ssi, sizeof ssi));
    printf("ssi signo ok %d code %d int %d ptr %llu pid self %d\n", ssi.ssi_signo == (unsigned) rtsig, ssi.ssi_code,
           ssi.ssi_int, (unsigned long long) ssi.ssi_ptr, ssi.ssi_pid == (unsigned) getpid());
    close(sfd);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* Threads: the leader's id only for kernel codes; rt_tgsigqueueinfo to a thread. */
    pthread_create(&worker, NULL, work, NULL);
    while (!worker_tid) {
        usleep(1000);
    }
    si = make(SIGUSR1, SI_QUEUE, 0);
    SHOWN("rt_tgsigqueueinfo to thread", syscall(SYS_rt_tgsigqueueinfo, getpid(), worker_tid, SIGUSR1, &si));
    while (nseen < 1) {
        usleep(1000);
    }
    si = make(rtsig, SI_QUEUE, 99);
    SHOWN("rt_tgsigqueueinfo rt to thread", syscall(SYS_rt_tgsigqueueinfo, getpid(), worker_tid, rtsig, &si));
    while (nseen < 2) {
        usleep(1000);
    }
    si = make(SIGUSR1, SI_USER, 0);
    SHOWN("rt_tgsigqueueinfo SI_USER to thread", syscall(SYS_rt_tgsigqueueinfo, getpid(), worker_tid, SIGUSR1, &si));
    SHOWN("rt_tgsigqueueinfo SI_USER to self", syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), SIGUSR1, &si));
    while (nseen < 3) {
        usleep(1000);
    }
    si = make(SIGUSR1, SI_QUEUE, 0);
    SHOWN("rt_tgsigqueueinfo tid 0", syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGUSR1, &si));
    SHOWN("rt_tgsigqueueinfo tgid 0", syscall(SYS_rt_tgsigqueueinfo, 0, worker_tid, SIGUSR1, &si));
    SHOWN("rt_tgsigqueueinfo wrong tgid", syscall(SYS_rt_tgsigqueueinfo, 4000000, worker_tid, SIGUSR1, &si));
    SHOWN("rt_tgsigqueueinfo signal 65", syscall(SYS_rt_tgsigqueueinfo, getpid(), worker_tid, 65, &si));
    SHOWN("rt_tgsigqueueinfo bad siginfo", syscall(SYS_rt_tgsigqueueinfo, getpid(), worker_tid, SIGUSR1, (void *) 8));
    worker_done = 1;
    pthread_join(worker, NULL);
    report("delivered");

    /* Another process: SI_QUEUE goes through, kernel codes are EPERM. */
    int ready[2];
    pipe(ready);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sigset_t all;
        sigemptyset(&all);
        sigaddset(&all, rtsig);
        sigprocmask(SIG_BLOCK, &all, NULL);
        write(ready[1], "r", 1);
        siginfo_t in;
        for (int i = 0; i < 2; i++) {
            sigwaitinfo(&all, &in);
            printf("child: code %d value %d from parent %d\n", in.si_code, in.si_value.sival_int,
                   in.si_pid == getppid());
        }
        fflush(stdout);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    si = make(rtsig, SI_USER, 1);
    SHOWN("rt_sigqueueinfo SI_USER child", sigqueueinfo(child, rtsig, &si));
    si = make(rtsig, SI_TKILL, 1);
    SHOWN("rt_sigqueueinfo SI_TKILL child", sigqueueinfo(child, rtsig, &si));
    si = make(rtsig, SI_QUEUE, 11);
    SHOWN("rt_sigqueueinfo SI_QUEUE child", sigqueueinfo(child, rtsig, &si));
    si = make(rtsig, SI_MESGQ, 12);
    SHOWN("rt_sigqueueinfo SI_MESGQ child", sigqueueinfo(child, rtsig, &si));
    int status;
    waitpid(child, &status, 0);
    printf("child status %d\n", status);
    return 0;
}
