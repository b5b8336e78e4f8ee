package dev.jlx.core.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every host backend's {@link HostFiles} must do, on a real temporary directory, with the
 * errno values Linux itself gives. Each backend module's tests subclass it once (core's test-jar,
 * a test-scoped dependency of type {@code test-jar}).
 */
public abstract class HostFilesContract {
    @TempDir
    Path tempDir;

    /** The directory each test works in. */
    Path dir;

    /** The backend under test, as {@link HostBackends} finds it; created once per JVM. */
    protected abstract HostBackend backend();

    /**
     * The directory a test works in, made from a fresh temporary directory of the host: by default that
     * directory itself. A backend whose host is elsewhere (an in-memory file system) returns one of
     * its own; this is where tests make files with java.nio, as a host program would.
     */
    protected Path directory(Path tempDir) throws Exception {
        return tempDir;
    }

    /** The unit of the host's file times in nanoseconds (NTFS: 100); Linux cuts set times down to it. */
    protected long timeGranularityNanos() {
        return 1;
    }

    @BeforeEach
    void makeDirectory() throws Exception {
        dir = directory(tempDir);
    }

    private HostFiles files() {
        return backend().files();
    }

    private ByteString path(String name) {
        return b(dir.resolve(name));
    }

    private ByteString b(Path p) {
        return files().hostPath(p);
    }

    private long cut(long nanos) {
        return nanos - nanos % timeGranularityNanos();
    }

    private static Errno errno(ThrowingCall call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    interface ThrowingCall {
        void run() throws ErrnoException;
    }

    private static String text(MemorySegment segment) {
        return new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Test
    void dataMovesBetweenTheFileAndArenaSegments() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(64);
            out.setString(0, "hello world");
            HostFile f = files().open(path("f"), OpenFlags.O_CREAT | OpenFlags.O_RDWR | OpenFlags.O_EXCL, 0640);
            assertEquals(11, f.write(out.asSlice(0, 11)));
            assertEquals(0, f.seek(0, Fcntl.SEEK_SET));
            MemorySegment in = arena.allocate(64);
            assertEquals(11, f.read(in));
            assertEquals("hello world", text(in.asSlice(0, 11)));
            assertEquals(0, f.read(in), "end of file");
            assertEquals(6, f.seek(6, Fcntl.SEEK_SET));
            assertEquals(8, f.seek(2, Fcntl.SEEK_CUR));
            assertEquals(10, f.seek(-1, Fcntl.SEEK_END));
            assertEquals(Errno.EINVAL, errno(() -> f.seek(-100, Fcntl.SEEK_SET)));
            assertEquals(Errno.EINVAL, errno(() -> f.seek(0, 99)));
            f.close();
            f.close();
        }
        assertEquals("hello world", Files.readString(dir.resolve("f")));
    }

    /**
     * Whether the host's files may have holes, so that a write 20 GiB in takes no room. A host that
     * keeps every byte (jimfs, in heap memory, on a 4 GiB disk) answers it as a full disk: ENOSPC.
     */
    protected boolean sparseFiles() {
        return true;
    }

