package dev.jlx.tools.rootfs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A host directory seen as a guest's root. A path in it is a list of names below the root; a symlink met
 * on the way is resolved as the guest will see it (an absolute target from the root, ".." stopping at
 * the root), never by the host, so nothing an archive puts into the tree can lead a write out of it.
 * Only jlx is assumed to change the tree while it unpacks.
 *
 * <p>Every file is read and written through a host backend's {@link HostFiles}, the files a guest of that
 * backend sees: the POSIX backend's are the host's own, the Windows backend keeps modes, owners, symlinks
 * and FIFOs as WSL does (extended attributes and reparse points), which the JDK's file API cannot write.
 */
final class GuestTree {
    /** Linux's limit on the symlinks one lookup follows (MAXSYMLINKS). */
    static final int MAX_LINKS = 40;
    /** jlx's own directory in the root (the owners file); no archive may write there. */
    static final String JLX_DIR = ".jlx";
    /** The mode of a directory made on the way to an entry, as tar makes it with the usual umask. */
    static final int DIRECTORY_MODE = 0755;
    /** Why a name is refused that the host cannot store (NUL in it, or EILSEQ from the backend). */
    static final String NOT_A_HOST_NAME = "not a file name this host can use";
    private static final int CHUNK = 64 * 1024;

    private final HostFiles files;
    /** The root as the host names it, for messages. */
    private final Path root;
    /** The root as the backend names it. */
    private final ByteString hostRoot;
    /** Where file contents pass on their way to and from the backend, which takes native memory. */
    private final MemorySegment buffer = Arena.ofAuto().allocate(CHUNK);

    /** The tree at {@code root}, an existing directory's real path, through {@code files}. */
    GuestTree(HostFiles files, Path root) {
        this.files = files;
        this.root = root;
        this.hostRoot = files.hostPath(root);
    }

    /** A host call's error on a path of the tree, told as the JDK tells its own: "FILE: reason". */
    static final class HostError extends FileSystemException {
        final Errno errno;

        HostError(String file, Errno errno) {
            super(file, null, errno.message());
            this.errno = errno;
        }
    }

    private interface Call<T> {
        T call(ByteString hostPath) throws ErrnoException;
    }

    private interface Action {
        void call(ByteString hostPath) throws ErrnoException;
    }

    private <T> T at(List<String> path, Call<T> call) throws HostError {
        try {
            return call.call(host(path));
        } catch (ErrnoException e) {
            throw new HostError(shown(path), e.errno());
        }
    }

