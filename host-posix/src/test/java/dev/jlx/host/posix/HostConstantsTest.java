package dev.jlx.host.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Rename;
import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ErrnoException;
import org.junit.jupiter.api.Test;

/** The translation tables, built from jnr-constants' per-OS classes: macOS's are checked on any host. */
class HostConstantsTest {
    private static final HostConstants DARWIN = HostConstants.forTables(false,
            jnr.constants.platform.darwin.OpenFlags.class, jnr.constants.platform.darwin.Access.class,
            jnr.constants.platform.darwin.Errno.class, HostHeaders.DARWIN);
    private static final HostConstants LINUX = HostConstants.forTables(true,
            jnr.constants.platform.linux.OpenFlags.class, jnr.constants.platform.linux.Access.class,
            jnr.constants.platform.linux.Errno.class, HostHeaders.LINUX);

    private static Errno errno(Executable call) {
        return assertThrows(ErrnoException.class, call::run).errno();
    }

    interface Executable {
        void run() throws ErrnoException;
    }

    @Test
    void darwinOpenFlags() throws Exception {
        // <sys/fcntl.h> of macOS.
        assertEquals(0x200, DARWIN.hostOpenFlags(OpenFlags.O_CREAT));
        assertEquals(0x200 | 0x400 | 0x800 | 0x2,
                DARWIN.hostOpenFlags(OpenFlags.O_CREAT | OpenFlags.O_TRUNC | OpenFlags.O_EXCL | OpenFlags.O_RDWR));
        assertEquals(0x100, DARWIN.hostOpenFlags(OpenFlags.O_NOFOLLOW));
        assertEquals(0x100000, DARWIN.hostOpenFlags(OpenFlags.O_DIRECTORY));
        assertEquals(0x1000000, DARWIN.hostOpenFlags(OpenFlags.O_CLOEXEC));
        assertEquals(0x8 | 0x4 | 0x1, DARWIN.hostOpenFlags(OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK | OpenFlags.O_WRONLY));
        assertEquals(0x20000, DARWIN.hostOpenFlags(OpenFlags.O_NOCTTY));
        assertEquals(0x80, DARWIN.hostOpenFlags(OpenFlags.O_SYNC), "O_SYNC is not O_SYNC plus O_DSYNC");
        assertEquals(0x400000, DARWIN.hostOpenFlags(OpenFlags.O_DSYNC));
        assertEquals(0, DARWIN.hostOpenFlags(OpenFlags.O_LARGEFILE));
    }

    @Test
    void linuxFlagsMacOsLacksAreEinval() {
        for (int flag : new int[] {OpenFlags.O_DIRECT, OpenFlags.O_NOATIME, OpenFlags.O_PATH, OpenFlags.O_TMPFILE}) {
            assertEquals(Errno.EINVAL, errno(() -> DARWIN.hostOpenFlags(flag | OpenFlags.O_RDWR)), Integer.toOctalString(flag));
        }
        assertEquals(Errno.EINVAL, errno(() -> DARWIN.hostOpenFlags(1 << 30)), "an unknown bit");
    }

    @Test
    void darwinErrnoNumbersBecomeLinuxNames() {
        // <sys/errno.h> of macOS.
        assertEquals(Errno.EOPNOTSUPP, DARWIN.linuxErrno(45), "ENOTSUP");
        assertEquals(Errno.EOPNOTSUPP, DARWIN.linuxErrno(102), "EOPNOTSUPP");
        assertEquals(Errno.ELOOP, DARWIN.linuxErrno(62));
        assertEquals(Errno.EAGAIN, DARWIN.linuxErrno(35));
        assertEquals(Errno.EDEADLK, DARWIN.linuxErrno(11));
        assertEquals(Errno.ENOTEMPTY, DARWIN.linuxErrno(66));
        assertEquals(Errno.ENAMETOOLONG, DARWIN.linuxErrno(63));
        assertEquals(Errno.ENOSYS, DARWIN.linuxErrno(78));
        assertEquals(Errno.ENODATA, DARWIN.linuxErrno(93), "ENOATTR");
        assertEquals(Errno.ENOENT, DARWIN.linuxErrno(2));
        assertEquals(Errno.EIO, DARWIN.linuxErrno(80), "EAUTH has no Linux equivalent");
        assertEquals(Errno.EIO, DARWIN.linuxErrno(9999));
    }

