package dev.jlx.host.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The POSIX backend against the real host: data in native segments, Linux errno values out. */
class PosixBackendTest {
    private static final PosixBackend BACKEND = new PosixBackend();
    private final HostFiles files = BACKEND.files();

    @TempDir
    Path dir;

    private Errno errno(ThrowingCall call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    interface ThrowingCall {
        void run() throws ErrnoException;
    }

    @Test
    void writeReadSeekAndPositionalIoGoThroughNativeMemory() throws Exception {
        String path = dir.resolve("f").toString();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            buf.setString(0, "hello world");
            HostFile f = files.open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR | OpenFlags.O_EXCL, 0640);
            assertEquals(11, f.write(buf.asSlice(0, 11)));
            // A large offset exercises the 6th-argument corruption of jnr-ffi's x86 fast path (ENGINE.md).
            long big = 5L << 32;
            assertEquals(5, f.pwrite(buf.asSlice(0, 5), big));
            assertEquals(big + 5, f.stat().size());
            MemorySegment in = arena.allocate(16);
            assertEquals(5, f.pread(in.asSlice(0, 5), big));
            assertEquals("hello", new String(in.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE)));
            assertEquals(6, f.seek(6, Fcntl.SEEK_SET));
            assertEquals(5, f.read(in.asSlice(0, 5)));
            assertEquals("world", new String(in.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE)));
            f.truncate(3);
            assertEquals(3, f.stat().size());
            f.close();
            f.close();
        }
        HostStat st = files.stat(path, true);
        assertEquals(FileMode.S_IFREG | 0640, st.mode());
        assertEquals(3, st.size());
    }

    @Test
    void errorsArriveAsLinuxErrno() throws Exception {
        String missing = dir.resolve("missing").toString();
        assertEquals(Errno.ENOENT, errno(() -> files.open(missing, OpenFlags.O_RDONLY, 0)));
        assertEquals(Errno.ENOENT, errno(() -> files.stat(missing, true)));
        Path existing = Files.writeString(dir.resolve("e"), "x");
        assertEquals(Errno.EEXIST, errno(() -> files.open(existing.toString(),
                OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0600)));
        assertEquals(Errno.EISDIR, errno(() -> files.open(dir.toString(), OpenFlags.O_WRONLY, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> files.stat(existing + "/x", true)));
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, existing);
        assertEquals(Errno.ELOOP, errno(() -> files.open(link.toString(), OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW,
                0)));
        assertEquals(FileMode.S_IFLNK, files.stat(link.toString(), false).mode() & FileMode.S_IFMT);
        assertArrayEquals(existing.toString().getBytes(), files.readlink(link.toString()));
        assertEquals(Errno.EINVAL, errno(() -> files.readlink(existing.toString())));
        assertEquals(Errno.ENOTEMPTY, errno(() -> files.rmdir(dir.toString())));
        files.mkdir(dir.resolve("d").toString(), 0755);
        assertEquals(Errno.EEXIST, errno(() -> files.mkdir(dir.resolve("d").toString(), 0755)));
        files.rmdir(dir.resolve("d").toString());
        files.unlink(link.toString());
        files.access(existing.toString(), Fcntl.R_OK);
        assertEquals(Errno.EACCES, errno(() -> files.access(existing.toString(), Fcntl.X_OK)));
    }

    @Test
    void namesAttributesAndListings() throws Exception {
        String a = dir.resolve("a").toString();
        String b = dir.resolve("b").toString();
        Files.writeString(dir.resolve("a"), "aaa");
        Files.writeString(dir.resolve("b"), "bbbb");
        assertEquals(Errno.EEXIST, errno(() -> files.rename(a, b, 1)));
        files.rename(a, b, 2);
        assertEquals("bbbb", Files.readString(dir.resolve("a")));
        files.rename(a, dir.resolve("c").toString(), 0);
        files.link(b, a);
        assertEquals(2L, files.stat(b, true).nlink());
        files.symlink("b".getBytes(), dir.resolve("s").toString());
        assertArrayEquals("b".getBytes(), files.readlink(dir.resolve("s").toString()));
        files.chmod(b, 0600);
        assertEquals(0600, files.stat(b, true).mode() & 07777);
        files.chown(b, -1, -1);
        files.utimens(b, 1_000_000_000L, 5, 1_100_000_000L, 7);
        HostStat st = files.stat(b, true);
        assertEquals(1_100_000_000L, st.mtimeSec());
        assertEquals(7, st.mtimeNsec());
        files.utimens(b, 0, (1L << 30) - 2, 1_200_000_000L, 0);
        assertEquals(1_000_000_000L, files.stat(b, true).atimeSec(), "UTIME_OMIT keeps the access time");
        files.truncate(b, 1);
        assertEquals(1, files.stat(b, true).size());
        files.mkfifo(dir.resolve("p").toString(), 0644);
        assertEquals(FileMode.S_IFIFO, files.stat(dir.resolve("p").toString(), false).mode() & FileMode.S_IFMT);
        java.util.Map<String, Integer> listed = new java.util.TreeMap<>();
        for (var e : files.list(dir.toString())) {
            listed.put(new String(e.name()), e.type());
        }
        assertEquals(java.util.Map.of("a", FileMode.S_IFREG, "b", FileMode.S_IFREG, "c", FileMode.S_IFREG, "s",
                FileMode.S_IFLNK, "p", FileMode.S_IFIFO), listed);
        assertEquals(Errno.ENOTDIR, errno(() -> files.list(b)));
    }

    @Test
    void standardStreamsAreNeverClosed() throws Exception {
        HostFile out = files.standardStream(1);
        out.close();
        assertEquals(FileMode.S_IFMT & out.stat().mode(), FileMode.S_IFMT & files.standardStream(1).stat().mode());
    }

    @Test
    void macOsTranslationIsBuiltFromDarwinTablesByName() throws Exception {
        HostConstants darwin = HostConstants.forTables(false, jnr.constants.platform.darwin.OpenFlags.class,
                jnr.constants.platform.darwin.Errno.class);
        assertEquals(0x200 | 0x2, darwin.hostOpenFlags(OpenFlags.O_CREAT | OpenFlags.O_RDWR));
        assertEquals(0x100, darwin.hostOpenFlags(OpenFlags.O_NOFOLLOW));
        assertEquals(0x100000, darwin.hostOpenFlags(OpenFlags.O_DIRECTORY));
        assertEquals(0x1000000, darwin.hostOpenFlags(OpenFlags.O_CLOEXEC));
        assertEquals(0x8, darwin.hostOpenFlags(OpenFlags.O_APPEND));
        assertEquals(0, darwin.hostOpenFlags(OpenFlags.O_LARGEFILE));
        assertEquals(Errno.EINVAL, errno(() -> darwin.hostOpenFlags(OpenFlags.O_PATH)));
        assertEquals(Errno.ELOOP, darwin.linuxErrno(62));
        assertEquals(Errno.EAGAIN, darwin.linuxErrno(35));
        assertEquals(Errno.EOPNOTSUPP, darwin.linuxErrno(45));
        assertEquals(Errno.ENOSYS, darwin.linuxErrno(78));
        assertEquals(Errno.EIO, darwin.linuxErrno(9999));
        assertEquals(Errno.EINVAL, errno(() -> darwin.hostWhence(Fcntl.SEEK_DATA)));
    }

    @Test
    void linuxTranslationIsTheIdentityForKnownFlags() throws Exception {
        HostConstants linux = HostConstants.forTables(true, jnr.constants.platform.linux.OpenFlags.class,
                jnr.constants.platform.linux.Errno.class);
        int flags = OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC
                | OpenFlags.O_NOFOLLOW | OpenFlags.O_SYNC;
        assertEquals(flags, linux.hostOpenFlags(flags));
        for (jnr.constants.platform.linux.Errno host : jnr.constants.platform.linux.Errno.values()) {
            Errno linuxErrno = Errno.of(host.intValue());
            if (linuxErrno != null) {
                assertEquals(linuxErrno, linux.linuxErrno(host.intValue()), host.name());
            }
        }
    }
}
