package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.FileHandles;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.HostDirectoryFs;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Tmpfs;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.proc.MountTable;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * name_to_handle_at(2) and open_by_handle_at(2) (fs/fhandle.c) on host directories and tmpfs, the
 * file systems of jlx's that Linux's counterparts (ext4, shmem) export. A handle's bytes are jlx's
 * own ({@link FileHandles}) in the shape those file systems give: FILEID_INO32_GEN (8 bytes: the
 * inode's low 32 bits, then jlx's serial where ext4 has the generation) on a host directory, and
 * shmem's 12 bytes (serial, inode low, inode high) on tmpfs.
 */
final class HandleSyscalls {
    private HandleSyscalls() {}

    /** struct file_handle: u32 handle_bytes, int handle_type, then f_handle. */
    private static final int HEADER = 8;
    private static final int MAX_HANDLE_SZ = 128;
    private static final int FILEID_INO32_GEN = 1;
    private static final int FILEID_INVALID = 255;
    private static final int AT_HANDLE_MNT_ID_UNIQUE = 0x001;
    private static final int AT_HANDLE_CONNECTABLE = 0x002;
    private static final int AT_HANDLE_FID = 0x200;
    /** FILEID_USER_FLAGS_MASK, and the user flags open_by_handle_at knows (FILEID_IS_CONNECTABLE, FILEID_IS_DIR). */
    private static final int FILEID_USER_FLAGS_MASK = 0xffff0000;
    private static final int FILEID_VALID_USER_FLAGS = 0x30000;

    /** The size of a handle on {@code fs}, 0 where Linux's counterpart exports nothing (EOPNOTSUPP). */
    private static int handleSize(FileSystem fs) {
        return fs instanceof HostDirectoryFs ? 8 : fs instanceof Tmpfs ? 12 : 0;
    }

