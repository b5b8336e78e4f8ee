package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Dirent;
import dev.jlx.abi.struct.Dirent64;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.host.HostDirEntry;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.util.List;

/** Reading directories: getdents64(2) and the old getdents(2). */
final class DirectorySyscalls {
    private DirectorySyscalls() {}

    /** Implements Linux syscall getdents64(2). */
    static long getdents64(GuestThread t, Args a) throws ErrnoException {
        return fill(t, a, true);
    }

    /** Implements Linux syscall getdents(2). */
    static long getdents(GuestThread t, Args a) throws ErrnoException {
        return fill(t, a, false);
    }

    /**
     * Packs as many whole records as fit into the buffer; EINVAL when not even the next one fits,
     * 0 at the end of the directory.
     */
    private static long fill(GuestThread t, Args a, boolean wide) throws ErrnoException {
        OpenFile f = t.process().fds().get(a.fd(0));
        if (!(f instanceof VfsFile dir)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        // Two calls on one description take turns, as Linux's f_pos_lock makes them.
        synchronized (dir) {
            return fill(t, a, wide, dir);
        }
    }

    private static long fill(GuestThread t, Args a, boolean wide, VfsFile dir) throws ErrnoException {
        List<HostDirEntry> entries = dir.directoryEntries(t.process().vfs());
        int count = (int) Math.min(a.u64(2) & 0xffffffffL, ReadWriteSyscalls.MAX_RW_COUNT);
        ByteBuffer out = GuestMemory.structBuffer(count);
        int used = 0;
        int index = dir.nextEntry();
        while (index < entries.size()) {
            HostDirEntry e = entries.get(index);
            int type = e.type() >>> 12;
            int reclen;
            if (wide) {
                Dirent64 d = new Dirent64(e.ino(), index + 1, type, e.name());
                reclen = d.reclen();
                if (used + reclen > count) {
                    break;
                }
                d.writeTo(out, used);
            } else {
                Dirent d = new Dirent(e.ino(), index + 1, type, e.name());
                reclen = d.reclen();
                if (used + reclen > count) {
                    break;
                }
                d.writeTo(out, used);
            }
            used += reclen;
            index++;
        }
        if (used == 0 && index < entries.size()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().space().memory().write(a.addr(1), out.array(), 0, used);
        dir.setNextEntry(index);
        return used;
    }
}
