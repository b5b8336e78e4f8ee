package dev.jlx.core.fs;

import java.util.List;

/**
 * A host directory mounted at a guest path, analogous to Linux's {@code struct vfsmount} for a bind
 * mount. {@code guestPath} is absolute and normalized ("/" for the root mount).
 */
public record Mount(String guestPath, String hostDirectory, boolean readOnly) {
    List<String> components() {
        return Vfs.components(guestPath);
    }
}
