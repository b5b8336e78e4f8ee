/* rename(2) and renameat2(2) onto a hard link of the same file, onto itself, and with
 * RENAME_NOREPLACE / RENAME_EXCHANGE: Linux's rename of a file onto another link of it does nothing,
 * while RENAME_NOREPLACE sees an existing name (EEXIST). Run in the working directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static int r2(const char *a, const char *b, unsigned flags) {
    return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void report(const char *what, int rc) {
    printf("%-40s %s\n", what, rc == 0 ? "ok" : strerror(errno));
}

static void show(const char *name) {
    struct stat st;
    if (lstat(name, &st) != 0) {
        printf("  %s: %s\n", name, strerror(errno));
        return;
    }
    printf("  %s: nlink=%lu %s\n", name, (unsigned long) st.st_nlink, S_ISDIR(st.st_mode) ? "dir" : "file");
}

int main(void) {
    int fd = open("ren-a", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "a", 1) != 1) return 1;
    close(fd);
    report("link a b", link("ren-a", "ren-b"));
    report("rename a b (same inode)", rename("ren-a", "ren-b"));
    show("ren-a");
    show("ren-b");
    report("renameat2 a b NOREPLACE", r2("ren-a", "ren-b", RENAME_NOREPLACE));
    report("renameat2 a b EXCHANGE", r2("ren-a", "ren-b", RENAME_EXCHANGE));
    show("ren-a");
    show("ren-b");
    report("renameat2 a a NOREPLACE", r2("ren-a", "ren-a", RENAME_NOREPLACE));
    report("renameat2 a a EXCHANGE", r2("ren-a", "ren-a", RENAME_EXCHANGE));
    report("renameat2 a a 0", r2("ren-a", "ren-a", 0));
    report("rename a a", rename("ren-a", "ren-a"));
    report("renameat2 a b NOREPLACE|EXCHANGE", r2("ren-a", "ren-b", RENAME_NOREPLACE | RENAME_EXCHANGE));
    report("renameat2 a missing EXCHANGE", r2("ren-a", "ren-missing", RENAME_EXCHANGE));
    report("renameat2 missing a NOREPLACE", r2("ren-missing", "ren-a", RENAME_NOREPLACE));
    show("ren-a");
    show("ren-b");

    report("mkdir d", mkdir("ren-d", 0755));
    report("renameat2 d d NOREPLACE", r2("ren-d", "ren-d", RENAME_NOREPLACE));
    report("renameat2 d d EXCHANGE", r2("ren-d", "ren-d", RENAME_EXCHANGE));
    report("rename d d", rename("ren-d", "ren-d"));
    report("rename d/ d", rename("ren-d/", "ren-d"));
    report("renameat2 d/ d/ NOREPLACE", r2("ren-d/", "ren-d/", RENAME_NOREPLACE));
    report("renameat2 a d NOREPLACE", r2("ren-a", "ren-d", RENAME_NOREPLACE));
    show("ren-d");

    /* A link in another directory: rename across directories onto the same inode. */
    report("link a d/c", link("ren-a", "ren-d/c"));
    report("rename a d/c", rename("ren-a", "ren-d/c"));
    report("renameat2 d/c a NOREPLACE", r2("ren-d/c", "ren-a", RENAME_NOREPLACE));
    report("renameat2 d/c b EXCHANGE", r2("ren-d/c", "ren-b", RENAME_EXCHANGE));
    show("ren-a");
    show("ren-d/c");
    report("rename d/c e (moves)", rename("ren-d/c", "ren-e"));
    show("ren-a");
    show("ren-e");

    unlink("ren-a");
    unlink("ren-b");
    unlink("ren-e");
    unlink("ren-d/c");
    rmdir("ren-d");
    return 0;
}
