/*
 * Creating files: the modes umask leaves (open, creat, O_TMPFILE, mkdir, mknod, mkfifo), names with a
 * trailing slash in every call that creates a name, and calls relative to a working directory deeper
 * than PATH_MAX. Runs in an empty scratch directory (the current one), natively first, then under jlx.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-44s %s %s\n", label, r_ < 0 ? "-1" : "ok", r_ < 0 ? strerror(e_) : ""); } while (0)

static void mode_of(const char *label, const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%-44s lstat: %s\n", label, strerror(errno));
    } else {
        printf("%-44s %o\n", label, st.st_mode & 07777);
    }
}

static int closed(int fd) {
    return fd < 0 ? fd : close(fd);
}

/* Each kind of creation with mode {@code mode} under the umask {@code mask}, in a new directory. */
static void creations(mode_t mask, mode_t mode, const char *dir) {
    char p[64], label[64];
    umask(mask);
    mkdir(dir, 0777);
    chmod(dir, 0777);
    printf("umask %03o, mode %04o\n", mask, mode);
    snprintf(p, sizeof p, "%s/open", dir);
    SHOW("  open O_CREAT", closed(open(p, O_CREAT | O_WRONLY, mode)));
    mode_of("  its mode", p);
    SHOW("  open O_CREAT of it again, mode 0", closed(open(p, O_CREAT | O_WRONLY, 0)));
    mode_of("  its mode (unchanged)", p);
    snprintf(p, sizeof p, "%s/excl", dir);
    SHOW("  open O_CREAT|O_EXCL", closed(open(p, O_CREAT | O_EXCL | O_RDWR, mode)));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/creat", dir);
    SHOW("  creat", closed(creat(p, mode)));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/mkdir", dir);
    SHOW("  mkdir", mkdir(p, mode));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/mkdir-sticky", dir);
    SHOW("  mkdir with S_ISVTX|S_ISUID|S_ISGID", mkdir(p, mode | 07000));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/fifo", dir);
    SHOW("  mkfifo", mkfifo(p, mode));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/mknod-fifo", dir);
    SHOW("  mknod S_IFIFO", mknod(p, S_IFIFO | mode, 0));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/mknod-reg", dir);
    SHOW("  mknod S_IFREG", mknod(p, S_IFREG | mode, 0));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/mknod-0", dir);
    SHOW("  mknod type 0", mknod(p, mode, 0));
    mode_of("  its mode", p);
    snprintf(p, sizeof p, "%s/symlink", dir);
    SHOW("  symlink", symlink("target", p));
    snprintf(label, sizeof label, "  symlink's mode");
    mode_of(label, p);
    int tmp = open(dir, O_TMPFILE | O_RDWR, mode);
    struct stat st;
    if (tmp < 0) {
        printf("  O_TMPFILE: %s\n", strerror(errno));
    } else {
        fstat(tmp, &st);
        printf("%-44s %o\n", "  O_TMPFILE's mode", st.st_mode & 07777);
        close(tmp);
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    SHOW("  openat O_CREAT", closed(openat(dfd, "openat", O_CREAT | O_WRONLY, mode)));
    snprintf(p, sizeof p, "%s/openat", dir);
    mode_of("  its mode", p);
    SHOW("  mkdirat", mkdirat(dfd, "mkdirat", mode));
    snprintf(p, sizeof p, "%s/mkdirat", dir);
    mode_of("  its mode", p);
    SHOW("  mknodat S_IFIFO", mknodat(dfd, "mknodat", S_IFIFO | mode, 0));
    snprintf(p, sizeof p, "%s/mknodat", dir);
    mode_of("  its mode", p);
    close(dfd);
}

static void trailing_slashes(void) {
    printf("trailing slashes\n");
    umask(022);
    mkdir("t", 0755);
    if (chdir("t") < 0) {
        perror("chdir t");
        exit(1);
    }
    close(open("file", O_CREAT | O_WRONLY, 0644));
    mkdir("dir", 0755);
    symlink("dir", "dirlink");
    symlink("nowhere", "dangling");
    SHOW("open missing/ O_CREAT", open("missing/", O_CREAT | O_WRONLY, 0644));
    SHOW("open missing/ O_CREAT|O_RDONLY", open("missing/", O_CREAT | O_RDONLY, 0644));
    SHOW("open missing/ O_CREAT|O_EXCL", open("missing/", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SHOW("open missing/x O_CREAT", open("missing/x", O_CREAT | O_WRONLY, 0644));
    SHOW("open missing/x/ O_CREAT", open("missing/x/", O_CREAT | O_WRONLY, 0644));
    SHOW("open file/ O_CREAT", open("file/", O_CREAT | O_WRONLY, 0644));
    SHOW("open dir/ O_CREAT", open("dir/", O_CREAT | O_RDONLY, 0644));
    SHOW("open dir O_CREAT", open("dir", O_CREAT | O_RDONLY, 0644));
    SHOW("open . O_CREAT", open(".", O_CREAT | O_RDONLY, 0644));
    SHOW("open dirlink/ O_CREAT", open("dirlink/", O_CREAT | O_RDONLY, 0644));
    SHOW("open dangling/ O_CREAT", open("dangling/", O_CREAT | O_WRONLY, 0644));
    SHOW("access nowhere (not created)", access("nowhere", F_OK));
    SHOW("open missing/ O_RDONLY", open("missing/", O_RDONLY));
    SHOW("open missing/ O_TMPFILE", open("missing/", O_TMPFILE | O_RDWR, 0644));
    SHOW("open dir/ O_TMPFILE", closed(open("dir/", O_TMPFILE | O_RDWR, 0644)));
    SHOW("creat missing/", creat("missing/", 0644));
    SHOW("access missing (not created)", access("missing", F_OK));
    SHOW("mkdir newdir/", mkdir("newdir/", 0755));
    SHOW("mkdir newdir2//", mkdir("newdir2//", 0755));
    SHOW("mkdir file/", mkdir("file/", 0755));
    SHOW("mkdir dir/", mkdir("dir/", 0755));
    SHOW("mkdir dangling/", mkdir("dangling/", 0755));
    SHOW("mknod missing/ S_IFREG", mknod("missing/", S_IFREG | 0644, 0));
    SHOW("mknod missing/ S_IFIFO", mknod("missing/", S_IFIFO | 0644, 0));
    SHOW("mknod file/ S_IFIFO", mknod("file/", S_IFIFO | 0644, 0));
    SHOW("mknod dir/ S_IFIFO", mknod("dir/", S_IFIFO | 0644, 0));
    SHOW("mkfifo missing/", mkfifo("missing/", 0644));
    SHOW("symlink file -> missing/", symlink("file", "missing/"));
    SHOW("symlink file -> file/", symlink("file", "file/"));
    SHOW("symlink file -> dir/", symlink("file", "dir/"));
    SHOW("symlink x/ -> sl (target with slash)", symlink("x/", "sl"));
    SHOW("link file -> missing/", link("file", "missing/"));
    SHOW("link file/ -> x", link("file/", "x"));
    SHOW("link file -> dir/", link("file", "dir/"));
    SHOW("link dir/ -> missing", link("dir/", "missing"));
    SHOW("link missing/ -> x", link("missing/", "x"));
    SHOW("rename file -> missing/", rename("file", "missing/"));
    SHOW("rename file/ -> missing", rename("file/", "missing"));
    SHOW("rename file -> dir/", rename("file", "dir/"));
    SHOW("rename dir -> file/", rename("dir", "file/"));
    SHOW("rename missing/ -> x", rename("missing/", "x"));
    SHOW("rename newdir/ -> renamed/", rename("newdir/", "renamed/"));
    SHOW("rename renamed -> renamed2/", rename("renamed", "renamed2/"));
    SHOW("rename dirlink/ -> x", rename("dirlink/", "x"));
    SHOW("renameat2 EXCHANGE file, dir/", syscall(SYS_renameat2, AT_FDCWD, "file", AT_FDCWD, "dir/", 2));
    SHOW("unlink file/", unlink("file/"));
    SHOW("unlink dir/", unlink("dir/"));
    SHOW("unlink missing/", unlink("missing/"));
    SHOW("rmdir file/", rmdir("file/"));
    SHOW("rmdir missing/", rmdir("missing/"));
    SHOW("rmdir renamed2/", rmdir("renamed2/"));
    SHOW("rmdir newdir2//", rmdir("newdir2//"));
    SHOW("rmdir dir/.", rmdir("dir/."));
    SHOW("rmdir dir/..", rmdir("dir/.."));
    SHOW("truncate file/", truncate("file/", 0));
    SHOW("chmod file/", chmod("file/", 0644));
    SHOW("utimensat file/", utimensat(AT_FDCWD, "file/", NULL, 0));
    DIR *d = opendir(".");
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        n++;
    }
    closedir(d);
    printf("%-44s %d\n", "entries left", n);
    if (chdir("..") < 0) {
        perror("chdir ..");
        exit(1);
    }
}

/* A working directory deeper than PATH_MAX: only the strings a call is given are limited. */
static void deep(void) {
    printf("deeper than PATH_MAX\n");
    char name[201];
    memset(name, 'd', 200);
    name[200] = 0;
    mkdir("deep", 0755);
    if (chdir("deep") < 0) {
        perror("chdir deep");
        exit(1);
    }
    int levels = 0;
    for (; levels < 25; levels++) {
        if (mkdir(name, 0755) < 0 || chdir(name) < 0) {
            printf("level %d: %s\n", levels, strerror(errno));
            break;
        }
    }
    printf("%-44s %d\n", "levels made", levels);
    char buf[PATH_MAX];
    SHOW("getcwd(buf, PATH_MAX)", syscall(SYS_getcwd, buf, sizeof buf));
    char *big = malloc(1 << 16);
    SHOW("getcwd syscall, 64 KiB buffer", syscall(SYS_getcwd, big, 1 << 16));
    char *cwd = getcwd(big, 1 << 16);
    printf("%-44s %s %s\n", "libc getcwd", cwd ? "ok" : strerror(errno), cwd && strlen(cwd) > PATH_MAX ? "longer than PATH_MAX" : "");
    SHOW("mkdir x", mkdir("x", 0700));
    SHOW("open x/f O_CREAT", closed(open("x/f", O_CREAT | O_WRONLY, 0600)));
    SHOW("write through x/f", ({ int fd = open("x/f", O_WRONLY); long r = write(fd, "hello", 5); close(fd); r; }));
    struct stat st;
    SHOW("stat x/f", stat("x/f", &st));
    printf("%-44s %lld\n", "its size", (long long) st.st_size);
    SHOW("lstat x", lstat("x", &st));
    SHOW("access x/f R_OK", access("x/f", R_OK));
    SHOW("symlink f -> x/l", symlink("f", "x/l"));
    char target[16] = {0};
    SHOW("readlink x/l", readlink("x/l", target, sizeof target - 1));
    printf("%-44s %s\n", "its target", target);
    SHOW("stat x/l (followed)", stat("x/l", &st));
    SHOW("link x/f -> x/g", link("x/f", "x/g"));
    SHOW("rename x/g -> x/h", rename("x/g", "x/h"));
    SHOW("chmod x/h", chmod("x/h", 0640));
    SHOW("chown x/h to itself", chown("x/h", getuid(), getgid()));
    SHOW("truncate x/h", truncate("x/h", 2));
    SHOW("utimensat x/h", utimensat(AT_FDCWD, "x/h", NULL, 0));
    SHOW("mkfifo x/p", mkfifo("x/p", 0600));
    DIR *dir = opendir("x");
    int n = 0;
    if (dir != NULL) {
        while (readdir(dir) != NULL) {
            n++;
        }
        closedir(dir);
    }
    printf("%-44s %d\n", "entries in x", n);
    SHOW("unlink x/p", unlink("x/p"));
    SHOW("unlink x/l", unlink("x/l"));
    SHOW("unlink x/h", unlink("x/h"));
    SHOW("unlink x/f", unlink("x/f"));
    SHOW("rmdir x", rmdir("x"));
    SHOW("stat .", stat(".", &st));
    /* Back out and remove every level, each by a name relative to its parent. */
    for (int i = levels - 1; i >= 0; i--) {
        if (chdir("..") < 0 || rmdir(name) < 0) {
            printf("removing level %d: %s\n", i, strerror(errno));
            exit(1);
        }
    }
    SHOW("chdir .. (out of deep)", chdir(".."));
    SHOW("rmdir deep", rmdir("deep"));
}

int main(void) {
    creations(0, 0666, "m0");
    creations(0, 0777, "m1");
    creations(0, 04755, "m2");
    creations(077, 0777, "m3");
    creations(0222, 0777, "m4");
    creations(0, 0, "m5");
    trailing_slashes();
    deep();
    return 0;
}
