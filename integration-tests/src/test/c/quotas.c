/* quotactl and quotactl_fd against Linux: the device path's checks, Q_SYNC without a device, and
 * each command through a descriptor on the working directory's file system (ext4 without quotas
 * natively, a host directory under jlx), on tmpfs (/dev/shm), on a pipe, as root and as nobody. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define QCMD(cmd, type) (((cmd) << 8) | ((type) & 0xff))
#define Q_SYNC 0x800001
#define Q_QUOTAON 0x800002
#define Q_QUOTAOFF 0x800003
#define Q_GETFMT 0x800004
#define Q_GETINFO 0x800005
#define Q_SETINFO 0x800006
#define Q_GETQUOTA 0x800007
#define Q_SETQUOTA 0x800008
#define Q_GETNEXTQUOTA 0x800009
#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443
#endif

static void show(const char *what, long r) {
    printf("%s = %ld %s\n", what, r, r < 0 ? errname(errno) : "");
}

static long qc(unsigned cmd, const char *special, int id, void *addr) {
    return syscall(SYS_quotactl, cmd, special, id, addr);
}

static long qfd(int fd, unsigned cmd, int id, void *addr) {
    return syscall(SYS_quotactl_fd, fd, cmd, id, addr);
}

static const unsigned commands[] = {Q_SYNC, Q_QUOTAON, Q_QUOTAOFF, Q_GETFMT, Q_GETINFO, Q_SETINFO, Q_GETQUOTA,
    Q_SETQUOTA, Q_GETNEXTQUOTA, 0x5801, 0x5802, 0x5803, 0x5804, 0x5805, 0x5806, 0x5807, 0x5808, 0x5809, 0x1234};

/* Every command and type on fd: with a zeroed buffer (version 1 first), a bad one, and id -1. */
static void all(const char *name, int fd) {
    static char buf[4096];
    char what[128];
    for (unsigned i = 0; i < sizeof commands / sizeof *commands; i++) {
        for (int type = 0; type < 3; type++) {
            memset(buf, 0, sizeof buf);
            buf[0] = 1;
            snprintf(what, sizeof what, "%s %#x type %d", name, commands[i], type);
            long good = qfd(fd, QCMD(commands[i], type), 0, buf);
            int e1 = errno;
            long bad = qfd(fd, QCMD(commands[i], type), 0, (void *) 16);
            int e2 = errno;
            long minus = qfd(fd, QCMD(commands[i], type), -1, buf);
            int e3 = errno;
            printf("%s: %ld %s, bad address %ld %s, id -1 %ld %s\n", what, good, good < 0 ? errname(e1) : "",
                   bad, bad < 0 ? errname(e2) : "", minus, minus < 0 ? errname(e3) : "");
        }
    }
    /* Timers and warnings for everyone (id 0) through Q_XSETQLIM: the warnings are refused first. */
    memset(buf, 0, sizeof buf);
    *(unsigned short *) (buf + 2) = 0x40;
    show("XSETQLIM id 0 btimer", qfd(fd, QCMD(0x5804, 0), 0, buf));
    *(unsigned short *) (buf + 2) = 0x200;
    show("XSETQLIM id 0 bwarns", qfd(fd, QCMD(0x5804, 0), 0, buf));
    show("XSETQLIM id 5 bwarns", qfd(fd, QCMD(0x5804, 0), 5, buf));
    /* Q_SETINFO's valid and flags bits. */
    memset(buf, 0, sizeof buf);
    *(unsigned *) (buf + 20) = 8;
    show("SETINFO valid 8", qfd(fd, QCMD(Q_SETINFO, 1), 0, buf));
    *(unsigned *) (buf + 20) = 4;
    *(unsigned *) (buf + 16) = 2;
    show("SETINFO flags 2", qfd(fd, QCMD(Q_SETINFO, 1), 0, buf));
    buf[0] = 2;
    show("XGETQSTATV version 2", qfd(fd, QCMD(0x5808, 1), 0, buf));
}

