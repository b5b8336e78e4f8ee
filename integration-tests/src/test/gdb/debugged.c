/*
 * A program for gdb to debug under jlx (GdbUnderJlxTest): calls, a global to watch, a thread, a fork;
 * with an argument it counts in y forever, for gdb -p to attach to.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int y;

static int sq(int v) {
    return v * v;
}

static void *worker(void *arg) {
    y += 100;
    return arg;
}

int main(int argc, char **argv) {
    while (argc > 1) {
        y++;
        usleep(100000);
    }
    int x = 3;
    x = sq(x);
    y = x + 1;
    y = y * 2;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(3);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("x=%d y=%d child=%d\n", x, y, WEXITSTATUS(status));
    return 0;
}
