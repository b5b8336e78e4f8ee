/*
 * Namespaces a privileged process may make and join: unshare(2) and clone(2) of the UTS, IPC and
 * cgroup namespaces, /proc/self/ns's links and files, setns(2) by such a file or by a pidfd, and
 * EPERM without CAP_SYS_ADMIN. Run as root (natively inside its own UTS, IPC, cgroup and mount
 * namespaces, so the host's are never touched); namespace numbers differ between runs, so only
 * "same" or "different" is printed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const char *kinds[] = {"uts", "ipc", "cgroup", "mnt", "net", "pid", "user", "time", "pid_for_children",
                              "time_for_children"};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static void rc(const char *what, long r) {
    if (r < 0) {
        printf("%s = -1 %s\n", what, errname(errno));
    } else {
        printf("%s = %ld\n", what, r);
    }
    fflush(stdout);
}

/* The namespace's number, from stat of its link (which follows it to nsfs's file). */
static unsigned long ino(const char *kind) {
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/ns/%s", kind);
    if (stat(path, &st) != 0) {
        printf("stat %s: %s\n", path, errname(errno));
        return 0;
    }
    return st.st_ino;
}

static void inodes(unsigned long *out) {
    for (unsigned i = 0; i < NKINDS; i++) {
        out[i] = ino(kinds[i]);
    }
}

/* Which namespaces differ from {@code before}. */
static void compare(const char *when, const unsigned long *before) {
    unsigned long now[NKINDS];
    inodes(now);
    printf("%s:", when);
    for (unsigned i = 0; i < NKINDS; i++) {
        printf(" %s=%s", kinds[i], now[i] == before[i] ? "same" : "different");
    }
    printf("\n");
    fflush(stdout);
}

static void names(const char *when) {
    struct utsname u;
    char host[128] = "", domain[128] = "";
    uname(&u);
    int fd = open("/proc/sys/kernel/hostname", O_RDONLY);
    ssize_t n = read(fd, host, sizeof host - 1);
    close(fd);
    host[n > 0 ? n - 1 : 0] = 0;
    fd = open("/proc/sys/kernel/domainname", O_RDONLY);
    n = read(fd, domain, sizeof domain - 1);
    close(fd);
    domain[n > 0 ? n - 1 : 0] = 0;
    printf("%s: uname %s/%s proc %s/%s\n", when, u.nodename, u.domainname, host, domain);
    fflush(stdout);
}

static void file(const char *path) {
    char buf[4096];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (n < 0) {
        printf("%s: %s\n", path, errname(errno));
        return;
    }
    buf[n] = 0;
    int lines = 0;
    for (ssize_t i = 0; i < n; i++) {
        lines += buf[i] == '\n';
    }
    printf("%s: %d lines\n", path, lines);
    close(fd);
    fflush(stdout);
}

/* Whether ns-mnt (in directory {@code top}) is a mount point: statfs's type and mountinfo's line. */
static void mountedAt(const char *when, const char *top, const char *name) {
    char path[600], line[1024];
    struct statfs sf;
    snprintf(path, sizeof path, "%s/%s", top, name);
    int type = statfs(path, &sf) == 0 && sf.f_type == 0x01021994;
    int listed = 0;
    FILE *f = fopen("/proc/self/mountinfo", "r");
    strcat(path, " ");
    while (f && fgets(line, sizeof line, f)) {
        listed |= strstr(line, path) != NULL;
    }
    if (f) {
        fclose(f);
    }
    printf("%s: %s %s, %s mountinfo\n", when, name, type ? "tmpfs" : "not tmpfs", listed ? "in" : "not in");
    fflush(stdout);
}

static void mounted(const char *when, const char *top) {
    mountedAt(when, top, "ns-before");
    mountedAt(when, top, "ns-mnt");
}

/* The links' form: "kind:[N]", N the number stat gives. */
static void links(void) {
    for (unsigned i = 0; i < NKINDS; i++) {
        char path[64], target[64], want[64];
        struct stat st, lst;
        snprintf(path, sizeof path, "/proc/self/ns/%s", kinds[i]);
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0 || stat(path, &st) != 0 || lstat(path, &lst) != 0) {
            printf("%s: %s\n", path, errname(errno));
            continue;
        }
        target[n] = 0;
        const char *kind = strncmp(kinds[i], "pid_", 4) == 0 ? "pid" : strncmp(kinds[i], "time_", 5) == 0 ? "time"
                                                                                                         : kinds[i];
        snprintf(want, sizeof want, "%s:[%lu]", kind, (unsigned long) st.st_ino);
        printf("%s: link %s, lstat %s %o, stat %s %o nlink %lu uid %u\n", kinds[i],
               strcmp(target, want) == 0 ? "kind:[stat's inode]" : target, S_ISLNK(lst.st_mode) ? "link" : "other",
               lst.st_mode & 07777, S_ISREG(st.st_mode) ? "regular" : "other", st.st_mode & 07777,
               (unsigned long) st.st_nlink, st.st_uid);
    }
    fflush(stdout);
}

