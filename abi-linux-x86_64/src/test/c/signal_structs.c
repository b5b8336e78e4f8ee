/*
 * The second half of structs.c (gcc structs.c signal_structs.c && ./a.out): the structs whose kernel
 * headers clash with glibc's (asm/signal.h's stack_t and sigset_t, linux/time.h's itimerval), so
 * they are compiled here without glibc's <signal.h> and <sys/time.h>.
 */
#include <asm/signal.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <asm/siginfo.h>
#include <asm-generic/poll.h>
#include <linux/eventpoll.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/time.h>
#include <linux/utime.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* arch/x86/include/asm/sigframe.h (kernel-internal), built from the uapi types it uses. */
struct rt_sigframe { char *pretcode; struct ucontext uc; struct siginfo info; };
/* fs/select.c: pselect6's sixth argument (kernel-internal). */
struct sigset_argpack { sigset_t *p; size_t size; };

#define O(s, f) printf("offset %s %s %zu\n", #s, #f, offsetof(struct s, f))
#define OT(t, f) printf("offset %s %s %zu\n", #t, #f, offsetof(t, f))
#define Z(s) printf("size %s %zu\n", #s, sizeof(struct s))
#define ZT(t) printf("size %s %zu\n", #t, sizeof(t))

static void hex(const char *name, const void *p, size_t n) {
    printf("%s ", name);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", ((const unsigned char *) p)[i]);
    }
    printf("\n");
}

static void sigcontext_fill(struct sigcontext *sc) {
    unsigned long *g = (unsigned long *) sc;
    for (int i = 0; i < 18; i++) {
        g[i] = 0x1000000000000000UL * (i % 8) + 0x101 * (i + 1);
    }
    sc->cs = 0x33; sc->gs = 0x1; sc->fs = 0x2; sc->ss = 0x2b; sc->err = 4; sc->trapno = 14; sc->oldmask = 0x8001;
    sc->cr2 = 0xdead000; sc->fpstate = (struct _fpstate *) 0x7ffc0000;
}

