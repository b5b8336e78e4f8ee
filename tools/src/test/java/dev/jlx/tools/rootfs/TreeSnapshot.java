package dev.jlx.tools.rootfs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A directory tree as text, path by path: type, mode, owner, size, time, link count, content or target. */
final class TreeSnapshot {
    private TreeSnapshot() {}

    /** Every path below {@code dir} (and itself), relative to it, but those {@code except} names. */
    static Map<Path, String> of(Path dir, Predicate<Path> except) throws IOException {
        Map<Path, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(except.negate()).forEach(p -> all.put(dir.relativize(p), describe(p)));
        }
        return all;
    }

    private static String describe(Path p) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW_LINKS);
            String what = a.isSymbolicLink() ? "-> " + Files.readSymbolicLink(p)
                    : a.isRegularFile() ? "bytes#" + Arrays.hashCode(Files.readAllBytes(p)) : "dir";
            return String.join(" ", what, Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW_LINKS)),
                    a.owner().getName(), a.group().getName(), Long.toString(a.size()), a.lastModifiedTime().toString(),
                    Files.getAttribute(p, "unix:nlink", NOFOLLOW_LINKS).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
