package dev.jlx.it;

import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.fs.FileOps;
import dev.jlx.core.fs.HostDirectoryFs;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory tree as text, to compare what a native run and a jlx run left behind. */
final class Trees {
    private Trees() {}

    /** Every path with its type, permissions, link count, size, and content or link target. */
    static String describe(Path root) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    b.append(rel).append(" -> ").append(Files.readSymbolicLink(p)).append('\n');
                    continue;
                }
                b.append(rel).append(' ').append(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
                b.append(" links=").append(Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    b.append(" size=").append(Files.size(p)).append(" sha=").append(HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    b.append(" special");
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /**
     * The same description of a tree a guest of the backend under test wrote, as that backend shows
     * it to guests: a backend that keeps Linux metadata its own way (the Windows one, in extended
     * attributes and reparse points) shows the host something else.
     */
    static String describeAsGuest(Path root) throws Exception {
        HostBackend backend = HostBackends.get(Jlx.BACKEND);
        HostDirectoryFs fs = new HostDirectoryFs(backend.files(), backend.console(),
                backend.files().hostPath(root.toRealPath()));
        Map<Path, String> lines = new TreeMap<>();
        walkAsGuest(fs, ByteString.ROOT, root, root, lines);
        StringBuilder b = new StringBuilder();
        lines.values().forEach(b::append);
        return b.toString();
    }

    private static void walkAsGuest(HostDirectoryFs fs, ByteString path, Path root, Path p, Map<Path, String> lines)
            throws Exception {
        HostStat s = fs.stat(path, false);
        int type = s.mode() & FileMode.S_IFMT;
        String rel = root.relativize(p).toString();
        if (type == FileMode.S_IFLNK) {
            lines.put(p, rel + " -> " + ByteString.of(fs.readlink(path)) + "\n");
            return;
        }
        StringBuilder b = new StringBuilder(rel).append(' ').append(permissions(s.mode())).append(" links=")
                .append(s.nlink());
        if (type == FileMode.S_IFREG) {
            b.append(" size=").append(s.size()).append(" sha=").append(sha256(fs, path));
        } else if (type != FileMode.S_IFDIR) {
            b.append(" special");
        }
        lines.put(p, b.append('\n').toString());
        if (type == FileMode.S_IFDIR) {
            for (HostDirEntry e : fs.list(path)) {
                String name = new String(e.name(), java.nio.charset.StandardCharsets.UTF_8);
                if (!name.equals(".") && !name.equals("..")) {
                    walkAsGuest(fs, path.child(ByteString.of(e.name())), root, p.resolve(name), lines);
                }
            }
        }
    }

    private static String permissions(int mode) {
        StringBuilder b = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            b.append((mode >> shift & 4) != 0 ? 'r' : '-').append((mode >> shift & 2) != 0 ? 'w' : '-')
                    .append((mode >> shift & 1) != 0 ? 'x' : '-');
        }
        return b.toString();
    }

    private static String sha256(HostDirectoryFs fs, ByteString path) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        FileOps f = fs.open(path, OpenFlags.O_RDONLY, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64 * 1024);
            for (int n; (n = f.read(buf)) > 0; ) {
                digest.update(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
        } finally {
            f.close();
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
