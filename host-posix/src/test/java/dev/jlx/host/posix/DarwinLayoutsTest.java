package dev.jlx.host.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.abi.Errno;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostConsole.Termios;
import dev.jlx.core.host.HostStat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/**
 * macOS's numbers and struct layouts, checked on any host against the values of Apple's headers
 * (xnu's {@code bsd/sys/errno.h}, {@code stat.h}, {@code dirent.h}, {@code types.h},
 * {@code termios.h}, {@code fcntl.h}, {@code xattr.h}, {@code _types/_fd_def.h}, {@code cdefs.h}):
 * each struct is built here byte by byte as its header lays it out, then read by jlx's reader.
 */
class DarwinLayoutsTest {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    private static final HostConstants DARWIN = HostConstants.forTables(false,
            jnr.constants.platform.darwin.OpenFlags.class, jnr.constants.platform.darwin.Access.class,
            jnr.constants.platform.darwin.Errno.class, HostHeaders.DARWIN);

    private static Pointer buffer(int size) {
        Pointer p = Memory.allocate(RUNTIME, size);
        p.setMemory(0, size, (byte) 0);
        return p;
    }

    @Test
    void errnoNumbersOfSysErrnoH() {
        Map<Integer, Errno> apple = Map.ofEntries(Map.entry(11, Errno.EDEADLK), Map.entry(35, Errno.EAGAIN),
                Map.entry(36, Errno.EINPROGRESS), Map.entry(37, Errno.EALREADY), Map.entry(38, Errno.ENOTSOCK),
                Map.entry(40, Errno.EMSGSIZE), Map.entry(45, Errno.EOPNOTSUPP), Map.entry(48, Errno.EADDRINUSE),
                Map.entry(54, Errno.ECONNRESET), Map.entry(57, Errno.ENOTCONN), Map.entry(60, Errno.ETIMEDOUT),
                Map.entry(61, Errno.ECONNREFUSED), Map.entry(62, Errno.ELOOP), Map.entry(63, Errno.ENAMETOOLONG),
                Map.entry(65, Errno.EHOSTUNREACH), Map.entry(66, Errno.ENOTEMPTY), Map.entry(69, Errno.EDQUOT),
                Map.entry(70, Errno.ESTALE), Map.entry(77, Errno.ENOLCK), Map.entry(78, Errno.ENOSYS),
                Map.entry(84, Errno.EOVERFLOW), Map.entry(89, Errno.ECANCELED), Map.entry(90, Errno.EIDRM),
                Map.entry(91, Errno.ENOMSG), Map.entry(92, Errno.EILSEQ), Map.entry(93, Errno.ENODATA),
                Map.entry(94, Errno.EBADMSG), Map.entry(96, Errno.ENODATA), Map.entry(100, Errno.EPROTO),
                Map.entry(101, Errno.ETIME), Map.entry(102, Errno.EOPNOTSUPP), Map.entry(104, Errno.ENOTRECOVERABLE),
                Map.entry(105, Errno.EOWNERDEAD));
        apple.forEach((number, linux) -> assertEquals(linux, DARWIN.linuxErrno(number), "macOS errno " + number));
        for (int same = 1; same <= 34; same++) {
            if (same != 11) {
                assertEquals(Errno.of(same), DARWIN.linuxErrno(same), "errno " + same + " is Linux's below 35");
            }
        }
    }

    @Test
    void openAndAtFlagsOfSysFcntlH() throws Exception {
        assertEquals(0x4, DARWIN.hostOpenFlags(dev.jlx.abi.OpenFlags.O_NONBLOCK));
        assertEquals(0x8, DARWIN.hostOpenFlags(dev.jlx.abi.OpenFlags.O_APPEND));
        assertEquals(0x40, DARWIN.hostOpenFlags(dev.jlx.abi.OpenFlags.O_ASYNC));
        assertEquals(0x800, DARWIN.hostOpenFlags(dev.jlx.abi.OpenFlags.O_EXCL));
        assertEquals(0x400, DARWIN.hostOpenFlags(dev.jlx.abi.OpenFlags.O_TRUNC));
        assertEquals(-2, DARWIN.atFdcwd());
        assertEquals(0x20, DARWIN.atSymlinkNofollow());
    }

