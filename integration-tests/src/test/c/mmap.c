/* The mmap family and brk: results and errno for the edge cases Linux defines. */
#define _GNU_SOURCE
#include <string.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); \
    printf("%-28s %s errno=%s\n", label, r_ == -1 ? "-1" : "ok", errno ? strerror(errno) : "0"); } while (0)

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("anon mapped %d zero %d\n", a != MAP_FAILED, a[0] == 0 && a[4 * page - 1] == 0);
    memset(a, 'x', 4 * page);
    SHOW("mmap len 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
    SHOW("mmap no type", mmap(NULL, page, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
    SHOW("mmap fixed unaligned", mmap(a + 1, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            == MAP_FAILED ? -1 : 0);
    SHOW("mmap noreplace on map", mmap(a, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)
            == MAP_FAILED ? -1 : 0);
    SHOW("mmap bad fd", mmap(NULL, page, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED ? -1 : 0);
    SHOW("munmap middle", munmap(a + page, page));
    SHOW("munmap unaligned", munmap(a + 1, page));
    SHOW("munmap unmapped", munmap(a + page, page));
    SHOW("mprotect over hole", mprotect(a, 3 * page, PROT_READ));
    SHOW("mprotect read-only", mprotect(a + 2 * page, page, PROT_READ));
    SHOW("mprotect bad prot", mprotect(a, page, 0x100));
    SHOW("mprotect none", mprotect(a + 2 * page, page, PROT_NONE));
    SHOW("write from PROT_NONE", write(1, a + 2 * page, 1));
    char *b = mremap(a + 3 * page, page, 8 * page, MREMAP_MAYMOVE);
    printf("mremap moved %d kept %d\n", b != MAP_FAILED, b != MAP_FAILED && b[0] == 'x' && b[page - 1] == 'x');
    SHOW("mremap grow no move", mremap(a, page, 64 * page, 0) == MAP_FAILED ? -1 : 0);
    SHOW("madvise dontneed", madvise(b, page, MADV_DONTNEED));
    printf("after dontneed %d\n", b[0]);
    SHOW("madvise bad advice", madvise(b, page, 12345));
    void *brk0 = sbrk(0);
    SHOW("brk grow", brk((char *) brk0 + 10 * page));
    long moved = ((char *) sbrk(0) - (char *) brk0) / page;
    printf("brk moved %ld pages\n", moved);
    /* musl's brk() always fails; the heap is only touched where it grew. */
    memset(brk0, 1, moved * page);
    SHOW("brk shrink", brk(brk0));
    return 0;
}
