/* Landlock (landlock_create_ruleset, landlock_add_rule, landlock_restrict_self): the ABI version,
 * each bad argument's errno, and a restriction's effect from forked children: opens, reads,
 * writes, mkdir, unlink, rename, link, truncate and exec inside and outside a directory a rule
 * allows, layers stacking up to 16, inheritance by a child, reparenting with and without REFER,
 * TCP ports. Run in the working directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <pthread.h>
#include <termios.h>
#include <unistd.h>
#include "errname.h"

/* linux/landlock.h of Linux 6.15 (the C libraries' headers may be older). */
struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};
struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));
struct ll_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};
#define LANDLOCK_CREATE_RULESET_VERSION 1
#define LANDLOCK_RULE_PATH_BENEATH 1
#define LANDLOCK_RULE_NET_PORT 2
#define LANDLOCK_ACCESS_FS_EXECUTE (1ULL << 0)
#define LANDLOCK_ACCESS_FS_WRITE_FILE (1ULL << 1)
#define LANDLOCK_ACCESS_FS_READ_FILE (1ULL << 2)
#define LANDLOCK_ACCESS_FS_READ_DIR (1ULL << 3)
#define LANDLOCK_ACCESS_FS_REMOVE_DIR (1ULL << 4)
#define LANDLOCK_ACCESS_FS_REMOVE_FILE (1ULL << 5)
#define LANDLOCK_ACCESS_FS_MAKE_DIR (1ULL << 7)
#define LANDLOCK_ACCESS_FS_MAKE_REG (1ULL << 8)
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

#define FS_ALL ((1ULL << 16) - 1)
#define R LANDLOCK_ACCESS_FS_READ_FILE
#define W LANDLOCK_ACCESS_FS_WRITE_FILE
#define X LANDLOCK_ACCESS_FS_EXECUTE

static long create(void *attr, size_t size, unsigned flags) {
    return syscall(SYS_landlock_create_ruleset, attr, size, flags);
}
static long add(int fd, int type, void *attr, unsigned flags) {
    return syscall(SYS_landlock_add_rule, fd, type, attr, flags);
}
static long restrict_self(int fd, unsigned flags) {
    return syscall(SYS_landlock_restrict_self, fd, flags);
}

static void show(const char *what, long rc) {
    if (rc < 0) {
        printf("%-44s %s\n", what, errname(errno));
    } else {
        printf("%-44s %ld\n", what, rc);
    }
}

static void result(const char *what, long rc) {
    show(what, rc < 0 ? rc : 0);
}

/* A ruleset handling fs (and net) accesses; fd >= 0 or exit. */
static int ruleset(uint64_t fs, uint64_t net) {
    struct ll_ruleset_attr a = {.handled_access_fs = fs, .handled_access_net = net};
    long fd = create(&a, sizeof a, 0);
    if (fd < 0) {
        show("ruleset", fd);
        exit(1);
    }
    return fd;
}

static void allow(int rs, const char *path, uint64_t access) {
    struct ll_path_beneath_attr pb = {.allowed_access = access};
    pb.parent_fd = open(path, O_PATH);
    long rc = add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    if (rc != 0) {
        show(path, rc);
    }
    close(pb.parent_fd);
}

static void enforce(int rs) {
    if (restrict_self(rs, 0) != 0) {
        show("restrict_self", -1);
        exit(1);
    }
    close(rs);
}

static void try_open(const char *path, int flags) {
    char what[80];
    snprintf(what, sizeof what, "open %s %s", path,
            (flags & O_ACCMODE) == O_RDONLY ? "r" : (flags & O_ACCMODE) == O_WRONLY ? "w" : "rw");
    int fd = open(path, flags, 0644);
    result(what, fd);
    if (fd >= 0) {
        char buf[16] = {0};
        if ((flags & O_ACCMODE) == O_RDONLY && !(flags & O_DIRECTORY)) {
            ssize_t n = read(fd, buf, sizeof buf - 1);
            printf("  read %zd '%s'\n", n, n > 0 ? buf : "");
        }
        close(fd);
    }
}

static void try_exec(const char *path) {
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *) path, "exec", NULL};
        execv(path, argv);
        printf("exec %-39s %s\n", path, errname(errno));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
}

