/*
 * Pseudo-terminals: posix_openpt, grantpt, unlockpt, ptsname, TIOCGPTPEER, openpty; the slave's
 * node in /dev/pts (stat, ttyname, /proc/self/fd), its lock; N_TTY's input processing, canonical
 * editing and echo, non-canonical VMIN/VTIME, output processing; IXON, packet mode, window size,
 * the queue ioctls, termios2 and termio; what each end sees when the other closes. Every echo
 * is read to its known length, so that the output does not depend on timing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* The kernel's termios2 and its requests, which the C libraries do not all declare. */
struct ktermios2 {
    unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line, c_cc[19];
    unsigned int c_ispeed, c_ospeed;
};
#define K_TCGETS2 _IOR('T', 0x2A, struct ktermios2)
#define K_TCSETS2 _IOW('T', 0x2B, struct ktermios2)
#define K_BOTHER 0010000
/* The old struct termio (TCGETA, TCSETA), which musl does not declare. */
struct ktermio {
    unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line, c_cc[8];
};

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void escape(const char *b, int n) {
    for (int i = 0; i < n; i++) {
        unsigned char c = b[i];
        if (c >= 32 && c < 127 && c != '\\') {
            putchar(c);
        } else {
            printf("\\x%02x", c);
        }
    }
}

/* Reads {@code n} bytes (or what comes within 3 s) and prints them. */
static void expect(const char *what, int fd, int n) {
    char buf[16384];
    int got = 0;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 3000) <= 0) {
            break;
        }
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            break;
        }
        got += r;
    }
    printf("%s: \"", what);
    escape(buf, got);
    printf("\" (%d)\n", got);
}

/* One read of at most {@code max} bytes, printed. */
static void readonce(const char *what, int fd, int max) {
    char buf[16384];
    ssize_t r = read(fd, buf, max);
    if (r < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    printf("%s: \"", what);
    escape(buf, (int) r);
    printf("\" (%zd)\n", r);
}

static void put(int fd, const char *s) {
    size_t n = strlen(s);
    if (write(fd, s, n) != (ssize_t) n) {
        printf("short write: %s\n", strerror(errno));
    }
}

static int pollfor(int fd, short events, int timeout) {
    struct pollfd p = {fd, events, 0};
    int r = poll(&p, 1, timeout);
    return r < 0 ? -errno : p.revents;
}

static void setlflag(int fd, tcflag_t on, tcflag_t off) {
    struct termios t;
    tcgetattr(fd, &t);
    t.c_lflag = (t.c_lflag | on) & ~off;
    tcsetattr(fd, TCSANOW, &t);
}

static void setiflag(int fd, tcflag_t on, tcflag_t off) {
    struct termios t;
    tcgetattr(fd, &t);
    t.c_iflag = (t.c_iflag | on) & ~off;
    tcsetattr(fd, TCSANOW, &t);
}

static void setoflag(int fd, tcflag_t on, tcflag_t off) {
    struct termios t;
    tcgetattr(fd, &t);
    t.c_oflag = (t.c_oflag | on) & ~off;
    tcsetattr(fd, TCSANOW, &t);
}

static void setcc(int fd, int index, int value) {
    struct termios t;
    tcgetattr(fd, &t);
    t.c_cc[index] = value;
    tcsetattr(fd, TCSANOW, &t);
}

static struct termios initial;

static void reset(int fd) {
    tcsetattr(fd, TCSAFLUSH, &initial);
}

/* Types {@code in} at the master; prints the slave's line and the master's echo of {@code echo} bytes. */
static void typed(const char *what, int m, int s, const char *in, int echo) {
    printf("[%s] ", what);
    put(m, in);
    readonce("line", s, 16384);
    expect("  echo", m, echo);
}

static void node(int m, int s, const char *name) {
    struct stat st, fst;
    show("stat slave", stat(name, &st));
    printf("slave: chr %d mode %o uid-is-me %d gid-is-mine %d major %u ino-is-minor+3 %d\n", S_ISCHR(st.st_mode),
           st.st_mode & 07777, st.st_uid == geteuid(), st.st_gid == getegid(), major(st.st_rdev),
           (unsigned long) st.st_ino == minor(st.st_rdev) + 3);
    fstat(s, &fst);
    printf("fstat matches stat: %d\n", fst.st_dev == st.st_dev && fst.st_ino == st.st_ino && fst.st_rdev == st.st_rdev);
    char *tn = ttyname(s);
    printf("ttyname(slave) is ptsname: %d\n", tn != NULL && strcmp(tn, name) == 0);
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", s);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("fd link is ptsname: %d\n", strcmp(target, name) == 0);
    snprintf(link, sizeof link, "/proc/self/fd/%d", m);
    n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    printf("master fd link: %s\n", target);
    fstat(m, &fst);
    printf("master: chr %d rdev %u:%u\n", S_ISCHR(fst.st_mode), major(fst.st_rdev), minor(fst.st_rdev));
    printf("isatty master %d slave %d\n", isatty(m), isatty(s));
    DIR *d = opendir("/dev/pts");
    int seen = 0, ptmx = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        seen += strcmp(e->d_name, name + 9) == 0;
        ptmx += strcmp(e->d_name, "ptmx") == 0;
    }
    if (d) {
        closedir(d);
    }
    printf("/dev/pts lists it %d, ptmx %d\n", seen, ptmx);
}

