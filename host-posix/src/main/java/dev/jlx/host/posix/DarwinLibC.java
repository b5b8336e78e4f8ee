package dev.jlx.host.posix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * macOS's own signatures ({@code <sys/xattr.h>}, {@code <stdio.h>}, {@code <fcntl.h>},
 * {@code <sys/ioctl.h>}), bound only on a macOS host; C strings as in {@link LibC}. The variadic
 * functions are declared so: Apple's arm64 ABI passes variable arguments on the stack, where a
 * fixed-arity binding would leave them in registers the callee never reads.
 */
public interface DarwinLibC {
    /** int open(const char *path, int oflag, ...); the mode is variadic. */
    @Variadic(fixedCount = 2)
    int open(@In byte[] path, int flags, int mode);

    /** int ioctl(int fildes, unsigned long request, ...); */
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, @Out Pointer arg);

    /** int fcntl(int fildes, int cmd, ...); with an integer argument. */
    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, long arg);

    /** int fcntl(int fildes, int cmd, ...); with a pointer argument, e.g. F_PREALLOCATE's fstore_t. */
    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, Pointer arg);

    /** int renamex_np(const char *from, const char *to, unsigned int flags); (macOS 10.12+) */
    int renamex_np(@In byte[] from, @In byte[] to, int flags);

    /** ssize_t getxattr(const char *path, const char *name, void *value, size_t size, u_int32_t position, int options); */
    @ssize_t long getxattr(@In byte[] path, @In byte[] name, @Out Pointer value, @size_t long size, int position,
            int options);

    /** ssize_t fgetxattr(int fd, const char *name, void *value, size_t size, u_int32_t position, int options); */
    @ssize_t long fgetxattr(int fd, @In byte[] name, @Out Pointer value, @size_t long size, int position, int options);

    /** int setxattr(const char *path, const char *name, const void *value, size_t size, u_int32_t position, int options); */
    int setxattr(@In byte[] path, @In byte[] name, @In Pointer value, @size_t long size, int position, int options);

    /** int fsetxattr(int fd, const char *name, const void *value, size_t size, u_int32_t position, int options); */
    int fsetxattr(int fd, @In byte[] name, @In Pointer value, @size_t long size, int position, int options);

    /** int removexattr(const char *path, const char *name, int options); */
    int removexattr(@In byte[] path, @In byte[] name, int options);

    /** int fremovexattr(int fd, const char *name, int options); */
    int fremovexattr(int fd, @In byte[] name, int options);

    /** ssize_t listxattr(const char *path, char *namebuff, size_t size, int options); */
    @ssize_t long listxattr(@In byte[] path, @Out Pointer list, @size_t long size, int options);

    /** ssize_t flistxattr(int fd, char *namebuff, size_t size, int options); */
    @ssize_t long flistxattr(int fd, @Out Pointer list, @size_t long size, int options);
}
