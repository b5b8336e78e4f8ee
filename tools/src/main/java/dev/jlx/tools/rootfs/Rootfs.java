package dev.jlx.tools.rootfs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A guest root being filled from Debian packages and root-filesystem tarballs, as dpkg unpacks: entries
 * are added to what is there, replacing what has their name. Every entry lands inside the root
 * ({@link GuestTree}), written through the files of the host backend that will run guests in it; what
 * cannot or may not be made (device nodes, names that lead out) is skipped and reported to the
 * {@link Listener}. Directories get their modes and times when the root is closed, after their contents.
 */
public final class Rootfs implements Closeable {
    /** Hears of every entry unpacked and every entry skipped. */
    public interface Listener {
        void unpacked(String source, int entries);

        void skipped(String source, String entry, String reason);
    }

    private record Attributes(int mode, long uid, long gid, FileTime mtime) {
        static Attributes of(TarArchiveEntry e) {
            return new Attributes(e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(), e.getLastModifiedTime());
        }
    }

    private final GuestTree tree;
    private final Owners owners;
    private final Listener listener;
    /** Directories unpacked, by path, with the attributes they get at the end. */
    private final Map<List<String>, Attributes> directories = new LinkedHashMap<>();
    private int entries;
    private int skipped;

    private Rootfs(GuestTree tree, Owners owners, Listener listener) {
        this.tree = tree;
        this.owners = owners;
        this.listener = listener;
    }

    /**
     * The root at {@code dir}, made if missing, as the backend {@code host} keeps files; owners are set
     * when the backend's user is root and recorded otherwise.
     */
    public static Rootfs open(HostBackend host, Path dir, Listener listener) throws IOException {
        GuestTree tree = tree(host.files(), dir);
        return new Rootfs(tree, Owners.forUser(tree, host.identity()), listener);
    }

    /** The root at {@code dir} with its owners recorded in its owners file whoever runs it. */
    static Rootfs openRecordingOwners(HostBackend host, Path dir, long uid, long gid, Listener listener)
            throws IOException {
        GuestTree tree = tree(host.files(), dir);
        return new Rootfs(tree, Owners.recorded(tree, uid, gid), listener);
    }

    /**
     * The root's directory is made by the backend too (its parents by the JDK: they are not the guest's),
     * so that it is one the backend made: the Windows one makes its directories case-sensitive.
     */
    private static GuestTree tree(HostFiles files, Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        if (!Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path made = parent.toRealPath().resolve(dir.getFileName());
            try {
                files.mkdir(files.hostPath(made), GuestTree.DIRECTORY_MODE);
            } catch (ErrnoException e) {
                throw new GuestTree.HostError(made.toString(), e.errno());
            }
        }
        return new GuestTree(files, dir.toRealPath());
    }

    public int entries() {
        return entries;
    }

    public int skipped() {
        return skipped;
    }

    /** Unpacks the files of a Debian package (its data.tar); no maintainer script runs. */
    public void unpackDeb(Path deb) throws IOException {
        unpack(deb, Archives::debData);
    }

    /** Unpacks a root-filesystem tarball (such as {@code docker export} writes), plain or compressed. */
    public void unpackTar(Path tarball) throws IOException {
        unpack(tarball, Archives::tarball);
    }

    private interface Opener {
        TarArchiveInputStream open(InputStream in) throws IOException;
    }

