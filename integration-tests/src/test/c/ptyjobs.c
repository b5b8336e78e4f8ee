/*
 * Controlling terminals and job control on a pseudo-terminal: a session leader's open makes the
 * slave its controlling terminal (not with O_NOCTTY), /dev/tty, tcsetpgrp's errors, SIGTTIN and
 * SIGTTOU for background groups (TOSTOP, ignored or blocked signals, an orphaned group's EIO), a
 * stopped read restarted by SIGCONT, ^C ^Z ^\ and TIOCSIG for the foreground group, SIGWINCH,
 * TIOCNOTTY, TIOCSCTTY (stealing as root), the hang-up when the master closes, SIGHUP for the
 * foreground group when a session leader exits, and SIGHUP and SIGCONT for a stopped group that its
 * parent's exit orphans. Each step waits for the one before through pipes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void status(const char *what, int st) {
    if (WIFSTOPPED(st)) {
        printf("%s: stopped by %d\n", what, WSTOPSIG(st));
    } else if (WIFSIGNALED(st)) {
        printf("%s: killed by %d\n", what, WTERMSIG(st));
    } else {
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    }
}

static void tell(int fd) {
    if (write(fd, "x", 1) != 1) {
        _exit(90);
    }
}

static void await(int fd) {
    char c;
    if (read(fd, &c, 1) != 1) {
        _exit(91);
    }
}

static volatile sig_atomic_t got;
static int report = -1;

static void on_signal(int sig) {
    got = sig;
    if (report >= 0) {
        char c = (char) sig;
        if (write(report, &c, 1) != 1) {
            _exit(92);
        }
    }
}

static void handle(int sig) {
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(sig, &sa, NULL);
}

static char name[64];
static int master = -1;
static int r2l[2], l2r[2];

/* A background child of the leader, in a group of its own, running {@code body}; returns its wait status. */
static int background(int tty, void (*body)(int), int stopped_then_kill) {
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, 0);
        body(tty);
        _exit(0);
    }
    setpgid(c, c);
    int st;
    waitpid(c, &st, WUNTRACED);
    if (stopped_then_kill && WIFSTOPPED(st)) {
        kill(c, SIGKILL);
        int st2;
        waitpid(c, &st2, 0);
    }
    return st;
}

static void bg_read(int tty) {
    char b[16];
    ssize_t n = read(tty, b, sizeof b);
    printf("bg read = %zd %s\n", n, n < 0 ? strerror(errno) : "");
}

static void bg_write(int tty) {
    show("bg write", write(tty, "bg-out\n", 7));
}

static void bg_setattr(int tty) {
    struct termios t;
    tcgetattr(tty, &t);
    show("bg tcsetattr", tcsetattr(tty, TCSANOW, &t));
}

static void bg_read_ignoring(int tty) {
    signal(SIGTTIN, SIG_IGN);
    bg_read(tty);
}

static void bg_setattr_ignoring(int tty) {
    signal(SIGTTOU, SIG_IGN);
    bg_setattr(tty);
}

static void bg_blocking_ttou(int tty) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTTOU);
    sigprocmask(SIG_BLOCK, &s, NULL);
    bg_setattr(tty);
    bg_write(tty);
}

