#define _GNU_SOURCE
/*
 * prctl(2) and arch_prctl(2) options as an unprivileged process and as root see them: names, dumpable,
 * parent-death signal, keepcaps and securebits, the capability bounding and ambient sets, machine-check
 * policy, TSC mode, the clear_child_tid address; what fork and execve keep of each.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#define PR_GET_TSC 25
#define PR_SET_TSC 26
#define PR_GET_SECUREBITS 27
#define PR_SET_SECUREBITS 28
#define PR_MCE_KILL 33
#define PR_MCE_KILL_GET 34
#define PR_GET_TID_ADDRESS 40
#define PR_CAP_AMBIENT 47
#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

static long pr(long option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5) {
    return syscall(SYS_prctl, option, a2, a3, a4, a5);
}

/* "= value" or "= -1 ERRNO", as strace prints a result. */
static void show(const char *what, long r) {
    if (r < 0) {
        printf("%-40s = -1 %s\n", what, strerror(errno));
    } else {
        printf("%-40s = %ld\n", what, r);
    }
}

static void states(const char *when) {
    int sig = -1;
    unsigned int tsc = 0;
    pr(PR_GET_PDEATHSIG, (unsigned long) &sig, 0, 0, 0);
    pr(PR_GET_TSC, (unsigned long) &tsc, 0, 0, 0);
    printf("%s: dumpable %ld keepcaps %ld securebits %#lx pdeathsig %d mce %ld tsc %u capbset(MKNOD) %ld\n", when,
            pr(PR_GET_DUMPABLE, 0, 0, 0, 0), pr(PR_GET_KEEPCAPS, 0, 0, 0, 0), pr(PR_GET_SECUREBITS, 0, 0, 0, 0), sig,
            pr(PR_MCE_KILL_GET, 0, 0, 0, 0), tsc, pr(PR_CAPBSET_READ, 27, 0, 0, 0));
}

static void names(void) {
    char name[32];
    show("PR_SET_NAME(\"a-name-longer-than-15\")", pr(PR_SET_NAME, (unsigned long) "a-name-longer-than-15", 0, 0, 0));
    memset(name, 'x', sizeof name);
    pr(PR_GET_NAME, (unsigned long) name, 0, 0, 0);
    printf("name \"%s\" length %zu\n", name, strlen(name));
    show("PR_SET_NAME(\"short\")", pr(PR_SET_NAME, (unsigned long) "short", 0, 0, 0));
    pr(PR_GET_NAME, (unsigned long) name, 0, 0, 0);
    printf("name \"%s\"\n", name);
    show("PR_SET_NAME(bad pointer)", pr(PR_SET_NAME, 8, 0, 0, 0));
    show("PR_GET_NAME(bad pointer)", pr(PR_GET_NAME, 8, 0, 0, 0));
}

