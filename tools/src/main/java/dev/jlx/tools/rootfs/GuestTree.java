package dev.jlx.tools.rootfs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A host directory seen as a guest's root. A path in it is a list of names below the root; a symlink met
 * on the way is resolved as the guest will see it (an absolute target from the root, ".." stopping at
 * the root), never by the host, so nothing an archive puts into the tree can lead a write out of it.
 * Only jlx is assumed to change the tree while it unpacks.
 */
final class GuestTree {
    /** Linux's limit on the symlinks one lookup follows (MAXSYMLINKS). */
    static final int MAX_LINKS = 40;
    /** jlx's own directory in the root (the owners file); no archive may write there. */
    static final String JLX_DIR = ".jlx";

    private final Path root;

    GuestTree(Path root) {
        this.root = root;
    }

    /**
     * An archive member's name as names below the root ("./" and "." dropped). An absolute name or one
     * with ".." is refused: an archive says where its files go relative to the root and nothing else.
     */
    static List<String> entryName(String name) throws Refused {
        String relative = name;
        while (relative.startsWith("./")) {
            relative = relative.substring(2);
        }
        if (relative.startsWith("/")) {
            throw new Refused("absolute name");
        }
        List<String> names = names(relative);
        if (names.contains("..")) {
            throw new Refused("name contains \"..\"");
        }
        return names;
    }

    /** The names of a path, without empty ones and ".". */
    private static List<String> names(String path) {
        List<String> names = new ArrayList<>();
        for (String n : path.split("/")) {
            if (!n.isEmpty() && !n.equals(".")) {
                names.add(n);
            }
        }
        return names;
    }

    Path host(List<String> path) {
        Path p = root;
        for (String n : path) {
            p = p.resolve(n);
        }
        return p;
    }

    /** The path as the guest names it: "/" and the names. */
    static String guest(List<String> path) {
        return "/" + String.join("/", path);
    }

    /**
     * Where {@code path} is, as names of real directories below the root and then the last name, which
     * is followed when it is a symlink only if {@code followLast}. Missing directories on the way are
     * made when {@code create} (mode 0755 less the umask, as tar does), else the path is refused.
     */
    List<String> resolve(List<String> path, boolean followLast, boolean create) throws Refused, IOException {
        Deque<String> todo = new ArrayDeque<>(path);
        List<String> at = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.equals("..")) {
                // Only a link target has "..": it goes up from a real directory, and no higher than the root.
                if (!at.isEmpty()) {
                    at.removeLast();
                }
                continue;
            }
            if (at.isEmpty() && name.equals(JLX_DIR)) {
                throw new Refused(guest(List.of(JLX_DIR)) + " is jlx's own");
            }
            Path p = host(at).resolve(name);
            BasicFileAttributes a = lstat(p);
            boolean last = todo.isEmpty();
            if (a != null && a.isSymbolicLink() && (!last || followLast)) {
                if (++links > MAX_LINKS) {
                    throw new Refused("too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(p).toString();
                if (target.startsWith("/")) {
                    at.clear();
                }
                names(target).reversed().forEach(todo::addFirst);
                continue;
            }
            if (!last) {
                directoryOnTheWay(p, a, create, at, name);
            }
            at.add(name);
        }
        return at;
    }

    private static void directoryOnTheWay(Path p, BasicFileAttributes a, boolean create, List<String> at, String name)
            throws Refused, IOException {
        if (a == null && create) {
            Files.createDirectory(p);
        } else if (a == null) {
            throw new Refused(guest(at) + (at.isEmpty() ? "" : "/") + name + " does not exist");
        } else if (!a.isDirectory()) {
            throw new Refused(guest(at) + (at.isEmpty() ? "" : "/") + name + " is not a directory");
        }
    }

    /** Whether the guest sees a directory at {@code path}, following a symlink at its end. */
    boolean leadsToDirectory(List<String> path) throws IOException {
        try {
            BasicFileAttributes a = lstat(host(resolve(path, true, false)));
            return a != null && a.isDirectory();
        } catch (Refused dangling) {
            return false;
        }
    }

    /** Whether every name of {@code path} is a real directory, not a symlink to one. */
    boolean isRealDirectory(List<String> path) throws IOException {
        for (int i = 0; i <= path.size(); i++) {
            BasicFileAttributes a = lstat(host(path.subList(0, i)));
            if (a == null || !a.isDirectory()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes room for a new entry at {@code p}: whatever is there goes, without following a symlink, so
     * that nothing is written through a link or into another name of a hard-linked file. A directory
     * goes only when empty.
     */
    static void clear(Path p) throws Refused, IOException {
        try {
            Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
            throw new Refused("a directory that is not empty is in the way");
        }
    }

    /** The attributes of {@code p} itself (a symlink is not followed), or null when there is nothing. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
