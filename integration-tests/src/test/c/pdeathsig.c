/*
 * PR_SET_PDEATHSIG: the signal comes when the parent *thread* that forked the child ends (the parent
 * process lives on), and when the parent process ends (the child is reparented); execve keeps the
 * setting, fork clears it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal, got_code, got_pid_is_parent;
static pid_t parent_pid;

static void on_signal(int sig, siginfo_t *info, void *context) {
    (void) context;
    got_signal = sig;
    got_code = info->si_code;
    got_pid_is_parent = info->si_pid == parent_pid;
}

/* Waits (at most ~10 s) for the parent-death signal, then reports it on fd out. */
static void await_death_signal(int sig, int out) {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, sig);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
    sigprocmask(SIG_UNBLOCK, &block, &old);
    for (int i = 0; i < 1000 && !got_signal; i++) {
        usleep(10000);
    }
    char line[160];
    int n = snprintf(line, sizeof line, "child got %s, si_code SI_USER %d, from the parent %d, parent changed %d\n",
            got_signal ? strsignal(got_signal) : "nothing", got_code == SI_USER, got_pid_is_parent,
            getppid() != parent_pid);
    write(out, line, n);
}

static int ready[2];

/* The parent thread: forks the child, waits until it is ready, and ends. */
static void *forker(void *arg) {
    (void) arg;
    pid_t child = fork();
    if (child == 0) {
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigprocmask(SIG_BLOCK, &block, NULL);
        prctl(PR_SET_PDEATHSIG, SIGUSR1);
        write(ready[1], "r", 1);
        await_death_signal(SIGUSR1, 1);
        _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    return (void *) (long) child;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 3 && strcmp(argv[1], "orphan") == 0) {
        /* The exec'd image of the orphan-to-be: the setting survived execve. */
        int sig = 0;
        prctl(PR_GET_PDEATHSIG, &sig);
        parent_pid = getppid();
        int out = atoi(argv[2]);
        dprintf(out, "after execve pdeathsig %s\n", strsignal(sig));
        write(atoi(argv[3]), "r", 1);
        await_death_signal(SIGUSR2, out);
        return 0;
    }
    parent_pid = getpid();
    pipe(ready);
    pthread_t t;
    pthread_create(&t, NULL, forker, NULL);
    void *child;
    pthread_join(t, &child);
    int status;
    waitpid((pid_t) (long) child, &status, 0);
    printf("thread's child status %#x\n", status);

    /* A middle process forks the child and exits: the child is reparented and gets SIGUSR2. */
    int report[2];
    pipe(report);
    pipe(ready);
    pid_t middle = fork();
    if (middle == 0) {
        pid_t child = fork();
        if (child == 0) {
            close(report[0]);
            sigset_t block;
            sigemptyset(&block);
            sigaddset(&block, SIGUSR2);
            sigprocmask(SIG_BLOCK, &block, NULL);
            prctl(PR_SET_PDEATHSIG, SIGUSR2);
            pid_t grandchild = fork();
            if (grandchild == 0) {
                int sig = -1;
                prctl(PR_GET_PDEATHSIG, &sig);
                dprintf(report[1], "fork child pdeathsig %d\n", sig);
                _exit(0);
            }
            waitpid(grandchild, NULL, 0);
            char fd[16], sync[16];
            snprintf(fd, sizeof fd, "%d", report[1]);
            snprintf(sync, sizeof sync, "%d", ready[1]);
            execl(argv[0], argv[0], "orphan", fd, sync, (char *) NULL);
            _exit(127);
        }
        /* Wait until the child has exec'd and is ready, then end. */
        close(ready[1]);
        char c;
        read(ready[0], &c, 1);
        _exit(0);
    }
    close(report[1]);
    waitpid(middle, &status, 0);
    printf("middle status %#x\n", status);
    char buf[512];
    ssize_t n;
    while ((n = read(report[0], buf, sizeof buf)) > 0) {
        fwrite(buf, 1, n, stdout);
    }
    return 0;
}
