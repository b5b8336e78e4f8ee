package dev.jlx.host.posix;

import dev.jlx.core.host.HostConsole.Termios;
import jnr.ffi.Pointer;

/**
 * macOS's {@code struct termios} ({@code <sys/termios.h>}) read into Linux's
 * ({@code asm-generic/termbits.h}): four 8-byte {@code tcflag_t} words at 0, 8, 16, 24,
 * {@code c_cc[20]} at 32, 8-byte input and output speeds at 56 and 64 (72 bytes). The flag bits,
 * control-character indexes and speeds all differ, so each is translated by name; a macOS bit
 * Linux has no name for is dropped.
 */
final class DarwinTermios {
    private DarwinTermios() {}

    static final int SIZE = 72;
    private static final int NCCS = 20;
    private static final int C_CC = 32;
    private static final int C_ISPEED = 56;
    private static final int C_OSPEED = 64;

    /** {macOS bit, Linux bit} of each c_iflag name both have (IGNBRK ... IUTF8). */
    static final long[][] IFLAG = {
            {0x1, 01}, {0x2, 02}, {0x4, 04}, {0x8, 010}, {0x10, 020}, {0x20, 040}, {0x40, 0100}, {0x80, 0200},
            {0x100, 0400}, {0x200, 02000}, {0x400, 010000}, {0x800, 04000}, {0x2000, 020000}, {0x4000, 040000}};
    /** c_oflag: OPOST, ONLCR, OCRNL, ONOCR, ONLRET, OFILL, OFDEL, and OXTABS as Linux's XTABS (TAB3). */
    static final long[][] OFLAG = {
            {0x1, 01}, {0x2, 04}, {0x10, 010}, {0x20, 020}, {0x40, 040}, {0x80, 0100}, {0x20000, 0200},
            {0x4, 014000}};
    /**
     * c_oflag's delay fields: {macOS mask, {macOS value, Linux value}...}: NLDLY, TABDLY, CRDLY, FFDLY,
     * BSDLY, VTDLY. macOS's TAB3 is OXTABS (0x4, in {@link #OFLAG}), so its TABDLY field here holds TAB1 and TAB2.
     */
    static final long[][] ODELAYS = {
            {0x300, 0x100, 0400},
            {0xc00, 0x400, 04000, 0x800, 010000},
            {0x3000, 0x1000, 01000, 0x2000, 02000, 0x3000, 03000},
            {0x4000, 0x4000, 0100000},
            {0x8000, 0x8000, 020000},
            {0x10000, 0x10000, 040000}};
    /** c_cflag: CSTOPB, CREAD, PARENB, PARODD, HUPCL, CLOCAL; CSIZE (CS5-CS8) and CRTSCTS apart. */
    static final long[][] CFLAG = {{0x400, 0100}, {0x800, 0200}, {0x1000, 0400}, {0x2000, 01000}, {0x4000, 02000},
            {0x8000, 04000}};
    /** c_lflag: ECHOKE, ECHOE, ECHOK, ECHO, ECHONL, ECHOPRT, ECHOCTL, ISIG, ICANON, IEXTEN, EXTPROC, TOSTOP, FLUSHO, PENDIN, NOFLSH. */
    static final long[][] LFLAG = {
            {0x1, 04000}, {0x2, 020}, {0x4, 040}, {0x8, 010}, {0x10, 0100}, {0x20, 02000}, {0x40, 01000},
            {0x80, 01}, {0x100, 02}, {0x400, 0100000}, {0x800, 0200000}, {0x400000, 0400}, {0x800000, 010000},
            {0x20000000, 040000}, {0x80000000L, 0200}};
    /**
     * Linux's c_cc index for each macOS one, -1 where Linux has no such character: VEOF, VEOL,
     * VEOL2, VERASE, VWERASE, VKILL, VREPRINT, spare, VINTR, VQUIT, VSUSP, VDSUSP, VSTART, VSTOP,
     * VLNEXT, VDISCARD, VMIN, VTIME, VSTATUS, spare.
     */
    static final int[] LINUX_CC_INDEX = {4, 11, 16, 2, 14, 3, 12, -1, 0, 1, 10, -1, 8, 9, 15, 13, 6, 5, -1, -1};
    /** Linux's _POSIX_VDISABLE: a character that is not set; macOS's is 0xff. */
    private static final byte LINUX_VDISABLE = 0;
    private static final byte DARWIN_VDISABLE = (byte) 0xff;
    /** Baud rates with a Linux Bxxx code (macOS keeps the rate itself), in code order: B0 ... B38400, then CBAUDEX ones. */
    private static final long[] RATES = {0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200,
            38400, 57600, 115200, 230400};
    private static final int CBAUDEX = 010000;
    /** BOTHER: the rate has no code (Linux keeps it in termios2's speed fields). */
    private static final int BOTHER = 010000;
    private static final int CIBAUD_SHIFT = 16;

    static Termios read(Pointer t) {
        long cflag = t.getLong(16);
        byte[] darwinCc = new byte[NCCS];
        t.get(C_CC, darwinCc, 0, NCCS);
        byte[] cc = new byte[dev.jlx.abi.struct.Termios.NCCS];
        for (int i = 0; i < NCCS; i++) {
            int linux = LINUX_CC_INDEX[i];
            if (linux >= 0) {
                cc[linux] = darwinCc[i] == DARWIN_VDISABLE ? LINUX_VDISABLE : darwinCc[i];
            }
        }
        // Non-canonical VMIN and VTIME are counts, not characters: 0xff is a count there.
        cc[6] = darwinCc[16];
        cc[5] = darwinCc[17];
        return new Termios((int) bits(t.getLong(0), IFLAG), (int) (bits(t.getLong(8), OFLAG) | delays(t.getLong(8))),
                (int) linuxCflag(cflag, t.getLong(C_ISPEED), t.getLong(C_OSPEED)), (int) bits(t.getLong(24), LFLAG),
                (byte) 0, cc);
    }

