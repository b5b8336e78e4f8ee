package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks guest paths component by component, as Linux's {@code path_walk}, over a mount table of
 * host directories (the guest's root and any directories mounted below it). Symbolic links are read
 * and followed here, never by the host, and {@code ..} stops at the guest root, so no guest path
 * can name a host file outside the mounts.
 */
public final class Vfs {
    /** MAXSYMLINKS: Linux gives ELOOP after this many links in one walk. */
    static final int MAX_SYMLINKS = 40;
    public static final int PATH_MAX = 4096;
    private static final java.util.Set<String> HIDDEN_HOST_TREES = java.util.Set.of("proc", "sys");

    /** The mounts, deepest guest path first, so the first match is the longest prefix. */
    private final List<Mount> mounts;
    /** The mounts shallowest first, those of one depth in the order given. */
    private final List<Mount> mountOrder;

    /** {@code mounts} must include one at "/". */
    public Vfs(List<Mount> mounts) {
        List<Mount> sorted = new ArrayList<>(mounts);
        sorted.sort((a, b) -> Integer.compare(b.components().size(), a.components().size()));
        if (sorted.isEmpty() || !sorted.getLast().guestPath().equals("/")) {
            throw new IllegalArgumentException("no mount at /");
        }
        this.mounts = List.copyOf(sorted);
        this.mountOrder = mounts.stream().sorted(java.util.Comparator.comparingInt(m -> m.components().size()))
                .toList();
    }

    /**
     * The mounts in the order a system would have mounted them, each after the one it lies in: the
     * root first, then by depth, mounts of one depth in the order given (/proc/PID/mounts).
     */
    public List<Mount> mounts() {
        return mountOrder;
    }

    /** The mount that holds the guest path {@code guestPath} (absolute and normalized). */
    public Mount mountOf(String guestPath) {
        return mountOf(components(guestPath));
    }

    /** sync(2) of every mounted file system. */
    public void syncAll() {
        for (Mount m : mounts) {
            m.fs().sync();
        }
    }

    /** A walked path: the guest's absolute path, its mount, and the path within that mount's file system. */
    public record Resolved(String guestPath, String path, Mount mount) {
        public FileSystem fs() {
            return mount.fs();
        }

        /** EROFS when the path lies on a read-only mount: for every call that would change it. */
        public Resolved writable() throws ErrnoException {
            if (mount.readOnly()) {
                throw new ErrnoException(Errno.EROFS);
            }
            return this;
        }
    }

    /**
     * Resolves {@code path} (relative to the guest directory {@code cwd}); a symlink in the last
     * component is followed when {@code followLast}. The last component need not exist; every
     * earlier one must be a directory (ENOENT, ENOTDIR, ELOOP otherwise).
     */
    public Resolved resolve(String cwd, byte[] path, boolean followLast) throws ErrnoException {
        if (path.length == 0) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (path.length >= PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        String p = new String(path, StandardCharsets.UTF_8);
        boolean mustBeDirectory = p.endsWith("/");
        Resolved plain = mustBeDirectory ? null : plainCandidate(cwd, p);
        if (plain != null && plain.fs().isPlainPath(plain.path())) {
            return plain;
        }
        List<String> current = new ArrayList<>();
        if (!p.startsWith("/")) {
            current.addAll(components(cwd));
        }
        Deque<String> pending = new ArrayDeque<>(components(p));
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!current.isEmpty()) {
                    current.removeLast();
                }
                continue;
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new ErrnoException(Errno.ENAMETOOLONG);
            }
            current.add(name);
            boolean last = pending.isEmpty();
            if (last && !followLast && !mustBeDirectory) {
                break;
            }
            HostStat st;
            try {
                Mount m = mountOf(current);
                st = m.fs().stat(inMount(m, current), false);
            } catch (ErrnoException e) {
                if (last && e.errno() == Errno.ENOENT) {
                    break;
                }
                throw e;
            }
            int type = st.mode() & FileMode.S_IFMT;
            if (type == FileMode.S_IFLNK) {
                if (++links > MAX_SYMLINKS) {
                    throw new ErrnoException(Errno.ELOOP);
                }
                Mount m = mountOf(current);
                String target = new String(m.fs().readlink(inMount(m, current)), StandardCharsets.UTF_8);
                current.removeLast();
                if (target.startsWith("/")) {
                    current.clear();
                }
                List<String> t = components(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    pending.addFirst(t.get(i));
                }
                if (target.isEmpty()) {
                    throw new ErrnoException(Errno.ENOENT);
                }
            } else if (!last && type != FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR);
            } else if (last && mustBeDirectory && type != FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
        }
        Mount mount = mountOf(current);
        if (mount.components().isEmpty() && mount.fsRoot().isEmpty() && !current.isEmpty()
                && HIDDEN_HOST_TREES.contains(current.getFirst())) {
            // The host's /proc and /sys describe the JVM, not the guest: where jlx mounts no procfs or
            // sysfs of its own over them they stay out of sight.
            throw new ErrnoException(Errno.ENOENT);
        }
        return new Resolved("/" + String.join("/", current), inMount(mount, current), mount);
    }

    private static final byte[] DOT = {'.'};

    /**
     * A guest path that was walked before (a working directory, an open directory's path), of any
     * length: the strings a guest gives are shorter than PATH_MAX, the places they lead to need not be.
     */
    public Resolved walked(String guestPath) throws ErrnoException {
        return resolve(guestPath, DOT, true);
    }

    /**
     * The walk's result without walking, when it cannot differ from it: no ".." to interpret, the
     * whole path on the root mount, and the host saying that it exists with no symlink anywhere on
     * it (then every component is a directory or the last one, and the walk would only append them).
     * Null when any of that is not so.
     */
    /**
     * stat or lstat of a path: {@link #resolve} then stat, but a path that may be plain goes to the
     * host in one resolution ({@link FileSystem#lstatIfPlain}), and a link at its end is followed
     * from there, which for the stat-heavy {@code ls -l} (and its stat of /etc/localtime per file)
     * or {@code find} is most of what jlx asks the host.
     */
    public HostStat stat(String cwd, byte[] path, boolean followLast) throws ErrnoException {
        byte[] p = path;
        for (int links = 0; p.length > 0 && p.length < PATH_MAX && p[p.length - 1] != '/'; links++) {
            Resolved plain = plainCandidate(cwd, new String(p, StandardCharsets.UTF_8));
            HostStat st = plain == null ? null : plain.fs().lstatIfPlain(plain.path());
            if (st == null) {
                break;
            }
            if (!followLast || (st.mode() & FileMode.S_IFMT) != FileMode.S_IFLNK) {
                return st;
            }
            if (links == MAX_SYMLINKS) {
                throw new ErrnoException(Errno.ELOOP);
            }
            byte[] target = plain.fs().readlink(plain.path());
            if (target.length == 0) {
                throw new ErrnoException(Errno.ENOENT);
            }
            p = target[0] == '/' ? target : concat(parentOf(plain.guestPath()), target);
        }
        Resolved r = resolve(cwd, p, followLast);
        return r.fs().stat(r.path(), followLast);
    }

    /** The guest directory that holds {@code guestPath}, itself not "/". */
    private static String parentOf(String guestPath) {
        int slash = guestPath.lastIndexOf('/');
        return slash == 0 ? "/" : guestPath.substring(0, slash);
    }

    /** {@code directory + "/" + name} as bytes, for a link target relative to its directory. */
    private static byte[] concat(String directory, byte[] name) {
        byte[] dir = (directory.equals("/") ? "/" : directory + "/").getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(dir, dir.length + name.length);
        System.arraycopy(name, 0, all, dir.length, name.length);
        return all;
    }

    /**
     * The resolution of a path with no "..", in the root mount and outside the host trees jlx hides,
     * if none of its components turns out to be a symbolic link or a mount point; null when it is
     * not such a path. The file system still has to confirm there is no link.
     */
    private Resolved plainCandidate(String cwd, String p) throws ErrnoException {
        List<String> all = p.startsWith("/") ? new ArrayList<>() : new ArrayList<>(components(cwd));
        if (p.endsWith("/.")) {
            // "x/." asks that x be a directory, which only the walk checks.
            return null;
        }
        for (String c : components(p)) {
            if (c.equals("..")) {
                return null;
            }
            if (!c.equals(".")) {
                if (c.getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw new ErrnoException(Errno.ENAMETOOLONG);
                }
                all.add(c);
            }
        }
        Mount m = mountOf(all);
        if (!m.components().isEmpty() || all.isEmpty()
                || (m.fsRoot().isEmpty() && HIDDEN_HOST_TREES.contains(all.getFirst()))) {
            return null;
        }
        return new Resolved("/" + String.join("/", all), inMount(m, all), m);
    }

    /**
     * Mount points directly inside the guest directory {@code guestDirectory}, as names. A mount
     * point need not exist in the file system below it; listings show it anyway, as a directory.
     */
    public List<String> mountPointsIn(String guestDirectory) {
        List<String> dir = components(guestDirectory);
        List<String> names = new ArrayList<>();
        for (Mount m : mounts) {
            List<String> c = m.components();
            if (c.size() == dir.size() + 1 && c.subList(0, dir.size()).equals(dir)) {
                names.add(c.getLast());
            }
        }
        return names;
    }

    private Mount mountOf(List<String> components) {
        for (Mount m : mounts) {
            List<String> prefix = m.components();
            if (components.size() >= prefix.size() && components.subList(0, prefix.size()).equals(prefix)) {
                return m;
            }
        }
        throw new IllegalStateException("no mount at /");
    }

    /** The path of {@code components} inside mount {@code m}'s file system. */
    private static String inMount(Mount m, List<String> components) {
        List<String> rest = components.subList(m.components().size(), components.size());
        return rest.isEmpty() && !m.fsRoot().isEmpty() ? m.fsRoot() : m.fsRoot() + "/" + String.join("/", rest);
    }

    /**
     * chroot(2)'s view: {@code directory} (a resolved directory) becomes "/", the mounts below it
     * keep their places under it, and nothing outside it can be named any more (".." stops at the
     * new root, absolute link targets start there).
     */
    public Vfs chroot(Resolved directory) {
        List<String> root = components(directory.guestPath());
        List<Mount> view = new ArrayList<>();
        Mount holder = directory.mount();
        view.add(new Mount("/", holder.fs(), holder.readOnly(), directory.path().equals("/") ? ""
                : directory.path()));
        for (Mount m : mounts) {
            List<String> c = m.components();
            if (c.size() > root.size() && c.subList(0, root.size()).equals(root)) {
                view.add(new Mount("/" + String.join("/", c.subList(root.size(), c.size())), m.fs(), m.readOnly(),
                        m.fsRoot()));
            }
        }
        return new Vfs(view);
    }

    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }
}
