package dev.jlx.core.host;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;

/**
 * The host terminal a {@link HostFile} refers to: its size and settings, read and changed, as
 * Linux's tty ioctls do them. Values are Linux's (termios bits, queue selectors, actions); a host
 * translates them to its own. A request the host cannot do is ENOTTY, as Linux's answer for a
 * terminal whose driver lacks it; a file that is no terminal is ENOTTY too.
 */
public interface HostConsole {
    /** TIOCGWINSZ: the window size; ENOTTY when the file is not a terminal. */
    WindowSize windowSize(HostFile file) throws ErrnoException;

    /** TCGETS: the terminal attributes in Linux encoding; ENOTTY when not a terminal. */
    Termios attributes(HostFile file) throws ErrnoException;

    /**
     * TCSETS, TCSETSW, TCSETSF: new attributes (Linux encoding) with tcsetattr's action, Linux's
     * TCSANOW (0), TCSADRAIN (1: once the output has been sent) or TCSAFLUSH (2: drained, and the
     * input not yet read discarded). What the host has no setting for is left as it is.
     */
    default void setAttributes(HostFile file, Termios termios, int action) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** TIOCSWINSZ: the size the terminal tells (a pseudo-terminal's is whatever its owner sets). */
    default void setWindowSize(HostFile file, WindowSize size) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** TCFLSH: discards Linux's TCIFLUSH (0, input), TCOFLUSH (1, output) or TCIOFLUSH (2, both). */
    default void flush(HostFile file, int queues) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** TCXONC: Linux's TCOOFF (0), TCOON (1), TCIOFF (2) or TCION (3), tcflow(3). */
    default void flow(HostFile file, int action) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** TCSBRK with a non-zero argument: waits until the output has been sent (tcdrain(3)). */
    default void drain(HostFile file) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /**
     * TCSBRK with 0 and TCSBRKP: a break of {@code deciseconds} (0: a quarter of a second, as
     * Linux's), after the output has been sent.
     */
    default void sendBreak(HostFile file, int deciseconds) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** TIOCSBRK ({@code on}) and TIOCCBRK: a break held until cleared. */
    default void setBreak(HostFile file, boolean on) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** TIOCOUTQ: the bytes written that the terminal has not sent yet. */
    default int outputQueued(HostFile file) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /**
     * Whether jlx's process group is the foreground group of this terminal, which must be jlx's
     * controlling terminal (ENOTTY for any other file): tcgetpgrp(3) against getpgrp(2). A
     * terminal that has no process groups (a console) always answers true.
     */
    default boolean foreground(HostFile file) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /**
     * The terminal's whole state as the host keeps it (also what Linux's termios has no name for),
     * to be put back as it was by {@link Saved#restore} when jlx ends; ENOTTY when not a terminal.
     * The saved state keeps the terminal open: the guest may close every descriptor of it first.
     */
    default Saved save(HostFile file) throws ErrnoException {
        throw new ErrnoException(Errno.ENOTTY);
    }

    /** A terminal's settings as {@link #save} found them. */
    interface Saved {
        /** Puts them back (also from a background process group); a terminal gone by then is left alone. */
        void restore();
    }

    /**
     * Calls {@code onResize} each time the host's terminal changes its size (SIGWINCH on a POSIX
     * host), until the returned handle is closed. A host that cannot tell never calls it.
     */
    default AutoCloseable watchWindowSize(Runnable onResize) {
        return () -> { };
    }

    record WindowSize(int rows, int columns, int xpixels, int ypixels) {}

    /** Linux {@code struct termios} (asm-generic/termbits.h): flag words in Linux bits, 19 control chars. */
    record Termios(int iflag, int oflag, int cflag, int lflag, byte line, byte[] cc) {}
}
