/*
 * ptrace(2) between guest processes: TRACEME with a child's SIGSTOP, PEEKDATA and POKEDATA,
 * GETREGS at syscall stops (the number in orig_rax), a PTRACE_SYSCALL loop counting getpid's stops,
 * a changed result and a skipped call, PEEKUSER, GETREGSET, GET_SYSCALL_INFO, GETSIGINFO,
 * SETOPTIONS with TRACEFORK (the event message is the new child) and TRACEEXEC, a suppressed and
 * an injected signal, SEIZE with INTERRUPT, ATTACH to a stopped process, DETACH, and the errno
 * cases: ESRCH, EPERM, EIO and EFAULT, EINVAL. Only what does not vary between runs is printed.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

static long pt(long req, long pid, long addr, long data) {
    return syscall(SYS_ptrace, req, pid, addr, data);
}

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); \
    printf("%-40s %ld %s\n", label, r_, r_ < 0 ? errname(errno) : ""); } while (0)

static void status(const char *what, int st) {
    if (WIFEXITED(st)) {
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    } else if (WIFSIGNALED(st)) {
        printf("%s: killed by %d\n", what, WTERMSIG(st));
    } else if (WIFSTOPPED(st)) {
        printf("%s: stopped sig %d event %d\n", what, WSTOPSIG(st), st >> 16);
    } else {
        printf("%s: status %#x\n", what, st);
    }
}

static int wait_for(pid_t pid, const char *what) {
    int st = 0;
    pid_t r = waitpid(pid, &st, __WALL);
    if (r != pid) {
        printf("%s: waitpid %d %s\n", what, r, errname(errno));
        exit(1);
    }
    status(what, st);
    return st;
}

/* Runs a tracee to its end, giving it back each signal it stops with. */
static void finish(pid_t pid, const char *what) {
    for (;;) {
        int st = wait_for(pid, what);
        if (!WIFSTOPPED(st)) {
            return;
        }
        pt(PTRACE_CONT, pid, 0, WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st));
    }
}

static char proc_state(pid_t pid) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(buf, sizeof buf, f)) {
        return '?';
    }
    fclose(f);
    char *p = strrchr(buf, ')');
    return p ? p[2] : '?';
}

static int tracer_pid(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    int tracer = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "TracerPid:", 10) == 0) {
            tracer = atoi(line + 10);
        }
    }
    if (f) {
        fclose(f);
    }
    return tracer;
}

static long word = 0x1122334455667788L;

