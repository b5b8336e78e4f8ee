package dev.jlx.core.fs;

import java.util.List;

/**
 * A file system mounted at a guest path, analogous to Linux's {@code struct vfsmount}.
 * {@code guestPath} is absolute and normalized ("/" for the root mount); {@code fsRoot} is the
 * directory of {@code fs} that appears there ("" for its root; a chroot's root mount may show a
 * directory inside a file system, as a bind mount does).
 */
public record Mount(String guestPath, FileSystem fs, boolean readOnly, String fsRoot) {
    public Mount(String guestPath, FileSystem fs, boolean readOnly) {
        this(guestPath, fs, readOnly, "");
    }

    List<String> components() {
        return Vfs.components(guestPath);
    }
}
