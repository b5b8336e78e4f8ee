/*
 * Calls with a fixed answer on this machine: protection keys (the CPU has no PKU: pkey_alloc
 * EINVAL once, then ENOSPC, pkey_free and pkey_mprotect's keys EINVAL, key -1 as mprotect) and sched_rr_get_interval
 * under SCHED_RR and SCHED_FIFO, with their argument checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHOWN(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-48s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

static void rr(const char *label, pid_t pid) {
    struct timespec ts = {-1, -1};
    errno = 0;
    long r = syscall(SYS_sched_rr_get_interval, pid, &ts);
    printf("%-48s %ld %s %ld.%09ld\n", label, r, r < 0 ? strerror(errno) : "", (long) ts.tv_sec, ts.tv_nsec);
}

int main(void) {
    SHOWN("pkey_alloc flags", syscall(SYS_pkey_alloc, 1, 0));
    SHOWN("pkey_alloc bad rights", syscall(SYS_pkey_alloc, 0, 4));
    /* Linux takes key 0, fails to set its rights and keeps it: EINVAL once, then ENOSPC. */
    SHOWN("pkey_alloc", syscall(SYS_pkey_alloc, 0, 0));
    SHOWN("pkey_alloc PKEY_DISABLE_WRITE", syscall(SYS_pkey_alloc, 0, 2));
    fflush(stdout);
    if (fork() == 0) {
        SHOWN("child: pkey_alloc", syscall(SYS_pkey_alloc, 0, 0));
        fflush(stdout);
        _exit(0);
    }
    wait(NULL);
    SHOWN("pkey_free 0", syscall(SYS_pkey_free, 0));
    SHOWN("pkey_free 1", syscall(SYS_pkey_free, 1));
    SHOWN("pkey_free -1", syscall(SYS_pkey_free, -1));
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOWN("pkey_mprotect key -1", syscall(SYS_pkey_mprotect, m, 4096, PROT_READ, -1));
    SHOWN("pkey_mprotect key 0", syscall(SYS_pkey_mprotect, m, 4096, PROT_READ, 0));
    SHOWN("pkey_mprotect key 1", syscall(SYS_pkey_mprotect, m, 4096, PROT_READ, 1));
    SHOWN("pkey_mprotect key 1 unaligned", syscall(SYS_pkey_mprotect, m + 1, 4096, PROT_READ, 1));
    SHOWN("pkey_mprotect key 1 length 0", syscall(SYS_pkey_mprotect, m, 0, PROT_READ, 1));
    SHOWN("pkey_mprotect key -1 unmapped", syscall(SYS_pkey_mprotect, 4096, 4096, PROT_READ, -1));
    SHOWN("pkey_mprotect key 1 unmapped", syscall(SYS_pkey_mprotect, 4096, 4096, PROT_READ, 1));
    SHOWN("pkey_mprotect key 1 bad prot", syscall(SYS_pkey_mprotect, m, 4096, 0x100, 1));

    struct sched_param sp = {.sched_priority = 10};
    SHOWN("sched_setscheduler SCHED_RR", sched_setscheduler(0, SCHED_RR, &sp));
    rr("sched_rr_get_interval RR", 0);
    rr("sched_rr_get_interval RR by pid", getpid());
    SHOWN("sched_setscheduler SCHED_FIFO", sched_setscheduler(0, SCHED_FIFO, &sp));
    rr("sched_rr_get_interval FIFO", 0);
    rr("sched_rr_get_interval pid -1", -1);
    rr("sched_rr_get_interval no such pid", 4000000);
    SHOWN("sched_rr_get_interval bad pointer", syscall(SYS_sched_rr_get_interval, 0, (void *) 8));
    return 0;
}
