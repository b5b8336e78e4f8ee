/* openat2(2): struct open_how's checks and every RESOLVE_ flag, printed as ok or the errno's name. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_openat2 437
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20
#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

struct how {
    uint64_t flags, mode, resolve;
};

static const char *name(int e) {
    switch (e) {
    case EINVAL: return "EINVAL";
    case E2BIG: return "E2BIG";
    case EFAULT: return "EFAULT";
    case EXDEV: return "EXDEV";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case ENOTDIR: return "ENOTDIR";
    case EEXIST: return "EEXIST";
    case EISDIR: return "EISDIR";
    default: return "other";
    }
}

static long o2(int dirfd, const char *path, const void *how, size_t size) {
    return syscall(NR_openat2, dirfd, path, how, size);
}

/* Opens, prints ok (with the first bytes when the file is regular and readable) or the errno. */
static void try(const char *label, int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct how h = {flags, mode, resolve};
    long fd = o2(dirfd, path, &h, sizeof h);
    if (fd < 0) {
        printf("%s: %s\n", label, name(errno));
        return;
    }
    struct stat st;
    char buf[16] = {0};
    fstat(fd, &st);
    if (S_ISREG(st.st_mode) && !(flags & O_PATH) && (flags & O_ACCMODE) != O_WRONLY && read(fd, buf, 5) < 0) {
        strcpy(buf, "?");
    }
    printf("%s: ok %s%s\n", label, S_ISDIR(st.st_mode) ? "dir" : S_ISLNK(st.st_mode) ? "link" : "file", buf[0] ? " " : "");
    if (buf[0]) {
        printf("  content %s\n", buf);
    }
    close(fd);
}

