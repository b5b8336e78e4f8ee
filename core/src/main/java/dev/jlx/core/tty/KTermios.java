package dev.jlx.core.tty;

import static dev.jlx.abi.Termbits.*;

import dev.jlx.abi.struct.Termio;
import dev.jlx.abi.struct.Termios;
import dev.jlx.abi.struct.Termios2;

/**
 * A terminal's settings, Linux's {@code struct ktermios}: the four flag words, the line discipline
 * number, 19 control characters and the input and output rates. Immutable: a TCSETS replaces it.
 */
public record KTermios(int iflag, int oflag, int cflag, int lflag, byte line, byte[] cc, int ispeed, int ospeed) {
    /** INIT_C_CC (include/linux/tty.h): ^C ^\ DEL ^U ^D, TIME 0, MIN 1, ^Q ^S ^Z, ^R ^O ^W ^V. */
    private static final byte[] INIT_C_CC = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0,
            0};

    /** A pty slave's first settings: tty_std_termios with B38400 | CS8 | CREAD (unix98_pty_init). */
    public static final KTermios PTY_SLAVE = new KTermios(ICRNL | IXON, OPOST | ONLCR, B38400 | CS8 | CREAD,
            ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, (byte) 0, INIT_C_CC, 38400, 38400);
    /** A pty master's settings, which nothing changes: raw (unix98_pty_init). */
    public static final KTermios PTY_MASTER = new KTermios(0, 0, B38400 | CS8 | CREAD, 0, (byte) 0, INIT_C_CC, 38400,
            38400);

    public KTermios {
        cc = cc.clone();
    }

    @Override
    public byte[] cc() {
        return cc.clone();
    }

    /** Control character {@code index} (VINTR, ...) as an unsigned byte. */
    public int cc(int index) {
        return cc[index] & 0xff;
    }

    public boolean i(int bits) {
        return (iflag & bits) != 0;
    }

    public boolean o(int bits) {
        return (oflag & bits) != 0;
    }

    public boolean l(int bits) {
        return (lflag & bits) != 0;
    }

    public KTermios withCflag(int cflag) {
        return new KTermios(iflag, oflag, cflag, lflag, line, cc, ispeed, ospeed);
    }

    public Termios abi() {
        return new Termios(iflag, oflag, cflag, lflag, line, cc);
    }

    public Termios2 abi2() {
        return new Termios2(abi(), ispeed, ospeed);
    }

    /** kernel_termios_to_user_termio: the low 16 bits of each flag word and the first NCC characters. */
    public Termio termio() {
        return new Termio(iflag & 0xffff, oflag & 0xffff, cflag & 0xffff, lflag & 0xffff, line,
                java.util.Arrays.copyOf(cc, Termio.NCC));
    }

    /** TCSETS: a new struct termios over these settings, keeping the rates until {@link #withRates}. */
    public KTermios with(Termios t) {
        return new KTermios(t.iflag(), t.oflag(), t.cflag(), t.lflag(), t.line(), t.cc(), ispeed, ospeed);
    }

    public KTermios with(Termios2 t) {
        Termios b = t.termios();
        return new KTermios(b.iflag(), b.oflag(), b.cflag(), b.lflag(), b.line(), b.cc(), t.ispeed(), t.ospeed());
    }

    /** user_termio_to_kernel_termio: the low 16 bits of each word and the first NCC characters replaced. */
    public KTermios with(Termio t) {
        byte[] next = cc.clone();
        System.arraycopy(t.cc(), 0, next, 0, Termio.NCC);
        return new KTermios((iflag & 0xffff0000) | t.iflag(), (oflag & 0xffff0000) | t.oflag(),
                (cflag & 0xffff0000) | t.cflag(), (lflag & 0xffff0000) | t.lflag(), t.line(), next, ispeed, ospeed);
    }

    /**
     * set_termios: c_ispeed and c_ospeed loaded with the rates the B* codes name, so that they are
     * right whichever struct set them (tty_termios_input_baud_rate, tty_termios_baud_rate).
     */
    public KTermios withRates() {
        int out = baudRate(cflag, ospeed);
        int inCode = (cflag >>> IBSHIFT) & CBAUD;
        int in = inCode == B0 ? out : baudRate(inCode, ispeed);
        return new KTermios(iflag, oflag, cflag, lflag, line, cc, in, out);
    }
}
