/*
 * PROT_NONE memory: reservations carved into read-write pieces and back, SIGSEGV with SEGV_ACCERR
 * and the address on access, EFAULT from syscalls, contents kept across a NONE -> RW cycle, a thread
 * stack's guard page, fork, and /proc/self/maps (addresses relative to the reservation).
 * With the argument "many": ten thousand small mappings, a tenth of them read-write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static long page;
static sigjmp_buf back;
static volatile int seen_code;
static volatile uintptr_t seen_addr, seen_rip;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    seen_code = si->si_code;
    seen_addr = (uintptr_t) si->si_addr;
    seen_rip = ((ucontext_t *) ctx)->uc_mcontext.gregs[REG_RIP];
    siglongjmp(back, 1);
}

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); \
    printf("%-34s %ld %s\n", label, r_, errno ? strerror(errno) : "0"); } while (0)

static const char *code_name(int code) {
    return code == SEGV_ACCERR ? "SEGV_ACCERR" : code == SEGV_MAPERR ? "SEGV_MAPERR" : "other";
}

/* Reads or writes one byte at p; prints what happened, with the address relative to base. */
static void touch(const char *label, volatile char *p, int write, char *base) {
    seen_code = 0;
    if (sigsetjmp(back, 1) == 0) {
        if (write) {
            *p = 'w';
        } else {
            (void) *p;
        }
        printf("%-34s ok (%d)\n", label, *p);
    } else {
        printf("%-34s SIGSEGV %s at base%+ld\n", label, code_name(seen_code), (long) (seen_addr - (uintptr_t) base));
    }
}

/* The lines of /proc/self/maps inside [from, to), with addresses relative to base. */
static void maps(const char *label, char *from, char *to, char *base) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    printf("%s:\n", label);
    while (fgets(line, sizeof line, f)) {
        uintptr_t start, end;
        char rest[480];
        if (sscanf(line, "%lx-%lx %479[^\n]", &start, &end, rest) == 3 && start >= (uintptr_t) from
                && end <= (uintptr_t) to) {
            printf("  base+%06lx-base+%06lx %s\n", (long) (start - (uintptr_t) base), (long) (end - (uintptr_t) base),
                    rest);
        }
    }
    fclose(f);
}

/* A reservation of n pages with nothing mapped on either side, so that Linux merges it with nothing. */
static char *reserve(long n) {
    char *r = mmap(NULL, (n + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    munmap(r, page);
    munmap(r + (n + 1) * page, page);
    return r + page;
}

static void *guard_thread(void *arg) {
    return arg;
}

static void guard_page(void) {
    pthread_attr_t attr;
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_create(&t, &attr, guard_thread, NULL);
    pthread_attr_destroy(&attr);
    pthread_getattr_np(t, &attr);
    void *stack;
    size_t size, guard;
    pthread_attr_getstack(&attr, &stack, &size);
    pthread_attr_getguardsize(&attr, &guard);
    char *low = stack;
    printf("thread stack guard %s\n", guard >= (size_t) page ? "at least a page" : "none");
    /* The thread has not ended: its stack and guard are still mapped. */
    touch("read below a thread's stack", low - 1, 0, low);
    touch("read the stack's lowest byte", low, 0, low);
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        uintptr_t start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3 && start <= (uintptr_t) (low - 1)
                && (uintptr_t) (low - 1) < end) {
            printf("guard page's mapping: %s\n", perms);
        }
    }
    fclose(f);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
}

extern char none_load[];

/*
 * /proc/self/maps is printed only where no two neighbours share a protection: Linux merges such
 * neighbours, jlx does not (README, Quirks).
 */