static void termios_of(int fd) {
    struct termios t;
    tcgetattr(fd, &t);
    printf("iflag %o oflag %o cflag %o lflag %o ospeed %u cc", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag,
           (unsigned) cfgetospeed(&t));
    for (int i = 0; i < 17; i++) {
        printf(" %d", t.c_cc[i]);
    }
    printf("\n");
}

static void opening(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    show("posix_openpt", m >= 0);
    char name[64];
    strcpy(name, ptsname(m));
    int locked = -1;
    show("TIOCGPTLCK", ioctl(m, TIOCGPTLCK, &locked));
    printf("locked %d\n", locked);
    show("open locked slave", open(name, O_RDWR | O_NOCTTY));
    show("grantpt", grantpt(m));
    show("unlockpt", unlockpt(m));
    ioctl(m, TIOCGPTLCK, &locked);
    printf("locked %d\n", locked);
    int s = open(name, O_RDWR | O_NOCTTY);
    show("open slave", s >= 0);
    unsigned ptn = 99;
    show("TIOCGPTN", ioctl(m, TIOCGPTN, &ptn));
    printf("ptsname matches: %d\n", strcmp(name + 9, "") != 0 && (unsigned) atoi(name + 9) == ptn);
    show("TIOCGPTN on slave", ioctl(s, TIOCGPTN, &ptn));
    show("TIOCGPTPEER on slave", ioctl(s, TIOCGPTPEER, O_RDWR));
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    show("TIOCGPTPEER", peer >= 0);
    struct stat a, b;
    fstat(peer, &a);
    fstat(s, &b);
    printf("peer is the slave: %d\n", a.st_rdev == b.st_rdev && a.st_ino == b.st_ino);
    close(peer);
    node(m, s, name);
    termios_of(s);
    termios_of(m);
    show("TCGETS on a pipe", ({ int p[2]; pipe(p); struct termios t; int r = tcgetattr(p[0], &t); close(p[0]); close(p[1]); r; }));
    /* The slave closes: the master sees POLLHUP and EIO, until the slave opens again. */
    close(s);
    printf("master poll after slave close: %#x\n", pollfor(m, POLLIN | POLLOUT, 0));
    readonce("master read", m, 10);
    s = open(name, O_RDWR | O_NOCTTY);
    printf("master poll after reopen: %#x\n", pollfor(m, POLLIN | POLLOUT, 0));
    /* The master closes: the slave hangs up, its node goes. */
    put(s, "lost\n");
    close(m);
    printf("slave poll after master close: %#x\n", pollfor(s, POLLIN | POLLOUT, 0));
    readonce("slave read", s, 10);
    show("slave write", write(s, "x", 1));
    struct termios t;
    show("slave tcgetattr", tcgetattr(s, &t));
    int queued;
    show("slave FIONREAD", ioctl(s, FIONREAD, &queued));
    struct stat st;
    show("stat of the gone node", stat(name, &st));
    show("reopen", open(name, O_RDWR | O_NOCTTY));
    close(s);
}

