/* arch_prctl's ARCH_GET_CPUID and ARCH_SET_CPUID against Linux: with CPUID faulting on, cpuid raises
 * SIGSEGV (SI_KERNEL, no address) at the instruction; fork keeps the setting, execve clears it. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "errname.h"

#define ARCH_GET_CPUID 0x1011
#define ARCH_SET_CPUID 0x1012

extern char cpuid_insn[];
/* cpuid leaf 0 at a known address; returns eax (the highest leaf, never 0 on x86-64). */
extern unsigned run_cpuid(void);
__asm__(".text\n.globl run_cpuid\nrun_cpuid:\n push %rbx\n xor %eax, %eax\n xor %ecx, %ecx\n"
        ".globl cpuid_insn\ncpuid_insn:\n cpuid\n pop %rbx\n ret\n");

static volatile int faults;
static volatile long code, addr, rip_ok;

static void handler(int sig, siginfo_t *si, void *uc) {
    ucontext_t *u = uc;
    faults++;
    code = si->si_code;
    addr = (long) si->si_addr;
    rip_ok = u->uc_mcontext.gregs[REG_RIP] == (greg_t) cpuid_insn;
    u->uc_mcontext.gregs[REG_RAX] = 0; /* as if cpuid said leaf 0 only */
    u->uc_mcontext.gregs[REG_RIP] += 2;
}

static long ap(int code_, unsigned long arg) {
    return syscall(SYS_arch_prctl, code_, arg);
}

static void show(const char *what, long r) {
    printf("%s = %ld %s\n", what, r, r < 0 ? errname(errno) : "");
    fflush(stdout);
}

static void try_cpuid(const char *what) {
    faults = 0;
    unsigned eax = run_cpuid();
    printf("%s: cpuid %s, faults %d code %#lx addr %ld rip-at-cpuid %d\n", what, eax ? "ran" : "faulted", faults,
           faults ? code : 0, faults ? addr : 0, faults ? (int) rip_ok : 0);
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        show("after execve, GET_CPUID", ap(ARCH_GET_CPUID, 0));
        return 0;
    }
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    show("GET_CPUID", ap(ARCH_GET_CPUID, 0));
    try_cpuid("enabled");
    show("SET_CPUID 0", ap(ARCH_SET_CPUID, 0));
    show("GET_CPUID", ap(ARCH_GET_CPUID, 0));
    try_cpuid("faulting");
    try_cpuid("faulting again");

    pid_t pid = fork();
    if (pid == 0) {
        show("child GET_CPUID", ap(ARCH_GET_CPUID, 0));
        try_cpuid("child");
        char self[256];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n] = 0;
        execl(self, self, "exec", (char *) NULL);
        _exit(1);
    }
    waitpid(pid, NULL, 0);

    pid = fork();
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        run_cpuid();
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("no handler: signaled %d signal %d\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    show("SET_CPUID 7", ap(ARCH_SET_CPUID, 7));
    show("GET_CPUID", ap(ARCH_GET_CPUID, 0));
    try_cpuid("enabled again");
    show("GET_CPUID with an argument", ap(ARCH_GET_CPUID, 12345));
    return 0;
}
