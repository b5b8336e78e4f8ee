package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.struct.Stat;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/** The stat family. Host metadata arrives in Linux units and is encoded with the ABI's layout. */
final class StatSyscalls {
    private StatSyscalls() {}

    /** Implements Linux syscall fstat(2). */
    static long fstat(GuestThread t, Args a) throws ErrnoException {
        put(t, a.addr(1), t.process().fds().get(a.fd(0)).stat());
        return 0;
    }

    /** Implements Linux syscall stat(2). */
    static long stat(GuestThread t, Args a) throws ErrnoException {
        return statAt(t, Fcntl.AT_FDCWD, a.addr(0), a.addr(1), 0);
    }

    /** Implements Linux syscall lstat(2). */
    static long lstat(GuestThread t, Args a) throws ErrnoException {
        return statAt(t, Fcntl.AT_FDCWD, a.addr(0), a.addr(1), Fcntl.AT_SYMLINK_NOFOLLOW);
    }

    /** Implements Linux syscall newfstatat(2). */
    static long newfstatat(GuestThread t, Args a) throws ErrnoException {
        return statAt(t, a.fd(0), a.addr(1), a.addr(2), a.i32(3));
    }

    private static long statAt(GuestThread t, int dirfd, long pathAddr, long buf, int flags) throws ErrnoException {
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH | Fcntl.AT_NO_AUTOMOUNT)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        byte[] path = FileSyscalls.path(t, pathAddr);
        HostStat st;
        if (path.length == 0 && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            if (dirfd == Fcntl.AT_FDCWD) {
                st = t.process().kernel().vfs().files().stat(
                        t.process().kernel().vfs().resolve("/", t.process().cwd().getBytes(), true).hostPath(), true);
            } else {
                st = t.process().fds().get(dirfd).stat();
            }
        } else {
            Vfs.Resolved r = FileSyscalls.resolve(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
            st = t.process().kernel().vfs().files().stat(r.hostPath(), (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
        }
        put(t, buf, st);
        return 0;
    }

    private static void put(GuestThread t, long address, HostStat s) throws ErrnoException {
        ByteBuffer b = GuestMemory.structBuffer(Stat.SIZE);
        new Stat(s.dev(), s.ino(), s.nlink(), s.mode(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(), s.blocks(),
                s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec()).writeTo(b, 0);
        t.process().space().memory().writeStruct(address, b);
    }
}
