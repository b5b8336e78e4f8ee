package dev.jlx.host.posix;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A file workload through one backend profile, run in a JVM of its own by {@link PortableBindingTest}
 * (whose class-load log then shows which bindings the workload needed): {@code PortableWorkload
 * PROFILE DIRECTORY}. Exits non-zero, with the reason, when a result is not what Linux gives.
 */
public final class PortableWorkload {
    private PortableWorkload() {}

    public static void main(String[] args) throws Exception {
        HostBackend backend = HostBackends.get(args[0]);
        check(backend.name().equals(args[0]), "backend " + backend.name());
        HostFiles files = backend.files();
        ByteString dir = ByteString.of(args[1]);
        ByteString a = dir.child(ByteString.of("a"));
        ByteString b = dir.child(ByteString.of("b"));
        ByteString link = dir.child(ByteString.of("link"));
        try (Arena arena = Arena.ofConfined()) {
            HostFile f = files.open(a, OpenFlags.O_CREAT | OpenFlags.O_RDWR | OpenFlags.O_EXCL, 0640);
            MemorySegment data = arena.allocateFrom("hello", StandardCharsets.UTF_8);
            check(f.write(data.asSlice(0, 5)) == 5, "write");
            check(f.stat().size() == 5, "fstat size");
            check((f.stat().mode() & 07777) == 0640, "mode " + Integer.toOctalString(f.stat().mode()));
            f.allocate(0, 0, 8192);
            check(f.stat().size() == 8192, "size after fallocate " + f.stat().size());
            check(f.stat().blocks() >= 16, "blocks after fallocate " + f.stat().blocks());
            f.truncate(3);
            check(f.poll(HostFile.POLLIN, 0) != 0, "poll");
            f.utimens(1_000_000_000L, 5, 1_100_000_000L, 7);
            check(f.stat().mtimeSec() == 1_100_000_000L && f.stat().mtimeNsec() == 7, "futimens");
            f.close();
            files.utimens(a, 1_000_000_000L, 5, 1_200_000_000L, 9);
            check(files.stat(a, true).mtimeNsec() == 9, "utimensat");
            files.truncate(a, 2);
            check(files.stat(a, false).size() == 2, "truncate");
            files.rename(a, b, 0);
            files.symlink("b".getBytes(StandardCharsets.UTF_8), link);
            check(new String(files.readlink(link), StandardCharsets.UTF_8).equals("b"), "readlink");
            check((files.stat(link, false).mode() & FileMode.S_IFMT) == FileMode.S_IFLNK, "lstat");
            check(files.stat(link, true).size() == 2, "stat through the link");
            Set<String> names = new HashSet<>();
            files.list(dir).forEach(e -> names.add(new String(e.name(), StandardCharsets.UTF_8)));
            check(names.equals(Set.of("b", "link")), "readdir " + names);
            Errno flagged = errno(() -> files.rename(b, link, Rename.RENAME_NOREPLACE));
            check(flagged == Errno.EINVAL || flagged == Errno.EEXIST, "renameat2 flags " + flagged);
            files.mkdir(dir.child(ByteString.of("d")), 0755);
            files.rmdir(dir.child(ByteString.of("d")));
            check(files.statfs(dir).blocks() > 0, "statfs");
            xattrs(files, b, arena);
            files.unlink(link);
            files.unlink(b);
        }
        System.out.println("workload done on " + backend.name());
    }

    /** A user xattr round trip, where the file system keeps xattrs (EOPNOTSUPP where it does not). */
    private static void xattrs(HostFiles files, ByteString path, Arena arena) throws ErrnoException {
        ByteString name = ByteString.of("user.jlx");
        MemorySegment value = arena.allocateFrom("v1", StandardCharsets.UTF_8).asSlice(0, 2);
        try {
            files.setxattr(path, false, name, value, 0);
        } catch (ErrnoException e) {
            check(e.errno() == Errno.EOPNOTSUPP, "setxattr " + e.errno());
            return;
        }
        check(files.getxattr(path, true, name, MemorySegment.NULL) == 2, "getxattr size");
        MemorySegment got = arena.allocate(2);
        files.getxattr(path, false, name, got);
        check(new String(got.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).equals("v1"),
                "getxattr value");
        check(files.listxattr(path, false, MemorySegment.NULL) >= 9, "listxattr size");
        check(errno(() -> files.setxattr(path, false, name, value, 1 /* XATTR_CREATE */)) == Errno.EEXIST,
                "XATTR_CREATE on an existing name");
        files.removexattr(path, false, name);
        check(errno(() -> files.getxattr(path, false, name, MemorySegment.NULL)) == Errno.ENODATA, "removed");
    }

    interface Call {
        void run() throws ErrnoException;
    }

    private static Errno errno(Call call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            return e.errno();
        }
        throw new AssertionError("no error");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
