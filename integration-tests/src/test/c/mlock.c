/*
 * Memory locks and residency: mlock, mlock2, munlock, mlockall, munlockall with what /proc shows of
 * them (VmLck, smaps' Locked and "lo"), their checks and RLIMIT_MEMLOCK for a process without
 * CAP_IPC_LOCK; mincore's vector and errors; membarrier's commands and registrations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOWN(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-48s %ld %s\n", label, r_, r_ < 0 ? strerror(e_) : ""); } while (0)

#define PAGE 4096L

static long vmlck(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "VmLck: %ld", &kb);
    }
    fclose(f);
    return kb;
}

/* smaps' Locked and whether VmFlags has "lo", for the mapping holding addr. */
static void smaps_of(const char *label, void *addr) {
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int in = 0;
    long locked = -1;
    int lo = 0;
    unsigned long lo_a = 0, hi_a = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b;
        if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, ':') && line[8] != ':') {
            in = (uintptr_t) addr >= a && (uintptr_t) addr < b;
            if (in) {
                lo_a = a;
                hi_a = b;
            }
            continue;
        }
        if (!in) {
            continue;
        }
        sscanf(line, "Locked: %ld", &locked);
        if (strncmp(line, "VmFlags:", 8) == 0) {
            lo = strstr(line, " lo ") != NULL;
        }
    }
    fclose(f);
    printf("%s: mapping of %lu pages, Locked %ld kB, lo %d\n", label, (hi_a - lo_a) / PAGE, locked, lo);
}

static long mlock2_(void *a, size_t len, unsigned flags) {
    return syscall(SYS_mlock2, a, len, flags);
}

static void mincore_show(const char *label, void *a, size_t len) {
    unsigned char vec[16];
    memset(vec, 7, sizeof vec);
    errno = 0;
    int r = mincore(a, len, vec);
    printf("%-48s %d %s [", label, r, r < 0 ? strerror(errno) : "");
    for (size_t i = 0; i < (len + PAGE - 1) / PAGE && i < sizeof vec; i++) {
        printf("%d", vec[i]);
    }
    printf("]\n");
}

static long membarrier(int cmd, unsigned flags, int cpu) {
    return syscall(SYS_membarrier, cmd, flags, cpu);
}

