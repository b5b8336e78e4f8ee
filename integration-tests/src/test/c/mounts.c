/*
 * mount(2) and umount2(2) in the working directory: new tmpfs and proc instances, bind mounts,
 * remounts, moves, propagation types, and the errors of each, as mountinfo, statfs, statx and the
 * files seen through the mounts show them. Natively it runs as root in a mount namespace of its
 * own; it mounts only below its working directory and unmounts all before it ends.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdint.h>
#include <unistd.h>
#include "errname.h"

static char dir[4096];

static void rc(const char *what, int r) {
    printf("%s: %s\n", what, r == 0 ? "0" : errname(errno));
}

/* One mountinfo field list entry of a mount below the working directory. */
struct entry {
    int id;
    char point[512];
};

/* The token of super options and optional fields that do not depend on the machine. */
static int stable_super(const char *opt) {
    return strcmp(opt, "ro") == 0 || strcmp(opt, "rw") == 0 || strncmp(opt, "mode=", 5) == 0;
}

/* The mounts below the working directory: mount point, parent's, root, options, type, source. */
static void show(const char *title) {
    printf("-- %s\n", title);
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (f == NULL) {
        printf("no mountinfo\n");
        return;
    }
    struct entry seen[64];
    int n = 0;
    char line[4096];
    size_t dirlen = strlen(dir);
    while (fgets(line, sizeof line, f) != NULL) {
        int id, parent;
        char devno[64], root[512], point[512], opts[512];
        if (sscanf(line, "%d %d %63s %511s %511s %511s", &id, &parent, devno, root, point, opts) != 6) {
            continue;
        }
        if (strncmp(point, dir, dirlen) != 0 || point[dirlen] != '/') {
            continue;
        }
        const char *rel = point + dirlen + 1;
        const char *up = "outside";
        for (int i = 0; i < n; i++) {
            if (seen[i].id == parent) {
                up = seen[i].point;
            }
        }
        if (n < 64) {
            seen[n].id = id;
            snprintf(seen[n].point, sizeof seen[n].point, "%s", rel);
            n++;
        }
        printf("%s on %s root %s %s", rel, up, root, opts);
        char *rest = strstr(line, opts) + strlen(opts);
        char *tok = strtok(rest, " \n");
        int after_dash = 0, field = 0;
        while (tok != NULL) {
            if (!after_dash && strcmp(tok, "-") == 0) {
                after_dash = 1;
            } else if (!after_dash) {
                printf(" [%.*s]", (int) strcspn(tok, ":"), tok);
            } else if (field < 2) {
                printf(" %s", tok);
                field++;
            } else {
                char *save;
                printf(" ");
                int first = 1;
                for (char *o = strtok_r(tok, ",", &save); o != NULL; o = strtok_r(NULL, ",", &save)) {
                    if (stable_super(o)) {
                        printf("%s%s", first ? "" : ",", o);
                        first = 0;
                    }
                }
            }
            tok = strtok(NULL, " \n");
        }
        printf("\n");
    }
    fclose(f);
}

static void show_statfs(const char *path) {
    struct statfs s;
    if (statfs(path, &s) != 0) {
        printf("statfs %s: %s\n", path, errname(errno));
        return;
    }
    printf("statfs %s: type %#lx flags %#lx\n", path, (unsigned long) s.f_type,
            (unsigned long) (s.f_flags & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_RELATIME)));
}

static void exists(const char *path) {
    struct stat st;
    if (lstat(path, &st) == 0) {
        printf("%s: mode %o\n", path, st.st_mode);
    } else {
        printf("%s: %s\n", path, errname(errno));
    }
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("write %s: %s\n", path, errname(errno));
        return;
    }
    printf("write %s: %zd\n", path, write(fd, text, strlen(text)));
    close(fd);
}

