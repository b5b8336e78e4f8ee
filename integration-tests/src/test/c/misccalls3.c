/* remap_file_pages, process_madvise, process_mrelease, ustat, sysfs, restart_syscall, vhangup and
 * memfd_secret, futex_wake, futex_wait, futex_requeue and mseal, against Linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#ifndef SYS_process_mrelease
#define SYS_process_mrelease 448
#endif
#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif
#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_futex_wake
#define SYS_futex_wake 454
#define SYS_futex_wait 455
#define SYS_futex_requeue 456
#endif
#define FUTEX2_SIZE_U8 0x00
#define FUTEX2_SIZE_U16 0x01
#define FUTEX2_SIZE_U32 0x02
#define FUTEX2_SIZE_U64 0x03
#define FUTEX2_NUMA 0x04
#define FUTEX2_PRIVATE 128

struct waitv {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};
#ifndef MADV_COLD
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

static void show(const char *label, long r) {
    if (r < 0) {
        const char *name = errname(errno);
        if (strcmp(name, "other") == 0) {
            printf("%s: errno %d\n", label, errno);
        } else {
            printf("%s: %s\n", label, name);
        }
    } else {
        printf("%s: %ld\n", label, r);
    }
}

static void remaps(long page) {
    int f = open("rfp.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
    char buf[4096];
    for (int i = 0; i < 4; i++) {
        memset(buf, 'a' + i, sizeof buf);
        write(f, buf, sizeof buf);
    }
    char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    show("prot nonzero", syscall(SYS_remap_file_pages, m, page, PROT_READ, 0L, 0L));
    show("wrapping size", syscall(SYS_remap_file_pages, m, -page, 0L, 0L, 0L));
    show("wrapping pgoff", syscall(SYS_remap_file_pages, m, page, 0L, -1L, 0L));
    show("unmapped", syscall(SYS_remap_file_pages, (void *) page, page, 0L, 0L, 0L));
    show("page 0 to file page 3", syscall(SYS_remap_file_pages, m, page, 0L, 3L, 0L));
    printf("contents %c%c%c%c\n", m[0], m[page], m[2 * page], m[3 * page]);
    show("unaligned start, two pages to 1", syscall(SYS_remap_file_pages, m + 2 * page + 5, 2 * page + 7, 0L, 1L,
            (long) MAP_NONBLOCK));
    printf("contents %c%c%c%c\n", m[0], m[page], m[2 * page], m[3 * page]);
    m[0] = 'X';
    char c;
    pread(f, &c, 1, 3 * page);
    printf("write through page 0 reaches file page 3: %c\n", c);
    show("past the mapping", syscall(SYS_remap_file_pages, m + 2 * page, 3 * page, 0L, 0L, 0L));
    show("size 0", syscall(SYS_remap_file_pages, m, 0L, 0L, 0L, 0L));
    munmap(m, 4 * page);
    char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
    show("private mapping", syscall(SYS_remap_file_pages, p, page, 0L, 1L, 0L));
    munmap(p, 2 * page);
    char *a = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("private anonymous", syscall(SYS_remap_file_pages, a, page, 0L, 1L, 0L));
    munmap(a, 2 * page);
    char *s = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = '0';
    s[page] = '1';
    show("shared anonymous page 0 to 1", syscall(SYS_remap_file_pages, s, page, 0L, 1L, 0L));
    printf("shared anonymous %c%c\n", s[0], s[page]);
    munmap(s, 2 * page);
    char *q = mmap(NULL, 4 * page, PROT_READ, MAP_SHARED, f, 0);
    mprotect(q + page, page, PROT_READ | PROT_WRITE);
    show("across a protection change", syscall(SYS_remap_file_pages, q, 2 * page, 0L, 2L, 0L));
    show("within the first piece", syscall(SYS_remap_file_pages, q, page, 0L, 2L, 0L));
    printf("contents %c%c\n", q[0], q[page]);
    munmap(q, 4 * page);
    close(f);
    unlink("rfp.tmp");
}

static void madvises(long page) {
    char *m = mmap(NULL, 5 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4 * page, page);
    memset(m, 7, 4 * page);
    int self = syscall(SYS_pidfd_open, getpid(), 0);
    struct iovec v[2] = {{m, page}, {m + 2 * page, 2 * page}};
    show("process_madvise flags", syscall(SYS_process_madvise, self, v, 2L, MADV_COLD, 1L));
    show("process_madvise bad fd", syscall(SYS_process_madvise, 99, v, 2L, MADV_COLD, 0L));
    show("process_madvise not a pidfd", syscall(SYS_process_madvise, 0, v, 2L, MADV_COLD, 0L));
    show("process_madvise many vectors", syscall(SYS_process_madvise, self, v, 1025L, MADV_COLD, 0L));
    show("process_madvise bad vector", syscall(SYS_process_madvise, self, (void *) 8, 1L, MADV_COLD, 0L));
    show("process_madvise cold", syscall(SYS_process_madvise, self, v, 2L, MADV_COLD, 0L));
    show("process_madvise pageout", syscall(SYS_process_madvise, self, v, 2L, MADV_PAGEOUT, 0L));
    show("process_madvise willneed", syscall(SYS_process_madvise, self, v, 1L, MADV_WILLNEED, 0L));
    show("process_madvise none", syscall(SYS_process_madvise, self, v, 0L, MADV_COLD, 0L));
    printf("contents kept %d %d\n", m[0], m[3 * page]);
    show("process_madvise self dontneed", syscall(SYS_process_madvise, self, v, 1L, MADV_DONTNEED, 0L));
    printf("contents now %d %d\n", m[0], m[3 * page]);
    show("madvise cold unmapped", madvise(m + 4 * page, page, MADV_COLD));
    struct iovec hole[1] = {{m + 4 * page, page}};
    show("process_madvise unmapped", syscall(SYS_process_madvise, self, hole, 1L, MADV_COLD, 0L));
    struct iovec odd[1] = {{m + 1, page}};
    show("process_madvise unaligned", syscall(SYS_process_madvise, self, odd, 1L, MADV_COLD, 0L));
    show("process_madvise bad advice", syscall(SYS_process_madvise, self, v, 2L, 12345, 0L));
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    int other = syscall(SYS_pidfd_open, child, 0);
    show("process_madvise other cold", syscall(SYS_process_madvise, other, v, 2L, MADV_COLD, 0L));
    show("process_madvise other dontneed", syscall(SYS_process_madvise, other, v, 2L, MADV_DONTNEED, 0L));
    show("process_mrelease flags", syscall(SYS_process_mrelease, other, 1L));
    show("process_mrelease bad fd", syscall(SYS_process_mrelease, 99, 0L));
    show("process_mrelease not a pidfd", syscall(SYS_process_mrelease, 0, 0L));
    show("process_mrelease alive", syscall(SYS_process_mrelease, other, 0L));
    kill(child, SIGKILL);
    waitid(P_PID, child, NULL, WEXITED | WNOWAIT);
    show("process_mrelease zombie", syscall(SYS_process_mrelease, other, 0L));
    show("process_madvise zombie", syscall(SYS_process_madvise, other, v, 2L, MADV_COLD, 0L));
    waitpid(child, NULL, 0);
    show("process_mrelease reaped", syscall(SYS_process_mrelease, other, 0L));
    close(other);
    close(self);
    munmap(m, 4 * page);
}

struct ustat_buf {
    int f_tfree;
    unsigned long f_tinode;
    char f_fname[6];
    char f_fpack[6];
};

static void ustats(void) {
    struct stat st;
    stat(".", &st);
    struct ustat_buf u;
    memset(&u, 0x55, sizeof u);
    long r = syscall(SYS_ustat, (unsigned) st.st_dev, &u);
    show("ustat cwd", r);
    struct statfs sf;
    statfs(".", &sf);
    printf("ustat fname '%.6s' fpack '%.6s'\n", u.f_fname, u.f_fpack);
    printf("ustat free blocks near statfs: %d\n", r == 0 && labs((long) u.f_tfree - (long) (int) sf.f_bfree) < 4096);
    printf("ustat free inodes near statfs: %d\n", r == 0 && labs((long) u.f_tinode - (long) sf.f_ffree) < 4096);
    show("ustat cwd NULL", syscall(SYS_ustat, (unsigned) st.st_dev, NULL));
    show("ustat unknown", syscall(SYS_ustat, 0xfffffffful, &u));
    show("ustat unknown NULL", syscall(SYS_ustat, 0xfffffffful, NULL));
}

static void sysfses(void) {
    FILE *f = fopen("/proc/filesystems", "r");
    char line[256];
    char names[64][64];
    int n = 0;
    while (n < 64 && fgets(line, sizeof line, f)) {
        char *name = strchr(line, '\t');
        name = name ? name + 1 : line;
        name[strcspn(name, "\n")] = 0;
        snprintf(names[n++], 64, "%s", name);
    }
    fclose(f);
    long count = syscall(SYS_sysfs, 3);
    printf("sysfs count is /proc/filesystems's: %d\n", count == n);
    int same = 1;
    for (int i = 0; i < n; i++) {
        char buf[256] = "";
        if (syscall(SYS_sysfs, 2, (unsigned long) i, buf) != 0 || strcmp(buf, names[i]) != 0
                || syscall(SYS_sysfs, 1, names[i]) != i) {
            same = 0;
        }
    }
    printf("sysfs names and indexes match: %d\n", same);
    char buf[256];
    show("sysfs index past the end", syscall(SYS_sysfs, 2, (unsigned long) count, buf));
    show("sysfs bad buffer", syscall(SYS_sysfs, 2, 0UL, (void *) 8));
    show("sysfs unknown name", syscall(SYS_sysfs, 1, "nosuchfs"));
    show("sysfs bad name", syscall(SYS_sysfs, 1, (void *) 8));
    show("sysfs option 0", syscall(SYS_sysfs, 0));
    show("sysfs option 4", syscall(SYS_sysfs, 4));
    show("sysfs proc", syscall(SYS_sysfs, 1, "proc") >= 0);
}

static void hangups(void) {
    show("restart_syscall", syscall(SYS_restart_syscall));
    pid_t child = fork();
    if (child == 0) {
        setsid();
        show("vhangup without a terminal", syscall(SYS_vhangup));
        struct { uint32_t version; int pid; } h = {0x20080522, 0};
        struct { uint32_t effective, permitted, inheritable; } d[2];
        syscall(SYS_capget, &h, d);
        d[0].effective &= ~(1u << 26);
        syscall(SYS_capset, &h, d);
        show("vhangup without CAP_SYS_TTY_CONFIG", syscall(SYS_vhangup));
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

static void secrets(long page) {
    long fd = syscall(SYS_memfd_secret, 0L);
    show("memfd_secret", fd >= 0 ? 0 : -1);
    if (fd < 0) {
        return;
    }
    show("memfd_secret O_CLOEXEC", fcntl(syscall(SYS_memfd_secret, (long) O_CLOEXEC), F_GETFD));
    show("memfd_secret flags", syscall(SYS_memfd_secret, 1L));
    show("memfd_secret O_NONBLOCK", syscall(SYS_memfd_secret, (long) O_NONBLOCK));
    struct stat st;
    fstat(fd, &st);
    printf("mode %o size %ld\n", st.st_mode, (long) st.st_size);
    printf("status flags %o\n", fcntl(fd, F_GETFL));
    char path[64], target[256] = "";
    snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
    readlink(path, target, sizeof target - 1);
    printf("link %s\n", target);
    show("write", write(fd, "abc", 3));
    show("read", read(fd, path, 3));
    show("ftruncate", ftruncate(fd, 2 * page));
    fstat(fd, &st);
    printf("size %ld\n", (long) st.st_size);
    show("mmap private", mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
    char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    show("mmap shared", m == MAP_FAILED ? -1 : 0);
    if (m != MAP_FAILED) {
        strcpy(m + page, "secret");
        char *m2 = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
        printf("second mapping sees %s\n", m2 + page);
        show("ftruncate while mapped", ftruncate(fd, page));
        munmap(m2, 2 * page);
        munmap(m, 2 * page);
        show("ftruncate unmapped", ftruncate(fd, 3 * page));
    }
    show("lseek", lseek(fd, 0, SEEK_SET));
    close(fd);
}

static void vmflags_of(void *at) {
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512], want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long) at);
    int in = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) == 0) {
            in = 1;
        } else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            printf("%s", line);
            break;
        }
    }
    fclose(f);
}

static void seals(long page) {
    char *m = mmap(NULL, 6 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 5 * page, page);
    show("mseal flags", syscall(SYS_mseal, m, page, 1L));
    show("mseal unaligned", syscall(SYS_mseal, m + 1, page, 0L));
    show("mseal length 0", syscall(SYS_mseal, m, 0L, 0L));
    show("mseal length wraps", syscall(SYS_mseal, m, -page, 0L));
    show("mseal hole", syscall(SYS_mseal, m + 4 * page, 2 * page, 0L));
    show("mseal pages 1-2", syscall(SYS_mseal, m + page, 2 * page - 100, 0L));
    show("mseal again", syscall(SYS_mseal, m + page, 2 * page, 0L));
    show("mprotect over a sealed page", mprotect(m + 2 * page, 2 * page, PROT_READ));
    show("mprotect beside", mprotect(m + 3 * page, page, PROT_READ));
    show("munmap over a sealed page", munmap(m, 2 * page));
    show("munmap beside", munmap(m + 3 * page, page));
    show("mremap sealed", mremap(m + page, page, 2 * page, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
    show("mremap onto sealed", mremap(m, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, m + 2 * page) == MAP_FAILED ? -1 : 0);
    show("mmap fixed over sealed", mmap(m + 2 * page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            == MAP_FAILED ? -1 : 0);
    m[page] = 9;
    show("madvise dontneed writable", madvise(m + page, page, MADV_DONTNEED));
    printf("writable sealed page after dontneed %d\n", m[page]);
    show("madvise cold", madvise(m + page, page, MADV_COLD));
    vmflags_of(m + page);
    char *r = mmap(NULL, 2 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mseal read-only", syscall(SYS_mseal, r, 2 * page, 0L));
    show("madvise dontneed read-only", madvise(r, page, MADV_DONTNEED));
    show("madvise free read-only", madvise(r, page, MADV_FREE));
    show("madvise dontfork read-only", madvise(r, page, MADV_DONTFORK));
    show("madvise willneed read-only", madvise(r, page, MADV_WILLNEED));
    vmflags_of(r);
    pid_t child = fork();
    if (child == 0) {
        show("munmap sealed in a child", munmap(r, page));
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

static uint32_t words[4] __attribute__((aligned(16)));
static void *waiter(void *arg) {
    long index = (long) arg;
    long r = syscall(SYS_futex_wait, &words[0], 0UL, 1UL << index, (long) (FUTEX2_SIZE_U32 | FUTEX2_PRIVATE), NULL, 0L);
    return (void *) r;
}

/* A wake or requeue that must find one waiter, retried while the waiter may not be asleep yet. */
static long once_asleep(long nr, void *arg0, unsigned long arg1, long arg2, long arg3) {
    long r = 0;
    for (int i = 0; i < 20000 && r == 0; i++) {
        r = syscall(nr, arg0, arg1, arg2, arg3);
        if (r == 0) {
            usleep(1000);
        }
    }
    return r;
}

