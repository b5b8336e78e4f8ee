/*
 * Calls with more than one bad argument: Linux checks them in a fixed order, so each line shows the
 * errno of the first bad one. Runs in an empty scratch directory (the current one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-52s %s %s\n", label, r_ < 0 ? "-1" : "ok", r_ < 0 ? strerror(e_) : ""); } while (0)

#define BAD ((void *) 1)
#define CLONE_INTO_CGROUP 0x200000000ULL
#define CLONE_CLEAR_SIGHAND 0x100000000ULL

/* struct clone_args, CLONE_ARGS_SIZE_VER2 (88 bytes). */
struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
            cgroup;
};

static void on_usr1(int sig) {
    (void) sig;
}

int main(void) {
    /* A page that cannot be read, for arguments that run into it; the page before it is readable. */
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(pages + 4096, 4096, PROT_NONE);
    char *guard = pages + 4096;
    close(open("f", O_CREAT | O_WRONLY, 0644));
    mkdir("d", 0755);
    int file = open("f", O_RDONLY);
    struct timespec ts[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    struct timespec badts[2] = {{0, 2000000000}, {0, 0}};
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    struct stat st;
    char buf[64];

    printf("empty paths and bad descriptors\n");
    SHOW("faccessat(-1, \"\")", syscall(SYS_faccessat, -1, "", F_OK));
    SHOW("faccessat(-1, \"f\")", syscall(SYS_faccessat, -1, "f", F_OK));
    SHOW("faccessat(-1, \"/\")", syscall(SYS_faccessat, -1, "/", F_OK));
    SHOW("faccessat(-1, NULL)", syscall(SYS_faccessat, -1, NULL, F_OK));
    SHOW("faccessat(-1, \"\", bad mode)", syscall(SYS_faccessat, -1, "", 0100));
    SHOW("faccessat2(-1, \"\", bad flags)", syscall(SYS_faccessat2, -1, "", F_OK, 0x4000));
    SHOW("faccessat2(-1, \"\", AT_EMPTY_PATH)", syscall(SYS_faccessat2, -1, "", F_OK, AT_EMPTY_PATH));
    SHOW("faccessat2(file, \"\", AT_EMPTY_PATH)", syscall(SYS_faccessat2, file, "", F_OK, AT_EMPTY_PATH));
    SHOW("fchmodat(-1, \"\")", syscall(SYS_fchmodat, -1, "", 0644));
    SHOW("fchownat(-1, \"\", 0)", syscall(SYS_fchownat, -1, "", -1, -1, 0));
    SHOW("fchownat(-1, \"f\", bad flags)", syscall(SYS_fchownat, -1, "f", -1, -1, 0x4));
    SHOW("newfstatat(-1, \"\")", syscall(SYS_newfstatat, -1, "", &st, 0));
    SHOW("newfstatat(-1, \"f\")", syscall(SYS_newfstatat, -1, "f", &st, 0));
    SHOW("newfstatat(-1, \"\", AT_EMPTY_PATH)", syscall(SYS_newfstatat, -1, "", &st, AT_EMPTY_PATH));
    SHOW("newfstatat(AT_FDCWD, \"f\", bad flags)", syscall(SYS_newfstatat, AT_FDCWD, "f", &st, 0x4));
    SHOW("newfstatat(-1, \"f\", bad flags)", syscall(SYS_newfstatat, -1, "f", &st, 0x4));
    SHOW("newfstatat(AT_FDCWD, \"f\", NULL)", syscall(SYS_newfstatat, AT_FDCWD, "f", NULL, 0));
    SHOW("newfstatat(-1, NULL)", syscall(SYS_newfstatat, -1, NULL, &st, 0));
    SHOW("statx(-1, \"\")", syscall(SYS_statx, -1, "", 0, 0x7ff, buf));
    SHOW("statx(-1, \"f\", bad flags)", syscall(SYS_statx, -1, "f", 0x80000000, 0x7ff, buf));
    SHOW("statx(AT_FDCWD, \"f\", mask STATX__RESERVED)", syscall(SYS_statx, AT_FDCWD, "f", 0, 0x80000000, buf));
    SHOW("readlinkat(-1, \"\")", syscall(SYS_readlinkat, -1, "", buf, sizeof buf));
    symlink("f", "l");
    int lfd = open("l", O_PATH | O_NOFOLLOW);
    SHOW("readlinkat(O_PATH link, \"\")", syscall(SYS_readlinkat, lfd, "", buf, sizeof buf));
    SHOW("readlinkat(file, \"\")", syscall(SYS_readlinkat, file, "", buf, sizeof buf));
    SHOW("readlinkat(AT_FDCWD, \"\")", syscall(SYS_readlinkat, AT_FDCWD, "", buf, sizeof buf));
    SHOW("readlinkat(AT_FDCWD, \"f\", size 0)", syscall(SYS_readlinkat, AT_FDCWD, "f", buf, 0));
    SHOW("readlinkat(-1, \"f\", size 0)", syscall(SYS_readlinkat, -1, "f", buf, 0));
    SHOW("mkdirat(-1, \"\")", syscall(SYS_mkdirat, -1, "", 0755));
    SHOW("mkdirat(-1, NULL)", syscall(SYS_mkdirat, -1, NULL, 0755));
    SHOW("unlinkat(-1, \"\", 0)", syscall(SYS_unlinkat, -1, "", 0));
    SHOW("unlinkat(-1, \"f\", bad flags)", syscall(SYS_unlinkat, -1, "f", 0x1));
    SHOW("unlinkat(AT_FDCWD, NULL, bad flags)", syscall(SYS_unlinkat, AT_FDCWD, NULL, 0x1));
    SHOW("renameat(-1, \"\", -1, \"x\")", syscall(SYS_renameat, -1, "", -1, "x"));
    SHOW("renameat2(-1, \"f\", -1, \"x\", bad flags)", syscall(SYS_renameat2, -1, "f", -1, "x", 0x8));
    SHOW("renameat2(AT_FDCWD, NULL, AT_FDCWD, NULL, bad flags)", syscall(SYS_renameat2, AT_FDCWD, NULL, AT_FDCWD, NULL, 0x8));
    SHOW("linkat(-1, \"\", -1, \"x\", 0)", syscall(SYS_linkat, -1, "", -1, "x", 0));
    SHOW("linkat(-1, \"f\", -1, \"x\", bad flags)", syscall(SYS_linkat, -1, "f", -1, "x", 0x1));
    SHOW("symlinkat(\"t\", -1, \"\")", syscall(SYS_symlinkat, "t", -1, ""));
    SHOW("symlinkat(\"\", -1, \"x\")", syscall(SYS_symlinkat, "", -1, "x"));
    SHOW("symlinkat(NULL, -1, \"x\")", syscall(SYS_symlinkat, NULL, -1, "x"));
    SHOW("mknodat(-1, \"x\", bad type)", syscall(SYS_mknodat, -1, "x", 0170000 | 0644, 0));
    SHOW("mknodat(-1, \"\", S_IFIFO)", syscall(SYS_mknodat, -1, "", S_IFIFO | 0644, 0));
    SHOW("mknodat(-1, NULL, bad type)", syscall(SYS_mknodat, -1, NULL, 0170000, 0));
    SHOW("mknodat(AT_FDCWD, \"f\", S_IFCHR) (exists)", syscall(SYS_mknodat, AT_FDCWD, "f", S_IFCHR | 0644, 0));
    SHOW("mknodat(-1, \"x\", S_IFDIR)", syscall(SYS_mknodat, -1, "x", S_IFDIR | 0644, 0));
    SHOW("mknodat(-1, NULL, S_IFDIR)", syscall(SYS_mknodat, -1, NULL, S_IFDIR, 0));
    SHOW("openat(-1, \"\", O_RDONLY)", syscall(SYS_openat, -1, "", O_RDONLY));
    SHOW("openat(-1, \"x\", O_TMPFILE|O_RDONLY)", syscall(SYS_openat, -1, "x", O_TMPFILE | O_RDONLY, 0600));
    SHOW("openat(-1, \"x\", __O_TMPFILE w/o O_DIRECTORY)", syscall(SYS_openat, -1, "x", (O_TMPFILE & ~O_DIRECTORY) | O_RDWR, 0600));
    SHOW("openat(-1, NULL, O_TMPFILE|O_RDONLY)", syscall(SYS_openat, -1, NULL, O_TMPFILE | O_RDONLY, 0600));
    SHOW("openat(-1, NULL, O_RDONLY)", syscall(SYS_openat, -1, NULL, O_RDONLY));
    SHOW("open(\"\", O_CREAT)", syscall(SYS_open, "", O_CREAT | O_WRONLY, 0644));
    SHOW("open(\"missing\", O_PATH|O_CREAT)", syscall(SYS_open, "missing", O_PATH | O_CREAT, 0644));
    SHOW("openat(file, \"x\")", syscall(SYS_openat, file, "x", O_RDONLY));
    SHOW("openat(file, \"/\")", syscall(SYS_openat, file, "/", O_RDONLY));
    SHOW("chdir(\"\")", syscall(SYS_chdir, ""));
    SHOW("chdir(NULL)", syscall(SYS_chdir, NULL));
    SHOW("fchdir(-1)", syscall(SYS_fchdir, -1));
    SHOW("fchdir(file)", syscall(SYS_fchdir, file));

    printf("utimensat\n");
    SHOW("utimensat(AT_FDCWD, NULL, times, 0)", syscall(SYS_utimensat, AT_FDCWD, NULL, ts, 0));
    SHOW("utimensat(AT_FDCWD, NULL, NULL, 0)", syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0));
    SHOW("utimensat(-1, NULL, times, 0)", syscall(SYS_utimensat, -1, NULL, ts, 0));
    SHOW("utimensat(-1, NULL, bad times, 0)", syscall(SYS_utimensat, -1, NULL, badts, 0));
    SHOW("utimensat(-1, NULL, times, AT_SYMLINK_NOFOLLOW)", syscall(SYS_utimensat, -1, NULL, ts, AT_SYMLINK_NOFOLLOW));
    SHOW("utimensat(-1, \"\", times, 0)", syscall(SYS_utimensat, -1, "", ts, 0));
    SHOW("utimensat(-1, \"f\", times, 0)", syscall(SYS_utimensat, -1, "f", ts, 0));
    SHOW("utimensat(AT_FDCWD, \"f\", bad times, 0)", syscall(SYS_utimensat, AT_FDCWD, "f", badts, 0));
    SHOW("utimensat(AT_FDCWD, \"f\", BAD times, 0)", syscall(SYS_utimensat, AT_FDCWD, "f", BAD, 0));
    SHOW("utimensat(AT_FDCWD, \"f\", times, bad flags)", syscall(SYS_utimensat, AT_FDCWD, "f", ts, 0x4));
    SHOW("utimensat(-1, \"f\", times, bad flags)", syscall(SYS_utimensat, -1, "f", ts, 0x4));
    SHOW("utimensat(file, NULL, times, 0)", syscall(SYS_utimensat, file, NULL, ts, 0));
    SHOW("utimensat(AT_FDCWD, NULL, now, 0)", syscall(SYS_utimensat, AT_FDCWD, NULL, now, 0));
    SHOW("utimensat(-1, NULL, now, 0)", syscall(SYS_utimensat, -1, NULL, now, 0));
    SHOW("utimensat(-1, NULL, now, AT_SYMLINK_NOFOLLOW)", syscall(SYS_utimensat, -1, NULL, now, AT_SYMLINK_NOFOLLOW));
    SHOW("utimensat(-1, \"\", now, 0)", syscall(SYS_utimensat, -1, "", now, 0));
    SHOW("utimensat(-1, \"\", now, AT_EMPTY_PATH)", syscall(SYS_utimensat, -1, "", now, AT_EMPTY_PATH));
    SHOW("utimensat(-1, \"f\", now, 0)", syscall(SYS_utimensat, -1, "f", now, 0));
    SHOW("utimensat(-1, \"f\", now, bad flags)", syscall(SYS_utimensat, -1, "f", now, 0x4));
    SHOW("utimensat(AT_FDCWD, \"missing\", bad times, 0)", syscall(SYS_utimensat, AT_FDCWD, "missing", badts, 0));
    SHOW("utimensat(file, NULL, now, 0)", syscall(SYS_utimensat, file, NULL, now, 0));
    SHOW("futimesat(-1, NULL, NULL)", syscall(SYS_futimesat, -1, NULL, NULL));
    SHOW("futimesat(AT_FDCWD, NULL, NULL)", syscall(SYS_futimesat, AT_FDCWD, NULL, NULL));

    printf("extended attributes\n");
    SHOW("fsetxattr(-1, NULL)", syscall(SYS_fsetxattr, -1, NULL, "v", 1, 0));
    SHOW("fsetxattr(-1, \"user.x\", bad flags)", syscall(SYS_fsetxattr, -1, "user.x", "v", 1, 8));
    SHOW("fsetxattr(-1, \"\")", syscall(SYS_fsetxattr, -1, "", "v", 1, 0));
    SHOW("fsetxattr(-1, \"user.x\", BAD value)", syscall(SYS_fsetxattr, -1, "user.x", BAD, 1, 0));
    SHOW("fsetxattr(-1, \"user.x\", value running into PROT_NONE)",
            syscall(SYS_fsetxattr, -1, "user.x", guard - 4, 8, 0));
    SHOW("fgetxattr(-1, NULL)", syscall(SYS_fgetxattr, -1, NULL, buf, sizeof buf));
    SHOW("fgetxattr(-1, \"\")", syscall(SYS_fgetxattr, -1, "", buf, sizeof buf));
    SHOW("fremovexattr(-1, NULL)", syscall(SYS_fremovexattr, -1, NULL));
    SHOW("flistxattr(-1, BAD)", syscall(SYS_flistxattr, -1, BAD, 16));
    SHOW("setxattr(NULL, NULL)", syscall(SYS_setxattr, NULL, NULL, "v", 1, 0));
    SHOW("setxattr(\"f\", NULL)", syscall(SYS_setxattr, "f", NULL, "v", 1, 0));
    SHOW("setxattr(\"missing\", \"user.x\", bad flags)", syscall(SYS_setxattr, "missing", "user.x", "v", 1, 8));
    SHOW("getxattr(\"missing\", NULL)", syscall(SYS_getxattr, "missing", NULL, buf, sizeof buf));
    SHOW("lsetxattr(\"\", \"user.x\")", syscall(SYS_lsetxattr, "", "user.x", "v", 1, 0));

    printf("epoll_ctl\n");
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {0}};
    int pfd[2];
    pipe(pfd);
    SHOW("epoll_ctl(-1, ADD, -1, BAD)", syscall(SYS_epoll_ctl, -1, EPOLL_CTL_ADD, -1, BAD));
    SHOW("epoll_ctl(-1, ADD, -1, NULL)", syscall(SYS_epoll_ctl, -1, EPOLL_CTL_ADD, -1, NULL));
    SHOW("epoll_ctl(-1, DEL, -1, BAD)", syscall(SYS_epoll_ctl, -1, EPOLL_CTL_DEL, -1, BAD));
    SHOW("epoll_ctl(ep, ADD, -1, BAD)", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, -1, BAD));
    SHOW("epoll_ctl(ep, bad op, pipe, &ev)", syscall(SYS_epoll_ctl, ep, 99, pfd[0], &ev));
    SHOW("epoll_ctl(ep, bad op, -1, BAD)", syscall(SYS_epoll_ctl, ep, 99, -1, BAD));
    SHOW("epoll_ctl(file, ADD, pipe, &ev)", syscall(SYS_epoll_ctl, file, EPOLL_CTL_ADD, pfd[0], &ev));
    SHOW("epoll_ctl(ep, ADD, file, &ev)", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, file, &ev));
    SHOW("epoll_ctl(ep, MOD, pipe, &ev) (not added)", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, pfd[0], &ev));
    SHOW("epoll_ctl(ep, DEL, pipe, NULL) (not added)", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, pfd[0], NULL));
    SHOW("epoll_wait(-1, BAD, 0)", syscall(SYS_epoll_wait, -1, BAD, 0, 0));
    SHOW("epoll_wait(file, out, 1)", syscall(SYS_epoll_wait, file, &ev, 1, 0));
    SHOW("epoll_wait(ep, NULL, 1)", syscall(SYS_epoll_wait, ep, NULL, 1, 0));

    printf("getcwd, kill, waitid, clone3, execve\n");
    SHOW("getcwd(NULL, SIZE_MAX)", syscall(SYS_getcwd, NULL, SIZE_MAX));
    SHOW("getcwd(NULL, 1)", syscall(SYS_getcwd, NULL, 1));
    SHOW("getcwd(BAD, 4096)", syscall(SYS_getcwd, BAD, 4096));
    SHOW("setpgid(0, 0)", setpgid(0, 0));
    SHOW("kill(-pgrp, -1)", syscall(SYS_kill, -getpgrp(), -1));
    SHOW("kill(-pgrp, 65)", syscall(SYS_kill, -getpgrp(), 65));
    SHOW("kill(pid, -1)", syscall(SYS_kill, getpid(), -1));
    SHOW("kill(pid, 65)", syscall(SYS_kill, getpid(), 65));
    SHOW("kill(-99999, -1)", syscall(SYS_kill, -99999, -1));
    SHOW("kill(99999, 65)", syscall(SYS_kill, 99999, 65));
    SHOW("kill(INT_MIN, 0)", syscall(SYS_kill, (int) 0x80000000, 0));
    SHOW("kill(0, -1)", syscall(SYS_kill, 0, -1));
    SHOW("kill(pid, 0)", syscall(SYS_kill, getpid(), 0));
    siginfo_t si;
    SHOW("waitid(P_PGID, -1, WEXITED)", syscall(SYS_waitid, P_PGID, -1, &si, WEXITED, NULL));
    SHOW("waitid(P_PID, 0, WEXITED)", syscall(SYS_waitid, P_PID, 0, &si, WEXITED, NULL));
    SHOW("waitid(P_PID, -1, WEXITED)", syscall(SYS_waitid, P_PID, -1, &si, WEXITED, NULL));
    SHOW("waitid(P_ALL, 0, 0)", syscall(SYS_waitid, P_ALL, 0, &si, 0, NULL));
    SHOW("waitid(P_ALL, 0, bad options)", syscall(SYS_waitid, P_ALL, 0, &si, WEXITED | 0x100, NULL));
    SHOW("waitid(42, 0, WEXITED)", syscall(SYS_waitid, 42, 0, &si, WEXITED, NULL));
    SHOW("waitid(P_PGID, 0, WEXITED|WNOHANG)", syscall(SYS_waitid, P_PGID, 0, &si, WEXITED | WNOHANG, NULL));
    SHOW("waitid(P_PIDFD, -1, WEXITED)", syscall(SYS_waitid, 3, -1, &si, WEXITED, NULL));
    SHOW("wait4(-1, BAD, bad options)", syscall(SYS_wait4, -1, BAD, 0x10000000, NULL));
    SHOW("wait4(INT_MIN, NULL, 0)", syscall(SYS_wait4, (int) 0x80000000, NULL, 0, NULL));
    struct clone_args_v2 ca;
    memset(&ca, 0, sizeof ca);
    ca.flags = CLONE_INTO_CGROUP;
    ca.exit_signal = SIGCHLD;
    ca.cgroup = 0xffffffffULL;
    SHOW("clone3(CLONE_INTO_CGROUP, cgroup > INT_MAX)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.cgroup = 1000;
    SHOW("clone3(CLONE_INTO_CGROUP, size 64)", syscall(SYS_clone3, &ca, 64));
    SHOW("clone3(CLONE_INTO_CGROUP, fd not open)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.cgroup = file;
    SHOW("clone3(CLONE_INTO_CGROUP, a regular file)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.cgroup = 1000;
    SHOW("clone3(size 8)", syscall(SYS_clone3, &ca, 8));
    SHOW("clone3(NULL, size 88)", syscall(SYS_clone3, NULL, 88));
    ca.flags = 0;
    ca.exit_signal = 65;
    SHOW("clone3(exit_signal 65)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.exit_signal = (1ULL << 32) | SIGCHLD;
    SHOW("clone3(exit_signal with high bits)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.exit_signal = SIGCHLD;
    SHOW("clone3(size 4097)", syscall(SYS_clone3, &ca, 4097));
    SHOW("clone3(size 4097, BAD)", syscall(SYS_clone3, BAD, 4097));
    /* A struct longer than the kernel's: the tail must be zero, and is read up to its first non-zero byte. */
    struct clone_args_v2 *tail = (struct clone_args_v2 *) (guard - sizeof ca - 8);
    memcpy(tail, &ca, sizeof ca);
    memset((char *) tail + sizeof ca, 0, 8);
    SHOW("clone3(zero tail running into PROT_NONE)", syscall(SYS_clone3, tail, sizeof ca + 16));
    ((char *) tail)[sizeof ca + 3] = 1;
    SHOW("clone3(non-zero tail, then PROT_NONE)", syscall(SYS_clone3, tail, sizeof ca + 16));
    ca.flags = 1ULL << 40;
    SHOW("clone3(unknown flag)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.flags = CLONE_DETACHED;
    SHOW("clone3(CLONE_DETACHED)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND;
    SHOW("clone3(CLONE_SIGHAND|CLONE_CLEAR_SIGHAND)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.flags = CLONE_PARENT;
    SHOW("clone3(CLONE_PARENT, exit_signal SIGCHLD)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.flags = 0;
    ca.stack = 0x10000;
    SHOW("clone3(stack without a size)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.stack_size = 0x800000000000ULL;
    SHOW("clone3(stack past the user address space)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.stack = 0;
    SHOW("clone3(stack size without a stack)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.stack_size = 0;
    int tids[2] = {0, 0};
    ca.set_tid_size = 1;
    SHOW("clone3(set_tid NULL, size 1)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.set_tid = (uintptr_t) tids;
    ca.set_tid_size = 0;
    SHOW("clone3(set_tid, size 0)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.set_tid_size = 33;
    SHOW("clone3(set_tid size 33)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.set_tid = (uintptr_t) BAD;
    ca.set_tid_size = 2;
    SHOW("clone3(BAD set_tid, size 2)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.set_tid = (uintptr_t) tids;
    SHOW("clone3(set_tid size 2)", syscall(SYS_clone3, &ca, sizeof ca));
    ca.set_tid = 0;
    ca.set_tid_size = 0;
    /* CLONE_CLEAR_SIGHAND: the child's handlers go back to SIG_DFL, ignored signals stay ignored. */
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    ca.flags = CLONE_CLEAR_SIGHAND | CLONE_PARENT_SETTID;
    ca.parent_tid = (uintptr_t) BAD;
    fflush(stdout);
    long child = syscall(SYS_clone3, &ca, sizeof ca);
    if (child == 0) {
        struct sigaction s1, s2;
        sigaction(SIGUSR1, NULL, &s1);
        sigaction(SIGUSR2, NULL, &s2);
        printf("CLONE_CLEAR_SIGHAND child: SIGUSR1 %s, SIGUSR2 %s\n", s1.sa_handler == SIG_DFL ? "SIG_DFL" : "caught",
                s2.sa_handler == SIG_IGN ? "SIG_IGN" : "not ignored");
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("clone3(CLONE_CLEAR_SIGHAND|CLONE_PARENT_SETTID to BAD) made a child: %d\n", child > 0);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    ca.flags = 0;
    char *argv[] = {"x", NULL};
    SHOW("execve(\"missing\", BAD argv)", syscall(SYS_execve, "missing", BAD, NULL));
    SHOW("execve(\"missing\", argv, BAD envp)", syscall(SYS_execve, "missing", argv, BAD));
    SHOW("execve(\"f\" (not executable), BAD argv)", syscall(SYS_execve, "f", BAD, NULL));
    SHOW("execve(\"d\", BAD argv)", syscall(SYS_execve, "d", BAD, NULL));
    SHOW("execve(\"missing\", argv with BAD string)", syscall(SYS_execve, "missing", (char *[]) {BAD, NULL}, NULL));
    SHOW("execve(BAD, argv)", syscall(SYS_execve, BAD, argv, NULL));
    SHOW("execve(\"\", BAD argv)", syscall(SYS_execve, "", BAD, NULL));
    SHOW("execveat(-1, \"x\", BAD argv)", syscall(SYS_execveat, -1, "x", BAD, NULL, 0));
    SHOW("execveat(-1, \"x\", argv, bad flags)", syscall(SYS_execveat, -1, "x", argv, NULL, 0x1));
    return 0;
}
