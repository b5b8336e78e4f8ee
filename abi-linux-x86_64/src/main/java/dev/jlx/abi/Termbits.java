package dev.jlx.abi;

/**
 * Terminal attribute bits and control-character slots of {@code struct termios}, from
 * {@code asm-generic/termbits.h} and {@code termbits-common.h} (x86 uses them unchanged), and the
 * arguments of TCFLSH, TCXONC and tcsetattr's actions.
 */
public final class Termbits {
    private Termbits() {}

    // c_cc indices.
    public static final int VINTR = 0;
    public static final int VQUIT = 1;
    public static final int VERASE = 2;
    public static final int VKILL = 3;
    public static final int VEOF = 4;
    public static final int VTIME = 5;
    public static final int VMIN = 6;
    public static final int VSWTC = 7;
    public static final int VSTART = 8;
    public static final int VSTOP = 9;
    public static final int VSUSP = 10;
    public static final int VEOL = 11;
    public static final int VREPRINT = 12;
    public static final int VDISCARD = 13;
    public static final int VWERASE = 14;
    public static final int VLNEXT = 15;
    public static final int VEOL2 = 16;

    // c_iflag.
    public static final int IGNBRK = 0000001;
    public static final int BRKINT = 0000002;
    public static final int IGNPAR = 0000004;
    public static final int PARMRK = 0000010;
    public static final int INPCK = 0000020;
    public static final int ISTRIP = 0000040;
    public static final int INLCR = 0000100;
    public static final int IGNCR = 0000200;
    public static final int ICRNL = 0000400;
    public static final int IUCLC = 0001000;
    public static final int IXON = 0002000;
    public static final int IXANY = 0004000;
    public static final int IXOFF = 0010000;
    public static final int IMAXBEL = 0020000;
    public static final int IUTF8 = 0040000;

    // c_oflag.
    public static final int OPOST = 0000001;
    public static final int OLCUC = 0000002;
    public static final int ONLCR = 0000004;
    public static final int OCRNL = 0000010;
    public static final int ONOCR = 0000020;
    public static final int ONLRET = 0000040;
    public static final int OFILL = 0000100;
    public static final int OFDEL = 0000200;
    public static final int TABDLY = 0014000;
    /** TAB3: tabs expanded to spaces. */
    public static final int XTABS = 0014000;

    // c_cflag.
    public static final int CBAUD = 0010017;
    public static final int B0 = 0000000;
    public static final int B38400 = 0000017;
    public static final int CSIZE = 0000060;
    public static final int CS8 = 0000060;
    public static final int CSTOPB = 0000100;
    public static final int CREAD = 0000200;
    public static final int PARENB = 0000400;
    public static final int HUPCL = 0002000;
    public static final int CLOCAL = 0004000;
    public static final int CBAUDEX = 0010000;
    /** CBAUDEX with no rate bits: the rate is c_ispeed/c_ospeed (termios2). */
    public static final int BOTHER = 0010000;
    public static final int CIBAUD = 002003600000;
    public static final int ADDRB = 004000000000;
    /** The input rate's bits sit this far above the output rate's (CIBAUD). */
    public static final int IBSHIFT = 16;

    // c_lflag.
    public static final int ISIG = 0000001;
    public static final int ICANON = 0000002;
    public static final int XCASE = 0000004;
    public static final int ECHO = 0000010;
    public static final int ECHOE = 0000020;
    public static final int ECHOK = 0000040;
    public static final int ECHONL = 0000100;
    public static final int NOFLSH = 0000200;
    public static final int TOSTOP = 0000400;
    public static final int ECHOCTL = 0001000;
    public static final int ECHOPRT = 0002000;
    public static final int ECHOKE = 0004000;
    public static final int FLUSHO = 0010000;
    public static final int PENDIN = 0040000;
    public static final int IEXTEN = 0100000;
    public static final int EXTPROC = 0200000;

    // TCXONC arguments.
    public static final int TCOOFF = 0;
    public static final int TCOON = 1;
    public static final int TCIOFF = 2;
    public static final int TCION = 3;

    // TCFLSH arguments.
    public static final int TCIFLUSH = 0;
    public static final int TCOFLUSH = 1;
    public static final int TCIOFLUSH = 2;

    /** The line disciplines TIOCSETD may name: N_TTY is 0, NR_LDISCS 31. */
    public static final int N_TTY = 0;
    public static final int NR_LDISCS = 31;

    /**
     * The rates of the B* codes (drivers/tty/tty_baudrate.c's baud_table): index i is B-code i for
     * 0..15, and CBAUDEX | (i - 15) for the rest.
     */
    private static final int[] BAUD_TABLE = {0, 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600,
            19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000,
            2500000, 3000000, 3500000, 4000000};

    /**
     * tty_termios_baud_rate's rate for a CBAUD code: {@code other} for BOTHER, 0 for a code past the
     * table (whose CBAUDEX Linux drops).
     */
    public static int baudRate(int code, int other) {
        code &= CBAUD;
        if (code == BOTHER) {
            return other;
        }
        if ((code & CBAUDEX) != 0) {
            int i = (code & ~CBAUDEX) + 15;
            return i < 16 || i >= BAUD_TABLE.length ? 0 : BAUD_TABLE[i];
        }
        return BAUD_TABLE[code];
    }
}
