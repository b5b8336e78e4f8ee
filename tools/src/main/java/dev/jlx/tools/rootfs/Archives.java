package dev.jlx.tools.rootfs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;

/** The tar streams in what {@code jlx rootfs} unpacks: a .deb's data member, a tarball. */
final class Archives {
    private Archives() {}

    /** The files of a Debian package: its {@code data.tar.*} member, an ar archive's. */
    static TarArchiveInputStream debData(InputStream deb) throws IOException {
        BufferedInputStream in = new BufferedInputStream(deb);
        byte[] signature = peek(in, 8);
        if (!ArArchiveInputStream.matches(signature, signature.length)) {
            throw new IOException("not a Debian package (not an ar archive)");
        }
        ArArchiveInputStream ar = new ArArchiveInputStream(in);
        ArArchiveEntry first = ar.getNextEntry();
        if (first == null || !first.getName().equals("debian-binary")) {
            throw new IOException("not a Debian package (no debian-binary member first)");
        }
        for (ArArchiveEntry m = ar.getNextEntry(); m != null; m = ar.getNextEntry()) {
            if (m.getName().startsWith("data.tar")) {
                return tar(new BufferedInputStream(ar), m.getName() + ": ");
            }
        }
        throw new IOException("not a Debian package (no data.tar member)");
    }

    /** A tarball, plain or compressed with gzip, xz or bzip2, told by its first bytes, not its name. */
    static TarArchiveInputStream tarball(InputStream in) throws IOException {
        return tar(new BufferedInputStream(in), "");
    }

    private static TarArchiveInputStream tar(BufferedInputStream in, String what) throws IOException {
        return new TarArchiveInputStream(decompressed(in, what), StandardCharsets.UTF_8.name());
    }

    private static InputStream decompressed(BufferedInputStream in, String what) throws IOException {
        byte[] s = peek(in, 16);
        if (GzipCompressorInputStream.matches(s, s.length)) {
            return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
        }
        if (XZCompressorInputStream.matches(s, s.length)) {
            return XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
        }
        if (BZip2CompressorInputStream.matches(s, s.length)) {
            return new BZip2CompressorInputStream(in, true);
        }
        if (ZstdUtils.matches(s, s.length)) {
            // commons-compress reads zstd only through zstd-jni, a native library jlx does without.
            throw new IOException(what + "zstd compression is not supported (Debian 12's packages use xz)");
        }
        return in;
    }

    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] bytes = in.readNBytes(n);
        in.reset();
        return bytes;
    }
}
