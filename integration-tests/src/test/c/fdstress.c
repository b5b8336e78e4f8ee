/*
 * Descriptor stress: 8 threads share one descriptor table and each opens, dups (dup, dup2,
 * F_DUPFD), flags (F_GETFD/F_SETFD), pipes, maps and closes its own files in a loop, checking
 * every time that its descriptors name its own files (fstat's inode, the content read and mapped,
 * a pipe round trip). Prints each thread's count of mismatches, which is 0 on Linux.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 400
#define SIZE 4096
#define BURST 6

static pthread_barrier_t start;
static ino_t inode[THREADS];
static dev_t device[THREADS];
static long mismatches[THREADS];
static char first[THREADS][64];

static void name(long id, char *buf) {
    snprintf(buf, 32, "fdstress.%ld", id);
}

static void content(long id, char *buf) {
    memset(buf, 'a' + (int) id, SIZE);
    int n = snprintf(buf, 64, "file of thread %ld\n", id);
    buf[n] = 'a' + (int) id;
}

/* Whether fd names thread id's file: same device and inode, and its first bytes. */
static int mine(long id, int fd) {
    struct stat st;
    char buf[64];
    if (fstat(fd, &st) != 0 || st.st_ino != inode[id] || st.st_dev != device[id]) {
        return 0;
    }
    return pread(fd, buf, sizeof buf, 0) == (ssize_t) sizeof buf && memcmp(buf, first[id], sizeof buf) == 0;
}

static void miss(long id, int round, const char *what) {
    if (mismatches[id]++ < 3) {
        fprintf(stderr, "thread %ld round %d: %s (errno %d)\n", id, round, what, errno);
    }
}

static void *work(void *arg) {
    long id = (long) arg;
    char path[32];
    name(id, path);
    pthread_barrier_wait(&start);
    for (int round = 0; round < ROUNDS; round++) {
        /* A burst of opens first: the threads' installs meet in the table. */
        int burst[BURST];
        for (int i = 0; i < BURST; i++) {
            burst[i] = open(path, O_RDONLY);
        }
        for (int i = 0; i < BURST; i++) {
            if (burst[i] < 0 || !mine(id, burst[i]) || close(burst[i]) != 0) {
                miss(id, round, "open in a burst");
            }
        }
        int cloexec = round & 1;
        int fd = open(path, O_RDONLY | (cloexec ? O_CLOEXEC : 0));
        if (fd < 0 || !mine(id, fd)) {
            miss(id, round, "open");
        }
        int flags = fcntl(fd, F_GETFD);
        if (flags != (cloexec ? FD_CLOEXEC : 0)) {
            miss(id, round, "F_GETFD after open");
        }
        int copy = dup(fd);
        if (copy < 0 || !mine(id, copy) || fcntl(copy, F_GETFD) != 0) {
            miss(id, round, "dup");
        }
        int high = fcntl(fd, F_DUPFD, 64 + (int) id * 4);
        if (high < 64 + id * 4 || !mine(id, high)) {
            miss(id, round, "F_DUPFD");
        }
        if (fcntl(high, F_SETFD, FD_CLOEXEC) != 0 || fcntl(high, F_GETFD) != FD_CLOEXEC
                || fcntl(fd, F_GETFD) != (cloexec ? FD_CLOEXEC : 0)) {
            miss(id, round, "F_SETFD");
        }
        /* A number of its own that no lowest-free search reaches. */
        int target = 200 + (int) id;
        if (dup2(copy, target) != target || !mine(id, target)) {
            miss(id, round, "dup2");
        }
        int p[2];
        if (pipe(p) != 0) {
            miss(id, round, "pipe");
        } else {
            long token[2] = {id, round};
            long back[2] = {-1, -1};
            if (write(p[1], token, sizeof token) != sizeof token || read(p[0], back, sizeof back) != sizeof back
                    || back[0] != id || back[1] != round) {
                miss(id, round, "pipe round trip");
            }
            if (close(p[0]) != 0 || close(p[1]) != 0) {
                miss(id, round, "close pipe");
            }
        }
        if (round % 8 == 0) {
            char *m = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, copy, 0);
            if (m == MAP_FAILED || memcmp(m, first[id], sizeof first[id]) != 0 || m[SIZE - 1] != 'a' + id) {
                miss(id, round, "mmap");
            }
            if (m != MAP_FAILED) {
                munmap(m, SIZE);
            }
        }
        if (close(high) != 0 || close(copy) != 0 || close(fd) != 0) {
            miss(id, round, "close");
        }
        if (!mine(id, target) || close(target) != 0) {
            miss(id, round, "dup2 target after closes");
        }
    }
    return NULL;
}

int main(void) {
    char buf[SIZE];
    for (long id = 0; id < THREADS; id++) {
        char path[32];
        struct stat st;
        name(id, path);
        content(id, buf);
        memcpy(first[id], buf, sizeof first[id]);
        int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || write(fd, buf, SIZE) != SIZE || fstat(fd, &st) != 0 || close(fd) != 0) {
            perror(path);
            return 1;
        }
        inode[id] = st.st_ino;
        device[id] = st.st_dev;
    }
    pthread_barrier_init(&start, NULL, THREADS);
    pthread_t t[THREADS];
    for (long id = 0; id < THREADS; id++) {
        if (pthread_create(&t[id], NULL, work, (void *) id) != 0) {
            puts("pthread_create failed");
            return 1;
        }
    }
    long total = 0;
    for (long id = 0; id < THREADS; id++) {
        pthread_join(t[id], NULL);
        total += mismatches[id];
        if (mismatches[id] == 0) {
            printf("thread %ld ok\n", id);
        } else {
            printf("thread %ld: %ld mismatches\n", id, mismatches[id]);
        }
    }
    /* Every descriptor the threads opened is closed again: the next free one is 3. */
    int fd = dup(0);
    printf("next descriptor %d\n", fd);
    close(fd);
    for (long id = 0; id < THREADS; id++) {
        char path[32];
        name(id, path);
        unlink(path);
    }
    printf("%d threads, %d rounds, %ld mismatches\n", THREADS, ROUNDS, total);
    return total == 0 ? 0 : 1;
}
