package dev.jlx.tools.rootfs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A guest root as the guests of one host backend see it: the tests look at it and put things in it
 * through the backend's files, as {@code jlx run --backend} would (the Windows backend keeps modes and
 * symlinks where the JDK's file API does not see them).
 */
final class BackendView {
    final HostBackend backend;
    private final HostFiles files;
    private final Path root;

    BackendView(String backendName, Path root) {
        this.backend = HostBackends.get(backendName);
        this.files = backend.files();
        this.root = root;
    }

    private ByteString at(String relative) throws IOException {
        ByteString p = files.hostPath(root.toRealPath());
        for (String n : relative.split("/")) {
            if (!n.isEmpty()) {
                p = p.child(ByteString.of(n));
            }
        }
        return p;
    }

    private static AssertionError failed(String relative, ErrnoException e) {
        return new AssertionError(relative + ": " + e.errno().message());
    }

    /** The metadata of {@code relative} itself, or null when there is nothing by that name. */
    HostStat lstat(String relative) throws IOException {
        try {
            return files.stat(at(relative), false);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw failed(relative, e);
        }
    }

    HostStat stat(String relative) throws IOException {
        try {
            return files.stat(at(relative), true);
        } catch (ErrnoException e) {
            throw failed(relative, e);
        }
    }

    int mode(String relative) throws IOException {
        return lstat(relative).mode() & 07777;
    }

    int type(String relative) throws IOException {
        return lstat(relative).mode() & FileMode.S_IFMT;
    }

    boolean isSymlink(String relative) throws IOException {
        HostStat s = lstat(relative);
        return s != null && (s.mode() & FileMode.S_IFMT) == FileMode.S_IFLNK;
    }

    long mtime(String relative) throws IOException {
        return lstat(relative).mtimeSec();
    }

    String readlink(String relative) throws IOException {
        try {
            return new String(files.readlink(at(relative)), StandardCharsets.UTF_8);
        } catch (ErrnoException e) {
            throw failed(relative, e);
        }
    }

    /** The contents of the regular file {@code relative} (the backend does not follow a symlink there). */
    String read(String relative) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            HostFile f = files.open(at(relative), OpenFlags.O_RDONLY, 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n; (n = f.read(buffer)) > 0; ) {
                out.write(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
            f.close();
            return out.toString(StandardCharsets.UTF_8);
        } catch (ErrnoException e) {
            throw failed(relative, e);
        }
    }

    /** Makes the directory {@code relative} and those above it, as jlx's guests would. */
    void mkdirs(String relative) throws IOException {
        Files.createDirectories(root);
        String path = "";
        for (String n : relative.split("/")) {
            path += "/" + n;
            if (lstat(path) == null) {
                try {
                    files.mkdir(at(path), 0755);
                } catch (ErrnoException e) {
                    throw failed(path, e);
                }
            }
        }
    }

    void write(String relative, String text) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            HostFile f = files.open(at(relative), OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC, 0644);
            f.write(buffer.asSlice(0, bytes.length));
            f.close();
        } catch (ErrnoException e) {
            throw failed(relative, e);
        }
    }

    void symlink(String relative, String target) throws IOException {
        try {
            files.symlink(target.getBytes(StandardCharsets.UTF_8), at(relative));
        } catch (ErrnoException e) {
            throw failed(relative, e);
        }
    }
}