int main(void) {
    char buf[256] = {0};
    show("type 3", qc(QCMD(Q_SYNC, 3), NULL, 0, NULL));
    show("type 0xff, bad path", qc(QCMD(Q_GETFMT, 0xff), (char *) 16, 0, buf));
    show("Q_SYNC, no device", qc(QCMD(Q_SYNC, 0), NULL, 0, NULL));
    show("Q_SYNC, no device, prj", qc(QCMD(Q_SYNC, 2), NULL, 0, (void *) 16));
    show("Q_GETFMT, no device", qc(QCMD(Q_GETFMT, 0), NULL, 0, buf));
    show("unknown, no device", qc(QCMD(0x4321, 0), NULL, 0, buf));
    show("bad path", qc(QCMD(Q_GETFMT, 0), (char *) 16, 0, buf));
    show("empty path", qc(QCMD(Q_GETFMT, 0), "", 0, buf));
    show("missing", qc(QCMD(Q_GETFMT, 0), "missing", 0, buf));
    char *longname = malloc(5000);
    memset(longname, 'a', 4999);
    longname[4999] = 0;
    show("too long", qc(QCMD(Q_GETFMT, 0), longname, 0, buf));
    close(open("file", O_CREAT | O_WRONLY, 0600));
    show("regular file", qc(QCMD(Q_GETFMT, 0), "file", 0, buf));
    show("under a file", qc(QCMD(Q_GETFMT, 0), "file/x", 0, buf));
    show("directory", qc(QCMD(Q_GETFMT, 0), ".", 0, buf));
    show("/dev/null", qc(QCMD(Q_GETFMT, 0), "/dev/null", 0, buf));
    show("QUOTAON, bad quota file", qc(QCMD(Q_QUOTAON, 0), "/dev/null", 2, (void *) 16));
    symlink("file", "link");
    show("link to a file", qc(QCMD(Q_GETFMT, 0), "link", 0, buf));

    show("fd -1", qfd(-1, QCMD(Q_GETFMT, 0), 0, buf));
    show("fd 99", qfd(99, QCMD(Q_GETFMT, 3), 0, buf));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    show("type 3 on fd", qfd(dir, QCMD(Q_GETFMT, 3), 0, buf));
    all("cwd", dir);
    int path = open("file", O_PATH);
    show("O_PATH GETFMT", qfd(path, QCMD(Q_GETFMT, 0), 0, buf));
    show("O_PATH GETQUOTA", qfd(path, QCMD(Q_GETQUOTA, 0), 0, buf));
    int shm = open("/dev/shm", O_RDONLY | O_DIRECTORY);
    all("tmpfs", shm);
    int p[2];
    pipe(p);
    show("pipe GETFMT", qfd(p[0], QCMD(Q_GETFMT, 0), 0, buf));
    show("pipe type 5", qfd(p[0], QCMD(Q_GETFMT, 5), 0, buf));

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        setgroups(0, NULL);
        setgid(65534);
        setuid(65534);
        show("nobody GETFMT", qfd(dir, QCMD(Q_GETFMT, 0), 0, buf));
        show("nobody GETQUOTA own uid", qfd(dir, QCMD(Q_GETQUOTA, 0), 65534, buf));
        show("nobody GETQUOTA own gid", qfd(dir, QCMD(Q_GETQUOTA, 1), 65534, buf));
        show("nobody GETQUOTA root", qfd(dir, QCMD(Q_GETQUOTA, 0), 0, buf));
        show("nobody XGETQUOTA own", qfd(dir, QCMD(0x5803, 0), 65534, buf));
        show("nobody GETNEXTQUOTA own", qfd(dir, QCMD(Q_GETNEXTQUOTA, 0), 65534, buf));
        show("nobody QUOTAOFF", qfd(dir, QCMD(Q_QUOTAOFF, 0), 0, buf));
        show("nobody unknown", qfd(dir, QCMD(0x1234, 0), 0, buf));
        show("nobody XQUOTASYNC", qfd(dir, QCMD(0x5807, 0), 0, buf));
        show("nobody tmpfs QUOTAOFF", qfd(shm, QCMD(Q_QUOTAOFF, 0), 0, buf));
        show("nobody Q_SYNC, no device", qc(QCMD(Q_SYNC, 0), NULL, 0, NULL));
        show("nobody, missing", qc(QCMD(Q_GETFMT, 0), "/missing", 0, buf));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    unlink("link");
    unlink("file");
    return 0;
}
