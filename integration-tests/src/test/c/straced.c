/*
 * A small program for strace -f to trace (StraceUnderJlxTest): a forked child that writes and
 * exits, a thread that writes, a child that execs, and the waits for each.
 */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread(void *arg) {
    write(1, "thread\n", 7);
    return arg;
}

int main(void) {
    pid_t pid = fork();
    if (pid == 0) {
        write(1, "child\n", 6);
        _exit(3);
    }
    int status;
    waitpid(pid, &status, 0);
    pthread_t t;
    pthread_create(&t, 0, thread, 0);
    pthread_join(t, 0);
    pid = fork();
    if (pid == 0) {
        execl("/bin/true", "true", (char *) 0);
        _exit(1);
    }
    waitpid(pid, &status, 0);
    write(1, "parent\n", 7);
    return WEXITSTATUS(status);
}
