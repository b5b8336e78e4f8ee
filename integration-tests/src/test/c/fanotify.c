/* fanotify(7): fanotify_init's and fanotify_mark's errors, then the events of changes made in the
 * working directory, read from a group reporting descriptors and from groups reporting file
 * handles, printed symbolically (mask names, the descriptor's file by its name, handles by order of
 * first appearance) so that runs compare byte for byte. Constants are the kernel's, spelt here so
 * that every C library builds it. */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define ACCESS 0x1
#define MODIFY 0x2
#define ATTRIB 0x4
#define CLOSE_WRITE 0x8
#define CLOSE_NOWRITE 0x10
#define OPEN 0x20
#define MOVED_FROM 0x40
#define MOVED_TO 0x80
#define CREATE 0x100
#define DELETE 0x200
#define DELETE_SELF 0x400
#define MOVE_SELF 0x800
#define Q_OVERFLOW 0x4000
#define ON_CHILD 0x08000000
#define RENAME 0x10000000
#define ONDIR 0x40000000

#define CLOEXEC 0x1
#define NONBLOCK 0x2
#define CLASS_CONTENT 0x4
#define REPORT_PIDFD 0x80
#define REPORT_TID 0x100
#define REPORT_FID 0x200
#define REPORT_DIR_FID 0x400
#define REPORT_NAME 0x800
#define REPORT_TARGET_FID 0x1000

#define MARK_ADD 0x1
#define MARK_REMOVE 0x2
#define MARK_ONLYDIR 0x8
#define MARK_MOUNT 0x10
#define MARK_IGNORED_MASK 0x20
#define MARK_FLUSH 0x80
#define MARK_EVICTABLE 0x200
#define MARK_IGNORE 0x400

struct meta {
    uint32_t event_len;
    uint8_t vers, reserved;
    uint16_t metadata_len;
    uint64_t mask __attribute__((aligned(8)));
    int32_t fd, pid;
};

static int init(unsigned flags, unsigned event_flags) {
    return syscall(SYS_fanotify_init, flags, event_flags);
}

static int mark(int fd, unsigned flags, uint64_t mask, int dirfd, const char *path) {
    return syscall(SYS_fanotify_mark, fd, flags, mask, dirfd, path);
}

static void check(const char *what, long rc) {
    if (rc < 0)
        printf("%s: -1 %s\n", what, errname(errno));
    else
        printf("%s: ok\n", what);
}

static const char *names[] = {"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN",
    "MOVED_FROM", "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF", "OPEN_EXEC"};

static void mask_str(uint64_t m, char *out) {
    out[0] = 0;
    for (int i = 0; i < 13; i++)
        if (m & (1u << i)) { strcat(out, names[i]); strcat(out, "|"); }
    if (m & Q_OVERFLOW) strcat(out, "Q_OVERFLOW|");
    if (m & RENAME) strcat(out, "RENAME|");
    if (m & ONDIR) strcat(out, "ONDIR|");
    if (m & ON_CHILD) strcat(out, "ON_CHILD|");
    size_t n = strlen(out);
    if (n) out[n - 1] = 0;
}

/* File handles seen so far, named h1, h2... by first appearance. */
static unsigned char handles[32][64];
static unsigned handle_len[32];
static int nhandles;

static int handle_id(const unsigned char *h, unsigned len) {
    for (int i = 0; i < nhandles; i++)
        if (handle_len[i] == len && memcmp(handles[i], h, len) == 0) return i + 1;
    if (nhandles == 32 || len > 64) return 0;
    memcpy(handles[nhandles], h, len);
    handle_len[nhandles] = len;
    return ++nhandles;
}

static char cwd[4096];
static int only_self;

