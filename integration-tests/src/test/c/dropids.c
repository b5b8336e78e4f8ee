/*
 * A root process's children that give up root, wholly or in part, and then use files root made:
 * owner, group and other bits, search permission, sticky directories, chmod/chown/utimes rules,
 * access(2)'s real ids against open's effective ones, setfsuid, dropped capabilities, and the
 * owner of what they create. Run as root (the test skips otherwise); everything is made in the
 * working directory and removed at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define NOBODY 65534
#define OTHER_GROUP 4321

static void result(const char *what, int r) {
    if (r < 0) {
        printf("%-44s -1 %s\n", what, errname(errno));
    } else {
        printf("%-44s ok\n", what);
    }
}

static void try_open(const char *what, const char *path, int flags) {
    int fd = open(path, flags, 0640);
    result(what, fd);
    if (fd >= 0) {
        close(fd);
    }
}

static void owner(const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0) {
        printf("%-44s -1 %s\n", path, errname(errno));
    } else {
        printf("%-44s uid %u gid %u mode %o\n", path, st.st_uid, st.st_gid, st.st_mode & 07777);
    }
}

static void make(const char *path, int mode, uid_t uid, gid_t gid) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0 || write(fd, "data\n", 5) != 5 || fchmod(fd, mode) < 0 || fchown(fd, uid, gid) < 0) {
        perror(path);
        exit(1);
    }
    close(fd);
}

/* linux/capability.h's, which musl does not install. */
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
struct cap_header {
    unsigned version;
    int pid;
};
struct cap_data {
    unsigned effective, permitted, inheritable;
};

/* The effective set without the capabilities in drop (raw capset: no libcap). */
static int drop_caps(unsigned long long drop) {
    struct cap_header h = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
    struct cap_data d[2];
    if (syscall(SYS_capget, &h, d) < 0) {
        return -1;
    }
    d[0].effective &= ~(unsigned) drop;
    d[1].effective &= ~(unsigned) (drop >> 32);
    return syscall(SYS_capset, &h, d);
}

/* What a process that is nobody (with OTHER_GROUP as a supplementary group, or not) may do. */
static void as_nobody(int with_group) {
    gid_t groups[] = {OTHER_GROUP};
    if (setgroups(with_group, groups) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0) {
        perror("dropping root");
        exit(1);
    }
    printf("-- nobody%s\n", with_group ? " in group 4321" : "");
    try_open("open f600 read", "f600", O_RDONLY);
    try_open("open f644 read", "f644", O_RDONLY);
    try_open("open f644 write", "f644", O_WRONLY);
    try_open("open f666 read-write", "f666", O_RDWR);
    try_open("open g640 read (group 4321)", "g640", O_RDONLY);
    try_open("open g640 write (group 4321)", "g640", O_WRONLY);
    try_open("open d700/inner read", "d700/inner", O_RDONLY);
    struct stat st;
    result("stat d700/inner", stat("d700/inner", &st));
    result("stat d711/inner", stat("d711/inner", &st));
    DIR *d = opendir("d711");
    result("opendir d711", d ? 0 : -1);
    if (d) {
        closedir(d);
    }
    try_open("create new in . (root's 755)", "new", O_CREAT | O_WRONLY);
    result("mkdir in . (root's 755)", mkdir("newdir", 0755));
    result("truncate f644", truncate("f644", 0));
    result("truncate f666", truncate("f666", 5));
    result("access f600 R_OK", access("f600", R_OK));
    result("access f644 R_OK", access("f644", R_OK));
    result("access f644 W_OK", access("f644", W_OK));
    result("chmod f666", chmod("f666", 0600));
    result("utimes now f666 (writable)", utimensat(AT_FDCWD, "f666", NULL, 0));
    result("utimes now f644", utimensat(AT_FDCWD, "f644", NULL, 0));
    struct timespec times[2] = {{1, 0}, {2, 0}};
    result("utimes explicit f666", utimensat(AT_FDCWD, "f666", times, 0));
    result("unlink sticky/rootfile", unlink("sticky/rootfile"));
    result("rename sticky/rootfile", rename("sticky/rootfile", "sticky/moved"));
    result("rename pub/x into sticky over rootfile", rename("pub/x", "sticky/rootfile"));
    char mine[64];
    snprintf(mine, sizeof mine, "pub/mine%d", with_group);
    try_open("create pub/mine", mine, O_CREAT | O_WRONLY | O_EXCL);
    owner(mine);
    result("chown mine to root", chown(mine, 0, -1));
    result("chown mine to itself", chown(mine, NOBODY, -1));
    result("chgrp mine to 4321", chown(mine, -1, OTHER_GROUP));
    owner(mine);
    result("chgrp mine to 0", chown(mine, -1, 0));
    result("chmod mine 2755", chmod(mine, 02755));
    owner(mine);
    char dir[64];
    snprintf(dir, sizeof dir, "pub/dir%d", with_group);
    result("mkdir pub/dir", mkdir(dir, 0750));
    owner(dir);
    result("symlink in pub", symlink("f600", "pub/link"));
    result("unlink own symlink", unlink("pub/link"));
    result("rmdir sticky/rootdir", rmdir("sticky/rootdir"));
    try_open("create sticky/own", "sticky/own", O_CREAT | O_WRONLY);
    result("unlink sticky/own", unlink("sticky/own"));
}