static void get(const char *path) {
    char buf[256];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("read %s: %s\n", path, errname(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("read %s: %s", path, buf);
    close(fd);
}

/* Whether statx's mount id of path is the id mountinfo gives its mount point. */
static void mount_id(const char *path) {
    /* struct statx by offsets: musl has no statx(). stx_attributes at 8, stx_mnt_id at 144. */
    unsigned char x[256];
    unsigned long long attributes, mnt_id;
    if (syscall(SYS_statx, AT_FDCWD, path, 0, 0x1000 /* STATX_MNT_ID */, x) != 0) {
        printf("statx %s: %s\n", path, errname(errno));
        return;
    }
    memcpy(&attributes, x + 8, 8);
    memcpy(&mnt_id, x + 144, 8);
    char want[8192];
    snprintf(want, sizeof want, "%s/%s", dir, path);
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    int found = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        int id;
        char point[512];
        if (sscanf(line, "%d %*d %*s %*s %511s", &id, point) == 2 && strcmp(point, want) == 0) {
            found = (unsigned long long) id == mnt_id;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    printf("statx %s: mount id as mountinfo's %d, mount root %d\n", path, found,
            (attributes & 0x2000 /* STATX_ATTR_MOUNT_ROOT */) != 0);
}

/* The file-descriptor mount API, by number (musl has no wrappers). */
static long fsopen_(const char *type, unsigned flags) { return syscall(430, type, flags); }
static long fsconfig_(int fd, unsigned cmd, const char *key, const void *value, int aux) {
    return syscall(431, fd, cmd, key, value, aux);
}
static long fsmount_(int fd, unsigned flags, unsigned attr) { return syscall(432, fd, flags, attr); }
static long fspick_(int dfd, const char *path, unsigned flags) { return syscall(433, dfd, path, flags); }
static long move_mount_(int fromfd, const char *from, int tofd, const char *to, unsigned flags) {
    return syscall(429, fromfd, from, tofd, to, flags);
}
static long open_tree_(int dfd, const char *path, unsigned flags) { return syscall(428, dfd, path, flags); }
static long mount_setattr_(int dfd, const char *path, unsigned flags, void *attr, size_t size) {
    return syscall(442, dfd, path, flags, attr, size);
}

static void lrc(const char *what, long r) {
    printf("%s: %s\n", what, r >= 0 ? "ok" : errname(errno));
}

static void new_api(void) {
    mkdir("n", 0755);
    mkdir("o", 0755);
    lrc("fsopen unknown", fsopen_("nosuchfs", 0));
    lrc("fsopen bad flags", fsopen_("tmpfs", 2));
    int fc = (int) fsopen_("tmpfs", 1 /* FSOPEN_CLOEXEC */);
    lrc("fsopen tmpfs", fc);
    char buf[64];
    lrc("read log", read(fc, buf, sizeof buf));
    lrc("fsconfig unknown key", fsconfig_(fc, 1 /* SET_STRING */, "bogus", "1", 0));
    lrc("fsconfig flag as string", fsconfig_(fc, 1, "inode64", "1", 0));
    lrc("fsconfig bad mode", fsconfig_(fc, 1, "mode", "zz", 0));
    lrc("fsconfig source", fsconfig_(fc, 1, "source", "newapi", 0));
    lrc("fsconfig second source", fsconfig_(fc, 1, "source", "again", 0));
    lrc("fsconfig mode", fsconfig_(fc, 1, "mode", "0711", 0));
    lrc("fsconfig unknown command", fsconfig_(fc, 99, NULL, NULL, 0));
    lrc("fsmount before create", fsmount_(fc, 0, 0));
    lrc("reconfigure before create", fsconfig_(fc, 7 /* CMD_RECONFIGURE */, NULL, NULL, 0));
    lrc("create", fsconfig_(fc, 6 /* CMD_CREATE */, NULL, NULL, 0));
    lrc("create again", fsconfig_(fc, 6, NULL, NULL, 0));
    lrc("fsconfig after create", fsconfig_(fc, 1, "mode", "0700", 0));
    lrc("fsmount bad atime", fsmount_(fc, 0, 0x30));
    int mfd = (int) fsmount_(fc, 1 /* FSMOUNT_CLOEXEC */, 2 /* MOUNT_ATTR_NOSUID */);
    lrc("fsmount", mfd);
    lrc("fsmount again", fsmount_(fc, 0, 0));
    lrc("fsconfig on a mount fd", fsconfig_(mfd, 6, NULL, NULL, 0));
    show("detached");
    lrc("move_mount no empty path flag", move_mount_(mfd, "", AT_FDCWD, "n", 0));
    lrc("move_mount", move_mount_(mfd, "", AT_FDCWD, "n", 4 /* F_EMPTY_PATH */));
    lrc("move_mount again", move_mount_(mfd, "", AT_FDCWD, "o", 4));
    exists("n");
    put("n/file", "new api\n");
    show("attached");
    /* The mount fd names the mount wherever it is: it was moved on to o. */
    struct { unsigned long long set, clr, propagation, userns_fd; } attr = {1 /* RDONLY */, 0, 0, 0};
    lrc("mount_setattr small", mount_setattr_(AT_FDCWD, "o", 0, &attr, 16));
    lrc("mount_setattr no mount root", mount_setattr_(AT_FDCWD, "n", 0, &attr, sizeof attr));
    lrc("mount_setattr ro", mount_setattr_(AT_FDCWD, "o", 0, &attr, sizeof attr));
    put("o/file2", "x\n");
    attr.set = 0;
    attr.clr = 1;
    attr.propagation = MS_SHARED;
    lrc("mount_setattr rw shared", mount_setattr_(AT_FDCWD, "o", 0, &attr, sizeof attr));
    put("o/file2", "x\n");
    show("setattr");
    attr.propagation = MS_PRIVATE;
    lrc("mount_setattr private", mount_setattr_(AT_FDCWD, "o", 0, &attr, sizeof attr));
    int pick = (int) fspick_(AT_FDCWD, "o", 1);
    lrc("fspick", pick);
    lrc("fspick no mount root", fspick_(AT_FDCWD, "o/file", 0));
    lrc("fspick ro", fsconfig_(pick, 0 /* SET_FLAG */, "ro", NULL, 0));
    lrc("fspick create", fsconfig_(pick, 6, NULL, NULL, 0));
    lrc("fspick reconfigure", fsconfig_(pick, 7, NULL, NULL, 0));
    put("o/file3", "x\n");
    show("reconfigured");
    lrc("fspick rw", fsconfig_(pick, 0, "rw", NULL, 0));
    lrc("fspick reconfigure rw", fsconfig_(pick, 7, NULL, NULL, 0));
    close(pick);
    int tree = (int) open_tree_(AT_FDCWD, "o", 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC);
    lrc("open_tree clone", tree);
    lrc("open_tree recursive without clone", open_tree_(AT_FDCWD, "o", 0x8000));
    lrc("move_mount clone", move_mount_(tree, "", AT_FDCWD, "n", 4));
    get("n/file");
    show("cloned");
    int path = (int) open_tree_(AT_FDCWD, "plain", 0);
    lrc("open_tree plain", path);
    lrc("read O_PATH", read(path, buf, 1));
    close(path);
    close(tree);
    close(mfd);
    close(fc);
    lrc("umount n", umount2("n", 0));
    lrc("umount o", umount2("o", 0));
}

/* statx's mount id of path: the unique one (STATX_MNT_ID_UNIQUE) or mountinfo's. */
static unsigned long long stx_mnt_id(const char *path, int unique) {
    unsigned char x[256];
    unsigned long long id = 0;
    if (syscall(SYS_statx, AT_FDCWD, path, 0, unique ? 0x4000 : 0x1000, x) == 0) {
        memcpy(&id, x + 144, 8);
    }
    return id;
}

struct mnt_id_req_ {
    uint32_t size, mnt_ns_fd;
    uint64_t mnt_id, param, mnt_ns_id;
};

static long statmount_(uint64_t id, uint64_t mask, void *buf, size_t size, unsigned flags, uint32_t req_size) {
    struct mnt_id_req_ req = {req_size, 0, id, mask, 0};
    return syscall(457, &req, buf, size, flags);
}

static long listmount_(uint64_t id, uint64_t last, uint64_t *ids, size_t n, unsigned flags) {
    struct mnt_id_req_ req = {sizeof req, 0, id, last, 0};
    return syscall(458, &req, ids, n, flags);
}

/* statmount of the mount at path (a mount point below the working directory), as relations and strings. */
static void show_statmount(const char *path, const char *parent) {
    unsigned long long u = stx_mnt_id(path, 1), old = stx_mnt_id(path, 0), up = stx_mnt_id(parent, 1);
    static unsigned char buf[4096];
    memset(buf, 0, sizeof buf);
    long r = statmount_(u, 0x7f | 0x200, buf, sizeof buf, 0, 32);
    if (r != 0) {
        printf("statmount %s: %s\n", path, errname(errno));
        return;
    }
    uint32_t size, sb_flags, id_old, fs_type, root, point, source;
    uint64_t mask, magic, id, parent_id, attr, propagation, ns;
    memcpy(&size, buf, 4);
    memcpy(&mask, buf + 8, 8);
    memcpy(&magic, buf + 24, 8);
    memcpy(&sb_flags, buf + 32, 4);
    memcpy(&fs_type, buf + 36, 4);
    memcpy(&id, buf + 40, 8);
    memcpy(&parent_id, buf + 48, 8);
    memcpy(&id_old, buf + 56, 4);
    memcpy(&attr, buf + 64, 8);
    memcpy(&propagation, buf + 72, 8);
    memcpy(&root, buf + 104, 4);
    memcpy(&point, buf + 108, 4);
    memcpy(&ns, buf + 112, 8);
    memcpy(&source, buf + 124, 4);
    const char *str = (const char *) buf + 512;
    char want[8192];
    snprintf(want, sizeof want, "%s/%s", dir, path);
    printf("statmount %s: mask %#llx magic %#llx sb_flags %u id %d old %d parent %d attr %#llx propagation %#llx"
            " ns %d root %s point %d type %s source %s size %d\n", path, (unsigned long long) mask,
            (unsigned long long) magic, sb_flags, id == u, id_old == old, parent_id == up,
            (unsigned long long) attr, (unsigned long long) propagation, ns != 0, str + root,
            strcmp(str + point, want) == 0, str + fs_type, str + source,
            size == 512 + 1 + strlen(str + root) + strlen(str + point) + strlen(str + fs_type) + strlen(str + source) + 4);
}

static void statmount_errors(const char *path) {
    unsigned long long u = stx_mnt_id(path, 1);
    static unsigned char buf[4096];
    lrc("statmount flags", statmount_(u, 2, buf, sizeof buf, 1, 32));
    lrc("statmount small req", statmount_(u, 2, buf, sizeof buf, 0, 8));
    lrc("statmount big req", statmount_(u, 2, buf, sizeof buf, 0, 8192));
    lrc("statmount old id", statmount_(stx_mnt_id(path, 0), 2, buf, sizeof buf, 0, 32));
    lrc("statmount no such id", statmount_(u + 100000, 2, buf, sizeof buf, 0, 32));
    lrc("statmount strings in 512", statmount_(u, 0x10, buf, 512, 0, 32));
    lrc("statmount strings in 514", statmount_(u, 0x10, buf, 514, 0, 32));
    lrc("statmount basic in 512", statmount_(u, 2, buf, 512, 0, 32));
    lrc("statmount bad buffer", statmount_(u, 2, NULL, 512, 0, 32));
    uint64_t ids[64];
    lrc("listmount flags", listmount_(u, 0, ids, 64, 2));
    lrc("listmount too many", listmount_(u, 0, ids, 2000000, 0));
    lrc("listmount bad last", listmount_(u, 5, ids, 64, 0));
    lrc("listmount no such id", listmount_(u + 100000, 0, ids, 64, 0));
}

/* listmount below the mount at path: how many, and whether they are the mounts named. */
static void show_listmount(const char *path, const char *a, const char *b) {
    uint64_t ids[64];
    long n = listmount_(stx_mnt_id(path, 1), 0, ids, 64, 0);
    printf("listmount %s: %ld", path, n);
    if (n == 2) {
        printf(" in order %d", ids[0] == stx_mnt_id(a, 1) && ids[1] == stx_mnt_id(b, 1));
        long r = listmount_(stx_mnt_id(path, 1), 0, ids, 64, 1 /* LISTMOUNT_REVERSE */);
        printf(" reversed %d", r == 2 && ids[0] == stx_mnt_id(b, 1) && ids[1] == stx_mnt_id(a, 1));
        r = listmount_(stx_mnt_id(path, 1), stx_mnt_id(a, 1), ids, 64, 0);
        printf(" after first %ld %d", r, r == 1 && ids[0] == stx_mnt_id(b, 1));
        r = listmount_(stx_mnt_id(path, 1), 0, ids, 1, 0);
        printf(" one %ld", r);
    }
    n = listmount_(0xffffffffffffffffULL, 0, ids, 64, 0);
    int found = 0;
    for (long i = 0; i < n; i++) {
        found |= ids[i] == stx_mnt_id(path, 1);
    }
    printf(" root lists it %d\n", found);
}

/* A chrooted child's mount: seen in its mountinfo below its root, and by the parent below the chroot. */
static void chrooted(void) {
    mkdir("r", 0755);
    mkdir("r/x", 0755);
    mkdir("r/proc", 0755);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (chroot("r") != 0 || chdir("/") != 0) {
            printf("chroot: %s\n", errname(errno));
            _exit(1);
        }
        rc("mount in chroot", mount("inchroot", "/x", "tmpfs", 0, NULL));
        put("/x/f", "chrooted\n");
        rc("proc in chroot", mount("proc", "/proc", "proc", 0, NULL));
        FILE *f = fopen("/proc/self/mountinfo", "r");
        char line[1024];
        while (f != NULL && fgets(line, sizeof line, f) != NULL) {
            char point[512];
            if (strstr(line, "inchroot") != NULL && sscanf(line, "%*d %*d %*s %*s %511s", point) == 1) {
                printf("chrooted mountinfo: %s\n", point);
            }
        }
        if (f != NULL) {
            fclose(f);
        }
        rc("umount proc in chroot", umount2("/proc", 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    show("chrooted");
    get("r/x/f");
    rc("umount r/x", umount2("r/x", 0));
}

/* execve of a copy of this program on a mount: its exit status, or the errno of execve. */
static void run_copy(const char *what, const char *path) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *) path, "child", NULL};
        execv(path, argv);
        printf("%s: %s\n", what, errname(errno));
        fflush(stdout);
        _exit(100);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 100) {
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
    }
}

static void noexec(void) {
    mkdir("x", 0755);
    rc("mount noexec tmpfs", mount("x", "x", "tmpfs", MS_NOEXEC, NULL));
    int in = open("/proc/self/exe", O_RDONLY);
    int out = open("x/prog", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, n) != n) {
            break;
        }
    }
    close(in);
    close(out);
    run_copy("exec on noexec", "x/prog");
    rc("remount exec", mount(NULL, "x", NULL, MS_REMOUNT | MS_BIND, NULL));
    run_copy("exec after remount", "x/prog");
    rc("umount x", umount2("x", 0));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        return 7;
    }
    if (getcwd(dir, sizeof dir) == NULL) {
        return 1;
    }
    mkdir("t", 0755);
    mkdir("b", 0755);
    mkdir("m", 0755);
    mkdir("p", 0755);
    mkdir("c", 0755);
    put("plain", "plain file\n");

    /* Errors first, in Linux's order. */
    rc("mount NULL target", mount("x", NULL, "tmpfs", 0, NULL));
    rc("mount missing target", mount("x", "nosuch", "tmpfs", 0, NULL));
    rc("mount NULL type", mount("x", "t", NULL, 0, NULL));
    rc("mount unknown type", mount("x", "t", "nosuchfs", 0, NULL));
    rc("mount bad option", mount("x", "t", "tmpfs", 0, "bogus=1"));
    rc("mount bad mode", mount("x", "t", "tmpfs", 0, "mode=zz"));
    rc("mount MS_NOUSER", mount("x", "t", "tmpfs", MS_NOUSER, NULL));
    rc("mount on a file", mount("x", "plain", "tmpfs", 0, NULL));
    rc("remount not mounted", mount(NULL, "t", NULL, MS_REMOUNT, NULL));
    rc("bind NULL source", mount(NULL, "b", NULL, MS_BIND, NULL));
    rc("bind missing source", mount("nosuch", "b", NULL, MS_BIND, NULL));
    rc("propagation of no mount root", mount(NULL, "t", NULL, MS_PRIVATE, NULL));
    rc("move of no mount root", mount("t", "m", NULL, MS_MOVE, NULL));
    rc("umount bad flags", umount2("t", 0x10));
    rc("umount missing", umount2("nosuch", 0));
    rc("umount no mount root", umount2("t", 0));

    /* A tmpfs. */
    rc("mount tmpfs", mount("jlxsrc", "t", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0750"));
    exists("t");
    show_statfs("t");
    put("t/f", "on tmpfs\n");
    get("t/f");
    mkdir("t/sub", 0755);
    put("t/sub/x", "in sub\n");
    put("t/file1", "file one\n");
    show("tmpfs");
    mount_id("t");
    mount_id("t/sub");
    rc("remount tmpfs bad option", mount(NULL, "t", NULL, MS_REMOUNT, "bogus"));

    /* Bind mounts: a directory, a file, a directory onto a file. */
    rc("bind t/sub to b", mount("t/sub", "b", NULL, MS_BIND, NULL));
    get("b/x");
    rc("bind file", mount("t/file1", "plain", NULL, MS_BIND, NULL));
    get("plain");
    rc("bind dir onto file", mount("t/sub", "plain", NULL, MS_BIND, NULL));
    rc("bind file onto dir", mount("t/file1", "m", NULL, MS_BIND, NULL));
    show("binds");

    /* A read-only remount of the bind mount only. */
    rc("remount b ro", mount(NULL, "b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOEXEC, NULL));
    put("b/new", "x\n");
    put("t/sub/new", "through t\n");
    get("b/new");
    show_statfs("b");
    show_statfs("t");
    rc("remount b rw", mount(NULL, "b", NULL, MS_REMOUNT | MS_BIND, NULL));
    put("b/new2", "y\n");
    show("remounts");

    /* Propagation types. */
    rc("shared and private", mount(NULL, "t", NULL, MS_SHARED | MS_PRIVATE, NULL));
    rc("propagation and more", mount(NULL, "t", NULL, MS_SHARED | MS_NOSUID, NULL));
    rc("make t shared", mount(NULL, "t", NULL, MS_SHARED, NULL));
    show("shared");
    rc("make t private", mount(NULL, "t", NULL, MS_PRIVATE, NULL));
    rc("make b unbindable", mount(NULL, "b", NULL, MS_UNBINDABLE, NULL));
    rc("bind of unbindable", mount("b", "m", NULL, MS_BIND, NULL));
    show("unbindable");
    rc("make b private", mount(NULL, "b", NULL, MS_PRIVATE | MS_REC, NULL));

    /* Moves. */
    rc("move b to m", mount("b", "m", NULL, MS_MOVE, NULL));
    exists("b/x");
    get("m/x");
    rc("move t into itself", mount("t", "t/sub", NULL, MS_MOVE, NULL));
    show("moved");

    /* umount2: busy, expiry, detach. */
    rc("mount tmpfs on t/sub", mount("inner", "t/sub", "tmpfs", 0, NULL));
    exists("t/sub/x");
    rc("umount t with a mount below", umount2("t", 0));
    int fd = open("t/sub/held", O_WRONLY | O_CREAT, 0600);
    rc("umount t/sub with a file open", umount2("t/sub", 0));
    close(fd);
    rc("expire detach", umount2("t/sub", MNT_EXPIRE | MNT_DETACH));
    rc("expire first", umount2("t/sub", MNT_EXPIRE));
    rc("expire second", umount2("t/sub", MNT_EXPIRE));
    exists("t/sub/x");
    rc("mount tmpfs on t/sub again", mount("inner", "t/sub", "tmpfs", MS_RDONLY, NULL));
    put("t/sub/y", "z\n");
    show_statfs("t/sub");
    show("stacked");
    mkdir("t/sub2", 0755);
    rc("mount tmpfs on t/sub2", mount(NULL, "t/sub2", "tmpfs", MS_NOATIME, "mode=700"));
    show_statmount("t", ".");
    show_statmount("t/sub", "t");
    show_statmount("t/sub2", "t");
    show_statmount("m", ".");
    show_listmount("t", "t/sub", "t/sub2");
    statmount_errors("t");
    rc("umount t/sub2", umount2("t/sub2", 0));

    /* A child's mount is the parent's too (one namespace). */
    pid_t child = fork();
    if (child == 0) {
        _exit(mount("fromchild", "c", "tmpfs", 0, NULL) == 0 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child mounted: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    put("c/seen", "c\n");
    show("child");

    /* A proc instance. */
    rc("mount proc", mount("proc", "p", "proc", MS_NOEXEC, NULL));
    char self[64];
    ssize_t n = readlink("p/self", self, sizeof self - 1);
    self[n < 0 ? 0 : n] = 0;
    printf("p/self is the pid: %d\n", n > 0 && atoi(self) == getpid());
    show_statfs("p");
    rc("umount proc", umount2("p", 0));

    new_api();
    noexec();
    chrooted();
    rc("umount c", umount2("c", 0));
    exists("c/seen");
    rc("umount plain", umount2("plain", UMOUNT_NOFOLLOW));
    get("plain");
    rc("umount m", umount2("m", 0));
    rc("detach t", umount2("t", MNT_DETACH));
    exists("t/f");
    show("after");
    return 0;
}
