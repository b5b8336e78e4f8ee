/* A SIGSEGV handler sees the faulting instruction's address as RIP, and registers as before it. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

extern char load_insn[], store_insn[];
static sigjmp_buf back;
static volatile long seen_rip, seen_rax;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    (void) sig;
    (void) si;
    seen_rip = uc->uc_mcontext.gregs[REG_RIP];
    seen_rax = uc->uc_mcontext.gregs[REG_RAX];
    siglongjmp(back, 1);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(back, 1) == 0) {
        /* Two instructions of the same block run before the load through a null pointer. */
        __asm__ volatile("xor %%eax, %%eax\n inc %%rax\n inc %%rax\n"
                         ".globl load_insn\nload_insn: movq 8(%%rax), %%rcx\n inc %%rax\n"
                         : : : "rax", "rcx", "memory");
    }
    printf("load: rip %s the faulting instruction, rax %ld\n", seen_rip == (long) load_insn ? "at" : "not at", seen_rax);
    if (sigsetjmp(back, 1) == 0) {
        __asm__ volatile("movl $5, %%eax\n push %%rax\n pop %%rax\n add $3, %%eax\n"
                         ".globl store_insn\nstore_insn: movl %%eax, 16(%%rcx)\n"
                         : : "c"(0L) : "rax", "memory");
    }
    printf("store: rip %s the faulting instruction, rax %ld\n", seen_rip == (long) store_insn ? "at" : "not at", seen_rax);
    return 0;
}
