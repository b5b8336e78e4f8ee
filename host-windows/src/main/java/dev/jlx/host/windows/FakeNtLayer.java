package dev.jlx.host.windows;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An NT layer over a java.nio file system, keeping NTFS's rules where the backend relies on them:
 * one-component names with NTFS's refused characters; case-insensitive lookup (NTFS's per-unit
 * upper-casing) unless the directory's case-sensitive flag is set; share modes checked between the
 * open handles of a file; delete-pending names; POSIX delete and rename (the name goes when the
 * deleting handle closes, while other handles keep the file: the file is moved aside to a hidden
 * place until its last handle closes); EA names upper-cased; reparse points; 100 ns times; no
 * rename of a directory under which a file is open. What the file system under it cannot keep
 * (EAs, reparse data, the case flag, attributes) subclasses keep in side storage; files of the file
 * system that NTFS cannot have (Linux symlinks, FIFOs, devices, sockets) are shown as the LX reparse
 * points WSL would have written for them.
 *
 * <p>One lock guards the handle table and every name operation; data moves outside it, through a
 * FileChannel per handle.
 */
abstract class FakeNtLayer implements NtLayer {
    /** 100 ns units from 1601-01-01 to 1970-01-01. */
    static final long EPOCH_DIFFERENCE = 116_444_736_000_000_000L;
    private static final int MAX_EA_SIZE = 65_535;
    private static final long CLUSTER = 4096;
    private static final String SIDE_EA = "EA.";
    private static final String SIDE_REPARSE = "REPARSE";
    private static final String SIDE_CASE = "CASE";
    private static final String SIDE_ATTRIBUTES = "ATTRIBUTES";

    /** One open handle: the name it reaches the file by (moved along by renames), and how it was opened. */
    final class Open {
        final long id;
        Path path;
        final Object key;
        final int access;
        final int share;
        final boolean directory;
        /** Set by a POSIX delete: the name goes when this handle closes. */
        boolean posixDelete;
        /** Moved aside by a POSIX delete or a replacing rename: deleted when its last handle closes. */
        boolean unlinked;
        FileChannel channel;

        Open(long id, Path path, Object key, int access, int share, boolean directory) {
            this.id = id;
            this.path = path;
            this.key = key;
            this.access = access;
            this.share = share;
            this.directory = directory;
        }
    }

    private final Object lock = new Object();
    private final Map<Long, Open> handles = new HashMap<>();
    /** The mapped views of each file, as NTFS knows them: a file with one cannot shrink. */
    private final Map<Object, Integer> views = new HashMap<>();
    /** Names whose file has a non-POSIX delete pending: deleted when the file's last handle closes. */
    private final Map<Object, Path> pendingDeletes = new HashMap<>();
    /** Upper-cased name to stored name, per directory, for case-insensitive lookups; dropped on any change. */
    private final Map<Path, Map<String, String>> folded = new HashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(0x100);
    private final AtomicLong nextAside = new AtomicLong();

    // What a subclass provides.

    /** The directory a host path starts from (see {@link NtLayer#openRoot}). */
    abstract Path root(String volume) throws NtException;

    /** A place on the same file system as {@code path} where a deleted but open file can stay, hidden. */
    abstract Path aside(Path path, long unique);

    /** Whether {@code name} (stored form) in {@code dir} is the layer's own and must stay hidden. */
    abstract boolean hidden(Path dir, String stored);

    /** Side data of the file at {@code path} (the file itself, never a link's target), null when absent. */
    abstract byte[] side(Path path, String key) throws IOException;

    /** Sets ({@code value} non-null) or removes side data. */
    abstract void side(Path path, String key, byte[] value) throws IOException;

    /** The keys of the side data of {@code path}. */
    abstract List<String> sideKeys(Path path) throws IOException;

    /** The file id (inode number) of the file. */
    abstract long fileId(Path path, BasicFileAttributes a) throws IOException;

    /** The volume serial number. */
    abstract long volumeSerial();

    /** The number of hard links of the file. */
    abstract int linkCount(Path path) throws IOException;

    /** The file's change time (NT time), or 0 to use its last write time. */
    abstract long changeTime(Path path) throws IOException;

    /** Notes that the file's metadata changed (for a file system that keeps no change time). */
    abstract void changed(Path path) throws IOException;

