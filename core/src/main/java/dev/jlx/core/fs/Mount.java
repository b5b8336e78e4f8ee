package dev.jlx.core.fs;

import dev.jlx.core.ByteString;
import java.util.List;

/**
 * A file system mounted at a guest path, analogous to Linux's {@code struct vfsmount}.
 * {@code guestPath} is absolute and normalized ("/" for the root mount); {@code fsRoot} is the
 * directory of {@code fs} that appears there ("" for its root; a chroot's root mount may show a
 * directory inside a file system, as a bind mount does).
 */
public record Mount(ByteString guestPath, FileSystem fs, boolean readOnly, ByteString fsRoot) {
    public Mount(ByteString guestPath, FileSystem fs, boolean readOnly) {
        this(guestPath, fs, readOnly, ByteString.EMPTY);
    }

    /** A mount at a guest path jlx was given as text (the command line, the embedding API). */
    public Mount(String guestPath, FileSystem fs, boolean readOnly) {
        this(ByteString.of(guestPath), fs, readOnly);
    }

    List<ByteString> components() {
        return guestPath.components();
    }
}