    /** A struct stat as stat$INODE64 (or arm64's stat) fills it, per __DARWIN_STRUCT_STAT64. */
    @Test
    void statOfSysStatH() {
        assertEquals(144, StatLayout.DARWIN.size());
        Pointer b = buffer(144);
        b.putInt(0, 1 << 24 | 5); // st_dev: major 1, minor 5
        b.putShort(4, (short) 0100644); // st_mode
        b.putShort(6, (short) 3); // st_nlink
        b.putLong(8, 0x1_2345_6789L); // st_ino, 64 bits
        b.putInt(16, 501); // st_uid
        b.putInt(20, 20); // st_gid
        b.putInt(24, 16 << 24 | 2); // st_rdev: major 16, minor 2
        b.putLong(32, 1_700_000_001L); // st_atimespec
        b.putLong(40, 11);
        b.putLong(48, 1_700_000_002L); // st_mtimespec
        b.putLong(56, 22);
        b.putLong(64, 1_700_000_003L); // st_ctimespec
        b.putLong(72, 33);
        b.putLong(80, 1_600_000_000L); // st_birthtimespec
        b.putLong(88, 44);
        b.putLong(96, 12345); // st_size
        b.putLong(104, 32); // st_blocks
        b.putInt(112, 4096); // st_blksize
        b.putInt(116, 0x2); // st_flags (UF_IMMUTABLE): not part of HostStat
        HostStat s = StatLayout.DARWIN.read(b, DARWIN);
        assertEquals(new HostStat(0x105, 0x1_2345_6789L, FileMode.S_IFREG | 0644, 3, 501, 20, 0x1002, 12345, 4096, 32,
                1_700_000_001L, 11, 1_700_000_002L, 22, 1_700_000_003L, 33, 1_600_000_000L, 44), s);
        assertTrue(s.hasBtime(), "macOS keeps the birth time");
        b.putShort(4, (short) 0160644); // S_IFWHT has no Linux type
        assertEquals(0644, StatLayout.DARWIN.read(b, DARWIN).mode());
        b.putShort(6, (short) 0xffff);
        assertEquals(65535, StatLayout.DARWIN.read(b, DARWIN).nlink(), "nlink_t is unsigned");
    }

    /** dev_t (sys/types.h): major = bits 24-31, minor = bits 0-23; Linux's encoding is glibc's makedev. */
    @Test
    void devTOfSysTypesH() {
        assertEquals(StatLayout.makedev(1, 5), StatLayout.linuxDevOfDarwin(0x01000005));
        assertEquals(0x105, StatLayout.linuxDevOfDarwin(0x01000005));
        // A minor wider than Linux's first 8 bits goes to bits 20-31 and 12..; a major of 255 stays in bits 8-19.
        long dev = StatLayout.linuxDevOfDarwin(0xff_abcdef);
        assertEquals(255, (int) ((dev >>> 8) & 0xfff | (dev >>> 32) & ~0xfff), "major");
        assertEquals(0xabcdef, (int) (dev & 0xff | (dev >>> 12) & ~0xff), "minor");
        assertEquals(0, StatLayout.linuxDevOfDarwin(0));
        assertEquals(StatLayout.makedev(255, 0xffffff), StatLayout.linuxDevOfDarwin(-1), "dev_t is signed: -1 is NODEV");
    }

    /** struct dirent with 64-bit inodes (sys/dirent.h): ino 0, seekoff 8, reclen 16, namlen 18, type 20, name 21. */
    @Test
    void direntOfSysDirentH() {
        assertEquals(21, DARWIN.direntNameOffset());
        assertEquals(20, DARWIN.direntTypeOffset());
        // DT_* = S_IF* >> 12 on macOS as on Linux: DT_FIFO 1, DT_CHR 2, DT_DIR 4, DT_BLK 6, DT_REG 8, DT_LNK 10, DT_SOCK 12.
        int[][] types = {{1, FileMode.S_IFIFO}, {2, FileMode.S_IFCHR}, {4, FileMode.S_IFDIR}, {6, FileMode.S_IFBLK},
                {8, FileMode.S_IFREG}, {10, FileMode.S_IFLNK}, {12, FileMode.S_IFSOCK}};
        for (int[] t : types) {
            assertEquals(t[1], DARWIN.linuxTypeOfDirent((byte) t[0]), "DT " + t[0]);
        }
        assertEquals(-1, DARWIN.linuxTypeOfDirent((byte) 0), "DT_UNKNOWN");
    }

    /** Intel macOS binds the 64-bit-inode functions by their $INODE64 names; arm64 has only those, unsuffixed. */
    @Test
    void symbolsOfSysCdefsH() {
        Map<String, String> intel = NativePosix.darwinSymbols(true);
        for (String f : new String[] {"stat", "lstat", "fstat", "statfs", "fstatfs", "opendir", "readdir"}) {
            assertEquals(f + "$INODE64", intel.get(f), f);
        }
        assertEquals("select$DARWIN_EXTSN", intel.get("select"));
        assertEquals(Map.of("select", "select$DARWIN_EXTSN"), NativePosix.darwinSymbols(false));
        assertFalse(intel.containsKey("closedir"), "closedir has one layout-free symbol");
    }