static void canonical(int m, int s) {
    reset(s);
    typed("line", m, s, "hello\n", 7);
    typed("cr", m, s, "a\r", 3);
    typed("erase", m, s, "abc\x7f\x7f" "d\n", 12);
    typed("kill", m, s, "abc\x15xy\n", 16);
    typed("werase", m, s, "one two\x17three\n", 23);
    typed("werase punct", m, s, "a.b  \x17x\n", 22);
    typed("lnext", m, s, "a\x16\x7f" "b\n", 8);
    typed("reprint", m, s, "ab\x12" "c\n", 11);
    typed("ctl echo", m, s, "\x01\x02\n", 6);
    typed("erase ctl", m, s, "x\x01\x7f\n", 11);
    typed("tab erase", m, s, "ab\t\x7f" "c\n", 12);
    typed("eof mid-line", m, s, "ab\x04", 2);
    typed("eof at start", m, s, "\x04", 0);
    typed("eof after line", m, s, "z\n", 3);
    /* Two lines at once: each read takes one. */
    put(m, "one\ntwo\n");
    readonce("first", s, 100);
    readonce("second", s, 100);
    expect("  echo", m, 10);
    /* A short read takes part of a line; the rest stays. */
    put(m, "abcdef\n");
    readonce("short", s, 3);
    readonce("rest", s, 100);
    expect("  echo", m, 9);
    /* FIONREAD counts whole lines only. */
    put(m, "partial");
    int n = -1;
    ioctl(s, FIONREAD, &n);
    printf("FIONREAD of a partial line: %d\n", n);
    put(m, "\nnext\n");
    readonce("line", s, 100);
    ioctl(s, FIONREAD, &n);
    printf("FIONREAD of a line: %d\n", n);
    readonce("line", s, 100);
    expect("  echo", m, 15);
    ioctl(s, TIOCOUTQ, &n);
    printf("TIOCOUTQ: %d\n", n);
    /* VEOL and VEOL2 end lines too. */
    setcc(s, VEOL, '!');
    setcc(s, VEOL2, '?');
    typed("veol", m, s, "ab!", 3);
    typed("veol2", m, s, "cd?", 3);
    reset(s);
    /* Echo variants. */
    setlflag(s, ECHOPRT, ECHOE);
    typed("echoprt", m, s, "abc\x7f\x7f" "d\n", 10);
    reset(s);
    setlflag(s, 0, ECHOKE);
    typed("kill without echoke", m, s, "abc\x15" "d\n", 10);
    setlflag(s, 0, ECHOK);
    typed("kill without echok", m, s, "abc\x15" "d\n", 8);
    reset(s);
    setlflag(s, 0, ECHOE);
    typed("erase without echoe", m, s, "ab\x7f\n", 6);
    reset(s);
    setlflag(s, 0, ECHOCTL);
    typed("no echoctl", m, s, "\x01\n", 3);
    reset(s);
    setlflag(s, ECHONL, ECHO);
    typed("echonl without echo", m, s, "quiet\n", 2);
    reset(s);
    setlflag(s, 0, ECHO);
    typed("no echo", m, s, "quiet\n", 0);
    reset(s);
    setiflag(s, IUTF8, 0);
    typed("utf8 erase", m, s, "\xc3\xa9\xe2\x82\xac\x7f\n", 13);
    setiflag(s, 0, IUTF8);
    typed("byte erase", m, s, "\xc3\xa9\x7f\n", 9);
    reset(s);
    /* A line longer than the buffer: the rest of it is lost, its newline kept. */
    char big[5002];
    memset(big, 'a', 5000);
    big[5000] = '\n';
    big[5001] = 0;
    setlflag(s, 0, ECHO);
    put(m, big);
    char *line = malloc(8192);
    ssize_t got = read(s, line, 8192);
    printf("long line: %zd bytes, last %#x\n", got, got > 0 ? line[got - 1] : 0);
    free(line);
    reset(s);
}

