package dev.jlx.host.posix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls jlx makes (jnr-posix, whose binding takes a third of a second of start-up CPU, is
 * left for the stat of hosts whose struct stat jlx does not know, {@link StatLayout}): the data
 * calls take a {@link Pointer} to guest memory so the host reads and writes it in place, and every
 * path or name is a {@code byte[]} holding a NUL-terminated C string ({@code ByteString.toCString()}),
 * passed as those bytes (jnr-ffi would encode a {@code String} in the JVM's charset, which cannot
 * carry a name that is not valid in it). Every call here exists on Linux and macOS with the same
 * signature, except the xattr calls (Linux's signatures, called on Linux only; macOS's are in
 * {@link DarwinLibC}). Linux-only calls are in {@link LinuxOnly}, which only the {@code posix}
 * profile on a Linux host binds. The variadic functions (open, ioctl, fcntl) are bound with fixed
 * arguments, which x86-64 passes where a variadic callee reads them; Apple's arm64 ABI passes
 * variable arguments on the stack, so macOS calls them through {@link DarwinLibC}'s variadic
 * bindings (jnr-ffi invokes those through a slower, per-call path, which Linux need not pay).
 */
public interface LibC {
    /** ssize_t read(int fd, void *buf, size_t count); */
    @ssize_t long read(int fd, @Out Pointer buf, @size_t long count);

    /** ssize_t write(int fd, const void *buf, size_t count); */
    @ssize_t long write(int fd, @In Pointer buf, @size_t long count);

    /** ssize_t pread(int fd, void *buf, size_t count, off_t offset); */
    @ssize_t long pread(int fd, @Out Pointer buf, @size_t long count, long offset);

    /** ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset); */
    @ssize_t long pwrite(int fd, @In Pointer buf, @size_t long count, long offset);

    /** off_t lseek(int fd, off_t offset, int whence); */
    long lseek(int fd, long offset, int whence);

    /** int ftruncate(int fd, off_t length); */
    int ftruncate(int fd, long length);

    /** int ioctl(int fd, unsigned long request, ...); with a pointer argument. */
    int ioctl(int fd, long request, @Out Pointer arg);

    /** int fcntl(int fd, int cmd, ...); with an integer argument (F_GETFL takes none, 0 is ignored). */
    int fcntl(int fd, int cmd, long arg);

    /**
     * int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
     * macOS's is bound as {@code select$DARWIN_EXTSN}, which takes sets of any size (see {@link FdSet}).
     */
    int select(int nfds, Pointer readfds, Pointer writefds, Pointer exceptfds, Pointer timeout);

    /** int poll(struct pollfd *fds, nfds_t nfds, int timeout); */
    int poll(Pointer fds, long nfds, int timeout);

    /** sighandler_t signal(int signum, sighandler_t handler); a null handler is SIG_DFL. */
    Pointer signal(int signum, Pointer handler);

    /** int tcgetattr(int fd, struct termios *termios_p); */
    int tcgetattr(int fd, @Out Pointer termios);

    /** int tcsetattr(int fd, int optional_actions, const struct termios *termios_p); (macOS: Linux hosts use TCSETS) */
    int tcsetattr(int fd, int action, @In Pointer termios);

    /** pid_t tcgetpgrp(int fd); ENOTTY when fd is not the caller's controlling terminal. */
    int tcgetpgrp(int fd);

    /** pid_t getpgrp(void); */
    int getpgrp();

    /** int tcflush(int fd, int queue_selector); */
    int tcflush(int fd, int queues);

    /** int tcflow(int fd, int action); */
    int tcflow(int fd, int action);

    /** int tcdrain(int fd); */
    int tcdrain(int fd);

    /** int tcsendbreak(int fd, int duration); glibc: duration in milliseconds, rounded up to tenths (TCSBRKP). */
    int tcsendbreak(int fd, int duration);

    /** int dup(int oldfd); */
    int dup(int fd);

    /** DIR *opendir(const char *name); */
    Pointer opendir(@In byte[] name);

    /** struct dirent *readdir(DIR *dirp); NULL at the end, or on error with errno set. */
    Pointer readdir(Pointer dir);

    /** int closedir(DIR *dirp); */
    int closedir(Pointer dir);

    /** int utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags); */
    int utimensat(int dirfd, @In byte[] path, @In Pointer times, int flags);

    /** int futimens(int fd, const struct timespec times[2]); */
    int futimens(int fd, @In Pointer times);

    /** int open(const char *path, int flags, ... mode_t mode); */
    int open(@In byte[] path, int flags, int mode);

    /** int access(const char *path, int mode); */
    int access(@In byte[] path, int mode);