static void child(void (*body)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body();
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("-- child status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void arguments(void) {
    show("version", create(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION));
    show("errata", create(NULL, 0, 2));
    struct ll_ruleset_attr a = {.handled_access_fs = R};
    show("version with attr", create(&a, 0, LANDLOCK_CREATE_RULESET_VERSION));
    show("version with size", create(NULL, 8, LANDLOCK_CREATE_RULESET_VERSION));
    show("unknown flag", create(NULL, 0, 4));
    show("null attr", create(NULL, 8, 0));
    show("null attr size 0", create(NULL, 0, 0));
    show("size 7", create(&a, 7, 0));
    show("size 0", create(&a, 0, 0));
    show("fs bit 16", create(&(struct ll_ruleset_attr){.handled_access_fs = 1ULL << 16}, 24, 0));
    show("net bit 2", create(&(struct ll_ruleset_attr){.handled_access_net = 4}, 24, 0));
    show("scope bit 2", create(&(struct ll_ruleset_attr){.scoped = 4}, 24, 0));
    show("empty", create(&(struct ll_ruleset_attr){0}, 24, 0));
    show("empty size 8", create(&(struct ll_ruleset_attr){0}, 8, 0));
    uint64_t big[5] = {R, 0, 0, 0, 0};
    long fd = create(big, sizeof big, 0);
    result("zero tail", fd);
    close(fd);
    big[4] = 1;
    show("non-zero tail", create(big, sizeof big, 0));
    big[4] = 0;
    big[0] = 0;
    big[2] = LANDLOCK_SCOPE_SIGNAL;
    fd = create(big, 24, 0);
    result("scoped only", fd);
    close(fd);
    show("size 16, net only", create(&(struct ll_ruleset_attr){.handled_access_net = 1}, 16, 0));

    int rs = ruleset(R | LANDLOCK_ACCESS_FS_READ_DIR, LANDLOCK_ACCESS_NET_BIND_TCP);
    printf("cloexec %d\n", fcntl(rs, F_GETFD));
    char link[64], target[64] = {0};
    snprintf(link, sizeof link, "/proc/self/fd/%d", rs);
    result("readlink", readlink(link, target, sizeof target - 1));
    printf("  %s\n", target);
    char buf[8];
    show("read ruleset", read(rs, buf, sizeof buf));
    show("write ruleset", write(rs, buf, sizeof buf));
    struct stat st;
    result("fstat ruleset", fstat(rs, &st));
    printf("  mode %o\n", st.st_mode);

    int dir = open(".", O_PATH | O_DIRECTORY);
    int file = open("ll-in/f", O_RDONLY);
    int pipes[2];
    if (pipe(pipes) != 0) return;
    struct ll_path_beneath_attr pb = {.allowed_access = R, .parent_fd = dir};
    show("add_rule flags", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 1));
    show("add_rule bad fd", add(-1, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    show("add_rule closed fd", add(999, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    show("add_rule file fd", add(file, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    show("add_rule type 0", add(rs, 0, &pb, 0));
    show("add_rule type 3", add(rs, 3, &pb, 0));
    show("add_rule null attr", add(rs, LANDLOCK_RULE_PATH_BENEATH, NULL, 0));
    pb.allowed_access = 0;
    show("add_rule no access", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.allowed_access = W;
    show("add_rule unhandled access", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.allowed_access = R;
    pb.parent_fd = -1;
    show("add_rule parent -1", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.parent_fd = rs;
    show("add_rule parent ruleset", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.parent_fd = pipes[0];
    show("add_rule parent pipe", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.parent_fd = file;
    show("add_rule file read", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.allowed_access = LANDLOCK_ACCESS_FS_READ_DIR;
    show("add_rule file read_dir", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    pb.parent_fd = dir;
    show("add_rule dir read_dir", add(rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0));
    struct ll_net_port_attr np = {.allowed_access = LANDLOCK_ACCESS_NET_BIND_TCP, .port = 8080};
    show("add_rule port", add(rs, LANDLOCK_RULE_NET_PORT, &np, 0));
    np.port = 65536;
    show("add_rule port 65536", add(rs, LANDLOCK_RULE_NET_PORT, &np, 0));
    np.port = 80;
    np.allowed_access = LANDLOCK_ACCESS_NET_CONNECT_TCP;
    show("add_rule port unhandled", add(rs, LANDLOCK_RULE_NET_PORT, &np, 0));
    np.allowed_access = 0;
    show("add_rule port no access", add(rs, LANDLOCK_RULE_NET_PORT, &np, 0));
    show("add_rule port null", add(rs, LANDLOCK_RULE_NET_PORT, NULL, 0));

    show("restrict flags 8", restrict_self(rs, 8));
    show("restrict bad fd", restrict_self(-1, 0));
    show("restrict file fd", restrict_self(file, 0));
    show("restrict -1 log flag", restrict_self(-1, 1));
    close(dir);
    close(file);
    close(pipes[0]);
    close(pipes[1]);
    close(rs);
}

static void basic(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int rs = ruleset(FS_ALL, 0);
    allow(rs, "ll-in", R | W | X | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_MAKE_REG
            | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR
            | LANDLOCK_ACCESS_FS_TRUNCATE);
    allow(rs, "ll-out/f2", R);
    enforce(rs);
    try_open("ll-in/f", O_RDONLY);
    try_open("ll-out/f", O_RDONLY);
    try_open("ll-out/f2", O_RDONLY);
    try_open("ll-out/f2", O_WRONLY);
    try_open("ll-in/f", O_RDWR);
    try_open("ll-out/f", O_WRONLY);
    try_open("ll-in", O_RDONLY | O_DIRECTORY);
    try_open(".", O_RDONLY | O_DIRECTORY);
    try_open("ll-out", O_RDONLY | O_DIRECTORY);
    int p = open("ll-out/f", O_PATH);
    result("open ll-out/f O_PATH", p);
    close(p);
    struct stat st;
    result("stat ll-out/f", stat("ll-out/f", &st));
    result("access ll-out/f", access("ll-out/f", R_OK));
    result("mkdir ll-in/d", mkdir("ll-in/d", 0755));
    result("mkdir ll-out/d", mkdir("ll-out/d", 0755));
    result("rmdir ll-in/d", rmdir("ll-in/d"));
    try_open("ll-in/new", O_WRONLY | O_CREAT);
    try_open("ll-out/new", O_WRONLY | O_CREAT);
    result("unlink ll-in/new", unlink("ll-in/new"));
    result("unlink ll-out/f", unlink("ll-out/f"));
    result("rename in/f in/g", rename("ll-in/f", "ll-in/g"));
    result("rename in/g in/f", rename("ll-in/g", "ll-in/f"));
    result("rename in/f out/f3", rename("ll-in/f", "ll-out/f3"));
    result("rename in/f in/sub/f", rename("ll-in/f", "ll-in/sub/f"));
    result("rename out/f out/f3", rename("ll-out/f", "ll-out/f3"));
    result("link in/f in/h", link("ll-in/f", "ll-in/h"));
    result("unlink in/h", unlink("ll-in/h"));
    result("link in/f in/sub/h", link("ll-in/f", "ll-in/sub/h"));
    result("symlink in/s", symlink("f", "ll-in/s"));
    result("mkfifo in/p", mkfifo("ll-in/p", 0644));
    result("truncate in/f", truncate("ll-in/f", 3));
    result("truncate out/f", truncate("ll-out/f", 3));
    try_open("ll-in/f", O_RDONLY);
    try_open("ll-out/f", O_WRONLY | O_TRUNC);
    try_exec("ll-out/prog");
    try_exec("ll-in/prog");
}

static void layers(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int rs = ruleset(R, 0);
    allow(rs, "ll-in", R);
    enforce(rs);
    try_open("ll-in/f", O_RDONLY);
    try_open("ll-out/f", O_RDONLY);
    rs = ruleset(R, 0);
    allow(rs, "ll-out", R);
    enforce(rs);
    try_open("ll-in/f", O_RDONLY);
    try_open("ll-out/f", O_RDONLY);
    int n = 2;
    for (;;) {
        rs = ruleset(W, 0);
        long rc = restrict_self(rs, 0);
        close(rs);
        if (rc != 0) {
            show("layer", rc);
            break;
        }
        n++;
    }
    printf("layers %d\n", n);
}

static void grandchild(void) {
    try_open("ll-in/f", O_RDONLY);
    try_open("ll-out/f", O_RDONLY);
}

static void inherit(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int rs = ruleset(R, 0);
    allow(rs, "ll-in", R);
    enforce(rs);
    child(grandchild);
}

static void refer(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int rs = ruleset(FS_ALL, 0);
    allow(rs, "ll-in", FS_ALL);
    allow(rs, "ll-out", FS_ALL & ~LANDLOCK_ACCESS_FS_REFER);
    enforce(rs);
    result("rename in/f in/sub/f", rename("ll-in/f", "ll-in/sub/f"));
    result("rename in/sub/f in/f", rename("ll-in/sub/f", "ll-in/f"));
    result("link in/f in/sub/h", link("ll-in/f", "ll-in/sub/h"));
    result("unlink in/sub/h", unlink("ll-in/sub/h"));
    result("rename in/f out/f", rename("ll-in/f", "ll-out/f9"));
}

static void privileges(void) {
    int rs = ruleset(R, 0);
    result("restrict as root", restrict_self(rs, 0));
    if (setuid(65534) != 0) {
        show("setuid", -1);
    }
    result("restrict without no_new_privs", restrict_self(rs, 0));
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    result("restrict with no_new_privs", restrict_self(rs, 0));
}

static void truncation(void) {
    int before = open("ll-out/f", O_WRONLY);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int rs = ruleset(R | W | LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV, 0);
    allow(rs, "ll-in", R | W);
    allow(rs, "ll-out", R | W | LANDLOCK_ACCESS_FS_TRUNCATE);
    allow(rs, "/dev/null", R | W);
    allow(rs, "/dev/zero", R | W | LANDLOCK_ACCESS_FS_IOCTL_DEV);
    enforce(rs);
    int in = open("ll-in/f", O_RDWR);
    int out = open("ll-out/f", O_RDWR);
    int ro = open("ll-in/f", O_RDONLY);
    result("ftruncate before", ftruncate(before, 5));
    result("ftruncate in", ftruncate(in, 4));
    result("ftruncate out", ftruncate(out, 4));
    result("ftruncate read-only in", ftruncate(ro, 4));
    try_open("ll-in/f", O_WRONLY | O_TRUNC);
    try_open("ll-out/f", O_WRONLY | O_TRUNC);
    result("truncate in", truncate("ll-in/f", 2));
    int null = open("/dev/null", O_RDWR);
    int zero = open("/dev/zero", O_RDWR);
    struct termios tio;
    int n;
    result("TCGETS /dev/null", ioctl(null, TCGETS, &tio));
    result("TCGETS /dev/zero", ioctl(zero, TCGETS, &tio));
    result("FIONREAD /dev/null", ioctl(null, FIONREAD, &n));
    result("FIOCLEX /dev/null", ioctl(null, FIOCLEX));
    result("TCGETS ll-in/f", ioctl(in, TCGETS, &tio));
}

static void *restricting(void *arg) {
    (void) arg;
    int rs = ruleset(R, 0);
    enforce(rs);
    try_open("ll-in/f", O_RDONLY);
    return NULL;
}

static void threads(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    pthread_t th;
    pthread_create(&th, NULL, restricting, NULL);
    pthread_join(th, NULL);
    try_open("ll-in/f", O_RDONLY);
}

static void order(void) {
    if (setuid(65534) != 0) {
        show("setuid", -1);
    }
    show("restrict flags 8 without no_new_privs", restrict_self(-1, 8));
    show("restrict -1 without no_new_privs", restrict_self(-1, 4));
}

static void ports(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    int rs = ruleset(0, LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP);
    struct ll_net_port_attr np = {.allowed_access = LANDLOCK_ACCESS_NET_BIND_TCP, .port = 47391};
    show("add_rule port", add(rs, LANDLOCK_RULE_NET_PORT, &np, 0));
    enforce(rs);
    try_open("ll-out/f", O_RDONLY);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_port = htons(47392);
    result("bind 47392", bind(s, (struct sockaddr *) &sa, sizeof sa));
    sa.sin_port = htons(47391);
    result("bind 47391", bind(s, (struct sockaddr *) &sa, sizeof sa));
    result("listen", listen(s, 1));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    result("connect 47391", connect(c, (struct sockaddr *) &sa, sizeof sa));
    close(c);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    sa.sin_port = htons(47393);
    result("udp bind 47393", bind(u, (struct sockaddr *) &sa, sizeof sa));
    close(u);
    close(s);
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) {
        exit(2);
    }
    close(fd);
}

static void copy_self(const char *path) {
    int in = open("/proc/self/exe", O_RDONLY);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, n) != n) {
            exit(2);
        }
    }
    close(in);
    close(out);
}

static void setup(void) {
    system("rm -rf ll-in ll-out");
    mkdir("ll-in", 0755);
    mkdir("ll-in/sub", 0755);
    mkdir("ll-out", 0755);
    put("ll-in/f", "inside");
    put("ll-out/f", "outside");
    put("ll-out/f2", "rule on file");
    copy_self("ll-in/prog");
    copy_self("ll-out/prog");
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        printf("exec'd %s\n", argv[0]);
        try_open("ll-in/f", O_RDONLY);
        try_open("ll-out/f", O_RDONLY);
        return 0;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    setup();
    arguments();
    child(basic);
    setup();
    child(layers);
    child(inherit);
    child(refer);
    setup();
    child(privileges);
    child(ports);
    setup();
    child(truncation);
    child(threads);
    child(order);
    system("rm -rf ll-in ll-out");
    return 0;
}