/* TRACEME, raise(SIGSTOP): peek and poke while stopped; CONT with 0 drops the SIGSTOP. */
static void traceme(void) {
    pid_t pid = fork();
    if (pid == 0) {
        SHOW("child TRACEME", pt(PTRACE_TRACEME, 0, 0, 0));
        SHOW("child TRACEME again", pt(PTRACE_TRACEME, 0, 0, 0));
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGUSR1);
        sigaddset(&block, SIGUSR2);
        sigprocmask(SIG_BLOCK, &block, 0);
        /* Pending for the thread, in this order; one for the process. */
        syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2);
        syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
        kill(getpid(), SIGUSR1);
        raise(SIGSTOP);
        _exit(word == 0x55 ? 3 : 4);
    }
    wait_for(pid, "traceme stop");
    printf("state %c TracerPid is me %d\n", proc_state(pid), tracer_pid(pid) == getpid());
    long got = 0;
    SHOW("PEEKDATA", pt(PTRACE_PEEKDATA, pid, (long) &word, (long) &got));
    printf("peeked %#lx\n", got);
    SHOW("glibc PEEKDATA", ptrace(PTRACE_PEEKDATA, pid, &word, 0) == word);
    SHOW("POKEDATA", pt(PTRACE_POKEDATA, pid, (long) &word, 0x55));
    SHOW("PEEKDATA bad address", pt(PTRACE_PEEKDATA, pid, 16, (long) &got));
    SHOW("POKEDATA bad address", pt(PTRACE_POKEDATA, pid, 16, 1));
    SHOW("PEEKDATA bad data pointer", pt(PTRACE_PEEKDATA, pid, (long) &word, 16));
    SHOW("PEEKUSER unaligned", pt(PTRACE_PEEKUSER, pid, 3, (long) &got));
    SHOW("PEEKUSER past struct user", pt(PTRACE_PEEKUSER, pid, sizeof(struct user) + 64, (long) &got));
    SHOW("PEEKUSER at 912", pt(PTRACE_PEEKUSER, pid, 912, (long) &got));
    SHOW("PEEKUSER at 920", pt(PTRACE_PEEKUSER, pid, 920, (long) &got));
    SHOW("PEEKUSER at 928", pt(PTRACE_PEEKUSER, pid, 928, (long) &got));
    got = -1;
    SHOW("PEEKUSER u_debugreg[7]", pt(PTRACE_PEEKUSER, pid, offsetof(struct user, u_debugreg) + 56, (long) &got));
    printf("debugreg %ld\n", got);
    SHOW("PEEKUSER cs", pt(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, cs), (long) &got));
    printf("cs %#lx\n", got);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    SHOW("GETSIGINFO", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    printf("siginfo signo %d code %d pid ok %d\n", si.si_signo, si.si_code, si.si_pid == pid);
    SHOW("GETSIGINFO bad pointer", pt(PTRACE_GETSIGINFO, pid, 0, 16));
    uint64_t mask = 0;
    SHOW("GETSIGMASK wrong size", pt(PTRACE_GETSIGMASK, pid, 4, (long) &mask));
    SHOW("GETSIGMASK", pt(PTRACE_GETSIGMASK, pid, 8, (long) &mask));
    printf("mask %#llx\n", (unsigned long long) mask);
    struct {
        uint64_t off;
        uint32_t flags;
        int32_t nr;
    } peek = {0, 0, 4};
    siginfo_t queued[4];
    SHOW("PEEKSIGINFO own", pt(0x4209, pid, (long) &peek, (long) queued));
    printf("queued %d %d\n", queued[0].si_signo, queued[1].si_signo);
    peek.off = 1;
    SHOW("PEEKSIGINFO from the second", pt(0x4209, pid, (long) &peek, (long) queued));
    printf("queued %d\n", queued[0].si_signo);
    peek.off = 0;
    peek.flags = 1;
    SHOW("PEEKSIGINFO shared", pt(0x4209, pid, (long) &peek, (long) queued));
    printf("queued %d code %d\n", queued[0].si_signo, queued[0].si_code);
    peek.flags = 2;
    SHOW("PEEKSIGINFO bad flags", pt(0x4209, pid, (long) &peek, (long) queued));
    peek.flags = 0;
    peek.nr = -1;
    SHOW("PEEKSIGINFO negative nr", pt(0x4209, pid, (long) &peek, (long) queued));
    peek.nr = 2;
    SHOW("PEEKSIGINFO bad buffer", pt(0x4209, pid, (long) &peek, 16));
    struct user_fpregs_struct fp;
    memset(&fp, 0, sizeof fp);
    SHOW("GETFPREGS", pt(PTRACE_GETFPREGS, pid, 0, (long) &fp));
    printf("fpu cwd %#x mxcsr %#x\n", fp.cwd, fp.mxcsr);
    SHOW("GETFPREGS bad pointer", pt(PTRACE_GETFPREGS, pid, 0, 16));
    fp.mxcsr = 0x1f80 | 1 << 20;
    SHOW("SETFPREGS reserved MXCSR bit", pt(PTRACE_SETFPREGS, pid, 0, (long) &fp));
    fp.mxcsr = 0x1f80 | 0x6000;
    SHOW("SETFPREGS rounding toward zero", pt(PTRACE_SETFPREGS, pid, 0, (long) &fp));
    memset(&fp, 0, sizeof fp);
    struct iovec fiov = {&fp, sizeof fp + 8};
    SHOW("GETREGSET NT_PRFPREG", pt(PTRACE_GETREGSET, pid, NT_PRFPREG, (long) &fiov));
    printf("fp regset len %zu mxcsr %#x\n", fiov.iov_len, fp.mxcsr);
    fiov.iov_len = 256;
    SHOW("SETREGSET NT_PRFPREG short", pt(PTRACE_SETREGSET, pid, NT_PRFPREG, (long) &fiov));
    SHOW("SETOPTIONS unknown", pt(PTRACE_SETOPTIONS, pid, 0, 0x8000));
    SHOW("unknown request", pt(0x7777, pid, 0, 0));
    SHOW("CONT bad signal", pt(PTRACE_CONT, pid, 0, 100));
    SHOW("LISTEN not seized", pt(PTRACE_LISTEN, pid, 0, 0));
    SHOW("INTERRUPT not seized", pt(PTRACE_INTERRUPT, pid, 0, 0));
    SHOW("CONT", pt(PTRACE_CONT, pid, 0, 0));
    wait_for(pid, "traceme end");
    SHOW("CONT after exit", pt(PTRACE_CONT, pid, 0, 0));
}

