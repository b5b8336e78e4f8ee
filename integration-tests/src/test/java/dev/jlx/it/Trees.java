package dev.jlx.it;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
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
}
