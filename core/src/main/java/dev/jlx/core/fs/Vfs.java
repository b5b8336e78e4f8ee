package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Walks guest paths component by component, as Linux's {@code path_walk}, over a host directory
 * that is the guest's root. Symbolic links are read and followed here, never by the host, and
 * {@code ..} stops at the guest root, so no guest path can name a host file outside the root.
 */
public final class Vfs {
    /** MAXSYMLINKS: Linux gives ELOOP after this many links in one walk. */
    static final int MAX_SYMLINKS = 40;
    public static final int PATH_MAX = 4096;
    private static final java.util.Set<String> HIDDEN_HOST_TREES = java.util.Set.of("proc", "sys");

    private final String hostRoot;
    private final HostFiles files;

    /** {@code hostRoot} is an absolute, normalized host directory ("/" for the host's root). */
    public Vfs(String hostRoot, HostFiles files) {
        this.hostRoot = hostRoot.endsWith("/") ? hostRoot.substring(0, hostRoot.length() - 1) : hostRoot;
        this.files = files;
    }

    public HostFiles files() {
        return files;
    }

    /** A walked path: the guest's absolute path and the host path that serves it. */
    public record Resolved(String guestPath, String hostPath) {}

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
                st = files.stat(host(current), false);
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
                String target = new String(files.readlink(host(current)), StandardCharsets.UTF_8);
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
        if (!current.isEmpty() && HIDDEN_HOST_TREES.contains(current.getFirst())) {
            // The host's /proc and /sys describe the JVM, not the guest: they stay out of sight until
            // jlx serves its own.
            throw new ErrnoException(Errno.ENOENT);
        }
        return new Resolved("/" + String.join("/", current), host(current));
    }

    private String host(List<String> components) {
        return components.isEmpty() ? (hostRoot.isEmpty() ? "/" : hostRoot) : hostRoot + "/" + String.join("/",
                components);
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }
}