/* Reads and prints every queued event (non-blocking group). */
static void drain(int fd, const char *what) {
    char buf[8192] __attribute__((aligned(8)));
    printf("-- %s\n", what);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno != EAGAIN) printf("read: %s\n", errname(errno));
            break;
        }
        for (char *p = buf; p < buf + n;) {
            struct meta *e = (struct meta *) p;
            if (only_self && e->pid != getpid()) {
                /* A mount or file-system mark also sees the host's other processes. */
                if (e->fd >= 0) close(e->fd);
                p += e->event_len;
                continue;
            }
            char m[256];
            mask_str(e->mask, m);
            printf("%s vers=%d mlen=%d pid=%s", m, e->vers, e->metadata_len, e->pid == getpid() ? "self" : "other");
            if (e->fd >= 0) {
                char link[64], target[4096];
                snprintf(link, sizeof link, "/proc/self/fd/%d", e->fd);
                ssize_t k = readlink(link, target, sizeof target - 1);
                target[k < 0 ? 0 : k] = 0;
                size_t c = strlen(cwd);
                const char *rel = strncmp(target, cwd, c) == 0 && target[c] == '/' ? target + c + 1 : target;
                int fl = fcntl(e->fd, F_GETFL);
                printf(" fd=%s accmode=%d cloexec=%d", rel, fl & O_ACCMODE, !!(fcntl(e->fd, F_GETFD) & FD_CLOEXEC));
                close(e->fd);
            } else {
                printf(" fd=%d", e->fd);
            }
            for (char *r = p + e->metadata_len; r < p + e->event_len;) {
                uint8_t type = r[0];
                uint16_t len = *(uint16_t *) (r + 2);
                if (type == 4) {
                    printf(" [pidfd]");
                } else {
                    unsigned hb = *(uint32_t *) (r + 12);
                    int id = handle_id((unsigned char *) r + 20, hb);
                    printf(" [%s h%d", type == 1 ? "FID" : type == 2 ? "DFID_NAME" : type == 3 ? "DFID"
                           : type == 10 ? "OLD_DFID_NAME" : type == 12 ? "NEW_DFID_NAME" : "?", id);
                    if (type == 2 || type == 10 || type == 12) printf(" %s", r + 20 + hb);
                    printf("]");
                }
                if (len == 0) break;
                r += len;
            }
            printf("\n");
            p += e->event_len;
        }
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    mkdir("t", 0755);
    chdir("t");
    getcwd(cwd, sizeof cwd);

    printf("== init errors\n");
    check("init(class 0xc)", init(0xc, O_RDONLY));
    check("init(unknown flag)", init(0x80000000, O_RDONLY));
    check("init(PIDFD|TID)", init(REPORT_PIDFD | REPORT_TID, O_RDONLY));
    check("init(event O_ACCMODE)", init(0, O_ACCMODE));
    check("init(event O_CREAT)", init(0, O_CREAT));
    check("init(FID, CONTENT)", init(REPORT_FID | CLASS_CONTENT, O_RDONLY));
    check("init(NAME)", init(REPORT_NAME, O_RDONLY));
    check("init(TARGET_FID|DFID_NAME)", init(REPORT_TARGET_FID | REPORT_DIR_FID | REPORT_NAME, O_RDONLY));

    int fd = init(CLOEXEC | NONBLOCK, O_RDONLY | O_CLOEXEC);
    check("init", fd);
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t k = readlink(link, target, sizeof target - 1);
    target[k < 0 ? 0 : k] = 0;
    printf("link=%s cloexec=%d flags=0%o\n", target, !!(fcntl(fd, F_GETFD) & FD_CLOEXEC), fcntl(fd, F_GETFL) & ~0100000);

    printf("== mark errors\n");
    int pipes[2];
    pipe(pipes);
    close(open("file", O_CREAT | O_WRONLY, 0644));
    check("mark(upper mask)", mark(fd, MARK_ADD, 1ULL << 32 | OPEN, AT_FDCWD, "."));
    check("mark(no command)", mark(fd, 0, OPEN, AT_FDCWD, "."));
    check("mark(ADD|REMOVE)", mark(fd, MARK_ADD | MARK_REMOVE, OPEN, AT_FDCWD, "."));
    check("mark(mask 0)", mark(fd, MARK_ADD, 0, AT_FDCWD, "."));
    check("mark(unknown flag)", mark(fd, MARK_ADD | 0x800000, OPEN, AT_FDCWD, "."));
    check("mark(unknown event)", mark(fd, MARK_ADD, 0x2000, AT_FDCWD, "."));
    check("mark(FLUSH|ONLYDIR)", mark(fd, MARK_FLUSH | MARK_ONLYDIR, 0, AT_FDCWD, "."));
    check("mark(IGNORE|IGNORED_MASK)", mark(fd, MARK_ADD | MARK_IGNORE | MARK_IGNORED_MASK, OPEN, AT_FDCWD, "."));
    check("mark(bad fd)", mark(99, MARK_ADD, OPEN, AT_FDCWD, "."));
    check("mark(not a group)", mark(pipes[0], MARK_ADD, OPEN, AT_FDCWD, "."));
    check("mark(CREATE without FID)", mark(fd, MARK_ADD, CREATE, AT_FDCWD, "."));
    check("mark(EVICTABLE on mount)", mark(fd, MARK_ADD | MARK_MOUNT | MARK_EVICTABLE, OPEN, AT_FDCWD, "."));
    check("mark(missing)", mark(fd, MARK_ADD, OPEN, AT_FDCWD, "missing"));
    check("mark(ONLYDIR file)", mark(fd, MARK_ADD | MARK_ONLYDIR, OPEN, AT_FDCWD, "file"));
    check("mark(NULL path, bad dirfd)", mark(fd, MARK_ADD, OPEN, 99, NULL));
    check("mark(NULL path, AT_FDCWD)", mark(fd, MARK_ADD, OPEN, AT_FDCWD, NULL));
    check("mark(REMOVE unmarked)", mark(fd, MARK_REMOVE, OPEN, AT_FDCWD, "."));
    check("mark(FLUSH)", mark(fd, MARK_FLUSH, 0, AT_FDCWD, "."));

    printf("== descriptor group\n");
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    check("mark(dir by dirfd)", mark(fd, MARK_ADD | MARK_ONLYDIR, OPEN | ACCESS | MODIFY | CLOSE_WRITE | CLOSE_NOWRITE | ON_CHILD,
                                     dfd, NULL));
    check("mark(file)", mark(fd, MARK_ADD, OPEN, AT_FDCWD, "file"));
    struct pollfd pfd = {fd, POLLIN, 0};
    printf("poll before=%d\n", poll(&pfd, 1, 0));
    char buf[64];
    int n = 0;
    ioctl(fd, FIONREAD, &n);
    printf("FIONREAD before=%d\n", n);
    drain(fd, "nothing");
    int w = open("new", O_CREAT | O_WRONLY, 0644);
    write(w, "hello", 5);
    close(w);
    int ready = poll(&pfd, 1, 0);
    printf("poll after=%d revents=%x\n", ready, pfd.revents);
    ioctl(fd, FIONREAD, &n);
    printf("FIONREAD after=%d\n", n);
    char small[8];
    ssize_t got = read(fd, small, sizeof small);
    printf("read(small)=%zd %s\n", got, got < 0 ? errname(errno) : "");
    drain(fd, "create, write, close");
    int r = open("new", O_RDONLY);
    read(r, buf, sizeof buf);
    close(r);
    r = open("file", O_RDONLY);
    close(r);
    drain(fd, "read new, open file");
    r = open(".", O_RDONLY | O_DIRECTORY);
    close(r);
    drain(fd, "open the directory (no ONDIR)");
    check("mark(ignore OPEN of file)", mark(fd, MARK_ADD | MARK_IGNORED_MASK, OPEN, AT_FDCWD, "file"));
    close(open("file", O_RDONLY));
    drain(fd, "open file ignored");
    check("mark(REMOVE dir)", mark(fd, MARK_REMOVE, OPEN | ACCESS | MODIFY | CLOSE_WRITE | CLOSE_NOWRITE | ON_CHILD, dfd, NULL));
    close(open("new", O_RDONLY));
    drain(fd, "after remove");
    close(fd);

    printf("== FID group\n");
    fd = init(REPORT_FID | NONBLOCK, O_RDONLY);
    check("init(FID)", fd);
    check("mark(RENAME without NAME)", mark(fd, MARK_ADD, RENAME, AT_FDCWD, "."));
    check("mark(CREATE on mount)", mark(fd, MARK_ADD | MARK_MOUNT, CREATE, AT_FDCWD, "."));
    check("mark(dir)", mark(fd, MARK_ADD, CREATE | DELETE | MOVED_FROM | MOVED_TO | ATTRIB | MODIFY | CLOSE_WRITE | DELETE_SELF | ONDIR | ON_CHILD,
                            AT_FDCWD, "."));
    w = open("f1", O_CREAT | O_WRONLY, 0644);
    write(w, "x", 1);
    close(w);
    chmod("f1", 0600);
    rename("f1", "f2");
    mkdir("sub", 0755);
    unlink("f2");
    rmdir("sub");
    drain(fd, "create, write, chmod, rename, mkdir, unlink, rmdir");
    close(fd);

    printf("== DFID_NAME group\n");
    nhandles = 0;
    fd = init(REPORT_DIR_FID | REPORT_NAME | NONBLOCK, O_RDONLY);
    check("init(DFID_NAME)", fd);
    check("mark(RENAME on file)", mark(fd, MARK_ADD, RENAME, AT_FDCWD, "file"));
    check("mark(dir)", mark(fd, MARK_ADD, CREATE | DELETE | MOVED_FROM | MOVED_TO | RENAME | ATTRIB | MODIFY | CLOSE_WRITE | ONDIR | ON_CHILD,
                            AT_FDCWD, "."));
    w = open("g1", O_CREAT | O_WRONLY, 0644);
    write(w, "x", 1);
    close(w);
    rename("g1", "g2");
    mkdir("sub", 0755);
    chmod("sub", 0700);
    chmod(".", 0755);
    unlink("g2");
    rmdir("sub");
    drain(fd, "create, write, rename, mkdir, chmod, unlink, rmdir");
    close(fd);

    printf("== DFID_NAME|FID group\n");
    nhandles = 0;
    fd = init(REPORT_DIR_FID | REPORT_NAME | REPORT_FID | NONBLOCK, O_RDONLY);
    check("init(DFID_NAME|FID)", fd);
    check("mark(dir)", mark(fd, MARK_ADD, CREATE | DELETE | MODIFY | CLOSE_WRITE | ONDIR | ON_CHILD, AT_FDCWD, "."));
    w = open("k1", O_CREAT | O_WRONLY, 0644);
    write(w, "x", 1);
    close(w);
    unlink("k1");
    drain(fd, "create, write, unlink");
    close(fd);

    printf("== mount and file-system marks\n");
    nhandles = 0;
    only_self = 1;
    fd = init(NONBLOCK, O_RDWR);
    check("mark(mount)", mark(fd, MARK_ADD | MARK_MOUNT, OPEN | CLOSE_WRITE, AT_FDCWD, "."));
    close(open("file", O_WRONLY));
    drain(fd, "open file for writing");
    check("mark(FLUSH mount)", mark(fd, MARK_FLUSH | MARK_MOUNT, 0, AT_FDCWD, NULL));
    close(open("file", O_WRONLY));
    drain(fd, "after flush");
    close(fd);
    fd = init(REPORT_FID | NONBLOCK, O_RDONLY);
    check("mark(filesystem)", mark(fd, MARK_ADD | 0x100, CREATE | DELETE, AT_FDCWD, "."));
    mkdir("d", 0755);
    close(open("d/inner", O_CREAT | O_WRONLY, 0644));
    unlink("d/inner");
    rmdir("d");
    drain(fd, "create and delete in a subdirectory");
    close(fd);

    only_self = 0;
    printf("== self events\n");
    nhandles = 0;
    fd = init(REPORT_FID | NONBLOCK, O_RDONLY);
    mkdir("s1", 0755);
    close(open("s1/x", O_CREAT | O_WRONLY, 0644));
    check("mark(dir)", mark(fd, MARK_ADD, DELETE_SELF | MOVE_SELF | ATTRIB | ONDIR, AT_FDCWD, "s1"));
    check("mark(file)", mark(fd, MARK_ADD, DELETE_SELF | MOVE_SELF | ATTRIB, AT_FDCWD, "s1/x"));
    rename("s1/x", "s1/y");
    unlink("s1/y");
    rename("s1", "s2");
    rmdir("s2");
    drain(fd, "rename and remove a file and a directory");
    check("mark(REMOVE gone)", mark(fd, MARK_REMOVE, DELETE_SELF, AT_FDCWD, "."));
    close(fd);

    printf("== merging past 128 events\n");
    mkdir("few", 0755);
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "few/%03d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    fd = init(REPORT_FID | NONBLOCK, O_RDONLY);
    check("mark(dir)", mark(fd, MARK_ADD, OPEN | ON_CHILD, AT_FDCWD, "few"));
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 200; i++) {
            char name[32];
            snprintf(name, sizeof name, "few/%03d", i);
            close(open(name, O_RDONLY));
        }
    {
        static char big[65536] __attribute__((aligned(8)));
        ssize_t m = read(fd, big, sizeof big);
        long events = 0;
        for (char *p = big; m > 0 && p < big + m; p += ((struct meta *) p)->event_len) events++;
        printf("events=%ld\n", events);
    }
    for (int i = 0; i < 200; i++) {
        char name[32];
        snprintf(name, sizeof name, "few/%03d", i);
        unlink(name);
    }
    rmdir("few");
    close(fd);

    struct statfs sfs;
    if (statfs(".", &sfs) == 0 && sfs.f_type == 0x01021994) {
    /* The overflow's 16,390 files only on tmpfs, where making them is quick on every backend. */
    printf("== overflow\n");
    fd = init(REPORT_DIR_FID | REPORT_NAME | NONBLOCK, O_RDONLY);
    mkdir("many", 0755);
    check("mark(dir)", mark(fd, MARK_ADD, CREATE, AT_FDCWD, "many"));
    for (int i = 0; i < 16390; i++) {
        char name[32];
        snprintf(name, sizeof name, "many/%05d", i);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    check("mark(REMOVE)", mark(fd, MARK_REMOVE, CREATE, AT_FDCWD, "many"));
    {
        static char big[65536] __attribute__((aligned(8)));
        long events = 0, overflows = 0, nofd = 0;
        for (;;) {
            ssize_t m = read(fd, big, sizeof big);
            if (m <= 0) break;
            for (char *p = big; p < big + m; p += ((struct meta *) p)->event_len) {
                struct meta *e = (struct meta *) p;
                events++;
                if (e->mask & Q_OVERFLOW) { overflows++; nofd += e->fd == -1 && e->event_len == 24; }
            }
        }
        printf("events=%ld overflows=%ld overflow_nofd=%ld\n", events, overflows, nofd);
    }
    for (int i = 0; i < 16390; i++) {
        char name[32];
        snprintf(name, sizeof name, "many/%05d", i);
        unlink(name);
    }
    rmdir("many");
    close(fd);
    }

    printf("== blocking read, another process's events\n");
    fd = init(REPORT_TID, O_RDONLY);
    check("mark(file)", mark(fd, MARK_ADD, OPEN, AT_FDCWD, "file"));
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        close(open("file", O_RDONLY));
        _exit(0);
    }
    char ev[256] __attribute__((aligned(8)));
    ssize_t got2 = read(fd, ev, sizeof ev);
    struct meta *e = (struct meta *) ev;
    printf("read=%zd mask=%llx pid=%s\n", got2, (unsigned long long) e->mask, e->pid == child ? "child" : "other");
    if (e->fd >= 0) close(e->fd);
    waitpid(child, NULL, 0);
    close(fd);

    printf("== unprivileged\n");
    int sync1[2], sync2[2];
    pipe(sync1);
    pipe(sync2);
    child = fork();
    if (child == 0) {
        if (setuid(65534) != 0) { printf("setuid failed\n"); _exit(0); }
        check("init(notif)", init(0, O_RDONLY));
        fd = init(REPORT_FID, O_RDONLY);
        check("init(FID)", fd);
        check("init(FID|UNLIMITED_QUEUE)", init(REPORT_FID | 0x10, O_RDONLY));
        check("mark(mount)", mark(fd, MARK_ADD | MARK_MOUNT, OPEN, AT_FDCWD, "/"));
        check("mark(inode)", mark(fd, MARK_ADD, CREATE, AT_FDCWD, "/"));
        /* An unprivileged group sees another process's events with pid 0, its own with its pid. */
        check("mark(file)", mark(fd, MARK_ADD, OPEN, AT_FDCWD, "file"));
        write(sync1[1], "m", 1);
        char c;
        read(sync2[0], &c, 1);
        close(open("file", O_RDONLY));
        char ev2[512] __attribute__((aligned(8)));
        ssize_t m = read(fd, ev2, sizeof ev2);
        for (char *p = ev2; m > 0 && p < ev2 + m; p += ((struct meta *) p)->event_len) {
            struct meta *e = (struct meta *) p;
            printf("event mask=%llx pid=%s\n", (unsigned long long) e->mask,
                   e->pid == 0 ? "0" : e->pid == getpid() ? "self" : "other");
        }
        _exit(0);
    }
    char c;
    read(sync1[0], &c, 1);
    close(open("file", O_RDONLY));
    write(sync2[1], "o", 1);
    waitpid(child, NULL, 0);

    unlink("file");
    unlink("new");
    chdir("..");
    rmdir("t");
    return 0;
}
