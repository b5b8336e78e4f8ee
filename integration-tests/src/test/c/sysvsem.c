/*
 * System V semaphores: semget's rules and errors, SETVAL/GETVAL/SETALL/GETALL/GETPID/GETNCNT/GETZCNT,
 * semop's all-or-nothing operations with IPC_NOWAIT, ERANGE, EFBIG, E2BIG, a waiter in another process
 * woken by a semop, semtimedop's timeout, a signal interrupting a wait (EINTR even with SA_RESTART),
 * IPC_RMID waking a waiter with EIDRM, SEM_UNDO undone at exit, IPC_STAT/IPC_SET, the *_INFO and *_STAT
 * commands, an unprivileged user's errors, /proc/sysvipc/sem and /proc/sys/kernel/sem. Every set is
 * removed at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
    struct seminfo *__buf;
};

static void check(const char *what, long r) {
    if (r < 0) {
        printf("%s: %s\n", what, errname(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

static int op(int id, int num, int value, int flags) {
    struct sembuf b = {num, value, flags};
    return semop(id, &b, 1);
}

/* Waits until semaphore num of id has n waiters of the kind cmd counts. */
static void waiters(int id, int num, int cmd, int n) {
    for (int i = 0; i < 5000 && semctl(id, num, cmd) != n; i++) {
        usleep(1000);
    }
}

