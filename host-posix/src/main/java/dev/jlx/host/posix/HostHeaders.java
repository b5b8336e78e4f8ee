package dev.jlx.host.posix;

import static java.util.Map.entry;

import java.util.Map;

/**
 * Values from a POSIX host's C headers that jnr-constants 0.10.4 does not carry (it has no stat
 * mode, whence, {@code AT_*}, {@code UTIME_*} or ioctl tables, and lacks some open flags), keyed by
 * their C name so that {@link HostConstants} can translate by name like it does for jnr-constants.
 * A name an OS does not define is absent from its table.
 */
final class HostHeaders {
    private HostHeaders() {}

    /**
     * Linux x86-64 with glibc: {@code <bits/fcntl-linux.h>}, {@code <bits/stat.h>},
     * {@code <stdio.h>}, {@code <fcntl.h>}, {@code <asm-generic/ioctls.h>} and {@code <bits/termios.h>}.
     */
    static final Map<String, Long> LINUX = Map.ofEntries(
            entry("O_DSYNC", 010000L),
            entry("O_DIRECT", 040000L),
            entry("O_NOATIME", 01000000L),
            entry("O_PATH", 010000000L),
            entry("S_IFMT", 0170000L),
            entry("S_IFIFO", 0010000L),
            entry("S_IFCHR", 0020000L),
            entry("S_IFDIR", 0040000L),
            entry("S_IFBLK", 0060000L),
            entry("S_IFREG", 0100000L),
            entry("S_IFLNK", 0120000L),
            entry("S_IFSOCK", 0140000L),
            entry("SEEK_SET", 0L),
            entry("SEEK_CUR", 1L),
            entry("SEEK_END", 2L),
            entry("SEEK_DATA", 3L),
            entry("SEEK_HOLE", 4L),
            entry("AT_FDCWD", -100L),
            entry("AT_SYMLINK_NOFOLLOW", 0x100L),
            entry("UTIME_NOW", (1L << 30) - 1),
            entry("UTIME_OMIT", (1L << 30) - 2),
            entry("TIOCGWINSZ", 0x5413L),
            entry("FIONREAD", 0x541BL),
            // <asm-generic/ioctls.h>: the termios ioctls with Linux's own struct termios (the guest's)
            entry("TCGETS", 0x5401L),
            entry("TCSETS", 0x5402L),
            entry("TIOCOUTQ", 0x5411L),
            entry("TIOCSWINSZ", 0x5414L),
            entry("TIOCSBRK", 0x5427L),
            entry("TIOCCBRK", 0x5428L),
            // <bits/termios.h>: tcflush's queues and tcflow's actions
            entry("TCIFLUSH", 0L),
            entry("TCOFLUSH", 1L),
            entry("TCIOFLUSH", 2L),
            entry("TCOOFF", 0L),
            entry("TCOON", 1L),
            entry("TCIOFF", 2L),
            entry("TCION", 3L),
            entry("RENAME_NOREPLACE", 1L),
            entry("RENAME_EXCHANGE", 2L));

    /**
     * macOS: {@code <sys/fcntl.h>}, {@code <sys/stat.h>}, {@code <sys/_types/_seek_set.h>} and
     * {@code <sys/ttycom.h>} and {@code <sys/termios.h>}. It has no O_DIRECT (F_NOCACHE instead), O_NOATIME, O_PATH or
     * O_TMPFILE; its SEEK_HOLE and SEEK_DATA are Linux's swapped; S_IFWHT has no Linux analogue.
     */
    static final Map<String, Long> DARWIN = Map.ofEntries(
            entry("O_DSYNC", 0x400000L),
            entry("S_IFMT", 0170000L),
            entry("S_IFIFO", 0010000L),
            entry("S_IFCHR", 0020000L),
            entry("S_IFDIR", 0040000L),
            entry("S_IFBLK", 0060000L),
            entry("S_IFREG", 0100000L),
            entry("S_IFLNK", 0120000L),
            entry("S_IFSOCK", 0140000L),
            entry("S_IFWHT", 0160000L),
            entry("SEEK_SET", 0L),
            entry("SEEK_CUR", 1L),
            entry("SEEK_END", 2L),
            entry("SEEK_HOLE", 3L),
            entry("SEEK_DATA", 4L),
            entry("AT_FDCWD", -2L),
            entry("AT_SYMLINK_NOFOLLOW", 0x20L),
            entry("UTIME_NOW", -1L),
            entry("UTIME_OMIT", -2L),
            // _IOR('t', 104, struct winsize)
            entry("TIOCGWINSZ", 0x40087468L),
            // _IOR('f', 127, int)
            entry("FIONREAD", 0x4004667fL),
            // <sys/ttycom.h>: _IOR('t', 115, int), _IOW('t', 103, struct winsize), _IO('t', 123), _IO('t', 122)
            entry("TIOCOUTQ", 0x40047473L),
            entry("TIOCSWINSZ", 0x80087467L),
            entry("TIOCSBRK", 0x2000747bL),
            entry("TIOCCBRK", 0x2000747aL),
            // <sys/termios.h>: tcflush's queues and tcflow's actions, one more than Linux's
            entry("TCIFLUSH", 1L),
            entry("TCOFLUSH", 2L),
            entry("TCIOFLUSH", 3L),
            entry("TCOOFF", 1L),
            entry("TCOON", 2L),
            entry("TCIOFF", 3L),
            entry("TCION", 4L),
            // renamex_np(2)'s RENAME_EXCL and RENAME_SWAP, which mean what Linux's two names mean
            entry("RENAME_NOREPLACE", 0x4L),
            entry("RENAME_EXCHANGE", 0x2L));
}
