/* Robust mutexes (PTHREAD_MUTEX_ROBUST): the owner's death, by a thread's exit, a process's exit,
 * SIGKILL or exec, reaches the next locker as EOWNERDEAD (the kernel walks the robust futex list),
 * a waiter already blocked is woken, pthread_mutex_consistent makes it usable again, and unlocking
 * without it leaves it ENOTRECOVERABLE. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t *m;
static pthread_mutex_t *m2;

static void init(pthread_mutex_t *mx, int shared) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (shared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(mx, &a);
    pthread_mutexattr_destroy(&a);
}

static const char *err(int r) {
    return r == 0 ? "0" : r == EOWNERDEAD ? "EOWNERDEAD" : r == ENOTRECOVERABLE ? "ENOTRECOVERABLE" : strerror(r);
}

static void msleep(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void *lock_and_exit(void *arg) {
    printf("  thread lock: %s\n", err(pthread_mutex_lock(m)));
    if (arg) msleep(150);
    return NULL;
}

static void *lock_two_and_exit(void *arg) {
    (void) arg;
    pthread_mutex_lock(m);
    pthread_mutex_lock(m2);
    return NULL;
}

static void recover(const char *who) {
    int r = pthread_mutex_lock(m);
    printf("%s: lock %s", who, err(r));
    if (r == EOWNERDEAD) printf(", consistent %s", err(pthread_mutex_consistent(m)));
    printf(", unlock %s", err(pthread_mutex_unlock(m)));
    printf(", lock again %s", err(pthread_mutex_lock(m)));
    printf(", unlock %s\n", err(pthread_mutex_unlock(m)));
}

int main(int argc, char **argv) {
    if (argc > 1) return 3; /* the exec'd image: ends at once */
    static pthread_mutex_t local, local2;
    m = &local;
    m2 = &local2;
    init(m, 0);
    init(m2, 0);
    setvbuf(stdout, NULL, _IONBF, 0);

    pthread_t th;
    pthread_create(&th, NULL, lock_and_exit, NULL);
    pthread_join(th, NULL);
    recover("after a thread died holding it");

    /* A waiter already blocked when the owner dies. */
    pthread_create(&th, NULL, lock_and_exit, (void *) 1);
    msleep(50);
    recover("blocked while a thread died holding it");
    pthread_join(th, NULL);

    /* Two held: both marked. */
    pthread_create(&th, NULL, lock_two_and_exit, NULL);
    pthread_join(th, NULL);
    recover("first of two");
    int r = pthread_mutex_lock(m2);
    printf("second of two: lock %s", err(r));
    printf(", consistent %s", err(pthread_mutex_consistent(m2)));
    printf(", unlock %s\n", err(pthread_mutex_unlock(m2)));

    /* Unlocked without pthread_mutex_consistent: unrecoverable. */
    pthread_create(&th, NULL, lock_and_exit, NULL);
    pthread_join(th, NULL);
    r = pthread_mutex_lock(m);
    printf("not made consistent: lock %s, unlock %s", err(r), err(pthread_mutex_unlock(m)));
    printf(", lock %s\n", err(pthread_mutex_lock(m)));

    /* Process-shared, in shared memory: a child process that exits, is killed, or execs holding it. */
    m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    init(m, 1);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(m);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    recover("after a child exited holding it");

    pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(m);
        for (;;) pause();
    }
    msleep(100);
    pid_t killer = fork();
    if (killer == 0) {
        msleep(100);
        kill(pid, SIGKILL);
        _exit(0);
    }
    recover("blocked while a child was killed holding it");
    waitpid(pid, NULL, 0);
    waitpid(killer, NULL, 0);

    pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(m);
        char *args[] = {argv[0], "exec", NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("exec'd child status %d\n", WEXITSTATUS(status));
    recover("after a child exec'd holding it");
    return 0;
}
