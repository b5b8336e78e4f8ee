/*
 * A file mapped shared, then cut short by the program itself: a touch past the new end is SIGBUS on
 * Linux. jlx must survive it (a host SIGBUS would end the JVM); the guest reads zeros instead.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;

static void on_bus(int sig) {
    (void) sig;
    siglongjmp(back, 1);
}

int main(int argc, char **argv) {
    char path[4096];
    snprintf(path, sizeof path, "%s/truncmap-XXXXXX", argc > 1 ? argv[1] : "/tmp");
    int fd = mkstemp(path);
    ftruncate(fd, 3 * 4096);
    volatile char *p = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    p[0] = 'a';
    p[2 * 4096] = 'c';
    signal(SIGBUS, on_bus);
    printf("truncate to 100 bytes: %d\n", ftruncate(fd, 100));
    printf("first page still mapped: %c\n", p[0]);
    if (sigsetjmp(back, 1) == 0) {
        printf("read 0x%02x past the end\n", p[2 * 4096]);
    } else {
        printf("SIGBUS past the end\n");
    }
    int again = open(path, O_RDWR | O_TRUNC);
    if (sigsetjmp(back, 1) == 0) {
        printf("after O_TRUNC: read 0x%02x\n", p[0]);
    } else {
        printf("after O_TRUNC: SIGBUS\n");
    }
    close(again);
    unlink(path);
    return 0;
}
