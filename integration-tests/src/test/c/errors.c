/*
 * Failed calls: perror/strerror text and errno numbers; then the exit status chosen by argv[1]:
 * a number n gives exit(n), "main" returns 42 from main, nothing gives exit(0).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *what, long result) {
    int e = errno;
    printf("%s: %ld errno %d (%s)\n", what, result, result < 0 ? e : 0, result < 0 ? strerror(e) : "ok");
}

int main(int argc, char **argv) {
    errno = 0;
    FILE *f = fopen("/no/such/file", "r");
    if (f == NULL) {
        int e = errno; /* perror may change errno */
        perror("fopen /no/such/file");
        printf("fopen missing: errno %d ENOENT %d\n", e, e == ENOENT);
    }
    fflush(stdout);
    int fd = open("/", O_WRONLY);
    printf("open / for writing: %d EISDIR %d %s\n", fd, errno == EISDIR, strerror(errno));
    fd = open("/tmp", O_RDWR);
    printf("open /tmp O_RDWR: %d EISDIR %d\n", fd, errno == EISDIR);
    char c;
    errno = 0;
    report("read bad fd", read(12345, &c, 1));
    printf("EBADF %d\n", errno == EBADF);
    report("close bad fd", close(-1));
    report("write bad fd", write(9999, "x", 1));
    const void *volatile bad = (const void *) 16;
    report("write from a bad pointer", write(1, bad, 1));
    report("open empty path", open("", O_RDONLY));
    report("open not a directory", open("/etc/passwd/x", O_RDONLY));
    report("mkdir existing", mkdir("/", 0755));
    report("rmdir non-empty", rmdir("/etc"));
    report("lseek bad fd", lseek(777, 0, SEEK_SET));
    errno = ERANGE;
    perror("perror of ERANGE");
    for (int e = 1; e <= 40; e += 13) {
        printf("strerror(%d) = %s\n", e, strerror(e));
    }
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "main") == 0) {
        return 42;
    }
    exit(argc > 1 ? atoi(argv[1]) : 0);
}
