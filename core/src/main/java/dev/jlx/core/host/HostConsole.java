package dev.jlx.core.host;

import dev.jlx.core.ErrnoException;

/** Terminal queries, answered from the host terminal a {@link HostFile} refers to. */
public interface HostConsole {
    /** TIOCGWINSZ: the window size; ENOTTY when the file is not a terminal. */
    WindowSize windowSize(HostFile file) throws ErrnoException;

    /** TCGETS: the terminal attributes in Linux encoding; ENOTTY when not a terminal. */
    Termios attributes(HostFile file) throws ErrnoException;

    record WindowSize(int rows, int columns, int xpixels, int ypixels) {}

    /** Linux {@code struct termios} (asm-generic/termbits.h): flag words in Linux bits, 19 control chars. */
    record Termios(int iflag, int oflag, int cflag, int lflag, byte line, byte[] cc) {}
}