static void input_flags(int m, int s) {
    reset(s);
    setlflag(s, 0, ECHO);
    setiflag(s, IGNCR, 0);
    typed("igncr", m, s, "a\rb\n", 0);
    setiflag(s, INLCR, IGNCR);
    put(m, "x\ry\n\x04");
    readonce("inlcr", s, 100);
    readonce("inlcr", s, 100);
    reset(s);
    setlflag(s, 0, ECHO);
    setiflag(s, ISTRIP, 0);
    typed("istrip", m, s, "\xc1\xe2\n", 0);
    reset(s);
    setlflag(s, 0, ECHO);
    setiflag(s, PARMRK, 0);
    typed("parmrk", m, s, "a\xff" "b\n", 0);
    reset(s);
    setlflag(s, 0, ECHO);
    setiflag(s, 0, ICRNL);
    setcc(s, VEOL, '\r');
    typed("no icrnl", m, s, "a\r", 0);
    reset(s);
}

static void raw(int m, int s) {
    struct termios t = initial;
    cfmakeraw(&t);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    readonce("min 0 time 0, empty", s, 10);
    put(m, "abc");
    printf("poll: %#x\n", pollfor(s, POLLIN, 3000));
    readonce("min 0 time 0", s, 10);
    t.c_cc[VTIME] = 1;
    tcsetattr(s, TCSANOW, &t);
    readonce("min 0 time 1, empty", s, 10);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    put(m, "xy");
    printf("poll with 2 of min 3: %#x\n", pollfor(s, POLLIN, 100));
    put(m, "z");
    printf("poll with 3: %#x\n", pollfor(s, POLLIN, 3000));
    readonce("min 3", s, 10);
    t.c_cc[VMIN] = 5;
    t.c_cc[VTIME] = 1;
    tcsetattr(s, TCSANOW, &t);
    put(m, "pq");
    readonce("min 5 time 1, two bytes", s, 10);
    /* Raw: no signals, no translation, no echo; output passed as it is. */
    put(m, "\x03\r\x7f");
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 0;
    tcsetattr(s, TCSANOW, &t);
    readonce("raw bytes", s, 10);
    put(s, "a\nb");
    expect("raw output", m, 3);
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    readonce("nonblocking empty", s, 10);
    fcntl(s, F_SETFL, fl);
    reset(s);
    /* Canonical again: what raw mode left is one line. */
    t.c_cc[VMIN] = 1;
    tcsetattr(s, TCSANOW, &t);
    put(m, "left");
    printf("poll raw: %#x\n", pollfor(s, POLLIN, 3000));
    tcsetattr(s, TCSANOW, &initial);
    printf("FIONREAD after the switch: %d\n", ({ int n = -1; ioctl(s, FIONREAD, &n); n; }));
    readonce("switched", s, 10);
    int fl2 = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl2 | O_NONBLOCK);
    put(m, "no newline");
    expect("  echo", m, 10);
    readonce("nonblocking partial line", s, 10);
    fcntl(s, F_SETFL, fl2);
    tcflush(s, TCIFLUSH);
}

static void output(int m, int s) {
    reset(s);
    put(s, "a\nb\n");
    expect("onlcr", m, 6);
    setoflag(s, OCRNL, ONLCR);
    put(s, "a\rb\n");
    expect("ocrnl", m, 4);
    reset(s);
    setoflag(s, ONOCR, 0);
    put(s, "\rab\r\n");
    expect("onocr", m, 6);
    reset(s);
    setoflag(s, TAB3, 0);
    put(s, "a\tbc\tx\n");
    expect("xtabs", m, 19);
    reset(s);
    setoflag(s, OLCUC, 0);
    put(s, "Hi\n");
    expect("olcuc", m, 4);
    reset(s);
    setoflag(s, 0, OPOST);
    put(s, "a\nb\n");
    expect("no opost", m, 4);
    reset(s);
}

