/* Priority-inheritance futexes: pthread mutexes with PTHREAD_PRIO_INHERIT (contention, trylock,
 * robust owner death, a condition variable), then the raw operations: FUTEX_LOCK_PI, LOCK_PI2,
 * TRYLOCK_PI, UNLOCK_PI (the word's TID, FUTEX_WAITERS and FUTEX_OWNER_DIED bits, the hand-over to a
 * waiter), FUTEX_WAIT_REQUEUE_PI with FUTEX_CMP_REQUEUE_PI, and their errnos. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

/* linux/futex.h's values (musl has no kernel headers). */
#define FUTEX_WAKE_PRIVATE 129
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_LOCK_PI_PRIVATE (FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_UNLOCK_PI_PRIVATE (FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_REQUEUE_PI_PRIVATE (FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PI_PRIVATE (FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

static const char *name(int e) {
    return e == 0 ? "0" : e == EDEADLK ? "EDEADLK" : e == EOWNERDEAD ? "EOWNERDEAD" : e == ENOTRECOVERABLE ? "ENOTRECOVERABLE" : errname(e);
}
static pthread_mutex_t m;
static pthread_cond_t cv;
static int counter, ready;

static long fx(uint32_t *uaddr, int op, uint32_t val, const void *timeout, uint32_t *uaddr2, uint32_t val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static const char *rc(long r) {
    return r < 0 ? name(errno) : r == 0 ? "0" : "positive";
}

static int tid(void) {
    return (int) syscall(SYS_gettid);
}

static void msleep(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void init(int robust) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    if (robust) pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&m, &a);
    pthread_mutexattr_destroy(&a);
}

static void *adder(void *arg) {
    (void) arg;
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&m);
        int v = counter;
        if (i % 500 == 0) sched_yield();
        counter = v + 1;
        pthread_mutex_unlock(&m);
    }
    return NULL;
}

static void *try_it(void *arg) {
    (void) arg;
    int r = pthread_mutex_trylock(&m);
    return (void *) (intptr_t) r;
}

static void *lock_and_exit(void *arg) {
    pthread_mutex_lock(&m);
    if (arg) msleep(150);
    return NULL;
}

static void *consumer(void *arg) {
    (void) arg;
    pthread_mutex_lock(&m);
    while (!ready) pthread_cond_wait(&cv, &m);
    counter += 100;
    pthread_mutex_unlock(&m);
    return NULL;
}

static void pthreads(void) {
    pthread_t th[4];
    init(0);
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, adder, NULL);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    printf("contention: counter %d\n", counter);

    void *res;
    pthread_mutex_lock(&m);
    pthread_create(&th[0], NULL, try_it, NULL);
    pthread_join(th[0], &res);
    printf("trylock held elsewhere: %s\n", name((int) (intptr_t) res));
    pthread_mutex_unlock(&m);
    pthread_create(&th[0], NULL, try_it, NULL);
    pthread_join(th[0], &res);
    printf("trylock free: %d\n", (int) (intptr_t) res);
    pthread_mutex_destroy(&m);

    init(1);
    pthread_create(&th[0], NULL, lock_and_exit, NULL);
    pthread_join(th[0], NULL);
    int r = pthread_mutex_lock(&m);
    printf("robust PI, owner gone: %s\n", name(r));
    if (r == EOWNERDEAD) pthread_mutex_consistent(&m);
    pthread_mutex_unlock(&m);
    printf("robust PI, again: %s\n", name(pthread_mutex_lock(&m)));
    pthread_mutex_unlock(&m);
    pthread_create(&th[0], NULL, lock_and_exit, (void *) 1);
    msleep(50);
    r = pthread_mutex_lock(&m);
    printf("robust PI, owner dies while waited for: %s\n", name(r));
    if (r == EOWNERDEAD) pthread_mutex_consistent(&m);
    pthread_mutex_unlock(&m);
    pthread_join(th[0], NULL);
    pthread_mutex_destroy(&m);

    init(0);
    pthread_cond_init(&cv, NULL);
    counter = 0;
    for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, consumer, NULL);
    msleep(50);
    pthread_mutex_lock(&m);
    ready = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&m);
    for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
    printf("condition variable with a PI mutex: counter %d\n", counter);
}

static uint32_t *w, *c, *w2;
static int holder_tid;
static long results[4];
static uint32_t seen[4];
static int tids[4];

static void *hold(void *arg) {
    holder_tid = tid();
    *w = holder_tid;
    msleep((int) (intptr_t) arg);
    long r = fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    results[3] = r < 0 ? -errno : r;
    return NULL;
}

