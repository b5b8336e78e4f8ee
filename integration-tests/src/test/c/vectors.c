#define _GNU_SOURCE
/*
 * readv/writev and their positional forms preadv, pwritev, preadv2 and pwritev2: offsets, the file
 * offset they leave, offset -1 of the v2 calls, RWF_* flags (RWF_APPEND, RWF_DSYNC, RWF_SYNC,
 * RWF_HIPRI, unknown ones), and the order of their errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef RWF_HIPRI
#define RWF_HIPRI 1
#define RWF_DSYNC 2
#define RWF_SYNC 4
#endif
#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif

static void show(const char *what, long r) {
    if (r < 0) {
        printf("%-56s = -1 %s\n", what, strerror(errno));
    } else {
        printf("%-56s = %ld\n", what, r);
    }
}

#define T(x) do { errno = 0; show(#x, (long) (x)); } while (0)

/* The raw calls, their offset a long (an int vararg's upper half is not defined). */
static long v(long nr, long fd, void *iov, long count, long pos, long flags) {
    return syscall(nr, fd, iov, count, pos, 0L, flags);
}

static void contents(int fd) {
    char buf[64];
    long n = pread(fd, buf, sizeof buf, 0);
    printf("  file: \"%.*s\", offset %ld\n", (int) (n < 0 ? 0 : n), buf, (long) lseek(fd, 0, SEEK_CUR));
}

int main(void) {
    int fd = open("vec", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char a[] = "abc", b[] = "defgh";
    struct iovec out[2] = {{a, 3}, {b, 5}};
    T(v(SYS_pwritev, fd, out, 2, 4, 0));
    contents(fd);
    T(v(SYS_pwritev, fd, out, 2, 0, 0));
    contents(fd);
    T(syscall(SYS_writev, fd, out, 1));
    contents(fd);
    T(v(SYS_pwritev2, fd, out, 1, -1, 0));
    contents(fd);
    T(v(SYS_pwritev2, fd, out + 1, 1, 2, RWF_HIPRI | RWF_DSYNC));
    contents(fd);
    T(v(SYS_pwritev2, fd, out, 1, 0, RWF_APPEND));
    contents(fd);
    T(v(SYS_pwritev2, fd, out, 1, -1, RWF_APPEND | RWF_SYNC));
    contents(fd);
    T(v(SYS_pwritev2, fd, out, 1, 0, 0x40000000));
    T(v(SYS_pwritev2, fd, out, 0, 0, 0x40000000));
    T(v(SYS_pwritev2, fd, out, 1, -2, 0));

    char x[4], y[6];
    struct iovec in[2] = {{x, 4}, {y, 6}};
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    T(v(SYS_preadv, fd, in, 2, 1, 0));
    printf("  read \"%.4s\" \"%.6s\"\n", x, y);
    T(v(SYS_preadv, fd, in, 2, 15, 0));
    printf("  read \"%.4s\" \"%.6s\"\n", x, y);
    T(v(SYS_preadv, fd, in, 2, 100, 0));
    lseek(fd, 3, SEEK_SET);
    T(v(SYS_preadv2, fd, in, 1, -1, RWF_HIPRI));
    printf("  read \"%.4s\", offset %ld\n", x, (long) lseek(fd, 0, SEEK_CUR));
    T(v(SYS_preadv2, fd, in, 1, 0, RWF_DSYNC | RWF_SYNC | RWF_APPEND));
    T(v(SYS_preadv2, fd, in, 1, 0, 0x40000000));
    T(v(SYS_preadv2, fd, in, 0, 0, 0x40000000));
    T(syscall(SYS_readv, fd, in, 2));
    contents(fd);

    /* Errors: the offset before the descriptor, the descriptor, a pipe, the vector, the access mode. */
    T(v(SYS_preadv, -1, in, 1, -1, 0));
    T(v(SYS_preadv, -1, in, 1, 0, 0));
    T(v(SYS_preadv2, -1, in, 1, -1, 0x40000000));
    int p[2];
    pipe(p);
    T(v(SYS_preadv, p[0], (void *) 8, 1, 0, 0));
    T(v(SYS_pwritev, p[1], in, 1, 0, 0));
    T(v(SYS_pwritev2, p[1], out, 1, -1, RWF_HIPRI));
    T(v(SYS_preadv2, p[0], in, 1, -1, 0));
    printf("  read \"%.3s\"\n", x);
    int ro = open("vec", O_RDONLY);
    T(v(SYS_pwritev, ro, (void *) 8, 1, 0, 0));
    T(v(SYS_pwritev, ro, out, 1, 0, 0));
    T(syscall(SYS_writev, ro, (void *) 8, 1));
    T(v(SYS_pwritev, ro, out, 1025, 0, 0));
    T(v(SYS_pwritev, ro, out, 0, 0, 0));
    int wo = open("vec", O_WRONLY);
    T(v(SYS_preadv, wo, in, 1, 0, 0));
    T(syscall(SYS_readv, wo, (void *) 8, 1));
    struct iovec bad[2] = {{x, 2}, {(void *) 8, 2}};
    T(v(SYS_preadv, fd, bad, 2, 0, 0));
    T(v(SYS_pwritev, fd, bad, 2, 100, 0));
    contents(fd);
    unlink("vec");
    return 0;
}
