package dev.jlx.tools.rootfs;

import static dev.jlx.tools.rootfs.TestArchive.MTIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jlx.abi.FileMode;
import dev.jlx.core.host.HostStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code jlx rootfs} makes of each kind of entry, archive and compression, as the guests of the
 * POSIX backend see it; {@link RootfsOnWindowsTest} the same for the Windows backend.
 */
class RootfsTest {
    /** The user that owns what the tests unpack when owners are recorded. */
    static final long UID = 1000;
    static final long GID = 1000;

    @TempDir
    Path tmp;

    final Skips skips = new Skips();

    /** The root as the backend's guests see it. */
    BackendView r;

    @BeforeEach
    void view() {
        r = new BackendView(backend(), root());
    }

    String backend() {
        return "posix";
    }

    Path root() {
        return tmp.resolve("root");
    }

    /** Unpacks the tarball {@code data} with owners recorded as user 1000; returns the number of entries. */
    int unpackTar(byte[] data) throws IOException {
        Path tarball = TestArchive.write(tmp, "archive", data);
        try (Rootfs rootfs = Rootfs.openRecordingOwners(r.backend, root(), UID, GID, skips)) {
            rootfs.unpackTar(tarball);
            assertEquals(skips.warnings.size(), rootfs.skipped());
            return rootfs.entries();
        }
    }

