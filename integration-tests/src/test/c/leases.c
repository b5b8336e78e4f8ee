/*
 * File leases: F_SETLEASE and F_GETLEASE on a file in the working directory, their errors, and the
 * breaks another process's open makes (SIGIO, F_SETSIG's signal with si_fd, a non-blocking open's
 * EWOULDBLOCK, a blocking open that waits until the holder unlocks).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static volatile sig_atomic_t sigio, rtsig, rtfd = -1, rtcode = -1;

static void onSigio(int sig) {
    (void) sig;
    sigio++;
}

static void onRt(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) ctx;
    rtsig++;
    rtfd = si->si_fd;
    rtcode = si->si_code;
}

static void show(const char *label, long r) {
    if (r < 0) {
        printf("%s: %s\n", label, errname(errno));
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static const char *lease(int fd) {
    switch (fcntl(fd, F_GETLEASE)) {
    case F_RDLCK: return "F_RDLCK";
    case F_WRLCK: return "F_WRLCK";
    case F_UNLCK: return "F_UNLCK";
    default: return errname(errno);
    }
}

/* A child that opens the file with {flags} and prints how it went; returns its pid. */
static pid_t opener(int flags, const char *label) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("lease.tmp", flags);
        if (fd < 0) {
            printf("%s: %s\n", label, errname(errno));
        } else {
            printf("%s: opened\n", label);
        }
        fflush(stdout);
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
}

static void waitFor(volatile sig_atomic_t *counter, int value) {
    for (int i = 0; i < 500 && *counter < value; i++) {
        usleep(10000);
    }
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = onSigio;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGIO, &sa, NULL);
    sa.sa_sigaction = onRt;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGRTMIN, &sa, NULL);

    int w = open("lease.tmp", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(w, "data", 4);
    int fd = open("lease.tmp", O_RDONLY);
    printf("lease at first: %s\n", lease(fd));
    show("setlease type 7", fcntl(fd, F_SETLEASE, 7));
    show("unlock without a lease", fcntl(fd, F_SETLEASE, F_UNLCK));
    show("read lease while open for writing", fcntl(fd, F_SETLEASE, F_RDLCK));
    close(w);
    show("read lease", fcntl(fd, F_SETLEASE, F_RDLCK));
    printf("lease now: %s\n", lease(fd));
    reap(opener(O_RDONLY, "child read open under a read lease"));
    printf("sigio so far: %d\n", sigio);
    int other = open("lease.tmp", O_RDONLY);
    show("write lease with another open", fcntl(fd, F_SETLEASE, F_WRLCK));
    printf("lease still: %s\n", lease(other));
    close(other);
    show("write lease", fcntl(fd, F_SETLEASE, F_WRLCK));
    printf("lease now: %s\n", lease(fd));

    /* A non-blocking read open breaks the write lease down to a read lease. */
    reap(opener(O_RDONLY | O_NONBLOCK, "child non-blocking read open"));
    waitFor(&sigio, 1);
    printf("sigio: %d, lease now: %s\n", sigio, lease(fd));
    show("downgrade to read", fcntl(fd, F_SETLEASE, F_RDLCK));
    printf("lease now: %s\n", lease(fd));

    /* F_SETSIG's signal carries the descriptor; a write open asks for the lease to go. */
    show("F_SETSIG SIGRTMIN", fcntl(fd, F_SETSIG, SIGRTMIN));
    reap(opener(O_WRONLY | O_NONBLOCK, "child non-blocking write open"));
    waitFor(&rtsig, 1);
    printf("rt signals %d, si_fd is the lease's %s, si_code %d, lease now: %s\n", rtsig,
           rtfd == fd ? "yes" : "no", rtcode, lease(fd));
    show("unlock", fcntl(fd, F_SETLEASE, F_UNLCK));
    printf("lease now: %s\n", lease(fd));

    /* A blocking write open waits until the holder unlocks. */
    show("read lease again", fcntl(fd, F_SETLEASE, F_RDLCK));
    pid_t child = opener(O_WRONLY, "child blocking write open");
    /* Unlocking took F_SETSIG's signal away with the file's owner (lease_modify): SIGIO comes. */
    waitFor(&sigio, 2);
    printf("rt signals %d, sigio %d, lease now: %s\n", rtsig, sigio, lease(fd));
    printf("unlocking\n");
    fflush(stdout);
    fcntl(fd, F_SETLEASE, F_UNLCK);
    reap(child);

    /* Closing the holder's descriptor drops its lease. */
    show("read lease once more", fcntl(fd, F_SETLEASE, F_RDLCK));
    close(fd);
    reap(opener(O_WRONLY | O_NONBLOCK, "child write open after the holder closed"));

    int rw = open("lease.tmp", O_RDWR);
    show("read lease on a read-write descriptor", fcntl(rw, F_SETLEASE, F_RDLCK));
    show("write lease on a read-write descriptor", fcntl(rw, F_SETLEASE, F_WRLCK));
    printf("lease: %s\n", lease(rw));
    show("unlock it", fcntl(rw, F_SETLEASE, F_UNLCK));
    close(rw);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    show("lease on a directory", fcntl(dir, F_SETLEASE, F_RDLCK));
    int p[2];
    pipe(p);
    show("lease on a pipe", fcntl(p[0], F_SETLEASE, F_RDLCK));
    fflush(stdout);
    child = fork();
    if (child == 0) {
        int mine = open("lease.tmp", O_RDONLY);
        setuid(65534);
        show("nobody's lease on root's file", fcntl(mine, F_SETLEASE, F_RDLCK));
        fflush(stdout);
        _exit(0);
    }
    reap(child);
    FILE *f = fopen("/proc/sys/fs/lease-break-time", "r");
    int seconds = 0;
    if (f) {
        fscanf(f, "%d", &seconds);
        fclose(f);
    }
    printf("lease-break-time %d\n", seconds);
    unlink("lease.tmp");
    return 0;
}
