package dev.jlx.abi;

/** mount(2)'s MS_* flags and umount2(2)'s flags, from {@code linux/mount.h} and {@code linux/fs.h}. */
public final class MountFlags {
    private MountFlags() {}

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOSYMFOLLOW = 256;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_POSIXACL = 1 << 16;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_KERNMOUNT = 1 << 22;
    public static final long MS_I_VERSION = 1 << 23;
    public static final long MS_STRICTATIME = 1 << 24;
    public static final long MS_LAZYTIME = 1 << 25;
    public static final long MS_NOUSER = 1L << 31;
    /** The magic that once filled the top half of the flags, discarded (MS_MGC_MSK). */
    public static final long MS_MGC_VAL = 0xC0ED0000L;
    public static final long MS_MGC_MSK = 0xffff0000L;

    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;
    public static final int MNT_EXPIRE = 4;
    public static final int UMOUNT_NOFOLLOW = 8;

    /** The new mount API (linux/mount.h): fsopen, fspick, fsconfig, fsmount, move_mount, open_tree, mount_setattr. */
    public static final int FSOPEN_CLOEXEC = 1;
    public static final int FSPICK_CLOEXEC = 1;
    public static final int FSPICK_SYMLINK_NOFOLLOW = 2;
    public static final int FSPICK_NO_AUTOMOUNT = 4;
    public static final int FSPICK_EMPTY_PATH = 8;
    public static final int FSCONFIG_SET_FLAG = 0;
    public static final int FSCONFIG_SET_STRING = 1;
    public static final int FSCONFIG_SET_BINARY = 2;
    public static final int FSCONFIG_SET_PATH = 3;
    public static final int FSCONFIG_SET_PATH_EMPTY = 4;
    public static final int FSCONFIG_SET_FD = 5;
    public static final int FSCONFIG_CMD_CREATE = 6;
    public static final int FSCONFIG_CMD_RECONFIGURE = 7;
    public static final int FSCONFIG_CMD_CREATE_EXCL = 8;
    public static final int FSMOUNT_CLOEXEC = 1;
    public static final int MOUNT_ATTR_RDONLY = 0x1;
    public static final int MOUNT_ATTR_NOSUID = 0x2;
    public static final int MOUNT_ATTR_NODEV = 0x4;
    public static final int MOUNT_ATTR_NOEXEC = 0x8;
    public static final int MOUNT_ATTR__ATIME = 0x70;
    public static final int MOUNT_ATTR_RELATIME = 0;
    public static final int MOUNT_ATTR_NOATIME = 0x10;
    public static final int MOUNT_ATTR_STRICTATIME = 0x20;
    public static final int MOUNT_ATTR_NODIRATIME = 0x80;
    public static final int MOUNT_ATTR_IDMAP = 0x100000;
    public static final int MOUNT_ATTR_NOSYMFOLLOW = 0x200000;
    /** struct mount_attr's first size: u64 attr_set, attr_clr, propagation, userns_fd. */
    public static final int MOUNT_ATTR_SIZE_VER0 = 32;
    public static final int MOVE_MOUNT_F_SYMLINKS = 0x1;
    public static final int MOVE_MOUNT_F_AUTOMOUNTS = 0x2;
    public static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public static final int MOVE_MOUNT_T_SYMLINKS = 0x10;
    public static final int MOVE_MOUNT_T_AUTOMOUNTS = 0x20;
    public static final int MOVE_MOUNT_T_EMPTY_PATH = 0x40;
    public static final int MOVE_MOUNT_SET_GROUP = 0x100;
    public static final int MOVE_MOUNT_BENEATH = 0x200;
    public static final int MOVE_MOUNT__MASK = 0x377;
    public static final int OPEN_TREE_CLONE = 1;
}