    /** ssize_t readlink(const char *path, char *buf, size_t bufsiz); */
    @ssize_t long readlink(@In byte[] path, @Out Pointer buf, @size_t long size);

    /** int mkdir(const char *path, mode_t mode); */
    int mkdir(@In byte[] path, int mode);

    /** int rename(const char *oldpath, const char *newpath); */
    int rename(@In byte[] oldpath, @In byte[] newpath);

    /** int link(const char *oldpath, const char *newpath); */
    int link(@In byte[] oldpath, @In byte[] newpath);

    /** int symlink(const char *target, const char *linkpath); */
    int symlink(@In byte[] target, @In byte[] linkpath);

    /** int chmod(const char *path, mode_t mode); */
    int chmod(@In byte[] path, int mode);

    /** int lchown(const char *path, uid_t owner, gid_t group); */
    int lchown(@In byte[] path, int owner, int group);

    /** int truncate(const char *path, off_t length); */
    int truncate(@In byte[] path, long length);

    /** int mkfifo(const char *path, mode_t mode); */
    int mkfifo(@In byte[] path, int mode);

    /** int unlink(const char *path); */
    int unlink(@In byte[] path);

    /** int rmdir(const char *path); */
    int rmdir(@In byte[] path);

    /** void sync(void); */
    void sync();

    // Extended attributes, Linux's signatures: Linux hosts only (macOS's are in DarwinLibC).
    @ssize_t long getxattr(@In byte[] path, @In byte[] name, @Out Pointer value, @size_t long size);

    @ssize_t long lgetxattr(@In byte[] path, @In byte[] name, @Out Pointer value, @size_t long size);

    @ssize_t long fgetxattr(int fd, @In byte[] name, @Out Pointer value, @size_t long size);

    @ssize_t long listxattr(@In byte[] path, @Out Pointer list, @size_t long size);

    @ssize_t long llistxattr(@In byte[] path, @Out Pointer list, @size_t long size);

    @ssize_t long flistxattr(int fd, @Out Pointer list, @size_t long size);

    int setxattr(@In byte[] path, @In byte[] name, @In Pointer value, @size_t long size, int flags);

    int lsetxattr(@In byte[] path, @In byte[] name, @In Pointer value, @size_t long size, int flags);

    int fsetxattr(int fd, @In byte[] name, @In Pointer value, @size_t long size, int flags);

    int removexattr(@In byte[] path, @In byte[] name);

    int lremovexattr(@In byte[] path, @In byte[] name);

    int fremovexattr(int fd, @In byte[] name);

    /** void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset); */
    long mmap(long addr, @size_t long length, int prot, int flags, int fd, long offset);

    /** int statfs(const char *path, struct statfs *buf); the layout is the host's (see {@link StatfsLayout}). */
    int statfs(@In byte[] path, @Out Pointer buf);

    /** int fstatfs(int fd, struct statfs *buf); the layout is the host's. */
    int fstatfs(int fd, @Out Pointer buf);

    /** int close(int fd); */
    int close(int fd);

    /** int fsync(int fd); */
    int fsync(int fd);

    /** int fdatasync(int fd); */
    int fdatasync(int fd);

    /** int fchmod(int fd, mode_t mode); */
    int fchmod(int fd, int mode);

    /** int fchown(int fd, uid_t owner, gid_t group); */
    int fchown(int fd, int owner, int group);

    /** int flock(int fd, int operation); */
    int flock(int fd, int operation);

    /** int isatty(int fd); */
    int isatty(int fd);

    /** mode_t umask(mode_t mask); (macOS's mode_t is 16 bits: callers keep the permission bits) */
    int umask(int mask);

    /** uid_t getuid(void); */
    int getuid();

    /** gid_t getgid(void); */
    int getgid();

    /** uid_t geteuid(void); */
    int geteuid();

    /** gid_t getegid(void); */
    int getegid();

    /** int getgroups(int size, gid_t list[]); */
    int getgroups(int size, @Out int[] list);

    /** int gethostname(char *name, size_t len); */
    int gethostname(@Out byte[] name, @size_t long len);

    /** int getpriority(int which, id_t who); -1 is also a priority. */
    int getpriority(int which, int who);

    /** int getrlimit(int resource, struct rlimit *rlim); */
    int getrlimit(int resource, @Out Pointer rlim);

    /** int stat(const char *path, struct stat *buf); the layout is the host's (see {@link StatLayout}); glibc 2.33+. */
    int stat(@In byte[] path, @Out Pointer buf);

    /** int lstat(const char *path, struct stat *buf); glibc 2.33+. */
    int lstat(@In byte[] path, @Out Pointer buf);

    /** int fstat(int fd, struct stat *buf); glibc 2.33+. */
    int fstat(int fd, @Out Pointer buf);
}
