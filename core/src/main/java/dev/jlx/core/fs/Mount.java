package dev.jlx.core.fs;

import java.util.List;

/**
 * A file system mounted at a guest path, analogous to Linux's {@code struct vfsmount}.
 * {@code guestPath} is absolute and normalized ("/" for the root mount).
 */
public record Mount(String guestPath, FileSystem fs, boolean readOnly) {
    List<String> components() {
        return Vfs.components(guestPath);
    }
}
