package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.PortableHostMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes WSL writes (DrvFs metadata; Linux's fs/smb/client/reparse.c reads the same), checked as
 * bytes: the backend writes them so, and reads what WSL wrote.
 */
class LxMetadataTest {
    private static final byte[] MODE_0100644 = {(byte) 0xa4, (byte) 0x81, 0, 0};
    private static final byte[] ID_1000 = {(byte) 0xe8, 0x03, 0, 0};

    @Test
    void eaValuesAreLittleEndian() {
        assertArrayEquals(MODE_0100644, LxMetadata.u32(0100644));
        assertArrayEquals(ID_1000, LxMetadata.u32(1000));
        assertEquals(0100644, LxMetadata.u32(MODE_0100644));
        assertEquals(null, LxMetadata.u32(new byte[3]));
        assertArrayEquals(new byte[] {8, 0, 0, 0, 1, 0, 0, 0}, LxMetadata.dev(8, 1), "major, then minor");
        assertArrayEquals(new int[] {259, 65536}, LxMetadata.dev(LxMetadata.dev(259, 65536)));
    }

    @Test
    void lxSymlinkDataIsVersion2AndTheTarget() {
        assertArrayEquals(new byte[] {2, 0, 0, 0, '.', '.', '/', 'x'}, LxMetadata.symlinkData("../x".getBytes()));
        assertArrayEquals("t".getBytes(), LxMetadata.symlinkTarget(new byte[] {2, 0, 0, 0, 't'}));
        assertEquals(null, LxMetadata.symlinkTarget(new byte[] {1, 0, 0, 0, 't'}));
        assertEquals(0xA000001D, LxMetadata.TAG_LX_SYMLINK);
        assertEquals(0x80000023, LxMetadata.TAG_AF_UNIX);
        assertEquals(0x80000024, LxMetadata.TAG_LX_FIFO);
        assertEquals(0x80000025, LxMetadata.TAG_LX_CHR);
        assertEquals(0x80000026, LxMetadata.TAG_LX_BLK);
    }

    private static Map<String, byte[]> eas(JimfsNtLayer nt, Path p) throws Exception {
        long root = nt.openRoot("C:");
        long h = root;
        for (Path name : p.subpath(0, p.getNameCount())) {
            long next = nt.create(h, name.toString(), NtLayer.FILE_READ_EA | NtLayer.FILE_READ_ATTRIBUTES, NtLayer.FILE_SHARE_ALL,
                    NtLayer.FILE_OPEN, NtLayer.FILE_OPEN_REPARSE_POINT, 0, List.of()).handle();
            nt.close(h);
            h = next;
        }
        Map<String, byte[]> out = new HashMap<>();
        for (NtLayer.Ea ea : nt.queryEa(h)) {
            out.put(ea.name(), ea.value());
        }
        if ((nt.queryBasic(h).attributes() & NtLayer.FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
            NtLayer.Reparse r = nt.getReparse(h);
            out.put("reparse", java.nio.ByteBuffer.allocate(4 + r.data().length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(r.tag()).put(r.data()).array());
        }
        nt.close(h);
        return out;
    }

    @Test
    void theBackendWritesWhatWslWrites() throws Exception {
        JimfsNtLayer nt = new JimfsNtLayer();
        WindowsBackend backend = new WindowsBackend(nt, PortableHostMemory.PAGES);
        HostFiles files = backend.files();
        Path dir = Files.createDirectories(nt.fileSystem().getPath("C:\\root"));
        ByteString d = files.hostPath(dir);
        assertEquals(ByteString.of("/C:/root"), d);
        files.open(d.child(ByteString.of("f")), OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        Map<String, byte[]> f = eas(nt, dir.resolve("f"));
        assertArrayEquals(MODE_0100644, f.get("$LXMOD"));
        assertArrayEquals(LxMetadata.u32(backend.identity().euid()), f.get("$LXUID"));
        assertArrayEquals(LxMetadata.u32(backend.identity().egid()), f.get("$LXGID"));
        files.chown(d.child(ByteString.of("f")), 1000, 1000);
        assertArrayEquals(ID_1000, eas(nt, dir.resolve("f")).get("$LXUID"));
        files.symlink("tgt".getBytes(), d.child(ByteString.of("l")));
        Map<String, byte[]> l = eas(nt, dir.resolve("l"));
        assertArrayEquals(new byte[] {0x1d, 0, 0, (byte) 0xa0, 2, 0, 0, 0, 't', 'g', 't'}, l.get("reparse"));
        assertArrayEquals(LxMetadata.u32(0120777), l.get("$LXMOD"));
        files.mkfifo(d.child(ByteString.of("p")), 0600);
        assertArrayEquals(new byte[] {0x24, 0, 0, (byte) 0x80}, eas(nt, dir.resolve("p")).get("reparse"));
        files.mkdir(d.child(ByteString.of("sub")), 0700);
        assertArrayEquals(LxMetadata.u32(040700), eas(nt, dir.resolve("sub")).get("$LXMOD"));
        files.open(d.child(ByteString.of("a:b")), OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644).close();
        assertEquals(true, Files.exists(dir.resolve("a\uF03Ab")), "stored as WSL stores ':'");
    }

    /** A tree WSL wrote: the EAs and reparse points are read back as Linux metadata. */
    @Test
    void theBackendReadsWhatWslWrote() throws Exception {
        JimfsNtLayer nt = new JimfsNtLayer();
        HostFiles files = new WindowsBackend(nt, PortableHostMemory.PAGES).files();
        Path dir = Files.createDirectories(nt.fileSystem().getPath("C:\\wsl"));
        Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
        Files.createFile(dir.resolve("tty0"));
        Files.createFile(dir.resolve("q\uF03F"));
        long root = nt.openRoot("C:");
        long wsl = nt.create(root, "wsl", NtLayer.FILE_LIST_DIRECTORY, NtLayer.FILE_SHARE_ALL, NtLayer.FILE_OPEN,
                NtLayer.FILE_DIRECTORY_FILE, 0, List.of()).handle();
        long tool = nt.create(wsl, "tool", NtLayer.FILE_WRITE_EA, NtLayer.FILE_SHARE_ALL, NtLayer.FILE_OPEN, 0, 0,
                List.of()).handle();
        nt.setEa(tool, List.of(new NtLayer.Ea("$LXMOD", new byte[] {(byte) 0xed, (byte) 0x89, 0, 0}),
                new NtLayer.Ea("$LXUID", ID_1000), new NtLayer.Ea("$LXGID", new byte[] {0x64, 0, 0, 0})));
        long tty = nt.create(wsl, "tty0", NtLayer.FILE_WRITE_EA | NtLayer.FILE_WRITE_DATA, NtLayer.FILE_SHARE_ALL,
                NtLayer.FILE_OPEN, 0, 0, List.of()).handle();
        nt.setEa(tty, List.of(new NtLayer.Ea("$LXMOD", LxMetadata.u32(020620)), new NtLayer.Ea("$LXDEV", LxMetadata.dev(4, 0))));
        nt.setReparse(tty, new NtLayer.Reparse(LxMetadata.TAG_LX_CHR, new byte[0]));
        for (long h : new long[] {tty, tool, wsl, root}) {
            nt.close(h);
        }
        ByteString d = files.hostPath(dir);
        HostStat t = files.stat(d.child(ByteString.of("tool")), false);
        assertEquals(0104755, t.mode(), "set-user-ID bit kept");
        assertEquals(1000, t.uid());
        assertEquals(100, t.gid());
        HostStat c = files.stat(d.child(ByteString.of("tty0")), false);
        assertEquals(FileMode.S_IFCHR | 0620, c.mode());
        assertEquals(0x400, c.rdev(), "makedev(4, 0)");
        assertEquals(Errno.ENXIO, assertThrows(ErrnoException.class,
                () -> files.open(d.child(ByteString.of("tty0")), OpenFlags.O_RDONLY, 0)).errno());
        java.util.Set<ByteString> names = new java.util.HashSet<>();
        for (var e : files.list(d)) {
            names.add(ByteString.of(e.name()));
        }
        assertEquals(java.util.Set.of(ByteString.of("tool"), ByteString.of("tty0"), ByteString.of("q?")), names);
    }

    /** A file no one gave Linux metadata: the defaults (jlx's user, 0644; directories 0755). */
    @Test
    void filesWithoutMetadataGetTheDefaults() throws Exception {
        JimfsNtLayer nt = new JimfsNtLayer();
        WindowsBackend backend = new WindowsBackend(nt, PortableHostMemory.PAGES);
        Path dir = Files.createDirectories(nt.fileSystem().getPath("C:\\plain"));
        Files.writeString(dir.resolve("f"), "x");
        ByteString d = backend.files().hostPath(dir);
        assertEquals(FileMode.S_IFREG | 0644, backend.files().stat(d.child(ByteString.of("f")), false).mode());
        assertEquals(FileMode.S_IFDIR | 0755, backend.files().stat(d, false).mode());
        assertEquals(backend.identity().uid(), backend.files().stat(d, false).uid());
    }
}
