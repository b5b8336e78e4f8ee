/* PR_SET_SYSCALL_USER_DISPATCH against Linux: the argument checks, then calls stopped by the
 * selector (SIGSYS with SYS_USER_DISPATCH, the call's number, address and arch, RAX back to the
 * number, the call not run), calls let through (selector ALLOW, the allowed range, inclusive mode's
 * outside), a bad selector value and an unreadable selector, and a forked child starting with it off. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "errname.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#define OFF 0
#define EXCLUSIVE 1
#define INCLUSIVE 2
#define ALLOW 0
#define BLOCK 1

static volatile char selector = ALLOW;
static volatile int sigsys;
static volatile long seen_nr, seen_rax, seen_code, seen_arch, call_ok;
static volatile uintptr_t seen_addr;

/* A syscall instruction at a known address; returns rax. */
extern long call_here(long nr, long a1);
extern char call_insn[], call_end[];
__asm__(".text\n.globl call_here\ncall_here:\n mov %rdi, %rax\n mov %rsi, %rdi\n.globl call_insn\ncall_insn:\n syscall\n.globl call_end\ncall_end:\n ret\n");

static void handler(int sig, siginfo_t *si, void *uc) {
    ucontext_t *u = uc;
    selector = ALLOW; /* the handler's own calls (and sigreturn) must pass */
    sigsys++;
    seen_nr = si->si_syscall;
    seen_code = si->si_code;
    seen_arch = si->si_arch;
    seen_addr = (uintptr_t) si->si_call_addr;
    seen_rax = u->uc_mcontext.gregs[REG_RAX];
    call_ok = u->uc_mcontext.gregs[REG_RIP] == (greg_t) call_end;
    u->uc_mcontext.gregs[REG_RAX] = 4242; /* what the emulated call returns */
}

static long sud(unsigned long mode, unsigned long off, unsigned long len, void *sel) {
    return syscall(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, mode, off, len, sel);
}

static void show(const char *what, long r) {
    printf("%s = %ld %s\n", what, r, r < 0 ? errname(errno) : "");
    fflush(stdout);
}

static void blocked_call(const char *what) {
    sigsys = 0;
    selector = BLOCK;
    long r = call_here(SYS_getppid, 0);
    selector = ALLOW;
    printf("%s: returned %ld sigsys %d nr-is-getppid %d code %ld arch %#lx addr-ok %d rax-is-nr %d rip-ok %d\n", what, r,
           sigsys, seen_nr == SYS_getppid, seen_code, seen_arch, seen_addr == (uintptr_t) call_end,
           seen_rax == SYS_getppid, (int) call_ok);
    fflush(stdout);
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);

    show("OFF with an offset", sud(OFF, 1, 0, NULL));
    show("OFF with a selector", sud(OFF, 0, 0, (void *) &selector));
    show("OFF", sud(OFF, 0, 0, NULL));
    show("bad mode", sud(3, 0, 0, NULL));
    show("high mode", sud(0xffffffff00000001UL, 0, 0, NULL));
    show("exclusive wrapping", sud(EXCLUSIVE, -4096UL, 8192, NULL));
    show("exclusive offset 0 wrapping", sud(EXCLUSIVE, 0, -1UL, NULL));
    show("inclusive len 0", sud(INCLUSIVE, 4096, 0, NULL));
    show("inclusive wrapping", sud(INCLUSIVE, -4096UL, 8192, NULL));
    show("selector past user space", sud(EXCLUSIVE, 0, 0, (void *) 0x800000000000UL));
    show("OFF again", sud(OFF, 0, 0, NULL));

    /* The allowed range is empty: every call is looked at. */
    show("exclusive, empty range", sud(EXCLUSIVE, 0, 0, (void *) &selector));
    long r = call_here(SYS_getppid, 0);
    printf("ALLOW: ran %d\n", r == getppid());
    blocked_call("BLOCK");
    /* The call's own address in the allowed range. */
    selector = ALLOW;
    /* The address looked at is the one after the syscall instruction (the user RIP Linux saves). */
    show("exclusive, the instruction allowed", sud(EXCLUSIVE, (uintptr_t) call_insn, call_end - call_insn, (void *) &selector));
    blocked_call("instruction in range under BLOCK");
    show("exclusive, the return address allowed", sud(EXCLUSIVE, (uintptr_t) call_end, 1, (void *) &selector));
    sigsys = 0;
    selector = BLOCK;
    r = call_here(SYS_getppid, 0);
    selector = ALLOW;
    printf("allowed range under BLOCK: ran %d sigsys %d\n", r == getppid(), sigsys);
    /* A blocked write does not run. */
    show("exclusive again", sud(EXCLUSIVE, 0, 0, (void *) &selector));
    sigsys = 0;
    selector = BLOCK;
    r = call_here(SYS_exit_group, 7);
    selector = ALLOW;
    printf("blocked exit_group: returned %ld sigsys %d\n", r, sigsys);
    fflush(stdout);

    /* Inclusive: only calls inside the range are looked at. */
    show("inclusive, the call inside", sud(INCLUSIVE, (uintptr_t) call_end, 1, (void *) &selector));
    blocked_call("inclusive BLOCK inside");
    show("inclusive, elsewhere", sud(INCLUSIVE, 4096, 4096, (void *) &selector));
    selector = BLOCK;
    r = call_here(SYS_getppid, 0);
    selector = ALLOW;
    printf("inclusive BLOCK outside: ran %d\n", r == getppid());
    show("no selector", sud(INCLUSIVE, (uintptr_t) call_end, 1, NULL));
    sigsys = 0;
    r = call_here(SYS_getppid, 0);
    printf("no selector: returned %ld sigsys %d\n", r, sigsys);
    fflush(stdout);
    show("OFF at last", sud(OFF, 0, 0, NULL));
    fflush(stdout);

    /* A forked child starts with dispatch off. */
    show("exclusive before fork", sud(EXCLUSIVE, 0, 0, (void *) &selector));
    pid_t pid = fork();
    if (pid == 0) {
        selector = BLOCK;
        long rr = call_here(SYS_getppid, 0);
        selector = ALLOW;
        printf("child: ran %d sigsys %d\n", rr > 0, sigsys);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    sud(OFF, 0, 0, NULL);

    /* Fatal cases, each in a child: a selector of another value, an unreadable selector, SIGSYS blocked. */
    for (int how = 0; how < 3; how++) {
        pid = fork();
        if (pid == 0) {
            static volatile char other = 7;
            if (how == 0) {
                sud(EXCLUSIVE, 0, 0, (void *) &other);
            } else if (how == 1) {
                char *gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                munmap(gone, 4096);
                sud(EXCLUSIVE, 0, 0, gone);
            } else {
                sigset_t set;
                sigemptyset(&set);
                sigaddset(&set, SIGSYS);
                sigprocmask(SIG_BLOCK, &set, NULL);
                sud(EXCLUSIVE, 0, 0, (void *) &selector);
                selector = BLOCK;
            }
            call_here(SYS_getppid, 0);
            _exit(99);
        }
        int status;
        waitpid(pid, &status, 0);
        printf("fatal case %d: signaled %d signal %d\n", how, WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    return 0;
}
