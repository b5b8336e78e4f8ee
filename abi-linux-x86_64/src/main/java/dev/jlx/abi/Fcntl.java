package dev.jlx.abi;

/**
 * fcntl(2) commands and lock types ({@code asm-generic/fcntl.h}, {@code linux/fcntl.h}), lseek(2) whence
 * values, the {@code AT_*} values of the {@code *at} calls, access(2) modes, and utimensat(2)'s special
 * {@code tv_nsec} values ({@code linux/stat.h}).
 */
public final class Fcntl {
    private Fcntl() {}

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_GETLK = 5;
    public static final int F_SETLK = 6;
    public static final int F_SETLKW = 7;
    public static final int F_SETOWN = 8;
    public static final int F_GETOWN = 9;
    public static final int F_SETSIG = 10;
    public static final int F_GETSIG = 11;
    public static final int F_SETOWN_EX = 15;
    public static final int F_GETOWN_EX = 16;
    public static final int F_GETOWNER_UIDS = 17;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final int F_SETLEASE = 1024;
    public static final int F_GETLEASE = 1025;
    public static final int F_NOTIFY = 1026;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_GET_SEALS = 1034;
    /** {@code struct f_owner_ex} types of F_SETOWN_EX. */
    public static final int F_OWNER_TID = 0;
    public static final int F_OWNER_PID = 1;
    public static final int F_OWNER_PGRP = 2;
    /** F_NOTIFY: the watch stays after the first event. */
    /** dnotify's events (F_NOTIFY's argument), {@code linux/fcntl.h}. */
    public static final int DN_ACCESS = 0x00000001;
    public static final int DN_MODIFY = 0x00000002;
    public static final int DN_CREATE = 0x00000004;
    public static final int DN_DELETE = 0x00000008;
    public static final int DN_RENAME = 0x00000010;
    public static final int DN_ATTRIB = 0x00000020;
    public static final int DN_MULTISHOT = 0x80000000;
    /** Memory file seals of F_ADD_SEALS and F_GET_SEALS. */
    public static final int F_SEAL_SEAL = 0x0001;
    public static final int F_SEAL_SHRINK = 0x0002;
    public static final int F_SEAL_GROW = 0x0004;
    public static final int F_SEAL_WRITE = 0x0008;
    public static final int F_SEAL_FUTURE_WRITE = 0x0010;
    public static final int FD_CLOEXEC = 1;
    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int F_OK = 0;
    public static final int R_OK = 4;
    public static final int W_OK = 2;
    public static final int X_OK = 1;
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;
}
