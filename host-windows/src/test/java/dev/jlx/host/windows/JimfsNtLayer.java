package dev.jlx.host.windows;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import com.google.common.jimfs.PathNormalization;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NT layer faked in memory, on jimfs in its Windows configuration (volume {@code C:}, {@code \}
 * separators, Windows' path rules), with {@link FakeNtLayer}'s NTFS rules. jimfs's own case folding
 * is turned off, since NTFS's is per directory and the fake does it; EAs, reparse data, the case flag,
 * attributes and change times are side tables keyed by jimfs's file key (so hard links share them).
 * Deleted files that are still open wait on volume {@code D:}.
 */
final class JimfsNtLayer extends FakeNtLayer {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.windows().toBuilder()
            .setRoots("C:\\", "D:\\")
            .setWorkingDirectory("C:\\work")
            .setNameCanonicalNormalization(PathNormalization.NONE)
            .setNameDisplayNormalization(PathNormalization.NONE)
            .setAttributeViews("basic", "owner", "posix", "unix")
            .build());
    private final Map<Object, Map<String, byte[]>> sides = new ConcurrentHashMap<>();

    /** The jimfs file system, where tests make files as a Windows program would. */
    FileSystem fileSystem() {
        return fs;
    }

    @Override
    public boolean drives() {
        return true;
    }

    @Override
    Path root(String volume) throws NtException {
        if (!volume.equalsIgnoreCase("C:")) {
            throw new NtException(NtStatus.OBJECT_PATH_NOT_FOUND);
        }
        return fs.getPath("C:\\");
    }

    @Override
    Path aside(Path path, long unique) {
        return fs.getPath("D:\\").resolve("deleted-" + unique);
    }

    @Override
    boolean hidden(Path dir, String stored) {
        return false;
    }

    private Map<String, byte[]> table(Path path) throws IOException {
        return sides.computeIfAbsent(attrs(path).fileKey(), k -> new ConcurrentHashMap<>());
    }

    @Override
    byte[] side(Path path, String key) throws IOException {
        return table(path).get(key);
    }

    @Override
    void side(Path path, String key, byte[] value) throws IOException {
        if (value == null) {
            table(path).remove(key);
        } else {
            table(path).put(key, value.clone());
        }
    }

    @Override
    List<String> sideKeys(Path path) throws IOException {
        return new ArrayList<>(table(path).keySet());
    }

    @Override
    long fileId(Path path, BasicFileAttributes a) {
        return ((Number) a.fileKey()).longValue();
    }

    @Override
    long volumeSerial() {
        return 0x1234abcdL;
    }

    @Override
    int linkCount(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    @Override
    long changeTime(Path path) throws IOException {
        byte[] t = side(path, "CTIME");
        return t == null ? 0 : java.nio.ByteBuffer.wrap(t).getLong();
    }

    @Override
    void changed(Path path) throws IOException {
        side(path, "CTIME", java.nio.ByteBuffer.allocate(8).putLong(WindowsFiles.ntNow()).array());
    }

    @Override
    VolumeInfo volume(Path path) {
        return new VolumeInfo(volumeSerial(), 1 << 20, 1 << 19, 1 << 19, 8, 512, "NTFS", 255, 0);
    }
}
