/*
 * Memory just unmapped (which jlx may keep in its engines, hidden, for a later mmap of the same
 * range): reads, writes and jumps there are SIGSEGV with SEGV_MAPERR and the address; syscalls get
 * EFAULT; an mmap of the same range, of part of it, or over it with MAP_FIXED reads zero; munmap of
 * part of a mapping; mremap into the hole; a child's munmap after fork leaves the parent's mapping;
 * /proc/self/maps (addresses relative to the first mapping) shows none of the unmapped ranges.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static long page;
static sigjmp_buf back;
static volatile int seen_code;
static volatile uintptr_t seen_addr;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) ctx;
    seen_code = si->si_code;
    seen_addr = (uintptr_t) si->si_addr;
    siglongjmp(back, 1);
}

static const char *code_name(int code) {
    return code == SEGV_ACCERR ? "SEGV_ACCERR" : code == SEGV_MAPERR ? "SEGV_MAPERR" : "other";
}

enum access { READ, WRITE, JUMP };

/* Reads, writes or calls p; prints what happened, with the address relative to base. */
static void touch(const char *label, volatile char *p, enum access how, char *base) {
    seen_code = 0;
    if (sigsetjmp(back, 1) == 0) {
        if (how == WRITE) {
            *p = 'w';
        } else if (how == READ) {
            (void) *p;
        } else {
            ((void (*)(void)) p)();
        }
        printf("%-36s ok (%d)\n", label, *p);
    } else {
        printf("%-36s SIGSEGV %s at base%+ld\n", label, code_name(seen_code), (long) (seen_addr - (uintptr_t) base));
    }
}

/* Whether all n bytes at p are zero. */
static int zero(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return 0;
        }
    }
    return 1;
}

/* The lines of /proc/self/maps inside [from, to), with addresses relative to base. */
static void maps(const char *label, char *from, char *to, char *base) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    printf("%s:\n", label);
    while (fgets(line, sizeof line, f)) {
        unsigned long s, e;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &s, &e, perms) == 3 && s < (uintptr_t) to && e > (uintptr_t) from) {
            printf("  base%+ld-base%+ld %s\n", (long) (s - (uintptr_t) base), (long) (e - (uintptr_t) base), perms);
        }
    }
    fclose(f);
}

static char *anon(void *at, size_t len, int prot, int flags) {
    char *p = mmap(at, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    return p;
}

int main(void) {
    page = sysconf(_SC_PAGESIZE);
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);

    /* A reserved area to work in, so the addresses are the program's own choice. */
    char *base = anon(NULL, 16 * page, PROT_NONE, 0);
    munmap(base, 16 * page);

    /* One page, written, unmapped: every access faults with MAPERR, syscalls get EFAULT. */
    char *p = anon(base, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    memset(p, 'x', page);
    touch("read after write", p, READ, base);
    printf("munmap                               %d\n", munmap(p, page));
    touch("read after munmap", p, READ, base);
    touch("write after munmap", p + 100, WRITE, base);
    touch("jump after munmap", p, JUMP, base);
    int fd = open("/proc/self/maps", O_RDONLY);
    errno = 0;
    ssize_t n = read(fd, p, 10);
    printf("read(2) into it                      %zd %s\n", n, strerror(errno));
    close(fd);
    int pipefd[2];
    pipe(pipefd);
    errno = 0;
    n = write(pipefd[1], p, 10);
    printf("write(2) from it                     %zd %s\n", n, strerror(errno));
    close(pipefd[0]);
    close(pipefd[1]);
    maps("maps after munmap", base, base + 16 * page, base);

    /* The same range again, without and with a hint: zeroes. */
    char *q = anon(base, page, PROT_READ | PROT_WRITE, 0);
    printf("same range again at base%+ld, zero: %d\n", (long) (q - base), zero(q, page));
    memset(q, 'y', page);
    munmap(q, page);
    q = anon(base, page, PROT_READ, MAP_FIXED);
    printf("again read-only, zero: %d\n", zero(q, page));
    touch("write to the read-only one", q, WRITE, base);
    munmap(q, page);

    /* Two pages over the one just unmapped, then a part of a mapping unmapped. */
    memset(anon(base, page, PROT_READ | PROT_WRITE, MAP_FIXED), 'z', page);
    munmap(base, page);
    char *two = anon(base, 2 * page, PROT_READ | PROT_WRITE, MAP_FIXED);
    printf("two pages over it, zero: %d\n", zero(two, 2 * page));
    memset(two, 'a', 2 * page);
    munmap(two + page, page);
    touch("first page kept", two, READ, base);
    touch("second page gone", two + page, WRITE, base);
    char *second = anon(two + page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    printf("second page again, zero: %d, first still 'a': %d\n", zero(second, page), two[0] == 'a');
    munmap(base, 2 * page);

    /* MAP_FIXED over a hole between two mappings, larger than the hole. */
    char *left = anon(base, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    char *mid = anon(base + page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    char *right = anon(base + 2 * page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    memset(left, 'l', page);
    memset(mid, 'm', page);
    memset(right, 'r', page);
    munmap(mid, page);
    char *over = anon(base + page, 2 * page, PROT_READ | PROT_WRITE, MAP_FIXED);
    printf("MAP_FIXED over hole and right, zero: %d, left kept: %d\n", zero(over, 2 * page), left[0] == 'l');
    maps("maps after MAP_FIXED", base, base + 16 * page, base);
    munmap(base, 3 * page);

    /* mremap moving a mapping into a hole just made. */
    char *hole = anon(base + 4 * page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    munmap(hole, page);
    char *src = anon(base + 6 * page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    memset(src, 's', page);
    char *moved = mremap(src, page, page, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
    printf("mremap into the hole at base%+ld, holds 's': %d\n", (long) (moved - base), moved[0] == 's' && moved[page - 1] == 's');
    touch("old place after mremap", src, READ, base);
    munmap(moved, page);

    /* A child's munmap leaves the parent's page; the parent's munmap after fork faults in the parent. */
    char *shared_page = anon(base + 8 * page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
    memset(shared_page, 'p', page);
    pid_t pid = fork();
    if (pid == 0) {
        munmap(shared_page, page);
        touch("child after its munmap", shared_page, READ, base);
        char *again = anon(shared_page, page, PROT_READ | PROT_WRITE, MAP_FIXED);
        printf("child maps it again, zero: %d\n", zero(again, page));
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent's page after the child's munmap holds 'p': %d\n", shared_page[0] == 'p' && shared_page[page - 1] == 'p');
    munmap(shared_page, page);
    pid = fork();
    if (pid == 0) {
        touch("child of a parent that unmapped", shared_page, READ, base);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    touch("parent after its munmap", shared_page, READ, base);

    /* Many map and unmap cycles of small sizes, each new mapping zero. */
    int bad = 0;
    for (int i = 0; i < 200; i++) {
        size_t len = (size_t) (1 + i % 5) * page;
        char *m = anon(NULL, len, PROT_READ | PROT_WRITE, 0);
        if (!zero(m, len)) {
            bad++;
        }
        memset(m, i, len);
        munmap(m, len);
    }
    printf("200 cycles, non-zero new mappings: %d\n", bad);
    maps("maps at the end", base, base + 16 * page, base);
    return 0;
}
