#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
/*
 * Futexes shared between processes: a futex without FUTEX_PRIVATE_FLAG in a MAP_SHARED mapping is
 * known by what is mapped (shared memory, or a file and offset), so a wake in one process reaches a
 * waiter in another, mapped at any address. A private futex, or a word in private memory, does not.
 * Named semaphores and process-shared mutexes and condition variables are built on these.
 */
/* linux/futex.h, which musl's headers lack. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

static long futex(int *word, int op, int val, const struct timespec *timeout) {
    return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

/* Wakes one waiter of word with op, retrying while the other process is not waiting yet. */
static long wake_one(int *word, int op) {
    for (int i = 0; i < 10000; i++) {
        long n = futex(word, op, 1, NULL);
        if (n != 0) {
            return n;
        }
        usleep(1000);
    }
    return 0;
}

/* The child waits on word (which stays 0) for up to ms milliseconds and tells how the wait ended. */
static void wait_in_child(const char *what, int *word, int op, int ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    long r = futex(word, op, 0, &t);
    printf("%s: child's wait %s\n", what, r == 0 ? "woken" : strerror(errno));
    fflush(stdout);
    _exit(0);
}

static void reap(pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
}

static void across_fork(const char *what, int *word) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        wait_in_child(what, word, FUTEX_WAIT, 10000);
    }
    long woke = wake_one(word, FUTEX_WAKE);
    reap(pid);
    printf("%s: wake woke %ld\n", what, woke);
}

/* The parent's wake must not reach the child's waiter: the child's wait times out. */
static void not_across_fork(const char *what, int *word, int wait_op, int *woken, int wake_op) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        wait_in_child(what, word, wait_op, 300);
    }
    usleep(100000);
    long woke = futex(woken, wake_op, 1, NULL);
    reap(pid);
    printf("%s: wake woke %ld\n", what, woke);
}

/*
 * Names unique to this run: /dev/shm is the host's, shared with every other run, and jlx's pids are
 * its own, the same in each jlx.
 */
static char run_id[64];

static void named_semaphores(void) {
    char ping_name[80], pong_name[80];
    snprintf(ping_name, sizeof ping_name, "/jlx-sharedfutex-ping-%s", run_id);
    snprintf(pong_name, sizeof pong_name, "/jlx-sharedfutex-pong-%s", run_id);
    sem_t *ping = sem_open(ping_name, O_CREAT | O_EXCL, 0600, 0);
    sem_t *pong = sem_open(pong_name, O_CREAT | O_EXCL, 0600, 0);
    if (ping == SEM_FAILED || pong == SEM_FAILED) {
        perror("sem_open");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* The child opens both again: its own mappings of the same files, at other addresses. */
        sem_t *cping = sem_open(ping_name, 0);
        sem_t *cpong = sem_open(pong_name, 0);
        int rounds = 0;
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 10;
        while (rounds < 200 && sem_timedwait(cping, &deadline) == 0) {
            rounds++;
            sem_post(cpong);
        }
        printf("semaphores: child answered %d pings\n", rounds);
        fflush(stdout);
        _exit(0);
    }
    int answered = 0;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    for (int i = 0; i < 200; i++) {
        sem_post(ping);
        if (sem_timedwait(pong, &deadline) != 0) {
            break;
        }
        answered++;
    }
    reap(pid);
    printf("semaphores: parent got %d pongs\n", answered);
    sem_unlink(ping_name);
    sem_unlink(pong_name);
}

struct shared_state {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int turn;
    long counter;
};

/* Two processes take turns through a process-shared mutex and condition variable. */
static void shared_mutex_and_condvar(void) {
    struct shared_state *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->lock, &ma);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&s->changed, &ca);
    fflush(stdout);
    pid_t pid = fork();
    int me = pid == 0 ? 1 : 0;
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&s->lock);
        while (s->turn != me) {
            pthread_cond_wait(&s->changed, &s->lock);
        }
        s->counter++;
        s->turn = 1 - me;
        pthread_cond_signal(&s->changed);
        pthread_mutex_unlock(&s->lock);
    }
    if (pid == 0) {
        _exit(0);
    }
    reap(pid);
    printf("mutex and condvar: counter %ld\n", s->counter);
}

/*
 * Atomic instructions of several processes on one shared word (LOCK XADD, and a CMPXCHG loop as
 * glibc's semaphores use): no increment may be lost.
 */
static void shared_atomics(void) {
    long *words = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    enum { PROCESSES = 4, ROUNDS = 1000000 };
    pid_t pids[PROCESSES];
    fflush(stdout);
    for (int p = 0; p < PROCESSES; p++) {
        pids[p] = fork();
        if (pids[p] == 0) {
            /* All start together, so that they run at once. */
            __atomic_fetch_add(&words[2], 1, __ATOMIC_SEQ_CST);
            while (__atomic_load_n(&words[2], __ATOMIC_SEQ_CST) < PROCESSES) {
            }
            for (int i = 0; i < ROUNDS; i++) {
                __atomic_fetch_add(&words[0], 1, __ATOMIC_SEQ_CST);
                long old = __atomic_load_n(&words[1], __ATOMIC_RELAXED);
                while (!__atomic_compare_exchange_n(&words[1], &old, old + 2, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
                }
            }
            _exit(0);
        }
    }
    for (int p = 0; p < PROCESSES; p++) {
        reap(pids[p]);
    }
    printf("shared atomics: add %ld, cmpxchg %ld\n", words[0], words[1]);
}

int main(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(run_id, sizeof run_id, "%d-%ld.%09ld", getpid(), (long) now.tv_sec, now.tv_nsec);
    int *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    across_fork("shared anonymous", anon + 5);

    /* A file mapped shared, and mapped again in the child at another address and offset. */
    char path[96];
    snprintf(path, sizeof path, "sharedfutex-%s.dat", run_id);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    ftruncate(fd, 3 * 4096);
    int *file = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        munmap(file, 3 * 4096);
        mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        int *again = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
        wait_in_child("shared file", again + 7, FUTEX_WAIT, 10000);
    }
    long woke = wake_one(file + 1024 + 7, FUTEX_WAKE);
    reap(pid);
    printf("shared file: wake woke %ld\n", woke);
    /* The other word of the page is another futex. */
    not_across_fork("shared file, other word", file + 1024 + 7, FUTEX_WAIT, file + 1024 + 8, FUTEX_WAKE);
    unlink(path);

    /* A private futex is the process's own, even in shared memory. */
    not_across_fork("private futex in shared memory", anon, FUTEX_WAIT_PRIVATE, anon, FUTEX_WAKE_PRIVATE);
    not_across_fork("private and shared futex", anon, FUTEX_WAIT, anon, FUTEX_WAKE_PRIVATE);
    /* Private memory is copied by fork: a shared futex there is the process's own too. */
    int *heap = malloc(64);
    heap[0] = 0;
    not_across_fork("shared futex in private memory", heap, FUTEX_WAIT, heap, FUTEX_WAKE);

    /* A shared futex must be mapped (EFAULT); a private one is never looked up. */
    int *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);
    long r = futex(gone, FUTEX_WAKE, 1, NULL);
    printf("shared wake of unmapped: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    r = futex(gone, FUTEX_WAKE_PRIVATE, 1, NULL);
    printf("private wake of unmapped: %ld\n", r);

    named_semaphores();
    shared_mutex_and_condvar();
    shared_atomics();
    return 0;
}