static void *lock_waiter(void *arg) {
    int i = (int) (intptr_t) arg;
    tids[i] = tid();
    long r = fx(w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    results[i] = r < 0 ? -errno : r;
    seen[i] = *w;
    if (r == 0) {
        msleep(20);
        fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    }
    return NULL;
}

static void *requeue_waiter(void *arg) {
    int i = (int) (intptr_t) arg;
    tids[i] = tid();
    long r = fx(c, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 5, NULL, w2, 0);
    results[i] = r < 0 ? -errno : r;
    seen[i] = *w2;
    if (r == 0) {
        msleep(20);
        uint32_t self = tid();
        if (!__atomic_compare_exchange_n(w2, &self, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            fx(w2, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    }
    return NULL;
}

static const char *who(uint32_t word, int expect) {
    return (int) (word & FUTEX_TID_MASK) == expect ? "the waiter" : (word & FUTEX_TID_MASK) == 0 ? "nobody" : "another";
}

static void raw(void) {
    uint32_t *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    w = page;
    c = page + 1;
    w2 = page + 2;
    int me = tid();
    struct timespec rt, mono;

    *w = 0;
    long r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    printf("LOCK_PI free: %s, word is mine %d\n", rc(r), *w == (uint32_t) me);
    printf("LOCK_PI again: %s\n", rc(fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0)));
    printf("TRYLOCK_PI mine: %s\n", rc(fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0)));
    r = fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    printf("UNLOCK_PI: %s, word %#x\n", rc(r), *w);
    printf("UNLOCK_PI not owner: %s\n", rc(fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0)));
    *w = FUTEX_OWNER_DIED;
    r = fx(w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    printf("LOCK_PI owner died: %s, bits %#x mine %d\n", rc(r),
           *w & ~FUTEX_TID_MASK, (*w & FUTEX_TID_MASK) == (uint32_t) me);
    *w = FUTEX_WAITERS | me;
    r = fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    printf("UNLOCK_PI with waiters bit, none queued: %s, word %#x\n", rc(r), *w);
    *w = 0x3ffffff0;
    r = fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
    printf("LOCK_PI no such owner: %s, word %#x\n", rc(r), *w);
    *w = 0x3ffffff0;
    printf("TRYLOCK_PI no such owner: %s\n", rc(fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0)));
    *w = 0;
    printf("LOCK_PI unaligned: %s\n", rc(fx((uint32_t *) ((char *) w + 1), FUTEX_LOCK_PI, 0, NULL, NULL, 0)));
    printf("LOCK_PI NULL: %s\n", rc(fx(NULL, FUTEX_LOCK_PI, 0, NULL, NULL, 0)));
    printf("UNLOCK_PI NULL: %s\n", rc(fx(NULL, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0)));
    printf("LOCK_PI bad timeout: %s\n", rc(fx(w, FUTEX_LOCK_PI, 0, (void *) 8, NULL, 0)));
    struct timespec bad = {0, 1000000000};
    printf("LOCK_PI invalid timeout: %s\n", rc(fx(w, FUTEX_LOCK_PI, 0, &bad, NULL, 0)));
    printf("LOCK_PI|CLOCK_REALTIME: %s\n", rc(fx(w, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0)));
    printf("TRYLOCK_PI|CLOCK_REALTIME: %s\n", rc(fx(w, FUTEX_TRYLOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0)));
    mprotect(page + 1024, 4096, PROT_READ);
    printf("LOCK_PI read-only: %s\n", rc(fx(page + 1024, FUTEX_LOCK_PI, 0, NULL, NULL, 0)));
    mprotect(page + 1024, 4096, PROT_READ | PROT_WRITE);

    /* A live owner: TRYLOCK_PI is EAGAIN and sets FUTEX_WAITERS; timeouts; the hand-over. */
    pthread_t th[3];
    *w = 0;
    pthread_create(&th[2], NULL, hold, (void *) 400);
    msleep(50);
    r = fx(w, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
    printf("TRYLOCK_PI held: %s, waiters bit %d\n", rc(r), !!(*w & FUTEX_WAITERS));
    clock_gettime(CLOCK_REALTIME, &rt);
    rt.tv_nsec += 30000000;
    if (rt.tv_nsec >= 1000000000) { rt.tv_sec++; rt.tv_nsec -= 1000000000; }
    printf("LOCK_PI timeout: %s\n", rc(fx(w, FUTEX_LOCK_PI, 0, &rt, NULL, 0)));
    clock_gettime(CLOCK_MONOTONIC, &mono);
    mono.tv_nsec += 30000000;
    if (mono.tv_nsec >= 1000000000) { mono.tv_sec++; mono.tv_nsec -= 1000000000; }
    printf("LOCK_PI2 timeout: %s\n", rc(fx(w, FUTEX_LOCK_PI2, 0, &mono, NULL, 0)));
    clock_gettime(CLOCK_REALTIME, &rt);
    printf("LOCK_PI2|CLOCK_REALTIME past: %s\n", rc(fx(w, FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, 0, &rt, NULL, 0)));
    pthread_create(&th[0], NULL, lock_waiter, (void *) 0);
    msleep(50);
    pthread_create(&th[1], NULL, lock_waiter, (void *) 1);
    pthread_join(th[2], NULL);
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    printf("owner's UNLOCK_PI: %ld\n", results[3]);
    for (int i = 0; i < 2; i++)
        printf("waiter %d: %s, owned by %s, waiters bit %d\n", i, results[i] ? name((int) -results[i]) : "0",
               who(seen[i], tids[i]), !!(seen[i] & FUTEX_WAITERS));
    printf("word at the end %#x\n", *w);

    /* Requeue-PI errnos. */
    *c = 5;
    *w2 = 0;
    printf("WAIT_REQUEUE_PI value differs: %s\n", rc(fx(c, FUTEX_WAIT_REQUEUE_PI, 4, NULL, w2, 0)));
    printf("WAIT_REQUEUE_PI same word: %s\n", rc(fx(c, FUTEX_WAIT_REQUEUE_PI, 5, NULL, c, 0)));
    clock_gettime(CLOCK_MONOTONIC, &mono);
    printf("WAIT_REQUEUE_PI timeout: %s\n", rc(fx(c, FUTEX_WAIT_REQUEUE_PI, 5, &mono, w2, 0)));
    printf("CMP_REQUEUE_PI wake 2: %s\n", rc(fx(c, FUTEX_CMP_REQUEUE_PI, 2, (void *) 1, w2, 5)));
    printf("CMP_REQUEUE_PI same word: %s\n", rc(fx(c, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, c, 5)));
    printf("CMP_REQUEUE_PI value differs: %s\n", rc(fx(c, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, w2, 4)));
    printf("CMP_REQUEUE_PI nobody: %ld\n", fx(c, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, w2, 5));
    printf("CMP_REQUEUE_PI unaligned: %s\n", rc(fx(c, FUTEX_CMP_REQUEUE_PI, 1, (void *) 1, (uint32_t *) ((char *) w2 + 2), 5)));

    /* A free PI futex: the first waiter takes it and wakes. */
    memset(results, 0, sizeof results);
    pthread_create(&th[0], NULL, requeue_waiter, (void *) 0);
    msleep(50);
    printf("FUTEX_WAKE on a requeue-PI waiter: %s\n", rc(fx(c, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)));
    printf("CMP_REQUEUE_PI to a free lock: %ld\n", fx(c, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *) 0, w2, 5));
    pthread_join(th[0], NULL);
    printf("waiter: %s, owned by %s, waiters bit %d\n", results[0] ? name((int) -results[0]) : "0",
           who(seen[0], tids[0]), !!(seen[0] & FUTEX_WAITERS));

    /* A held PI futex: both waiters are queued on it and get it from UNLOCK_PI in turn. */
    memset(results, 0, sizeof results);
    *w2 = me;
    pthread_create(&th[0], NULL, requeue_waiter, (void *) 0);
    msleep(50);
    pthread_create(&th[1], NULL, requeue_waiter, (void *) 1);
    msleep(50);
    r = fx(c, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *) 2, w2, 5);
    printf("CMP_REQUEUE_PI to a held lock: %ld, word mine %d waiters bit %d\n", r, (*w2 & FUTEX_TID_MASK) == (uint32_t) me,
           !!(*w2 & FUTEX_WAITERS));
    printf("UNLOCK_PI: %s\n", rc(fx(w2, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    for (int i = 0; i < 2; i++)
        printf("waiter %d: %s, owned by %s, waiters bit %d\n", i, results[i] ? name((int) -results[i]) : "0",
               who(seen[i], tids[i]), !!(seen[i] & FUTEX_WAITERS));
    printf("word at the end %#x\n", *w2);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pthreads();
    raw();
    return 0;
}