    @Test
    void darwinFileTypesWhenceAndAccess() throws Exception {
        // <sys/stat.h> of macOS: the traditional S_IFMT values, plus S_IFWHT that Linux lacks.
        assertEquals(FileMode.S_IFREG | 0644, DARWIN.linuxMode(0100644));
        assertEquals(FileMode.S_IFDIR | 0755, DARWIN.linuxMode(0040755));
        assertEquals(FileMode.S_IFLNK | 0777, DARWIN.linuxMode(0120777));
        assertEquals(FileMode.S_IFIFO, DARWIN.linuxMode(0010000));
        assertEquals(FileMode.S_IFSOCK, DARWIN.linuxMode(0140000));
        assertEquals(FileMode.S_IFCHR | 06666, DARWIN.linuxMode(0026666));
        assertEquals(FileMode.S_IFBLK, DARWIN.linuxMode(0060000));
        assertEquals(0644, DARWIN.linuxMode(0160644), "S_IFWHT");
        assertEquals(FileMode.S_IFDIR, DARWIN.linuxTypeOfDirent((byte) 4));
        assertEquals(-1, DARWIN.linuxTypeOfDirent((byte) 0));
        assertEquals(0, DARWIN.hostWhence(Fcntl.SEEK_SET));
        assertEquals(2, DARWIN.hostWhence(Fcntl.SEEK_END));
        assertEquals(4, DARWIN.hostWhence(Fcntl.SEEK_DATA));
        assertEquals(3, DARWIN.hostWhence(Fcntl.SEEK_HOLE));
        assertEquals(Fcntl.R_OK | Fcntl.X_OK, DARWIN.hostAccessMode(Fcntl.R_OK | Fcntl.X_OK));
        assertEquals(-2, DARWIN.atFdcwd());
        assertEquals(0x20, DARWIN.atSymlinkNofollow());
        assertEquals(-1, DARWIN.hostUtimeNsec(Fcntl.UTIME_NOW));
        assertEquals(-2, DARWIN.hostUtimeNsec(Fcntl.UTIME_OMIT));
        assertEquals(999, DARWIN.hostUtimeNsec(999));
        assertEquals(0x40087468L, DARWIN.tiocgwinsz());
    }

    @Test
    void renameFlags() throws Exception {
        // renamex_np(2) of macOS: RENAME_SWAP 0x2, RENAME_EXCL 0x4.
        assertEquals(0x4, DARWIN.hostRenameFlags(Rename.RENAME_NOREPLACE));
        assertEquals(0x2, DARWIN.hostRenameFlags(Rename.RENAME_EXCHANGE));
        assertEquals(Rename.RENAME_NOREPLACE, LINUX.hostRenameFlags(Rename.RENAME_NOREPLACE));
        assertEquals(Rename.RENAME_EXCHANGE, LINUX.hostRenameFlags(Rename.RENAME_EXCHANGE));
        assertEquals(Errno.EINVAL, errno(() -> DARWIN.hostRenameFlags(Rename.RENAME_WHITEOUT)));
        assertEquals(Errno.EINVAL, errno(() -> LINUX.hostRenameFlags(1 << 8)));
    }

    @Test
    void darwinStatfsLayout() {
        // A macOS struct statfs as statfs("/System/Volumes/Data") fills it on an APFS volume.
        jnr.ffi.Pointer b = jnr.ffi.Memory.allocate(jnr.ffi.Runtime.getSystemRuntime(), StatfsLayout.DARWIN.size());
        b.putInt(0, 4096);
        b.putInt(4, 1 << 20);
        b.putLong(8, 1000);
        b.putLong(16, 600);
        b.putLong(24, 500);
        b.putLong(32, 9000);
        b.putLong(40, 8000);
        b.putInt(48, 0x1000010);
        b.putInt(52, 0x1a);
        b.putInt(60, 26);
        b.putInt(64, 0x1 | 0x8 | 0x10000000 | 0x4000);
        byte[] name = "apfs".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(72, name, 0, name.length);
        dev.jlx.core.host.HostStatfs s = StatfsLayout.DARWIN.read(b);
        assertEquals(new dev.jlx.core.host.HostStatfs(0x42535041L, 4096, 1000, 600, 500, 9000, 8000,
                0x1a_0100_0010L, 255, 4096, Statfs.ST_VALID | Statfs.ST_RDONLY | Statfs.ST_NOSUID | Statfs.ST_NOATIME), s);
        b.put(72, new byte[] {'f', 'u', 's', 'e', 0}, 0, 5);
        assertEquals(StatfsLayout.UNKNOWN_MAGIC, StatfsLayout.DARWIN.read(b).type());
    }

    @Test
    void linuxIsTheIdentity() throws Exception {
        int flags = OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC
                | OpenFlags.O_NOFOLLOW | OpenFlags.O_SYNC | OpenFlags.O_DIRECT | OpenFlags.O_NOATIME;
        assertEquals(flags, LINUX.hostOpenFlags(flags));
        for (int flag : new int[] {OpenFlags.O_DSYNC, OpenFlags.O_PATH, OpenFlags.O_TMPFILE | OpenFlags.O_RDWR,
                OpenFlags.O_APPEND | OpenFlags.O_NONBLOCK | OpenFlags.O_ASYNC | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY}) {
            assertEquals(flag, LINUX.hostOpenFlags(flag), Integer.toOctalString(flag));
        }
        assertEquals(0, LINUX.hostOpenFlags(OpenFlags.O_LARGEFILE), "implied on 64-bit hosts");
        for (jnr.constants.platform.linux.Errno host : jnr.constants.platform.linux.Errno.values()) {
            Errno linuxErrno = Errno.of(host.intValue());
            if (linuxErrno != null) {
                assertEquals(linuxErrno, LINUX.linuxErrno(host.intValue()), host.name());
            }
        }
        for (int mode : new int[] {0100644, 0040755, 0120777, 0010600, 0140700, 0020666, 0060660, 07777 | 0100000}) {
            assertEquals(mode, LINUX.linuxMode(mode));
        }
        for (int whence = Fcntl.SEEK_SET; whence <= Fcntl.SEEK_HOLE; whence++) {
            assertEquals(whence, LINUX.hostWhence(whence));
        }
        assertEquals(Fcntl.AT_FDCWD, LINUX.atFdcwd());
        assertEquals(Fcntl.AT_SYMLINK_NOFOLLOW, LINUX.atSymlinkNofollow());
    }
}
