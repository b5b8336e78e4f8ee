package dev.jlx.tools.rootfs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who owns what is unpacked. As root jlx gives every entry its owner and group (lchown). Otherwise it
 * cannot, and keeps the owners that differ from its own user's in {@code DIR/.jlx/owners}, one line a
 * path: {@code uid TAB gid TAB /path}, sorted by path, the path as the guest names it, with a backslash
 * written {@code \\} and a newline {@code \n}. The file is updated, not replaced, when more is unpacked.
 */
final class Owners {
    private record Owner(long uid, long gid) {}

    private final Path file;
    private final long uid;
    private final long gid;
    /** Null when jlx sets owners itself. */
    private final Map<String, Owner> recorded;

    private Owners(Path file, long uid, long gid, Map<String, Owner> recorded) {
        this.file = file;
        this.uid = uid;
        this.gid = gid;
        this.recorded = recorded;
    }

    /** Owners that the files themselves carry: for root. */
    static Owners chown() {
        return new Owners(null, 0, 0, null);
    }

    /** Owners that are recorded in the tree's owners file, as seen by the user {@code uid:gid}. */
    static Owners recorded(GuestTree tree, long uid, long gid) throws IOException {
        Path dir = tree.host(List.of(GuestTree.JLX_DIR));
        BasicFileAttributes a = GuestTree.lstat(dir);
        if (a == null) {
            Files.createDirectory(dir);
        } else if (!a.isDirectory()) {
            throw new IOException(dir + ": not a directory");
        }
        Path file = dir.resolve("owners");
        BasicFileAttributes f = GuestTree.lstat(file);
        if (f != null && !f.isRegularFile()) {
            throw new IOException(file + ": not a regular file");
        }
        return new Owners(file, uid, gid, f == null ? new TreeMap<>() : read(file));
    }

    /** The owners for this process: set when it runs as root, recorded otherwise. */
    static Owners forThisProcess(GuestTree tree) throws IOException {
        UnixSystem user = new UnixSystem();
        return user.getUid() == 0 ? chown() : recorded(tree, user.getUid(), user.getGid());
    }

    /** Gives the entry at {@code p} (guest path {@code path}) its owner, or records it. */
    void set(Path p, List<String> path, long ownerUid, long ownerGid) throws IOException {
        if (recorded == null) {
            Files.setAttribute(p, "unix:uid", (int) ownerUid, NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) ownerGid, NOFOLLOW_LINKS);
        } else {
            record(path, ownerUid, ownerGid);
        }
    }

    /**
     * Records the owner of another name for a file that has its owner already: a hard link. Its inode is
     * not chowned again, which would clear the setuid and setgid bits its first name was given.
     */
    void setLinked(List<String> path, long ownerUid, long ownerGid) {
        if (recorded != null) {
            record(path, ownerUid, ownerGid);
        }
    }

    private void record(List<String> path, long ownerUid, long ownerGid) {
        if (ownerUid == uid && ownerGid == gid) {
            recorded.remove(GuestTree.guest(path));
        } else {
            recorded.put(GuestTree.guest(path), new Owner(ownerUid, ownerGid));
        }
    }

    /** Writes the owners file, when owners are recorded. */
    void save() throws IOException {
        if (recorded == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        recorded.forEach((path, o) -> text.append(o.uid()).append('\t').append(o.gid()).append('\t')
                .append(path.replace("\\", "\\\\").replace("\n", "\\n")).append('\n'));
        // NOFOLLOW: a symlink put in the owners file's place is an error, not a way out of the tree.
        Files.writeString(file, text, StandardCharsets.UTF_8, CREATE, TRUNCATE_EXISTING, WRITE, NOFOLLOW_LINKS);
    }

    private static Map<String, Owner> read(Path file) throws IOException {
        Map<String, Owner> owners = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", 3);
            try {
                owners.put(unescape(f[2]), new Owner(Long.parseLong(f[0]), Long.parseLong(f[1])));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(file + ":" + (i + 1) + ": expected uid TAB gid TAB path");
            }
        }
        return owners;
    }

    private static String unescape(String path) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                c = path.charAt(++i) == 'n' ? '\n' : path.charAt(i);
            }
            s.append(c);
        }
        return s.toString();
    }
}
