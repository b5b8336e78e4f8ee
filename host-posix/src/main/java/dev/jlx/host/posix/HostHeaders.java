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
     * {@code <stdio.h>}, {@code <fcntl.h>} and {@code <asm-generic/ioctls.h>}.
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
            entry("RENAME_NOREPLACE", 1L),
            entry("RENAME_EXCHANGE", 2L));

    /**
     * macOS: {@code <sys/fcntl.h>}, {@code <sys/stat.h>}, {@code <sys/_types/_seek_set.h>} and
     * {@code <sys/ttycom.h>}. It has no O_DIRECT (F_NOCACHE instead), O_NOATIME, O_PATH or
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
            // renamex_np(2)'s RENAME_EXCL and RENAME_SWAP, which mean what Linux's two names mean
            entry("RENAME_NOREPLACE", 0x4L),
            entry("RENAME_EXCHANGE", 0x2L));
}
