package dev.jlx.host.windows;

import static dev.jlx.host.windows.NtLayer.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux files on an NT file system, through an {@link NtLayer}, keeping Linux's metadata as WSL1's
 * DrvFs does in "metadata" mode ({@link LxMetadata}): owner, group and mode in EAs, symlinks, FIFOs,
 * sockets and device nodes as LX reparse points, names mapped by {@link NtNames}. Deletes and renames
 * use NTFS's POSIX semantics, so a file removed or replaced while open stays readable through its
 * handles, as on Linux; every directory made here is made case-sensitive where the volume allows it.
 *
 * <p>Host paths: "/" and the components, as bytes. On Windows the first component is the drive
 * ({@code /C:/Users/me/root/bin/sh}), which {@link #hostPath} makes of a {@code C:\Users\me\root}
 * directory; every later component is a guest name, mapped by {@link NtNames} (the identity on every
 * name Windows accepts). Over the local-disk fake the path is the Linux path.
 *
 * <p>Permissions are checked here against the mode bits, as Linux does, for jlx's own user
 * ({@link HostIdentity}), as the POSIX backend leaves it to the host kernel: the file's own bits on
 * open, access, truncate; the parent directory's write and search bits on every name change. Search
 * permission on the directories above the parent is not checked.
 */
public final class WindowsFiles implements HostFiles {
    /** What a file without $LX* EAs shows: the default user's ids, and its permission bits. */
    public record Defaults(int uid, int gid, int fileMode, int dirMode) {}

    /** NTFS_SB_MAGIC, what Linux's ntfs3 reports in statfs. */
    static final long NTFS_MAGIC = 0x5346544eL;
    private static final int ST_VALID = 0x20;
    private static final int MAX_LINKS = 40;
    private static final int PERMISSIONS = 07777;
    /** Access for looking at a file: its attributes and EAs. */
    static final int LOOK = FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE;
    /** Access for changing metadata: attributes and EAs. */
    static final int META = LOOK | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA;
    private static final int DIR_WALK = FILE_TRAVERSE | FILE_LIST_DIRECTORY | LOOK;
    /**
     * The name devfs opens the controlling terminal by: the console. No Windows host path is spelled so
     * (they start with a drive, {@link #hostPath}); on another host the fake's /dev is jlx's devfs.
     */
    private static final ByteString DEV_TTY = ByteString.of("/dev/tty");

    final NtLayer nt;
    final Defaults defaults;
    final HostIdentity identity;
    final FlockTable flocks = new FlockTable();
    private final WindowsConsole console;

    public WindowsFiles(NtLayer nt, Defaults defaults, HostIdentity identity, WindowsConsole console) {
        this.nt = nt;
        this.defaults = defaults;
        this.identity = identity;
        this.console = console;
    }

    // Paths.

    /** A host path taken apart: the volume (empty without drives) and the guest-name components after it. */
    private record Split(String volume, List<ByteString> names) {}

    private Split split(ByteString path) throws ErrnoException {
        List<ByteString> c = path.components();
        if (!nt.drives()) {
            return new Split("", c);
        }
        if (c.isEmpty() || !isDrive(c.get(0))) {
            // No volume named: nothing there.
            throw new ErrnoException(Errno.ENOENT);
        }
        return new Split(c.get(0).utf8(), c.subList(1, c.size()));
    }

    private static boolean isDrive(ByteString c) {
        return c.length() == 2 && c.byteAt(1) == ':' && Character.isLetter(c.byteAt(0) & 0x7f);
    }

    /**
     * The host path of a host directory, in the form this backend's paths take: on a layer with drives
     * {@code C:\Users\me} is {@code /C:/Users/me}, each name as the guest would read it back.
     */
    @Override
    public ByteString hostPath(Path directory) {
        if (!nt.drives()) {
            return ByteString.of(directory.toString());
        }
        Path abs = directory.toAbsolutePath();
        String root = abs.getRoot() == null ? "" : abs.getRoot().toString();
        ByteString out = ByteString.of("/" + root.replace("\\", "").replace("/", ""));
        for (Path name : abs) {
            out = out.child(ByteString.of(NtNames.toGuest(name.toString())));
        }
        return out;
    }

    /**
     * The host's own path of host path {@code path}, for the JDK's calls that take one (a connect to
     * a host's AF_UNIX socket): the volume's directory and each name as NTFS stores it ({@link NtNames});
     * ECONNREFUSED on a layer whose files are no host's.
     */
    public Path nativePath(ByteString path) throws ErrnoException {
        Split s = split(path);
        Path p = nt.nativeRoot(s.volume());
        if (p == null) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        for (ByteString name : s.names()) {
            p = p.resolve(NtNames.toNt(name));
        }
        return p;
    }

    /**
     * An open directory and the NT name of the last component in it. {@code dir} is the caller's to
     * close; null when the path is the root itself ({@code name} is null then).
     */
    record Parent(long dir, String name, boolean sawLink) {}

    /**
     * Opens the directory holding {@code path}'s last component. Symbolic links on the way are
     * followed as the host kernel follows them for the POSIX backend, unless {@code plainOnly}:
     * then a link on the way gives null.
     */
    Parent parent(ByteString path, boolean plainOnly) throws ErrnoException {
        ByteString current = path;
        boolean sawLink = false;
        for (int links = 0; ; links++) {
            Split s = split(current);
            if (s.names().isEmpty()) {
                return new Parent(root(s.volume()), null, sawLink);
            }
            long dir = root(s.volume());
            int i = 0;
            ByteString restart = null;
            try {
                for (; i < s.names().size() - 1; i++) {
                    String name = NtNames.toNt(s.names().get(i));
                    long next;
                    try {
                        next = nt.create(dir, name, DIR_WALK, FILE_SHARE_ALL, FILE_OPEN,
                                FILE_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT, 0, List.of()).handle();
                    } catch (NtException e) {
                        if (e.status() != NtStatus.NOT_A_DIRECTORY) {
                            throw e;
                        }
                        byte[] target = linkTarget(dir, name);
                        if (target == null) {
                            throw e;
                        }
                        if (plainOnly) {
                            close(dir);
                            return null;
                        }
                        restart = resolveLink(s, i, target);
                        break;
                    }
                    close(dir);
                    dir = next;
                }
            } catch (NtException e) {
                close(dir);
                throw NtErrors.of(e);
            } catch (ErrnoException e) {
                close(dir);
                throw e;
            }
            if (restart == null) {
                return new Parent(dir, NtNames.toNt(s.names().get(s.names().size() - 1)), sawLink);
            }
            close(dir);
            if (links >= MAX_LINKS) {
                throw new ErrnoException(Errno.ELOOP);
            }
            sawLink = true;
            current = restart;
        }
    }

    /** The path that following a link at component {@code at} of {@code s} with {@code target} leads to. */
    private static ByteString resolveLink(Split s, int at, byte[] target) {
        List<ByteString> out = new ArrayList<>();
        if (!s.volume().isEmpty()) {
            out.add(ByteString.of(s.volume()));
        }
        ByteString t = ByteString.of(target);
        if (!t.startsWith((byte) '/')) {
            out.addAll(s.names().subList(0, at));
        }
        for (ByteString c : t.components()) {
            if (c.equals(ByteString.DOT_DOT)) {
                if (out.size() > (s.volume().isEmpty() ? 0 : 1)) {
                    out.removeLast();
                }
            } else if (!c.equals(ByteString.DOT)) {
                out.add(c);
            }
        }
        out.addAll(s.names().subList(at + 1, s.names().size()));
        return ByteString.absolute(out);
    }

    /** The target of {@code name} in {@code dir} if it is an LX symlink, else null. */
    private byte[] linkTarget(long dir, String name) throws NtException {
        long h = nt.create(dir, name, LOOK, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT, 0, List.of()).handle();
        try {
            return symlinkTarget(h);
        } finally {
            close(h);
        }
    }

    private byte[] symlinkTarget(long h) throws NtException {
        if ((nt.queryBasic(h).attributes() & FILE_ATTRIBUTE_REPARSE_POINT) == 0) {
            return null;
        }
        Reparse r = nt.getReparse(h);
        return r.tag() == LxMetadata.TAG_LX_SYMLINK ? LxMetadata.symlinkTarget(r.data()) : null;
    }

    /** The file's reparse tag, 0 when it is no reparse point. */
    private int reparseTag(long h) throws NtException {
        return (nt.queryBasic(h).attributes() & FILE_ATTRIBUTE_REPARSE_POINT) == 0 ? 0 : nt.getReparse(h).tag();
    }

    private long root(String volume) throws ErrnoException {
        try {
            return nt.openRoot(volume);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    void close(long handle) {
        try {
            nt.close(handle);
        } catch (NtException e) {
            // A handle this backend opened: nothing to tell the guest.
        }
    }

    /** Opens the file {@code path} names (the last component not followed) with {@code access} and {@code options}. */
    long openPath(ByteString path, int access, int options) throws ErrnoException {
        Parent p = parent(path, false);
        return openIn(p, access, options);
    }

    private long openIn(Parent p, int access, int options) throws ErrnoException {
        if (p.name() == null) {
            return p.dir();
        }
        try {
            return nt.create(p.dir(), p.name(), access, FILE_SHARE_ALL, FILE_OPEN, options | FILE_OPEN_REPARSE_POINT, 0,
                    List.of()).handle();
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(p.dir());
        }
    }

    /** {@code path} with every symlink in it followed, as stat(2) follows them. */
    private ByteString followed(ByteString path) throws ErrnoException {
        ByteString current = path;
        for (int links = 0; links <= MAX_LINKS; links++) {
            long h = openPath(current, LOOK, 0);
            byte[] target;
            try {
                target = symlinkTarget(h);
            } catch (NtException e) {
                throw NtErrors.of(e);
            } finally {
                close(h);
            }
            if (target == null) {
                return current;
            }
            Split s = split(current);
            current = resolveLink(s, s.names().size() - 1, target);
        }
        throw new ErrnoException(Errno.ELOOP);
    }

    // Metadata.

    /** What one file carries: its NT facts and its Linux metadata, decoded. */
    record Meta(BasicInfo basic, StandardInfo standard, IdInfo id, int mode, int uid, int gid, long rdev,
            Reparse reparse) {
        int type() {
            return mode & FileMode.S_IFMT;
        }
    }

    Meta meta(long h) throws ErrnoException {
        try {
            BasicInfo basic = nt.queryBasic(h);
            StandardInfo standard = nt.queryStandard(h);
            IdInfo id = nt.queryId(h);
            Reparse reparse = (basic.attributes() & FILE_ATTRIBUTE_REPARSE_POINT) != 0 ? nt.getReparse(h) : null;
            Integer lxUid = null;
            Integer lxGid = null;
            Integer lxMode = null;
            int[] lxDev = null;
            for (Ea ea : eas(h)) {
                switch (ea.name()) {
                    case LxMetadata.UID -> lxUid = LxMetadata.u32(ea.value());
                    case LxMetadata.GID -> lxGid = LxMetadata.u32(ea.value());
                    case LxMetadata.MODE -> lxMode = LxMetadata.u32(ea.value());
                    case LxMetadata.DEV -> lxDev = LxMetadata.dev(ea.value());
                    default -> { }
                }
            }
            int type = standard.directory() ? FileMode.S_IFDIR
                    : reparse != null && LxMetadata.typeOfTag(reparse.tag()) != 0 ? LxMetadata.typeOfTag(reparse.tag())
                    : FileMode.S_IFREG;
            int perms = lxMode != null ? lxMode & PERMISSIONS
                    : type == FileMode.S_IFDIR ? defaults.dirMode() : type == FileMode.S_IFLNK ? 0777 : defaults.fileMode();
            long rdev = 0;
            if (lxDev != null && (type == FileMode.S_IFCHR || type == FileMode.S_IFBLK)) {
                rdev = makedev(lxDev[0], lxDev[1]);
            }
            return new Meta(basic, standard, id, type | perms, lxUid != null ? lxUid : defaults.uid(),
                    lxGid != null ? lxGid : defaults.gid(), rdev, reparse);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    /** The file's EAs; none on a volume that keeps none (as FAT: WSL shows defaults there). */
    private List<Ea> eas(long h) throws NtException {
        try {
            return nt.queryEa(h);
        } catch (NtException e) {
            if (e.status() == NtStatus.EAS_NOT_SUPPORTED || e.status() == NtStatus.NO_EAS_ON_FILE) {
                return List.of();
            }
            throw e;
        }
    }

    /** Linux's dev_t encoding (glibc's makedev). */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    HostStat stat(long h) throws ErrnoException {
        Meta m = meta(h);
        long size = m.standard().endOfFile();
        if (m.type() == FileMode.S_IFLNK) {
            byte[] target = LxMetadata.symlinkTarget(m.reparse().data());
            size = target == null ? 0 : target.length;
        }
        long blocks = m.standard().allocationSize() / 512;
        int links = m.standard().numberOfLinks();
        if (m.type() == FileMode.S_IFDIR) {
            // NTFS gives a directory no size; WSL shows one block, as ext4 does for a small directory.
            size = Math.max(size, 4096);
            blocks = Math.max(blocks, 8);
            links = links == 0 || m.standard().deletePending() ? 0 : directoryLinks(h, m);
        }
        BasicInfo b = m.basic();
        return new HostStat(m.id().volumeSerial(), m.id().fileId(), m.mode(), links, m.uid(),
                m.gid(), m.rdev(), size, 4096, blocks,
                seconds(b.lastAccessTime()), nanos(b.lastAccessTime()),
                seconds(b.lastWriteTime()), nanos(b.lastWriteTime()),
                seconds(b.changeTime()), nanos(b.changeTime()),
                seconds(b.creationTime()), nanos(b.creationTime()));
    }

    /**
     * A Linux directory's link count: its name, its "." and each subdirectory's "..". NTFS counts
     * only the name, and tools read the count (find's leaf optimisation, ls -l), so jlx counts the
     * subdirectories, as list() types them. A directory jlx's user may not list counts 1, which
     * Linux tools read as "not counted" (btrfs does so for every directory). Counts are kept while
     * the directory's change time stays (NTFS moves it with each entry made, removed or renamed):
     * programs stat the same directories over and over, and a listing per stat made `go build` 7x slower.
     */
    private int directoryLinks(long h, Meta m) {
        DirectoryKey key = new DirectoryKey(m.id().volumeSerial(), m.id().fileId());
        long changed = m.basic().changeTime();
        synchronized (directoryLinks) {
            long[] known = directoryLinks.get(key);
            if (known != null && known[0] == changed) {
                return (int) known[1];
            }
        }
        int links = 2;
        try {
            long d = nt.reopen(h, FILE_LIST_DIRECTORY | SYNCHRONIZE);
            try {
                for (DirEntry e : nt.queryDirectory(d)) {
                    if ((e.attributes() & FILE_ATTRIBUTE_DIRECTORY) != 0) {
                        links++;
                    }
                }
            } finally {
                nt.close(d);
            }
        } catch (NtException e) {
            return 1;
        }
        synchronized (directoryLinks) {
            directoryLinks.put(key, new long[] {changed, links});
        }
        return links;
    }

    private record DirectoryKey(long volume, long fileId) {}

    /** Directory link counts by directory, with the change time they were counted at; the 4096 latest. */
    private final Map<DirectoryKey, long[]> directoryLinks = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DirectoryKey, long[]> eldest) {
            return size() > 4096;
        }
    };

    static long seconds(long ntTime) {
        return Math.floorDiv(ntTime - FakeNtLayer.EPOCH_DIFFERENCE, 10_000_000L);
    }

    static long nanos(long ntTime) {
        return Math.floorMod(ntTime - FakeNtLayer.EPOCH_DIFFERENCE, 10_000_000L) * 100;
    }

    static long ntTime(long sec, long nsec) {
        return sec * 10_000_000L + nsec / 100 + FakeNtLayer.EPOCH_DIFFERENCE;
    }

    /** Sets $LXMOD, $LXUID, $LXGID as given (null: left alone). */
    void setLx(long h, Integer mode, Integer uid, Integer gid) throws ErrnoException {
        List<Ea> eas = new ArrayList<>();
        if (mode != null) {
            eas.add(new Ea(LxMetadata.MODE, LxMetadata.u32(mode)));
        }
        if (uid != null) {
            eas.add(new Ea(LxMetadata.UID, LxMetadata.u32(uid)));
        }
        if (gid != null) {
            eas.add(new Ea(LxMetadata.GID, LxMetadata.u32(gid)));
        }
        try {
            nt.setEa(h, eas);
        } catch (NtException e) {
            if (e.status() == NtStatus.EAS_NOT_SUPPORTED) {
                // A volume without EAs keeps no Linux metadata: as DrvFs there, the change cannot stay.
                throw new ErrnoException(Errno.EPERM);
            }
            throw NtErrors.of(e);
        }
    }

    /** The EAs a new file gets: jlx's user and group, and {@code mode} with its type. */
    private List<Ea> newFileEas(int mode) {
        return List.of(new Ea(LxMetadata.UID, LxMetadata.u32(identity.euid())),
                new Ea(LxMetadata.GID, LxMetadata.u32(identity.egid())), new Ea(LxMetadata.MODE, LxMetadata.u32(mode)));
    }

    // Permissions.

    /** Whether jlx's user may do {@code want} (R_OK/W_OK/X_OK bits) to a file with this metadata, as Linux decides. */
    boolean permitted(Meta m, int want, boolean realIds) {
        int uid = realIds ? identity.uid() : identity.euid();
        int gid = realIds ? identity.gid() : identity.egid();
        if (uid == 0) {
            // CAP_DAC_OVERRIDE: read and write anything; execute what someone may execute, search any directory.
            return (want & Fcntl.X_OK) == 0 || m.type() == FileMode.S_IFDIR || (m.mode() & 0111) != 0;
        }
        int bits;
        if (m.uid() == uid) {
            bits = (m.mode() >> 6) & 7;
        } else if (m.gid() == gid || inGroups(m.gid())) {
            bits = (m.mode() >> 3) & 7;
        } else {
            bits = m.mode() & 7;
        }
        return (bits & want) == want;
    }

    private boolean inGroups(int gid) {
        for (int g : identity.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    void require(long h, int want) throws ErrnoException {
        if (!permitted(meta(h), want, false)) {
            throw new ErrnoException(Errno.EACCES);
        }
    }

    /** Write and search permission on the directory {@code p} names its last component in. */
    private void requireParentWritable(Parent p) throws ErrnoException {
        require(p.dir(), Fcntl.W_OK | Fcntl.X_OK);
    }

    private boolean owner(Meta m) {
        return identity.euid() == 0 || identity.euid() == m.uid();
    }

    // The HostFiles operations.

    @Override
    public HostFile open(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        if (path.equals(DEV_TTY)) {
            return console.openTerminal();
        }
        return openFile(parent(path, false), linuxFlags, mode);
    }

    @Override
    public HostFile openIfPlain(ByteString path, int linuxFlags, int mode) throws ErrnoException {
        Parent p = parent(path, true);
        if (p == null) {
            return null;
        }
        boolean linkItself = (linuxFlags & (OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW)) == (OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW);
        if (p.name() != null && !linkItself) {
            try {
                long h = nt.create(p.dir(), p.name(), LOOK, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT, 0,
                        List.of()).handle();
                try {
                    // A symlink is followed and a FIFO is jlx's own pipe: the VFS's general path serves both.
                    int tag = reparseTag(h);
                    if (tag == LxMetadata.TAG_LX_SYMLINK || tag == LxMetadata.TAG_LX_FIFO) {
                        close(p.dir());
                        return null;
                    }
                } finally {
                    close(h);
                }
            } catch (NtException e) {
                if (e.status() != NtStatus.OBJECT_NAME_NOT_FOUND) {
                    close(p.dir());
                    throw NtErrors.of(e);
                }
            }
        }
        return openFile(p, linuxFlags, mode);
    }

    private HostFile openFile(Parent p, int flags, int mode) throws ErrnoException {
        boolean pathOnly = (flags & OpenFlags.O_PATH) != 0;
        int accmode = flags & OpenFlags.O_ACCMODE;
        boolean reads = !pathOnly && (accmode == OpenFlags.O_RDONLY || accmode == OpenFlags.O_RDWR);
        boolean writes = !pathOnly && (accmode == OpenFlags.O_WRONLY || accmode == OpenFlags.O_RDWR);
        boolean creates = !pathOnly && (flags & OpenFlags.O_CREAT) != 0;
        if ((flags & OpenFlags.O_TMPFILE) == OpenFlags.O_TMPFILE) {
            return openTmpfile(p, flags, mode);
        }
        if (p.name() == null) {
            // The root directory itself.
            if (writes || creates) {
                close(p.dir());
                throw new ErrnoException(Errno.EISDIR);
            }
            return new WindowsFile(this, p.dir(), flags, true);
        }
        int access = META | (reads ? FILE_READ_DATA : 0) | (writes ? FILE_WRITE_DATA | FILE_APPEND_DATA : 0);
        int options = FILE_OPEN_REPARSE_POINT | FILE_SYNCHRONOUS_IO_NONALERT;
        if ((flags & OpenFlags.O_DIRECTORY) != 0) {
            options |= FILE_DIRECTORY_FILE;
        } else if (writes || creates) {
            options |= FILE_NON_DIRECTORY_FILE;
        }
        int disposition = !creates ? FILE_OPEN : (flags & OpenFlags.O_EXCL) != 0 ? FILE_CREATE : FILE_OPEN_IF;
        Opened opened;
        try {
            if (creates) {
                requireParentWritableIfMissing(p);
            }
            opened = nt.create(p.dir(), p.name(), access, FILE_SHARE_ALL, disposition, options, 0,
                    creates ? newFileEas(FileMode.S_IFREG | (mode & PERMISSIONS)) : List.of());
        } catch (NtException e) {
            if (e.status() != NtStatus.ACCESS_DENIED || writes) {
                close(p.dir());
                throw NtErrors.of(e);
            }
            // A file whose attributes cannot be written (a read-only volume): look only.
            try {
                opened = nt.create(p.dir(), p.name(), LOOK | (reads ? FILE_READ_DATA : 0), FILE_SHARE_ALL,
                        disposition, options, 0, List.of());
            } catch (NtException again) {
                close(p.dir());
                throw NtErrors.of(again);
            }
        } catch (ErrnoException e) {
            close(p.dir());
            throw e;
        }
        close(p.dir());
        long h = opened.handle();
        try {
            Meta m = meta(h);
            if (!pathOnly) {
                int type = m.type();
                if (type == FileMode.S_IFLNK) {
                    throw new ErrnoException(Errno.ELOOP);
                }
                if (type == FileMode.S_IFIFO || type == FileMode.S_IFSOCK || type == FileMode.S_IFCHR
                        || type == FileMode.S_IFBLK) {
                    // No socket or device behind an NTFS file: as a device node whose device is absent
                    // (a FIFO is jlx's own pipe, which the VFS asks for first: this is only O_PATH's way here).
                    throw new ErrnoException(Errno.ENXIO);
                }
                if (opened.information() != FILE_CREATED) {
                    int want = (reads ? Fcntl.R_OK : 0) | (writes ? Fcntl.W_OK : 0)
                            | ((flags & OpenFlags.O_TRUNC) != 0 ? Fcntl.W_OK : 0);
                    if (want != 0 && !permitted(m, want, false)) {
                        throw new ErrnoException(Errno.EACCES);
                    }
                }
                if (creates && type == FileMode.S_IFDIR) {
                    throw new ErrnoException(Errno.EISDIR);
                }
                if ((flags & OpenFlags.O_TRUNC) != 0 && writes && type == FileMode.S_IFREG
                        && opened.information() != FILE_CREATED && m.standard().endOfFile() != 0) {
                    nt.setEndOfFile(h, 0);
                }
            }
            return new WindowsFile(this, h, flags, m.type() == FileMode.S_IFDIR);
        } catch (NtException e) {
            close(h);
            throw NtErrors.of(e);
        } catch (ErrnoException e) {
            close(h);
            throw e;
        }
    }

    /**
     * O_TMPFILE: a new file in the directory, unnamed at once by a POSIX delete through a second handle,
     * so that it lives as long as the one returned, without a name, as Linux's.
     */
    private HostFile openTmpfile(Parent p, int flags, int mode) throws ErrnoException {
        int accmode = flags & OpenFlags.O_ACCMODE;
        if (accmode != OpenFlags.O_WRONLY && accmode != OpenFlags.O_RDWR) {
            close(p.dir());
            throw new ErrnoException(Errno.EINVAL);
        }
        long dir = openIn(p, DIR_WALK, FILE_DIRECTORY_FILE);
        try {
            require(dir, Fcntl.W_OK | Fcntl.X_OK);
            String name = ".jlx-tmpfile-" + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
            long h = nt.create(dir, name, META | FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA, FILE_SHARE_ALL,
                    FILE_CREATE, FILE_NON_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT, 0,
                    newFileEas(FileMode.S_IFREG | (mode & PERMISSIONS))).handle();
            try {
                long unname = nt.create(dir, name, DELETE, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT, 0,
                        List.of()).handle();
                try {
                    nt.setDisposition(unname, FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS
                            | FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE);
                } finally {
                    close(unname);
                }
            } catch (NtException e) {
                close(h);
                throw e;
            }
            return new WindowsFile(this, h, flags, false);
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(dir);
        }
    }

    /** An O_CREAT of a missing name needs write permission on its directory; of an existing one, none. */
    private void requireParentWritableIfMissing(Parent p) throws ErrnoException, NtException {
        try {
            close(nt.create(p.dir(), p.name(), FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_ALL, FILE_OPEN,
                    FILE_OPEN_REPARSE_POINT, 0, List.of()).handle());
        } catch (NtException e) {
            if (e.status() == NtStatus.OBJECT_NAME_NOT_FOUND) {
                requireParentWritable(p);
                return;
            }
            throw e;
        }
    }

    @Override
    public HostStat stat(ByteString path, boolean followLinks) throws ErrnoException {
        long h = openPath(followLinks ? followed(path) : path, LOOK, 0);
        try {
            return stat(h);
        } finally {
            close(h);
        }
    }

    @Override
    public boolean isPlainPath(ByteString path) {
        try {
            Parent p = parent(path, true);
            if (p == null) {
                return false;
            }
            long h = openIn(p, LOOK, 0);
            try {
                return symlinkTarget(h) == null;
            } finally {
                close(h);
            }
        } catch (ErrnoException | NtException e) {
            return false;
        }
    }

    @Override
    public HostStat lstatIfPlain(ByteString path) throws ErrnoException {
        Parent p = parent(path, true);
        if (p == null) {
            return null;
        }
        long h = openIn(p, LOOK, 0);
        try {
            return stat(h);
        } finally {
            close(h);
        }
    }

    @Override
    public byte[] readlink(ByteString path) throws ErrnoException {
        long h = openPath(path, LOOK, 0);
        try {
            byte[] target = symlinkTarget(h);
            if (target == null) {
                throw new ErrnoException(Errno.EINVAL);
            }
            return target;
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(h);
        }
    }

    @Override
    public void access(ByteString path, int linuxMode) throws ErrnoException {
        if ((linuxMode & ~(Fcntl.R_OK | Fcntl.W_OK | Fcntl.X_OK)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long h = openPath(followed(path), LOOK, 0);
        try {
            if (linuxMode != Fcntl.F_OK && !permitted(meta(h), linuxMode, true)) {
                throw new ErrnoException(Errno.EACCES);
            }
        } finally {
            close(h);
        }
    }

    @Override
    public List<HostDirEntry> list(ByteString path) throws ErrnoException {
        long h = openPath(path, DIR_WALK, FILE_DIRECTORY_FILE);
        try {
            List<HostDirEntry> out = new ArrayList<>();
            for (DirEntry e : nt.queryDirectory(h)) {
                int type = (e.attributes() & FILE_ATTRIBUTE_DIRECTORY) != 0 ? FileMode.S_IFDIR
                        : LxMetadata.typeOfTag(e.reparseTag()) != 0 ? LxMetadata.typeOfTag(e.reparseTag())
                        : FileMode.S_IFREG;
                out.add(new HostDirEntry(NtNames.toGuest(e.name()), e.fileId(), type));
            }
            return out;
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(h);
        }
    }

    /** Makes a new name in a directory whose write permission is checked first; returns its open handle. */
    private long createNew(ByteString path, int access, int options, List<Ea> eas) throws ErrnoException {
        Parent p = parent(path, false);
        try {
            if (p.name() == null) {
                throw new ErrnoException(Errno.EEXIST);
            }
            requireParentWritable(p);
            return nt.create(p.dir(), p.name(), access, FILE_SHARE_ALL, FILE_CREATE, options | FILE_OPEN_REPARSE_POINT,
                    0, eas).handle();
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(p.dir());
        }
    }

    /** mkdir(2): the new directory gets its EAs and, where the volume allows it, the case-sensitive flag. */
    @Override
    public void mkdir(ByteString path, int mode) throws ErrnoException {
        long h = createNew(path, DIR_WALK | META, FILE_DIRECTORY_FILE,
                newFileEas(FileMode.S_IFDIR | (mode & PERMISSIONS)));
        try {
            nt.setCaseSensitive(h, FILE_CS_FLAG_CASE_SENSITIVE_DIR);
        } catch (NtException e) {
            // A volume without per-directory case sensitivity (or without the WSL feature): it stays insensitive.
        } finally {
            close(h);
        }
    }

    @Override
    public void rename(ByteString from, ByteString to, int linuxFlags) throws ErrnoException {
        if ((linuxFlags & ~Rename.RENAME_NOREPLACE) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        List<ByteString> fromNames = from.components();
        List<ByteString> toNames = to.components();
        if (toNames.size() > fromNames.size() && toNames.subList(0, fromNames.size()).equals(fromNames)) {
            // A directory into itself (before NTFS, which may see an open directory under it first).
            throw new ErrnoException(Errno.EINVAL);
        }
        Parent src = parent(from, false);
        if (src.name() == null) {
            close(src.dir());
            throw new ErrnoException(Errno.EBUSY);
        }
        long h;
        try {
            requireParentWritable(src);
            h = nt.create(src.dir(), src.name(), DELETE | LOOK, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT, 0,
                    List.of()).handle();
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(src.dir());
        }
        try {
            Parent dst = parent(to, false);
            try {
                if (dst.name() == null) {
                    throw new ErrnoException(Errno.EBUSY);
                }
                requireParentWritable(dst);
                Meta source = meta(h);
                Long existing = existing(dst);
                if (existing != null) {
                    try {
                        Meta target = meta(existing);
                        if (target.id().equals(source.id())) {
                            // Two names of one file (or the same name): rename(2) does nothing.
                            return;
                        }
                        if ((linuxFlags & Rename.RENAME_NOREPLACE) != 0) {
                            throw new ErrnoException(Errno.EEXIST);
                        }
                        boolean srcDir = source.type() == FileMode.S_IFDIR;
                        boolean dstDir = target.type() == FileMode.S_IFDIR;
                        if (srcDir && !dstDir) {
                            throw new ErrnoException(Errno.ENOTDIR);
                        }
                        if (!srcDir && dstDir) {
                            throw new ErrnoException(Errno.EISDIR);
                        }
                    } finally {
                        close(existing);
                    }
                    if (source.type() == FileMode.S_IFDIR) {
                        // NTFS replaces no directory: remove the (empty) one first, as rename(2) would.
                        removeDirectory(dst);
                    }
                }
                int flags = FILE_RENAME_POSIX_SEMANTICS | FILE_RENAME_IGNORE_READONLY_ATTRIBUTE
                        | ((linuxFlags & Rename.RENAME_NOREPLACE) != 0 ? 0 : FILE_RENAME_REPLACE_IF_EXISTS);
                nt.rename(h, dst.dir(), dst.name(), flags);
            } catch (NtException e) {
                throw NtErrors.of(e);
            } finally {
                close(dst.dir());
            }
        } finally {
            close(h);
        }
    }

    /** The handle of the existing name {@code p} names, or null when there is none. */
    private Long existing(Parent p) throws NtException {
        try {
            return nt.create(p.dir(), p.name(), LOOK, FILE_SHARE_ALL, FILE_OPEN, FILE_OPEN_REPARSE_POINT, 0, List.of())
                    .handle();
        } catch (NtException e) {
            if (e.status() == NtStatus.OBJECT_NAME_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private void removeDirectory(Parent p) throws NtException {
        long h = nt.create(p.dir(), p.name(), DELETE | LOOK, FILE_SHARE_ALL, FILE_OPEN,
                FILE_DIRECTORY_FILE | FILE_OPEN_REPARSE_POINT, 0, List.of()).handle();
        try {
            nt.setDisposition(h, FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS
                    | FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE);
        } finally {
            close(h);
        }
    }

    @Override
    public void link(ByteString existing, ByteString newPath) throws ErrnoException {
        long h = openPath(existing, LOOK, 0);
        try {
            if (meta(h).type() == FileMode.S_IFDIR) {
                throw new ErrnoException(Errno.EPERM);
            }
            Parent dst = parent(newPath, false);
            try {
                if (dst.name() == null) {
                    throw new ErrnoException(Errno.EEXIST);
                }
                requireParentWritable(dst);
                nt.link(h, dst.dir(), dst.name(), FILE_LINK_POSIX_SEMANTICS);
            } catch (NtException e) {
                throw NtErrors.of(e);
            } finally {
                close(dst.dir());
            }
        } finally {
            close(h);
        }
    }

    /** symlink(2): an LX symlink, a file with WSL's reparse point. */
    @Override
    public void symlink(byte[] target, ByteString linkPath) throws ErrnoException {
        makeSpecial(linkPath, FileMode.S_IFLNK | 0777,
                new Reparse(LxMetadata.TAG_LX_SYMLINK, LxMetadata.symlinkData(target)));
    }

    @Override
    public void mkfifo(ByteString path, int mode) throws ErrnoException {
        makeSpecial(path, FileMode.S_IFIFO | (mode & PERMISSIONS), new Reparse(LxMetadata.TAG_LX_FIFO, new byte[0]));
    }

    /** A socket node as WSL and Windows' own AF_UNIX make one: a file with the AF_UNIX reparse tag. */
    @Override
    public void mksock(ByteString path, int mode) throws ErrnoException {
        makeSpecial(path, FileMode.S_IFSOCK | (mode & PERMISSIONS), new Reparse(LxMetadata.TAG_AF_UNIX, new byte[0]));
    }

    private void makeSpecial(ByteString path, int mode, Reparse reparse) throws ErrnoException {
        long h = createNew(path, META | FILE_WRITE_DATA | DELETE, FILE_NON_DIRECTORY_FILE, newFileEas(mode));
        try {
            nt.setReparse(h, reparse);
        } catch (NtException e) {
            try {
                nt.setDisposition(h, FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS);
            } catch (NtException ignored) {
                // Left as an empty file: the error below is what the guest learns.
            }
            throw NtErrors.of(e);
        } finally {
            close(h);
        }
    }

    @Override
    public void chmod(ByteString path, int mode) throws ErrnoException {
        long h = openPath(path, META, 0);
        try {
            chmod(h, mode);
        } finally {
            close(h);
        }
    }

    void chmod(long h, int mode) throws ErrnoException {
        Meta m = meta(h);
        if (!owner(m)) {
            throw new ErrnoException(Errno.EPERM);
        }
        setLx(h, m.type() | (mode & PERMISSIONS), null, null);
    }

    @Override
    public void chown(ByteString path, int uid, int gid) throws ErrnoException {
        long h = openPath(path, META, 0);
        try {
            chown(h, uid, gid);
        } finally {
            close(h);
        }
    }

    /** chown's rules: only root gives a file away; its owner may give it one of the owner's groups. */
    void chown(long h, int uid, int gid) throws ErrnoException {
        Meta m = meta(h);
        boolean root = identity.euid() == 0;
        if (uid != -1 && uid != m.uid() && !root) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (gid != -1 && gid != m.gid() && !root
                && (identity.euid() != m.uid() || (gid != identity.egid() && !inGroups(gid)))) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (uid == -1 && gid == -1) {
            return;
        }
        int mode = m.mode();
        if (m.type() != FileMode.S_IFDIR) {
            // A change of owner drops set-user-ID, and set-group-ID where it means "execute as" (group x).
            mode &= ~FileMode.S_ISUID;
            if ((mode & 010) != 0) {
                mode &= ~FileMode.S_ISGID;
            }
        }
        setLx(h, mode != m.mode() ? mode : null, uid != -1 ? uid : null, gid != -1 ? gid : null);
    }

    @Override
    public void utimens(ByteString path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec)
            throws ErrnoException {
        long h = openPath(path, META, 0);
        try {
            utimens(h, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
        } finally {
            close(h);
        }
    }

    void utimens(long h, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws ErrnoException {
        boolean bothNow = atimeNsec == Fcntl.UTIME_NOW && mtimeNsec == Fcntl.UTIME_NOW;
        if (atimeNsec == Fcntl.UTIME_OMIT && mtimeNsec == Fcntl.UTIME_OMIT) {
            return;
        }
        Meta m = meta(h);
        if (!owner(m) && (!bothNow || !permitted(m, Fcntl.W_OK, false))) {
            throw new ErrnoException(bothNow ? Errno.EACCES : Errno.EPERM);
        }
        long now = ntNow();
        try {
            nt.setBasic(h, new BasicInfo(0, ntTimeOf(atimeSec, atimeNsec, now), ntTimeOf(mtimeSec, mtimeNsec, now), 0, 0));
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    private static long ntTimeOf(long sec, long nsec, long now) {
        return nsec == Fcntl.UTIME_OMIT ? 0 : nsec == Fcntl.UTIME_NOW ? now : ntTime(sec, nsec);
    }

    static long ntNow() {
        java.time.Instant i = java.time.Instant.now();
        return ntTime(i.getEpochSecond(), i.getNano());
    }

    @Override
    public void truncate(ByteString path, long length) throws ErrnoException {
        if (length < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long h = openPath(path, LOOK | FILE_WRITE_DATA, FILE_NON_DIRECTORY_FILE);
        try {
            require(h, Fcntl.W_OK);
            nt.setEndOfFile(h, length);
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(h);
        }
    }

    @Override
    public HostStatfs statfs(ByteString path) throws ErrnoException {
        long h = openPath(path, LOOK, 0);
        try {
            return statfs(h);
        } finally {
            close(h);
        }
    }

    HostStatfs statfs(long h) throws ErrnoException {
        try {
            VolumeInfo v = nt.queryVolume(h);
            long unit = (long) v.sectorsPerUnit() * v.bytesPerSector();
            return new HostStatfs(NTFS_MAGIC, unit, v.totalUnits(), v.actualAvailableUnits(), v.callerAvailableUnits(),
                    0, 0, v.serial(), v.maxComponentLength(), unit, ST_VALID);
        } catch (NtException e) {
            throw NtErrors.of(e);
        }
    }

    /** sync(2): NT flushes a whole volume only for administrators (a volume handle); files are flushed by fsync. */
    @Override
    public void syncAll() {
        // Nothing that jlx's user may ask of every volume at once.
    }

    @Override
    public void unlink(ByteString path) throws ErrnoException {
        delete(path, FILE_NON_DIRECTORY_FILE);
    }

    @Override
    public void rmdir(ByteString path) throws ErrnoException {
        delete(path, FILE_DIRECTORY_FILE);
    }

    /** unlink or rmdir: a POSIX delete, so that handles open on the file keep it. */
    private void delete(ByteString path, int options) throws ErrnoException {
        Parent p = parent(path, false);
        if (p.name() == null) {
            close(p.dir());
            throw new ErrnoException((options & FILE_DIRECTORY_FILE) != 0 ? Errno.EBUSY : Errno.EISDIR);
        }
        long h;
        try {
            requireParentWritable(p);
            h = nt.create(p.dir(), p.name(), DELETE | LOOK, FILE_SHARE_ALL, FILE_OPEN,
                    options | FILE_OPEN_REPARSE_POINT, 0, List.of()).handle();
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(p.dir());
        }
        try {
            nt.setDisposition(h, FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS
                    | FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE);
        } catch (NtException e) {
            throw NtErrors.of(e);
        } finally {
            close(h);
        }
    }

    /**
     * NTFS keeps birth times and paths of any length (handle-relative opens; not the local-disk
     * fake's files); an NTFS file is never a device (FIFOs, sockets and device nodes are reparse
     * points that open as ENXIO); NTFS has no exchanging rename, no hole punching through this
     * backend, and EA names it upper-cases.
     */
    @Override
    public java.util.Set<Capability> capabilities() {
        java.util.Set<Capability> c = java.util.EnumSet.of(Capability.BIRTH_TIME, Capability.RENAME_NOREPLACE);
        if (nt.longPaths()) {
            c.add(Capability.LONG_PATHS);
        }
        return c;
    }

    /** A standard stream that is the console is a terminal ({@link WindowsConsole}); any other, the JVM's stream. */
    @Override
    public HostFile standardStream(int fd) {
        HostFile terminal = console.standardStream(fd);
        return terminal != null ? terminal : StandardStream.of(fd);
    }
}