static void leader(void) {
    close(r2l[1]);
    close(l2r[0]);
    close(master);
    show("setsid", setsid() > 0);
    int quiet = open(name, O_RDWR | O_NOCTTY);
    show("/dev/tty without one", open("/dev/tty", O_RDWR));
    int pg;
    show("TIOCGPGRP without one", ioctl(quiet, TIOCGPGRP, &pg));
    int tty = open(name, O_RDWR);
    show("tcgetsid is me", tcgetsid(tty) == getpid());
    show("tcgetpgrp is my group", tcgetpgrp(tty) == getpgrp());
    show("tcgetsid via the other descriptor", tcgetsid(quiet) == getpid());
    int dt = open("/dev/tty", O_RDWR);
    show("/dev/tty", dt >= 0);
    struct stat st;
    fstat(dt, &st);
    printf("/dev/tty rdev %u:%u ttyname %s\n", major(st.st_rdev), minor(st.st_rdev), ttyname(dt));
    show("TIOCSCTTY again", ioctl(tty, TIOCSCTTY, 0));
    show("tcsetpgrp no such", tcsetpgrp(tty, 999999));
    show("tcsetpgrp negative", tcsetpgrp(tty, -1));
    show("tcsetpgrp other session", tcsetpgrp(tty, getppid()));
    struct termios t;
    tcgetattr(tty, &t);
    t.c_lflag = (t.c_lflag & ~ECHO) | NOFLSH;
    tcsetattr(tty, TCSANOW, &t);

    /* Background reads stop on SIGTTIN; SIGCONT after tcsetpgrp restarts the read. */
    pid_t b = fork();
    if (b == 0) {
        setpgid(0, 0);
        char buf[32];
        ssize_t n = read(tty, buf, sizeof buf);
        printf("restarted read = %zd \"%.*s\"\n", n, n > 0 ? (int) n - 1 : 0, buf);
        _exit(0);
    }
    setpgid(b, b);
    int s;
    waitpid(b, &s, WUNTRACED);
    status("background reader", s);
    show("tcsetpgrp to it", tcsetpgrp(tty, b));
    show("tcgetpgrp is it", tcgetpgrp(tty) == b);
    kill(b, SIGCONT);
    tell(l2r[1]); /* R types a line */
    waitpid(b, &s, 0);
    status("reader", s);
    signal(SIGTTOU, SIG_IGN);
    show("tcgetpgrp still the ended group", tcgetpgrp(tty) == b);
    show("tcsetpgrp back (SIGTTOU ignored)", tcsetpgrp(tty, getpgrp()));
    signal(SIGTTOU, SIG_DFL);

    status("bg write", background(tty, bg_write, 1));
    tcgetattr(tty, &t);
    t.c_lflag |= TOSTOP;
    tcsetattr(tty, TCSANOW, &t);
    status("bg write with TOSTOP", background(tty, bg_write, 1));
    status("bg tcsetattr", background(tty, bg_setattr, 1));
    status("bg read, SIGTTIN ignored", background(tty, bg_read_ignoring, 1));
    status("bg tcsetattr, SIGTTOU ignored", background(tty, bg_setattr_ignoring, 1));
    status("bg with SIGTTOU blocked", background(tty, bg_blocking_ttou, 1));

    /* An orphaned group: its read and TOSTOP write are EIO, no signal. */
    int sync[2];
    pipe(sync);
    pid_t o1 = fork();
    if (o1 == 0) {
        setpgid(0, 0);
        pid_t was = getpid();
        pid_t o2 = fork();
        if (o2 == 0) {
            close(sync[0]);
            while (getppid() == was) {
                usleep(1000);
            }
            bg_read(tty);
            bg_write(tty);
            tell(sync[1]);
            _exit(0);
        }
        _exit(0);
    }
    close(sync[1]);
    waitpid(o1, &s, 0);
    await(sync[0]);
    close(sync[0]);
    tcgetattr(tty, &t);
    t.c_lflag &= ~TOSTOP;
    tcsetattr(tty, TCSANOW, &t);

    /* A stopped group orphaned by its parent's exit gets SIGHUP and SIGCONT. */
    int hup[2];
    pipe(hup);
    pid_t p1 = fork();
    if (p1 == 0) {
        pid_t c = fork();
        if (c == 0) {
            setpgid(0, 0);
            close(hup[0]);
            report = hup[1];
            handle(SIGHUP);
            handle(SIGCONT);
            raise(SIGSTOP);
            /* Both handlers have run as it went on. */
            _exit(0);
        }
        setpgid(c, c);
        int cs;
        waitpid(c, &cs, WUNTRACED);
        status("child of the exiting parent", cs);
        _exit(0);
    }
    close(hup[1]);
    waitpid(p1, &s, 0);
    char sigs[2];
    if (read(hup[0], &sigs[0], 1) == 1 && read(hup[0], &sigs[1], 1) == 1) {
        printf("orphaned stopped group got %d then %d\n", sigs[0], sigs[1]);
    }
    close(hup[0]);

    /* The foreground group's signals from the keyboard and from TIOCSIG; SIGWINCH. */
    int f2l[2];
    pipe(f2l);
    pid_t f = fork();
    if (f == 0) {
        setpgid(0, 0);
        close(f2l[0]);
        report = f2l[1];
        handle(SIGINT);
        handle(SIGWINCH);
        tell(f2l[1]);
        for (;;) {
            pause();
        }
    }
    setpgid(f, f);
    close(f2l[1]);
    tcsetpgrp(tty, f);
    await(f2l[0]);
    tell(l2r[1]); /* R types ^C */
    char sig;
    read(f2l[0], &sig, 1);
    printf("foreground got %d\n", sig);
    tell(l2r[1]); /* R sends TIOCSIG SIGINT */
    read(f2l[0], &sig, 1);
    printf("foreground got %d\n", sig);
    tell(l2r[1]); /* R resizes */
    read(f2l[0], &sig, 1);
    printf("foreground got %d\n", sig);
    tell(l2r[1]); /* R types ^Z */
    waitpid(f, &s, WUNTRACED);
    status("foreground", s);
    kill(f, SIGCONT);
    tell(l2r[1]); /* R types ^\ */
    waitpid(f, &s, 0);
    status("foreground", s);
    signal(SIGTTOU, SIG_IGN);
    tcsetpgrp(tty, getpgrp());
    signal(SIGTTOU, SIG_DFL);

    /* TIOCNOTTY by the leader: its foreground group (its own) gets SIGHUP and SIGCONT. */
    handle(SIGHUP);
    show("TIOCNOTTY", ioctl(tty, TIOCNOTTY));
    printf("leader got %d\n", got);
    got = 0;
    show("/dev/tty after TIOCNOTTY", open("/dev/tty", O_RDWR));
    show("tcgetsid after TIOCNOTTY", tcgetsid(tty));
    show("TIOCSCTTY", ioctl(tty, TIOCSCTTY, 0));
    show("tcgetsid is me", tcgetsid(tty) == getpid());
    tell(l2r[1]); /* R's other session steals it */
    await(r2l[0]);
    show("/dev/tty after the steal", open("/dev/tty", O_RDWR));
    show("TIOCSCTTY back", ioctl(tty, TIOCSCTTY, 0));
    tell(l2r[1]); /* R reads the output and closes the master */
    while (got == 0) {
        pause();
    }
    printf("leader got %d\n", got);
    char buf[8];
    show("read after hang-up", read(tty, buf, sizeof buf));
    show("write after hang-up", write(tty, "x", 1));
    show("/dev/tty after hang-up", open("/dev/tty", O_RDWR));
    _exit(0);
}