static void shown(void) {
    char *r = reserve(16);
    maps("reserved", r, r + 16 * page, r);
    touch("read reserved", r + 5 * page + 7, 0, r);
    touch("write reserved", r + 5 * page, 1, r);

    printf("mprotect 2..5 RW: %d\n", mprotect(r + 2 * page, 3 * page, PROT_READ | PROT_WRITE));
    printf("mprotect 8..10 R: %d\n", mprotect(r + 8 * page, 2 * page, PROT_READ));
    memset(r + 2 * page, 'a', 3 * page);
    touch("write piece", r + 3 * page + 1, 1, r);
    touch("read read-only piece", r + 9 * page, 0, r);
    touch("write read-only piece", r + 9 * page + 8, 1, r);
    touch("read below piece", r + 2 * page - 1, 0, r);
    touch("read above piece", r + 5 * page, 0, r);
    maps("carved", r, r + 16 * page, r);

    /* The faulting instruction is RIP in the handler's frame. */
    if (sigsetjmp(back, 1) == 0) {
        __asm__ volatile("mov %0, %%rax\n inc %%rcx\n .globl none_load\nnone_load: movb (%%rax), %%cl\n"
                         : : "r"(r + 12 * page) : "rax", "rcx", "memory");
    }
    printf("load from PROT_NONE: rip %s the instruction, %s at base%+ld\n",
            seen_rip == (uintptr_t) none_load ? "at" : "not at", code_name(seen_code), (long) (seen_addr - (uintptr_t) r));

    /* Syscalls on PROT_NONE memory: EFAULT. */
    int fds[2];
    pipe(fds);
    int zero = open("/dev/zero", O_RDONLY);
    SHOW("write from PROT_NONE", write(fds[1], r + 6 * page, 8));
    SHOW("read into PROT_NONE", read(zero, r + 6 * page, 8));
    SHOW("read into read-only", read(zero, r + 8 * page, 8));
    /* Raw: a libc may copy the result from a buffer of its own, and fault in user space. */
    SHOW("fstatat into PROT_NONE", syscall(SYS_newfstatat, AT_FDCWD, "/", r + 6 * page, 0));
    SHOW("open from PROT_NONE", open(r + 6 * page, O_RDONLY));
    close(zero);
    close(fds[0]);
    close(fds[1]);

    printf("mprotect 3..4 NONE: %d\n", mprotect(r + 3 * page, page, PROT_NONE));
    touch("read middle NONE", r + 3 * page + 100, 0, r);
    touch("read left of it", r + 2 * page + 100, 0, r);
    maps("middle NONE", r, r + 16 * page, r);

    /* fork copies NONE ranges as NONE, with their contents. */
    pid_t child = fork();
    if (child == 0) {
        touch("child: read NONE", r + 3 * page, 0, r);
        touch("child: read RW piece", r + 2 * page, 0, r);
        maps("child", r, r + 16 * page, r);
        printf("child: mprotect 3..4 R: %d\n", mprotect(r + 3 * page, page, PROT_READ));
        touch("child: read it", r + 3 * page + 1, 0, r);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    touch("parent: read NONE", r + 3 * page, 0, r);
    printf("mprotect 3..4 RX: %d\n", mprotect(r + 3 * page, page, PROT_READ | PROT_EXEC));
    touch("read RX", r + 3 * page + 1, 0, r);
    maps("middle RX", r, r + 16 * page, r);
}

/* Pieces made read-write and PROT_NONE again, as glibc's arenas grow and shrink their heaps. */
static void cycles(void) {
    char *r = reserve(16);
    printf("mprotect 2..3 RW: %d\n", mprotect(r + 2 * page, page, PROT_READ | PROT_WRITE));
    printf("mprotect 3..5 RW: %d\n", mprotect(r + 3 * page, 2 * page, PROT_READ | PROT_WRITE));
    memset(r + 2 * page, 'a', 3 * page);
    r[2 * page] = 'b';
    printf("mprotect 2..5 NONE: %d\n", mprotect(r + 2 * page, 3 * page, PROT_NONE));
    touch("read after NONE", r + 2 * page, 0, r);
    touch("write after NONE", r + 4 * page + 9, 1, r);
    printf("mprotect 2..5 RW: %d\n", mprotect(r + 2 * page, 3 * page, PROT_READ | PROT_WRITE));
    printf("kept after NONE and RW: %c %c %c\n", r[2 * page], r[3 * page + 1], r[4 * page + page - 1]);
    printf("mprotect 3..4 NONE: %d\n", mprotect(r + 3 * page, page, PROT_NONE));
    printf("mprotect 3..4 RW: %d\n", mprotect(r + 3 * page, page, PROT_READ | PROT_WRITE));
    printf("kept after NONE and RW: %c\n", r[3 * page + 1]);
    printf("mprotect 0 bytes: %d\n", mprotect(r + 3 * page, 0, PROT_NONE));
    touch("read after 0 bytes", r + 3 * page, 0, r);

    /* MADV_DONTNEED drops a PROT_NONE page's contents too. */
    mprotect(r + 5 * page, 3 * page, PROT_READ | PROT_WRITE);
    r[6 * page] = 'z';
    mprotect(r + 5 * page, 3 * page, PROT_NONE);
    printf("madvise DONTNEED on NONE: %d\n", madvise(r + 6 * page, page, MADV_DONTNEED));
    mprotect(r + 5 * page, 3 * page, PROT_READ);
    printf("after DONTNEED: %d\n", r[6 * page]);

    /* mremap moves a NONE range, which stays NONE and keeps its bytes. */
    printf("mprotect 10..12 RW: %d\n", mprotect(r + 10 * page, 2 * page, PROT_READ | PROT_WRITE));
    strcpy(r + 10 * page, "kept through mremap");
    mprotect(r + 10 * page, 2 * page, PROT_NONE);
    char *moved = mremap(r + 10 * page, 2 * page, 4 * page, MREMAP_MAYMOVE);
    printf("mremap NONE: %s\n", moved == MAP_FAILED ? strerror(errno) : "moved");
    touch("read moved NONE", moved + 1, 0, moved);
    touch("read moved NONE's new part", moved + 3 * page, 0, moved);
    mprotect(moved, page, PROT_READ);
    printf("moved: %s\n", moved);
    munmap(moved, 4 * page);
    printf("munmap NONE: %d\n", munmap(r + 12 * page, 2 * page));
    touch("read unmapped", r + 12 * page, 0, r);
    touch("read NONE above it", r + 14 * page, 0, r);
}

/*
 * 10,000 mappings, 1,000 of them read-write: groups of a read-write page, then nine PROT_NONE pages
 * each followed by a hole (so that Linux merges nothing).
 */
static void many(void) {
    enum { GROUPS = 1000, NONES = 9, STEP = 1 + 2 * NONES };
    char *r = reserve(GROUPS * STEP);
    for (long i = 0; i < GROUPS; i++) {
        char *g = r + i * STEP * page;
        if (mprotect(g, page, PROT_READ | PROT_WRITE) != 0) {
            printf("group %ld: mprotect: %s\n", i, strerror(errno));
            return;
        }
        for (int k = 0; k < NONES; k++) {
            if (munmap(g + (2 + 2 * k) * page, page) != 0) {
                printf("group %ld: munmap: %s\n", i, strerror(errno));
                return;
            }
        }
        g[0] = (char) i;
    }
    long bad = 0;
    for (long i = 0; i < GROUPS; i++) {
        bad += r[i * STEP * page] != (char) i;
    }
    printf("read-write pages that kept their byte: %ld of %d\n", GROUPS - bad, GROUPS);
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    long rw = 0, none = 0;
    while (fgets(line, sizeof line, f)) {
        uintptr_t start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3 && start >= (uintptr_t) r
                && end <= (uintptr_t) (r + GROUPS * STEP * page)) {
            rw += strcmp(perms, "rw-p") == 0;
            none += strcmp(perms, "---p") == 0;
        }
    }
    fclose(f);
    printf("mappings: %ld read-write, %ld PROT_NONE\n", rw, none);
    char *g = r + 500 * STEP * page;
    touch("read a NONE page", g + 3 * page + 3, 0, g);
    touch("read a hole", g + 2 * page, 0, g);
    touch("read a RW page", g, 0, g);
    printf("mprotect a NONE page RW: %d\n", mprotect(g + 5 * page, page, PROT_READ | PROT_WRITE));
    touch("write it", g + 5 * page, 1, g);
    printf("munmap all: %d\n", munmap(r, GROUPS * STEP * page));
}

int main(int argc, char **argv) {
    page = sysconf(_SC_PAGESIZE);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (argc > 1 && strcmp(argv[1], "many") == 0) {
        many();
    } else {
        shown();
        cycles();
        guard_page();
    }
    return 0;
}