static void flags(void) {
    show("PR_SET_DUMPABLE(2)", pr(PR_SET_DUMPABLE, 2, 0, 0, 0));
    show("PR_SET_DUMPABLE(0xdeadc0de00000001)", pr(PR_SET_DUMPABLE, 0xdeadc0de00000001UL, 0, 0, 0));
    show("PR_SET_DUMPABLE(0)", pr(PR_SET_DUMPABLE, 0, 0, 0, 0));
    show("PR_GET_DUMPABLE", pr(PR_GET_DUMPABLE, 0, 0, 0, 0));
    show("PR_SET_PDEATHSIG(65)", pr(PR_SET_PDEATHSIG, 65, 0, 0, 0));
    show("PR_SET_PDEATHSIG(0xdeadbeef00000001)", pr(PR_SET_PDEATHSIG, 0xdeadbeef00000001UL, 0, 0, 0));
    show("PR_SET_PDEATHSIG(64)", pr(PR_SET_PDEATHSIG, 64, 0, 0, 0));
    show("PR_GET_PDEATHSIG(bad pointer)", pr(PR_GET_PDEATHSIG, 8, 0, 0, 0));
    show("PR_GET_KEEPCAPS", pr(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    show("PR_SET_KEEPCAPS(2)", pr(PR_SET_KEEPCAPS, 2, 0, 0, 0));
    show("PR_SET_KEEPCAPS(1)", pr(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    show("PR_GET_KEEPCAPS", pr(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    show("PR_GET_SECUREBITS", pr(PR_GET_SECUREBITS, 0, 0, 0, 0));
    show("PR_SET_SECUREBITS(1 << 14)", pr(PR_SET_SECUREBITS, 1 << 14, 0, 0, 0));
    show("PR_SET_SECUREBITS(KEEP_CAPS)", pr(PR_SET_SECUREBITS, 0x10, 0, 0, 0));
    show("PR_MCE_KILL_GET", pr(PR_MCE_KILL_GET, 0, 0, 0, 0));
    show("PR_MCE_KILL_GET(1)", pr(PR_MCE_KILL_GET, 1, 0, 0, 0));
    show("PR_MCE_KILL(SET, EARLY)", pr(PR_MCE_KILL, 1, 1, 0, 0));
    show("PR_MCE_KILL_GET", pr(PR_MCE_KILL_GET, 0, 0, 0, 0));
    show("PR_MCE_KILL(SET, LATE)", pr(PR_MCE_KILL, 1, 0, 0, 0));
    show("PR_MCE_KILL_GET", pr(PR_MCE_KILL_GET, 0, 0, 0, 0));
    show("PR_MCE_KILL(CLEAR, 1)", pr(PR_MCE_KILL, 0, 1, 0, 0));
    show("PR_MCE_KILL(CLEAR)", pr(PR_MCE_KILL, 0, 0, 0, 0));
    show("PR_MCE_KILL_GET", pr(PR_MCE_KILL_GET, 0, 0, 0, 0));
    show("PR_MCE_KILL(SET, 7)", pr(PR_MCE_KILL, 1, 7, 0, 0));
    show("PR_MCE_KILL_GET", pr(PR_MCE_KILL_GET, 0, 0, 0, 0));
    show("PR_MCE_KILL(SET, EARLY, 1)", pr(PR_MCE_KILL, 1, 1, 1, 0));
    show("PR_MCE_KILL(2)", pr(PR_MCE_KILL, 2, 0, 0, 0));
    show("PR_MCE_KILL(SET, EARLY)", pr(PR_MCE_KILL, 1, 1, 0, 0));
    unsigned int tsc = 0;
    show("PR_GET_TSC", pr(PR_GET_TSC, (unsigned long) &tsc, 0, 0, 0));
    printf("tsc %u\n", tsc);
    show("PR_GET_TSC(bad pointer)", pr(PR_GET_TSC, 8, 0, 0, 0));
    show("PR_SET_TSC(3)", pr(PR_SET_TSC, 3, 0, 0, 0));
    show("PR_SET_TSC(SIGSEGV)", pr(PR_SET_TSC, 2, 0, 0, 0));
    pr(PR_GET_TSC, (unsigned long) &tsc, 0, 0, 0);
    printf("tsc %u\n", tsc);
}

static void capabilities(void) {
    show("PR_CAPBSET_READ(41)", pr(PR_CAPBSET_READ, 41, 0, 0, 0));
    show("PR_CAPBSET_DROP(41)", pr(PR_CAPBSET_DROP, 41, 0, 0, 0));
    show("PR_CAPBSET_DROP(MKNOD)", pr(PR_CAPBSET_DROP, 27, 0, 0, 0));
    show("PR_CAPBSET_READ(MKNOD)", pr(PR_CAPBSET_READ, 27, 0, 0, 0));
    show("PR_CAP_AMBIENT(IS_SET, CHOWN)", pr(PR_CAP_AMBIENT, 1, 0, 0, 0));
    show("PR_CAP_AMBIENT(IS_SET, 41)", pr(PR_CAP_AMBIENT, 1, 41, 0, 0));
    show("PR_CAP_AMBIENT(IS_SET, CHOWN, 1)", pr(PR_CAP_AMBIENT, 1, 0, 1, 0));
    show("PR_CAP_AMBIENT(RAISE, CHOWN)", pr(PR_CAP_AMBIENT, 2, 0, 0, 0));
    show("PR_CAP_AMBIENT(LOWER, CHOWN)", pr(PR_CAP_AMBIENT, 3, 0, 0, 0));
    show("PR_CAP_AMBIENT(CLEAR_ALL)", pr(PR_CAP_AMBIENT, 4, 0, 0, 0));
    show("PR_CAP_AMBIENT(CLEAR_ALL, 1)", pr(PR_CAP_AMBIENT, 4, 1, 0, 0));
    show("PR_CAP_AMBIENT(5, CHOWN)", pr(PR_CAP_AMBIENT, 5, 0, 0, 0));
}

static void locks(void) {
    /* Root may lock keepcaps; then neither PR_SET_KEEPCAPS nor an unlock may change it. */
    show("PR_SET_SECUREBITS(KEEP_CAPS|LOCKED)", pr(PR_SET_SECUREBITS, 0x30, 0, 0, 0));
    show("PR_SET_KEEPCAPS(0)", pr(PR_SET_KEEPCAPS, 0, 0, 0, 0));
    show("PR_SET_SECUREBITS(0)", pr(PR_SET_SECUREBITS, 0, 0, 0, 0));
    show("PR_GET_SECUREBITS", pr(PR_GET_SECUREBITS, 0, 0, 0, 0));
}

/* An unprivileged process: a change of the effective uid clears dumpable and the parent-death signal. */
static void unprivileged(void) {
    pr(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
    pr(PR_SET_DUMPABLE, 1, 0, 0, 0);
    long r = setresuid(65534, 65534, 65534);
    int sig = -1;
    pr(PR_GET_PDEATHSIG, (unsigned long) &sig, 0, 0, 0);
    /* What dumpable becomes is fs.suid_dumpable (0, or 2 where a crash reporter asks for it). */
    printf("setresuid(nobody) %ld: euid %d pdeathsig %d dumpable %d\n", r, geteuid(), sig,
            pr(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1);
    show("PR_SET_SECUREBITS(KEEP_CAPS)", pr(PR_SET_SECUREBITS, 0x10, 0, 0, 0));
    show("PR_CAPBSET_DROP(CHOWN)", pr(PR_CAPBSET_DROP, 0, 0, 0, 0));
    show("PR_CAPBSET_DROP(41)", pr(PR_CAPBSET_DROP, 41, 0, 0, 0));
    show("PR_SET_KEEPCAPS(0)", pr(PR_SET_KEEPCAPS, 0, 0, 0, 0));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        states("after execve");
        return 0;
    }
    names();
    flags();
    capabilities();
    int tid_word;
    long set = syscall(SYS_set_tid_address, &tid_word);
    int *address = NULL;
    show("PR_GET_TID_ADDRESS", pr(PR_GET_TID_ADDRESS, (unsigned long) &address, 0, 0, 0));
    printf("tid address is the one set: %d, set_tid_address returned the tid: %d\n", address == &tid_word,
            set == syscall(SYS_gettid));
    show("PR_GET_TID_ADDRESS(bad pointer)", pr(PR_GET_TID_ADDRESS, 8, 0, 0, 0));
    show("ARCH_GET_CPUID", syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0));
    long r = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
    /* CPUID faulting is a CPU feature: ENODEV where the CPU (or hypervisor) lacks it. */
    printf("ARCH_SET_CPUID(1) succeeds or is ENODEV: %d\n", r == 0 || errno == ENODEV);
    show("ARCH_SET_CPUID(1) bad code", syscall(SYS_arch_prctl, 0x1013, 1));
    states("parent");
    pid_t child = fork();
    if (child == 0) {
        states("fork child");
        locks();
        execl(argv[0], argv[0], "exec", (char *) NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child status %#x\n", status);
    child = fork();
    if (child == 0) {
        unprivileged();
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("child status %#x\n", status);
    return 0;
}