    /**
     * Implements Linux syscall name_to_handle_at(2) in its order of checks: flags (EINVAL; jlx takes
     * no AT_HANDLE_CONNECTABLE, EINVAL as before Linux 6.13), the walk, a file system that exports
     * (EOPNOTSUPP), the header (EFAULT; EINVAL past MAX_HANDLE_SZ), a size too small (EOVERFLOW with
     * the size needed and FILEID_INVALID written), then the mount id (mountinfo's, or with
     * AT_HANDLE_MNT_ID_UNIQUE the 64-bit one statx gives) and the handle.
     */
    static long name_to_handle_at(GuestThread t, Args a) throws ErrnoException {
        int dirfd = a.fd(0);
        long pathAddr = a.addr(1);
        long handle = a.addr(2);
        long mountIdAddr = a.addr(3);
        int flags = a.i32(4);
        if ((flags & ~(Fcntl.AT_SYMLINK_FOLLOW | Fcntl.AT_EMPTY_PATH | AT_HANDLE_FID | AT_HANDLE_MNT_ID_UNIQUE)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteString path = FileSyscalls.path(t, pathAddr);
        GuestProcess.FsView view = t.process().fsView();
        Mount mount;
        ByteString guestPath;
        HostStat st;
        if (path.isEmpty() && (flags & Fcntl.AT_EMPTY_PATH) != 0) {
            if (dirfd == Fcntl.AT_FDCWD) {
                Vfs.Resolved cwd = view.vfs().walked(view.cwd());
                mount = cwd.mount();
                guestPath = cwd.guestPath();
                st = cwd.fs().stat(cwd.path(), true);
            } else {
                OpenFile f = t.process().fds().get(dirfd);
                if (!(f instanceof VfsFile h) || h.guestPath() == null || h.mount() == null) {
                    throw new ErrnoException(Errno.EOPNOTSUPP);
                }
                mount = h.mount();
                guestPath = h.guestPath();
                st = f.stat();
            }
        } else {
            Vfs.Resolved r = FileSyscalls.resolve(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_FOLLOW) != 0);
            st = r.fs().stat(r.path(), (flags & Fcntl.AT_SYMLINK_FOLLOW) != 0);
            mount = r.mount();
            guestPath = r.guestPath();
        }
        int size = handleSize(mount.fs());
        if (size == 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        GuestMemory mem = t.process().space().memory();
        int room = mem.readInt(handle);
        mem.readInt(handle + 4);
        if (Integer.toUnsignedLong(room) > MAX_HANDLE_SZ) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean overflow = room < size;
        ByteBuffer b = ByteBuffer.allocate(HEADER + (overflow ? 0 : size)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, size).putInt(4, overflow ? FILEID_INVALID : FILEID_INO32_GEN);
        if (!overflow) {
            int serial = t.process().kernel().fileHandles()
                    .serial(new FileHandles.Entry(mount.fs(), guestPath, st.dev(), st.ino()));
            if (size == 8) {
                b.putInt(8, (int) st.ino()).putInt(12, serial);
            } else {
                b.putInt(8, serial).putInt(12, (int) st.ino()).putInt(16, (int) (st.ino() >>> 32));
            }
        }
        long mountId = MountTable.id(mount);
        if ((flags & AT_HANDLE_MNT_ID_UNIQUE) != 0) {
            mem.writeLong(mountIdAddr, mountId + NewMountSyscalls.MNT_UNIQUE_ID_OFFSET);
        } else {
            mem.writeInt(mountIdAddr, (int) mountId);
        }
        mem.write(handle, b.array());
        if (overflow) {
            throw new ErrnoException(Errno.EOVERFLOW);
        }
        return 0;
    }

    /**
     * Implements Linux syscall open_by_handle_at(2) in its order of checks: the mount descriptor
     * (EBADF; AT_FDCWD is the working directory), CAP_DAC_READ_SEARCH (EPERM), the header (EFAULT;
     * EINVAL for a size of 0 or past MAX_HANDLE_SZ, a negative type or unknown user flags), the
     * handle (EFAULT), then the file: ESTALE unless the handle is one this run gave out for a file
     * of the mount's file system that is still at its path; then the open with {@code flags}.
     */
    static long open_by_handle_at(GuestThread t, Args a) throws ErrnoException {
        int mountFd = a.fd(0);
        long handle = a.addr(1);
        int flags = a.i32(2);
        GuestProcess p = t.process();
        GuestProcess.FsView view = p.fsView();
        FileSystem anchor;
        if (mountFd >= 0) {
            OpenFile f = p.fds().get(mountFd);
            anchor = f instanceof VfsFile h && h.mount() != null ? h.mount().fs() : null;
        } else if (mountFd == Fcntl.AT_FDCWD) {
            anchor = view.vfs().walked(view.cwd()).fs();
        } else {
            throw new ErrnoException(Errno.EBADF);
        }
        if (!p.credentials().capable(GuestProcess.CAP_DAC_READ_SEARCH)) {
            throw new ErrnoException(Errno.EPERM);
        }
        GuestMemory mem = p.space().memory();
        int bytes = mem.readInt(handle);
        int type = mem.readInt(handle + 4);
        if (bytes == 0 || Integer.toUnsignedLong(bytes) > MAX_HANDLE_SZ || type < 0
                || (type & FILEID_USER_FLAGS_MASK & ~FILEID_VALID_USER_FLAGS) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        ByteBuffer b = ByteBuffer.wrap(mem.read(handle + HEADER, bytes)).order(ByteOrder.LITTLE_ENDIAN);
        int size = anchor == null ? 0 : handleSize(anchor);
        if (size == 0 || bytes < size || (type & ~FILEID_USER_FLAGS_MASK) != FILEID_INO32_GEN) {
            throw new ErrnoException(Errno.ESTALE);
        }
        long serial = Integer.toUnsignedLong(size == 8 ? b.getInt(4) : b.getInt(0));
        long ino = size == 8 ? Integer.toUnsignedLong(b.getInt(0))
                : Integer.toUnsignedLong(b.getInt(4)) | (long) b.getInt(8) << 32;
        FileHandles.Entry e = p.kernel().fileHandles().entry(serial);
        if (e == null || e.fs() != anchor || (size == 8 ? (int) e.ino() != (int) ino : e.ino() != ino)) {
            throw new ErrnoException(Errno.ESTALE);
        }
        HostStat now;
        try {
            now = view.vfs().stat(ByteString.ROOT, e.guestPath(), false);
        } catch (ErrnoException gone) {
            throw new ErrnoException(Errno.ESTALE);
        }
        if (now.dev() != e.dev() || now.ino() != e.ino()) {
            throw new ErrnoException(Errno.ESTALE);
        }
        // The file itself, not what a symbolic link there points to (file_open_root on the inode).
        boolean link = (now.mode() & 0170000) == 0120000;
        return FileSyscalls.openPath(t, e.guestPath(), flags | (link ? OpenFlags.O_NOFOLLOW : 0));
    }
}