static void flow(int m, int s) {
    reset(s);
    setlflag(s, 0, ECHO);
    put(m, "\x13" "x\n");
    readonce("after ^S", s, 10);
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    show("write while stopped", write(s, "held", 4));
    printf("poll while stopped: %#x\n", pollfor(s, POLLOUT, 0));
    fcntl(s, F_SETFL, fl);
    put(m, "\x11" "y\n");
    readonce("after ^Q", s, 10);
    put(s, "go\n");
    expect("output", m, 4);
    /* IXANY: any character restarts. */
    setiflag(s, IXANY, 0);
    put(m, "\x13" "a\n");
    readonce("stopped", s, 10);
    put(m, "b\n");
    readonce("any key", s, 10);
    put(s, "ok\n");
    expect("output", m, 4);
    /* Without IXON ^S is a character. */
    setiflag(s, 0, IXON | IXANY);
    put(m, "\x13\n");
    readonce("no ixon", s, 10);
    /* TCXONC on the slave: its output held and let go. */
    show("tcflow TCOOFF", tcflow(s, TCOOFF));
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    show("write after TCOOFF", write(s, "held", 4));
    fcntl(s, F_SETFL, fl);
    show("tcflow TCOON", tcflow(s, TCOON));
    put(s, "on\n");
    expect("output", m, 4);
    show("tcflow TCIOFF", tcflow(s, TCIOFF));
    expect("stop char", m, 1);
    show("tcflow bad", ioctl(s, TCXONC, 9));
    reset(s);
}

static void packet(int m, int s) {
    reset(s);
    int on = 1, got = -1;
    show("TIOCPKT", ioctl(m, TIOCPKT, &on));
    ioctl(m, TIOCGPKT, &got);
    printf("TIOCGPKT %d\n", got);
    put(s, "data");
    expect("packet data", m, 5);
    show("tcflush slave in", tcflush(s, TCIFLUSH));
    readonce("flushread", m, 10);
    show("tcflush slave out", tcflush(s, TCOFLUSH));
    readonce("flushwrite", m, 10);
    setlflag(s, 0, ECHO);
    put(m, "\x13" "x\n");
    readonce("stopped", s, 10);
    readonce("stop status", m, 10);
    put(m, "\x11" "y\n");
    readonce("started", s, 10);
    readonce("start status", m, 10);
    setiflag(s, 0, IXON);
    readonce("nostop status", m, 10);
    on = 0;
    ioctl(m, TIOCPKT, &on);
    show("TIOCPKT on slave", ioctl(s, TIOCPKT, &on));
    reset(s);
}