int main(void) {
    unsigned long start[NKINDS];
    inodes(start);
    links();
    char startHost[128];
    gethostname(startHost, sizeof startHost);

    /* The files: they open, read nothing, and name their namespace. */
    int utsFd = open("/proc/self/ns/uts", O_RDONLY);
    int ipcFd = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
    int cgroupFd = open("/proc/self/ns/cgroup", O_RDONLY);
    int mntFd = open("/proc/self/ns/mnt", O_RDONLY);
    printf("open uts %s, ipc %s\n", utsFd >= 0 ? "ok" : errname(errno), ipcFd >= 0 ? "ok" : errname(errno));
    char buf[16];
    rc("read ns file", read(utsFd, buf, sizeof buf));
    struct stat st;
    fstat(utsFd, &st);
    printf("fstat: %s %o, inode %s\n", S_ISREG(st.st_mode) ? "regular" : "other", st.st_mode & 07777,
           st.st_ino == start[0] ? "the namespace's" : "other");
    char fdPath[64], fdTarget[64], nsTarget[64];
    snprintf(fdPath, sizeof fdPath, "/proc/self/fd/%d", utsFd);
    ssize_t n1 = readlink(fdPath, fdTarget, sizeof fdTarget - 1);
    ssize_t n2 = readlink("/proc/self/ns/uts", nsTarget, sizeof nsTarget - 1);
    printf("fd link %s ns link\n", n1 == n2 && memcmp(fdTarget, nsTarget, n1) == 0 ? "same as" : "differs from");
    rc("open ns O_NOFOLLOW", open("/proc/self/ns/uts", O_RDONLY | O_NOFOLLOW));
    rc("open ns/uts/x", open("/proc/self/ns/uts/x", O_RDONLY));
    rc("open ns O_DIRECTORY", open("/proc/self/ns/uts", O_RDONLY | O_DIRECTORY));
    int pathFd = open("/proc/self/ns/uts", O_PATH);
    fstat(pathFd, &st);
    printf("O_PATH fstat: %s, inode %s\n", S_ISREG(st.st_mode) ? "regular" : "other",
           st.st_ino == start[0] ? "the namespace's" : "other");
    rc("setns(O_PATH ns file)", syscall(SYS_setns, pathFd, 0));
    close(pathFd);

    /* A SysV queue and a POSIX queue of the namespace the run starts in. */
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 16};
    mq_unlink("/jlx-namespaces");
    mqd_t mq = mq_open("/jlx-namespaces", O_CREAT | O_RDWR, 0600, &attr);
    printf("queues: %s %s\n", q >= 0 ? "ok" : errname(errno), mq != (mqd_t) -1 ? "ok" : errname(errno));
    mq_close(mq);

    /* setns's errors before any change. */
    rc("setns(-1)", syscall(SYS_setns, -1, 0));
    int plain = open("/proc/self/stat", O_RDONLY);
    rc("setns(regular file)", syscall(SYS_setns, plain, 0));
    rc("setns(uts, CLONE_NEWIPC)", syscall(SYS_setns, utsFd, CLONE_NEWIPC));
    rc("setns(uts, CLONE_NEWUTS) (own)", syscall(SYS_setns, utsFd, CLONE_NEWUTS));
    compare("after setns of its own", start);
    int userFd = open("/proc/self/ns/user", O_RDONLY);
    rc("setns(user) (own)", syscall(SYS_setns, userFd, 0));
    rc("unshare(bad)", syscall(SYS_unshare, 0x80000000UL | CLONE_NEWUTS));

    /* Without CAP_SYS_ADMIN every namespace is EPERM. */
    pid_t c = fork();
    if (c == 0) {
        if (setresuid(65534, 65534, 65534) != 0) {
            _exit(1);
        }
        rc("unprivileged unshare(CLONE_NEWUTS)", syscall(SYS_unshare, CLONE_NEWUTS));
        rc("unprivileged unshare(CLONE_NEWIPC)", syscall(SYS_unshare, CLONE_NEWIPC));
        rc("unprivileged unshare(CLONE_NEWCGROUP)", syscall(SYS_unshare, CLONE_NEWCGROUP));
        rc("unprivileged unshare(CLONE_NEWNS)", syscall(SYS_unshare, CLONE_NEWNS));
        rc("unprivileged unshare(CLONE_NEWNET)", syscall(SYS_unshare, CLONE_NEWNET));
        rc("unprivileged unshare(CLONE_NEWPID)", syscall(SYS_unshare, CLONE_NEWPID));
        rc("unprivileged unshare(CLONE_NEWTIME)", syscall(SYS_unshare, CLONE_NEWTIME));
        rc("unprivileged setns(uts)", syscall(SYS_setns, utsFd, 0));
        rc("unprivileged setns(ipc)", syscall(SYS_setns, ipcFd, CLONE_NEWIPC));
        rc("unprivileged clone(CLONE_NEWUTS)", syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0));
        compare("unprivileged child", start);
        _exit(0);
    }
    waitpid(c, NULL, 0);

    /* A UTS namespace of its own: the names are copied, then private. */
    rc("unshare(CLONE_NEWUTS)", syscall(SYS_unshare, CLONE_NEWUTS));
    compare("after unshare(CLONE_NEWUTS)", start);
    printf("hostname %s\n", strcmp(gethostname(buf, sizeof buf) == 0 ? buf : "", "") ? "kept" : "lost");
    rc("sethostname", sethostname("jlx-ns-one", 10));
    rc("setdomainname", setdomainname("jlx-domain", 10));
    names("own namespace");
    int w = open("/proc/sys/kernel/hostname", O_WRONLY);
    rc("write hostname", write(w, "jlx-ns-two\n", 11));
    close(w);
    names("written");
    unsigned long mine[NKINDS];
    inodes(mine);
    c = fork();
    if (c == 0) {
        compare("child against parent's", mine);
        names("child");
        rc("child unshare(CLONE_NEWUTS)", syscall(SYS_unshare, CLONE_NEWUTS));
        rc("child sethostname", sethostname("jlx-ns-child", 12));
        names("child's own");
        _exit(0);
    }
    waitpid(c, NULL, 0);
    names("parent after child");

    /* clone with new namespaces: the child's, not the parent's. */
    fflush(stdout);
    long r = syscall(SYS_clone, CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) {
        compare("clone child against parent's", mine);
        names("clone child");
        sethostname("jlx-ns-clone", 12);
        struct msqid_ds ds;
        rc("clone child msgctl(parent's queue)", msgctl(q, IPC_STAT, &ds));
        _exit(0);
    }
    if (r > 0) {
        waitpid((pid_t) r, NULL, 0);
    }
    rc("clone(CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWCGROUP) > 0", r > 0 ? 0 : r);
    names("parent after clone child");
    rc("clone(CLONE_NEWIPC|CLONE_SYSVSEM)", syscall(SYS_clone, CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0));

    /* An IPC namespace of its own: empty, and the other's objects out of reach. */
    rc("unshare(CLONE_NEWIPC)", syscall(SYS_unshare, CLONE_NEWIPC));
    compare("after unshare(CLONE_NEWIPC)", start);
    struct msqid_ds ds;
    rc("msgctl(first namespace's queue)", msgctl(q, IPC_STAT, &ds));
    rc("mq_open(first namespace's queue)", mq_open("/jlx-namespaces", O_RDWR));
    file("/proc/sysvipc/msg");
    file("/proc/sysvipc/shm");
    file("/proc/sysvipc/sem");
    int q2 = msgget(1234, IPC_CREAT | 0600);
    printf("new namespace's first queue id %d\n", q2);
    file("/proc/sysvipc/msg");

    /* A cgroup namespace: rooted at the process's cgroup. */
    rc("unshare(CLONE_NEWCGROUP)", syscall(SYS_unshare, CLONE_NEWCGROUP));
    compare("after unshare(CLONE_NEWCGROUP)", start);
    int cg = open("/proc/self/cgroup", O_RDONLY);
    char cgroup[256];
    ssize_t n = read(cg, cgroup, sizeof cgroup - 1);
    cgroup[n > 0 ? n : 0] = 0;
    /* The unified hierarchy's line (a host with v1 hierarchies lists them too). */
    char *unified = strstr(cgroup, "0::");
    printf("cgroup: %s", unified ? unified : cgroup);
    close(cg);

    /* A mount namespace: a copy of the table, its own mounts seen by its processes only. */
    char top[512];
    getcwd(top, sizeof top);
    mkdir("ns-mnt", 0755);
    mkdir("ns-before", 0755);
    rc("mount tmpfs before", mount("none", "ns-before", "tmpfs", 0, "mode=0700"));
    rc("unshare(CLONE_NEWNS)", syscall(SYS_unshare, CLONE_NEWNS));
    compare("after unshare(CLONE_NEWNS)", start);
    char here[512];
    printf("cwd %s\n", getcwd(here, sizeof here) && strcmp(here, top) == 0 ? "kept" : "moved");
    mounted("copy", top);
    rc("mount tmpfs", mount("none", "ns-mnt", "tmpfs", 0, "mode=0700"));
    rc("umount the copy", umount("ns-before"));
    mounted("own namespace", top);
    c = fork();
    if (c == 0) {
        mounted("child", top);
        _exit(0);
    }
    waitpid(c, NULL, 0);
    rc("setns(mnt file, CLONE_NEWNS)", syscall(SYS_setns, mntFd, CLONE_NEWNS));
    printf("cwd %s\n", getcwd(here, sizeof here) ? here : errname(errno));
    mounted("first namespace", top);
    chdir(top);
    rc("umount ns-before", umount("ns-before"));
    rc("rmdir", rmdir("ns-mnt") | rmdir("ns-before"));

    /* Back by the files kept from the start. */
    rc("setns(uts file, 0)", syscall(SYS_setns, utsFd, 0));
    rc("setns(ipc file, CLONE_NEWIPC)", syscall(SYS_setns, ipcFd, CLONE_NEWIPC));
    rc("setns(cgroup file, CLONE_NEWCGROUP)", syscall(SYS_setns, cgroupFd, CLONE_NEWCGROUP));
    compare("after setns back", start);
    gethostname(buf, sizeof buf);
    printf("hostname %s the start's\n", strcmp(buf, startHost) == 0 ? "is" : "is not");
    rc("msgctl(first namespace's queue) again", msgctl(q, IPC_STAT, &ds));
    rc("msgctl(IPC_RMID)", msgctl(q, IPC_RMID, NULL));
    rc("mq_unlink", mq_unlink("/jlx-namespaces"));

    /* By a pidfd: a child's namespaces, as the flags name them. */
    int ready[2], done[2];
    pipe(ready);
    pipe(done);
    c = fork();
    if (c == 0) {
        syscall(SYS_unshare, CLONE_NEWUTS | CLONE_NEWIPC);
        sethostname("jlx-ns-pidfd", 12);
        msgget(99, IPC_CREAT | 0600);
        write(ready[1], "x", 1);
        read(done[0], buf, 1);
        _exit(0);
    }
    read(ready[0], buf, 1);
    int pidfd = syscall(SYS_pidfd_open, c, 0);
    rc("setns(pidfd, 0)", syscall(SYS_setns, pidfd, 0));
    rc("setns(pidfd, CLONE_NEWUSER)", syscall(SYS_setns, pidfd, CLONE_NEWUSER));
    rc("setns(pidfd, bad)", syscall(SYS_setns, pidfd, 0x4));
    rc("setns(pidfd, CLONE_NEWUTS)", syscall(SYS_setns, pidfd, CLONE_NEWUTS));
    names("joined the child's UTS namespace");
    rc("setns(pidfd, CLONE_NEWIPC|CLONE_NEWNET|CLONE_NEWPID|CLONE_NEWCGROUP|CLONE_NEWTIME)",
       syscall(SYS_setns, pidfd, CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME));
    rc("msgget(child's key)", msgget(99, 0600) >= 0 ? 0 : -1);
    compare("after setns by pidfd", start);
    chdir("/proc");
    rc("setns(pidfd, CLONE_NEWNS)", syscall(SYS_setns, pidfd, CLONE_NEWNS));
    char cwd[256];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : errname(errno));
    write(done[1], "x", 1);
    waitpid(c, NULL, 0);
    rc("setns(pidfd of a dead child, CLONE_NEWUTS)", syscall(SYS_setns, pidfd, CLONE_NEWUTS));
    rc("setns(uts file, 0) again", syscall(SYS_setns, utsFd, 0));
    gethostname(buf, sizeof buf);
    printf("back: hostname %s the start's\n", strcmp(buf, startHost) == 0 ? "is" : "is not");
    return 0;
}