/* A PTRACE_SYSCALL loop: getpid's stops, its number in orig_rax, a changed result, a skipped call. */
static void syscalls(void) {
    pid_t pid = fork();
    if (pid == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        long a = syscall(SYS_getpid);
        long b = syscall(SYS_getpid);
        long c = syscall(SYS_getppid);
        errno = 0;
        long d = syscall(SYS_getuid);
        printf("child: getpid changed %d, second is pid %d, getppid %d, skipped getuid %ld %s\n",
               a == 4242, b == getpid(), c == getppid(), d, d < 0 ? errname(errno) : "");
        fflush(stdout);
        _exit(0);
    }
    wait_for(pid, "syscalls stop");
    SHOW("SETOPTIONS TRACESYSGOOD", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD));
    int getpids = 0;
    int entering = 1;
    int first = 1;
    for (;;) {
        if (pt(PTRACE_SYSCALL, pid, 0, 0) != 0) {
            printf("PTRACE_SYSCALL %s\n", errname(errno));
            break;
        }
        int st;
        if (waitpid(pid, &st, __WALL) != pid) {
            break;
        }
        if (!WIFSTOPPED(st)) {
            status("syscalls end", st);
            break;
        }
        if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
            status("syscalls other stop", st);
            continue;
        }
        struct user_regs_struct r;
        pt(PTRACE_GETREGS, pid, 0, (long) &r);
        if (first) {
            first = 0;
            printf("first syscall stop: entry rax %ld\n", (long) r.rax);
            struct {
                uint8_t op;
                uint8_t pad[3];
                uint32_t arch;
                uint64_t ip, sp;
                uint64_t nr, args[6];
            } info;
            memset(&info, 0, sizeof info);
            SHOW("GET_SYSCALL_INFO", pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, (long) &info));
            printf("info op %d arch %#x ip ok %d sp ok %d nr ok %d\n", info.op, info.arch, info.ip == r.rip,
                   info.sp == r.rsp, info.nr == r.orig_rax);
            SHOW("GET_SYSCALL_INFO 8 bytes", pt(PTRACE_GET_SYSCALL_INFO, pid, 8, (long) &info));
            long msg = -1;
            SHOW("GETEVENTMSG at entry", pt(PTRACE_GETEVENTMSG, pid, 0, (long) &msg));
            printf("event message %ld\n", msg);
            siginfo_t si;
            pt(PTRACE_GETSIGINFO, pid, 0, (long) &si);
            printf("siginfo signo %d code %#x\n", si.si_signo, si.si_code);
            struct user_regs_struct r2;
            struct iovec iov = {&r2, sizeof r2 + 16};
            SHOW("GETREGSET NT_PRSTATUS", pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, (long) &iov));
            printf("regset len %zu same %d\n", iov.iov_len, memcmp(&r, &r2, sizeof r) == 0);
            iov.iov_len = 5;
            SHOW("GETREGSET odd length", pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, (long) &iov));
            iov.iov_len = sizeof r2;
            SHOW("GETREGSET unknown type", pt(PTRACE_GETREGSET, pid, 0x777, (long) &iov));
            long orig = -2;
            pt(PTRACE_PEEKUSER, pid, offsetof(struct user_regs_struct, orig_rax), (long) &orig);
            printf("PEEKUSER orig_rax matches %d\n", orig == (long) r.orig_rax);
            SHOW("GETREGS bad pointer", pt(PTRACE_GETREGS, pid, 0, 16));
        }
        if (r.orig_rax == SYS_getpid) {
            printf("getpid %s\n", entering ? "entry" : "exit");
            if (!entering && getpids == 0) {
                r.rax = 4242;
                pt(PTRACE_SETREGS, pid, 0, (long) &r);
            }
            if (!entering) {
                getpids++;
            }
        } else if (r.orig_rax == SYS_getppid && !entering) {
            printf("getppid exit, result is my pid %d\n", (long) r.rax == getpid());
        } else if (r.orig_rax == SYS_getuid && entering) {
            r.orig_rax = -1;
            r.rax = -EPERM;
            pt(PTRACE_SETREGS, pid, 0, (long) &r);
        }
        if (r.orig_rax == (unsigned long) -1) {
            printf("skipped call %s\n", entering ? "entry" : "exit");
        }
        entering = !entering;
    }
    printf("getpid exits seen %d\n", getpids);
}

