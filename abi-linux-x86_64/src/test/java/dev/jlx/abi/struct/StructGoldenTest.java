package dev.jlx.abi.struct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jlx.abi.CloneFlags;
import dev.jlx.abi.Poll;
import dev.jlx.abi.Signals;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Each struct encodes to exactly the bytes the real headers give for the same values. The expected
 * bytes and the offsets were printed by src/test/c/structs.c with signal_structs.c (gcc on x86-64 Linux,
 * kernel 6.1 headers).
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
    void timex() {
        // Offsets as offsetof(struct __kernel_timex, ...) prints them (linux/timex.h, gcc on x86-64).
        assertEquals(208, Timex.SIZE);
        assertEquals(40, Timex.STATUS);
        assertEquals(72, Timex.TIME);
        assertEquals(112, Timex.SHIFT);
        assertEquals(160, Timex.TAI);
        Timex t = new Timex(0x2001, -2, 3, 4, 5, 0x40, 7, 1, 32768000, 1700000000, 999999, 10000, 13, 14, 15, 16, 17,
                18, 19, 20, 37);
        ByteBuffer b = ByteBuffer.allocate(Timex.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        t.writeTo(b, 0);
        assertEquals(-2, b.getLong(8));
        assertEquals(999999, b.getLong(80));
        assertEquals(37, b.getInt(160));
        assertEquals(t, Timex.readFrom(b, 0));
    }

    @Test
    void iocb() {
        // Offsets as offsetof(struct iocb, ...) prints them (linux/aio_abi.h, gcc on x86-64).
        ByteBuffer b = ByteBuffer.allocate(Iocb.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 0x1122334455667788L).putInt(8, 3).putInt(12, 2).putShort(16, (short) 7).putShort(18, (short) -2)
                .putInt(20, 5).putLong(24, 0x1000).putLong(32, 2).putLong(40, 4096).putLong(48, 0).putInt(56, 1)
                .putInt(60, 9);
        assertEquals(new Iocb(0x1122334455667788L, 3, 2, 7, (short) -2, 5, 0x1000, 2, 4096, 0, 1, 9), Iocb.readFrom(b, 0));
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
    void fOwnerEx() {
        String golden = "0200000087d61200";
        assertArrayEquals(hex(golden), encode(FOwnerEx.SIZE, new FOwnerEx(2, 1234567)::writeTo));
        assertEquals(new FOwnerEx(2, 1234567), FOwnerEx.readFrom(le(golden), 0));
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
    void termios2() {
        String golden = "0005000005000000bf0000003b8a0000000102030405060708090a0b0c0d0e0f101112130096000002c20100";
        byte[] cc = new byte[Termios.NCCS];
        for (int i = 0; i < cc.length; i++) {
            cc[i] = (byte) (i + 1);
        }
        Termios2 t = new Termios2(new Termios(0x500, 0x5, 0xbf, 0x8a3b, (byte) 0, cc), 38400, 115202);
        assertArrayEquals(hex(golden), encode(Termios2.SIZE, t::writeTo));
        Termios2 back = Termios2.readFrom(le(golden), 0);
        assertEquals(115202, back.ospeed());
        assertEquals(38400, back.ispeed());
    }

    @Test
    void termio() {
        String golden = "00050500bf003b8a00030102030405060700";
        byte[] cc = {3, 1, 2, 3, 4, 5, 6, 7};
        Termio t = new Termio(0x500, 0x5, 0xbf, 0x8a3b, (byte) 0, cc);
        assertArrayEquals(hex(golden), encode(Termio.SIZE, t::writeTo));
        Termio back = Termio.readFrom(le(golden), 0);
        assertEquals(0x8a3b, back.lflag());
        assertArrayEquals(cc, back.cc());
    }

    @Test
    void winsizeBack() {
        assertEquals(new Winsize(24, 80, 640, 480), Winsize.readFrom(le("180050008002e001"), 0));
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
    void siginfo() {
        assertArrayEquals(hex("1100000000000000010000000000000092100000e8030000030000000000000005000000000000000600000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"),
                encode(Siginfo.SIZE, new Siginfo(17, 0, Signals.CLD_EXITED, new Siginfo.Child(4242, 1000, 3, 5, 6))::writeTo));
        assertArrayEquals(hex("0f00000000000000faffffff000000004d000000e9030000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"),
                encode(Siginfo.SIZE, Siginfo.kill(15, Signals.SI_TKILL, 77, 1001)::writeTo));
        assertArrayEquals(hex("0b00000000000000020000000000000078563412ff7f0000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000"),
                encode(Siginfo.SIZE, new Siginfo(11, 0, 2, new Siginfo.Fault(0x7fff12345678L))::writeTo));
    }

    @Test
    void siginfoTimer() {
        // _timer: si_tid at 16, si_overrun at 20, si_value at 24 (SI_TIMER is -2).
        assertArrayEquals(hex("0e00000000000000feffffff0000000003000000070000002a00000000000000" + "00".repeat(96)),
                encode(Siginfo.SIZE, new Siginfo(14, 0, Signals.SI_TIMER, new Siginfo.Timer(3, 7, 42))::writeTo));
    }

    @Test
    void sigevent() {
        // sigev_value, sigev_signo, sigev_notify, then the union whose first int is sigev_notify_thread_id.
        String golden = "2a000000000000000a0000000400000039300000" + "00".repeat(44);
        Sigevent e = new Sigevent(42, 10, Signals.SIGEV_THREAD_ID, 12345);
        assertEquals(e, Sigevent.readFrom(le(golden), 0));
        assertArrayEquals(hex(golden), encode(Sigevent.SIZE, e::writeTo));
    }

    /** The IPC structs: golden bytes printed from the kernel's headers (asm/shmbuf.h, asm/sembuf.h, asm/msgbuf.h, linux/mqueue.h). */
    @Test
    void ipcStructs() {
        IpcPerm perm = new IpcPerm(0x11223344, 1000, 1001, 1002, 1003, 01600, 7);
        String shm = "44332211e8030000e9030000ea030000eb03000080030000070000000000000000000000000000000000000000000000"
                + "102700000000000000f153650000000001f153650000000002f15365000000002a0000002b000000"
                + "030000000000000000000000000000000000000000000000";
        ShmidDs s = new ShmidDs(perm, 10000, 1700000000, 1700000001, 1700000002, 42, 43, 3);
        assertArrayEquals(hex(shm), encode(ShmidDs.SIZE, s::writeTo));
        assertEquals(s, ShmidDs.readFrom(le(shm), 0));
        String sem = "44332211e8030000e9030000ea030000eb03000080030000070000000000000000000000000000000000000000000000"
                + "0500000000000000000000000000000006000000000000000000000000000000040000000000000000000000000000000000000000000000";
        assertArrayEquals(hex(sem), encode(SemidDs.SIZE, new SemidDs(perm, 5, 6, 4)::writeTo));
        String msq = "44332211e8030000e9030000ea030000eb03000080030000070000000000000000000000000000000000000000000000"
                + "010000000000000002000000000000000300000000000000"
                + "1d0000000000000005000000000000000040000000000000080000000900000000000000000000000000000000000000";
        MsqidDs q = new MsqidDs(perm, 1, 2, 3, 29, 5, 16384, 8, 9);
        assertArrayEquals(hex(msq), encode(MsqidDs.SIZE, q::writeTo));
        assertEquals(q, MsqidDs.readFrom(le(msq), 0));
        String mq = "00080000000000000a0000000000000000200000000000000200000000000000" + "00".repeat(32);
        MqAttr a = new MqAttr(04000, 10, 8192, 2);
        assertArrayEquals(hex(mq), encode(MqAttr.SIZE, a::writeTo));
        assertEquals(a, MqAttr.readFrom(le(mq), 0));
        assertEquals(new Sembuf(3, -1, 0x1800), Sembuf.readFrom(le("0300ffff0018"), 0));
    }

    @Test
    void itimerspec() {
        String golden = "0100000000000000020000000000000003000000000000000400000000000000";
        Itimerspec i = new Itimerspec(new Timespec(1, 2), new Timespec(3, 4));
        assertArrayEquals(hex(golden), encode(Itimerspec.SIZE, i::writeTo));
        assertEquals(i, Itimerspec.readFrom(le(golden), 0));
    }

    @Test
    void siginfoClearsWhatTheUnionMemberDoesNotReach() {
        ByteBuffer b = ByteBuffer.allocate(Siginfo.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        new Siginfo(17, 0, 1, new Siginfo.Child(1, 2, 3, 4, 5)).writeTo(b, 0);
        Siginfo.kill(15, 0, 6, 7).writeTo(b, 0);
        assertEquals(0, b.getInt(Siginfo.SI_STATUS));
        assertEquals(0, b.getLong(Siginfo.SI_UTIME));
    }

    @Test
    void cloneArgs() {
        String golden = "0000200000000000111100000000000000100000007f000000200000007f0000110000000000000000001000007f0000"
                + "000001000000000000300000007f000000400000007f000002000000000000000900000000000000";
        CloneArgs all = new CloneArgs(0x200000, 0x1111, 0x7f0000001000L, 0x7f0000002000L, 17, 0x7f0000100000L, 0x10000,
                0x7f0000003000L, 0x7f0000004000L, 2, 9);
        assertEquals(all, CloneArgs.readFrom(le(golden), 0, CloneArgs.SIZE));
        // Version 0 (64 bytes): set_tid, set_tid_size and cgroup read as zero, whatever follows in memory.
        assertEquals(new CloneArgs(0x200000, 0x1111, 0x7f0000001000L, 0x7f0000002000L, 17, 0x7f0000100000L, 0x10000,
                0x7f0000003000L, 0, 0, 0), CloneArgs.readFrom(le(golden), 0, CloneFlags.CLONE_ARGS_SIZE_VER0));
    }

    @Test
    void sigaltstack() {
        String golden = "00002000007f000001000080000000000080000000000000";
        Sigaltstack ss = new Sigaltstack(0x7f0000200000L, Signals.SS_AUTODISARM | Signals.SS_ONSTACK, 0x8000);
        assertArrayEquals(hex(golden), encode(Sigaltstack.SIZE, ss::writeTo));
        assertEquals(ss, Sigaltstack.readFrom(le(golden), 0));
    }

    @Test
    void epollEvent() {
        String golden = "010000800807060504030201";
        EpollEvent ev = new EpollEvent(0x80000001, 0x0102030405060708L);
        assertArrayEquals(hex(golden), encode(EpollEvent.SIZE, ev::writeTo));
        assertEquals(ev, EpollEvent.readFrom(le(golden), 0));
    }

    @Test
    void pollfd() {
        String golden = "0700000003001000";
        Pollfd p = new Pollfd(7, (short) (Poll.POLLIN | Poll.POLLPRI), (short) Poll.POLLHUP);
        assertArrayEquals(hex(golden), encode(Pollfd.SIZE, p::writeTo));
        assertEquals(p, Pollfd.readFrom(le(golden), 0));
    }

    @Test
    void msghdr() {
        Msghdr m = new Msghdr(0x1122334455667788L, 110, 0x7fff0000L, 2, 0x7ffe0000L, 24, 0x40000000);
        String golden = "8877665544332211" + "6e000000" + "00000000" + "0000ff7f00000000" + "0200000000000000"
                + "0000fe7f00000000" + "1800000000000000" + "00000040" + "00000000";
        assertArrayEquals(hex(golden), encode(Msghdr.SIZE, m::writeTo));
        assertEquals(m, Msghdr.readFrom(le(golden), 0));
        assertEquals(56, Msghdr.SIZE);
        assertEquals(48, Msghdr.MSG_FLAGS);
        assertEquals(64, Mmsghdr.SIZE);
        assertEquals(56, Mmsghdr.MSG_LEN);
    }

    @Test
    void cmsghdrAndItsMacros() {
        Cmsghdr c = new Cmsghdr(20, 1, 1);
        String golden = "1400000000000000" + "01000000" + "01000000";
        assertArrayEquals(hex(golden), encode(Cmsghdr.SIZE, c::writeTo));
        assertEquals(c, Cmsghdr.readFrom(le(golden), 0));
        assertEquals(20, Cmsghdr.len(4));
        assertEquals(32, Cmsghdr.space(12));
        assertEquals(24, Cmsghdr.space(4));
    }

    @Test
    void ucredAndLinger() {
        Ucred u = new Ucred(1234, 1000, -1);
        String golden = "d2040000" + "e8030000" + "ffffffff";
        assertArrayEquals(hex(golden), encode(Ucred.SIZE, u::writeTo));
        assertEquals(u, Ucred.readFrom(le(golden), 0));
        Linger l = new Linger(1, 7);
        assertArrayEquals(hex("0100000007000000"), encode(Linger.SIZE, l::writeTo));
        assertEquals(l, Linger.readFrom(le("0100000007000000"), 0));
    }

    @Test
    void itimerval() {
        String golden = "010000000000000020a107000000000002000000000000003f420f0000000000";
        Itimerval it = new Itimerval(new Timeval(1, 500000), new Timeval(2, 999999));
        assertArrayEquals(hex(golden), encode(Itimerval.SIZE, it::writeTo));
        assertEquals(it, Itimerval.readFrom(le(golden), 0));
    }

    @Test
    void utimbuf() {
        assertEquals(new Utimbuf(1700000000, 1700000001), Utimbuf.readFrom(le("00f153650000000001f1536500000000"), 0));
    }

    @Test
    void sigsetArgpack() {
        assertEquals(new SigsetArgpack(0x7ffd0000L, 8), SigsetArgpack.readFrom(le("0000fd7f000000000800000000000000"), 0));
    }

    /** The values structs.c's sigcontext_fill puts in each general register, r8 first. */
    private static Sigcontext filledSigcontext() {
        long[] gregs = new long[Sigcontext.GREGS];
        for (int i = 0; i < gregs.length; i++) {
            gregs[i] = 0x1000000000000000L * (i % 8) + 0x101L * (i + 1);
        }
        return new Sigcontext(gregs, (short) 0x33, (short) 1, (short) 2, (short) 0x2b, 4, 14, 0x8001, 0xdead000,
                0x7ffc0000L);
    }

    @Test
    void sigcontext() {
        String golden = "010100000000000002020000000000100303000000000020040400000000003005050000000000400606000000000050"
                + "0707000000000060080800000000007009090000000000000a0a0000000000100b0b0000000000200c0c000000000030"
                + "0d0d0000000000400e0e0000000000500f0f000000000060101000000000007011110000000000001212000000000010"
                + "3300010002002b0004000000000000000e00000000000000018000000000000000d0ea0d000000000000fc7f00000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000";
        Sigcontext sc = filledSigcontext();
        assertArrayEquals(hex(golden), encode(Sigcontext.SIZE, sc::writeTo));
        Sigcontext back = Sigcontext.readFrom(le(golden), 0);
        assertArrayEquals(sc.gregs(), back.gregs());
        assertEquals(0x2b, back.ss());
        assertEquals(0x8001, back.oldmask());
        assertEquals(0x7ffc0000L, back.fpstate());
    }

    @Test
    void rtSigframe() {
        String golden = "34124000000000000600000000000000000000000000000000002000007f000002000000000000000000000000000000"
                + "010100000000000002020000000000100303000000000020040400000000003005050000000000400606000000000050"
                + "0707000000000060080800000000007009090000000000000a0a0000000000100b0b0000000000200c0c000000000030"
                + "0d0d0000000000400e0e0000000000500f0f000000000060101000000000007011110000000000001212000000000010"
                + "3300010002002b0004000000000000000e00000000000000018000000000000000d0ea0d000000000000fc7f00000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000002000100000000000a00000000000000000000000000000009000000e8030000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000";
        Ucontext uc = new Ucontext(Ucontext.UC_SIGCONTEXT_SS | Ucontext.UC_STRICT_RESTORE_SS, 0,
                new Sigaltstack(0x7f0000200000L, Signals.SS_DISABLE, 0), filledSigcontext(), 0x10002);
        RtSigframe f = new RtSigframe(0x401234, uc, Siginfo.kill(10, Signals.SI_USER, 9, 1000));
        assertArrayEquals(hex(golden), encode(RtSigframe.SIZE, f::writeTo));
        Ucontext back = Ucontext.readFrom(le(golden), RtSigframe.UC);
        assertEquals(uc.flags(), back.flags());
        assertEquals(uc.stack(), back.stack());
        assertArrayEquals(uc.mcontext().gregs(), back.mcontext().gregs());
        assertEquals(0x7ffc0000L, back.mcontext().fpstate());
        assertEquals(0x10002, back.sigmask());
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
        assertEquals(128, Siginfo.SIZE);
        assertEquals(0, Siginfo.SI_SIGNO);
        assertEquals(4, Siginfo.SI_ERRNO);
        assertEquals(8, Siginfo.SI_CODE);
        assertEquals(16, Siginfo.SI_PID);
        assertEquals(20, Siginfo.SI_UID);
        assertEquals(24, Siginfo.SI_STATUS);
        assertEquals(32, Siginfo.SI_UTIME);
        assertEquals(40, Siginfo.SI_STIME);
        assertEquals(16, Siginfo.SI_ADDR);
        assertEquals(24, Siginfo.SI_VALUE);
        assertEquals(16, Siginfo.SI_TID);
        assertEquals(20, Siginfo.SI_OVERRUN);
        assertEquals(16, Siginfo.SI_BAND);
        assertEquals(24, Siginfo.SI_FD);
        assertEquals(88, CloneArgs.SIZE);
        assertEquals(0, CloneArgs.FLAGS);
        assertEquals(8, CloneArgs.PIDFD);
        assertEquals(16, CloneArgs.CHILD_TID);
        assertEquals(24, CloneArgs.PARENT_TID);
        assertEquals(32, CloneArgs.EXIT_SIGNAL);
        assertEquals(40, CloneArgs.STACK);
        assertEquals(48, CloneArgs.STACK_SIZE);
        assertEquals(56, CloneArgs.TLS);
        assertEquals(64, CloneArgs.SET_TID);
        assertEquals(72, CloneArgs.SET_TID_SIZE);
        assertEquals(80, CloneArgs.CGROUP);
        assertEquals(64, CloneFlags.CLONE_ARGS_SIZE_VER0);
        assertEquals(80, CloneFlags.CLONE_ARGS_SIZE_VER1);
        assertEquals(88, CloneFlags.CLONE_ARGS_SIZE_VER2);
        assertEquals(24, Sigaltstack.SIZE);
        assertEquals(0, Sigaltstack.SS_SP);
        assertEquals(8, Sigaltstack.SS_FLAGS);
        assertEquals(16, Sigaltstack.SS_SIZE);
        assertEquals(12, EpollEvent.SIZE);
        assertEquals(0, EpollEvent.EVENTS);
        assertEquals(4, EpollEvent.DATA);
        assertEquals(8, Pollfd.SIZE);
        assertEquals(0, Pollfd.FD);
        assertEquals(4, Pollfd.EVENTS);
        assertEquals(6, Pollfd.REVENTS);
        assertEquals(32, Itimerval.SIZE);
        assertEquals(0, Itimerval.IT_INTERVAL);
        assertEquals(16, Itimerval.IT_VALUE);
        assertEquals(16, Utimbuf.SIZE);
        assertEquals(0, Utimbuf.ACTIME);
        assertEquals(8, Utimbuf.MODTIME);
        assertEquals(24, RobustListHead.SIZE);
        assertEquals(0, RobustListHead.LIST);
        assertEquals(8, RobustListHead.FUTEX_OFFSET);
        assertEquals(16, RobustListHead.LIST_OP_PENDING);
        assertEquals(16, SigsetArgpack.SIZE);
        assertEquals(0, SigsetArgpack.P);
        assertEquals(8, SigsetArgpack.SIGSET_SIZE);
        assertEquals(256, Sigcontext.SIZE);
        int[] gregs = {Sigcontext.R8, Sigcontext.R9, Sigcontext.R10, Sigcontext.R11, Sigcontext.R12, Sigcontext.R13,
            Sigcontext.R14, Sigcontext.R15, Sigcontext.RDI, Sigcontext.RSI, Sigcontext.RBP, Sigcontext.RBX,
            Sigcontext.RDX, Sigcontext.RAX, Sigcontext.RCX, Sigcontext.RSP, Sigcontext.RIP, Sigcontext.EFLAGS};
        for (int i = 0; i < gregs.length; i++) {
            assertEquals(8 * i, gregs[i]);
        }
        assertEquals(18, Sigcontext.GREGS);
        assertEquals(144, Sigcontext.CS);
        assertEquals(146, Sigcontext.GS);
        assertEquals(148, Sigcontext.FS);
        assertEquals(150, Sigcontext.SS);
        assertEquals(152, Sigcontext.ERR);
        assertEquals(160, Sigcontext.TRAPNO);
        assertEquals(168, Sigcontext.OLDMASK);
        assertEquals(176, Sigcontext.CR2);
        assertEquals(184, Sigcontext.FPSTATE);
        assertEquals(192, Sigcontext.RESERVED1);
        assertEquals(304, Ucontext.SIZE);
        assertEquals(0, Ucontext.UC_FLAGS);
        assertEquals(8, Ucontext.UC_LINK);
        assertEquals(16, Ucontext.UC_STACK);
        assertEquals(40, Ucontext.UC_MCONTEXT);
        assertEquals(296, Ucontext.UC_SIGMASK);
        assertEquals(1, Ucontext.UC_FP_XSTATE);
        assertEquals(2, Ucontext.UC_SIGCONTEXT_SS);
        assertEquals(4, Ucontext.UC_STRICT_RESTORE_SS);
        assertEquals(440, RtSigframe.SIZE);
        assertEquals(0, RtSigframe.PRETCODE);
        assertEquals(8, RtSigframe.UC);
        assertEquals(312, RtSigframe.INFO);
        assertEquals(512, Fpstate.SIZE);
        assertEquals(0, Fpstate.CWD);
        assertEquals(2, Fpstate.SWD);
        assertEquals(4, Fpstate.TWD);
        assertEquals(6, Fpstate.FOP);
        assertEquals(8, Fpstate.RIP);
        assertEquals(16, Fpstate.RDP);
        assertEquals(24, Fpstate.MXCSR);
        assertEquals(28, Fpstate.MXCSR_MASK);
        assertEquals(32, Fpstate.ST_SPACE);
        assertEquals(160, Fpstate.XMM_SPACE);
        assertEquals(416, Fpstate.RESERVED2);
        assertEquals(464, Fpstate.SW_RESERVED);
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
        assertThrows(IllegalArgumentException.class, () -> Siginfo.kill(1, 0, 0, 0).writeTo(big, 0));
        assertThrows(IllegalArgumentException.class, () -> CloneArgs.readFrom(big, 0, CloneArgs.SIZE));
        assertThrows(IllegalArgumentException.class, () -> EpollEvent.readFrom(big, 0));
        assertThrows(IllegalArgumentException.class, () -> Ucontext.readFrom(big, 0));
    }

    /** x86-64's struct elf_prstatus of a core file's NT_PRSTATUS (glibc's sys/procfs.h, the kernel's layout). */
    @Test
    void elfPrstatus() {
        long[] regs = new long[ElfPrstatus.NREGS];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = 0x1000 + i;
        }
        ElfPrstatus s = new ElfPrstatus(11, 0x102, 0x8000000000000001L, 1234, 1233, 1232, 1231, 3_250_000, 999_999,
                regs, true);
        assertArrayEquals(hex("0b00000000000000000000000b00000002010000000000000100000000000080d2040000d1040000d0040000cf040000"
                + "030000000000000090d003000000000000000000000000003f420f000000000000000000000000000000000000000000"
                + "000000000000000000000000000000000010000000000000011000000000000002100000000000000310000000000000"
                + "041000000000000005100000000000000610000000000000071000000000000008100000000000000910000000000000"
                + "0a100000000000000b100000000000000c100000000000000d100000000000000e100000000000000f10000000000000"
                + "101000000000000011100000000000001210000000000000131000000000000014100000000000001510000000000000"
                + "16100000000000001710000000000000181000000000000019100000000000001a100000000000000100000000000000"), encode(ElfPrstatus.SIZE, s::writeTo));
        assertEquals(112, ElfPrstatus.PR_REG);
        assertEquals(328, ElfPrstatus.PR_FPVALID);
        assertEquals(336, ElfPrstatus.SIZE);
    }

    /** x86-64's struct elf_prpsinfo of a core file's NT_PRPSINFO. */
    @Test
    void elfPrpsinfo() {
        ElfPrpsinfo p = new ElfPrpsinfo(0, (byte) 'R', -5, 0x400200, 1000, 1001, 1234, 1233, 1232, 1231,
                "nested".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "./nested abort".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(hex("005200fb000000000002400000000000e8030000e9030000d2040000d1040000d0040000cf0400006e65737465640000"
                + "00000000000000002e2f6e65737465642061626f72740000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000000000000000000000000000000000000000000000000000000000000"), encode(ElfPrpsinfo.SIZE, p::writeTo));
        assertEquals(40, ElfPrpsinfo.PR_FNAME);
        assertEquals(56, ElfPrpsinfo.PR_PSARGS);
        assertEquals(136, ElfPrpsinfo.SIZE);
    }
}
