package dev.jlx.core.fs.proc;

import dev.jlx.abi.Errno;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import java.util.SequencedMap;

/**
 * A file, directory or symbolic link of a pseudo file system (procfs, sysfs), analogous to the
 * kernel's {@code proc_dir_entry} and {@code kernfs_node}: what stat shows of it, and how its
 * contents are made when they are read. Nodes are made afresh at each lookup, so they always
 * describe the current state.
 */
public sealed interface PseudoNode {
    Meta meta();

    /**
     * What every node has: inode number, permission bits, owner, and the time stat shows for all
     * three timestamps (epoch nanoseconds).
     */
    record Meta(long ino, int perm, int uid, int gid, long timeNanos) {}

    /** Makes a node's bytes, or names a link's target; ENOENT or ESRCH once what it describes is gone. */
    @FunctionalInterface
    interface Source<T> {
        T get() throws ErrnoException;
    }

    /** Takes what is written to a file. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] data) throws ErrnoException;
    }

    /**
     * A regular file whose bytes are made by {@code content} at each read from offset 0 (as Linux's
     * seq_file), {@code size} as stat shows it (0 on procfs, a page on sysfs). {@code sink} takes
     * writes; without one, {@code readOnly} says how Linux refuses them: EACCES at open even for
     * root (sysctl, sysfs), else the errno write(2) gives (EINVAL, or EIO for /proc's own files).
     */
    record File(Meta meta, long size, Source<byte[]> content, Sink sink, Errno readOnly) implements PseudoNode {}

    /**
     * A regular file read and written at positions, never made whole (/proc/PID/mem, analogous to a
     * proc file with its own read and write operations): {@code opener} makes the checks Linux
     * makes at open and binds what the open file reaches.
     */
    record Positional(Meta meta, Opener opener) implements PseudoNode {}

    /** Opens a {@link Positional} file for the caller. */
    @FunctionalInterface
    interface Opener {
        Positioned open() throws ErrnoException;
    }

    /** An open {@link Positional} file: reads and writes at an offset, returning how many bytes moved. */
    interface Positioned {
        int pread(java.lang.foreign.MemorySegment dst, long at) throws ErrnoException;

        int pwrite(java.lang.foreign.MemorySegment src, long at) throws ErrnoException;
    }

    /**
     * A directory: its entries in readdir order, and, when entries would be costly to list (every
     * process), a lookup of one name (null otherwise).
     */
    record Dir(Meta meta, Source<SequencedMap<String, PseudoNode>> entries, Lookup lookup) implements PseudoNode {
        public Dir(Meta meta, Source<SequencedMap<String, PseudoNode>> entries) {
            this(meta, entries, null);
        }

        /** The entry called {@code name}, or null. */
        public PseudoNode child(String name) throws ErrnoException {
            return lookup != null ? lookup.find(name) : entries.get().get(name);
        }
    }

    /** Finds one directory entry by name, or null. */
    @FunctionalInterface
    interface Lookup {
        PseudoNode find(String name) throws ErrnoException;
    }

    /**
     * A symbolic link; {@code size} as stat shows it (64 for /proc/PID/fd links, else 0). A
     * {@code magic} one (/proc/PID/fd/N, exe, cwd, root) names an object rather than a path on
     * Linux; openat2's RESOLVE_NO_MAGICLINKS and scoped walks refuse to follow it. One of
     * /proc/PID/ns names a {@code namespace} (null for others): following it opens or stats nsfs's file.
     */
    record Link(Meta meta, long size, Source<ByteString> target, boolean magic,
            Source<dev.jlx.core.kernel.Namespaces.Namespace> namespace) implements PseudoNode {
        Link(Meta meta, long size, Source<ByteString> target) {
            this(meta, size, target, false, null);
        }

        Link(Meta meta, long size, Source<ByteString> target, boolean magic) {
            this(meta, size, target, magic, null);
        }
    }
}
