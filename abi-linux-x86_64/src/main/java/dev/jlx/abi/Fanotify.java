package dev.jlx.abi;

/** fanotify(7): uapi/linux/fanotify.h. */
public final class Fanotify {
    private Fanotify() {}

    // Events (the same bits as inotify's and fsnotify's for the common ones).
    public static final int FAN_ACCESS = 0x00000001;
    public static final int FAN_MODIFY = 0x00000002;
    public static final int FAN_ATTRIB = 0x00000004;
    public static final int FAN_CLOSE_WRITE = 0x00000008;
    public static final int FAN_CLOSE_NOWRITE = 0x00000010;
    public static final int FAN_OPEN = 0x00000020;
    public static final int FAN_MOVED_FROM = 0x00000040;
    public static final int FAN_MOVED_TO = 0x00000080;
    public static final int FAN_CREATE = 0x00000100;
    public static final int FAN_DELETE = 0x00000200;
    public static final int FAN_DELETE_SELF = 0x00000400;
    public static final int FAN_MOVE_SELF = 0x00000800;
    public static final int FAN_OPEN_EXEC = 0x00001000;
    public static final int FAN_Q_OVERFLOW = 0x00004000;
    public static final int FAN_FS_ERROR = 0x00008000;
    public static final int FAN_OPEN_PERM = 0x00010000;
    public static final int FAN_ACCESS_PERM = 0x00020000;
    public static final int FAN_OPEN_EXEC_PERM = 0x00040000;
    public static final int FAN_PRE_ACCESS = 0x00100000;
    public static final int FAN_MNT_ATTACH = 0x01000000;
    public static final int FAN_MNT_DETACH = 0x02000000;
    public static final int FAN_EVENT_ON_CHILD = 0x08000000;
    public static final int FAN_RENAME = 0x10000000;
    public static final int FAN_ONDIR = 0x40000000;

    /** FANOTIFY_PATH_EVENTS: the events that carry a path, which a group without FID reporting may ask for. */
    public static final int PATH_EVENTS = FAN_ACCESS | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE | FAN_OPEN
            | FAN_OPEN_EXEC;
    public static final int DIRENT_EVENTS = FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CREATE | FAN_DELETE | FAN_RENAME;
    /** FANOTIFY_INODE_EVENTS. */
    public static final int INODE_EVENTS = DIRENT_EVENTS | FAN_ATTRIB | FAN_MOVE_SELF | FAN_DELETE_SELF;
    public static final int PERM_EVENTS = FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN_EXEC_PERM | FAN_PRE_ACCESS;
    public static final int EVENT_FLAGS = FAN_EVENT_ON_CHILD | FAN_ONDIR;

    // fanotify_init flags.
    public static final int FAN_CLOEXEC = 0x00000001;
    public static final int FAN_NONBLOCK = 0x00000002;
    public static final int FAN_CLASS_NOTIF = 0x00000000;
    public static final int FAN_CLASS_CONTENT = 0x00000004;
    public static final int FAN_CLASS_PRE_CONTENT = 0x00000008;
    public static final int CLASS_BITS = 0x0000000c;
    public static final int FAN_UNLIMITED_QUEUE = 0x00000010;
    public static final int FAN_UNLIMITED_MARKS = 0x00000020;
    public static final int FAN_ENABLE_AUDIT = 0x00000040;
    public static final int FAN_REPORT_PIDFD = 0x00000080;
    public static final int FAN_REPORT_TID = 0x00000100;
    public static final int FAN_REPORT_FID = 0x00000200;
    public static final int FAN_REPORT_DIR_FID = 0x00000400;
    public static final int FAN_REPORT_NAME = 0x00000800;
    public static final int FAN_REPORT_TARGET_FID = 0x00001000;
    public static final int FAN_REPORT_FD_ERROR = 0x00002000;
    public static final int FAN_REPORT_MNT = 0x00004000;
    public static final int FID_BITS = FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_TARGET_FID;

    // fanotify_mark flags.
    public static final int FAN_MARK_ADD = 0x00000001;
    public static final int FAN_MARK_REMOVE = 0x00000002;
    public static final int FAN_MARK_DONT_FOLLOW = 0x00000004;
    public static final int FAN_MARK_ONLYDIR = 0x00000008;
    public static final int FAN_MARK_IGNORED_MASK = 0x00000020;
    public static final int FAN_MARK_IGNORED_SURV_MODIFY = 0x00000040;
    public static final int FAN_MARK_FLUSH = 0x00000080;
    public static final int FAN_MARK_EVICTABLE = 0x00000200;
    public static final int FAN_MARK_IGNORE = 0x00000400;
    public static final int FAN_MARK_INODE = 0x00000000;
    public static final int FAN_MARK_MOUNT = 0x00000010;
    public static final int FAN_MARK_FILESYSTEM = 0x00000100;
    public static final int FAN_MARK_MNTNS = 0x00000110;
    public static final int MARK_TYPE_BITS = FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM;
    public static final int MARK_CMD_BITS = FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH;
    public static final int MARK_IGNORE_BITS = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE;
    public static final int MARK_FLAGS = MARK_TYPE_BITS | MARK_CMD_BITS | FAN_MARK_DONT_FOLLOW | FAN_MARK_ONLYDIR
            | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE | FAN_MARK_IGNORE;

    /** struct fanotify_event_metadata: u32 event_len; u8 vers; u8 reserved; u16 metadata_len; u64 mask; s32 fd; s32 pid. */
    public static final int METADATA_VERSION = 3;
    public static final int EVENT_METADATA_LEN = 24;
    public static final int FAN_NOFD = -1;
    public static final int FAN_NOPIDFD = -1;

    // Info records: struct fanotify_event_info_header { u8 info_type; u8 pad; u16 len; }.
    public static final int FAN_EVENT_INFO_TYPE_FID = 1;
    public static final int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
    public static final int FAN_EVENT_INFO_TYPE_DFID = 3;
    public static final int FAN_EVENT_INFO_TYPE_PIDFD = 4;
    public static final int FAN_EVENT_INFO_TYPE_OLD_DFID_NAME = 10;
    public static final int FAN_EVENT_INFO_TYPE_NEW_DFID_NAME = 12;

    /** Defaults of a group: max_queued_events and max_user_groups (fanotify_user.c). */
    public static final int DEFAULT_MAX_EVENTS = 16384;
    public static final int DEFAULT_MAX_GROUPS = 128;
}