static void thief(void) {
    setsid();
    int tty = open(name, O_RDWR | O_NOCTTY);
    show("TIOCSCTTY another session's", ioctl(tty, TIOCSCTTY, 0));
    if (geteuid() == 0) {
        show("TIOCSCTTY steal", ioctl(tty, TIOCSCTTY, 1));
        show("tcgetsid is the thief", tcgetsid(tty) == getpid());
    } else {
        printf("TIOCSCTTY steal = 0\ntcgetsid is the thief = 1\n");
    }
    _exit(0);
}

/* A session leader exits: its pty's foreground group gets SIGHUP, and the session loses the pty. */
static void leader_exit(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    strcpy(name, ptsname(m));
    int c2l[2], c2r[2];
    pipe(c2l);
    pipe(c2r);
    pid_t l = fork();
    if (l == 0) {
        close(m);
        close(c2r[0]);
        setsid();
        open(name, O_RDWR);
        pid_t c = fork();
        if (c == 0) {
            close(c2l[0]);
            report = c2r[1];
            handle(SIGHUP);
            tell(c2l[1]);
            while (got == 0) {
                pause();
            }
            char e = open("/dev/tty", O_RDWR) < 0 ? errno : 0;
            write(c2r[1], &e, 1);
            _exit(0);
        }
        close(c2l[1]);
        await(c2l[0]);
        _exit(0);
    }
    close(c2l[0]);
    close(c2l[1]);
    close(c2r[1]);
    int s;
    waitpid(l, &s, 0);
    char sig, e;
    read(c2r[0], &sig, 1);
    printf("member got %d\n", sig);
    read(c2r[0], &e, 1);
    printf("/dev/tty after the leader's exit: %s\n", e ? strerror(e) : "opened");
    close(m);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int m = master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    strcpy(name, ptsname(m));
    pipe(r2l);
    pipe(l2r);
    pid_t l = fork();
    if (l == 0) {
        leader();
    }
    close(r2l[0]);
    close(l2r[1]);
    await(l2r[0]);
    write(m, "typed line\n", 11);
    await(l2r[0]);
    write(m, "\x03", 1);
    await(l2r[0]);
    int sig = SIGINT;
    if (ioctl(m, TIOCSIG, sig) != 0) {
        /* Printed only when it fails: the leader prints meanwhile. */
        show("TIOCSIG", -1);
    }
    await(l2r[0]);
    struct winsize w = {.ws_row = 30, .ws_col = 100};
    ioctl(m, TIOCSWINSZ, &w);
    await(l2r[0]);
    write(m, "\x1a", 1);
    await(l2r[0]);
    write(m, "\x1c", 1);
    await(l2r[0]);
    pid_t t = fork();
    if (t == 0) {
        close(m);
        thief();
    }
    int s;
    waitpid(t, &s, 0);
    tell(r2l[1]);
    await(l2r[0]);
    char out[256];
    int n = 0;
    struct pollfd p = {m, POLLIN, 0};
    while (n < (int) sizeof out && poll(&p, 1, 300) > 0) {
        ssize_t r = read(m, out + n, sizeof out - n);
        if (r <= 0) {
            break;
        }
        n += r;
    }
    printf("master read \"");
    for (int i = 0; i < n; i++) {
        printf(out[i] >= 32 && out[i] < 127 ? "%c" : "\\x%02x", (unsigned char) out[i]);
    }
    printf("\"\n");
    close(m);
    waitpid(l, &s, 0);
    status("leader", s);
    leader_exit();
    return 0;
}
