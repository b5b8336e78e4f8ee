/*
 * statx(2) against lstat(2) for the same paths: the basic fields must agree, errors must match; the
 * mount id and mount-root attribute. musl 1.2.3 has no statx wrapper, so the struct (linux/stat.h)
 * and the call are spelled out here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define BASIC_STATS 0x7ffu /* STATX_BASIC_STATS */
#define STATX_MNT_ID_BIT 0x1000u
#define ATTR_AUTOMOUNT 0x1000ull
#define ATTR_MOUNT_ROOT 0x2000ull
#define ATTR_DAX 0x200000ull

struct kstatx_timestamp {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};

struct kstatx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, spare0;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct kstatx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare[14]; /* stx_mnt_id first */
};

static int statx_call(int dirfd, const char *path, int flags, unsigned mask, struct kstatx *x) {
    return (int) syscall(332, dirfd, path, flags, mask, x);
}

int main(int argc, char **argv) {
    const char *paths[] = {".", argv[0], "/", "/dev/null", "/nonexistent", ""};
    for (unsigned i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct kstatx x;
        struct stat s;
        int rx = statx_call(AT_FDCWD, paths[i], AT_SYMLINK_NOFOLLOW, BASIC_STATS, &x);
        int ex = errno;
        int rs = lstat(paths[i], &s);
        if (rx != 0 || rs != 0) {
            printf("%s: statx %d %s, lstat %d\n", paths[i], rx, strerror(ex), rs);
            continue;
        }
        int same = x.stx_mode == s.st_mode && x.stx_ino == s.st_ino && x.stx_nlink == s.st_nlink
                && x.stx_uid == s.st_uid && x.stx_gid == s.st_gid && (long long) x.stx_size == s.st_size
                && (long long) x.stx_blocks == s.st_blocks && x.stx_mtime.tv_sec == s.st_mtim.tv_sec
                && x.stx_mtime.tv_nsec == (uint32_t) s.st_mtim.tv_nsec && makedev(x.stx_dev_major, x.stx_dev_minor) == s.st_dev
                && makedev(x.stx_rdev_major, x.stx_rdev_minor) == s.st_rdev;
        printf("%s: basic stats %s, agree with lstat %d, mode %o\n", i == 1 ? "self" : paths[i],
                (x.stx_mask & BASIC_STATS) == BASIC_STATS ? "all" : "missing", same, x.stx_mode);
    }
    /* Every statx tells the mount (the id fdinfo shows too) and whether the file is its root. */
    const char *mounted[] = {".", "/", "/proc", "/proc/self/status", "/dev/null"};
    for (unsigned i = 0; i < sizeof mounted / sizeof *mounted; i++) {
        struct kstatx x;
        if (statx_call(AT_FDCWD, mounted[i], 0, BASIC_STATS, &x) != 0) {
            printf("%s: statx %s\n", mounted[i], strerror(errno));
            continue;
        }
        char fdinfo[64], buf[256];
        int fd = open(mounted[i], O_PATH);
        snprintf(fdinfo, sizeof fdinfo, "/proc/self/fdinfo/%d", fd);
        int info = open(fdinfo, O_RDONLY);
        ssize_t n = read(info, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        close(info);
        close(fd);
        char *at = strstr(buf, "mnt_id:");
        unsigned long long mnt_id = at != NULL ? strtoull(at + 7, NULL, 10) : 0;
        printf("%s: STATX_MNT_ID %d, as fdinfo's %d, mount root %d, supports AUTOMOUNT|MOUNT_ROOT|DAX %d\n",
                mounted[i], (x.stx_mask & STATX_MNT_ID_BIT) != 0, x.spare[0] == mnt_id,
                (x.stx_attributes & ATTR_MOUNT_ROOT) != 0,
                (x.stx_attributes_mask & (ATTR_AUTOMOUNT | ATTR_MOUNT_ROOT | ATTR_DAX))
                        == (ATTR_AUTOMOUNT | ATTR_MOUNT_ROOT | ATTR_DAX));
    }
    struct kstatx x;
    int r = statx_call(AT_FDCWD, ".", 0x8000000, BASIC_STATS, &x);
    printf("bad flags %d %s\n", r, strerror(errno));
    return 0;
}