/* TRACEFORK: the event message is the new child, which starts traced with a SIGSTOP; TRACEEXEC. */
static void forks(const char *self) {
    pid_t pid = fork();
    if (pid == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        pid_t c = fork();
        if (c == 0) {
            execl(self, self, "exec", (char *) 0);
            _exit(99);
        }
        int st;
        waitpid(c, &st, 0);
        printf("parent: grandchild %s %d\n", WIFEXITED(st) ? "exited" : "killed",
               WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        fflush(stdout);
        _exit(0);
    }
    wait_for(pid, "forks stop");
    SHOW("SETOPTIONS TRACEFORK|TRACEEXEC", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC));
    SHOW("CONT", pt(PTRACE_CONT, pid, 0, 0));
    int st = wait_for(pid, "fork event");
    long msg = 0;
    SHOW("GETEVENTMSG", pt(PTRACE_GETEVENTMSG, pid, 0, (long) &msg));
    pid_t grandchild = msg;
    SHOW("grandchild stop", waitpid(grandchild, &st, __WALL) == grandchild);
    status("grandchild", st);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", grandchild);
    FILE *f = fopen(path, "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "TracerPid:", 10) == 0) {
            printf("grandchild TracerPid is me %d\n", atoi(line + 10) == getpid());
        }
    }
    if (f) {
        fclose(f);
    }
    SHOW("grandchild CONT", pt(PTRACE_CONT, grandchild, 0, 0));
    SHOW("CONT", pt(PTRACE_CONT, pid, 0, 0));
    st = wait_for(grandchild, "grandchild exec event");
    SHOW("GETEVENTMSG", pt(PTRACE_GETEVENTMSG, grandchild, 0, (long) &msg));
    printf("exec event message is its pid %d\n", msg == grandchild);
    /* A signal suppressed, then one injected: the exec'd program exits with 7 on SIGUSR1's handler. */
    SHOW("grandchild CONT", pt(PTRACE_CONT, grandchild, 0, 0));
    st = wait_for(grandchild, "grandchild signal");
    SHOW("grandchild CONT with SIGUSR1", pt(PTRACE_CONT, grandchild, 0, SIGUSR1));
    finish(grandchild, "grandchild end");
    finish(pid, "forks end");
}