    @Test
    void everyKindOfEntryWithItsModeAndTime() throws Exception {
        byte[] tar = new TestArchive().owner(UID, GID)
                .mtime(MTIME).dir("./", 0755)
                .mtime(MTIME + 1).dir("./usr/", 0755)
                .mtime(MTIME + 2).dir("./usr/bin/", 0750)
                .mtime(MTIME + 3).file("./usr/bin/su", "#!su\n", 04755)
                .mtime(MTIME + 4).file("./usr/bin/wall", "wall\n", 02711)
                .mtime(MTIME + 5).dir("./tmp/", 01777)
                .mtime(MTIME + 6).symlink("./bin", "usr/bin")
                .mtime(MTIME + 7).symlink("./usr/bin/abs", "/opt/../nowhere/su")
                .mtime(MTIME + 8).hardLink("./usr/bin/su2", "./usr/bin/su")
                .special("./dev-null", TarConstants.LF_CHR)
                .special("./dev-sda", TarConstants.LF_BLK)
                .special("./fifo", TarConstants.LF_FIFO)
                .tar();
        assertEquals(10, unpackTar(tar));
        assertEquals(List.of("./dev-null: device nodes are not made", "./dev-sda: device nodes are not made"),
                skips.warnings);
        assertEquals("#!su\n", r.read("usr/bin/su"));
        Map<String, Integer> modes = Map.of("", 0755, "usr", 0755, "usr/bin", 0750, "usr/bin/su", 04755,
                "usr/bin/wall", 02711, "tmp", 01777, "fifo", 0666);
        for (var m : modes.entrySet()) {
            assertEquals(m.getValue(), r.mode(m.getKey()), m.getKey());
        }
        List<String> paths = List.of("", "usr", "usr/bin", "usr/bin/su", "usr/bin/wall", "tmp", "bin", "usr/bin/abs");
        for (int i = 0; i < paths.size(); i++) {
            assertEquals(MTIME + i, r.mtime(paths.get(i)), paths.get(i));
        }
        assertEquals("usr/bin", r.readlink("bin"));
        assertEquals("/opt/../nowhere/su", r.readlink("usr/bin/abs"));
        HostStat su = r.lstat("usr/bin/su");
        HostStat su2 = r.lstat("usr/bin/su2");
        assertEquals(List.of(su.dev(), su.ino(), 2L), List.of(su2.dev(), su2.ino(), su.nlink()));
        assertEquals(FileMode.S_IFIFO, r.type("fifo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "GZIP", "XZ", "BZIP2"})
    void compressionIsToldByTheBytesNotTheName(String compression) throws Exception {
        byte[] tar = new TestArchive().dir("etc/", 0755).file("etc/hostname", "guest\n").tar();
        TestArchive.Compressor c = (TestArchive.Compressor) TestArchive.class.getDeclaredField(compression).get(null);
        assertEquals(2, unpackTar(TestArchive.compress(tar, c)));
        assertEquals("guest\n", r.read("etc/hostname"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data.tar.xz", "data.tar.gz", "data.tar.bz2", "data.tar"})
    void aDebianPackagesDataMemberIsUnpacked(String member) throws Exception {
        TestArchive.Compressor c = member.endsWith(".xz") ? TestArchive.XZ : member.endsWith(".gz") ? TestArchive.GZIP
                : member.endsWith(".bz2") ? TestArchive.BZIP2 : TestArchive.PLAIN;
        byte[] data = TestArchive.compress(new TestArchive().dir("./", 0755).dir("./bin/", 0755)
                .file("./bin/hello", "hello\n", 0755).tar(), c);
        Path deb = TestArchive.write(tmp, "hello_1.0_amd64.deb", TestArchive.deb(member, data));
        try (Rootfs rootfs = Rootfs.openRecordingOwners(r.backend, root(), UID, GID, skips)) {
            rootfs.unpackDeb(deb);
            assertEquals(3, rootfs.entries());
        }
        assertEquals("hello\n", r.read("bin/hello"));
        assertEquals(0755, r.mode("bin/hello"));
        assertEquals(null, r.lstat("control"), "the control member is not unpacked");
    }

    @Test
    void zstdIsAClearError() throws Exception {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        Path deb = TestArchive.write(tmp, "z.deb", TestArchive.deb("data.tar.zst", zstd));
        try (Rootfs rootfs = Rootfs.openRecordingOwners(r.backend, root(), UID, GID, skips)) {
            IOException e = assertThrows(IOException.class, () -> rootfs.unpackDeb(deb));
            assertEquals(deb + ": data.tar.zst: zstd compression is not supported (Debian 12's packages use xz)",
                    e.getMessage());
        }
    }

    @Test
    void whatIsNotAnArchiveIsAnError() throws Exception {
        Path text = TestArchive.write(tmp, "notes.tar", "just some text, not a tar archive at all\n".repeat(20)
                .getBytes());
        try (Rootfs rootfs = Rootfs.openRecordingOwners(r.backend, root(), UID, GID, skips)) {
            assertThrows(IOException.class, () -> rootfs.unpackTar(text));
            IOException e = assertThrows(IOException.class, () -> rootfs.unpackDeb(text));
            assertEquals(text + ": not a Debian package (not an ar archive)", e.getMessage());
        }
    }

    @Test
    void unpackingAddsToWhatIsThereAndReplacesWhatHasTheSameName() throws Exception {
        r.mkdirs("etc");
        r.write("etc/keep", "kept\n");
        r.write("etc/hostname", "old\n");
        r.symlink("etc/motd", "hostname");
        unpackTar(new TestArchive().file("etc/hostname", "new\n").file("etc/motd", "welcome\n").tar());
        assertEquals("kept\n", r.read("etc/keep"));
        assertEquals("new\n", r.read("etc/hostname"));
        assertEquals("welcome\n", r.read("etc/motd"));
        assertFalse(r.isSymlink("etc/motd"));
    }

    @Test
    void aFileReplacesAHardLinkInsteadOfWritingThroughIt() throws Exception {
        unpackTar(new TestArchive().file("passwd", "guest\n").hardLink("h", "passwd").file("h", "other\n").tar());
        assertEquals("guest\n", r.read("passwd"));
        assertEquals("other\n", r.read("h"));
    }

    /** dpkg keeps a symlink to a directory where a package has the directory: a merged /usr stays merged. */
    @Test
    void aPackageDirectoryGoesThroughASymlinkToADirectory() throws Exception {
        r.mkdirs("usr/bin");
        r.symlink("bin", "usr/bin");
        unpackTar(new TestArchive().dir("./bin/", 0700).file("./bin/busybox", "elf", 0755).tar());
        assertTrue(r.isSymlink("bin"));
        assertEquals("elf", r.read("usr/bin/busybox"));
        assertEquals(0755, r.mode("usr/bin"), "the link's target keeps its own mode");
    }

    @Test
    void ownersThatAreNotTheUsersAreRecordedAndUpdated() throws Exception {
        unpackTar(new TestArchive().owner(0, 0).dir("./", 0755).dir("./etc/", 0755).file("./etc/shadow", "", 0640)
                .owner(0, 42).file("./etc/gshadow", "", 0640).owner(UID, GID).file("./etc/mine", "")
                .owner(0, 0).file("./etc/new\nline", "").tar());
        String owners = ".jlx/owners";
        assertEquals("0\t0\t/\n0\t0\t/etc\n0\t42\t/etc/gshadow\n0\t0\t/etc/new\\nline\n0\t0\t/etc/shadow\n",
                r.read(owners));
        unpackTar(new TestArchive().owner(UID, GID).file("./etc/shadow", "").owner(7, 7).file("./etc/mine", "").tar());
        assertEquals("0\t0\t/\n0\t0\t/etc\n0\t42\t/etc/gshadow\n7\t7\t/etc/mine\n0\t0\t/etc/new\\nline\n",
                r.read(owners));
    }

    @Test
    void asRootOwnersAreSet() throws Exception {
        assumeTrue(r.backend.identity().euid() == 0, "only root can give files away");
        Path tarball = TestArchive.write(tmp, "archive", new TestArchive().owner(1234, 5678).dir("d/", 0755)
                .file("d/f", "", 04755).symlink("d/l", "f").hardLink("d/f2", "d/f").tar());
        try (Rootfs rootfs = Rootfs.open(r.backend, root(), skips)) {
            rootfs.unpackTar(tarball);
        }
        for (String p : List.of("d", "d/f", "d/l")) {
            assertEquals(List.of(1234, 5678), List.of(r.lstat(p).uid(), r.lstat(p).gid()), p);
        }
        assertEquals(04755, r.mode("d/f"), "the setuid bit survives the chown, and the hard link");
        assertEquals(null, r.lstat(".jlx"));
    }

    @Test
    void symlinkTimesAreTheLinksOwn() throws Exception {
        unpackTar(new TestArchive().mtime(MTIME).file("target", "").mtime(MTIME + 100).symlink("link", "target").tar());
        assertEquals(MTIME + 100, r.mtime("link"));
        assertEquals(MTIME, r.stat("link").mtimeSec());
    }

    /** What jlx rootfs create writes that the archives lack: the loopback names, the resolver, the user. */
    @Test
    void settlingAddsHostsResolverAndUser() throws Exception {
        Path resolv = TestArchive.write(tmp, "resolv.conf", "nameserver 192.0.2.53\n".getBytes());
        Path tarball = TestArchive.write(tmp, "archive", new TestArchive().dir("etc/", 0755)
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh").tar());
        try (Rootfs rootfs = Rootfs.openRecordingOwners(r.backend, root(), UID, GID, skips)) {
            rootfs.unpackTar(tarball);
            rootfs.settle("guest", UID, GID, resolv);
        }
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", r.read("etc/hosts"));
        assertEquals("nameserver 192.0.2.53\n", r.read("etc/resolv.conf"));
        assertEquals("root:x:0:0:root:/root:/bin/sh\nguest:x:1000:1000:guest:/home/guest:/bin/sh\n", r.read("etc/passwd"));
        assertEquals("guest:x:1000:\n", r.read("etc/group"));
        assertEquals(0644, r.mode("etc/group"));
    }
}