    @Test
    void positionalIoAtAnOffsetBeyond4GiB() throws Exception {
        // Catches jnr-ffi 2.2.17's x86 stubs garbling a late argument (ENGINE.md): the offset must arrive whole.
        long big = (5L << 32) + 123;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8);
            buf.setString(0, "hello");
            HostFile f = files().open(path("sparse"), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0600);
            long at = big;
            if (!sparseFiles()) {
                assertEquals(Errno.ENOSPC, errno(() -> f.pwrite(buf.asSlice(0, 5), big)));
                at = 123;
            }
            assertEquals(5, f.pwrite(buf.asSlice(0, 5), at));
            assertEquals(at + 5, f.stat().size());
            assertEquals(0, f.seek(0, Fcntl.SEEK_CUR), "pwrite leaves the offset alone");
            MemorySegment in = arena.allocate(8);
            assertEquals(5, f.pread(in.asSlice(0, 5), at));
            assertEquals("hello", text(in.asSlice(0, 5)));
            assertEquals(0, f.pread(in, at + 5), "end of file");
            f.truncate(3);
            assertEquals(3, f.stat().size());
            f.close();
        }
    }

    @Test
    void statReportsLinuxModesAndNanosecondTimes() throws Exception {
        Files.writeString(dir.resolve("r"), "abc");
        files().utimens(path("r"), 1_000_000_000L, 5, 1_100_000_000L, 123_456_789);
        HostStat st = files().stat(path("r"), true);
        assertEquals(FileMode.S_IFREG, st.mode() & FileMode.S_IFMT);
        assertEquals(3, st.size());
        assertEquals(1, st.nlink());
        assertEquals(1_000_000_000L, st.atimeSec());
        assertEquals(cut(5), st.atimeNsec());
        assertEquals(1_100_000_000L, st.mtimeSec());
        assertEquals(cut(123_456_789), st.mtimeNsec());
        assertEquals(backend().identity().euid(), st.uid());
        HostFile f = files().open(path("r"), OpenFlags.O_RDONLY, 0);
        HostStat fst = f.stat();
        f.close();
        assertEquals(st.ino(), fst.ino());
        assertEquals(st.dev(), fst.dev());
        assertEquals(FileMode.S_IFDIR, files().stat(b(dir), true).mode() & FileMode.S_IFMT);
        assertEquals(FileMode.S_IFDIR, files().stat(b(dir.getRoot()), false).mode() & FileMode.S_IFMT, "the root");
    }

    @Test
    void createAndModeBits() throws Exception {
        HostFile f = files().open(path("m"), OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0600);
        f.close();
        assertEquals(FileMode.S_IFREG | 0600, files().stat(path("m"), true).mode());
        files().chmod(path("m"), 0640);
        assertEquals(0640, files().stat(path("m"), true).mode() & 07777);
        files().mkdir(path("d"), 0750);
        assertEquals(FileMode.S_IFDIR | 0750, files().stat(path("d"), true).mode() & ~022);
    }

    @Test
    void missingAndExistingFiles() throws Exception {
        assertEquals(Errno.ENOENT, errno(() -> files().open(path("missing"), OpenFlags.O_RDONLY, 0)));
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("missing"), true)));
        assertEquals(Errno.ENOENT, errno(() -> files().unlink(path("missing"))));
        assertEquals(Errno.ENOENT, errno(() -> files().access(path("missing"), Fcntl.F_OK)));
        Files.writeString(dir.resolve("e"), "x");
        assertEquals(Errno.EEXIST, errno(() -> files().open(path("e"),
                OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0600)));
        files().mkdir(path("d"), 0755);
        assertEquals(Errno.EEXIST, errno(() -> files().mkdir(path("d"), 0755)));
        assertEquals(Errno.EEXIST, errno(() -> files().mkdir(path("e"), 0755)));
    }

    @Test
    void directoriesAndNonDirectories() throws Exception {
        Files.writeString(dir.resolve("e"), "x");
        assertEquals(Errno.EISDIR, errno(() -> files().open(b(dir), OpenFlags.O_WRONLY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> files().stat(path("e/x"), true)));
        assertEquals(Errno.ENOTDIR, errno(() -> files().open(path("e"), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> files().rmdir(path("e"))));
        assertEquals(Errno.EISDIR, errno(() -> files().unlink(b(dir))));
        files().mkdir(path("d"), 0755);
        Files.writeString(dir.resolve("d/inside"), "x");
        assertEquals(Errno.ENOTEMPTY, errno(() -> files().rmdir(path("d"))));
        files().unlink(path("d/inside"));
        files().rmdir(path("d"));
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("d"), false)));
    }

    @Test
    void symbolicLinks() throws Exception {
        Files.writeString(dir.resolve("target"), "x");
        files().symlink("target".getBytes(StandardCharsets.UTF_8), path("link"));
        assertEquals(Errno.ELOOP, errno(() -> files().open(path("link"), OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW, 0)));
        assertEquals(FileMode.S_IFLNK, files().stat(path("link"), false).mode() & FileMode.S_IFMT);
        assertEquals(FileMode.S_IFREG, files().stat(path("link"), true).mode() & FileMode.S_IFMT);
        assertArrayEquals("target".getBytes(StandardCharsets.UTF_8), files().readlink(path("link")));
        assertEquals(Errno.EINVAL, errno(() -> files().readlink(path("target"))));
        assertEquals(Errno.ENOENT, errno(() -> files().readlink(path("missing"))));
        files().unlink(path("link"));
        assertEquals(Errno.EEXIST, errno(() -> files().symlink("t".getBytes(StandardCharsets.UTF_8), path("target"))));
    }

    @Test
    void accessChecksTheRealIds() throws Exception {
        Path file = Files.writeString(dir.resolve("a"), "x");
        files().access(b(file), Fcntl.F_OK);
        files().access(b(file), Fcntl.R_OK | Fcntl.W_OK);
        assertEquals(Errno.EACCES, errno(() -> files().access(b(file), Fcntl.X_OK)));
        assertEquals(Errno.EINVAL, errno(() -> files().access(b(file), 0x40)));
        files().chmod(b(file), 0);
        if (backend().identity().uid() == 0) {
            // Root (CAP_DAC_OVERRIDE) may read and write a mode 000 file, but not execute it.
            files().access(b(file), Fcntl.R_OK | Fcntl.W_OK);
            files().open(b(file), OpenFlags.O_RDONLY, 0).close();
            assertEquals(Errno.EACCES, errno(() -> files().access(b(file), Fcntl.X_OK)));
        } else {
            assertEquals(Errno.EACCES, errno(() -> files().access(b(file), Fcntl.R_OK)));
            assertEquals(Errno.EACCES, errno(() -> files().open(b(file), OpenFlags.O_RDONLY, 0)));
        }
    }

    @Test
    void namesAttributesAndListings() throws Exception {
        Files.writeString(dir.resolve("a"), "aaa");
        Files.writeString(dir.resolve("b"), "bbbb");
        files().rename(path("a"), path("c"), 0);
        files().link(path("b"), path("a"));
        assertEquals(2L, files().stat(path("b"), true).nlink());
        files().symlink("b".getBytes(StandardCharsets.UTF_8), path("s"));
        files().chown(path("b"), -1, -1);
        files().utimens(path("b"), 1_000_000_000L, 5, 1_100_000_000L, 7);
        files().utimens(path("b"), 0, Fcntl.UTIME_OMIT, 1_200_000_000L, 0);
        HostStat st = files().stat(path("b"), true);
        assertEquals(1_000_000_000L, st.atimeSec(), "UTIME_OMIT keeps the access time");
        assertEquals(1_200_000_000L, st.mtimeSec());
        files().truncate(path("b"), 1);
        assertEquals(1, files().stat(path("b"), true).size());
        files().mkfifo(path("p"), 0644);
        files().mkdir(path("d"), 0755);
        Map<String, Integer> listed = new TreeMap<>();
        for (var e : files().list(b(dir))) {
            listed.put(new String(e.name(), StandardCharsets.UTF_8), e.type());
        }
        assertEquals(Map.of("a", FileMode.S_IFREG, "b", FileMode.S_IFREG, "c", FileMode.S_IFREG, "s",
                FileMode.S_IFLNK, "p", FileMode.S_IFIFO, "d", FileMode.S_IFDIR), listed);
        assertEquals(Errno.ENOTDIR, errno(() -> files().list(path("b"))));
        assertEquals(Errno.ENOENT, errno(() -> files().list(path("missing"))));
    }

    @Test
    void standardStreamsSurviveClose() throws Exception {
        HostFile out = files().standardStream(1);
        int type = out.stat().mode() & FileMode.S_IFMT;
        out.close();
        assertEquals(type, files().standardStream(1).stat().mode() & FileMode.S_IFMT);
    }

    /** Names are bytes: every byte but '/' and NUL, invalid UTF-8, and NFC beside NFD, each its own file. */
    @Test
    void namesKeepEveryByte() throws Exception {
        ByteString base = b(dir);
        java.util.List<ByteString> names = new java.util.ArrayList<>();
        for (int c = 1; c < 256; c++) {
            if (c != '/') {
                names.add(ByteString.of(new byte[] {'n', (byte) c}));
            }
        }
        names.add(ByteString.of(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}));
        names.add(ByteString.of(new byte[] {(byte) 0xc3, '(', (byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        names.add(ByteString.of("\u00e9"));
        names.add(ByteString.of("e\u0301"));
        for (ByteString name : names) {
            files().open(base.child(name), OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_EXCL, 0600).close();
            assertEquals(FileMode.S_IFREG, files().stat(base.child(name), false).mode() & FileMode.S_IFMT);
        }
        java.util.Set<ByteString> listed = new java.util.HashSet<>();
        for (var e : files().list(base)) {
            listed.add(ByteString.of(e.name()));
        }
        assertEquals(new java.util.HashSet<>(names), listed);
        ByteString odd = names.get(names.size() - 4);
        ByteString moved = ByteString.of(new byte[] {'m', (byte) 0x80});
        files().rename(base.child(odd), base.child(moved), 0);
        files().symlink(odd.toByteArray(), base.child(odd));
        assertArrayEquals(odd.toByteArray(), files().readlink(base.child(odd)));
        files().unlink(base.child(odd));
        files().unlink(base.child(moved));
        assertEquals(Errno.ENOENT, errno(() -> files().stat(base.child(moved), false)));
    }

    /** openIfPlain opens a path without links as open does, and leaves one with a link (null) to the VFS. */
    @Test
    void openIfPlainOpensOnlyPathsWithoutLinks() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/f"), "x");
        Files.createSymbolicLink(dir.resolve("l"), dir.resolve("a"));
        Files.createSymbolicLink(dir.resolve("a/lf"), dir.resolve("a/f"));
        HostFile f = files().openIfPlain(path("a/f"), OpenFlags.O_RDONLY, 0);
        if (f == null) {
            return; // a host without a one-step check: the VFS always walks
        }
        assertEquals(1, f.stat().size());
        f.close();
        assertEquals(null, files().openIfPlain(path("l/f"), OpenFlags.O_RDONLY, 0));
        assertEquals(null, files().openIfPlain(path("a/lf"), OpenFlags.O_RDONLY, 0));
        HostFile link = files().openIfPlain(path("a/lf"), OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW, 0);
        assertEquals(FileMode.S_IFLNK, link.stat().mode() & FileMode.S_IFMT);
        link.close();
        assertEquals(Errno.ENOENT, errno(() -> files().openIfPlain(path("a/missing"), OpenFlags.O_RDONLY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> files().openIfPlain(path("a/f/x"), OpenFlags.O_RDONLY, 0)));
        HostFile created = files().openIfPlain(path("a/new"), OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0640);
        created.close();
        assertEquals(FileMode.S_IFREG | 0640, files().stat(path("a/new"), false).mode() & ~022);
        assertEquals(Errno.EEXIST, errno(() -> files().openIfPlain(path("a/new"),
                OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0640)));
    }

    private HostFile create(String name, String content) throws Exception {
        HostFile f = files().open(path(name), OpenFlags.O_CREAT | OpenFlags.O_RDWR | OpenFlags.O_EXCL, 0644);
        try (Arena arena = Arena.ofConfined()) {
            byte[] b = content.getBytes(StandardCharsets.UTF_8);
            MemorySegment m = arena.allocate(Math.max(1, b.length));
            MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, 0, b.length);
            assertEquals(b.length, f.write(m.asSlice(0, b.length)));
        }
        return f;
    }

    private static String readAll(HostFile f) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(256);
            int n = f.pread(m, 0);
            return text(m.asSlice(0, n));
        }
    }

    private String readPath(String name) throws Exception {
        HostFile f = files().open(path(name), OpenFlags.O_RDONLY, 0);
        try {
            return readAll(f);
        } finally {
            f.close();
        }
    }

    private java.util.Set<ByteString> listed(ByteString directory) throws Exception {
        java.util.Set<ByteString> names = new java.util.HashSet<>();
        for (var e : files().list(directory)) {
            names.add(ByteString.of(e.name()));
        }
        return names;
    }

    /** unlink(2) of an open file removes the name at once; the open file keeps its data, with no links. */
    @Test
    void deleteWhileOpen() throws Exception {
        HostFile writer = create("gone", "data");
        HostFile reader = files().open(path("gone"), OpenFlags.O_RDONLY, 0);
        files().unlink(path("gone"));
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("gone"), false)));
        assertEquals(java.util.Set.of(), listed(b(dir)));
        assertEquals("data", readAll(reader));
        assertEquals(0, reader.stat().nlink());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment more = arena.allocate(1);
            more.set(ValueLayout.JAVA_BYTE, 0, (byte) '!');
            assertEquals(1, writer.pwrite(more, 4));
        }
        assertEquals("data!", readAll(reader), "both open files reach the one unnamed file");
        HostFile again = create("gone", "new");
        assertEquals("new", readPath("gone"));
        assertEquals("data!", readAll(reader));
        again.close();
        writer.close();
        reader.close();
        files().mkdir(path("d"), 0755);
        HostFile inDir = files().open(path("d"), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0);
        files().rmdir(path("d"));
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("d"), false)));
        assertEquals(FileMode.S_IFDIR, inDir.stat().mode() & FileMode.S_IFMT);
        inDir.close();
    }

    /** rename(2) over an open file: the open file keeps the old data, the name gives the new file. */
    @Test
    void renameOverAnOpenFile() throws Exception {
        create("new", "new data").close();
        HostFile old = create("old", "old data");
        long oldIno = old.stat().ino();
        files().rename(path("new"), path("old"), 0);
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("new"), false)));
        assertEquals("old data", readAll(old));
        assertEquals(0, old.stat().nlink());
        HostFile now = files().open(path("old"), OpenFlags.O_RDONLY, 0);
        assertEquals("new data", readAll(now));
        assertEquals(false, now.stat().ino() == oldIno);
        now.close();
        old.close();
        create("keep", "k").close();
        assertEquals(files().capabilities().contains(HostFiles.Capability.RENAME_NOREPLACE) ? Errno.EEXIST : Errno.EINVAL,
                errno(() -> files().rename(path("old"), path("keep"), dev.jlx.abi.Rename.RENAME_NOREPLACE)));
        files().mkdir(path("d1"), 0755);
        files().mkdir(path("d2"), 0755);
        assertEquals(Errno.EISDIR, errno(() -> files().rename(path("old"), path("d1"), 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> files().rename(path("d1"), path("old"), 0)));
        files().rename(path("d1"), path("d2"), 0);
        assertEquals(FileMode.S_IFDIR, files().stat(path("d2"), false).mode() & FileMode.S_IFMT);
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("d1"), false)));
        files().mkdir(path("d3"), 0755);
        create("d3/x", "x").close();
        assertEquals(Errno.ENOTEMPTY, errno(() -> files().rename(path("d2"), path("d3"), 0)));
    }

    /** Hard links share one file; a link to a symlink is a symlink; directories take no links. */
    @Test
    void hardLinksAndSymlinks() throws Exception {
        create("a", "one").close();
        files().link(path("a"), path("b"));
        HostStat a = files().stat(path("a"), false);
        HostStat b = files().stat(path("b"), false);
        assertEquals(a.ino(), b.ino());
        assertEquals(2, b.nlink());
        HostFile viaB = files().open(path("b"), OpenFlags.O_WRONLY | OpenFlags.O_APPEND, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(4);
            m.setString(0, "two");
            assertEquals(3, viaB.write(m.asSlice(0, 3)));
        }
        viaB.close();
        assertEquals("onetwo", readPath("a"));
        files().chmod(path("b"), 0600);
        assertEquals(0600, files().stat(path("a"), false).mode() & 07777, "one file, one mode");
        files().unlink(path("a"));
        assertEquals(1, files().stat(path("b"), false).nlink());
        assertEquals(Errno.EEXIST, errno(() -> files().link(path("b"), path("b"))));
        files().mkdir(path("d"), 0755);
        assertEquals(Errno.EPERM, errno(() -> files().link(path("d"), path("d2"))));
        files().symlink("b".getBytes(StandardCharsets.UTF_8), path("s"));
        files().link(path("s"), path("s2"));
        assertEquals(FileMode.S_IFLNK, files().stat(path("s2"), false).mode() & FileMode.S_IFMT);
        assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), files().readlink(path("s2")));
        assertEquals(1, files().stat(path("s2"), false).size(), "a symlink's size is its target's length");
        files().rename(path("s"), path("s3"), 0);
        assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), files().readlink(path("s3")));
        assertEquals(Errno.ELOOP, errno(() -> files().open(path("s3"), OpenFlags.O_RDONLY, 0)));
    }

    /**
     * Names that other hosts' file systems refuse or treat specially are plain names on Linux: each
     * one is created, listed, renamed and removed as itself, and reads back byte for byte.
     */
    @Test
    void namesOtherHostsRefuse() throws Exception {
        java.util.List<ByteString> names = java.util.List.of(ByteString.of("a:b"), ByteString.of("CON"),
                ByteString.of("nul.txt"), ByteString.of("dot."), ByteString.of("space "), ByteString.of("back\\slash"),
                ByteString.of("q?*<>|\""), ByteString.of(" lead"), ByteString.of(new byte[] {'x', (byte) 0x80, 'y'}),
                ByteString.of(new byte[] {(byte) 0xc0, (byte) 0xaf}), ByteString.of(new byte[] {'t', '\t', '\n'}));
        ByteString base = b(dir);
        for (ByteString name : names) {
            HostFile f = files().open(base.child(name), OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0600);
            f.close();
        }
        assertEquals(new java.util.HashSet<>(names), listed(base));
        for (ByteString name : names) {
            assertEquals(FileMode.S_IFREG, files().stat(base.child(name), false).mode() & FileMode.S_IFMT);
            ByteString renamed = ByteString.of("r").concat(name);
            files().rename(base.child(name), base.child(renamed), 0);
            files().mkdir(base.child(name), 0755);
            assertEquals(FileMode.S_IFDIR, files().stat(base.child(name), false).mode() & FileMode.S_IFMT);
            files().rmdir(base.child(name));
            files().symlink(name.toByteArray(), base.child(name));
            assertArrayEquals(name.toByteArray(), files().readlink(base.child(name)));
            files().unlink(base.child(name));
            files().unlink(base.child(renamed));
        }
        assertEquals(java.util.Set.of(), listed(base));
    }

    /** Directories the backend makes tell names apart by case, as Linux's do. */
    @Test
    void namesDifferingInCaseAreDifferentFiles() throws Exception {
        files().mkdir(path("d"), 0755);
        create("d/a", "lower").close();
        create("d/A", "upper").close();
        files().mkdir(path("d/B"), 0755);
        files().mkdir(path("d/b"), 0755);
        assertEquals("lower", readPath("d/a"));
        assertEquals("upper", readPath("d/A"));
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("d/c"), false)));
        files().rename(path("d/a"), path("d/C"), 0);
        assertEquals(Errno.ENOENT, errno(() -> files().stat(path("d/c"), false)));
        assertEquals(java.util.Set.of(ByteString.of("A"), ByteString.of("C"), ByteString.of("B"), ByteString.of("b")),
                listed(path("d")));
    }

    /**
     * A backend that says it lacks a capability answers its calls as a Linux file system without the
     * feature does (the errno {@link HostFiles.Capability} names), and one that says it has the
     * file-system-independent ones does them.
     */
    @Test
    void capabilitiesAreWhatTheBackendDoes() throws Exception {
        java.util.Set<HostFiles.Capability> caps = files().capabilities();
        HostFile f = files().open(path("f"), OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0644);
        files().mkdir(path("d"), 0755);
        try (Arena arena = Arena.ofConfined()) {
            if (!caps.contains(HostFiles.Capability.BIRTH_TIME)) {
                assertEquals(HostStat.NO_BTIME, f.stat().btimeSec());
            }
            if (!caps.contains(HostFiles.Capability.RENAME_EXCHANGE)) {
                assertEquals(Errno.EINVAL, errno(() -> files().rename(path("f"), path("d"),
                        dev.jlx.abi.Rename.RENAME_EXCHANGE)));
            }
            if (!caps.contains(HostFiles.Capability.PUNCH_HOLE)) {
                f.allocate(0, 0, 8192);
                assertEquals(Errno.EOPNOTSUPP, errno(() -> f.allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
                        4096)));
            }
            if (!caps.contains(HostFiles.Capability.XATTRS)) {
                MemorySegment value = arena.allocateFrom("v");
                assertEquals(Errno.EOPNOTSUPP, errno(() -> files().setxattr(path("f"), true, ByteString.of("user.x"),
                        value, 0)));
            }
            // A tree deeper than PATH_MAX, made one directory at a time as a guest in it would.
            String name = "n".repeat(250);
            StringBuilder deep = new StringBuilder("d");
            ThrowingCall deeper = () -> {
                for (int i = 0; i < 20; i++) {
                    deep.append('/').append(name);
                    files().mkdir(path(deep.toString()), 0755);
                }
            };
            if (caps.contains(HostFiles.Capability.LONG_PATHS)) {
                deeper.run();
                assertEquals(FileMode.S_IFDIR, files().stat(path(deep.toString()), false).mode() & FileMode.S_IFMT);
                // Gone the same way, deepest first: the host's own tools could not reach it.
                for (String p = deep.toString(); p.contains("/"); p = p.substring(0, p.lastIndexOf('/'))) {
                    files().rmdir(path(p));
                }
            } else {
                assertEquals(Errno.ENAMETOOLONG, errno(deeper));
            }
        } finally {
            f.close();
        }
    }

    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
}
