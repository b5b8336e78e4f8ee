package dev.jlx.core.api;

import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FileOps;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The working directories of {@link ProgramDiff}: copies made on the host, and listings of what a run
 * left in them.
 */
final class FileTree {
    private FileTree() {}

    /**
     * Copies the tree at {@code from} into the new directory {@code to}: directories, regular files and
     * symbolic links, with their permission bits and times; {@code skip} (the copies' own parent, when
     * it lies inside {@code from}) is left out.
     *
     * @throws IOException also for a FIFO, socket or device, which java.nio cannot make
     */
    static void copy(Path from, Path to, Path skip) throws IOException {
        List<Path[]> directories = new ArrayList<>();
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(skip)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectories(target);
                directories.add(new Path[] {dir, target});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else {
                    throw new IOException(file + ": cannot copy a file of this type (FIFO, socket or device)");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        // Permissions and times last, so that a read-only directory could be filled and its time stays.
        boolean posix = Files.getFileStore(to).supportsFileAttributeView("posix");
        for (Path[] d : directories.reversed()) {
            if (posix) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(d[0], LinkOption.NOFOLLOW_LINKS);
                Files.setPosixFilePermissions(d[1], permissions);
            }
            Files.setLastModifiedTime(d[1], Files.getLastModifiedTime(d[0], LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** Deletes a copy, making its directories writable first (a guest may have left some read-only). */
    static void delete(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    p.toFile().setWritable(true, true);
                    p.toFile().setExecutable(true, true);
                }
            }
        }
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * What a run left in its working directory as its guest sees it: walked through {@code fs} (the
     * run's host backend), every entry below the root in name order, directories before their contents.
     */
    static List<ProgramDiff.FileEntry> list(FileSystem fs) throws ErrnoException {
        List<ProgramDiff.FileEntry> entries = new ArrayList<>();
        walk(fs, ByteString.ROOT, "", entries);
        return List.copyOf(entries);
    }

    private static void walk(FileSystem fs, ByteString dir, String prefix, List<ProgramDiff.FileEntry> entries)
            throws ErrnoException {
        List<ByteString> names = new ArrayList<>();
        for (HostDirEntry e : fs.list(dir)) {
            ByteString name = ByteString.of(e.name());
            if (!name.equals(ByteString.DOT) && !name.equals(ByteString.DOT_DOT)) {
                names.add(name);
            }
        }
        names.sort(null);
        for (ByteString name : names) {
            ByteString path = dir.child(name);
            String shown = prefix + name;
            HostStat s = fs.stat(path, false);
            int type = s.mode() & FileMode.S_IFMT;
            String sha256 = type == FileMode.S_IFREG ? sha256(fs, path) : null;
            String target = type == FileMode.S_IFLNK ? ByteString.of(fs.readlink(path)).toString() : null;
            entries.add(entry(shown, s.mode(), s.size(), sha256, target));
            if (type == FileMode.S_IFDIR) {
                walk(fs, path, shown + "/", entries);
            }
        }
    }

    private static String sha256(FileSystem fs, ByteString path) throws ErrnoException {
        MessageDigest digest = sha256();
        FileOps file = fs.open(path, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(1 << 16);
            for (int n; (n = file.read(buffer)) > 0; ) {
                digest.update(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
        } finally {
            file.close();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * What a native run left in its working directory, as Linux shows it (the JDK's "unix" view of the
     * host's files), in the same order and form as {@link #list(FileSystem)}.
     */
    static List<ProgramDiff.FileEntry> listHost(Path root) throws IOException {
        List<ProgramDiff.FileEntry> entries = new ArrayList<>();
        walkHost(root, "", entries);
        return List.copyOf(entries);
    }

    private static void walkHost(Path dir, String prefix, List<ProgramDiff.FileEntry> entries) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            // Name order as ByteString's: by the bytes of the names.
            children = list.sorted(Comparator.comparing(p -> ByteString.of(p.getFileName().toString()))).toList();
        }
        for (Path p : children) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & FileMode.S_IFMT;
            String shown = prefix + p.getFileName();
            String sha256 = null;
            if (type == FileMode.S_IFREG) {
                MessageDigest digest = sha256();
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
            String target = type == FileMode.S_IFLNK ? Files.readSymbolicLink(p).toString() : null;
            entries.add(entry(shown, mode, (Long) a.get("size"), sha256, target));
            if (type == FileMode.S_IFDIR) {
                walkHost(p, shown + "/", entries);
            }
        }
    }

    /** One entry; a directory's size is its file system's business (ext4 and tmpfs differ), so it is left out. */
    private static ProgramDiff.FileEntry entry(String path, int mode, long size, String sha256, String target) {
        int type = mode & FileMode.S_IFMT;
        return new ProgramDiff.FileEntry(path, ProgramDiff.FileEntry.typeName(type), mode & 07777,
                type == FileMode.S_IFDIR ? -1 : size, sha256, target);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