int main(int argc, char **argv) {
    (void) argc;
    (void) argv;
    char *m = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("VmLck at start %ld kB\n", vmlck());
    SHOWN("mlock 2 pages from mid-page", mlock(m + PAGE + 100, PAGE));
    printf("VmLck %ld kB\n", vmlck());
    smaps_of("locked part", m + PAGE);
    smaps_of("unlocked part", m);
    SHOWN("mlock again, overlapping", mlock(m, 3 * PAGE));
    printf("VmLck %ld kB\n", vmlck());
    SHOWN("munlock middle page", munlock(m + PAGE, PAGE));
    printf("VmLck %ld kB\n", vmlck());
    SHOWN("mlock length 0", mlock(m, 0));
    SHOWN("mlock2 MLOCK_ONFAULT", mlock2_(m + 4 * PAGE, PAGE, MLOCK_ONFAULT));
    SHOWN("mlock2 bad flags", mlock2_(m, PAGE, 2));
    printf("VmLck %ld kB\n", vmlck());
    SHOWN("munmap a locked page", munmap(m + 4 * PAGE, PAGE));
    printf("VmLck %ld kB\n", vmlck());
    SHOWN("mlock over a hole", mlock(m + 3 * PAGE, 3 * PAGE));
    SHOWN("munlock over a hole", munlock(m + 3 * PAGE, 3 * PAGE));
    SHOWN("mlock wrapping length", mlock(m, (size_t) -PAGE));
    SHOWN("mlock SIZE_MAX", mlock(m, SIZE_MAX));
    SHOWN("mlock unmapped", mlock((void *) PAGE, PAGE));
    SHOWN("mlock past user space", mlock((void *) 0x7ffffffff000, 2 * PAGE));
    char *none = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOWN("mlock PROT_NONE", mlock(none, 2 * PAGE));
    printf("VmLck %ld kB\n", vmlck());
    SHOWN("munlock everything mapped", munlock(m, 3 * PAGE));
    SHOWN("munlock PROT_NONE", munlock(none, 2 * PAGE));
    printf("VmLck %ld kB\n", vmlck());
    char *locked = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("VmLck after MAP_LOCKED %ld kB\n", vmlck());
    smaps_of("MAP_LOCKED", locked);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        printf("child VmLck %ld kB\n", vmlck());
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    munmap(locked, 3 * PAGE);

    SHOWN("mlockall 0", mlockall(0));
    SHOWN("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT));
    SHOWN("mlockall unknown flag", mlockall(8));
    SHOWN("mlockall MCL_FUTURE", mlockall(MCL_FUTURE));
    printf("VmLck after MCL_FUTURE %ld kB\n", vmlck());
    char *later = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("VmLck after a new mapping %ld kB\n", vmlck());
    smaps_of("new mapping", later);
    SHOWN("mlockall MCL_CURRENT", mlockall(MCL_CURRENT));
    printf("VmLck after MCL_CURRENT positive %d\n", vmlck() > 0);
    smaps_of("old mapping", m);
    char *after = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    smaps_of("mapping after MCL_CURRENT alone", after);
    SHOWN("munlockall", munlockall());
    printf("VmLck after munlockall %ld kB\n", vmlck());
    munmap(later, 2 * PAGE);
    munmap(after, PAGE);

    /* Without CAP_IPC_LOCK: RLIMIT_MEMLOCK rules. */
    fflush(stdout);
    c = fork();
    if (c == 0) {
        if (setuid(65534) != 0) {
            printf("setuid failed\n");
            _exit(1);
        }
        struct rlimit rl = {4 * PAGE, 4 * PAGE};
        setrlimit(RLIMIT_MEMLOCK, &rl);
        SHOWN("nobody: mlock 2 pages", mlock(m, 2 * PAGE));
        SHOWN("nobody: mlock 3 more pages (over)", mlock(m + 2 * PAGE, 3 * PAGE));
        SHOWN("nobody: mlock 2 more pages", mlock(m + 2 * PAGE, 2 * PAGE));
        SHOWN("nobody: mlock the same 4 pages", mlock(m, 4 * PAGE));
        printf("nobody: VmLck %ld kB\n", vmlck());
        void *x = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        printf("nobody: mmap MAP_LOCKED over the limit %s\n", x == MAP_FAILED ? strerror(errno) : "mapped");
        SHOWN("nobody: mlockall MCL_CURRENT", mlockall(MCL_CURRENT));
        SHOWN("nobody: munlockall", munlockall());
        SHOWN("nobody: mlockall MCL_FUTURE", mlockall(MCL_FUTURE));
        x = mmap(NULL, 16 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("nobody: mmap with MCL_FUTURE over the limit %s\n", x == MAP_FAILED ? strerror(errno) : "mapped");
        munlockall();
        rl.rlim_cur = rl.rlim_max = 0;
        setrlimit(RLIMIT_MEMLOCK, &rl);
        SHOWN("nobody: mlock with a limit of 0", mlock(m, PAGE));
        SHOWN("nobody: mlockall with a limit of 0", mlockall(MCL_CURRENT));
        SHOWN("nobody: munlock with a limit of 0", munlock(m, PAGE));
        fflush(stdout);
        _exit(0);
    }
    waitpid(c, NULL, 0);

    /* mincore: touched anonymous pages are resident, untouched ones not. */
    char *r = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    r[0] = 1;
    r[2 * PAGE] = 1;
    mincore_show("mincore", r, 4 * PAGE);
    mincore_show("mincore partial last page", r, 3 * PAGE + 1);
    mincore_show("mincore length 0", r, 0);
    mincore_show("mincore unaligned", r + 1, PAGE);
    munmap(r + 3 * PAGE, PAGE);
    mincore_show("mincore over a hole", r, 4 * PAGE);
    SHOWN("mincore bad vector", mincore(r, PAGE, (unsigned char *) 8));
    SHOWN("mincore kernel vector", mincore(r, PAGE, (unsigned char *) -4096L));
    SHOWN("mincore past user space", mincore((void *) 0x7ffffffff000, 2 * PAGE, (unsigned char *) r));
    SHOWN("mincore unmapped", mincore((void *) PAGE, PAGE, (unsigned char *) r + 8));
    char *pn = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mincore_show("mincore PROT_NONE", pn, PAGE);

    /* membarrier. */
    SHOWN("membarrier QUERY", membarrier(0, 0, 0));
    SHOWN("membarrier QUERY flags", membarrier(0, 1, 0));
    SHOWN("membarrier GLOBAL", membarrier(1, 0, 0));
    SHOWN("membarrier GLOBAL_EXPEDITED", membarrier(2, 0, 0));
    SHOWN("membarrier PRIVATE_EXPEDITED unregistered", membarrier(8, 0, 0));
    SHOWN("membarrier SYNC_CORE unregistered", membarrier(32, 0, 0));
    SHOWN("membarrier RSEQ unregistered", membarrier(128, 0, 0));
    SHOWN("membarrier RSEQ flag CPU unregistered", membarrier(128, 1, 0));
    SHOWN("membarrier RSEQ bad flag", membarrier(128, 2, 0));
    SHOWN("membarrier GET_REGISTRATIONS", membarrier(512, 0, 0));
    SHOWN("membarrier REGISTER_PRIVATE_EXPEDITED_SYNC_CORE", membarrier(64, 0, 0));
    SHOWN("membarrier GET_REGISTRATIONS", membarrier(512, 0, 0));
    SHOWN("membarrier PRIVATE_EXPEDITED", membarrier(8, 0, 0));
    SHOWN("membarrier SYNC_CORE", membarrier(32, 0, 0));
    SHOWN("membarrier REGISTER_PRIVATE_EXPEDITED", membarrier(16, 0, 0));
    SHOWN("membarrier PRIVATE_EXPEDITED", membarrier(8, 0, 0));
    SHOWN("membarrier REGISTER_GLOBAL_EXPEDITED", membarrier(4, 0, 0));
    SHOWN("membarrier REGISTER_PRIVATE_EXPEDITED_RSEQ", membarrier(256, 0, 0));
    SHOWN("membarrier RSEQ", membarrier(128, 0, 0));
    SHOWN("membarrier RSEQ on cpu 0", membarrier(128, 1, 0));
    SHOWN("membarrier GET_REGISTRATIONS", membarrier(512, 0, 0));
    SHOWN("membarrier unknown", membarrier(1024, 0, 0));
    SHOWN("membarrier negative", membarrier(-1, 0, 0));
    return 0;
}