static void child(void (*body)(int), int arg) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body(arg);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("child status %x\n", status);
    }
}

/* Real uid nobody, effective root: access checks the real ids, open the effective ones. */
static void real_nobody(int unused) {
    (void) unused;
    if (setresuid(NOBODY, 0, 0) < 0) {
        perror("setresuid");
        exit(1);
    }
    printf("-- real nobody, effective root\n");
    result("access f600 R_OK", access("f600", R_OK));
    result("faccessat f600 R_OK AT_EACCESS", faccessat(AT_FDCWD, "f600", R_OK, AT_EACCESS));
    try_open("open f600 read", "f600", O_RDONLY);
    result("access d700/inner F_OK", access("d700/inner", F_OK));
}

/* Only the file-system uid is nobody's. */
static void fs_nobody(int unused) {
    (void) unused;
    setfsgid(NOBODY);
    setfsuid(NOBODY);
    printf("-- fsuid nobody\n");
    try_open("open f600 read", "f600", O_RDONLY);
    try_open("open f644 read", "f644", O_RDONLY);
    try_open("create pub/fsfile", "pub/fsfile", O_CREAT | O_WRONLY);
    owner("pub/fsfile");
    result("access f600 R_OK (real root)", access("f600", R_OK));
}

/* Root without the capabilities that pass over permission bits. */
static void root_without_dac(int unused) {
    (void) unused;
    if (drop_caps(1ULL << CAP_DAC_OVERRIDE | 1ULL << CAP_DAC_READ_SEARCH | 1ULL << CAP_FOWNER) < 0) {
        perror("capset");
        exit(1);
    }
    printf("-- root without DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER\n");
    try_open("open f600 read (root's own)", "f600", O_RDONLY);
    try_open("open n600 read (nobody's)", "n600", O_RDONLY);
    try_open("open f644 write (root's own)", "f644", O_WRONLY);
    result("chmod n600", chmod("n600", 0644));
    result("chown n600 to root (CAP_CHOWN)", chown("n600", 0, 0));
    owner("n600");
}

int main(void) {
    if (getuid() != 0) {
        printf("not root\n");
        return 0;
    }
    umask(022);
    if (chmod(".", 0755) < 0 || mkdir("d700", 0700) < 0 || mkdir("d711", 0711) < 0 || mkdir("pub", 0777) < 0
            || chmod("pub", 0777) < 0 || mkdir("sticky", 01777) < 0 || chmod("sticky", 01777) < 0
            || mkdir("sticky/rootdir", 0777) < 0 || chmod("sticky/rootdir", 0777) < 0) {
        perror("setup");
        return 1;
    }
    make("d700/inner", 0644, 0, 0);
    make("d711/inner", 0644, 0, 0);
    make("f600", 0600, 0, 0);
    make("f644", 0644, 0, 0);
    make("f666", 0666, 0, 0);
    make("g640", 0640, 0, OTHER_GROUP);
    make("sticky/rootfile", 0666, 0, 0);
    make("pub/x", 0666, NOBODY, NOBODY);
    make("n600", 0600, NOBODY, NOBODY);

    child(as_nobody, 0);
    make("pub/x", 0666, NOBODY, NOBODY);
    child(as_nobody, 1);
    child(real_nobody, 0);
    child(fs_nobody, 0);
    child(root_without_dac, 0);

    printf("-- root again\n");
    owner("f666");
    owner("sticky/rootfile");
    const char *files[] = {"d700/inner", "d711/inner", "f600", "f644", "f666", "g640", "sticky/rootfile", "pub/x",
            "n600", "pub/mine0", "pub/mine1", "pub/fsfile", "sticky/moved", "new", NULL};
    for (int i = 0; files[i]; i++) {
        unlink(files[i]);
    }
    const char *dirs[] = {"d700", "d711", "sticky/rootdir", "sticky", "pub/dir0", "pub/dir1", "pub", "newdir", NULL};
    for (int i = 0; dirs[i]; i++) {
        rmdir(dirs[i]);
    }
    DIR *d = opendir(".");
    struct dirent *e;
    int left = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            printf("left: %s\n", e->d_name);
            left++;
        }
    }
    closedir(d);
    printf("%d left\n", left);
    return 0;
}