void signal_structs(void) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGCHLD; si.si_errno = 0; si.si_code = CLD_EXITED; si.si_pid = 4242; si.si_uid = 1000;
    si.si_status = 3; si.si_utime = 5; si.si_stime = 6;
    hex("siginfo_child", &si, sizeof si);
    memset(&si, 0, sizeof si);
    si.si_signo = SIGTERM; si.si_errno = 0; si.si_code = SI_TKILL; si.si_pid = 77; si.si_uid = 1001;
    hex("siginfo_kill", &si, sizeof si);
    memset(&si, 0, sizeof si);
    si.si_signo = SIGSEGV; si.si_errno = 0; si.si_code = SEGV_ACCERR; si.si_addr = (void *) 0x7fff12345678;
    hex("siginfo_fault", &si, sizeof si);

    struct clone_args ca = {0x200000, 0x1111, 0x7f0000001000, 0x7f0000002000, 17, 0x7f0000100000, 0x10000,
        0x7f0000003000, 0x7f0000004000, 2, 9};
    hex("clone_args", &ca, sizeof ca);

    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = (void *) 0x7f0000200000; ss.ss_flags = SS_AUTODISARM | SS_ONSTACK; ss.ss_size = 0x8000;
    hex("stack_t", &ss, sizeof ss);

    struct epoll_event ev = {EPOLLIN | EPOLLET, 0x0102030405060708};
    hex("epoll_event", &ev, sizeof ev);

    struct pollfd pf = {7, POLLIN | POLLPRI, POLLHUP};
    hex("pollfd", &pf, sizeof pf);

    struct itimerval it = {{1, 500000}, {2, 999999}};
    hex("itimerval", &it, sizeof it);

    struct utimbuf ub = {1700000000, 1700000001};
    hex("utimbuf", &ub, sizeof ub);

    struct sigset_argpack ap = {(sigset_t *) 0x7ffd0000, 8};
    hex("sigset_argpack", &ap, sizeof ap);

    struct sigcontext sc;
    memset(&sc, 0, sizeof sc);
    sigcontext_fill(&sc);
    hex("sigcontext", &sc, sizeof sc);

    struct rt_sigframe f;
    memset(&f, 0, sizeof f);
    f.pretcode = (char *) 0x401234;
    f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    f.uc.uc_stack.ss_sp = (void *) 0x7f0000200000; f.uc.uc_stack.ss_flags = SS_DISABLE; f.uc.uc_stack.ss_size = 0;
    sigcontext_fill(&f.uc.uc_mcontext);
    f.uc.uc_sigmask = 0x10002;
    f.info.si_signo = SIGUSR1; f.info.si_code = SI_USER; f.info.si_pid = 9; f.info.si_uid = 1000;
    hex("rt_sigframe", &f, sizeof f);

    ZT(siginfo_t); OT(siginfo_t, si_signo); OT(siginfo_t, si_errno); OT(siginfo_t, si_code); OT(siginfo_t, si_pid);
    OT(siginfo_t, si_uid); OT(siginfo_t, si_status); OT(siginfo_t, si_utime); OT(siginfo_t, si_stime);
    OT(siginfo_t, si_addr); OT(siginfo_t, si_value); OT(siginfo_t, si_tid); OT(siginfo_t, si_overrun);
    OT(siginfo_t, si_band); OT(siginfo_t, si_fd);
    Z(clone_args); O(clone_args, flags); O(clone_args, pidfd); O(clone_args, child_tid); O(clone_args, parent_tid);
    O(clone_args, exit_signal); O(clone_args, stack); O(clone_args, stack_size); O(clone_args, tls);
    O(clone_args, set_tid); O(clone_args, set_tid_size); O(clone_args, cgroup);
    printf("CLONE_ARGS_SIZE_VER0 %d CLONE_ARGS_SIZE_VER1 %d CLONE_ARGS_SIZE_VER2 %d\n", CLONE_ARGS_SIZE_VER0,
           CLONE_ARGS_SIZE_VER1, CLONE_ARGS_SIZE_VER2);
    ZT(stack_t); OT(stack_t, ss_sp); OT(stack_t, ss_flags); OT(stack_t, ss_size);
    Z(epoll_event); O(epoll_event, events); O(epoll_event, data);
    Z(pollfd); O(pollfd, fd); O(pollfd, events); O(pollfd, revents);
    Z(itimerval); O(itimerval, it_interval); O(itimerval, it_value);
    Z(utimbuf); O(utimbuf, actime); O(utimbuf, modtime);
    Z(robust_list_head); O(robust_list_head, list); O(robust_list_head, futex_offset);
    O(robust_list_head, list_op_pending);
    Z(sigset_argpack); O(sigset_argpack, p); O(sigset_argpack, size);
    Z(sigcontext); O(sigcontext, r8); O(sigcontext, r9); O(sigcontext, r10); O(sigcontext, r11); O(sigcontext, r12);
    O(sigcontext, r13); O(sigcontext, r14); O(sigcontext, r15); O(sigcontext, rdi); O(sigcontext, rsi);
    O(sigcontext, rbp); O(sigcontext, rbx); O(sigcontext, rdx); O(sigcontext, rax); O(sigcontext, rcx);
    O(sigcontext, rsp); O(sigcontext, rip); O(sigcontext, eflags); O(sigcontext, cs); O(sigcontext, gs);
    O(sigcontext, fs); O(sigcontext, ss); O(sigcontext, err); O(sigcontext, trapno); O(sigcontext, oldmask);
    O(sigcontext, cr2); O(sigcontext, fpstate); O(sigcontext, reserved1);
    Z(ucontext); O(ucontext, uc_flags); O(ucontext, uc_link); O(ucontext, uc_stack); O(ucontext, uc_mcontext);
    O(ucontext, uc_sigmask);
    printf("UC_FP_XSTATE %d UC_SIGCONTEXT_SS %d UC_STRICT_RESTORE_SS %d\n", UC_FP_XSTATE, UC_SIGCONTEXT_SS,
           UC_STRICT_RESTORE_SS);
    Z(rt_sigframe); O(rt_sigframe, pretcode); O(rt_sigframe, uc); O(rt_sigframe, info);
    Z(_fpstate_64); O(_fpstate_64, cwd); O(_fpstate_64, swd); O(_fpstate_64, twd); O(_fpstate_64, fop);
    O(_fpstate_64, rip); O(_fpstate_64, rdp); O(_fpstate_64, mxcsr); O(_fpstate_64, mxcsr_mask);
    O(_fpstate_64, st_space); O(_fpstate_64, xmm_space); O(_fpstate_64, reserved2); O(_fpstate_64, sw_reserved);
}
