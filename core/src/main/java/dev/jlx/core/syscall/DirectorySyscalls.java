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
        // iterate_dir: every call is an access of the directory.
        dev.jlx.core.fs.Fsnotify.file(dir, dev.jlx.abi.Inotify.IN_ACCESS);
        // The kernel keeps the unsigned count in an int: one past INT_MAX holds no record at all.
        int count = a.i32(2);
        int first = dir.nextEntry();
        int index = first;
        int used = 0;
        for (; index < entries.size(); index++) {
            int reclen = wide ? record64(entries, index).reclen() : record(entries, index).reclen();
            if (count < 0 || used + reclen > count) {
                break;
            }
            used += reclen;
        }
        if (used == 0 && index < entries.size()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // Only what is filled is made, however large the guest's buffer.
        ByteBuffer out = GuestMemory.structBuffer(used);
        for (int i = first, at = 0; i < index; i++) {
            if (wide) {
                Dirent64 d = record64(entries, i);
                d.writeTo(out, at);
                at += d.reclen();
            } else {
                Dirent d = record(entries, i);
                d.writeTo(out, at);
                at += d.reclen();
            }
        }
        t.process().space().memory().write(a.addr(1), out.array(), 0, used);
        dir.setNextEntry(index);
        return used;
    }

    /** Entry {@code i} as getdents64 shows it; its offset cookie is the next entry's index. */
    private static Dirent64 record64(List<HostDirEntry> entries, int i) {
        HostDirEntry e = entries.get(i);
        return new Dirent64(e.ino(), i + 1, e.type() >>> 12, e.name());
    }

    private static Dirent record(List<HostDirEntry> entries, int i) {
        HostDirEntry e = entries.get(i);
        return new Dirent(e.ino(), i + 1, e.type() >>> 12, e.name());
    }
}