int main(void) {
    char top[64];
    snprintf(top, sizeof top, "o2.%d", (int) getpid());
    mkdir(top, 0755);
    chdir(top);
    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    int f = open("d/file", O_CREAT | O_WRONLY, 0644);
    write(f, "hello", 5);
    close(f);
    f = open("d/sub/f2", O_CREAT | O_WRONLY, 0644);
    write(f, "world", 5);
    close(f);
    f = open("x", O_CREAT | O_WRONLY, 0644);
    write(f, "outer", 5);
    close(f);
    symlink("/file", "d/abs");
    symlink("../x", "d/up");
    symlink("sub/f2", "d/rel");
    symlink("sub", "d/sublink");
    symlink("loop", "d/loop");
    int d = open("d", O_PATH | O_DIRECTORY);

    /* struct open_how's size and contents. */
    struct how h = {O_RDONLY, 0, 0};
    unsigned char big[64] = {0};
    errno = 0;
    printf("size 0: %s\n", o2(d, "file", &h, 0) < 0 ? name(errno) : "ok");
    printf("size 23: %s\n", o2(d, "file", &h, 23) < 0 ? name(errno) : "ok");
    long fd = o2(d, "file", big, 32);
    printf("size 32 zero tail: %s\n", fd < 0 ? name(errno) : "ok");
    if (fd >= 0) {
        printf("  largefile %d cloexec %d\n", (fcntl(fd, F_GETFL) & 0100000) != 0, fcntl(fd, F_GETFD));
        close(fd);
    }
    big[40] = 1;
    printf("size 64 non-zero tail: %s\n", o2(d, "file", big, 64) < 0 ? name(errno) : "ok");
    printf("size 8192: %s\n", o2(d, "file", big, 8192) < 0 ? name(errno) : "ok");
    printf("how NULL: %s\n", o2(d, "file", NULL, 24) < 0 ? name(errno) : "ok");
    printf("path NULL: %s\n", o2(d, NULL, &h, 24) < 0 ? name(errno) : "ok");
    try("unknown flag", d, "file", 1ULL << 40, 0, 0);
    try("unknown resolve", d, "file", O_RDONLY, 0, 0x40);
    try("beneath and in_root", d, "file", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT);
    try("mode without O_CREAT", d, "file", O_RDONLY, 0644, 0);
    try("mode with S_IFREG", d, "newfile", O_CREAT | O_WRONLY, 0100644, 0);
    try("O_PATH with O_RDWR", d, "file", O_PATH | O_RDWR, 0, 0);
    try("O_PATH with O_CLOEXEC", d, "file", O_PATH | O_CLOEXEC, 0, 0);
    try("O_DIRECTORY with O_CREAT", d, "sub", O_DIRECTORY | O_CREAT, 0, 0);
    try("O_TMPFILE read-only", d, ".", O_TMPFILE | O_RDONLY, 0600, 0);
    try("cloexec", d, "file", O_RDONLY | O_CLOEXEC, 0, 0);
    try("empty path", d, "", O_RDONLY, 0, 0);
    try("bad dirfd", 99, "file", O_RDONLY, 0, 0);
    try("file as dirfd", open("d/file", O_RDONLY), "x", O_RDONLY, 0, 0);

    /* RESOLVE_BENEATH. */
    try("beneath file", d, "file", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath sub/../file", d, "sub/../file", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath ..", d, "..", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath ../x", d, "../x", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath sub/../../x", d, "sub/../../x", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath absolute", d, "/etc/passwd", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath absolute bad dirfd", 99, "/etc/passwd", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath absolute link", d, "abs", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath escaping link", d, "up", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath relative link", d, "rel", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath sub/..", d, "sub/..", O_RDONLY | O_DIRECTORY, 0, RESOLVE_BENEATH);
    try("beneath create", d, "sub/../new", O_CREAT | O_WRONLY | O_EXCL, 0600, RESOLVE_BENEATH);
    try("beneath create again", d, "new", O_CREAT | O_WRONLY | O_EXCL, 0600, RESOLVE_BENEATH);
    try("beneath create outside", d, "../new", O_CREAT | O_WRONLY, 0600, RESOLVE_BENEATH);
    try("beneath cwd", AT_FDCWD, "d/file", O_RDONLY, 0, RESOLVE_BENEATH);
    try("beneath cwd ..", AT_FDCWD, "d/../..", O_RDONLY, 0, RESOLVE_BENEATH);

    /* RESOLVE_IN_ROOT. */
    try("in_root absolute link", d, "abs", O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("in_root absolute path", d, "/file", O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("in_root ../../file", d, "../../file", O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("in_root escaping link", d, "up", O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("in_root /sub/f2", d, "/sub/f2", O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("in_root bad dirfd", 99, "/file", O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("in_root create", d, "/../new2", O_CREAT | O_WRONLY, 0600, RESOLVE_IN_ROOT);
    struct stat st;
    printf("new2 in d: %d\n", stat("d/new2", &st) == 0);

    /* RESOLVE_NO_SYMLINKS. */
    try("no_symlinks link", d, "rel", O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
    try("no_symlinks dir link", d, "sublink/f2", O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
    try("no_symlinks plain", d, "sub/f2", O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
    try("no_symlinks O_PATH|O_NOFOLLOW", d, "rel", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
    try("no_symlinks magic", AT_FDCWD, "/proc/thread-self/fd/0", O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
    try("O_NOFOLLOW link", d, "rel", O_RDONLY | O_NOFOLLOW, 0, 0);
    try("loop", d, "loop", O_RDONLY, 0, 0);

    /* RESOLVE_NO_MAGICLINKS. */
    char magic[64];
    snprintf(magic, sizeof magic, "/proc/self/fd/%d", d);
    try("magic plain", AT_FDCWD, magic, O_RDONLY | O_DIRECTORY, 0, 0);
    try("no_magiclinks fd", AT_FDCWD, magic, O_RDONLY, 0, RESOLVE_NO_MAGICLINKS);
    try("no_magiclinks fd O_PATH|O_NOFOLLOW", AT_FDCWD, magic, O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_MAGICLINKS);
    try("no_magiclinks exe", AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS);
    try("no_magiclinks cwd", AT_FDCWD, "/proc/self/cwd/d/file", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS);
    try("no_magiclinks self", AT_FDCWD, "/proc/self", O_PATH | O_DIRECTORY, 0, RESOLVE_NO_MAGICLINKS);
    try("no_magiclinks ordinary link", d, "rel", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS);
    int proc = open("/proc", O_PATH | O_DIRECTORY);
    snprintf(magic, sizeof magic, "self/fd/%d", d);
    try("beneath magic", proc, magic, O_RDONLY, 0, RESOLVE_BENEATH);
    try("in_root magic", proc, magic, O_RDONLY, 0, RESOLVE_IN_ROOT);
    try("beneath proc self", proc, "self", O_PATH | O_DIRECTORY, 0, RESOLVE_BENEATH);

    /* RESOLVE_NO_XDEV. */
    try("no_xdev /proc", AT_FDCWD, "/proc", O_PATH, 0, RESOLVE_NO_XDEV);
    try("no_xdev /proc/self O_NOFOLLOW", AT_FDCWD, "/proc/self", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_XDEV);
    try("no_xdev /", AT_FDCWD, "/", O_PATH, 0, RESOLVE_NO_XDEV);
    try("no_xdev proc ..", proc, "..", O_PATH, 0, RESOLVE_NO_XDEV);
    try("no_xdev proc self", proc, "self", O_PATH | O_DIRECTORY, 0, RESOLVE_NO_XDEV);
    try("no_xdev d file", d, "sub/../file", O_RDONLY, 0, RESOLVE_NO_XDEV);
    try("no_xdev proc absolute", proc, "/proc", O_PATH, 0, RESOLVE_NO_XDEV);

    /* RESOLVE_CACHED: never for a create or truncate; a lookup is served from the cache or EAGAIN. */
    try("cached create", d, "c", O_CREAT | O_WRONLY, 0600, RESOLVE_CACHED);
    try("cached trunc", d, "file", O_TRUNC | O_WRONLY, 0, RESOLVE_CACHED);
    struct how c = {O_RDONLY, 0, RESOLVE_CACHED};
    fd = o2(d, "file", &c, sizeof c);
    printf("cached lookup: %s\n", fd >= 0 || errno == EAGAIN ? "ok or EAGAIN" : name(errno));

    unlink("d/new");
    unlink("d/new2");
    unlink("d/file");
    unlink("d/sub/f2");
    unlink("d/abs");
    unlink("d/up");
    unlink("d/rel");
    unlink("d/sublink");
    unlink("d/loop");
    rmdir("d/sub");
    rmdir("d");
    unlink("x");
    chdir("..");
    printf("cleaned %d\n", rmdir(top) == 0);
    return 0;
}