    /** The EAs a file of the file system shows without having them set (see {@link LocalDiskNtLayer}). */
    List<Ea> nativeEas(Path path, BasicFileAttributes a) throws IOException {
        return List.of();
    }

    /** The raw bytes of a native symlink's target. */
    byte[] nativeLinkTarget(Path path) throws IOException {
        return Files.readSymbolicLink(path).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The LX reparse tag a native non-regular, non-directory file stands for. */
    int nativeTag(Path path, BasicFileAttributes a) throws IOException {
        return a.isSymbolicLink() ? LxMetadata.TAG_LX_SYMLINK : LxMetadata.TAG_LX_FIFO;
    }

    /** The space of the file system. */
    abstract VolumeInfo volume(Path path) throws IOException;

    // Helpers.

    static BasicFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    static NtException status(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new NtException(NtStatus.OBJECT_NAME_NOT_FOUND);
        }
        if (e instanceof FileAlreadyExistsException) {
            return new NtException(NtStatus.OBJECT_NAME_COLLISION);
        }
        if (e instanceof DirectoryNotEmptyException) {
            return new NtException(NtStatus.DIRECTORY_NOT_EMPTY);
        }
        if (e instanceof AccessDeniedException) {
            return new NtException(NtStatus.ACCESS_DENIED);
        }
        if (e instanceof NotDirectoryException) {
            return new NtException(NtStatus.NOT_A_DIRECTORY);
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            if (r.contains("File name too long")) {
                return new NtException(NtStatus.NAME_TOO_LONG);
            }
            if (r.contains("No space")) {
                return new NtException(NtStatus.DISK_FULL);
            }
            if (r.contains("Operation not supported")) {
                return new NtException(NtStatus.EAS_NOT_SUPPORTED);
            }
            if (r.contains("Bad address")) {
                return new NtException(NtStatus.ACCESS_VIOLATION);
            }
            if (r.contains("Read-only")) {
                return new NtException(NtStatus.MEDIA_WRITE_PROTECTED);
            }
        }
        if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("out of disk space")) {
            return new NtException(NtStatus.DISK_FULL);
        }
        LOG.warning("fake NT layer: " + e + ", answered with STATUS_IO_DEVICE_ERROR");
        return new NtException(NtStatus.IO_DEVICE_ERROR);
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(FakeNtLayer.class.getName());

    static long ntTime(FileTime t) {
        long nanos = t.to(TimeUnit.NANOSECONDS);
        return Math.floorDiv(nanos, 100) + EPOCH_DIFFERENCE;
    }

    static FileTime fileTime(long nt) {
        return FileTime.from((nt - EPOCH_DIFFERENCE) * 100, TimeUnit.NANOSECONDS);
    }

    private Open open(long handle) throws NtException {
        Open o = handles.get(handle);
        if (o == null) {
            throw new NtException(NtStatus.INVALID_HANDLE);
        }
        return o;
    }

    private Open handle(long handle) throws NtException {
        synchronized (lock) {
            return open(handle);
        }
    }

