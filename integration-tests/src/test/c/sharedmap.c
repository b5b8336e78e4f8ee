#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
/* MAP_SHARED file mappings: writes reach the file, msync, read-only limits, private copies. */
int main(void) {
    int fd = open("shared.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 10000);
    char *p = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    strcpy(p, "written through a shared mapping");
    strcpy(p + 9000, "near the end");
    printf("msync %d\n", msync(p, 16384, MS_SYNC));
    char buf[64] = {0};
    pread(fd, buf, 32, 0);
    printf("pread sees [%s]\n", buf);
    pwrite(fd, "FILE", 4, 0);
    printf("mapping sees [%.10s]\n", p);
    printf("msync both %d %s\n", msync(p, 4096, MS_SYNC | MS_ASYNC), strerror(errno));
    printf("munmap %d\n", munmap(p, 16384));
    int ro = open("shared.dat", O_RDONLY);
    char *q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, 0);
    printf("ro map [%.10s] mprotect write %d %s\n", q, mprotect(q, 4096, PROT_READ | PROT_WRITE), strerror(errno));
    errno = 0;
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("rw map of ro fd %s %s\n", w == MAP_FAILED ? "failed" : "ok", strerror(errno));
    char *pr = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 4096);
    printf("private at 4096 [%s]\n", pr + 9000 - 4096);
    pr[0] = 'X';
    char c; pread(ro, &c, 1, 4096);
    printf("private write stays private: %d\n", c == 0);
    return 0;
}