    /** A tty's termios as macOS's stty shows it by default, in Linux's terms (Linux's stty defaults). */
    @Test
    void termiosOfSysTermiosH() {
        Pointer t = buffer(DarwinTermios.SIZE);
        t.putLong(0, 0x100 | 0x200 | 0x2000 | 0x4000); // ICRNL IXON IMAXBEL IUTF8
        t.putLong(8, 0x1 | 0x2); // OPOST ONLCR
        t.putLong(16, 0x800 | 0x300 | 0x4000); // CREAD CS8 HUPCL
        t.putLong(24, 0x1 | 0x2 | 0x8 | 0x40 | 0x80 | 0x100 | 0x400 | 0x20000000); // ECHOKE ECHOE ECHO ECHOCTL ISIG ICANON IEXTEN PENDIN
        byte[] cc = {4, (byte) 0xff, (byte) 0xff, 0x7f, 0x17, 0x15, 0x12, 0, 3, 0x1c, 0x1a, 0x19, 0x11, 0x13, 0x16, 0x0f,
                1, 0, 0x14, 0};
        t.put(32, cc, 0, cc.length);
        t.putLong(56, 38400);
        t.putLong(64, 38400);
        Termios linux = DarwinTermios.read(t);
        assertEquals(0400 | 02000 | 020000 | 040000, linux.iflag());
        assertEquals(01 | 04, linux.oflag());
        assertEquals(0200 | 060 | 02000 | 017, linux.cflag());
        assertEquals(04000 | 020 | 010 | 01000 | 01 | 02 | 0100000 | 040000, linux.lflag());
        assertEquals(0, linux.line());
        // Linux's c_cc: VINTR VQUIT VERASE VKILL VEOF VTIME VMIN VSWTC VSTART VSTOP VSUSP VEOL VREPRINT VDISCARD VWERASE VLNEXT VEOL2.
        // Then two unused slots (NCCS 19).
        byte[] expected = {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0};
        assertArrayEquals(expected, linux.cc());
        t.putLong(24, 0x8 | 0x80000000L); // ECHO NOFLSH (bit 31: tcflag_t is unsigned long)
        t.putLong(16, 0x200 | 0x30000 | 0x1000 | 0x2000 | 0x400 | 0x8000); // CS7 CRTSCTS PARENB PARODD CSTOPB CLOCAL
        t.putLong(8, 0x1 | 0x4 | 0x10); // OPOST OXTABS OCRNL
        t.putLong(56, 9600);
        t.putLong(64, 115200);
        linux = DarwinTermios.read(t);
        assertEquals(010 | 0200, linux.lflag());
        assertEquals(040 | 020000000000 | 0400 | 01000 | 0100 | 04000 | 010002 | 015 << 16, linux.cflag());
        assertEquals(01 | 014000 | 010, linux.oflag());
        assertEquals(010000, DarwinTermios.speedCode(7200), "a rate Linux has no code for: BOTHER");
    }

    /**
     * Linux's settings written over macOS's: what both name takes Linux's value, what macOS alone has
     * (ALTWERASE, NOKERNINFO, VSTATUS, CDTR_IFLOW) stays, and reading back gives Linux's settings.
     */
    @Test
    void termiosWrittenOverSysTermiosH() {
        Pointer t = buffer(DarwinTermios.SIZE);
        t.putLong(0, 0x100 | 0x200); // ICRNL IXON
        t.putLong(8, 0x1 | 0x2); // OPOST ONLCR
        t.putLong(16, 0x800 | 0x300 | 0x40000); // CREAD CS8 CDTR_IFLOW
        t.putLong(24, 0x8 | 0x100 | 0x80 | 0x200 | 0x02000000); // ECHO ICANON ISIG ALTWERASE NOKERNINFO
        t.putByte(32 + 18, (byte) 0x14); // VSTATUS ^T
        t.putLong(56, 9600);
        t.putLong(64, 9600);
        // Raw mode as cfmakeraw leaves it, 7 bits with parity, TAB3, VMIN 0 and VTIME 5, VINTR disabled, B115200.
        byte[] cc = {0, 0x1c, 0x7f, 0x15, 4, 5, 0, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0};
        Termios raw = new Termios(0, 014000 | 01, 040 | 0400 | 0200 | 010002, 0, (byte) 0, cc);
        DarwinTermios.write(raw, t);
        assertEquals(0, t.getLong(0));
        assertEquals(0x1 | 0x4, t.getLong(8), "OPOST and TAB3 (OXTABS)");
        assertEquals(0x200 | 0x1000 | 0x800 | 0x40000, t.getLong(16), "CS7 PARENB CREAD, CDTR_IFLOW kept");
        assertEquals(0x200 | 0x02000000, t.getLong(24), "ALTWERASE and NOKERNINFO kept");
        assertEquals((byte) 0xff, t.getByte(32 + 8), "VINTR disabled");
        assertEquals(0, t.getByte(32 + 16), "VMIN 0 is a count");
        assertEquals(5, t.getByte(32 + 17), "VTIME");
        assertEquals(0x14, t.getByte(32 + 18), "VSTATUS kept");
        assertEquals(115200, t.getLong(56));
        assertEquals(115200, t.getLong(64));
        Termios back = DarwinTermios.read(t);
        assertEquals(raw.iflag(), back.iflag());
        assertEquals(raw.oflag(), back.oflag());
        assertEquals(raw.cflag(), back.cflag());
        assertEquals(raw.lflag(), back.lflag());
        byte[] expected = cc.clone();
        expected[7] = 0; // VSWTC: macOS has none
        assertArrayEquals(expected, back.cc());
    }

