package dev.jlx.host.posix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The Linux-only calls of the {@code posix} profile on a Linux host: what macOS lacks (statx,
 * openat2, fallocate, renameat2). Bound only when that profile runs on Linux ({@link NativePosix#linuxOnly()}),
 * so the {@code portable} profile provably runs without them; C strings as in {@link LibC}.
 */
public interface LinuxOnly {
    /** int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf); (glibc 2.28+) */
    int statx(int dirfd, @In byte[] path, int flags, int mask, @Out Pointer buf);

    /** long syscall(long number, ...); used for openat2(2), which glibc 2.36 does not wrap. */
    long syscall(long number, int dirfd, @In byte[] path, @In Pointer how, long size);

    /** int fallocate(int fd, int mode, off_t offset, off_t len); */
    int fallocate(int fd, int mode, long offset, long len);

    /** int mknod(const char *path, mode_t mode, dev_t dev); (glibc 2.33+ exports it) */
    int mknod(@In byte[] path, int mode, long dev);

    /** int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags); */
    int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);
}
