package dev.jlx.core.tty;

import dev.jlx.abi.Errno;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.kernel.Kernel;

/**
 * jlx's own terminal, the controlling terminal of session 1 (the first process's; jlx, pid 1,
 * leads it): job control is kept here as for any terminal, while the settings and the size are the
 * host's, asked through the host file a guest's descriptor holds ({@link Access}). Every host
 * terminal a guest reaches is taken to be this one.
 */
public final class HostTerminal extends Terminal {
    /**
     * The one place a host terminal's attributes are read or set: what the host console answers for
     * one host file (HostFileOps gives it for a host file that is a terminal).
     */
    public interface Access {
        HostConsole.WindowSize windowSize() throws ErrnoException;

        HostConsole.Termios attributes() throws ErrnoException;

        /**
         * TCSETS and its kin, with tcsetattr's action (0 TCSANOW, 1 TCSADRAIN, 2 TCSAFLUSH): the host
         * backend does not change a host terminal's settings yet (ENOTTY).
         */
        default void setAttributes(HostConsole.Termios next, int action) throws ErrnoException {
            throw new ErrnoException(Errno.ENOTTY);
        }
    }

    public HostTerminal(Kernel kernel) {
        super(kernel);
        setSession(Kernel.TERMINAL_SESSION, Kernel.TERMINAL_SESSION);
    }

    private static Access access(OpenFile via) throws ErrnoException {
        Access a = via instanceof VfsFile v ? v.hostTerminalAccess() : null;
        if (a == null) {
            throw new ErrnoException(Errno.ENOTTY);
        }
        return a;
    }

    @Override
    public KTermios termios(OpenFile via) throws ErrnoException {
        HostConsole.Termios t = access(via).attributes();
        return new KTermios(t.iflag(), t.oflag(), t.cflag(), t.lflag(), t.line(), t.cc(), 0, 0).withRates();
    }

    @Override
    protected void setTermios(OpenFile via, KTermios next, int action) throws ErrnoException {
        access(via).setAttributes(new HostConsole.Termios(next.iflag(), next.oflag(), next.cflag(), next.lflag(),
                next.line(), next.cc()), action);
    }

    @Override
    public Winsize windowSize(OpenFile via) throws ErrnoException {
        HostConsole.WindowSize ws = access(via).windowSize();
        return new Winsize(ws.rows(), ws.columns(), ws.xpixels(), ws.ypixels());
    }

    @Override
    protected long deviceNumber(OpenFile via) throws ErrnoException {
        return via.stat().rdev();
    }
}