    /** NTFS refuses these names through the NT API. */
    static void checkName(String name) throws NtException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 255) {
            throw new NtException(NtStatus.OBJECT_NAME_INVALID);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || c == '/' || (c < 0x80 && NtNames.refusedByNtfs(c))) {
                throw new NtException(NtStatus.OBJECT_NAME_INVALID);
            }
        }
    }

    private boolean caseSensitive(Path dir) throws IOException {
        byte[] flag = side(dir, SIDE_CASE);
        return flag != null && flag.length > 0 && (flag[0] & FILE_CS_FLAG_CASE_SENSITIVE_DIR) != 0;
    }

    /** The existing entry of {@code dir} that {@code name} names, by NTFS's rules, or null. */
    private Path lookup(Path dir, String name) throws IOException {
        String stored = FakeNames.store(name);
        Path exact = dir.resolve(stored);
        if (!hidden(dir, stored) && Files.exists(exact, LinkOption.NOFOLLOW_LINKS)) {
            return exact;
        }
        if (caseSensitive(dir)) {
            return null;
        }
        Map<String, String> index = folded.get(dir);
        if (index == null) {
            index = new HashMap<>();
            try (var entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    String s = e.getFileName().toString();
                    if (!hidden(dir, s)) {
                        index.putIfAbsent(NtNames.upcase(FakeNames.load(s)), s);
                    }
                }
            }
            folded.put(dir, index);
        }
        String found = index.get(NtNames.upcase(name));
        return found == null ? null : dir.resolve(found);
    }

    private void dirChanged(Path dir) {
        folded.remove(dir);
    }

    private Reparse reparse(Path p, BasicFileAttributes a) throws IOException {
        if (a.isOther() || a.isSymbolicLink()) {
            int tag = nativeTag(p, a);
            return new Reparse(tag, tag == LxMetadata.TAG_LX_SYMLINK ? LxMetadata.symlinkData(nativeLinkTarget(p))
                    : new byte[0]);
        }
        byte[] raw = side(p, SIDE_REPARSE);
        if (raw == null || raw.length < 4) {
            return null;
        }
        int tag = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return new Reparse(tag, java.util.Arrays.copyOfRange(raw, 4, raw.length));
    }

    private int attributes(Path p, BasicFileAttributes a) throws IOException {
        int attrs = 0;
        if (!a.isSymbolicLink() && !a.isOther()) {
            byte[] stored = side(p, SIDE_ATTRIBUTES);
            if (stored != null && stored.length == 4) {
                attrs = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).getInt();
            }
        }
        attrs &= ~(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_NORMAL);
        if (a.isDirectory()) {
            attrs |= FILE_ATTRIBUTE_DIRECTORY;
        }
        if (reparse(p, a) != null) {
            attrs |= FILE_ATTRIBUTE_REPARSE_POINT;
        }
        return attrs == 0 ? FILE_ATTRIBUTE_NORMAL : attrs;
    }

    private static boolean conflicts(Open other, int access, int share) {
        int readish = FILE_READ_DATA | FILE_EXECUTE;
        int writeish = FILE_WRITE_DATA | FILE_APPEND_DATA;
        return ((access & readish) != 0 && (other.share & FILE_SHARE_READ) == 0)
                || ((access & writeish) != 0 && (other.share & FILE_SHARE_WRITE) == 0)
                || ((access & DELETE) != 0 && (other.share & FILE_SHARE_DELETE) == 0)
                || ((other.access & readish) != 0 && (share & FILE_SHARE_READ) == 0)
                || ((other.access & writeish) != 0 && (share & FILE_SHARE_WRITE) == 0)
                || ((other.access & DELETE) != 0 && (share & FILE_SHARE_DELETE) == 0);
    }

    private List<Open> opensOf(Object key) {
        List<Open> list = new ArrayList<>();
        for (Open o : handles.values()) {
            if (o.key.equals(key)) {
                list.add(o);
            }
        }
        return list;
    }

    private boolean pathOpen(Path path) {
        for (Open o : handles.values()) {
            if (o.path.equals(path)) {
                return true;
            }
        }
        return false;
    }

    // The NT calls.

    @Override
    public long openRoot(String volume) throws NtException {
        Path root = root(volume);
        try {
            BasicFileAttributes a = attrs(root);
            synchronized (lock) {
                long id = nextHandle.getAndIncrement();
                handles.put(id, new Open(id, root, a.fileKey(), FILE_LIST_DIRECTORY | FILE_TRAVERSE
                        | FILE_READ_ATTRIBUTES | FILE_READ_EA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | SYNCHRONIZE,
                        FILE_SHARE_ALL, true));
                return id;
            }
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public Opened create(long parent, String name, int access, int share, int disposition, int options,
            int attributes, List<Ea> eas) throws NtException {
        checkName(name);
        synchronized (lock) {
            Open dir = open(parent);
            if (!dir.directory) {
                throw new NtException(NtStatus.NOT_A_DIRECTORY);
            }
            if (dir.unlinked || dir.posixDelete) {
                throw new NtException(NtStatus.DELETE_PENDING);
            }
            try {
                Path existing = lookup(dir.path, name);
                if (existing != null) {
                    return openExisting(existing, access, share, disposition, options);
                }
                if (disposition == FILE_OPEN || disposition == FILE_OVERWRITE) {
                    throw new NtException(NtStatus.OBJECT_NAME_NOT_FOUND);
                }
                Path p = dir.path.resolve(FakeNames.store(name));
                boolean directory = (options & FILE_DIRECTORY_FILE) != 0;
                if (directory) {
                    Files.createDirectory(p);
                } else {
                    Files.createFile(p);
                }
                dirChanged(dir.path);
                int attrs = attributes & ~(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_NORMAL | FILE_ATTRIBUTE_REPARSE_POINT);
                if (attrs != 0) {
                    side(p, SIDE_ATTRIBUTES, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(attrs).array());
                }
                if (!eas.isEmpty()) {
                    writeEas(p, eas);
                }
                BasicFileAttributes a = attrs(p);
                long id = nextHandle.getAndIncrement();
                handles.put(id, new Open(id, p, a.fileKey(), access, share, directory));
                return new Opened(id, FILE_CREATED);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public long reopen(long handle, int access) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            try {
                return openExisting(o.path, access, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT).handle();
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    private Opened openExisting(Path p, int access, int share, int disposition, int options)
            throws IOException, NtException {
        if (disposition == FILE_CREATE) {
            throw new NtException(NtStatus.OBJECT_NAME_COLLISION);
        }
        BasicFileAttributes a = attrs(p);
        if (pendingDeletes.containsValue(p) || posixDeleting(p)) {
            throw new NtException(NtStatus.DELETE_PENDING);
        }
        boolean directory = a.isDirectory();
        if ((options & FILE_DIRECTORY_FILE) != 0 && !directory) {
            throw new NtException(NtStatus.NOT_A_DIRECTORY);
        }
        if ((options & FILE_NON_DIRECTORY_FILE) != 0 && directory) {
            throw new NtException(NtStatus.FILE_IS_A_DIRECTORY);
        }
        if ((options & FILE_OPEN_REPARSE_POINT) == 0 && reparse(p, a) != null) {
            // No filter on this volume knows the LX tags, as on Windows without WSL's driver in the path.
            throw new NtException(NtStatus.IO_REPARSE_TAG_NOT_HANDLED);
        }
        int attrs = attributes(p, a);
        if ((attrs & FILE_ATTRIBUTE_READONLY) != 0 && (access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        for (Open o : opensOf(a.fileKey())) {
            if (conflicts(o, access, share)) {
                throw new NtException(NtStatus.SHARING_VIOLATION);
            }
        }
        int information = FILE_OPENED;
        if (disposition == FILE_OVERWRITE || disposition == FILE_OVERWRITE_IF || disposition == FILE_SUPERSEDE) {
            if (directory) {
                throw new NtException(NtStatus.INVALID_PARAMETER);
            }
            try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                c.truncate(0);
            }
            information = disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
        }
        long id = nextHandle.getAndIncrement();
        handles.put(id, new Open(id, p, a.fileKey(), access, share, directory));
        return new Opened(id, information);
    }

    private boolean posixDeleting(Path p) {
        for (Open o : handles.values()) {
            if (o.posixDelete && o.path.equals(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close(long handle) throws NtException {
        FileChannel channel;
        synchronized (lock) {
            Open o = handles.remove(handle);
            if (o == null) {
                throw new NtException(NtStatus.INVALID_HANDLE);
            }
            channel = o.channel;
            try {
                if (o.posixDelete && !o.unlinked) {
                    unlinkName(o.path);
                }
                if (o.unlinked && !pathOpen(o.path)) {
                    deleteQuietly(o.path);
                }
                if (opensOf(o.key).isEmpty()) {
                    Path pending = pendingDeletes.remove(o.key);
                    if (pending != null) {
                        deleteQuietly(pending);
                        dirChanged(pending.getParent());
                    }
                }
            } catch (IOException e) {
                throw status(e);
            }
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // The data was written through; nothing is left to report at close, as NtClose.
            }
        }
    }

    private void deleteQuietly(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.newDirectoryStream(p)) {
                for (Path e : s) {
                    deleteQuietly(e);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /**
     * Removes the name {@code p}: deleted at once when no handle reaches the file through it, else
     * moved aside (where those handles follow it) until they are closed.
     */
    private void unlinkName(Path p) throws IOException {
        if (pathOpen(p)) {
            Path aside = aside(p, nextAside.incrementAndGet());
            Files.move(p, aside, StandardCopyOption.ATOMIC_MOVE);
            for (Open other : handles.values()) {
                if (other.path.equals(p)) {
                    other.path = aside;
                    other.unlinked = true;
                }
            }
        } else {
            Files.delete(p);
        }
        dirChanged(p.getParent());
    }

    @Override
    public BasicInfo queryBasic(long handle) throws NtException {
        Open o = handle(handle);
        try {
            BasicFileAttributes a = attrs(o.path);
            long change = changeTime(o.path);
            return new BasicInfo(ntTime(a.creationTime()), ntTime(a.lastAccessTime()), ntTime(a.lastModifiedTime()),
                    change != 0 ? change : ntTime(a.lastModifiedTime()), attributes(o.path, a));
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public void setBasic(long handle, BasicInfo info) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            if ((o.access & FILE_WRITE_ATTRIBUTES) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            try {
                var view = Files.getFileAttributeView(o.path, java.nio.file.attribute.BasicFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setTimes(info.lastWriteTime() != 0 ? fileTime(info.lastWriteTime()) : null,
                        info.lastAccessTime() != 0 ? fileTime(info.lastAccessTime()) : null,
                        info.creationTime() != 0 ? fileTime(info.creationTime()) : null);
                if (info.attributes() != 0) {
                    int attrs = info.attributes()
                            & ~(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_NORMAL | FILE_ATTRIBUTE_REPARSE_POINT);
                    side(o.path, SIDE_ATTRIBUTES, attrs == 0 ? null
                            : ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(attrs).array());
                }
                changed(o.path);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public StandardInfo queryStandard(long handle) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            try {
                BasicFileAttributes a = attrs(o.path);
                // A host symlink stands for an LX symlink, whose target NTFS keeps in the reparse point, not in clusters.
                long size = a.isDirectory() || a.isOther() || a.isSymbolicLink() ? 0 : a.size();
                boolean pending = o.unlinked || o.posixDelete || pendingDeletes.containsKey(o.key);
                // NTFS counts a directory's names, which is one; ".." entries are no links there.
                int links = o.unlinked ? 0 : a.isDirectory() ? 1 : linkCount(o.path);
                return new StandardInfo((size + CLUSTER - 1) / CLUSTER * CLUSTER, size, links, pending, a.isDirectory());
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public IdInfo queryId(long handle) throws NtException {
        Open o = handle(handle);
        try {
            return new IdInfo(volumeSerial(), fileId(o.path, attrs(o.path)));
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public void setDisposition(long handle, int flags) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            if ((o.access & DELETE) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            if ((flags & FILE_DISPOSITION_DELETE) == 0) {
                o.posixDelete = false;
                pendingDeletes.remove(o.key);
                return;
            }
            if (o.unlinked) {
                return;
            }
            try {
                if (o.directory) {
                    try (var s = Files.newDirectoryStream(o.path)) {
                        for (Path e : s) {
                            if (!hidden(o.path, e.getFileName().toString())) {
                                throw new NtException(NtStatus.DIRECTORY_NOT_EMPTY);
                            }
                        }
                    }
                }
                if ((flags & FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE) == 0
                        && (attributes(o.path, attrs(o.path)) & FILE_ATTRIBUTE_READONLY) != 0) {
                    throw new NtException(NtStatus.CANNOT_DELETE);
                }
            } catch (IOException e) {
                throw status(e);
            }
            if ((flags & FILE_DISPOSITION_POSIX_SEMANTICS) != 0) {
                o.posixDelete = true;
            } else {
                pendingDeletes.put(o.key, o.path);
            }
        }
    }

    @Override
    public void rename(long handle, long targetDirectory, String name, int flags) throws NtException {
        checkName(name);
        synchronized (lock) {
            Open o = open(handle);
            Open dir = open(targetDirectory);
            if ((o.access & DELETE) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            if (!dir.directory) {
                throw new NtException(NtStatus.NOT_A_DIRECTORY);
            }
            if (o.unlinked || dir.unlinked) {
                throw new NtException(NtStatus.DELETE_PENDING);
            }
            try {
                Path from = o.path;
                if (o.directory) {
                    if (dir.path.startsWith(from)) {
                        throw new NtException(NtStatus.INVALID_PARAMETER);
                    }
                    for (Open other : handles.values()) {
                        if (other != o && other.path.startsWith(from) && !other.path.equals(from)) {
                            // NTFS: no rename of a directory while a file under it is open.
                            throw new NtException(NtStatus.ACCESS_DENIED);
                        }
                    }
                }
                Path target = lookup(dir.path, name);
                Path to = dir.path.resolve(FakeNames.store(name));
                if (target != null && !target.equals(from)) {
                    replaceTarget(target, flags, FILE_RENAME_REPLACE_IF_EXISTS, FILE_RENAME_POSIX_SEMANTICS);
                }
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                dirChanged(from.getParent());
                dirChanged(dir.path);
                for (Open other : handles.values()) {
                    if (other.path.startsWith(from) && !other.unlinked) {
                        other.path = to.resolve(from.relativize(other.path));
                    }
                }
                changed(to);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    /** Makes room for a rename or link onto the existing name {@code target}, as NTFS allows it. */
    private void replaceTarget(Path target, int flags, int replaceFlag, int posixFlag) throws IOException, NtException {
        if ((flags & replaceFlag) == 0) {
            throw new NtException(NtStatus.OBJECT_NAME_COLLISION);
        }
        BasicFileAttributes ta = attrs(target);
        if (ta.isDirectory()) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        List<Open> targetOpens = new ArrayList<>();
        for (Open other : handles.values()) {
            if (other.path.equals(target)) {
                targetOpens.add(other);
            }
        }
        if (!targetOpens.isEmpty()) {
            if ((flags & posixFlag) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            for (Open other : targetOpens) {
                if ((other.share & FILE_SHARE_DELETE) == 0) {
                    throw new NtException(NtStatus.SHARING_VIOLATION);
                }
            }
        }
        if ((attributes(target, ta) & FILE_ATTRIBUTE_READONLY) != 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        unlinkName(target);
    }

    @Override
    public void link(long handle, long targetDirectory, String name, int flags) throws NtException {
        checkName(name);
        synchronized (lock) {
            Open o = open(handle);
            Open dir = open(targetDirectory);
            if (o.directory) {
                throw new NtException(NtStatus.FILE_IS_A_DIRECTORY);
            }
            if (!dir.directory) {
                throw new NtException(NtStatus.NOT_A_DIRECTORY);
            }
            if (o.unlinked) {
                throw new NtException(NtStatus.DELETE_PENDING);
            }
            try {
                Path target = lookup(dir.path, name);
                if (target != null) {
                    replaceTarget(target, flags, FILE_LINK_REPLACE_IF_EXISTS, FILE_LINK_POSIX_SEMANTICS);
                }
                Files.createLink(dir.path.resolve(FakeNames.store(name)), o.path);
                dirChanged(dir.path);
                changed(o.path);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public int queryCaseSensitive(long handle) throws NtException {
        Open o = handle(handle);
        if (!o.directory) {
            throw new NtException(NtStatus.INVALID_PARAMETER);
        }
        try {
            return caseSensitive(o.path) ? FILE_CS_FLAG_CASE_SENSITIVE_DIR : 0;
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public void setCaseSensitive(long handle, int flags) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            if (!o.directory) {
                throw new NtException(NtStatus.INVALID_PARAMETER);
            }
            if ((o.access & FILE_WRITE_ATTRIBUTES) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            try {
                side(o.path, SIDE_CASE, (flags & FILE_CS_FLAG_CASE_SENSITIVE_DIR) != 0 ? new byte[] {1} : null);
                dirChanged(o.path);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    private FileChannel channel(Open o) throws NtException {
        synchronized (lock) {
            if (o.channel != null) {
                return o.channel;
            }
            if (o.directory) {
                throw new NtException(NtStatus.INVALID_DEVICE_REQUEST);
            }
            try {
                BasicFileAttributes a = attrs(o.path);
                if (a.isSymbolicLink() || a.isOther()) {
                    // What stands for an LX reparse point has an empty data stream, as WSL's have.
                    return null;
                }
                boolean write = (o.access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
                o.channel = write ? FileChannel.open(o.path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS) : FileChannel.open(o.path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                return o.channel;
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public void setEndOfFile(long handle, long size) throws NtException {
        Open o = handle(handle);
        if ((o.access & FILE_WRITE_DATA) == 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        FileChannel c = channel(o);
        if (c == null || size < 0) {
            throw new NtException(NtStatus.INVALID_PARAMETER);
        }
        try {
            long current = c.size();
            if (size < current) {
                synchronized (lock) {
                    if (views.getOrDefault(o.key, 0) > 0) {
                        throw new NtException(NtStatus.USER_MAPPED_FILE);
                    }
                }
                c.truncate(size);
            } else if (size > current) {
                c.write(ByteBuffer.allocate(1), size - 1);
            }
            changed(o.path);
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public void setAllocation(long handle, long size) throws NtException {
        Open o = handle(handle);
        if ((o.access & FILE_WRITE_DATA) == 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        FileChannel c = channel(o);
        if (c == null) {
            throw new NtException(NtStatus.INVALID_PARAMETER);
        }
        try {
            // An allocation below the end of the file cuts it there, as NTFS does; above it reserves only.
            if (size < c.size()) {
                c.truncate(size);
            }
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public List<Ea> queryEa(long handle) throws NtException {
        Open o = handle(handle);
        if ((o.access & FILE_READ_EA) == 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        try {
            return eas(o.path);
        } catch (IOException e) {
            throw status(e);
        }
    }

    private List<Ea> eas(Path p) throws IOException {
        Map<String, Ea> all = new java.util.LinkedHashMap<>();
        for (Ea ea : nativeEas(p, attrs(p))) {
            all.put(ea.name(), ea);
        }
        for (String key : sideKeys(p)) {
            if (key.startsWith(SIDE_EA)) {
                String name = key.substring(SIDE_EA.length());
                all.put(name, new Ea(name, side(p, key)));
            }
        }
        return List.copyOf(all.values());
    }

    @Override
    public void setEa(long handle, List<Ea> eas) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            if ((o.access & FILE_WRITE_EA) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            try {
                writeEas(o.path, eas);
                changed(o.path);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    private void writeEas(Path p, List<Ea> eas) throws IOException, NtException {
        Map<String, byte[]> after = new HashMap<>();
        for (Ea ea : eas(p)) {
            after.put(ea.name(), ea.value());
        }
        for (Ea ea : eas) {
            String name = ea.name().toUpperCase(java.util.Locale.ROOT);
            if (name.isEmpty() || name.length() > 255 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new NtException(NtStatus.INVALID_PARAMETER);
            }
            if (ea.value().length == 0) {
                after.remove(name);
            } else {
                after.put(name, ea.value());
            }
        }
        long total = 0;
        for (var e : after.entrySet()) {
            // FILE_FULL_EA_INFORMATION: 8-byte header, name, NUL, value, padded to 4 bytes.
            total += (8 + e.getKey().length() + 1 + e.getValue().length + 3) & ~3;
        }
        if (total > MAX_EA_SIZE) {
            throw new NtException(NtStatus.EA_TOO_LARGE);
        }
        for (Ea ea : eas) {
            String name = ea.name().toUpperCase(java.util.Locale.ROOT);
            side(p, SIDE_EA + name, ea.value().length == 0 ? null : ea.value());
        }
    }

    @Override
    public Reparse getReparse(long handle) throws NtException {
        Open o = handle(handle);
        try {
            Reparse r = reparse(o.path, attrs(o.path));
            if (r == null) {
                throw new NtException(NtStatus.NOT_A_REPARSE_POINT);
            }
            return r;
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public void setReparse(long handle, Reparse reparse) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            if ((o.access & (FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES)) == 0) {
                throw new NtException(NtStatus.ACCESS_DENIED);
            }
            try {
                BasicFileAttributes a = attrs(o.path);
                Reparse old = reparse(o.path, a);
                if (old != null && old.tag() != reparse.tag()) {
                    throw new NtException(NtStatus.IO_REPARSE_TAG_MISMATCH);
                }
                if (a.isSymbolicLink() || a.isOther()) {
                    throw new NtException(NtStatus.ACCESS_DENIED);
                }
                if (a.isDirectory()) {
                    try (var s = Files.newDirectoryStream(o.path)) {
                        if (s.iterator().hasNext()) {
                            throw new NtException(NtStatus.DIRECTORY_NOT_EMPTY);
                        }
                    }
                }
                byte[] raw = ByteBuffer.allocate(4 + reparse.data().length).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(reparse.tag()).put(reparse.data()).array();
                side(o.path, SIDE_REPARSE, raw);
                changed(o.path);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public void deleteReparse(long handle, int tag) throws NtException {
        synchronized (lock) {
            Open o = open(handle);
            try {
                Reparse old = reparse(o.path, attrs(o.path));
                if (old == null) {
                    throw new NtException(NtStatus.NOT_A_REPARSE_POINT);
                }
                if (old.tag() != tag) {
                    throw new NtException(NtStatus.IO_REPARSE_TAG_MISMATCH);
                }
                side(o.path, SIDE_REPARSE, null);
                changed(o.path);
            } catch (IOException e) {
                throw status(e);
            }
        }
    }

    @Override
    public List<DirEntry> queryDirectory(long handle) throws NtException {
        Open o = handle(handle);
        if (!o.directory) {
            throw new NtException(NtStatus.INVALID_PARAMETER);
        }
        List<DirEntry> out = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(o.path)) {
            for (Path e : entries) {
                String stored = e.getFileName().toString();
                if (hidden(o.path, stored)) {
                    continue;
                }
                try {
                    BasicFileAttributes a = attrs(e);
                    Reparse r = reparse(e, a);
                    out.add(new DirEntry(FakeNames.load(stored), attributes(e, a), fileId(e, a), r == null ? 0 : r.tag()));
                } catch (NoSuchFileException gone) {
                    // Removed while listed.
                }
            }
        } catch (IOException e) {
            throw status(e);
        }
        return out;
    }

    @Override
    public int read(long handle, MemorySegment dst, long offset) throws NtException {
        Open o = handle(handle);
        if ((o.access & (FILE_READ_DATA | FILE_EXECUTE)) == 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        FileChannel c = channel(o);
        if (c == null) {
            return 0;
        }
        try {
            int n = c.read(dst.asByteBuffer(), offset);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public int write(long handle, MemorySegment src, long offset) throws NtException {
        Open o = handle(handle);
        boolean append = offset == WRITE_TO_END_OF_FILE;
        if ((o.access & (append ? FILE_WRITE_DATA | FILE_APPEND_DATA : FILE_WRITE_DATA)) == 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        FileChannel c = channel(o);
        if (c == null) {
            throw new NtException(NtStatus.INVALID_DEVICE_REQUEST);
        }
        try {
            if (append) {
                synchronized (lock) {
                    return c.write(src.asByteBuffer(), c.size());
                }
            }
            return c.write(src.asByteBuffer(), offset);
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public void flush(long handle) throws NtException {
        Open o = handle(handle);
        FileChannel c = o.directory ? null : channel(o);
        try {
            if (c != null) {
                c.force(true);
            }
        } catch (IOException e) {
            throw status(e);
        }
    }

    @Override
    public VolumeInfo queryVolume(long handle) throws NtException {
        Open o = handle(handle);
        try {
            return volume(o.path);
        } catch (IOException e) {
            throw status(e);
        }
    }

    /** The handles open now (tests check that the backend leaves none open). */
    Set<Long> openHandles() {
        synchronized (lock) {
            return new HashSet<>(handles.keySet());
        }
    }

    @Override
    public View mapView(long handle, long offset, long length, boolean writable) throws NtException {
        Open o = handle(handle);
        if ((o.access & FILE_READ_DATA) == 0 || writable && (o.access & FILE_WRITE_DATA) == 0) {
            throw new NtException(NtStatus.ACCESS_DENIED);
        }
        FileChannel c = channel(o);
        if (c == null) {
            throw new NtException(NtStatus.INVALID_PARAMETER);
        }
        Arena arena = Arena.ofShared();
        MemorySegment m;
        try {
            // Never past the end: a read-write map of a channel would grow the file.
            long size = Math.min(length, c.size() - offset);
            if (size <= 0) {
                throw new NtException(NtStatus.INVALID_PARAMETER);
            }
            m = c.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, offset, size, arena);
        } catch (IOException e) {
            arena.close();
            throw status(e);
        } catch (UnsupportedOperationException e) {
            // A file system that maps no files (jimfs).
            arena.close();
            throw new NtException(NtStatus.NOT_SUPPORTED);
        } catch (NtException e) {
            arena.close();
            throw e;
        }
        Object key = o.key;
        synchronized (lock) {
            views.merge(key, 1, Integer::sum);
        }
        return new View() {
            @Override
            public long address() {
                return m.address();
            }

            @Override
            public void flush(long at, long n) {
                m.asSlice(Math.min(at, m.byteSize()), Math.max(0, Math.min(n, m.byteSize() - at))).force();
            }

            @Override
            public void close() {
                synchronized (lock) {
                    views.merge(key, -1, Integer::sum);
                }
                arena.close();
            }
        };
    }
}
