/* Capabilities: capget/capset's version handshake and rules, the bounding and ambient sets, and how
 * execve and the set*id calls change the sets (capabilities(7)). Natively this runs as root in a
 * container whose bounding set lacks some capabilities: the program first narrows every set to a
 * fixed one both have, then prints only what follows from that. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* linux/capability.h's, which musl's headers lack. */
struct __user_cap_header_struct {
    unsigned version;
    int pid;
};
struct __user_cap_data_struct {
    unsigned effective, permitted, inheritable;
};
#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_CHOWN 0
#define CAP_KILL 5
#define CAP_NET_BIND_SERVICE 10

/* CAP_CHOWN..CAP_SYS_NICE (0-23): every container grants these to root. */
#define BASE 0xffffffULL

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    default: return strerror(e);
    }
}

static int capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    return syscall(SYS_capget, h, d);
}

static int capset_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    return syscall(SYS_capset, h, d);
}

static void result(const char *what, long r) {
    if (r < 0) {
        printf("%s: -1 %s\n", what, errname(errno));
    } else {
        printf("%s: %ld\n", what, r);
    }
}

static void show_status(const char *who) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Cap", 3) == 0) {
            printf("%s %s", who, line);
        }
    }
    fclose(f);
}

static void show_caps(const char *who, int pid) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, pid};
    struct __user_cap_data_struct d[2];
    memset(d, 0xa5, sizeof d);
    if (capget_(&h, d) < 0) {
        printf("%s capget: %s\n", who, errname(errno));
        return;
    }
    printf("%s eff %08x%08x prm %08x%08x inh %08x%08x\n", who, d[1].effective, d[0].effective, d[1].permitted,
           d[0].permitted, d[1].inheritable, d[0].inheritable);
}

static int set3(unsigned long long eff, unsigned long long prm, unsigned long long inh) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {
        {(unsigned)eff, (unsigned)prm, (unsigned)inh},
        {(unsigned)(eff >> 32), (unsigned)(prm >> 32), (unsigned)(inh >> 32)},
    };
    return capset_(&h, d);
}

static void handshake(void) {
    struct __user_cap_header_struct h = {0x12345, 0};
    struct __user_cap_data_struct d[2];
    result("capget bad version, no data", capget_(&h, NULL));
    printf("version now %#x\n", h.version);
    h.version = 0x12345;
    result("capget bad version", capget_(&h, d));
    printf("version now %#x\n", h.version);
    h.version = _LINUX_CAPABILITY_VERSION_1;
    result("capget v1, no data", capget_(&h, NULL));
    printf("version now %#x\n", h.version);
    h.pid = -1;
    result("capget pid -1", capget_(&h, d));
    h.pid = 999999;
    result("capget no such pid", capget_(&h, d));
    h.pid = 0;
    result("capget bad header", capget_((void *)8, d));
    result("capget bad data", capget_(&h, (void *)8));
    h.version = 0x12345;
    result("capset bad version", capset_(&h, d));
    printf("version now %#x\n", h.version);
    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = 1;
    memset(d, 0, sizeof d);
    result("capset other pid", capset_(&h, d));
    h.pid = 0;
    result("capset bad data", capset_(&h, NULL));
}

/* Narrows the bounding set to BASE and the other sets to BASE. */
static void narrow(void) {
    for (int c = 0; c <= 40; c++) {
        if (!(BASE >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
            printf("drop %d: %s\n", c, errname(errno));
        }
    }
    result("capset BASE", set3(BASE, BASE, 0));
    result("capbset read 24", prctl(PR_CAPBSET_READ, 24, 0, 0, 0));
    result("capbset read 5", prctl(PR_CAPBSET_READ, 5, 0, 0, 0));
    result("capbset read 41", prctl(PR_CAPBSET_READ, 41, 0, 0, 0));
}

static void rules(void) {
    result("capset raise permitted", set3(BASE, BASE | 1ULL << 30, 0));
    result("capset effective outside permitted", set3(BASE | 1ULL << 30, BASE, 0));
    result("capset inheritable outside bounding", set3(BASE, BASE, 1ULL << 30));
    result("capset inheritable", set3(BASE, BASE, 1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_KILL));
    result("ambient raise not inheritable", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0));
    result("ambient raise", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0));
    result("ambient raise kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
    result("ambient is set", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_BIND_SERVICE, 0, 0));
    result("ambient lower kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_KILL, 0, 0));
    result("ambient is set kill", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
    result("ambient bad op", prctl(PR_CAP_AMBIENT, 9, CAP_KILL, 0, 0));
    result("ambient bad cap", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 64, 0, 0));
    show_caps("root", 0);
    show_status("root");
    /* Dropping a permitted capability that is inheritable and ambient drops it from the ambient set. */
    result("capset drop kill from permitted", set3(BASE & ~(1ULL << CAP_KILL), BASE & ~(1ULL << CAP_KILL),
                                                    1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_KILL));
    result("ambient raise kill again", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
    result("capset back", set3(BASE, BASE, 1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_KILL));
}

static void run_child(const char *what, void (*body)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("%s: child status %#x\n", what, status);
}

static void exec_show(const char *tag) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", "caps", "show", tag, (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
}

static void drop_to_nobody(void) {
    result("setuid 65534", setuid(65534));
    show_caps("nobody", 0);
    show_status("nobody");
    result("nobody setuid 0", setuid(0));
    result("nobody setgroups", setgroups(0, NULL));
    result("nobody capset raise", set3(1, 1, 0));
    result("nobody capbset drop", prctl(PR_CAPBSET_DROP, 1, 0, 0, 0));
    result("nobody securebits", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
    exec_show("nobody-exec");
}

static void keep_caps(void) {
    result("keepcaps", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    result("get keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    result("setresuid 65534", setresuid(65534, 65534, 65534));
    show_caps("kept", 0);
    result("capset effective again", set3(1ULL << CAP_CHOWN, BASE, 0));
    show_caps("kept", 0);
    exec_show("kept-exec");
}

static void effective_only(void) {
    result("seteuid 65534", seteuid(65534));
    show_caps("euid", 0);
    result("seteuid 0", seteuid(0));
    show_caps("euid back", 0);
    result("setfsuid 1000", setfsuid(1000));
    show_caps("fsuid", 0);
    result("setfsuid 0", setfsuid(0));
    show_caps("fsuid back", 0);
    result("setreuid 0 1000", setreuid(0, 1000));
    show_caps("reuid", 0);
    exec_show("real-root-exec");
}

static void noroot(void) {
    result("securebits noroot", prctl(PR_SET_SECUREBITS, 1, 0, 0, 0));
    result("get securebits", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    exec_show("noroot-exec");
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "show") == 0) {
        show_caps(argv[2], 0);
        show_status(argv[2]);
        return 0;
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    handshake();
    narrow();
    rules();
    exec_show("root-exec");
    run_child("nobody", drop_to_nobody);
    run_child("keepcaps", keep_caps);
    run_child("effective", effective_only);
    run_child("noroot", noroot);

    /* Another process's sets, by its pid. */
    int p[2];
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        set3(1ULL << CAP_KILL, 1ULL << CAP_KILL | 1ULL << CAP_CHOWN, 0);
        close(p[1]);
        char c;
        read(p[0], &c, 1);
        _exit(0);
    }
    usleep(200000);
    show_caps("other", pid);
    close(p[1]);
    waitpid(pid, NULL, 0);
    return 0;
}
