/*
 * Job control and splice: stop and continue (SIGSTOP, SIGTSTP with and without a handler, a
 * blocked stop signal), what wait4/waitid and SIGCHLD report about it, SA_NOCLDSTOP, /proc's
 * state letter, tgkill to another process; splice and tee between pipes and files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void status(const char *what, int st) {
    if (WIFSTOPPED(st)) {
        printf("%s: stopped by %d\n", what, WSTOPSIG(st));
    } else if (WIFCONTINUED(st)) {
        printf("%s: continued\n", what);
    } else if (WIFSIGNALED(st)) {
        printf("%s: killed by %d\n", what, WTERMSIG(st));
    } else {
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    }
}

static volatile sig_atomic_t chld_code, chld_status, chld_count, tstp_count;

static void on_chld(int sig, siginfo_t *info, void *ctx) {
    (void) sig;
    (void) ctx;
    chld_code = info->si_code;
    chld_status = info->si_status;
    chld_count++;
}

static void on_tstp(int sig) {
    (void) sig;
    tstp_count++;
}

/* The state letter in /proc/PID/stat: the field after the name in parentheses. */
static char state_of(pid_t pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return '?';
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return '?';
    }
    buf[n] = 0;
    char *close_paren = strrchr(buf, ')');
    return close_paren ? close_paren[2] : '?';
}

/* A child that reports each pass of a loop on a pipe, so the parent sees it run or not. */
static pid_t ticker(int *readEnd) {
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (;;) {
            if (write(p[1], "t", 1) != 1) {
                _exit(3);
            }
            usleep(2000);
        }
    }
    close(p[1]);
    *readEnd = p[0];
    return pid;
}

/* Reads what the ticker wrote so far without blocking; returns how many ticks. */
static int drain(int fd) {
    char buf[4096];
    int total = 0;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            return total;
        }
        total += n;
    }
}

static void stops(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    int st;

    int fd;
    pid_t pid = ticker(&fd);
    usleep(20000);
    show("SIGSTOP", kill(pid, SIGSTOP));
    pid_t w = waitpid(pid, &st, WUNTRACED);
    printf("waitpid WUNTRACED found the child: %d\n", w == pid);
    status("after SIGSTOP", st);
    usleep(20000);
    printf("state while stopped: %c\n", state_of(pid));
    printf("SIGCHLD code %d status %d\n", chld_code, chld_status);
    drain(fd);
    usleep(30000);
    printf("ticks while stopped: %d\n", drain(fd));
    show("waitpid WUNTRACED|WNOHANG again", waitpid(pid, &st, WUNTRACED | WNOHANG));
    show("SIGCONT", kill(pid, SIGCONT));
    w = waitpid(pid, &st, WCONTINUED);
    printf("waitpid WCONTINUED found the child: %d\n", w == pid);
    status("after SIGCONT", st);
    /* The child's CLD_CONTINUED SIGCHLD comes when it runs again: wait for its next tick first. */
    fcntl(fd, F_SETFL, 0);
    char tick;
    printf("a tick after SIGCONT: %ld\n", (long) read(fd, &tick, 1));
    usleep(20000);
    printf("SIGCHLD code %d status %d\n", chld_code, chld_status);

    /* waitid: WSTOPPED with WNOWAIT leaves the report for the next wait. */
    kill(pid, SIGSTOP);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    show("waitid WSTOPPED|WNOWAIT", waitid(P_PID, pid, &info, WSTOPPED | WNOWAIT));
    printf("waitid: signo %d code %d status %d pid ok %d\n", info.si_signo, info.si_code, info.si_status,
           info.si_pid == pid);
    memset(&info, 0, sizeof info);
    show("waitid WSTOPPED", waitid(P_PID, pid, &info, WSTOPPED));
    printf("waitid: code %d status %d\n", info.si_code, info.si_status);
    memset(&info, 0, sizeof info);
    show("waitid WSTOPPED|WNOHANG", waitid(P_PID, pid, &info, WSTOPPED | WNOHANG));
    printf("waitid: pid %d\n", info.si_pid);

    /* A stopped process still dies of SIGKILL, and SIGTERM waits for SIGCONT. */
    show("SIGTERM to the stopped child", kill(pid, SIGTERM));
    usleep(20000);
    show("waitpid WNOHANG", waitpid(pid, &st, WNOHANG));
    show("SIGCONT", kill(pid, SIGCONT));
    waitpid(pid, &st, 0);
    status("after SIGTERM and SIGCONT", st);
    close(fd);

    pid = ticker(&fd);
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    status("stopped then SIGKILL", st);
    close(fd);

    /*
     * SIGTSTP: a handler runs instead of a stop; SIG_DFL stops; blocked, it waits for the unblock.
     * The child leads a group of its own, which is not orphaned (its parent is in another group of
     * the session), since Linux discards SIGTSTP in an orphaned group.
     */
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGTSTP, on_tstp);
        raise(SIGTSTP);
        raise(SIGTSTP);
        printf("child: handler ran %d times\n", (int) tstp_count);
        fflush(stdout);
        signal(SIGTSTP, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTSTP);
        sigprocmask(SIG_BLOCK, &set, NULL);
        raise(SIGTSTP);
        printf("child: blocked SIGTSTP did not stop it\n");
        fflush(stdout);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        printf("child: continued after the unblock\n");
        fflush(stdout);
        _exit(5);
    }
    setpgid(pid, pid);
    w = waitpid(pid, &st, WUNTRACED);
    status("SIGTSTP child", st);
    kill(pid, SIGCONT);
    waitpid(pid, &st, 0);
    status("SIGTSTP child end", st);

    /* SA_NOCLDSTOP: no SIGCHLD for stops, still one for the exit. */
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    chld_count = 0;
    pid = ticker(&fd);
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    usleep(20000);
    printf("SIGCHLDs with SA_NOCLDSTOP: %d\n", (int) chld_count);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    usleep(20000);
    printf("SIGCHLDs after the kill: %d code %d\n", (int) chld_count, chld_code);
    close(fd);

    /* tgkill to another process's main thread. */
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    usleep(20000);
    show("tgkill SIGUSR1", syscall(SYS_tgkill, pid, pid, SIGUSR1));
    waitpid(pid, &st, 0);
    status("tgkill child", st);
    show("tgkill to no such thread", syscall(SYS_tgkill, pid, pid, SIGUSR1));
    signal(SIGCHLD, SIG_DFL);
}

