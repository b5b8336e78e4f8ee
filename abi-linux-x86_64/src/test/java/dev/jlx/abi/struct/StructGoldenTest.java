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
 * bytes were printed by src/test/c/structs.c (gcc on x86-64 Linux, kernel 6.1 headers).
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
    void bigEndianBuffersAreRefused() {
        ByteBuffer big = ByteBuffer.allocate(16);
        assertThrows(IllegalArgumentException.class, () -> new Timespec(1, 2).writeTo(big, 0));
    }
}
