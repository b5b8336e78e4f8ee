/* The calls Linux answers in a fixed way for a guest of jlx's: sethostname and setdomainname (uname
 * shows the name), syslog over the kernel log, and the machine-wide calls a non-root user may not
 * make (mount, acct, reboot, swapoff; module calls ENOSYS, as a kernel without modules). Natively root may change the host name: the program sets it
 * to the name it already has. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    default: return strerror(e);
    }
}

static void result(const char *what, long r) {
    if (r < 0) {
        printf("%s: -1 %s\n", what, errname(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

static void show_names(void) {
    struct utsname u;
    char proc[128] = "";
    uname(&u);
    FILE *f = fopen("/proc/sys/kernel/hostname", "r");
    fgets(proc, sizeof proc, f);
    fclose(f);
    printf("nodename matches /proc: %d\n", strncmp(u.nodename, proc, strlen(u.nodename)) == 0);
}

static void as_root(void) {
    struct utsname u;
    uname(&u);
    char name[65];
    strcpy(name, u.nodename);
    result("sethostname same", syscall(SYS_sethostname, name, strlen(name)));
    show_names();
    result("sethostname 65", syscall(SYS_sethostname, name, 65));
    result("sethostname -1", syscall(SYS_sethostname, name, -1));
    result("sethostname fault", syscall(SYS_sethostname, (void *)8, 4));
    result("setdomainname 65", syscall(SYS_setdomainname, name, 65));
    result("syslog bad type", syscall(SYS_syslog, 99, NULL, 0));
    result("syslog console level 0", syscall(SYS_syslog, 8, NULL, 0));
    result("syslog console level 9", syscall(SYS_syslog, 8, NULL, 9));
    result("syslog read all NULL", syscall(SYS_syslog, 3, NULL, 10));
    char buf[16];
    result("syslog read all -1", syscall(SYS_syslog, 3, buf, -1));
    result("syslog read all 0", syscall(SYS_syslog, 3, buf, 0));
    result("syslog read NULL", syscall(SYS_syslog, 2, NULL, 10));
    result("syslog read 0", syscall(SYS_syslog, 2, buf, 0));
}

static void *sleeper(void *arg) {
    (void)arg;
    pause();
    return NULL;
}

static void unsharing(void) {
    result("unshare 0", unshare(0));
    result("unshare files", unshare(CLONE_FILES));
    result("unshare fs", unshare(CLONE_FS));
    result("unshare thread|sighand|vm alone", unshare(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));
    result("unshare bad flag", unshare(0x1));
    result("unshare settls", unshare(CLONE_SETTLS));
    /* CLONE_SYSVSEM applies the SEM_UNDO adjustments, as exit would. */
    int id = semget(IPC_PRIVATE, 1, 0600);
    struct sembuf up = {0, 3, SEM_UNDO};
    result("semop +3 undo", semop(id, &up, 1));
    result("value", semctl(id, 0, GETVAL));
    result("unshare sysvsem", unshare(CLONE_SYSVSEM));
    result("value after", semctl(id, 0, GETVAL));
    semctl(id, 0, IPC_RMID);
    pthread_t th;
    pthread_create(&th, NULL, sleeper, NULL);
    result("unshare vm with threads", unshare(CLONE_VM));
    result("unshare thread with threads", unshare(CLONE_THREAD));
    result("unshare 0 with threads", unshare(0));
}

static void strict_child(int how) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        long r = how ? prctl(PR_SET_SECCOMP, 1, 0, 0, 0) : syscall(SYS_seccomp, 0, 0, NULL);
        char line[] = "in strict mode: x\n";
        line[16] = r == 0 ? 'y' : 'n';
        write(1, line, sizeof line - 1);
        char c;
        read(-1, &c, 1);
        write(1, "read and write pass\n", 20);
        syscall(SYS_getpid);
        write(1, "not reached\n", 12);
        syscall(SYS_exit, 0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("strict child status %#x\n", status);
}

static void seccomp_calls(void) {
    unsigned actions[] = {0x80000000u, 0, 0x00030000, 0x00050000, 0x7fc00000, 0x7ff00000, 0x7ffc0000, 0x7fff0000,
                          0x12345678, 0x00050001};
    for (unsigned i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        char what[40];
        snprintf(what, sizeof what, "action avail %#x", actions[i]);
        result(what, syscall(SYS_seccomp, 2, 0, &actions[i]));
    }
    result("action avail flags", syscall(SYS_seccomp, 2, 1, &actions[0]));
    result("action avail fault", syscall(SYS_seccomp, 2, 0, (void *)8));
    unsigned short sizes[3];
    result("notif sizes", syscall(SYS_seccomp, 3, 0, sizes));
    printf("sizes %u %u %u\n", sizes[0], sizes[1], sizes[2]);
    result("notif sizes fault", syscall(SYS_seccomp, 3, 0, (void *)8));
    result("bad op", syscall(SYS_seccomp, 9, 0, NULL));
    result("strict with flags", syscall(SYS_seccomp, 0, 1, NULL));
    result("strict with args", syscall(SYS_seccomp, 0, 0, sizes));
    result("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    result("PR_SET_SECCOMP 3", prctl(PR_SET_SECCOMP, 3, 0, 0, 0));
    strict_child(0);
    strict_child(1);
}

static void as_nobody(void) {
    result("setuid 65534", setuid(65534));
    struct utsname u;
    uname(&u);
    result("nobody sethostname", syscall(SYS_sethostname, u.nodename, strlen(u.nodename)));
    result("nobody setdomainname", syscall(SYS_setdomainname, u.domainname, strlen(u.domainname)));
    result("nobody sethostname 65", syscall(SYS_sethostname, u.nodename, 65));
    for (int type = 0; type <= 10; type++) {
        char what[32];
        snprintf(what, sizeof what, "nobody syslog %d", type);
        result(what, syscall(SYS_syslog, type, NULL, 0));
    }
    result("nobody unshare uts", unshare(CLONE_NEWUTS));
    result("nobody unshare ns", unshare(CLONE_NEWNS));
    result("nobody unshare net|ipc", unshare(CLONE_NEWNET | CLONE_NEWIPC));
    int pidfd = syscall(SYS_pidfd_open, getppid(), 0);
    result("nobody setns pidfd uts", setns(pidfd, CLONE_NEWUTS));
    result("nobody setns pidfd net|ipc", setns(pidfd, CLONE_NEWNET | CLONE_NEWIPC));
    result("nobody setns pidfd 0", setns(pidfd, 0));
    result("nobody setns pidfd bad flag", setns(pidfd, CLONE_FILES));
    result("nobody setns bad fd", setns(-1, 0));
    result("nobody setns stdin", setns(0, 0));
    result("nobody mount", syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL));
    result("nobody umount2", syscall(SYS_umount2, "/tmp", 0));
    result("nobody pivot_root", syscall(SYS_pivot_root, "/", "/"));
    result("nobody acct", syscall(SYS_acct, NULL));
    result("nobody swapoff", syscall(SYS_swapoff, "/nonexistent"));
    result("nobody reboot", syscall(SYS_reboot, 0xfee1dead, 672274793, 0x1234567, NULL));
    result("nobody delete_module", syscall(SYS_delete_module, "nothing", 0));
    FILE *f = fopen("/proc/sys/kernel/hostname", "w");
    printf("opened: %d %s\n", f != NULL, f ? "" : errname(errno));
}

int main(void) {
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    as_root();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        as_nobody();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child status %#x\n", status);
    seccomp_calls();
    unsharing();
    fflush(stdout);
    _exit(0);
}