static void splices(const char *dir) {
    char path[4096], buf[256];
    snprintf(path, sizeof path, "%s/splice-XXXXXX", dir);
    int file = mkstemp(path);
    write(file, "0123456789abcdefghij", 20);
    int p[2], q[2];
    pipe(p);
    pipe(q);
    loff_t off = 5;
    show("splice file->pipe at offset 5", splice(file, &off, p[1], NULL, 8, 0));
    printf("offset now %lld, file position %ld\n", (long long) off, (long) lseek(file, 0, SEEK_CUR));
    show("tee 4", tee(p[0], q[1], 4, 0));
    show("read q", read(q[0], buf, sizeof buf));
    printf("q: %.*s\n", 4, buf);
    show("splice pipe->pipe", splice(p[0], NULL, q[1], NULL, 100, 0));
    memset(buf, 0, sizeof buf);
    show("read q", read(q[0], buf, sizeof buf));
    printf("q: %s\n", buf);
    lseek(file, 0, SEEK_SET);
    show("splice file->pipe at the position", splice(file, NULL, p[1], NULL, 3, 0));
    printf("file position %ld\n", (long) lseek(file, 0, SEEK_CUR));
    off = 18;
    show("splice pipe->file at offset 18", splice(p[0], NULL, file, &off, 100, 0));
    printf("offset now %lld\n", (long long) off);
    memset(buf, 0, sizeof buf);
    pread(file, buf, sizeof buf, 0);
    printf("file: %s\n", buf);
    show("splice empty pipe SPLICE_F_NONBLOCK", splice(p[0], NULL, file, NULL, 10, SPLICE_F_NONBLOCK));
    show("tee empty pipe SPLICE_F_NONBLOCK", tee(p[0], q[1], 10, SPLICE_F_NONBLOCK));
    show("splice file->file", splice(file, NULL, file, NULL, 10, 0));
    show("splice offset on a pipe", splice(p[0], &off, file, NULL, 10, 0));
    show("splice pipe to itself", splice(p[0], NULL, p[1], NULL, 10, 0));
    show("tee pipe to itself", tee(p[0], p[1], 10, 0));
    show("tee file", tee(file, q[1], 10, 0));
    show("splice bad flags", splice(p[0], NULL, file, NULL, 10, 0x100));
    show("splice length 0", splice(p[0], NULL, file, NULL, 0, 0));
    show("splice to the read end", splice(file, NULL, p[0], NULL, 10, 0));
    int appending = open(path, O_WRONLY | O_APPEND);
    write(p[1], "zz", 2);
    show("splice to O_APPEND", splice(p[0], NULL, appending, NULL, 10, 0));
    close(appending);
    close(p[1]);
    show("splice pipe with no writer (2 bytes left)", splice(p[0], NULL, q[1], NULL, 10, 0));
    show("splice at end of file", splice(p[0], NULL, q[1], NULL, 10, 0));
    close(q[0]);
    signal(SIGPIPE, SIG_IGN);
    show("splice to a pipe with no reader", splice(file, &off, q[1], NULL, 10, 0));
    /* A 100 KiB file through a pipe in 64 KiB pieces, as `cat` with splice would. */
    ftruncate(file, 0);
    static char big[100 * 1024];
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = 'a' + i % 26;
    }
    pwrite(file, big, sizeof big, 0);
    pipe(p);
    off = 0;
    long moved = 0;
    int pieces = 0;
    static char back[100 * 1024];
    while (moved < (long) sizeof big) {
        ssize_t in = splice(file, &off, p[1], NULL, sizeof big, 0);
        ssize_t got = 0;
        while (got < in) {
            ssize_t r = read(p[0], back + moved + got, in - got);
            if (r <= 0) {
                break;
            }
            got += r;
        }
        moved += in;
        pieces++;
    }
    printf("moved %ld bytes in %d pieces, same %d\n", moved, pieces, memcmp(big, back, sizeof big) == 0);
    close(file);
    unlink(path);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    stops();
    splices(argc > 1 ? argv[1] : "/tmp");
    return 0;
}
