/* mremap(2) growing, shrinking, moving (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP), then munmap(2)
 * of the old and new ranges and of pieces of them: every call's result and which pages stay mapped. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static long pg;

static void rc(const char *what, int r) {
    printf("%-44s %s\n", what, r == 0 ? "ok" : strerror(errno));
}

/* Which of n pages from p are mapped (mincore fails with ENOMEM on an unmapped page). */
static void mapped(const char *what, char *p, int n) {
    printf("  %-30s ", what);
    for (int i = 0; i < n; i++) {
        unsigned char v;
        putchar(mincore(p + i * pg, pg, &v) == 0 ? 'M' : '.');
    }
    putchar('\n');
}

static char *reserve(int pages) {
    /* A reserved hole with guard space: the tests place mappings inside it with MAP_FIXED. */
    char *p = mmap(NULL, pages * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, pages * pg);
    return p;
}

static char *anon(char *at, int pages) {
    char *p = mmap(at, pages * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    for (int i = 0; i < pages; i++) p[i * pg] = 'a' + i;
    return p;
}

static void contents(const char *what, char *p, int n) {
    printf("  %-30s ", what);
    for (int i = 0; i < n; i++) putchar(p[i * pg]);
    putchar('\n');
}

int main(void) {
    pg = sysconf(_SC_PAGESIZE);
    char *hole = reserve(64);

    /* Grow in place (room after it), then unmap the grown whole and pieces. */
    char *a = anon(hole, 4);
    char *r = mremap(a, 4 * pg, 8 * pg, 0);
    printf("grow in place: %s\n", r == a ? "same address" : r == MAP_FAILED ? strerror(errno) : "moved");
    mapped("after grow", hole, 10);
    rc("munmap last grown page", munmap(a + 7 * pg, pg));
    rc("munmap old range", munmap(a, 4 * pg));
    mapped("after munmaps", hole, 10);
    rc("munmap rest", munmap(a + 4 * pg, 3 * pg));
    mapped("empty", hole, 10);

    /* Grow with MAYMOVE when blocked: it moves; the old range is gone. */
    a = anon(hole, 4);
    anon(hole + 4 * pg, 1);
    r = mremap(a, 4 * pg, 8 * pg, MREMAP_MAYMOVE);
    printf("grow blocked MAYMOVE: %s\n", r == a ? "same address" : r == MAP_FAILED ? strerror(errno) : "moved");
    mapped("old range", hole, 5);
    contents("moved contents", r, 4);
    r[7 * pg] = 'z';
    rc("munmap new middle", munmap(r + 2 * pg, 2 * pg));
    mapped("new range", r, 8);
    rc("munmap new all", munmap(r, 8 * pg));
    rc("munmap old (already gone)", munmap(a, 4 * pg));
    mapped("new range after", r, 8);
    rc("munmap blocker", munmap(hole + 4 * pg, pg));

    /* Grow without MAYMOVE when blocked: ENOMEM. */
    a = anon(hole, 2);
    anon(hole + 2 * pg, 1);
    r = mremap(a, 2 * pg, 4 * pg, 0);
    printf("grow blocked no MAYMOVE: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    rc("munmap 3 pages", munmap(hole, 3 * pg));

    /* Shrink: the tail is unmapped; munmap of it is fine (no error for unmapped ranges). */
    a = anon(hole, 6);
    r = mremap(a, 6 * pg, 2 * pg, 0);
    printf("shrink: %s\n", r == a ? "same address" : "moved");
    mapped("after shrink", hole, 6);
    rc("munmap shrunk tail", munmap(a + 2 * pg, 4 * pg));
    rc("munmap head", munmap(a, 2 * pg));
    mapped("after", hole, 6);

    /* Shrink part of a mapping from its middle. */
    a = anon(hole, 6);
    r = mremap(a + 2 * pg, 3 * pg, pg, 0);
    printf("shrink middle: %s\n", r == a + 2 * pg ? "same address" : "moved");
    mapped("after", hole, 6);
    contents("head", a, 3);
    rc("munmap all 6", munmap(a, 6 * pg));

    /* MREMAP_FIXED: moves to a chosen address, replacing what was there. */
    a = anon(hole, 3);
    char *dst = hole + 20 * pg;
    anon(dst, 5);
    r = mremap(a, 3 * pg, 3 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, dst + pg);
    printf("FIXED: %s\n", r == dst + pg ? "at target" : r == MAP_FAILED ? strerror(errno) : "elsewhere");
    mapped("old", hole, 3);
    mapped("target", dst, 5);
    contents("target contents", dst, 5);
    rc("munmap target middle", munmap(dst + 2 * pg, pg));
    mapped("target", dst, 5);
    rc("munmap target", munmap(dst, 5 * pg));
    r = mremap(hole, pg, pg, MREMAP_FIXED, dst);
    printf("FIXED without MAYMOVE: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");

    /* Moving onto an overlapping range is EINVAL. */
    a = anon(hole, 4);
    r = mremap(a, 2 * pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, a + pg);
    printf("FIXED overlapping: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    rc("munmap 4", munmap(a, 4 * pg));

    /* MREMAP_DONTUNMAP: the old range stays mapped, empty (zero pages on an anonymous private map). */
    a = anon(hole, 3);
    /* The raw call: glibc's wrapper passes no new address without MREMAP_FIXED, musl's always does. */
    r = (char *) syscall(SYS_mremap, a, 3 * pg, 3 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    if (r == MAP_FAILED) {
        printf("DONTUNMAP: %s\n", strerror(errno));
    } else {
        printf("DONTUNMAP: moved %s\n", r == a ? "no" : "yes");
        mapped("old", a, 3);
        printf("  old reads %d\n", a[pg]);
        contents("new contents", r, 3);
        rc("munmap old", munmap(a, 3 * pg));
        rc("munmap new", munmap(r, 3 * pg));
        mapped("old after", a, 3);
        mapped("new after", r, 3);
    }
    r = (char *) syscall(SYS_mremap, a, pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    printf("DONTUNMAP resize: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");

    /* Bad arguments. */
    a = anon(hole, 2);
    r = mremap(a + 1, pg, pg, 0);
    printf("unaligned: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    r = mremap(a, pg, 0, 0);
    printf("new size 0: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    r = mremap(hole + 30 * pg, pg, 2 * pg, MREMAP_MAYMOVE);
    printf("unmapped old: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    r = mremap(a, pg, pg, 0x80);
    printf("bad flags: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    r = mremap(a, 2 * pg, 2 * pg, 0);
    printf("same size: %s\n", r == a ? "same address" : r == MAP_FAILED ? strerror(errno) : "moved");
    rc("munmap", munmap(a, 2 * pg));

    /* A mapping grown several times then unmapped in pieces across the joins. */
    a = anon(hole, 1);
    for (int i = 2; i <= 5; i++) {
        r = mremap(a, (i - 1) * pg, i * pg, MREMAP_MAYMOVE);
        if (r == MAP_FAILED) { printf("grow %d: %s\n", i, strerror(errno)); break; }
        a = r;
    }
    rc("munmap across joins", munmap(a + pg, 3 * pg));
    mapped("after", a, 5);
    rc("munmap rest", munmap(a, 5 * pg));

    /* Split by mprotect and joined back: Linux merges the pieces, so one mremap moves them all. */
    a = anon(hole, 4);
    anon(hole + 4 * pg, 1);
    rc("mprotect middle read-only", mprotect(a + pg, pg, PROT_READ));
    rc("mprotect middle back", mprotect(a + pg, pg, PROT_READ | PROT_WRITE));
    r = mremap(a, 4 * pg, 6 * pg, MREMAP_MAYMOVE);
    printf("grow joined pieces: %s\n", r == a ? "same address" : r == MAP_FAILED ? strerror(errno) : "moved");
    if (r != MAP_FAILED) {
        contents("moved contents", r, 4);
        rc("munmap moved", munmap(r, 6 * pg));
    }
    a = anon(hole, 4);
    rc("mprotect middle read-only", mprotect(a + pg, pg, PROT_READ));
    r = mremap(a, 4 * pg, 6 * pg, MREMAP_MAYMOVE);
    printf("grow across protections: %s\n", r == MAP_FAILED ? strerror(errno) : "ok");
    rc("munmap all", munmap(hole, 5 * pg));
    return 0;
}
