/* acct(2) against Linux: its errors in acct_on's order, then BSD accounting of child processes
 * (struct acct_v3 records: flags, exit code, ids, comm, times) to a file in the working directory
 * and to one on tmpfs, and the record of the caller that switches accounting off. Accounting is
 * per PID namespace: natively the program makes one of its own (as root) and accounts there only,
 * never for the host's processes; under jlx, whose run is one, that unshare is refused. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

/* struct acct_v3 (linux/acct.h). */
struct record {
    char flag, version;
    uint16_t tty;
    uint32_t exitcode, uid, gid, pid, ppid, btime;
    float etime;
    uint16_t utime, stime, mem, io, rw, minflt, majflt, swaps;
    char comm[16];
};

static void show(const char *what, long r) {
    printf("%s = %ld %s\n", what, r, r < 0 ? errname(errno) : "");
    fflush(stdout);
}

static long acct_(const char *name) {
    return syscall(SYS_acct, name);
}

/* comp_t: 13-bit mantissa, base-8 exponent. */
static unsigned long comp(uint16_t c) {
    return (unsigned long) (c & 0x1fff) << (3 * (c >> 13));
}

static pid_t children[8];
static int nchildren;

static void dump(const char *file, time_t start) {
    int fd = open(file, O_RDONLY);
    struct record r;
    struct stat st;
    fstat(fd, &st);
    printf("%s: %ld bytes\n", file, (long) st.st_size);
    time_t now = time(NULL);
    while (read(fd, &r, sizeof r) == sizeof r) {
        int who = -1;
        for (int i = 0; i < nchildren; i++) {
            if (children[i] == (pid_t) r.pid) {
                who = i;
            }
        }
        printf("  %-15.16s flag %#x version %d exit %#x uid %u gid %u child %d ppid-is-me %d tty %u", r.comm, r.flag,
               r.version, r.exitcode, r.uid, r.gid, who, r.ppid == (uint32_t) getpid(), r.tty);
        printf(" btime-ok %d etime-ok %d times-ok %d mem %s io %u rw %u swaps %u\n",
               (time_t) r.btime >= start - 2 && (time_t) r.btime <= now + 1, r.etime >= 0 && r.etime < 2000,
               comp(r.utime) + comp(r.stime) < 1000, r.mem ? "some" : "none", r.io, r.rw, r.swaps);
    }
    close(fd);
}

static void child(int how) {
    pid_t pid = fork();
    if (pid == 0) {
        switch (how) {
        case 0:
            _exit(3);
        case 1:
            pause();
            _exit(0);
        case 3:
            /* A capability check passed (CAP_SYS_BOOT, then the magic is wrong): ASU. */
            syscall(SYS_reboot, 0, 0, 0, NULL);
            _exit(0);
        case 2: {
            char self[256];
            ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
            self[n] = 0;
            execl(self, "acct-child", "exec", (char *) NULL);
            _exit(1);
        }
        }
    }
    children[nchildren++] = pid;
    if (how == 1) {
        usleep(50000);
        kill(pid, SIGKILL);
    }
    int status;
    waitpid(pid, &status, 0);
}

static int accounting(void) {
    time_t start = time(NULL);
    acct_(NULL);
    show("off when off", acct_(NULL));
    show("bad name", acct_((char *) 16));
    show("empty name", acct_(""));
    show("missing", acct_("missing"));
    show("directory", acct_("."));
    show("/dev/null", acct_("/dev/null"));
    show("/proc/self/comm", acct_("/proc/self/comm"));
    close(open("readonly", O_CREAT | O_WRONLY, 0400));
    pid_t pid = fork();
    if (pid == 0) {
        setgid(65534);
        setuid(65534);
        show("nobody, bad name", acct_((char *) 16));
        show("nobody, off", acct_(NULL));
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    close(open("acct.log", O_CREAT | O_WRONLY | O_TRUNC, 0600));
    symlink("acct.log", "acct.link");
    show("on, through a link", acct_("acct.link"));
    child(0);
    child(1);
    child(2);
    child(3);
    unlink("/dev/shm/acct-test.log");
    close(open("/dev/shm/acct-test.log", O_CREAT | O_WRONLY, 0600));
    show("switch to tmpfs", acct_("/dev/shm/acct-test.log"));
    child(0);
    show("off", acct_(NULL));
    child(0);
    dump("acct.log", start);
    dump("/dev/shm/acct-test.log", start);
    unlink("/dev/shm/acct-test.log");
    unlink("acct.link");
    unlink("acct.log");
    unlink("readonly");
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        return 5;
    }
    struct utsname u;
    uname(&u);
    if (unshare(CLONE_NEWPID) != 0 && strstr(u.release, "jlx") == NULL) {
        printf("no PID namespace of its own: accounting not tried\n");
        return 1;
    }
    pid_t init = fork();
    if (init == 0) {
        exit(accounting());
    }
    int status;
    waitpid(init, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