static void onsig(int sig) {
    (void) sig;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    key_t key = 0x4a4d0000 | (getpid() & 0xffff);
    check("nsems 0 create", semget(IPC_PRIVATE, 0, 0600));
    check("nsems too many", semget(IPC_PRIVATE, 32001, 0600));
    check("absent", semget(key, 1, 0600));
    int k = semget(key, 3, IPC_CREAT | IPC_EXCL | 0600);
    printf("created: %d\n", k >= 0);
    check("excl", semget(key, 3, IPC_CREAT | IPC_EXCL | 0600));
    check("more sems", semget(key, 4, 0600));
    printf("fewer same: %d\n", semget(key, 2, 0600) == k);
    printf("zero same: %d\n", semget(key, 0, 0) == k);

    int id = semget(IPC_PRIVATE, 4, 0600);
    unsigned short vals[4] = {1, 2, 3, 4}, got[4];
    check("getval new", semctl(id, 0, GETVAL));
    check("setall", semctl(id, 0, SETALL, (union semun){.array = vals}));
    check("getall", semctl(id, 0, GETALL, (union semun){.array = got}));
    printf("values: %u %u %u %u\n", got[0], got[1], got[2], got[3]);
    check("setval", semctl(id, 0, SETVAL, (union semun){.val = 5}));
    check("getval", semctl(id, 0, GETVAL));
    check("setval range", semctl(id, 0, SETVAL, (union semun){.val = 32768}));
    check("setval negative", semctl(id, 0, SETVAL, (union semun){.val = -1}));
    check("getval bad num", semctl(id, 4, GETVAL));
    printf("getpid self: %d\n", semctl(id, 0, GETPID) == getpid());

    /* semop */
    struct sembuf two[2] = {{0, -5, 0}, {1, -3, IPC_NOWAIT}};
    check("all or nothing", semop(id, two, 2));
    check("val0 kept", semctl(id, 0, GETVAL));
    check("nowait", op(id, 2, -4, IPC_NOWAIT));
    check("zero nowait", op(id, 2, 0, IPC_NOWAIT));
    check("range", op(id, 2, 32767, 0));
    check("efbig", op(id, 4, 1, 0));
    check("nsops 0", semop(id, two, 0));
    struct sembuf many[501];
    memset(many, 0, sizeof many);
    check("e2big", semop(id, many, 501));
    check("bad id", op(id + 32768, 0, 1, 0));
    check("dec", op(id, 3, -4, 0));
    check("wait zero", op(id, 3, 0, 0));
    struct sembuf dup[2] = {{1, -2, 0}, {1, 1, 0}};
    check("same sem twice", semop(id, dup, 2));
    check("val1", semctl(id, 1, GETVAL));

    /* A waiter in a child, woken by the parent; GETNCNT and GETZCNT meanwhile. */
    semctl(id, 3, SETVAL, (union semun){.val = 0});
    pid_t c = fork();
    if (c == 0) {
        int r = op(id, 3, -2, 0);
        printf("child woke: %d val %d\n", r, semctl(id, 3, GETVAL));
        _exit(0);
    }
    waiters(id, 3, GETNCNT, 1);
    check("ncnt", semctl(id, 3, GETNCNT));
    check("zcnt", semctl(id, 3, GETZCNT));
    check("inc one", op(id, 3, 1, 0));
    usleep(20000);
    check("ncnt still", semctl(id, 3, GETNCNT));
    int incremented = op(id, 3, 2, 0);
    int st;
    waitpid(c, &st, 0);
    check("inc two", incremented);
    printf("getpid child: %d\n", semctl(id, 3, GETPID) == c);
    check("val3", semctl(id, 3, GETVAL));

    /* A wait for zero. */
    c = fork();
    if (c == 0) {
        printf("zero waiter: %d\n", op(id, 3, 0, 0));
        _exit(0);
    }
    waiters(id, 3, GETZCNT, 1);
    check("zcnt one", semctl(id, 3, GETZCNT));
    op(id, 3, -1, 0);
    waitpid(c, &st, 0);

    /* semtimedop */
    struct timespec ts = {0, 50000000};
    struct sembuf dec = {3, -1, 0};
    check("timedop", semtimedop(id, &dec, 1, &ts));
    struct timespec bad = {0, 1000000000};
    check("bad timeout", semtimedop(id, &dec, 1, &bad));

    /* A signal interrupts a wait; SA_RESTART does not restart semop. */
    struct sigaction sa = {0};
    sa.sa_handler = onsig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    c = fork();
    if (c == 0) {
        int r = op(id, 3, -1, 0);
        printf("interrupted: %d %s\n", r, r < 0 ? errname(errno) : "");
        _exit(0);
    }
    waiters(id, 3, GETNCNT, 1);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);
    check("ncnt after signal", semctl(id, 3, GETNCNT));

    /* SEM_UNDO: a child's operations are undone when it exits. */
    semctl(id, 1, SETVAL, (union semun){.val = 10});
    c = fork();
    if (c == 0) {
        op(id, 1, -3, SEM_UNDO);
        op(id, 1, 5, SEM_UNDO);
        op(id, 1, 1, 0);
        printf("child sets %d\n", semctl(id, 1, GETVAL));
        _exit(0);
    }
    waitpid(c, &st, 0);
    check("after undo", semctl(id, 1, GETVAL));
    check("undo range", op(id, 1, -32767, SEM_UNDO | IPC_NOWAIT));
    c = fork();
    if (c == 0) {
        op(id, 1, -4, SEM_UNDO);
        semctl(id, 1, SETVAL, (union semun){.val = 7});
        _exit(0);
    }
    waitpid(c, &st, 0);
    check("setval clears undo", semctl(id, 1, GETVAL));

    /* IPC_STAT, IPC_SET, the info commands. */
    struct semid_ds ds;
    check("stat", semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("nsems %lu mode %o otime %s ctime %s\n", (unsigned long) ds.sem_nsems, (unsigned) ds.sem_perm.mode,
           ds.sem_otime ? "set" : "0", ds.sem_ctime ? "set" : "0");
    ds.sem_perm.mode = 0604;
    check("set", semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("mode now %o\n", (unsigned) ds.sem_perm.mode);
    struct seminfo info;
    int max = semctl(0, 0, IPC_INFO, (union semun){.__buf = &info});
    printf("info: %d map %d mni %d mns %d mnu %d msl %d opm %d ume %d usz %d vmx %d aem %d\n", max >= 0, info.semmap,
           info.semmni, info.semmns, info.semmnu, info.semmsl, info.semopm, info.semume, info.semusz, info.semvmx,
           info.semaem);
    max = semctl(0, 0, SEM_INFO, (union semun){.__buf = &info});
    printf("sem_info: %d sets >= 2 %d sems >= 7 %d\n", max >= id % 32768, info.semusz >= 2, info.semaem >= 7);
    printf("stat by index: %d\n", semctl(id % 32768, 0, SEM_STAT, (union semun){.buf = &ds}) == id);
    check("bad cmd", semctl(id, 0, 99));
    FILE *f = fopen("/proc/sysvipc/sem", "r");
    char line[256];
    fgets(line, sizeof line, f);
    printf("header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int kk, sid;
        unsigned perms, uid;
        unsigned long n;
        sscanf(line, "%d %d %o %lu %u", &kk, &sid, &perms, &n, &uid);
        if (sid == id) {
            printf("sysvipc: key %d perms %o nsems %lu uid %u\n", kk, perms, n, uid);
        }
    }
    fclose(f);
    f = fopen("/proc/sys/kernel/sem", "r");
    fgets(line, sizeof line, f);
    fclose(f);
    printf("sem sysctl: %s", line);

    /* An unprivileged user. */
    c = fork();
    if (c == 0) {
        setgid(65534);
        setuid(65534);
        check("other getval", semctl(id, 0, GETVAL));
        check("other op", op(id, 0, 1, 0));
        check("other wait zero", op(id, 2, 0, IPC_NOWAIT));
        check("other rmid", semctl(id, 0, IPC_RMID));
        check("other get", semget(key, 0, 0400));
        _exit(0);
    }
    waitpid(c, &st, 0);

    /* IPC_RMID wakes a waiter with EIDRM. */
    c = fork();
    if (c == 0) {
        int r = op(k, 0, -1, 0);
        printf("removed under waiter: %d %s\n", r, r < 0 ? errname(errno) : "");
        _exit(0);
    }
    waiters(k, 0, GETNCNT, 1);
    int removed = semctl(k, 0, IPC_RMID);
    waitpid(c, &st, 0);
    check("rmid", removed);
    check("gone", semctl(k, 0, GETVAL));
    check("rmid other", semctl(id, 0, IPC_RMID));
    check("rmid again", semctl(id, 0, IPC_RMID));
    return 0;
}
