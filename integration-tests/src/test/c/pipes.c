/* Pipes inside one process: data, end of file, EPIPE, O_NONBLOCK, sizes, packets, FIONREAD, fstat. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void) {
    int p[2];
    char buf[70000];
    show("pipe", pipe(p));
    show("write", write(p[1], "hello", 5));
    int avail = -1;
    show("FIONREAD", ioctl(p[0], FIONREAD, &avail));
    printf("available %d\n", avail);
    show("read", read(p[0], buf, sizeof buf));
    struct stat st;
    show("fstat", fstat(p[0], &st));
    printf("fifo %d mode %o size %ld\n", S_ISFIFO(st.st_mode), st.st_mode & 0777, (long) st.st_size);
    show("lseek", lseek(p[0], 0, SEEK_SET));
    show("read on write end", read(p[1], buf, 1));
    show("write on read end", write(p[0], "x", 1));
    show("F_GETFL read end", fcntl(p[0], F_GETFL) & O_ACCMODE);
    show("F_GETFL write end", fcntl(p[1], F_GETFL) & O_ACCMODE);
    show("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    show("F_SETPIPE_SZ 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
    show("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
    show("F_SETPIPE_SZ 2 MiB", fcntl(p[1], F_SETPIPE_SZ, 2 << 20));
    show("F_GETPIPE_SZ on a file", fcntl(0 + open("/dev/null", O_RDONLY), F_GETPIPE_SZ));
    show("F_SETFL O_NONBLOCK", fcntl(p[1], F_SETFL, O_NONBLOCK));
    memset(buf, 'a', sizeof buf);
    show("nonblocking fill", write(p[1], buf, sizeof buf));
    show("nonblocking full", write(p[1], buf, 1));
    show("drain", read(p[0], buf, sizeof buf));
    show("F_SETFL O_NONBLOCK read end", fcntl(p[0], F_SETFL, O_NONBLOCK));
    show("read empty nonblocking", read(p[0], buf, 10));
    show("close write end", close(p[1]));
    show("read at EOF", read(p[0], buf, 10));
    close(p[0]);

    signal(SIGPIPE, SIG_IGN);
    show("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
    show("FD_CLOEXEC", fcntl(p[0], F_GETFD));
    close(p[0]);
    show("write with no reader", write(p[1], "x", 1));
    close(p[1]);
    show("pipe2 bad flags", pipe2(p, O_APPEND));

    show("pipe2 O_DIRECT", pipe2(p, O_DIRECT));
    write(p[1], "first", 5);
    write(p[1], "second packet", 13);
    show("packet 1 in a big buffer", read(p[0], buf, sizeof buf));
    show("packet 2 cut to 3 bytes", read(p[0], buf, 3));
    write(p[1], "third", 5);
    show("next packet", read(p[0], buf, sizeof buf));
    printf("[%.5s]\n", buf);
    close(p[0]);
    close(p[1]);
    int *bad = (int *) 8;
    __asm__("" : "+r"(bad));
    show("pipe into a bad pointer", pipe(bad));
    return 0;
}
