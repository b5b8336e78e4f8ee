package dev.jlx.host.windows;

import dev.jlx.abi.FileMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NT layer faked on a local (Linux or macOS) directory tree, for running the Windows backend
 * where there is no Windows: real files, sizes, times and concurrency, with NTFS's rules kept by
 * {@link FakeNtLayer}. EAs, reparse data, the case flag and attributes are {@code user.jlx.nt.*}
 * extended attributes of the file (so they stay with it through renames and hard links, as NTFS's EAs
 * do); a file system without user xattrs answers EAS_NOT_SUPPORTED, as FAT does.
 *
 * <p>Files of the tree that jlx did not make carry no EAs; they show what WSL would have written for
 * them: their owner, group and mode as $LXUID/$LXGID/$LXMOD (and $LXDEV for device nodes), unless
 * set since, and symlinks, FIFOs, sockets and devices as LX reparse points. So the host's own "/"
 * can be a guest root, as a tree unpacked by WSL would be. A symlink target that is not valid UTF-8
 * reads with U+FFFD in place of its bad bytes (Java's file names are text).
 */
public final class LocalDiskNtLayer extends FakeNtLayer {
    private static final String XATTR = "jlx.nt.";
    /** Where a deleted but open file waits in its directory, hidden (a control character no NT name has). */
    private static final String ASIDE = "\u0001jlx-deleted-";
    private final Path base;
    private final long serial;

    /** A layer whose one root is the directory {@code base} (absolute). */
    public LocalDiskNtLayer(Path base) {
        this.base = base.toAbsolutePath();
        long dev;
        try {
            dev = ((Number) Files.getAttribute(this.base, "unix:dev")).longValue();
        } catch (IOException | RuntimeException e) {
            dev = this.base.hashCode();
        }
        this.serial = dev & 0xffffffffL;
    }

    /** The files lie at Linux paths, which the host's PATH_MAX limits. */
    @Override
    public boolean longPaths() {
        return false;
    }

    @Override
    public boolean drives() {
        return false;
    }

    @Override
    public Path nativeRoot(String volume) {
        return volume.isEmpty() ? base : null;
    }

    @Override
    Path root(String volume) throws NtException {
        if (!volume.isEmpty()) {
            throw new NtException(NtStatus.OBJECT_PATH_NOT_FOUND);
        }
        return base;
    }

    @Override
    Path aside(Path path, long unique) {
        return path.resolveSibling(ASIDE + ProcessHandle.current().pid() + "-" + unique);
    }

    @Override
    boolean hidden(Path dir, String stored) {
        return stored.startsWith(ASIDE);
    }

    /** Only regular files and directories hold side data: opening a FIFO or device to read xattrs could block. */
    private static UserDefinedFileAttributeView view(Path path) throws IOException {
        BasicFileAttributes a = attrs(path);
        if (!a.isRegularFile() && !a.isDirectory()) {
            return null;
        }
        return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    byte[] side(Path path, String key) throws IOException {
        UserDefinedFileAttributeView v = view(path);
        if (v == null) {
            return null;
        }
        try {
            int size = v.size(XATTR + key);
            ByteBuffer b = ByteBuffer.allocate(size);
            v.read(XATTR + key, b);
            return java.util.Arrays.copyOf(b.array(), b.position());
        } catch (java.nio.file.FileSystemException absent) {
            // ENODATA (no such attribute), or a file jlx may not read: no side data.
            return null;
        }
    }

    @Override
    void side(Path path, String key, byte[] value) throws IOException {
        UserDefinedFileAttributeView v = view(path);
        if (v == null) {
            throw new java.nio.file.AccessDeniedException(path.toString());
        }
        if (value != null) {
            v.write(XATTR + key, ByteBuffer.wrap(value));
        } else if (v.list().contains(XATTR + key)) {
            v.delete(XATTR + key);
        }
    }

    @Override
    List<String> sideKeys(Path path) throws IOException {
        UserDefinedFileAttributeView v = view(path);
        List<String> keys = new ArrayList<>();
        if (v == null) {
            return keys;
        }
        try {
            for (String name : v.list()) {
                if (name.startsWith(XATTR)) {
                    keys.add(name.substring(XATTR.length()));
                }
            }
        } catch (java.nio.file.FileSystemException unreadable) {
            // A file jlx may not open: it shows no EAs of its own.
        }
        return keys;
    }

    private static Map<String, Object> unix(Path path) throws IOException {
        return Files.readAttributes(path, "unix:ino,dev,nlink,ctime,mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    long fileId(Path path, BasicFileAttributes a) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Override
    long volumeSerial() {
        return serial;
    }

    @Override
    int linkCount(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    @Override
    long changeTime(Path path) throws IOException {
        return ntTime((FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    void changed(Path path) {
        // The host's file system keeps the change time itself.
    }

    @Override
    List<Ea> nativeEas(Path path, BasicFileAttributes a) throws IOException {
        Map<String, Object> u = unix(path);
        int mode = (Integer) u.get("mode");
        List<Ea> eas = new ArrayList<>(List.of(new Ea(LxMetadata.UID, LxMetadata.u32((Integer) u.get("uid"))),
                new Ea(LxMetadata.GID, LxMetadata.u32((Integer) u.get("gid"))),
                new Ea(LxMetadata.MODE, LxMetadata.u32(mode))));
        int type = mode & FileMode.S_IFMT;
        if (type == FileMode.S_IFCHR || type == FileMode.S_IFBLK) {
            long rdev = (Long) u.get("rdev");
            // glibc's major() and minor() of a Linux dev_t.
            int major = (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL));
            int minor = (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
            eas.add(new Ea(LxMetadata.DEV, LxMetadata.dev(major, minor)));
        }
        return eas;
    }

    @Override
    int nativeTag(Path path, BasicFileAttributes a) throws IOException {
        if (a.isSymbolicLink()) {
            return LxMetadata.TAG_LX_SYMLINK;
        }
        int type = ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & FileMode.S_IFMT;
        return switch (type) {
            case FileMode.S_IFCHR -> LxMetadata.TAG_LX_CHR;
            case FileMode.S_IFBLK -> LxMetadata.TAG_LX_BLK;
            case FileMode.S_IFSOCK -> LxMetadata.TAG_AF_UNIX;
            default -> LxMetadata.TAG_LX_FIFO;
        };
    }

    @Override
    VolumeInfo volume(Path path) throws IOException {
        FileStore store = Files.getFileStore(path);
        long cluster = 4096;
        return new VolumeInfo(serial, store.getTotalSpace() / cluster, store.getUsableSpace() / cluster,
                store.getUnallocatedSpace() / cluster, 8, 512, "NTFS", 255, 0);
    }
}