static void sizes_and_more(int m, int s) {
    struct winsize w = {0}, r;
    ioctl(s, TIOCGWINSZ, &r);
    printf("initial size %dx%d\n", r.ws_row, r.ws_col);
    w.ws_row = 24;
    w.ws_col = 80;
    w.ws_xpixel = 640;
    show("TIOCSWINSZ on master", ioctl(m, TIOCSWINSZ, &w));
    ioctl(s, TIOCGWINSZ, &r);
    printf("slave size %dx%d %dx%d\n", r.ws_row, r.ws_col, r.ws_xpixel, r.ws_ypixel);
    w.ws_row = 50;
    show("TIOCSWINSZ on slave", ioctl(s, TIOCSWINSZ, &w));
    ioctl(m, TIOCGWINSZ, &r);
    printf("master size %dx%d\n", r.ws_row, r.ws_col);
    /* termios2: an arbitrary rate. */
    struct ktermios2 t2;
    show("TCGETS2", ioctl(s, K_TCGETS2, &t2));
    printf("speeds %u %u\n", t2.c_ispeed, t2.c_ospeed);
    t2.c_cflag = (t2.c_cflag & ~CBAUD) | K_BOTHER;
    t2.c_ispeed = t2.c_ospeed = 12345;
    show("TCSETS2", ioctl(s, K_TCSETS2, &t2));
    ioctl(s, K_TCGETS2, &t2);
    printf("speeds %u %u cbaud %o\n", t2.c_ispeed, t2.c_ospeed, t2.c_cflag & CBAUD);
    struct termios t;
    tcgetattr(s, &t);
    cfsetospeed(&t, B9600);
    cfsetispeed(&t, B9600);
    tcsetattr(s, TCSANOW, &t);
    ioctl(s, K_TCGETS2, &t2);
    printf("after B9600: speeds %u %u\n", t2.c_ispeed, t2.c_ospeed);
    /* A pty is 8 bits without parity, whatever is asked. */
    t.c_cflag = (t.c_cflag & ~CSIZE) | CS7 | PARENB;
    tcsetattr(s, TCSANOW, &t);
    tcgetattr(s, &t);
    printf("cflag after CS7|PARENB: %o\n", t.c_cflag);
    /* termio: the low 16 bits. */
    struct ktermio old;
    show("TCGETA", ioctl(s, TCGETA, &old));
    printf("termio lflag %o cc %d %d\n", old.c_lflag, old.c_cc[VINTR], old.c_cc[VMIN]);
    old.c_lflag &= ~ECHO;
    show("TCSETA", ioctl(s, TCSETA, &old));
    tcgetattr(s, &t);
    printf("echo after TCSETA: %d\n", !!(t.c_lflag & ECHO));
    int d = -1;
    show("TIOCGETD", ioctl(s, TIOCGETD, &d));
    printf("ldisc %d\n", d);
    d = 0;
    show("TIOCSETD N_TTY", ioctl(s, TIOCSETD, &d));
    show("TIOCEXCL", ioctl(s, TIOCEXCL));
    show("TIOCGEXCL", ioctl(s, TIOCGEXCL, &d));
    printf("exclusive %d\n", d);
    show("TIOCNXCL", ioctl(s, TIOCNXCL));
    show("tcdrain", tcdrain(s));
    show("tcsendbreak", tcsendbreak(s, 0));
    show("TCFLSH bad", ioctl(s, TCFLSH, 7));
    show("unknown tty ioctl", ioctl(s, 0x54ff, 0));
    show("TIOCGPGRP not ctty", ioctl(s, TIOCGPGRP, &d));
    show("TIOCGSID not ctty", ioctl(s, TIOCGSID, &d));
    show("TIOCNOTTY not ctty", ioctl(s, TIOCNOTTY));
    show("TIOCGPGRP on master", ioctl(m, TIOCGPGRP, &d));
    printf("pgrp %d\n", d);
    show("TIOCGSID on master", ioctl(m, TIOCGSID, &d));
    reset(s);
    /* TIOCSTI: root may push input into any terminal. */
    if (geteuid() == 0) {
        char c = 'q';
        show("TIOCSTI", ioctl(s, TIOCSTI, &c));
        c = '\n';
        ioctl(s, TIOCSTI, &c);
        readonce("pushed", s, 10);
        expect("  echo", m, 3);
    }
    /* openpty with settings and a size. */
    struct termios want = initial;
    want.c_lflag &= ~ECHO;
    struct winsize ws = {.ws_row = 10, .ws_col = 20};
    int m2, s2;
    show("openpty", openpty(&m2, &s2, NULL, &want, &ws));
    tcgetattr(s2, &t);
    ioctl(s2, TIOCGWINSZ, &r);
    printf("openpty echo %d size %dx%d\n", !!(t.c_lflag & ECHO), r.ws_row, r.ws_col);
    close(s2);
    close(m2);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGTTOU, SIG_IGN);
    opening();
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    tcgetattr(s, &initial);
    canonical(m, s);
    input_flags(m, s);
    raw(m, s);
    output(m, s);
    flow(m, s);
    packet(m, s);
    sizes_and_more(m, s);
    close(s);
    close(m);
    return 0;
}
