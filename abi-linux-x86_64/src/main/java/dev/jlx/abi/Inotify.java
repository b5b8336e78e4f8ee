package dev.jlx.abi;

/** inotify(7): event bits, watch flags and the event record, from {@code linux/inotify.h}. */
public final class Inotify {
    private Inotify() {}

    public static final int IN_ACCESS = 0x00000001;
    public static final int IN_MODIFY = 0x00000002;
    public static final int IN_ATTRIB = 0x00000004;
    public static final int IN_CLOSE_WRITE = 0x00000008;
    public static final int IN_CLOSE_NOWRITE = 0x00000010;
    public static final int IN_OPEN = 0x00000020;
    public static final int IN_MOVED_FROM = 0x00000040;
    public static final int IN_MOVED_TO = 0x00000080;
    public static final int IN_CREATE = 0x00000100;
    public static final int IN_DELETE = 0x00000200;
    public static final int IN_DELETE_SELF = 0x00000400;
    public static final int IN_MOVE_SELF = 0x00000800;
    public static final int IN_UNMOUNT = 0x00002000;
    public static final int IN_Q_OVERFLOW = 0x00004000;
    public static final int IN_IGNORED = 0x00008000;
    public static final int IN_ONLYDIR = 0x01000000;
    public static final int IN_DONT_FOLLOW = 0x02000000;
    public static final int IN_EXCL_UNLINK = 0x04000000;
    public static final int IN_MASK_CREATE = 0x10000000;
    public static final int IN_MASK_ADD = 0x20000000;
    public static final int IN_ISDIR = 0x40000000;
    public static final int IN_ONESHOT = 0x80000000;

    /** The events a watch can ask for. */
    public static final int IN_ALL_EVENTS = 0x00000fff;
    /** Every bit inotify_add_watch accepts (the kernel's ALL_INOTIFY_BITS, 22 of them). */
    public static final int ALL_INOTIFY_BITS = IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR
            | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT;

    /** inotify_init1 flags: O_CLOEXEC and O_NONBLOCK. */
    public static final int IN_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int IN_NONBLOCK = OpenFlags.O_NONBLOCK;

    /** struct inotify_event: int wd; u32 mask; u32 cookie; u32 len; char name[len]. */
    public static final int EVENT_SIZE = 16;
    public static final int EVENT_WD = 0;
    public static final int EVENT_MASK = 4;
    public static final int EVENT_COOKIE = 8;
    public static final int EVENT_LEN = 12;

    /** Linux's defaults for /proc/sys/fs/inotify/max_user_instances and max_queued_events. */
    public static final int DEFAULT_MAX_USER_INSTANCES = 128;
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 16384;
}
