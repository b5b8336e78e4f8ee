/* fcntl record locks within one process: classic locks, OFD locks, ranges, conflicts, release on close. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int lock(int fd, int cmd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    return fcntl(fd, cmd, &fl);
}

static void show(const char *label, int r) {
    printf("%-40s %d %s\n", label, r, r < 0 ? strerror(errno) : "");
}

static void query(const char *label, int fd, int cmd, short type, off_t start, off_t len) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
    int r = fcntl(fd, cmd, &fl);
    printf("%-40s %d type=%s start=%lld len=%lld pid-is-mine=%d\n", label, r,
            fl.l_type == F_UNLCK ? "unlck" : fl.l_type == F_WRLCK ? "wr" : "rd", (long long) fl.l_start,
            (long long) fl.l_len, fl.l_pid == getpid());
}

int main(void) {
    int fd1 = open("locked.dat", O_CREAT | O_TRUNC | O_RDWR, 0644);
    write(fd1, "0123456789abcdefghij", 20);
    int fd2 = open("locked.dat", O_RDWR);
    int fd3 = open("locked.dat", O_RDONLY);
    int wo = open("locked.dat", O_WRONLY);
    show("posix write lock 0..10 on fd1", lock(fd1, F_SETLK, F_WRLCK, 0, 10));
    query("posix getlk from same process", fd2, F_GETLK, F_WRLCK, 0, 0);
    show("ofd write lock 5..15 on fd2", lock(fd2, F_OFD_SETLK, F_WRLCK, 5, 10));
    query("ofd getlk 5..15 on fd2", fd2, F_OFD_GETLK, F_WRLCK, 5, 10);
    show("ofd read lock 10..20 on fd2", lock(fd2, F_OFD_SETLK, F_RDLCK, 10, 10));
    show("ofd read lock 12..14 on fd3", lock(fd3, F_OFD_SETLK, F_RDLCK, 12, 2));
    show("ofd write lock 12..14 on fd3", lock(fd3, F_OFD_SETLK, F_WRLCK, 12, 2));
    show("read lock on write-only fd", lock(wo, F_SETLK, F_RDLCK, 0, 1));
    show("bad lock type", lock(fd1, F_SETLK, 7, 0, 1));
    struct flock bad = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1};
    show("ofd lock with l_pid set", fcntl(fd2, F_OFD_SETLK, &bad));
    show("negative length from 4", lock(fd1, F_SETLK, F_RDLCK, 4, -2));
    show("close fd3 (drops the posix locks)", close(fd3));
    show("ofd write lock 0..5 on fd2 now", lock(fd2, F_OFD_SETLK, F_WRLCK, 0, 5));
    show("unlock everything on fd2", lock(fd2, F_OFD_SETLK, F_UNLCK, 0, 0));
    query("ofd getlk whole file on fd1", fd1, F_OFD_GETLK, F_WRLCK, 0, 0);
    close(fd1);
    close(fd2);
    close(wo);
    unlink("locked.dat");
    return 0;
}
