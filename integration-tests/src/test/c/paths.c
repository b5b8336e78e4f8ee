/*
 * Path and directory calls at their edges: each line is a call's result and errno. Runs in an empty
 * scratch directory (the current one) natively first, then under jlx.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHOW(label, expr) do { errno = 0; long r_ = (long) (expr); int e_ = errno; \
    printf("%-44s %s %s\n", label, r_ < 0 ? "-1" : "ok", r_ < 0 ? strerror(e_) : ""); } while (0)

int main(void) {
    char buf[PATH_MAX];
    SHOW("mkdir d", mkdir("d", 0755));
    SHOW("mkdir d again", mkdir("d", 0755));
    SHOW("mkdir missing/parent", mkdir("missing/x", 0755));
    SHOW("mkdir d/e/ (trailing slash)", mkdir("d/e/", 0755));
    SHOW("creat f", close(open("f", O_CREAT | O_WRONLY, 0644)));
    SHOW("open f O_CREAT|O_EXCL", open("f", O_CREAT | O_EXCL | O_WRONLY, 0644));
    SHOW("open f/ (trailing slash)", open("f/", O_RDONLY));
    SHOW("open f O_DIRECTORY", open("f", O_RDONLY | O_DIRECTORY));
    SHOW("open d O_WRONLY", open("d", O_WRONLY));
    SHOW("open d O_DIRECTORY", open("d", O_RDONLY | O_DIRECTORY));
    SHOW("open f/x", open("f/x", O_RDONLY));
    SHOW("open '' ", open("", O_RDONLY));
    SHOW("symlink f -> l", symlink("f", "l"));
    SHOW("symlink again", symlink("f", "l"));
    SHOW("symlink '' -> l2", symlink("", "l2"));
    SHOW("open l O_NOFOLLOW", open("l", O_RDONLY | O_NOFOLLOW));
    SHOW("open l O_NOFOLLOW|O_PATH", open("l", O_RDONLY | O_NOFOLLOW | O_PATH));
    SHOW("symlink loop a -> b", symlink("b", "a"));
    SHOW("symlink loop b -> a", symlink("a", "b"));
    SHOW("open loop", open("a", O_RDONLY));
    SHOW("stat loop", stat("a", &(struct stat){0}));
    SHOW("lstat loop", lstat("a", &(struct stat){0}));
    SHOW("symlink dangling -> nowhere", symlink("nowhere", "dangling"));
    SHOW("stat dangling", stat("dangling", &(struct stat){0}));
    SHOW("open dangling O_CREAT", close(open("dangling", O_CREAT | O_WRONLY, 0600)));
    SHOW("nowhere now exists", access("nowhere", F_OK));
    SHOW("readlink f (not a link)", readlink("f", buf, sizeof buf));
    SHOW("readlink l size 0", syscall(SYS_readlink, "l", buf, 0));
    ssize_t n = readlink("l", buf, 1);
    printf("%-44s %zd [%.*s]\n", "readlink l into 1 byte", n, (int) n, buf);
    SHOW("rmdir f", rmdir("f"));
    SHOW("rmdir .", rmdir("."));
    SHOW("rmdir missing", rmdir("missing"));
    SHOW("unlink d", unlink("d"));
    SHOW("mkdir d/sub", mkdir("d/sub", 0755));
    SHOW("rmdir d (not empty)", rmdir("d"));
    SHOW("rename f -> d (file over dir)", rename("f", "d"));
    SHOW("rename d -> f (dir over file)", rename("d", "f"));
    SHOW("rename d -> d/sub/x (into itself)", rename("d", "d/sub/x"));
    SHOW("mkdir e", mkdir("e", 0755));
    SHOW("rename e -> d (over non-empty)", rename("e", "d"));
    SHOW("rename d/sub -> e (over empty)", rename("d/sub", "e"));
    SHOW("rename missing -> x", rename("missing", "x"));
    SHOW("rename f -> f", rename("f", "f"));
    SHOW("link f -> hard", link("f", "hard"));
    SHOW("link d -> dirlink", link("d", "dirlink"));
    SHOW("link missing -> x", link("missing", "x"));
    SHOW("link f -> hard (exists)", link("f", "hard"));
    struct stat st;
    stat("f", &st);
    printf("%-44s %lu\n", "nlink of f", (unsigned long) st.st_nlink);
    SHOW("unlink hard", unlink("hard"));
    stat("f", &st);
    printf("%-44s %lu\n", "nlink of f after", (unsigned long) st.st_nlink);
    SHOW("access f W_OK", access("f", W_OK));
    SHOW("access f X_OK", access("f", X_OK));
    SHOW("access f bad mode", access("f", 0x40));
    SHOW("chmod f 0", chmod("f", 0));
    stat("f", &st);
    printf("%-44s %o\n", "mode of f", st.st_mode & 07777);
    SHOW("utimensat f OMIT/NOW", utimensat(AT_FDCWD, "f", (struct timespec[]) {{0, UTIME_OMIT}, {0, UTIME_NOW}}, 0));
    SHOW("utimensat f bad nsec", utimensat(AT_FDCWD, "f", (struct timespec[]) {{0, 2000000000}, {0, 0}}, 0));
    SHOW("utimensat set", utimensat(AT_FDCWD, "f", (struct timespec[]) {{1000, 5}, {2000, 7}}, 0));
    stat("f", &st);
    printf("%-44s %ld.%ld %ld.%ld\n", "times of f", (long) st.st_atim.tv_sec, st.st_atim.tv_nsec,
            (long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    SHOW("openat(d, x) O_CREAT", close(openat(dfd, "x", O_CREAT | O_WRONLY, 0644)));
    SHOW("fstatat(d, x)", fstatat(dfd, "x", &st, 0));
    SHOW("fstatat(d, '', AT_EMPTY_PATH)", fstatat(dfd, "", &st, AT_EMPTY_PATH));
    printf("%-44s %d\n", "that is a directory", S_ISDIR(st.st_mode));
    SHOW("fstatat(d, '', 0)", fstatat(dfd, "", &st, 0));
    SHOW("fstatat(f-fd, x)", fstatat(open("f", O_RDONLY | O_PATH), "x", &st, 0));
    SHOW("unlinkat(d, x, AT_REMOVEDIR)", unlinkat(dfd, "x", AT_REMOVEDIR));
    SHOW("unlinkat(d, x, 0)", unlinkat(dfd, "x", 0));
    SHOW("unlinkat bad flags", unlinkat(dfd, "x", 0x1));
    SHOW("fchdir(d)", fchdir(dfd));
    printf("%-44s %s\n", "cwd ends with /d", strcmp(strrchr(getcwd(buf, sizeof buf), '/'), "/d") == 0 ? "yes" : "no");
    SHOW("getcwd into 2 bytes", getcwd(buf, 2) == NULL ? -1 : 0);
    SHOW("chdir ..", chdir(".."));
    SHOW("chdir f", chdir("f"));
    char name[300];
    memset(name, 'n', 299);
    name[299] = 0;
    SHOW("open a 299-byte name", open(name, O_RDONLY));
    SHOW("mkdir a 299-byte name", mkdir(name, 0755));
    for (int i = 0; i < 5; i++) {
        char p[32];
        snprintf(p, sizeof p, "list/%d", i);
        mkdir("list", 0755);
        close(open(p, O_CREAT | O_WRONLY, 0644));
    }
    DIR *dir = opendir("list");
    int count = 0;
    long mark = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (++count == 3) {
            mark = telldir(dir);
        }
    }
    seekdir(dir, mark);
    int after = 0;
    while (readdir(dir) != NULL) {
        after++;
    }
    rewinddir(dir);
    int again = 0;
    while (readdir(dir) != NULL) {
        again++;
    }
    printf("%-44s %d entries, %d after the mark, %d after rewind\n", "readdir list", count, after, again);
    closedir(dir);
    int tmp = open(".", O_TMPFILE | O_RDWR, 0600);
    SHOW("O_TMPFILE in .", tmp);
    SHOW("write to it", write(tmp, "abc", 3));
    fstat(tmp, &st);
    printf("%-44s size %lld nlink %lu mode %o\n", "the unnamed file", (long long) st.st_size,
            (unsigned long) st.st_nlink, st.st_mode & 07777);
    int avail = -1;
    lseek(tmp, 1, SEEK_SET);
    SHOW("FIONREAD on the unnamed file", ioctl(tmp, FIONREAD, &avail));
    printf("%-44s %d\n", "bytes readable at offset 1", avail);
    SHOW("FIONREAD on a directory", ioctl(dfd, FIONREAD, &avail));
    SHOW("FIONREAD on an O_PATH fd", ioctl(open("f", O_PATH), FIONREAD, &avail));
    SHOW("FIOCLEX on an O_PATH fd", ioctl(open("f", O_PATH), FIOCLEX));
    SHOW("O_TMPFILE read-only", open(".", O_TMPFILE | O_RDONLY, 0600));
    SHOW("O_TMPFILE on a file", open("f", O_TMPFILE | O_RDWR, 0600));
    chmod("f", 0644);
    int l1 = open("f", O_RDONLY);
    int l2 = open("f", O_RDONLY);
    SHOW("flock exclusive", flock(l1, LOCK_EX | LOCK_NB));
    SHOW("flock shared from another open", flock(l2, LOCK_SH | LOCK_NB));
    SHOW("flock again by the holder", flock(dup(l1), LOCK_SH | LOCK_NB));
    SHOW("flock shared now", flock(l2, LOCK_SH | LOCK_NB));
    close(l1);
    SHOW("flock exclusive after close", flock(l2, LOCK_EX | LOCK_NB));
    SHOW("flock bad operation", flock(l2, 0));
    return 0;
}