/* A traced execve without PTRACE_O_TRACEEXEC: the new program starts with a SIGTRAP. */
static void exec_trap(const char *self) {
    pid_t pid = fork();
    if (pid == 0) {
        pt(PTRACE_TRACEME, 0, 0, 0);
        execl(self, self, "exit5", (char *) 0);
        _exit(99);
    }
    wait_for(pid, "exec trap");
    siginfo_t si;
    SHOW("GETSIGINFO", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    printf("siginfo signo %d code %d pid is the tracee %d\n", si.si_signo, si.si_code, si.si_pid == pid);
    struct user_regs_struct r;
    pt(PTRACE_GETREGS, pid, 0, (long) &r);
    printf("orig_rax is execve %d rax %ld\n", r.orig_rax == SYS_execve, (long) r.rax);
    SHOW("CONT", pt(PTRACE_CONT, pid, 0, 0));
    wait_for(pid, "exec trap end");
}

/* SEIZE, INTERRUPT, LISTEN and DETACH of a process that is not our child's tracee yet; ATTACH to a stopped one. */
static void seize(void) {
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(p[0], &c, 1);
        _exit(5);
    }
    SHOW("SEIZE bad addr", pt(PTRACE_SEIZE, pid, 1, 0));
    SHOW("SEIZE bad options", pt(PTRACE_SEIZE, pid, 0, 0x8000));
    SHOW("SEIZE", pt(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD));
    SHOW("SEIZE again", pt(PTRACE_SEIZE, pid, 0, 0));
    SHOW("CONT while running", pt(PTRACE_CONT, pid, 0, 0));
    SHOW("INTERRUPT", pt(PTRACE_INTERRUPT, pid, 0, 0));
    write(p[1], "x", 1);
    int st = wait_for(pid, "seized interrupt");
    siginfo_t si;
    SHOW("GETSIGINFO", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    printf("siginfo signo %d code %#x\n", si.si_signo, si.si_code);
    SHOW("DETACH", pt(PTRACE_DETACH, pid, 0, 0));
    SHOW("CONT after DETACH", pt(PTRACE_CONT, pid, 0, 0));
    wait_for(pid, "seized end");

    /* ATTACH to a running process: its SIGSTOP comes from the kernel. */
    pid = fork();
    if (pid == 0) {
        char c;
        read(p[0], &c, 1);
        _exit(4);
    }
    SHOW("ATTACH", pt(PTRACE_ATTACH, pid, 0, 0));
    wait_for(pid, "attached");
    memset(&si, 0, sizeof si);
    SHOW("GETSIGINFO", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    printf("siginfo signo %d code %#x pid %d\n", si.si_signo, si.si_code, si.si_pid);
    SHOW("DETACH", pt(PTRACE_DETACH, pid, 0, 0));
    write(p[1], "z", 1);
    wait_for(pid, "attached end");

    /* A seized tracee's group stop: PTRACE_EVENT_STOP, LISTEN until SIGCONT, which it then reports. */
    pid = fork();
    if (pid == 0) {
        char c;
        read(p[0], &c, 1);
        raise(SIGSTOP);
        _exit(8);
    }
    SHOW("SEIZE", pt(PTRACE_SEIZE, pid, 0, 0));
    write(p[1], "y", 1);
    st = wait_for(pid, "seized signal");
    SHOW("CONT with SIGSTOP", pt(PTRACE_CONT, pid, 0, SIGSTOP));
    st = wait_for(pid, "seized group stop");
    SHOW("GETSIGINFO in group stop", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    SHOW("LISTEN", pt(PTRACE_LISTEN, pid, 0, 0));
    SHOW("waitpid WNOHANG while listening", waitpid(pid, &st, __WALL | WNOHANG));
    SHOW("SIGCONT", kill(pid, SIGCONT));
    finish(pid, "listened");

    pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        _exit(6);
    }
    waitpid(pid, &st, WUNTRACED);
    status("stopped child", st);
    SHOW("ATTACH", pt(PTRACE_ATTACH, pid, 0, 0));
    wait_for(pid, "attached stop");
    SHOW("GETSIGINFO of a stopped one", pt(PTRACE_GETSIGINFO, pid, 0, (long) &si));
    SHOW("SIGCONT", kill(pid, SIGCONT));
    SHOW("CONT", pt(PTRACE_CONT, pid, 0, 0));
    st = wait_for(pid, "attached next");
    if (WIFSTOPPED(st)) {
        SHOW("CONT", pt(PTRACE_CONT, pid, 0, WSTOPSIG(st) == SIGCONT ? SIGCONT : 0));
        finish(pid, "attached end");
    }
}

/* A tracer that exits lets its tracee go, or kills it with PTRACE_O_EXITKILL. */
static void tracer_dies(long options, const char *what) {
    int p[2];
    pipe(p);
    pid_t tracee = fork();
    if (tracee == 0) {
        char c;
        read(p[0], &c, 1);
        _exit(9);
    }
    pid_t tracer = fork();
    if (tracer == 0) {
        long r = pt(PTRACE_SEIZE, tracee, 0, options);
        int mine = tracer_pid(tracee) == getpid();
        r |= pt(PTRACE_INTERRUPT, tracee, 0, 0);
        int st;
        r |= waitpid(tracee, &st, __WALL) != tracee;
        _exit(r == 0 && mine && proc_state(tracee) == 't' ? 0 : 1);
    }
    int st;
    waitpid(tracer, &st, 0);
    status("tracer", st);
    printf("%s: tracee's TracerPid %d\n", what, tracer_pid(tracee));
    write(p[1], "x", 1);
    waitpid(tracee, &st, 0);
    status(what, st);
}

static void errors(void) {
    SHOW("CONT pid 0", pt(PTRACE_CONT, 0, 0, 0));
    SHOW("CONT pid -1", pt(PTRACE_CONT, -1, 0, 0));
    SHOW("ATTACH no such pid", pt(PTRACE_ATTACH, 0x3ffffff0, 0, 0));
    SHOW("ATTACH self", pt(PTRACE_ATTACH, getpid(), 0, 0));
    SHOW("CONT parent, not traced", pt(PTRACE_CONT, getppid(), 0, 0));
    SHOW("PEEKDATA self", pt(PTRACE_PEEKDATA, getpid(), 0, 0));
}

static void usr1(int sig) {
    _exit(7);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exit5") == 0) {
        return 5;
    }
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        signal(SIGUSR1, usr1);
        raise(SIGWINCH);
        pause();
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    errors();
    traceme();
    syscalls();
    forks(argv[0]);
    exec_trap(argv[0]);
    seize();
    tracer_dies(0, "detached tracee");
    tracer_dies(PTRACE_O_EXITKILL, "EXITKILL tracee");
    return 0;
}
