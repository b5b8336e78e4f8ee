package dev.jlx.host.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostStat;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls the {@code portable} profile makes instead of Linux-only ones, checked on this host
 * against what the {@code posix} profile (Linux's own calls) answers.
 */
class PortableCallsTest {
    private final HostBackend portable = HostBackends.get("portable");
    private final HostBackend posix = HostBackends.get("posix");

    private static ByteString b(Path p) {
        return ByteString.of(p.toString());
    }

    private static Errno errno(PortableWorkload.Call call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    /** stat/lstat/fstat read through StatLayout give what statx gives, but for the birth time. */
    @Test
    void statLayoutAgreesWithStatx(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        Files.createSymbolicLink(dir.resolve("l"), dir.resolve("f"));
        for (String path : new String[] {"/", "/dev/null", dir.resolve("f").toString(), dir.resolve("l").toString()}) {
            for (boolean follow : new boolean[] {true, false}) {
                HostStat viaStat = portable.files().stat(ByteString.of(path), follow);
                HostStat viaStatx = posix.files().stat(ByteString.of(path), follow);
                assertEquals(withoutBirth(viaStatx), viaStat, path + (follow ? "" : " (lstat)"));
                assertTrue(!viaStat.hasBtime(), "no birth time without statx");
            }
        }
        HostFile f = portable.files().open(b(dir.resolve("f")), OpenFlags.O_RDONLY, 0);
        assertEquals(portable.files().stat(b(dir.resolve("f")), true), f.stat());
        f.close();
    }

    private static HostStat withoutBirth(HostStat s) {
        return new HostStat(s.dev(), s.ino(), s.mode(), s.nlink(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(),
                s.blocks(), s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }

    /** O_PATH without the host's O_PATH: the same answers as the posix profile's real O_PATH descriptors. */
    @Test
    void pathOnlyDescriptors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f"), "data");
        Files.createSymbolicLink(dir.resolve("l"), dir.resolve("f"));
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("f"), java.util.Set.of());
        int flags = OpenFlags.O_PATH | OpenFlags.O_NOFOLLOW;
        for (String name : new String[] {"f", "l", "."}) {
            HostFile emulated = portable.files().open(b(dir.resolve(name)), flags, 0);
            HostFile real = posix.files().open(b(dir.resolve(name)), flags, 0);
            assertTrue(emulated instanceof PathOnlyFile);
            assertEquals(withoutBirth(real.stat()), emulated.stat(), name);
            assertEquals(real.statfs(), emulated.statfs());
            assertEquals(Errno.EBADF, errno(() -> emulated.read(java.lang.foreign.MemorySegment.NULL)));
            assertEquals(Errno.EBADF, errno(() -> emulated.chmod(0644)));
            assertEquals(HostFile.POLLNVAL, emulated.poll(HostFile.POLLIN, 0));
            emulated.close();
            real.close();
        }
        assertEquals(Errno.ENOTDIR, errno(() -> portable.files().open(b(dir.resolve("f")),
                flags | OpenFlags.O_DIRECTORY, 0)));
        assertEquals(Errno.ENOENT, errno(() -> portable.files().open(b(dir.resolve("missing")), flags, 0)));
        assertEquals(Errno.ENOTDIR, errno(() -> portable.files().open(b(dir.resolve("f/x")), flags, 0)));
    }

    /** Mode 0 extends and allocates as Linux's fallocate does; fallocate's errors come in Linux's order. */
    @Test
    void allocateWithoutFallocate(@TempDir Path dir) throws Exception {
        ByteString path = b(dir.resolve("a"));
        HostFile f = portable.files().open(path, OpenFlags.O_CREAT | OpenFlags.O_RDWR, 0600);
        f.allocate(0, 4096, 8192);
        HostStat st = f.stat();
        assertEquals(12288, st.size());
        assertTrue(st.blocks() >= 16, "the part past the old end is allocated: " + st.blocks());
        f.allocate(0, 0, 100);
        assertEquals(12288, f.stat().size(), "inside the file: the size stays");
        assertEquals(Errno.EOPNOTSUPP, errno(() -> f.allocate(1 /* FALLOC_FL_KEEP_SIZE */, 0, 65536)));
        assertEquals(Errno.EFBIG, errno(() -> f.allocate(0, Long.MAX_VALUE, 2)));
        f.close();
        HostFile ro = portable.files().open(path, OpenFlags.O_RDONLY, 0);
        assertEquals(Errno.EBADF, errno(() -> ro.allocate(0, 0, 10)));
        ro.close();
        HostFile d = portable.files().open(b(dir), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY, 0);
        assertEquals(Errno.EBADF, errno(() -> d.allocate(0, 0, 10)), "Linux checks write access before the type");
        d.close();
    }

    /** Without renameat2 (or renamex_np) rename flags are EINVAL; a plain rename still works. */
    @Test
    void renameFlagsWithoutRenameat2(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "a");
        Files.writeString(dir.resolve("b"), "b");
        boolean linux = jnr.ffi.Platform.getNativePlatform().getOS() == jnr.ffi.Platform.OS.LINUX;
        if (linux) {
            assertEquals(Errno.EINVAL, errno(() -> portable.files().rename(b(dir.resolve("a")), b(dir.resolve("c")),
                    Rename.RENAME_NOREPLACE)));
        }
        assertEquals(Errno.EINVAL, errno(() -> portable.files().rename(b(dir.resolve("a")), b(dir.resolve("c")),
                Rename.RENAME_WHITEOUT)));
        portable.files().rename(b(dir.resolve("a")), b(dir.resolve("b")), 0);
        assertEquals("a", Files.readString(dir.resolve("b")));
    }

    /** select(2) in place of poll(2), as macOS terminals need, on a pipe. */
    @Test
    void selectAnswersAsPoll() throws Exception {
        PosixBackend backend = (PosixBackend) portable;
        int[] fds = new int[2];
        assertEquals(0, NativePosix.posix().pipe(fds));
        try {
            assertEquals(0, FdSet.select(backend, fds[0], HostFile.POLLIN, 0), "empty pipe");
            assertEquals(HostFile.POLLOUT, FdSet.select(backend, fds[1], HostFile.POLLOUT | HostFile.POLLIN, 0));
            Pointer one = Memory.allocateDirect(backend.runtime(), 1);
            assertEquals(1, backend.libc().write(fds[1], one, 1));
            assertEquals(HostFile.POLLIN, FdSet.select(backend, fds[0], HostFile.POLLIN | HostFile.POLLPRI, 100));
            long start = System.nanoTime();
            assertEquals(0, FdSet.select(backend, fds[1], HostFile.POLLIN, 50));
            assertTrue(System.nanoTime() - start >= 40_000_000L, "the timeout is waited");
        } finally {
            NativePosix.posix().close(fds[0]);
            NativePosix.posix().close(fds[1]);
        }
    }

    /** DarwinLibC's variadic bindings (open, fcntl, ioctl) pass their arguments; glibc has the same functions. */
    @Test
    void variadicBindingsPassTheirArguments(@TempDir Path dir) throws Exception {
        DarwinLibC variadic = NativePosix.darwin();
        PosixBackend backend = (PosixBackend) posix;
        byte[] path = ByteString.of(dir.resolve("v").toString()).toCString();
        int hostFlags = backend.constants().hostOpenFlags(OpenFlags.O_CREAT | OpenFlags.O_RDWR | OpenFlags.O_APPEND);
        int fd = variadic.open(path, hostFlags, 0604);
        assertTrue(fd >= 0);
        try {
            int umask = NativePosix.posix().umask(022);
            NativePosix.posix().umask(umask);
            assertEquals(0604 & ~umask, backend.fstat(fd).mode() & 0777, "the variadic mode reached open");
            int append = backend.constants().hostOpenFlags(OpenFlags.O_APPEND);
            assertEquals(OpenFlags.O_RDWR | append, variadic.fcntl(fd, 3 /* F_GETFL */, 0) & (OpenFlags.O_ACCMODE | append));
            Pointer data = Memory.allocateDirect(backend.runtime(), 3);
            assertEquals(3, backend.libc().write(fd, data, 3));
            assertEquals(0, backend.libc().lseek(fd, 0, 0));
            Pointer count = Memory.allocateDirect(backend.runtime(), 4);
            assertEquals(0, variadic.ioctl(fd, backend.constants().fionread(), count));
            assertEquals(3, count.getInt(0), "FIONREAD through the variadic ioctl");
        } finally {
            backend.libc().close(fd);
        }
    }
}
