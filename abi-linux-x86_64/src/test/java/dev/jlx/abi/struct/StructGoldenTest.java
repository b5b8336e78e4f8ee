package dev.jlx.abi.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Each struct encodes to exactly the bytes the real headers give for the same values. The expected
 * bytes and the offsets were printed by src/test/c/structs.c (gcc on x86-64 Linux, kernel 6.1 headers).
 */
class StructGoldenTest {
    private static byte[] encode(int size, java.util.function.BiConsumer<ByteBuffer, Integer> writer) {
        ByteBuffer b = ByteBuffer.allocate(size + 8).order(ByteOrder.LITTLE_ENDIAN);
        writer.accept(b, 8);
        byte[] out = new byte[size];
        b.get(8, out);
        return out;
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    private static ByteBuffer le(String h) {
        return ByteBuffer.wrap(hex(h)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void stat() {
        Stat s = new Stat(0x0102030405060708L, 0x1112131415161718L, 3, 0100644, 1000, 1001, 0x2122, 0x123456789L, 4096,
                17, 1700000000, 123, 1700000001, 456, 1700000002, 789);
        assertArrayEquals(hex("080706050403020118171615141312110300000000000000a4810000e8030000e9030000000000002221000000000000"
                + "89674523010000000010000000000000110000000000000000f15365000000007b0000000000000001f1536500000000"
                + "c80100000000000002f15365000000001503000000000000000000000000000000000000000000000000000000000000"), encode(Stat.SIZE, s::writeTo));
        assertEquals(24, Stat.ST_MODE);
        assertEquals(40, Stat.ST_RDEV);
        assertEquals(64, Stat.ST_BLOCKS);
        assertEquals(80, Stat.ST_ATIME_NSEC);
        assertEquals(112, Stat.ST_CTIME_NSEC);
        assertEquals(144, Stat.SIZE);
    }

    @Test
    void timespec() {
        String golden = "fbffffffffffffffffc99a3b00000000";
        assertArrayEquals(hex(golden), encode(Timespec.SIZE, new Timespec(-5, 999999999)::writeTo));
        assertEquals(new Timespec(-5, 999999999), Timespec.readFrom(le(golden), 0));
    }

    @Test
    void timeval() {
        String golden = "00f1536500000000f1fb090000000000";
        assertArrayEquals(hex(golden), encode(Timeval.SIZE, new Timeval(1700000000, 654321)::writeTo));
        assertEquals(new Timeval(1700000000, 654321), Timeval.readFrom(le(golden), 0));
    }

    @Test
    void timezone() {
        assertArrayEquals(hex("c4ffffff01000000"), encode(Timezone.SIZE, new Timezone(-60, 1)::writeTo));
    }

    @Test
    void rlimit() {
        String golden = "0000800000000000ffffffffffffffff";
        assertArrayEquals(hex(golden), encode(Rlimit.SIZE, new Rlimit(8388608, -1)::writeTo));
        assertEquals(new Rlimit(8388608, -1), Rlimit.readFrom(le(golden), 0));
    }

    @Test
    void iovec() {
        assertEquals(new Iovec(0x7fff0000L, 42), Iovec.readFrom(le("0000ff7f000000002a00000000000000"), 0));
    }

    @Test
    void kernelSigaction() {
        String golden = "0010400000000000000000140000000034124000000000000180000000000000";
        KernelSigaction sa = new KernelSigaction(0x401000, 0x14000000, 0x401234, 0x8001);
        assertArrayEquals(hex(golden), encode(KernelSigaction.SIZE, sa::writeTo));
        assertEquals(sa, KernelSigaction.readFrom(le(golden), 0));
    }

    @Test
    void winsize() {
        assertArrayEquals(hex("180050008002e001"), encode(Winsize.SIZE, new Winsize(24, 80, 640, 480)::writeTo));
    }

    @Test
    void termios() {
        String golden = "0005000005000000bf0000003b8a0000000102030405060708090a0b0c0d0e0f10111213";
        byte[] cc = new byte[Termios.NCCS];
        for (int i = 0; i < cc.length; i++) {
            cc[i] = (byte) (i + 1);
        }
        Termios t = new Termios(0x500, 0x5, 0xbf, 0x8a3b, (byte) 0, cc);
        assertArrayEquals(hex(golden), encode(Termios.SIZE, t::writeTo));
        Termios back = Termios.readFrom(le(golden), 0);
        assertEquals(0x8a3b, back.lflag());
        assertArrayEquals(cc, back.cc());
    }

    @Test
    void utsname() {
        Utsname u = new Utsname("Linux", "host", "6.1.0", "#1", "x86_64", "(none)");
        assertArrayEquals(hex("4c696e757800000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000686f7374000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000000000000000000000000000000000000000362e312e30000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000233100000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000000000007838365f363400000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000000000000000000000000000000000000000000000286e6f6e65290000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000"), encode(Utsname.SIZE, u::writeTo));
    }

    @Test
    void sysinfo() {
        Sysinfo s = new Sysinfo(100, new long[] {1, 2, 3}, 1L << 30, 1L << 29, 5, 6, 7, 8, 9, 10, 11, 1);
        assertArrayEquals(hex("640000000000000001000000000000000200000000000000030000000000000000000040000000000000002000000000"
                + "050000000000000006000000000000000700000000000000080000000000000009000000000000000a00000000000000"
                + "0b000000000000000100000000000000"), encode(Sysinfo.SIZE, s::writeTo));
    }

    @Test
    void statx() {
        Statx s = new Statx(0x17ff, 4096, 0x100000, 2, 1000, 1001, 040755, 0x1112131415161718L, 0x123456789L, 8,
                0x203074, new StatxTimestamp(1700000000, 1), new StatxTimestamp(-1, 2),
                new StatxTimestamp(1700000002, 3), new StatxTimestamp(1700000003, 999999999), 136, 3, 8, 1, 29, 512,
                4096);
        assertArrayEquals(hex("ff17000000100000000010000000000002000000e8030000e9030000ed41000018171615141312118967452301000000"
                + "0800000000000000743020000000000000f15365000000000100000000000000ffffffffffffffff0200000000000000"
                + "02f1536500000000030000000000000003f1536500000000ffc99a3b0000000088000000030000000800000001000000"
                + "1d0000000000000000020000001000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000"), encode(Statx.SIZE, s::writeTo));
    }

    @Test
    void tms() {
        assertArrayEquals(hex("0b00000000000000160000000000000021000000000000002c00000000000000"),
                encode(Tms.SIZE, new Tms(11, 22, 33, 44)::writeTo));
    }

    @Test
    void rusage() {
        Rusage r = new Rusage(new Timeval(1, 2), new Timeval(3, 4), 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        assertArrayEquals(hex("010000000000000002000000000000000300000000000000040000000000000005000000000000000600000000000000"
                + "0700000000000000080000000000000009000000000000000a000000000000000b000000000000000c00000000000000"
                + "0d000000000000000e000000000000000f00000000000000100000000000000011000000000000001200000000000000"), encode(Rusage.SIZE, r::writeTo));
    }

    @Test
    void utsnameTruncatesTo64BytesAndKeepsTheNul() {
        String longName = "x".repeat(100);
        byte[] out = encode(Utsname.SIZE, new Utsname("Linux", longName, "", "", "", "")::writeTo);
        for (int i = 0; i < Utsname.FIELD - 1; i++) {
            assertEquals('x', out[Utsname.NODENAME + i]);
        }
        assertEquals(0, out[Utsname.NODENAME + Utsname.FIELD - 1]);
        assertEquals(0, out[Utsname.RELEASE]);
    }

    @Test
    void writesAreAbsoluteAndLeaveThePositionAlone() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        new Timespec(1, 2).writeTo(b, 16);
        assertEquals(0, b.position());
        assertEquals(new Timespec(1, 2), Timespec.readFrom(b, 16));
    }

    /** Offsets and sizes as offsetof/sizeof printed them (src/test/c/structs.c). */
    @Test
    void offsetsMatchTheHeaders() {
        assertEquals(32, Rseq.SIZE);
        assertEquals(0, Rseq.CPU_ID_START);
        assertEquals(4, Rseq.CPU_ID);
        assertEquals(8, Rseq.RSEQ_CS);
        assertEquals(16, Rseq.FLAGS);
        assertEquals(32, Rseq.CS_SIZE);
        assertEquals(0, Rseq.CS_VERSION);
        assertEquals(4, Rseq.CS_FLAGS);
        assertEquals(8, Rseq.CS_START_IP);
        assertEquals(16, Rseq.CS_POST_COMMIT_OFFSET);
        assertEquals(24, Rseq.CS_ABORT_IP);
        assertEquals(144, Stat.SIZE);
        assertEquals(0, Stat.ST_DEV);
        assertEquals(8, Stat.ST_INO);
        assertEquals(16, Stat.ST_NLINK);
        assertEquals(24, Stat.ST_MODE);
        assertEquals(28, Stat.ST_UID);
        assertEquals(32, Stat.ST_GID);
        assertEquals(40, Stat.ST_RDEV);
        assertEquals(48, Stat.ST_SIZE);
        assertEquals(56, Stat.ST_BLKSIZE);
        assertEquals(64, Stat.ST_BLOCKS);
        assertEquals(72, Stat.ST_ATIME);
        assertEquals(80, Stat.ST_ATIME_NSEC);
        assertEquals(88, Stat.ST_MTIME);
        assertEquals(96, Stat.ST_MTIME_NSEC);
        assertEquals(104, Stat.ST_CTIME);
        assertEquals(112, Stat.ST_CTIME_NSEC);
        assertEquals(16, Timespec.SIZE);
        assertEquals(0, Timespec.TV_SEC);
        assertEquals(8, Timespec.TV_NSEC);
        assertEquals(16, Timeval.SIZE);
        assertEquals(0, Timeval.TV_SEC);
        assertEquals(8, Timeval.TV_USEC);
        assertEquals(8, Timezone.SIZE);
        assertEquals(0, Timezone.TZ_MINUTESWEST);
        assertEquals(4, Timezone.TZ_DSTTIME);
        assertEquals(16, Rlimit.SIZE);
        assertEquals(0, Rlimit.RLIM_CUR);
        assertEquals(8, Rlimit.RLIM_MAX);
        assertEquals(16, Iovec.SIZE);
        assertEquals(0, Iovec.IOV_BASE);
        assertEquals(8, Iovec.IOV_LEN);
        assertEquals(32, KernelSigaction.SIZE);
        assertEquals(0, KernelSigaction.SA_HANDLER);
        assertEquals(8, KernelSigaction.SA_FLAGS);
        assertEquals(16, KernelSigaction.SA_RESTORER);
        assertEquals(24, KernelSigaction.SA_MASK);
        assertEquals(8, Winsize.SIZE);
        assertEquals(0, Winsize.WS_ROW);
        assertEquals(2, Winsize.WS_COL);
        assertEquals(4, Winsize.WS_XPIXEL);
        assertEquals(6, Winsize.WS_YPIXEL);
        assertEquals(36, Termios.SIZE);
        assertEquals(0, Termios.C_IFLAG);
        assertEquals(4, Termios.C_OFLAG);
        assertEquals(8, Termios.C_CFLAG);
        assertEquals(12, Termios.C_LFLAG);
        assertEquals(16, Termios.C_LINE);
        assertEquals(17, Termios.C_CC);
        assertEquals(390, Utsname.SIZE);
        assertEquals(0, Utsname.SYSNAME);
        assertEquals(65, Utsname.NODENAME);
        assertEquals(130, Utsname.RELEASE);
        assertEquals(195, Utsname.VERSION);
        assertEquals(260, Utsname.MACHINE);
        assertEquals(325, Utsname.DOMAINNAME);
        assertEquals(112, Sysinfo.SIZE);
        assertEquals(0, Sysinfo.UPTIME);
        assertEquals(8, Sysinfo.LOADS);
        assertEquals(32, Sysinfo.TOTALRAM);
        assertEquals(40, Sysinfo.FREERAM);
        assertEquals(48, Sysinfo.SHAREDRAM);
        assertEquals(56, Sysinfo.BUFFERRAM);
        assertEquals(64, Sysinfo.TOTALSWAP);
        assertEquals(72, Sysinfo.FREESWAP);
        assertEquals(80, Sysinfo.PROCS);
        assertEquals(82, Sysinfo.PAD);
        assertEquals(88, Sysinfo.TOTALHIGH);
        assertEquals(96, Sysinfo.FREEHIGH);
        assertEquals(104, Sysinfo.MEM_UNIT);
        assertEquals(16, StatxTimestamp.SIZE);
        assertEquals(0, StatxTimestamp.TV_SEC);
        assertEquals(8, StatxTimestamp.TV_NSEC);
        assertEquals(256, Statx.SIZE);
        assertEquals(0, Statx.STX_MASK);
        assertEquals(4, Statx.STX_BLKSIZE);
        assertEquals(8, Statx.STX_ATTRIBUTES);
        assertEquals(16, Statx.STX_NLINK);
        assertEquals(20, Statx.STX_UID);
        assertEquals(24, Statx.STX_GID);
        assertEquals(28, Statx.STX_MODE);
        assertEquals(32, Statx.STX_INO);
        assertEquals(40, Statx.STX_SIZE);
        assertEquals(48, Statx.STX_BLOCKS);
        assertEquals(56, Statx.STX_ATTRIBUTES_MASK);
        assertEquals(64, Statx.STX_ATIME);
        assertEquals(80, Statx.STX_BTIME);
        assertEquals(96, Statx.STX_CTIME);
        assertEquals(112, Statx.STX_MTIME);
        assertEquals(128, Statx.STX_RDEV_MAJOR);
        assertEquals(132, Statx.STX_RDEV_MINOR);
        assertEquals(136, Statx.STX_DEV_MAJOR);
        assertEquals(140, Statx.STX_DEV_MINOR);
        assertEquals(144, Statx.STX_MNT_ID);
        assertEquals(152, Statx.STX_DIO_MEM_ALIGN);
        assertEquals(156, Statx.STX_DIO_OFFSET_ALIGN);
        assertEquals(32, Tms.SIZE);
        assertEquals(0, Tms.TMS_UTIME);
        assertEquals(8, Tms.TMS_STIME);
        assertEquals(16, Tms.TMS_CUTIME);
        assertEquals(24, Tms.TMS_CSTIME);
        assertEquals(144, Rusage.SIZE);
        assertEquals(0, Rusage.RU_UTIME);
        assertEquals(16, Rusage.RU_STIME);
        assertEquals(32, Rusage.RU_MAXRSS);
        assertEquals(40, Rusage.RU_IXRSS);
        assertEquals(48, Rusage.RU_IDRSS);
        assertEquals(56, Rusage.RU_ISRSS);
        assertEquals(64, Rusage.RU_MINFLT);
        assertEquals(72, Rusage.RU_MAJFLT);
        assertEquals(80, Rusage.RU_NSWAP);
        assertEquals(88, Rusage.RU_INBLOCK);
        assertEquals(96, Rusage.RU_OUBLOCK);
        assertEquals(104, Rusage.RU_MSGSND);
        assertEquals(112, Rusage.RU_MSGRCV);
        assertEquals(120, Rusage.RU_NSIGNALS);
        assertEquals(128, Rusage.RU_NVCSW);
        assertEquals(136, Rusage.RU_NIVCSW);
    }

    @Test
    void bigEndianBuffersAreRefused() {
        ByteBuffer big = ByteBuffer.allocate(Statx.SIZE);
        assertThrows(IllegalArgumentException.class, () -> new Timespec(1, 2).writeTo(big, 0));
        assertThrows(IllegalArgumentException.class, () -> Timespec.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> Iovec.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> KernelSigaction.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> Rlimit.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> Termios.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> Timeval.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> new Tms(1, 2, 3, 4).writeTo(big, 0));
        assertThrows(IllegalArgumentException.class, () -> new Winsize(1, 2, 3, 4).writeTo(big, 0));
    }
}
