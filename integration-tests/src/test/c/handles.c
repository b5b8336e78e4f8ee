/* name_to_handle_at and open_by_handle_at in the working directory: the handle's size and type,
 * EOVERFLOW with the size needed, the mount id as statx gives it, AT_EMPTY_PATH, AT_SYMLINK_FOLLOW,
 * AT_HANDLE_FID, AT_HANDLE_MNT_ID_UNIQUE, a round trip reading the file back, and the errnos
 * (EINVAL, ENOENT, EFAULT, EOPNOTSUPP, EBADF, ENOTDIR, ESTALE, EPERM). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define HANDLE_FID 0x200
#define HANDLE_MNT_ID_UNIQUE 0x001
#define MNT_ID_UNIQUE 0x4000

struct fh {
    unsigned int handle_bytes;
    int handle_type;
    unsigned char f_handle[128];
};

static long n2h(int dfd, const char *path, void *h, void *mnt, int flags) {
    return syscall(SYS_name_to_handle_at, dfd, path, h, mnt, flags);
}

static long obh(int mfd, void *h, int flags) {
    return syscall(SYS_open_by_handle_at, mfd, h, flags);
}

static const char *rc(long r) {
    return r >= 0 ? "0" : errno == ESTALE ? "ESTALE" : errname(errno);
}

static uint64_t statx_mnt(const char *path, unsigned mask) {
    unsigned char buf[256];
    memset(buf, 0, sizeof buf);
    if (syscall(SYS_statx, AT_FDCWD, path, 0, mask, buf) < 0) return 0;
    uint64_t id;
    memcpy(&id, buf + 0x90, 8);
    return id;
}

static void readback(long fd) {
    char buf[64] = {0};
    if (fd < 0) {
        printf("  open: %s\n", rc(fd));
        return;
    }
    long n = read((int) fd, buf, sizeof buf - 1);
    printf("  open: fd, read %ld \"%.*s\"\n", n, n > 0 ? (int) n - 1 : 0, buf);
    close((int) fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    unlink("hfile");
    unlink("hlink");
    unlink("hgone");
    rmdir("hdir");
    int fd = open("hfile", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, "hello handle\n", 13);
    close(fd);
    mkdir("hdir", 0755);
    symlink("hfile", "hlink");
    fd = open("hgone", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(fd);

    struct fh h, h2, small;
    int mnt = -1;
    small.handle_bytes = 0;
    long r = n2h(AT_FDCWD, "hfile", &small, &mnt, 0);
    printf("handle_bytes 0: %s, needed %u, type %d, mount id as statx %d\n", rc(r), small.handle_bytes,
           small.handle_type, (uint64_t) mnt == statx_mnt("hfile", 0x1000));
    small.handle_bytes = 4;
    r = n2h(AT_FDCWD, "hfile", &small, &mnt, 0);
    printf("handle_bytes 4: %s, needed %u\n", rc(r), small.handle_bytes);
    h.handle_bytes = 128;
    mnt = -1;
    r = n2h(AT_FDCWD, "hfile", &h, &mnt, 0);
    printf("file: %s, bytes %u, type %d, mount id as statx %d\n", rc(r), h.handle_bytes, h.handle_type,
           (uint64_t) mnt == statx_mnt("hfile", 0x1000));
    uint64_t unique = 0;
    h2.handle_bytes = 128;
    r = n2h(AT_FDCWD, "hfile", &h2, &unique, HANDLE_MNT_ID_UNIQUE);
    printf("AT_HANDLE_MNT_ID_UNIQUE: %s, as statx %d, same handle %d\n", rc(r), unique == statx_mnt("hfile", MNT_ID_UNIQUE),
           !memcmp(&h, &h2, 8 + h.handle_bytes));
    fd = open("hfile", O_RDONLY);
    h2.handle_bytes = 128;
    r = n2h(fd, "", &h2, &mnt, AT_EMPTY_PATH);
    printf("AT_EMPTY_PATH: %s, same handle %d\n", rc(r), !memcmp(&h, &h2, 8 + h.handle_bytes));
    h2.handle_bytes = 128;
    r = n2h(fd, "", &h2, &mnt, 0);
    printf("empty path: %s\n", rc(r));
    close(fd);
    h2.handle_bytes = 128;
    r = n2h(AT_FDCWD, "hlink", &h2, &mnt, AT_SYMLINK_FOLLOW);
    printf("link followed: %s, same handle %d\n", rc(r), !memcmp(&h, &h2, 8 + h.handle_bytes));
    struct fh hl;
    hl.handle_bytes = 128;
    r = n2h(AT_FDCWD, "hlink", &hl, &mnt, 0);
    printf("link itself: %s, same handle %d\n", rc(r), !memcmp(&h, &hl, 8 + h.handle_bytes));
    h2.handle_bytes = 128;
    r = n2h(AT_FDCWD, "hfile", &h2, &mnt, HANDLE_FID);
    printf("AT_HANDLE_FID: %s, bytes %u type %d\n", rc(r), h2.handle_bytes, h2.handle_type);
    struct fh hd;
    hd.handle_bytes = 128;
    r = n2h(AT_FDCWD, "hdir", &hd, &mnt, 0);
    printf("directory: %s, bytes %u type %d\n", rc(r), hd.handle_bytes, hd.handle_type);
    h2.handle_bytes = 128;
    printf("bad flags: %s\n", rc(n2h(AT_FDCWD, "hfile", &h2, &mnt, 0x8)));
    h2.handle_bytes = 129;
    printf("handle_bytes 129: %s\n", rc(n2h(AT_FDCWD, "hfile", &h2, &mnt, 0)));
    h2.handle_bytes = 128;
    printf("missing: %s\n", rc(n2h(AT_FDCWD, "nonexistent", &h2, &mnt, 0)));
    printf("bad handle: %s\n", rc(n2h(AT_FDCWD, "hfile", (void *) 8, &mnt, 0)));
    printf("bad mount id: %s\n", rc(n2h(AT_FDCWD, "hfile", &h2, (void *) 8, 0)));
    h2.handle_bytes = 128;
    printf("procfs: %s\n", rc(n2h(AT_FDCWD, "/proc/self/status", &h2, &mnt, 0)));

    printf("open_by_handle_at:\n");
    printf(" mount fd -1: %s\n", rc(obh(-1, &h, O_RDONLY)));
    printf(" mount fd 99: %s\n", rc(obh(99, &h, O_RDONLY)));
    printf(" AT_FDCWD:\n");
    readback(obh(AT_FDCWD, &h, O_RDONLY));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    printf(" the directory's fd:\n");
    readback(obh(dir, &h, O_RDONLY | O_CLOEXEC));
    printf(" O_DIRECTORY on a file: %s\n", rc(obh(dir, &h, O_RDONLY | O_DIRECTORY)));
    long dfd = obh(dir, &hd, O_RDONLY | O_DIRECTORY);
    struct stat st;
    printf(" directory: %s, a directory %d\n", rc(dfd), dfd >= 0 && fstat((int) dfd, &st) == 0 && S_ISDIR(st.st_mode));
    if (dfd >= 0) close((int) dfd);
    long lfd = obh(dir, &hl, O_RDONLY | O_PATH);
    printf(" link with O_PATH: %s, a link %d\n", rc(lfd), lfd >= 0 && fstat((int) lfd, &st) == 0 && S_ISLNK(st.st_mode));
    if (lfd >= 0) close((int) lfd);
    struct fh bad = h;
    bad.handle_bytes = 0;
    printf(" handle_bytes 0: %s\n", rc(obh(dir, &bad, O_RDONLY)));
    bad.handle_bytes = 129;
    printf(" handle_bytes 129: %s\n", rc(obh(dir, &bad, O_RDONLY)));
    bad = h;
    bad.handle_type = -1;
    printf(" type -1: %s\n", rc(obh(dir, &bad, O_RDONLY)));
    bad = h;
    memset(bad.f_handle, 0xff, h.handle_bytes);
    printf(" garbage: %s\n", rc(obh(dir, &bad, O_RDONLY)));
    printf(" bad pointer: %s\n", rc(obh(dir, (void *) 8, O_RDONLY)));
    struct fh hg;
    hg.handle_bytes = 128;
    n2h(AT_FDCWD, "hgone", &hg, &mnt, 0);
    unlink("hgone");
    printf(" unlinked file: %s\n", rc(obh(dir, &hg, O_RDONLY)));

    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0) _exit(1);
        printf(" without CAP_DAC_READ_SEARCH: %s\n", rc(obh(dir, &h, O_RDONLY)));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    close(dir);
    unlink("hfile");
    unlink("hlink");
    rmdir("hdir");
    return 0;
}
