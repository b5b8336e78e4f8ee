package dev.jlx.core.fs;

import dev.jlx.core.ByteString;
import java.util.List;

/**
 * A file system mounted at a guest path, analogous to Linux's {@code struct vfsmount}.
 * {@code guestPath} is absolute and normalized ("/" for the root mount); {@code fsRoot} is the
 * directory of {@code fs} that appears there ("" for its root; a bind mount or a chroot's root mount
 * shows a directory inside a file system). {@code id} is the mount id of mountinfo and statx (0 until
 * the {@link Vfs} gives one). {@code flags} are the mount's statfs ST_* bits other than ST_RDONLY
 * ({@link #FROM_FS}: those the file system reports, for the mounts a run starts with); {@code source}
 * is what mount(2) was given as its source (null: shown from the file system); {@code propagation}
 * is MS_SHARED, MS_SLAVE, MS_UNBINDABLE or 0 for private, with {@code group} the peer group.
 * {@code readOnly} is the mount's own flag, {@code superReadOnly} the file system's as a guest's
 * mount or reconfiguration set it (Linux's SB_RDONLY): either refuses writes.
 */
public record Mount(ByteString guestPath, FileSystem fs, boolean readOnly, ByteString fsRoot, int id, long flags,
        ByteString source, long propagation, int group, boolean superReadOnly) {
    public Mount(ByteString guestPath, FileSystem fs, boolean readOnly, ByteString fsRoot, int id, long flags,
            ByteString source, long propagation, int group) {
        this(guestPath, fs, readOnly, fsRoot, id, flags, source, propagation, group, false);
    }

    /** {@link #flags} of a mount that shows the file system's own flags. */
    public static final long FROM_FS = -1;

    public Mount(ByteString guestPath, FileSystem fs, boolean readOnly, ByteString fsRoot) {
        this(guestPath, fs, readOnly, fsRoot, 0, FROM_FS, null, 0, 0, false);
    }

    public Mount(ByteString guestPath, FileSystem fs, boolean readOnly) {
        this(guestPath, fs, readOnly, ByteString.EMPTY);
    }

    /** A mount at a guest path jlx was given as text (the command line, the embedding API). */
    public Mount(String guestPath, FileSystem fs, boolean readOnly) {
        this(ByteString.of(guestPath), fs, readOnly);
    }

    /** Whether writes through this mount are refused (EROFS): it or its file system is read-only. */
    public boolean refusesWrites() {
        return readOnly || superReadOnly;
    }

    List<ByteString> components() {
        return guestPath.components();
    }

    /** This mount at another guest path. */
    public Mount at(ByteString path) {
        return new Mount(path, fs, readOnly, fsRoot, id, flags, source, propagation, group, superReadOnly);
    }

    Mount withId(int newId) {
        return new Mount(guestPath, fs, readOnly, fsRoot, newId, flags, source, propagation, group, superReadOnly);
    }

    /** This mount with other per-mount flags (mount(2)'s MS_REMOUNT|MS_BIND, mount_setattr). */
    public Mount withFlags(boolean ro, long stFlags) {
        return new Mount(guestPath, fs, ro, fsRoot, id, stFlags, source, propagation, group, superReadOnly);
    }

    /** This mount with another propagation type (MS_SHARED, MS_SLAVE, MS_UNBINDABLE, 0 for private). */
    public Mount withPropagation(long type, int peerGroup) {
        return new Mount(guestPath, fs, readOnly, fsRoot, id, flags, source, type, peerGroup, superReadOnly);
    }

    /** This mount with its file system read-only or writable as a whole. */
    public Mount withSuperReadOnly(boolean ro) {
        return new Mount(guestPath, fs, readOnly, fsRoot, id, flags, source, propagation, group, ro);
    }
}
