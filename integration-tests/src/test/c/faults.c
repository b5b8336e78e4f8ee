/*
 * Signals of CPU faults and the alternate signal stack: handlers for SIGSEGV (one that makes the
 * page writable and returns, so the store is retried), SIGFPE and SIGILL; sigaltstack's checks,
 * SA_ONSTACK, SS_AUTODISARM; and a stack overflow caught on the alternate stack, as GNU tools do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static char *alt;
static const size_t altsize = 65536;
static volatile char *page;
static volatile int hits;
static sigjmp_buf back;

static int on_alt(void) {
    char here;
    return &here >= alt && &here < alt + altsize;
}

static void on_usr1(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) si;
    ucontext_t *uc = ctx;
    stack_t now;
    sigaltstack(NULL, &now);
    printf("handler on the alternate stack: %d, ss_flags now %d, uc_stack flags %d, size ok %d\n", on_alt(),
           now.ss_flags, uc->uc_stack.ss_flags, uc->uc_stack.ss_size == altsize);
    stack_t again = {.ss_sp = alt, .ss_size = altsize};
    int r = sigaltstack(&again, NULL);
    printf("changing it from the handler: %d %s\n", r, r ? strerror(errno) : "");
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void) ctx;
    hits++;
    printf("signal %d code %d at the faulting address %d\n", sig, si->si_code, si->si_addr == (void *) (page + 8));
    mprotect((void *) page, 4096, PROT_READ | PROT_WRITE);
}

static void on_fpe(int sig, siginfo_t *si, void *ctx) {
    (void) ctx;
    printf("signal %d code %d\n", sig, si->si_code);
    siglongjmp(back, 1);
}

static void on_ill(int sig) {
    printf("signal %d\n", sig);
    siglongjmp(back, 1);
}

static void on_overflow(int sig) {
    printf("signal %d on the alternate stack: %d\n", sig, on_alt());
    _exit(3);
}

static int deep(int n) {
    volatile char pad[4096];
    pad[0] = (char) n;
    /* Far deeper than the 8 MiB stack: the overflow comes long before the end. */
    return n < 1000000 ? deep(n + 1) + pad[0] : pad[0];
}

static void altstacks(void) {
    stack_t old;
    int r = sigaltstack(NULL, &old);
    printf("initially: %d flags %d\n", r, old.ss_flags);
    stack_t small = {.ss_sp = alt, .ss_size = 100};
    r = sigaltstack(&small, NULL);
    printf("too small: %d %s\n", r, strerror(errno));
    stack_t bad = {.ss_sp = alt, .ss_size = altsize, .ss_flags = 77};
    r = sigaltstack(&bad, NULL);
    printf("bad flags: %d %s\n", r, strerror(errno));
    stack_t ss = {.ss_sp = alt, .ss_size = altsize};
    printf("set: %d\n", sigaltstack(&ss, NULL));
    sigaltstack(NULL, &old);
    printf("read back: sp ok %d size %zu flags %d\n", old.ss_sp == alt, old.ss_size, old.ss_flags);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    ss.ss_flags = SS_AUTODISARM;
    printf("SS_AUTODISARM: %d\n", sigaltstack(&ss, NULL));
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    sigaltstack(NULL, &old);
    printf("after the handler: flags %d\n", old.ss_flags);
    stack_t off = {.ss_flags = SS_DISABLE};
    printf("disable: %d\n", sigaltstack(&off, NULL));
    sigaltstack(NULL, &old);
    printf("disabled: flags %d size %zu\n", old.ss_flags, old.ss_size);
}

static void faults(int zero) {
    page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    page[8] = 42;
    printf("stored after the handler made the page writable: %d, handler ran %d time(s)\n", page[8], hits);
    sa.sa_sigaction = on_fpe;
    sigaction(SIGFPE, &sa, NULL);
    volatile int dividend = 7;
    volatile int divisor = zero;
    if (sigsetjmp(back, 1) == 0) {
        printf("%d\n", dividend / divisor);
    }
    signal(SIGILL, on_ill);
    if (sigsetjmp(back, 1) == 0) {
        __asm__ volatile("ud2");
    }
}

int main(int argc, char **argv) {
    (void) argv;
    setvbuf(stdout, NULL, _IONBF, 0);
    alt = malloc(altsize);
    altstacks();
    faults(argc - 1);
    stack_t ss = {.ss_sp = alt, .ss_size = altsize};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {0};
    sa.sa_handler = on_overflow;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    return deep(0);
}
