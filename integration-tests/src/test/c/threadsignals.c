/*
 * Signals to threads: one sent with tgkill pends on that thread and only it takes it, even while it
 * blocks the signal and another thread does not; a process's signal goes to a thread that does not
 * block it; rt_sigpending and /proc's SigPnd/ShdPnd show a thread's own and the shared pending sets.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pid_t main_tid, other_tid;
static volatile pid_t took[65];
static int to_other[2], to_main[2];

static void handler(int sig) {
    took[sig] = (pid_t) syscall(SYS_gettid);
}

static const char *who(pid_t tid) {
    return tid == main_tid ? "main" : tid == other_tid ? "other" : tid == 0 ? "nobody" : "?";
}

static void pending(const char *name) {
    sigset_t set;
    sigpending(&set);
    printf("%s sigpending:", name);
    for (int s = 1; s < 32; s++) {
        if (sigismember(&set, s)) {
            printf(" %s", strsignal(s));
        }
    }
    printf("\n");
    FILE *f = fopen("/proc/thread-self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "SigPnd:", 7) == 0 || strncmp(line, "ShdPnd:", 7) == 0) {
            printf("%s %s", name, line);
        }
    }
    if (f) {
        fclose(f);
    }
}

static void step(int *pipe) {
    char c = 's';
    write(pipe[1], &c, 1);
}

static void await_step(int *pipe) {
    char c;
    read(pipe[0], &c, 1);
}

static void *other(void *arg) {
    (void) arg;
    other_tid = (pid_t) syscall(SYS_gettid);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGURG);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    step(to_main);
    /* 1: main's blocked SIGUSR1 is not for this thread, which does not block it. */
    await_step(to_other);
    pending("other");
    step(to_main);
    /* 2: SIGUSR2 comes to this thread, blocked in read. */
    await_step(to_other);
    step(to_main);
    /* 3: a SIGWINCH for this thread alone, and a SIGURG for the process, both blocked here. */
    await_step(to_other);
    pending("other");
    step(to_main);
    /* 4: the process's SIGHUP, which main blocks: this thread takes it while it waits in read. */
    await_step(to_other);
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    step(to_main);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    main_tid = (pid_t) syscall(SYS_gettid);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    for (int s = 1; s < 32; s++) {
        if (s != SIGKILL && s != SIGSTOP) {
            sigaction(s, &sa, NULL);
        }
    }
    pipe(to_other);
    pipe(to_main);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGURG);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    await_step(to_main);

    syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
    pending("main");
    step(to_other);
    await_step(to_main);
    printf("SIGUSR1 taken by %s before main unblocks it\n", who(took[SIGUSR1]));
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    printf("SIGUSR1 taken by %s\n", who(took[SIGUSR1]));

    usleep(50000);
    pthread_kill(t, SIGUSR2);
    usleep(50000);
    step(to_other);
    await_step(to_main);
    printf("SIGUSR2 taken by %s\n", who(took[SIGUSR2]));

    syscall(SYS_tgkill, getpid(), other_tid, SIGWINCH);
    kill(getpid(), SIGURG);
    pending("main");
    step(to_other);
    await_step(to_main);

    usleep(50000);
    kill(getpid(), SIGHUP);
    usleep(50000);
    step(to_other);
    await_step(to_main);
    pthread_join(t, NULL);
    printf("SIGHUP taken by %s, SIGWINCH by %s, SIGURG by %s\n", who(took[SIGHUP]), who(took[SIGWINCH]),
            who(took[SIGURG]));
    return 0;
}