    private void on(List<String> path, Action action) throws HostError {
        at(path, p -> {
            action.call(p);
            return null;
        });
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
        if (relative.indexOf('\0') >= 0) {
            throw new Refused(NOT_A_HOST_NAME);
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

    private ByteString host(List<String> path) {
        ByteString p = hostRoot;
        for (String n : path) {
            p = p.child(ByteString.of(n));
        }
        return p;
    }

    /** The path as the host names it, for messages. */
    String shown(List<String> path) {
        String sep = root.getFileSystem().getSeparator();
        String base = root.toString();
        return path.isEmpty() ? base : base + (base.endsWith(sep) ? "" : sep) + String.join(sep, path);
    }

    /** The path as the guest names it: "/" and the names. */
    static String guest(List<String> path) {
        return "/" + String.join("/", path);
    }

    /**
     * Where {@code path} is, as names of real directories below the root and then the last name, which
     * is followed when it is a symlink only if {@code followLast}. Missing directories on the way are
     * made when {@code create} ({@link #DIRECTORY_MODE}), else the path is refused.
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
            List<String> p = new ArrayList<>(at);
            p.add(name);
            HostStat a = lstat(p);
            boolean last = todo.isEmpty();
            if (isType(a, FileMode.S_IFLNK) && (!last || followLast)) {
                if (++links > MAX_LINKS) {
                    throw new Refused("too many levels of symbolic links");
                }
                String target = new String(at(p, files::readlink), StandardCharsets.UTF_8);
                if (target.startsWith("/")) {
                    at.clear();
                }
                names(target).reversed().forEach(todo::addFirst);
                continue;
            }
            if (!last) {
                directoryOnTheWay(p, a, create);
            }
            at.add(name);
        }
        return at;
    }

    private void directoryOnTheWay(List<String> p, HostStat a, boolean create) throws Refused, IOException {
        if (a == null && create) {
            mkdir(p, DIRECTORY_MODE);
        } else if (a == null) {
            throw new Refused(guest(p) + " does not exist");
        } else if (!isType(a, FileMode.S_IFDIR)) {
            throw new Refused(guest(p) + " is not a directory");
        }
    }

    /** Whether {@code a} is there and of the type {@code type} (an {@code S_IF*} value). */
    static boolean isType(HostStat a, int type) {
        return a != null && (a.mode() & FileMode.S_IFMT) == type;
    }

    /** Whether the guest sees a directory at {@code path}, following a symlink at its end. */
    boolean leadsToDirectory(List<String> path) throws IOException {
        try {
            return isType(lstat(resolve(path, true, false)), FileMode.S_IFDIR);
        } catch (Refused dangling) {
            return false;
        }
    }

    /** Whether every name of {@code path} is a real directory, not a symlink to one. */
    boolean isRealDirectory(List<String> path) throws IOException {
        for (int i = 0; i <= path.size(); i++) {
            if (!isType(lstat(path.subList(0, i)), FileMode.S_IFDIR)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes room for a new entry at {@code path}: whatever is there goes, without following a symlink, so
     * that nothing is written through a link or into another name of a hard-linked file. A directory
     * goes only when empty.
     */
    void clear(List<String> path) throws Refused, IOException {
        HostStat a = lstat(path);
        try {
            if (isType(a, FileMode.S_IFDIR)) {
                on(path, files::rmdir);
            } else if (a != null) {
                on(path, files::unlink);
            }
        } catch (HostError e) {
            if (e.errno == Errno.ENOTEMPTY) {
                throw new Refused("a directory that is not empty is in the way");
            }
            throw e;
        }
    }

    /** The metadata of {@code path} itself (a symlink is not followed), or null when there is nothing. */
    HostStat lstat(List<String> path) throws IOException {
        try {
            return at(path, p -> files.stat(p, false));
        } catch (HostError e) {
            if (e.errno == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    void mkdir(List<String> path, int mode) throws IOException {
        on(path, p -> files.mkdir(p, mode));
    }

    void symlink(String target, List<String> path) throws IOException {
        on(path, p -> files.symlink(target.getBytes(StandardCharsets.UTF_8), p));
    }

    void link(List<String> existing, List<String> path) throws IOException {
        on(path, p -> files.link(host(existing), p));
    }

    void mkfifo(List<String> path, int mode) throws IOException {
        on(path, p -> files.mkfifo(p, mode));
    }

    void chmod(List<String> path, int mode) throws IOException {
        on(path, p -> files.chmod(p, mode));
    }

    void chown(List<String> path, long uid, long gid) throws IOException {
        on(path, p -> files.chown(p, (int) uid, (int) gid));
    }

    /** Sets the modification time of {@code path} itself (a symlink's own); the access time stays. */
    void setTime(List<String> path, FileTime mtime) throws IOException {
        Instant t = mtime.toInstant();
        on(path, p -> files.utimens(p, 0, Fcntl.UTIME_OMIT, t.getEpochSecond(), t.getNano()));
    }

    /** Makes a new file at {@code path} (nothing may be there), with {@code mode}, and writes {@code data} into it. */
    void create(List<String> path, int mode, InputStream data) throws IOException {
        write(path, OpenFlags.O_EXCL, mode, data);
    }

    /** Writes {@code bytes} into the regular file {@code path}, made with {@code mode} if missing, from its start. */
    void replace(List<String> path, int mode, byte[] bytes) throws IOException {
        write(path, OpenFlags.O_TRUNC, mode, new java.io.ByteArrayInputStream(bytes));
    }

    /** The backend opens without following a symlink at the end: one put in a file's place is an error (ELOOP). */
    private void write(List<String> path, int flags, int mode, InputStream data) throws IOException {
        HostFile f = at(path, p -> files.open(p, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | flags, mode));
        try {
            byte[] chunk = new byte[CHUNK];
            for (int n; (n = data.read(chunk)) > 0; ) {
                MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
                MemorySegment rest = buffer.asSlice(0, n);
                while (rest.byteSize() > 0) {
                    MemorySegment r = rest;
                    rest = rest.asSlice(at(path, p -> f.write(r)));
                }
            }
        } finally {
            on(path, p -> f.close());
        }
    }

    /** The contents of the regular file {@code path}. */
    byte[] read(List<String> path) throws IOException {
        HostFile f = at(path, p -> files.open(p, OpenFlags.O_RDONLY, 0));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n; (n = at(path, p -> f.read(buffer))) > 0; ) {
                out.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
            return out.toByteArray();
        } finally {
            on(path, p -> f.close());
        }
    }
}
