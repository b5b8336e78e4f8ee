#define _GNU_SOURCE
/*
 * fcntl(2)'s file owner and signal (F_SETOWN, F_GETOWN, F_SETOWN_EX, F_GETOWN_EX, F_GETOWNER_UIDS,
 * F_SETSIG, F_GETSIG), shared by dup and fork and gone with a dead owner; the lease and dnotify
 * commands' errors; what an O_PATH descriptor takes. Pids are printed as who they are, not as numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_GETOWNER_UIDS
#define F_GETOWNER_UIDS 17
#endif

static pid_t me, child;

static const char *who(long id) {
    static char buf[32];
    if (id == 0) return "0";
    if (id == me) return "self";
    if (id == -me) return "-self";
    if (id == getpgrp()) return "pgrp";
    if (id == -getpgrp()) return "-pgrp";
    if (id == child) return "child";
    snprintf(buf, sizeof buf, "%ld", id);
    return buf;
}

static void show(const char *what, long r, int isId) {
    if (r < 0 && errno != 0) {
        printf("%-44s = -1 %s\n", what, strerror(errno));
    } else if (isId) {
        printf("%-44s = %s\n", what, who(r));
    } else {
        printf("%-44s = %ld\n", what, r);
    }
}

/* T shows a number, ID a process, group or thread id. */
#define T(x) do { errno = 0; long r_ = (x); show(#x, r_, 0); } while (0)
#define ID(x) do { errno = 0; long r_ = (x); show(#x, r_, 1); } while (0)

static void ownerEx(int fd) {
    struct f_owner_ex o = {-1, -1};
    errno = 0;
    long r = syscall(SYS_fcntl, fd, F_GETOWN_EX, &o);
    if (r < 0) {
        printf("F_GETOWN_EX = -1 %s\n", strerror(errno));
    } else {
        printf("F_GETOWN_EX = {type=%d, pid=%s}\n", o.type, who(o.pid));
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    me = getpid();
    int fd = open("owned", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    T(syscall(SYS_fcntl, fd, F_GETSIG));
    ownerEx(fd);
    unsigned uids[2] = {7, 7};
    T(syscall(SYS_fcntl, fd, F_GETOWNER_UIDS, uids));
    printf("uids %u %u\n", uids[0], uids[1]);
    T(syscall(SYS_fcntl, fd, F_GETOWNER_UIDS, (void *) 8));

    T(syscall(SYS_fcntl, fd, F_SETSIG, 65));
    T(syscall(SYS_fcntl, fd, F_SETSIG, -1));
    T(syscall(SYS_fcntl, fd, F_SETSIG, 64));
    T(syscall(SYS_fcntl, fd, F_GETSIG));
    T(syscall(SYS_fcntl, fd, F_SETSIG, SIGUSR1));

    T(syscall(SYS_fcntl, fd, F_SETOWN, me));
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    ownerEx(fd);
    T(syscall(SYS_fcntl, fd, F_GETOWNER_UIDS, uids));
    printf("uids are mine: %d\n", uids[0] == getuid() && uids[1] == geteuid());
    /* F_GETOWN of a group is its id negated, which a small group id turns into an error: F_GETOWN_EX then. */
    T(syscall(SYS_fcntl, fd, F_SETOWN, -getpgrp()));
    ownerEx(fd);
    T(syscall(SYS_fcntl, fd, F_SETOWN, 0x80000000L));
    T(syscall(SYS_fcntl, fd, F_SETOWN, 0x7ffffff0));
    T(syscall(SYS_fcntl, fd, F_SETOWN, 0));
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    ownerEx(fd);

    struct f_owner_ex o = {5, me};
    T(syscall(SYS_fcntl, fd, F_SETOWN_EX, &o));
    o.type = F_OWNER_TID;
    o.pid = 0x7ffffff0;
    T(syscall(SYS_fcntl, fd, F_SETOWN_EX, &o));
    T(syscall(SYS_fcntl, fd, F_SETOWN_EX, (void *) 8));
    T(syscall(SYS_fcntl, fd, F_GETOWN_EX, (void *) 8));
    o.pid = syscall(SYS_gettid);
    T(syscall(SYS_fcntl, fd, F_SETOWN_EX, &o));
    ownerEx(fd);
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    /* A process group named by a pid that leads none: recorded, but no such group exists. */
    o.type = F_OWNER_PGRP;
    o.pid = me == getpgrp() ? 1 : me;
    T(syscall(SYS_fcntl, fd, F_SETOWN_EX, &o));
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    ownerEx(fd);

    /* The owner belongs to the open file: a dup and a forked child see and change the same. */
    int copy = dup(fd);
    T(syscall(SYS_fcntl, copy, F_SETOWN, me));
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    T(syscall(SYS_fcntl, copy, F_GETSIG));
    child = fork();
    if (child == 0) {
        child = getpid();
        ID(syscall(SYS_fcntl, fd, F_GETOWN));
        T(syscall(SYS_fcntl, fd, F_SETOWN, getpid()));
        T(syscall(SYS_fcntl, fd, F_SETSIG, SIGUSR2));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    /* Reaped: the owner is gone, so F_GETOWN reports none. */
    ID(syscall(SYS_fcntl, fd, F_GETOWN));
    ownerEx(fd);
    T(syscall(SYS_fcntl, fd, F_GETSIG));

    /* Leases: none is held; a read lease on a file open for writing conflicts. */
    T(syscall(SYS_fcntl, fd, F_GETLEASE));
    T(syscall(SYS_fcntl, fd, F_SETLEASE, 7));
    T(syscall(SYS_fcntl, fd, F_SETLEASE, F_UNLCK));
    T(syscall(SYS_fcntl, fd, F_SETLEASE, F_RDLCK));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    T(syscall(SYS_fcntl, dir, F_SETLEASE, F_RDLCK));
    int p[2];
    pipe(p);
    T(syscall(SYS_fcntl, p[0], F_SETLEASE, F_UNLCK));

    /* dnotify: an empty mask always does; a file is not a directory. */
    T(syscall(SYS_fcntl, fd, F_NOTIFY, 0));
    T(syscall(SYS_fcntl, fd, F_NOTIFY, DN_MULTISHOT));
    T(syscall(SYS_fcntl, fd, F_NOTIFY, DN_MODIFY));

    /* An O_PATH descriptor takes only F_DUPFD(_CLOEXEC), F_GETFD, F_SETFD and F_GETFL. */
    int path = open("owned", O_PATH);
    T(syscall(SYS_fcntl, path, F_GETFD) >= 0);
    T(syscall(SYS_fcntl, path, F_SETFD, FD_CLOEXEC));
    T(syscall(SYS_fcntl, path, F_GETFL) == (O_PATH | O_LARGEFILE));
    T(syscall(SYS_fcntl, path, F_DUPFD, 0) > 0);
    T(syscall(SYS_fcntl, path, F_SETFL, O_NONBLOCK));
    T(syscall(SYS_fcntl, path, F_GETOWN));
    T(syscall(SYS_fcntl, path, F_SETSIG, 1));
    T(syscall(SYS_fcntl, path, F_GETLEASE));
    T(syscall(SYS_fcntl, path, F_GET_SEALS));
    unlink("owned");
    return 0;
}
