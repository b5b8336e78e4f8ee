package dev.jlx.tools.rootfs;

import dev.jlx.abi.FileMode;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who owns what is unpacked. As root (the backend's user) jlx gives every entry its owner and group
 * (lchown). Otherwise it cannot, and keeps the owners that differ from its own user's in
 * {@code DIR/.jlx/owners}, one line a path: {@code uid TAB gid TAB /path}, sorted by path, the path as the guest names it, with a backslash
 * written {@code \\} and a newline {@code \n}. The file is updated, not replaced, when more is unpacked.
 */
final class Owners {
    private record Owner(long uid, long gid) {}

    private static final List<String> FILE = List.of(GuestTree.JLX_DIR, "owners");

    private final GuestTree tree;
    private final long uid;
    private final long gid;
    /** Null when jlx sets owners itself. */
    private final Map<String, Owner> recorded;

    private Owners(GuestTree tree, long uid, long gid, Map<String, Owner> recorded) {
        this.tree = tree;
        this.uid = uid;
        this.gid = gid;
        this.recorded = recorded;
    }

    /** Owners that the files themselves carry: for root. */
    static Owners chown(GuestTree tree) {
        return new Owners(tree, 0, 0, null);
    }

    /** Owners that are recorded in the tree's owners file, as seen by the user {@code uid:gid}. */
    static Owners recorded(GuestTree tree, long uid, long gid) throws IOException {
        List<String> dir = FILE.subList(0, 1);
        HostStat a = tree.lstat(dir);
        if (a == null) {
            tree.mkdir(dir, GuestTree.DIRECTORY_MODE);
        } else if (!GuestTree.isType(a, FileMode.S_IFDIR)) {
            throw new IOException(tree.shown(dir) + ": not a directory");
        }
        HostStat f = tree.lstat(FILE);
        if (f != null && !GuestTree.isType(f, FileMode.S_IFREG)) {
            throw new IOException(tree.shown(FILE) + ": not a regular file");
        }
        return new Owners(tree, uid, gid, f == null ? new TreeMap<>() : read(tree));
    }

    /** The owners for the backend's user: set when it is root, recorded otherwise. */
    static Owners forUser(GuestTree tree, HostIdentity user) throws IOException {
        return user.euid() == 0 ? chown(tree) : recorded(tree, user.euid(), user.egid());
    }

    /** Gives the entry at {@code path} its owner, or records it. */
    void set(List<String> path, long ownerUid, long ownerGid) throws IOException {
        if (recorded == null) {
            tree.chown(path, ownerUid, ownerGid);
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
        // A symlink put in the owners file's place is an error (the backend does not follow it), not a way out.
        tree.replace(FILE, 0644, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Owner> read(GuestTree tree) throws IOException {
        Map<String, Owner> owners = new TreeMap<>();
        List<String> lines = new String(tree.read(FILE), StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", 3);
            try {
                owners.put(unescape(f[2]), new Owner(Long.parseLong(f[0]), Long.parseLong(f[1])));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(tree.shown(FILE) + ":" + (i + 1) + ": expected uid TAB gid TAB path");
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
