#define _GNU_SOURCE
/*
 * personality(2) (query, set, what clone and execve keep, UNAME26's release) and the prctl options
 * PR_GET/SET_TIMING, PR_GET/SET_TIMERSLACK (and what fork inherits) and PR_TASK_PERF_EVENTS_*.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define PR_GET_TIMING 13
#define PR_SET_TIMING 14
#define PR_SET_TIMERSLACK 29
#define PR_GET_TIMERSLACK 30
#define PR_TASK_PERF_EVENTS_DISABLE 31
#define PR_TASK_PERF_EVENTS_ENABLE 32
#define UNAME26 0x0020000
#define ADDR_NO_RANDOMIZE 0x0040000
#define READ_IMPLIES_EXEC 0x0400000

static void show(const char *what, long r) {
    if (r < 0) {
        printf("%-48s = -1 %s\n", what, strerror(errno));
    } else {
        printf("%-48s = %#lx\n", what, r);
    }
}

#define T(x) do { errno = 0; show(#x, (long) (x)); } while (0)

static long persona(unsigned long value) {
    return syscall(SYS_personality, value);
}

static long pr(long option, unsigned long arg) {
    return syscall(SYS_prctl, option, arg, 0L, 0L, 0L);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        T(persona(0xffffffff));
        T(pr(PR_GET_TIMERSLACK, 0));
        return 0;
    }
    T(persona(0xffffffff));
    T(persona(UNAME26));
    T(persona(0xffffffff));
    struct utsname u;
    uname(&u);
    printf("release starts with 2.6.: %d\n", strncmp(u.release, "2.6.", 4) == 0);
    T(persona(0xffffffffffff0000UL));
    T(persona(0));
    T(persona(ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC));

    T(pr(PR_GET_TIMING, 0));
    T(pr(PR_SET_TIMING, 0));
    T(pr(PR_SET_TIMING, 1));
    T(pr(PR_TASK_PERF_EVENTS_DISABLE, 0));
    T(pr(PR_TASK_PERF_EVENTS_ENABLE, 0));
    long slack = pr(PR_GET_TIMERSLACK, 0);
    T(pr(PR_SET_TIMERSLACK, 123456));
    T(pr(PR_GET_TIMERSLACK, 0));

    pid_t child = fork();
    if (child == 0) {
        T(persona(0xffffffff));
        T(pr(PR_GET_TIMERSLACK, 0));
        T(pr(PR_SET_TIMERSLACK, 7));
        T(pr(PR_GET_TIMERSLACK, 0));
        /* 0 goes back to the default: what the creator had when it forked. */
        T(pr(PR_SET_TIMERSLACK, 0));
        T(pr(PR_GET_TIMERSLACK, 0));
        /* execve keeps all but READ_IMPLIES_EXEC, and the slack. */
        execl(argv[0], argv[0], "exec", (char *) NULL);
        _exit(127);
    }
    waitpid(child, NULL, 0);
    T(pr(PR_SET_TIMERSLACK, 0));
    printf("slack back to the start: %d\n", pr(PR_GET_TIMERSLACK, 0) == slack);
    T(persona(0));
    return 0;
}