    /** No two macOS names land on one Linux bit. */
    @Test
    void termiosTablesAreOneToOne() {
        for (long[][] table : new long[][][] {DarwinTermios.IFLAG, DarwinTermios.OFLAG, DarwinTermios.CFLAG,
                DarwinTermios.LFLAG}) {
            Set<Long> darwin = new HashSet<>();
            Set<Long> linux = new HashSet<>();
            for (long[] pair : table) {
                assertTrue(darwin.add(pair[0]) && linux.add(pair[1]), Long.toHexString(pair[0]));
            }
        }
        Set<Integer> seen = new HashSet<>();
        for (int i : DarwinTermios.LINUX_CC_INDEX) {
            assertTrue(i < 0 || (seen.add(i) && i < dev.jlx.abi.struct.Termios.NCCS));
        }
    }

    /** fstore_t (sys/fcntl.h) for F_PREALLOCATE (42) from the physical end of file (F_PEOFPOSMODE 3). */
    @Test
    void fstoreOfSysFcntlH() {
        assertEquals(42, PosixFile.F_PREALLOCATE);
        assertEquals(0x2, PosixFile.F_ALLOCATECONTIG);
        assertEquals(0x4, PosixFile.F_ALLOCATEALL);
        assertEquals(3, PosixFile.F_PEOFPOSMODE);
        Pointer store = PosixFile.fstore(RUNTIME, PosixFile.F_ALLOCATEALL, 1 << 20);
        assertEquals(32, store.size());
        assertEquals(0x4, store.getInt(0), "fst_flags");
        assertEquals(3, store.getInt(4), "fst_posmode");
        assertEquals(0, store.getLong(8), "fst_offset: 0 in F_PEOFPOSMODE, else EINVAL");
        assertEquals(1 << 20, store.getLong(16), "fst_length");
        assertEquals(0, store.getLong(24), "fst_bytesalloc");
    }

    /** sys/xattr.h: XATTR_NOFOLLOW 1, XATTR_CREATE 2, XATTR_REPLACE 4 (Linux's CREATE 1, REPLACE 2). */
    @Test
    void xattrFlagsOfSysXattrH() throws Exception {
        assertEquals(1, PosixBackend.DARWIN_XATTR_NOFOLLOW);
        assertEquals(0, PosixBackend.darwinXattrFlags(0));
        assertEquals(2, PosixBackend.darwinXattrFlags(1));
        assertEquals(4, PosixBackend.darwinXattrFlags(2));
        assertEquals(6, PosixBackend.darwinXattrFlags(3));
        assertEquals(Errno.EINVAL,
                assertThrows(ErrnoException.class, () -> PosixBackend.darwinXattrFlags(4)).errno());
    }

    /**
     * fd_set: macOS's __DARWIN_FD_SET sets bit fd % 32 of the int32 word fd / 32, glibc bit fd % 64
     * of the long word fd / 64; FdSet's bytes are both. 1024 descriptors (FD_SETSIZE) take 128 bytes.
     */
    @Test
    void fdSetOfSysTypesFdDefH() {
        assertEquals(128, FdSet.size(1023));
        assertEquals(8, FdSet.size(0));
        assertEquals(16, FdSet.size(64));
        for (int fd : new int[] {0, 7, 31, 33, 63, 64, 1000, 2049}) {
            Pointer set = buffer(FdSet.size(fd));
            FdSet.set(set, fd);
            byte[] bytes = new byte[FdSet.size(fd)];
            set.get(0, bytes, 0, bytes.length);
            ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(1 << (fd % 32), le.getInt(fd / 32 * 4), "macOS word of fd " + fd);
            assertEquals(1L << (fd % 64), le.getLong(fd / 64 * 8), "glibc word of fd " + fd);
            assertTrue(FdSet.isSet(set, fd));
            assertFalse(FdSet.isSet(set, fd ^ 1));
        }
    }
}