    /**
     * Linux's settings written over macOS's {@code t} (the terminal's current ones, as tcgetattr read
     * them): each bit, field and character with a name on both sides takes Linux's value; what macOS
     * alone has (ALTWERASE, NOKERNINFO, VDSUSP, VSTATUS, ...) stays as it is, and so does a rate
     * Linux gives no code for (BOTHER).
     */
    static void write(Termios linux, Pointer t) {
        t.putLong(0, replaceBits(t.getLong(0), linux.iflag() & 0xffffffffL, IFLAG));
        long oflag = replaceBits(t.getLong(8), linux.oflag() & 0xffffffffL, OFLAG);
        for (long[] field : ODELAYS) {
            oflag &= ~field[0];
        }
        t.putLong(8, oflag | darwinDelays(linux.oflag() & 0xffffffffL));
        long cflag = replaceBits(t.getLong(16), linux.cflag() & 0xffffffffL, CFLAG) & ~0x30300L;
        cflag |= ((linux.cflag() >> 4) & 0x3L) << 8;
        if ((linux.cflag() & 020000000000L) != 0) {
            cflag |= 0x30000;
        }
        t.putLong(16, cflag);
        t.putLong(24, replaceBits(t.getLong(24), linux.lflag() & 0xffffffffL, LFLAG));
        for (int i = 0; i < NCCS; i++) {
            int index = LINUX_CC_INDEX[i];
            if (index < 0) {
                continue;
            }
            byte c = linux.cc()[index];
            // VMIN and VTIME are counts (0 is a count there), the others characters (0 is Linux's VDISABLE).
            t.putByte(C_CC + i, i == 16 || i == 17 || c != LINUX_VDISABLE ? c : DARWIN_VDISABLE);
        }
        long ospeed = rate(linux.cflag() & (CBAUDEX | 017));
        long icode = (linux.cflag() >>> CIBAUD_SHIFT) & (CBAUDEX | 017);
        long ispeed = icode == 0 ? ospeed : rate(icode);
        if (ospeed >= 0) {
            t.putLong(C_OSPEED, ospeed);
        }
        if (ispeed >= 0) {
            t.putLong(C_ISPEED, ispeed);
        }
    }

    /** {@code darwin} with the bits of {@code table} replaced by what {@code linux} says of each. */
    private static long replaceBits(long darwin, long linux, long[][] table) {
        for (long[] pair : table) {
            darwin &= ~pair[0];
        }
        for (long[] pair : table) {
            if ((linux & pair[1]) == pair[1]) {
                darwin |= pair[0];
            }
        }
        return darwin;
    }

    private static long darwinDelays(long linux) {
        long darwin = 0;
        // Linux's field masks: NLDLY, TABDLY, CRDLY, FFDLY, BSDLY, VTDLY, in ODELAYS' order.
        long[] linuxMasks = {0400, 014000, 03000, 0100000, 020000, 040000};
        for (int f = 0; f < ODELAYS.length; f++) {
            long value = linux & linuxMasks[f];
            long[] field = ODELAYS[f];
            for (int i = 1; i < field.length; i += 2) {
                if (value == field[i + 1]) {
                    darwin |= field[i];
                }
            }
        }
        return darwin;
    }

    /** The baud rate of Linux's Bxxx code, or -1 for BOTHER or a code Linux does not define. */
    static long rate(long code) {
        int index = (code & CBAUDEX) == 0 ? (int) code : (int) (15 + (code & 017));
        return (code & CBAUDEX) != 0 && (code & 017) == 0 || index >= RATES.length ? -1 : RATES[index];
    }

    private static long bits(long darwin, long[][] table) {
        long linux = 0;
        for (long[] pair : table) {
            if ((darwin & pair[0]) == pair[0]) {
                linux |= pair[1];
            }
        }
        return linux;
    }

    private static long delays(long darwin) {
        long linux = 0;
        for (long[] field : ODELAYS) {
            long value = darwin & field[0];
            for (int i = 1; i < field.length; i += 2) {
                if (value == field[i]) {
                    linux |= field[i + 1];
                }
            }
        }
        return linux;
    }

    static long linuxCflag(long darwin, long ispeed, long ospeed) {
        long linux = bits(darwin, CFLAG);
        linux |= ((darwin >> 8) & 0x3) << 4; // CSIZE: CS5..CS8 are 0..3 at bit 8 on macOS, at bit 4 on Linux
        if ((darwin & 0x30000) == 0x30000) {
            linux |= 020000000000L; // CRTSCTS: CCTS_OFLOW | CRTS_IFLOW
        }
        linux |= speedCode(ospeed);
        if (ispeed != 0 && ispeed != ospeed) {
            linux |= (long) speedCode(ispeed) << CIBAUD_SHIFT;
        }
        return linux;
    }

    /** Linux's Bxxx code of a baud rate. */
    static int speedCode(long rate) {
        for (int i = 0; i < RATES.length; i++) {
            if (RATES[i] == rate) {
                return i < 16 ? i : CBAUDEX | (i - 15);
            }
        }
        return BOTHER;
    }
}
