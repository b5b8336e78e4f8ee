/*
 * execve from a thread that is not the thread-group leader: the other threads end (the leader waits in
 * pthread_join, in pause, or runs a syscall loop), and the new image runs with the process's pid as its
 * tid, alone in /proc/self/task.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *self;
static char *how;

static void *exec_from_thread(void *arg) {
    (void) arg;
    char pid[16];
    snprintf(pid, sizeof pid, "%d", getpid());
    usleep(20000);
    execl(self, self, "after", how, pid, (char *) NULL);
    perror("execl");
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 3 && strcmp(argv[1], "after") == 0) {
        int tasks = 0;
        DIR *d = opendir("/proc/self/task");
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            tasks += e->d_name[0] != '.';
        }
        printf("%s: same pid %d, tid is the pid %d, tasks %d\n", argv[2], getpid() == atoi(argv[3]),
                (pid_t) syscall(SYS_gettid) == getpid(), tasks);
        return 0;
    }
    self = argv[0];
    how = argc > 1 ? argv[1] : "join";
    pthread_t t;
    pthread_create(&t, NULL, exec_from_thread, NULL);
    if (strcmp(how, "pause") == 0) {
        pause();
    } else if (strcmp(how, "loop") == 0) {
        for (;;) {
            getppid();
        }
    } else {
        pthread_join(t, NULL);
    }
    puts("the leader went on");
    return 1;
}