    /** A host error names its own file; an archive's fault is told with the archive's name. */
    private void unpack(Path archive, Opener opener) throws IOException {
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = opener.open(in)) {
            unpackEntries(tar, archive);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(archive + ": " + e.getMessage(), e);
        }
    }

    private void unpackEntries(TarArchiveInputStream tar, Path archive) throws IOException {
        String source = archive.getFileName().toString();
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            try {
                checkKind(e, tar);
                unpackEntry(e, tar);
                listener.unpacked(source, ++entries);
            } catch (Refused r) {
                skipped++;
                listener.skipped(source, e.getName(), r.getMessage());
            }
        }
    }

    private static void checkKind(TarArchiveEntry e, TarArchiveInputStream tar) throws Refused {
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            throw new Refused("device nodes are not made");
        }
        if (!e.isDirectory() && !e.isSymbolicLink() && !e.isLink() && !e.isFIFO() && !isRegularFile(e)) {
            throw new Refused("unsupported entry type '" + (char) e.getLinkFlag() + "'");
        }
        if (!tar.canReadEntryData(e)) {
            throw new Refused("its data cannot be read");
        }
    }

    private static boolean isRegularFile(TarArchiveEntry e) {
        return switch (e.getLinkFlag()) {
            case TarConstants.LF_NORMAL, TarConstants.LF_OLDNORM, TarConstants.LF_CONTIG, TarConstants.LF_GNUTYPE_SPARSE ->
                true;
            default -> false;
        };
    }

    private void unpackEntry(TarArchiveEntry e, InputStream data) throws IOException, Refused {
        try {
            List<String> at = tree.resolve(GuestTree.entryName(e.getName()), false, true);
            if (e.isDirectory()) {
                directory(at, e);
            } else if (at.isEmpty()) {
                throw new Refused("only a directory can be /");
            } else if (e.isSymbolicLink()) {
                symlink(at, e);
            } else if (e.isLink()) {
                hardLink(at, e);
            } else if (e.isFIFO()) {
                fifo(at, e);
            } else {
                file(at, e, data);
            }
        } catch (GuestTree.HostError x) {
            if (x.errno == Errno.EILSEQ) {
                throw new Refused(GuestTree.NOT_A_HOST_NAME);
            }
            throw x;
        }
    }

    private void directory(List<String> at, TarArchiveEntry e) throws IOException, Refused {
        HostStat a = tree.lstat(at);
        if (GuestTree.isType(a, FileMode.S_IFLNK) && tree.leadsToDirectory(at)) {
            return; // as dpkg does: a symlink to a directory stays (/bin -> usr/bin in a merged-/usr root)
        }
        if (!GuestTree.isType(a, FileMode.S_IFDIR)) {
            tree.clear(at);
            tree.mkdir(at, GuestTree.DIRECTORY_MODE);
        }
        directories.put(List.copyOf(at), Attributes.of(e));
    }

    /** Made readable by its owner alone until its contents are in and it gets its mode. */
    private void file(List<String> at, TarArchiveEntry e, InputStream data) throws IOException, Refused {
        tree.clear(at);
        tree.create(at, 0600, data);
        setAttributes(at, Attributes.of(e));
    }

    private void fifo(List<String> at, TarArchiveEntry e) throws IOException, Refused {
        tree.clear(at);
        tree.mkfifo(at, 0600);
        setAttributes(at, Attributes.of(e));
    }

    private void symlink(List<String> at, TarArchiveEntry e) throws IOException, Refused {
        String target = e.getLinkName();
        if (target.isEmpty()) {
            throw new Refused("symlink without a target");
        }
        if (target.indexOf('\0') >= 0) {
            throw new Refused(GuestTree.NOT_A_HOST_NAME);
        }
        tree.clear(at);
        tree.symlink(target, at);
        owners.set(at, e.getLongUserId(), e.getLongGroupId());
        tree.setTime(at, e.getLastModifiedTime());
    }

    /** A second name for an earlier entry; the target, named from the root, must be inside it too. */
    private void hardLink(List<String> at, TarArchiveEntry e) throws IOException, Refused {
        List<String> target = tree.resolve(GuestTree.entryName(e.getLinkName()), false, false);
        HostStat a = tree.lstat(target);
        if (a == null || GuestTree.isType(a, FileMode.S_IFDIR)) {
            throw new Refused("hard link target " + e.getLinkName() + (a == null ? " does not exist" : " is a directory"));
        }
        if (!at.equals(target)) {
            tree.clear(at);
            tree.link(target, at);
        }
        owners.setLinked(at, e.getLongUserId(), e.getLongGroupId());
    }

    /** Owner first: a chown clears the setuid and setgid bits that the mode then sets. */
    private void setAttributes(List<String> at, Attributes a) throws IOException {
        owners.set(at, a.uid(), a.gid());
        tree.chmod(at, a.mode());
        tree.setTime(at, a.mtime());
    }

    /**
     * Writes what a guest needs to find its way and the unpacked files lack: {@code /etc/hosts} with
     * the loopback names, the host's {@code /etc/resolv.conf} where the host has one, and the user
     * {@code name} ({@code uid:gid}) in {@code /etc/passwd} and the group in {@code /etc/group}, so
     * that {@code id} and shells' prompts name the user who runs jlx. Files already there stay, but
     * for the user's lines added to them; symlinks are left alone.
     */
    public void settle(String name, long uid, long gid, Path hostResolvConf) throws IOException {
        List<String> etc = List.of("etc");
        if (tree.lstat(etc) == null) {
            tree.mkdir(etc, GuestTree.DIRECTORY_MODE);
        }
        if (!tree.isRealDirectory(etc)) {
            return;
        }
        writeIfAbsent("hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (Files.isRegularFile(hostResolvConf)) {
            writeIfAbsent("resolv.conf", Files.readString(hostResolvConf, StandardCharsets.ISO_8859_1));
        }
        String home = uid == 0 ? "/root" : "/home/" + name;
        addLine("passwd", 2, uid, name + ":x:" + uid + ":" + gid + ":" + name + ":" + home + ":/bin/sh");
        addLine("group", 2, gid, name + ":x:" + gid + ":");
    }

    /** Writes /etc/{@code file} when there is nothing at all by that name (an empty file counts as nothing). */
    private void writeIfAbsent(String file, String text) throws IOException {
        List<String> p = List.of("etc", file);
        HostStat a = tree.lstat(p);
        if (a == null || GuestTree.isType(a, FileMode.S_IFREG) && a.size() == 0) {
            tree.replace(p, 0644, text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Appends {@code line} to /etc/{@code file} (made if missing) unless a line's field {@code field}
     * (0-based, colon-separated) is already {@code id}.
     */
    private void addLine(String file, int field, long id, String line) throws IOException {
        List<String> p = List.of("etc", file);
        HostStat a = tree.lstat(p);
        if (a != null && !GuestTree.isType(a, FileMode.S_IFREG)) {
            return;
        }
        String text = a == null ? "" : new String(tree.read(p), StandardCharsets.ISO_8859_1);
        for (String l : text.split("\n")) {
            String[] f = l.split(":", -1);
            if (f.length > field && f[field].equals(Long.toString(id))) {
                return;
            }
        }
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        tree.replace(p, 0644, (text + sep + line + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Gives the directories their attributes, deepest first, now that nothing more goes into them, and
     * writes the owners file. A directory that has since become something else is left alone.
     */
    @Override
    public void close() throws IOException {
        List<List<String>> deepestFirst = new ArrayList<>(directories.keySet());
        deepestFirst.sort(Comparator.comparingInt((List<String> d) -> d.size()).reversed());
        for (List<String> d : deepestFirst) {
            if (tree.isRealDirectory(d)) {
                setAttributes(d, directories.get(d));
            }
        }
        directories.clear();
        owners.save();
    }
}