static void futex2s(void) {
    uint32_t *w = words;
    int u32p = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
    show("futex_wake unknown flag", syscall(SYS_futex_wake, w, 0xffffffffUL, 1L, 0x100L));
    show("futex_wake U8", syscall(SYS_futex_wake, w, 0xffffffffUL, 1L, (long) FUTEX2_SIZE_U8));
    show("futex_wake U16", syscall(SYS_futex_wake, w, 0xffffffffUL, 1L, (long) FUTEX2_SIZE_U16));
    show("futex_wake U64", syscall(SYS_futex_wake, w, 0xffffffffUL, 1L, (long) FUTEX2_SIZE_U64));
    show("futex_wake mask past 32 bits", syscall(SYS_futex_wake, w, 1UL << 32, 1L, (long) u32p));
    show("futex_wake mask 0", syscall(SYS_futex_wake, w, 0UL, 1L, (long) u32p));
    show("futex_wake unaligned", syscall(SYS_futex_wake, (char *) w + 2, 0xffffffffUL, 1L, (long) u32p));
    show("futex_wake nobody", syscall(SYS_futex_wake, w, 0xffffffffUL, 1L, (long) u32p));
    show("futex_wake shared unmapped", syscall(SYS_futex_wake, (void *) 4096, 0xffffffffUL, 1L, (long) FUTEX2_SIZE_U32));
    show("futex_wake private unmapped", syscall(SYS_futex_wake, (void *) 4096, 0xffffffffUL, 1L, (long) u32p));
    w[2] = 0xffffffff;
    show("futex_wake numa unaligned", syscall(SYS_futex_wake, &w[1], 0xffffffffUL, 1L, (long) (u32p | FUTEX2_NUMA)));
    show("futex_wake numa", syscall(SYS_futex_wake, &w[2], 0xffffffffUL, 1L, (long) (u32p | FUTEX2_NUMA)));
    printf("node word after wake %d\n", (int) w[3]);
    w[3] = 5;
    show("futex_wake numa node 5", syscall(SYS_futex_wake, &w[2], 0xffffffffUL, 1L, (long) (u32p | FUTEX2_NUMA)));
    w[3] = 0;
    show("futex_wake numa node 0", syscall(SYS_futex_wake, &w[2], 0xffffffffUL, 1L, (long) (u32p | FUTEX2_NUMA)));
    w[0] = 0;
    show("futex_wait value past 32 bits", syscall(SYS_futex_wait, w, 1UL << 32, 0xffffffffUL, (long) u32p, NULL, 0L));
    show("futex_wait mask past 32 bits", syscall(SYS_futex_wait, w, 0UL, 1UL << 32, (long) u32p, NULL, 0L));
    show("futex_wait U64", syscall(SYS_futex_wait, w, 0UL, 0xffffffffUL, (long) FUTEX2_SIZE_U64, NULL, 0L));
    show("futex_wait other value", syscall(SYS_futex_wait, w, 1UL, 0xffffffffUL, (long) u32p, NULL, 0L));
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    show("futex_wait bad clock", syscall(SYS_futex_wait, w, 0UL, 0xffffffffUL, (long) u32p, &ts, (long) CLOCK_BOOTTIME));
    show("futex_wait bad timeout", syscall(SYS_futex_wait, w, 0UL, 0xffffffffUL, (long) u32p, (void *) 8, 1L));
    show("futex_wait mask 0", syscall(SYS_futex_wait, w, 0UL, 0UL, (long) u32p, &ts, 1L));
    show("futex_wait timed out", syscall(SYS_futex_wait, w, 0UL, 0xffffffffUL, (long) u32p, &ts, 1L));
    clock_gettime(CLOCK_REALTIME, &ts);
    show("futex_wait realtime timed out", syscall(SYS_futex_wait, w, 0UL, 0xffffffffUL, (long) u32p, &ts, 0L));
    ts.tv_nsec = 2000000000;
    show("futex_wait bad nanoseconds", syscall(SYS_futex_wait, w, 0UL, 0xffffffffUL, (long) u32p, &ts, 0L));
    show("futex_wait unmapped", syscall(SYS_futex_wait, (void *) 4096, 0UL, 0xffffffffUL, (long) u32p, NULL, 0L));
    pthread_t th[3];
    for (long i = 0; i < 3; i++) {
        pthread_create(&th[i], NULL, waiter, (void *) i);
    }
    show("futex_wake by mask 2", once_asleep(SYS_futex_wake, w, 2UL, 5L, (long) u32p));
    show("futex_wake nr 0", syscall(SYS_futex_wake, w, 0xffffffffUL, 0L, (long) u32p));
    struct waitv rq[2] = {{0, (uintptr_t) &w[0], u32p, 0}, {0, (uintptr_t) &w[1], u32p, 0}};
    show("futex_requeue flags", syscall(SYS_futex_requeue, rq, 1L, 0L, 1L));
    show("futex_requeue NULL", syscall(SYS_futex_requeue, NULL, 0L, 0L, 1L));
    show("futex_requeue bad array", syscall(SYS_futex_requeue, (void *) 8, 0L, 0L, 1L));
    rq[1].reserved = 1;
    show("futex_requeue reserved", syscall(SYS_futex_requeue, rq, 0L, 0L, 1L));
    rq[1].reserved = 0;
    rq[1].flags = FUTEX2_SIZE_U16;
    show("futex_requeue U16", syscall(SYS_futex_requeue, rq, 0L, 0L, 1L));
    rq[1].flags = u32p;
    show("futex_requeue negative", syscall(SYS_futex_requeue, rq, -1L, 0L, 1L));
    rq[0].val = 1;
    show("futex_requeue other value", syscall(SYS_futex_requeue, rq, 0L, 0L, 1L));
    rq[0].val = 0;
    show("futex_requeue wake 0 move 1", once_asleep(SYS_futex_requeue, rq, 0UL, 0L, 1L));
    show("futex_wake old word", once_asleep(SYS_futex_wake, w, 0xffffffffUL, 5L, (long) u32p));
    show("futex_wake new word", once_asleep(SYS_futex_wake, &w[1], 0xffffffffUL, 5L, (long) u32p));
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(th[i], &r);
        printf("waiter %d: %ld\n", i, (long) r);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    long page = sysconf(_SC_PAGESIZE);
    remaps(page);
    madvises(page);
    ustats();
    sysfses();
    hangups();
    secrets(page);
    futex2s();
    seals(page);
    return 0;
}
