/* Large allocations: glibc and musl serve them with mmap; realloc growth uses mremap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long touch(unsigned char *p, size_t n, unsigned char seed) {
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i += 4096) {
        p[i] = (unsigned char) (seed + i / 4096);
    }
    for (size_t i = 0; i < n; i += 4096) {
        sum += p[i];
    }
    return sum;
}

int main(void) {
    size_t sizes[] = {64u << 20, 300u << 20};
    for (int i = 0; i < 2; i++) {
        unsigned char *p = malloc(sizes[i]);
        if (p == NULL) {
            puts("malloc failed");
            return 1;
        }
        printf("%zu MiB sum %lu\n", sizes[i] >> 20, touch(p, sizes[i], (unsigned char) i));
        free(p);
    }
    unsigned char *r = malloc(1 << 20);
    memset(r, 7, 1 << 20);
    for (size_t n = 2 << 20; n <= (64u << 20); n *= 2) {
        r = realloc(r, n);
        if (r == NULL) {
            puts("realloc failed");
            return 1;
        }
        memset(r + n / 2, 9, n / 2);
    }
    printf("realloc kept %d %d %d\n", r[0], r[(1 << 20) - 1], r[(64u << 20) - 1]);
    free(r);
    return 0;
}
