/*
 * ptrace(2) as a debugger uses it: an int3 breakpoint written with POKETEXT (SIGTRAP, SI_KERNEL, RIP
 * after the int3), RIP moved back with SETREGS and to elsewhere with POKEUSER, PTRACE_SINGLESTEP
 * through straight code, a jump and a syscall instruction (si_code, RIP, DR6) and from syscall stops, a fault shown to the
 * tracer (SIGILL) before the tracee dies of it or is moved past it, the debug registers in struct
 * user with a write watchpoint (SIGTRAP TRAP_HWBKPT after the store, DR6's B0), and /proc/PID/mem read and written by the tracer (also code, as FOLL_FORCE) and by the
 * process itself. Addresses are printed as offsets from labels, so runs compare byte for byte.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

static long pt(long req, long pid, long addr, long data) {
    return syscall(SYS_ptrace, req, pid, addr, data);
}

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); \
    printf("%-40s %ld %s\n", label, r_, r_ < 0 ? errname(errno) : ""); } while (0)

extern char step_start[], step_syscall[], after_syscall[], bp_int3[], after_int3[], bad_insn[], past_bad[],
    after_watch[];

volatile uint64_t mem_var = 0x1122334455667788ULL;
volatile uint32_t watch_var[2];

/* The code the tracer walks through: straight code, a jump, getpid's syscall, an int3 and a ud2. */
__attribute__((noinline)) static void child_code(void) {
    __asm__ volatile(
        ".globl step_start\n"
        "step_start:\n"
        "nop\n"
        "mov $1, %%ecx\n"
        "add %%ecx, %%ecx\n"
        "jmp 1f\n"
        "ud2\n"
        "1:\n"
        "mov $39, %%eax\n"
        ".globl step_syscall\n"
        "step_syscall:\n"
        "syscall\n"
        ".globl after_syscall\n"
        "after_syscall:\n"
        "nop\n"
        ".globl bp_int3\n"
        "bp_int3:\n"
        "int3\n"
        ".globl after_int3\n"
        "after_int3:\n"
        "nop\n"
        ".globl bad_insn\n"
        "bad_insn:\n"
        "ud2\n"
        ".globl past_bad\n"
        "past_bad:\n"
        "nop\n"
        "mov watch_var(%%rip), %%eax\n"
        "movl $1, watch_var+4(%%rip)\n"
        "movl $5, watch_var(%%rip)\n"
        ".globl after_watch\n"
        "after_watch:\n"
        "nop\n"
        ::: "rax", "rcx", "r11", "memory");
}

static void child(void) {
    if (pt(PTRACE_TRACEME, 0, 0, 0) != 0) {
        _exit(90);
    }
    raise(SIGSTOP);
    child_code();
    /* The tracer wrote mem_var through /proc/PID/mem. */
    _exit(mem_var == 0x0102030405060708ULL ? 7 : 8);
}

static int wait_stop(pid_t pid, const char *what) {
    int st = 0;
    if (waitpid(pid, &st, __WALL) != pid) {
        printf("%s: waitpid %s\n", what, errname(errno));
        exit(1);
    }
    if (WIFSTOPPED(st)) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        pt(PTRACE_GETSIGINFO, pid, 0, (long) &si);
        printf("%s: stopped sig %d si_code %d\n", what, WSTOPSIG(st), si.si_code);
    } else if (WIFEXITED(st)) {
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    } else if (WIFSIGNALED(st)) {
        printf("%s: killed by %d\n", what, WTERMSIG(st));
    }
    return st;
}

static unsigned long long rip_of(pid_t pid) {
    struct user_regs_struct r;
    pt(PTRACE_GETREGS, pid, 0, (long) &r);
    return r.rip;
}

static void where(pid_t pid, const char *what, const char *label, char *base) {
    printf("%s: rip %s%+lld\n", what, label, (long long) (rip_of(pid) - (unsigned long long) base));
}

