package dev.jlx.tools.rootfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** A tar archive built entry by entry in memory, and the ways the tests wrap it (compressed, in a .deb). */
final class TestArchive {
    /** The mtime entries get unless told otherwise: 2001-09-09. */
    static final long MTIME = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
    private long uid;
    private long gid;
    private long mtime = MTIME;

    TestArchive() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** The owner of the entries that follow. */
    TestArchive owner(long newUid, long newGid) {
        uid = newUid;
        gid = newGid;
        return this;
    }

    /** The mtime, in seconds, of the entries that follow. */
    TestArchive mtime(long seconds) {
        mtime = seconds;
        return this;
    }

    TestArchive dir(String name, int mode) {
        return add(entry(name, TarConstants.LF_DIR, mode), new byte[0]);
    }

    TestArchive file(String name, String content, int mode) {
        return add(entry(name, TarConstants.LF_NORMAL, mode), content.getBytes(StandardCharsets.UTF_8));
    }

    TestArchive file(String name, String content) {
        return file(name, content, 0644);
    }

    TestArchive symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    TestArchive hardLink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    /** A device node or FIFO: {@code type} is the tar type flag. */
    TestArchive special(String name, byte type) {
        return add(entry(name, type, 0666), new byte[0]);
    }

    private TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true); // true: a leading "/" stays, for the attacks
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(FileTime.from(Instant.ofEpochSecond(mtime)));
        return e;
    }

    private TestArchive add(TarArchiveEntry e, byte[] content) {
        try {
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return this;
    }

    byte[] tar() throws IOException {
        tar.finish();
        return bytes.toByteArray();
    }

    interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static final Compressor PLAIN = out -> out;
    static final Compressor GZIP = GZIPOutputStream::new;
    static final Compressor XZ = out -> new XZOutputStream(out, new LZMA2Options());
    static final Compressor BZIP2 = BZip2CompressorOutputStream::new;

    static byte[] compress(byte[] data, Compressor c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = c.wrap(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /** A Debian package: debian-binary, a control member, and {@code data} as the member {@code dataName}. */
    static byte[] deb(String dataName, byte[] data) throws IOException {
        byte[] control = compress(new TestArchive().file("./control", "Package: test\n").tar(), XZ);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar.xz", control);
            member(ar, dataName, data);
        }
        return out.toByteArray();
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] content) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, content.length));
        ar.write(content);
        ar.closeArchiveEntry();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