/* The raw PEEK requests store the word at data and return 0. */
static long peek(long req, pid_t pid, long addr) {
    long v = -1;
    errno = 0;
    if (pt(req, pid, addr, (long) &v) != 0) {
        return -1;
    }
    return v;
}

static long dr(pid_t pid, int n) {
    return peek(PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg) + 8 * n);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid = fork();
    if (pid == 0) {
        child();
    }
    wait_stop(pid, "raise");
    for (int i = 0; i < 8; i++) {
        long v = dr(pid, i);
        printf("dr%d %#lx %s\n", i, v, errno ? errname(errno) : "");
    }

    /* A breakpoint: int3 over the first byte of step_start, through POKETEXT. */
    long word = peek(PTRACE_PEEKTEXT, pid, (long) step_start);
    printf("peektext first byte %#lx %s\n", word & 0xff, errno ? errname(errno) : "");
    SHOW("poketext int3", pt(PTRACE_POKETEXT, pid, (long) step_start, (word & ~0xffL) | 0xcc));
    SHOW("cont", pt(PTRACE_CONT, pid, 0, 0));
    wait_stop(pid, "breakpoint");
    where(pid, "breakpoint", "step_start", step_start);
    printf("dr6 after int3 %#lx\n", dr(pid, 6));
    SHOW("poketext restore", pt(PTRACE_POKETEXT, pid, (long) step_start, word));
    struct user_regs_struct regs;
    pt(PTRACE_GETREGS, pid, 0, (long) &regs);
    regs.rip = (unsigned long long) step_start;
    SHOW("setregs rip back", pt(PTRACE_SETREGS, pid, 0, (long) &regs));
    where(pid, "after setregs", "step_start", step_start);

    /* Single steps: nop, mov, add, jmp, mov, then the syscall instruction. */
    for (int i = 0; i < 6; i++) {
        char what[32];
        snprintf(what, sizeof what, "step %d", i);
        SHOW(what, pt(PTRACE_SINGLESTEP, pid, 0, 0));
        wait_stop(pid, what);
        where(pid, what, "step_start", step_start);
        printf("%s: dr6 %#lx\n", what, dr(pid, 6));
    }
    pt(PTRACE_GETREGS, pid, 0, (long) &regs);
    printf("getpid's result is the child: %d, rcx after it %d\n", regs.rax == (unsigned long long) pid,
           regs.rcx == (unsigned long long) after_syscall);
    SHOW("step 6", pt(PTRACE_SINGLESTEP, pid, 0, 0));
    wait_stop(pid, "step 6");
    where(pid, "step 6", "after_syscall", after_syscall);

    /* The int3 in the code itself. */
    SHOW("cont to int3", pt(PTRACE_CONT, pid, 0, 0));
    wait_stop(pid, "int3");
    where(pid, "int3", "after_int3", after_int3);

    /* /proc/PID/mem of the tracee: a variable read and written, code read, nothing at 0. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDWR);
    printf("open %s %s\n", fd >= 0 ? "ok" : "failed", fd >= 0 ? "" : errname(errno));
    uint64_t v = 0;
    SHOW("pread mem_var", pread(fd, &v, 8, (off_t) &mem_var));
    printf("mem_var in the tracee %#llx\n", (unsigned long long) v);
    v = 0x0102030405060708ULL;
    SHOW("pwrite mem_var", pwrite(fd, &v, 8, (off_t) &mem_var));
    unsigned char code[2] = {0, 0};
    SHOW("pread code", pread(fd, code, 2, (off_t) bad_insn));
    printf("code %02x %02x\n", code[0], code[1]);
    SHOW("pread at 0", pread(fd, code, 1, 0));
    SHOW("lseek to step_start", lseek(fd, (off_t) step_start, SEEK_SET) == (off_t) step_start);
    SHOW("read", read(fd, code, 1));
    printf("first byte %02x\n", code[0]);
    close(fd);

    /* A fault is shown to the tracer first; moving RIP past it (POKEUSER) lets the tracee go on. */
    SHOW("cont to ud2", pt(PTRACE_CONT, pid, 0, 0));
    wait_stop(pid, "ud2");
    where(pid, "ud2", "bad_insn", bad_insn);
    SHOW("pokeuser rip", pt(PTRACE_POKEUSER, pid, offsetof(struct user_regs_struct, rip), (long) past_bad));
    where(pid, "after pokeuser", "past_bad", past_bad);

    /* A hardware watchpoint on writes of watch_var's first 4 bytes: the read and the write next to it miss. */
    long dbg = offsetof(struct user, u_debugreg);
    SHOW("dr0 = &watch_var", pt(PTRACE_POKEUSER, pid, dbg, (long) watch_var));
    SHOW("dr1 = &watch_var + 1", pt(PTRACE_POKEUSER, pid, dbg + 8, (long) watch_var + 1));
    SHOW("dr7 misaligned 4 bytes", pt(PTRACE_POKEUSER, pid, dbg + 7 * 8, 1L << 2 | 1L << 20 | 3L << 22));
    SHOW("dr7 write 4 bytes", pt(PTRACE_POKEUSER, pid, dbg + 7 * 8, 1 | 1L << 16 | 3L << 18));
    printf("dr0 is watch_var %d, dr7 %#lx\n", dr(pid, 0) == (long) watch_var, dr(pid, 7));
    SHOW("dr0 kernel address", pt(PTRACE_POKEUSER, pid, dbg, -4096L));
    SHOW("cont to watchpoint", pt(PTRACE_CONT, pid, 0, 0));
    wait_stop(pid, "watchpoint");
    where(pid, "watchpoint", "after_watch", after_watch);
    printf("watchpoint: dr6 %#lx\n", dr(pid, 6));
    SHOW("dr7 off", pt(PTRACE_POKEUSER, pid, dbg + 7 * 8, 0));
    SHOW("cont", pt(PTRACE_CONT, pid, 0, 0));
    wait_stop(pid, "end");

    /* The process's own /proc/self/mem. */
    fd = open("/proc/self/mem", O_RDONLY);
    v = 0;
    SHOW("pread own mem_var", pread(fd, &v, 8, (off_t) &mem_var));
    printf("own mem_var %#llx\n", (unsigned long long) v);
    close(fd);

    /* PTRACE_SINGLESTEP from a syscall-entry stop traps as the call returns; from an exit stop, one instruction later. */
    for (int at_exit = 0; at_exit < 2; at_exit++) {
        pid = fork();
        if (pid == 0) {
            pt(PTRACE_TRACEME, 0, 0, 0);
            raise(SIGSTOP);
            syscall(SYS_getppid);
            _exit(0);
        }
        const char *what = at_exit ? "step from exit stop" : "step from entry stop";
        wait_stop(pid, what);
        long nr = -1;
        while (nr != SYS_getppid) {
            pt(PTRACE_SYSCALL, pid, 0, 0);
            wait_stop(pid, what);
            nr = peek(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, orig_rax));
        }
        if (at_exit) {
            pt(PTRACE_SYSCALL, pid, 0, 0);
            wait_stop(pid, what);
        }
        unsigned long long stop_rip = rip_of(pid);
        SHOW("singlestep", pt(PTRACE_SINGLESTEP, pid, 0, 0));
        wait_stop(pid, what);
        printf("%s: rip moved %d, rax is the parent %d\n", what, rip_of(pid) != stop_rip,
               peek(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, rax)) == getpid());
        pt(PTRACE_CONT, pid, 0, 0);
        wait_stop(pid, what);
    }

    /* A fault passed on to the tracee kills it. */
    pid = fork();
    if (pid == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        __asm__ volatile("ud2");
        _exit(0);
    }
    wait_stop(pid, "second raise");
    SHOW("cont", pt(PTRACE_CONT, pid, 0, 0));
    wait_stop(pid, "second ud2");
    SHOW("cont with SIGILL", pt(PTRACE_CONT, pid, 0, SIGILL));
    wait_stop(pid, "second end");
    return 0;
}
