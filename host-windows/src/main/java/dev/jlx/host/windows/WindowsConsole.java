package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The Windows console as jlx's terminal, through a {@link ConsoleLayer}: the console is the terminal
 * emulator and jlx the line discipline between it and the guest, as Linux's n_tty is between a
 * terminal emulator and a program.
 *
 * <p>The console is taken over when a guest first gets a standard stream that is one, or opens
 * /dev/tty (CONIN$ and CONOUT$, which a process with a console can open whatever its standard handles
 * are): its input buffer gets ENABLE_VIRTUAL_TERMINAL_INPUT (keys come as the escape sequences a Linux
 * terminal sends) and each screen buffer written to ENABLE_VIRTUAL_TERMINAL_PROCESSING (escape
 * sequences act) with DISABLE_NEWLINE_AUTO_RETURN, so that a line feed only moves down and a
 * character written in the last column waits for the next before it wraps, as in xterm; NL becomes
 * CR NL in jlx instead (ONLCR, {@link ConsoleOutput}). A console without these modes (Windows before
 * 10 1511) keeps its own. The modes the console had come back when the JVM ends (a shutdown hook:
 * jlx's end is System.exit, Ctrl-C's end too, and the console window's close is the JVM's SIGTERM).
 * The console's code pages are left alone: text crosses as UTF-16 ({@link ConsoleLayer}).
 *
 * <p>TCGETS reads the console's input mode as Linux's local flags: ENABLE_LINE_INPUT is ICANON (the
 * console edits the line), ENABLE_ECHO_INPUT is ECHO and ENABLE_PROCESSED_INPUT is ISIG (the console
 * turns Ctrl-C into CTRL_C_EVENT, which the JVM raises as SIGINT and `jlx run` sends to the guest's
 * foreground group); the other words are jlx's own {@link Discipline}. TCSETS sets those three with
 * SetConsoleMode on the input buffer and replaces the discipline with the rest, which
 * {@link ConsoleInput} and {@link ConsoleOutput} apply. The console echoes only in line-input mode
 * ("SetConsoleMode function": ENABLE_ECHO_INPUT needs ENABLE_LINE_INPUT), so ECHO without ICANON is
 * kept in the discipline, where TCGETS reads it back, but nothing is echoed. A resize of the console's
 * window is seen by polling GetConsoleScreenBufferInfo ({@link #watchWindowSize}).
 */
final class WindowsConsole implements HostConsole {
    // Linux's termios bits (include/uapi/asm-generic/termbits.h), the words of HostConsole.Termios.
    static final int ICRNL = 0000400;
    static final int IXON = 0002000;
    static final int IUTF8 = 0040000;
    static final int OPOST = 0000001;
    static final int ONLCR = 0000004;
    static final int B38400 = 0000017;
    static final int CS8 = 0000060;
    static final int CREAD = 0000200;
    static final int HUPCL = 0002000;
    static final int ISIG = 0000001;
    static final int ICANON = 0000002;
    static final int ECHO = 0000010;
    static final int ECHOE = 0000020;
    static final int ECHOK = 0000040;
    static final int ECHOCTL = 0001000;
    static final int ECHOKE = 0004000;
    static final int IEXTEN = 0100000;
    /** c_cc's index of VEOF. */
    static final int VEOF = 4;
    /** INIT_C_CC of include/asm-generic/termios.h: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, 0, ^Q ^S ^Z, 0, ^R ^O ^W ^V, 0. */
    private static final byte[] INIT_C_CC = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0};

    /**
     * What Linux's terminal keeps that the console has no mode for: the input, output and control flags,
     * the local flags other than ICANON, ECHO and ISIG (the console's input modes), and the control
     * characters.
     */
    record Discipline(int iflag, int oflag, int cflag, int lflag, byte[] cc) {}

    /**
     * A new Linux terminal's settings (tty_std_termios in drivers/tty/tty_io.c, as a pseudo-terminal
     * starts), with IUTF8, which terminal emulators set for UTF-8 and which the console's line editing
     * honors (it erases whole characters). `stty -echo` leaves ECHOE, ECHOK, ECHOCTL and ECHOKE set on
     * Linux, so they are not the console's ENABLE_ECHO_INPUT.
     */
    static final Discipline LINUX_DEFAULTS = new Discipline(ICRNL | IXON | IUTF8, OPOST | ONLCR,
            B38400 | CS8 | CREAD | HUPCL, ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN, INIT_C_CC);

    /** The console's input buffer and active screen buffer (CONIN$, CONOUT$), and its input's reader. */
    private record Attached(long input, long output, BlockingInput reader) {}

    /** A console buffer's mode before jlx changed it. */
    private record SavedMode(long handle, int mode) {}

    private final ConsoleLayer layer;
    private final int owner;
    /** Replaced whole by TCSETS; read by each input and output call. */
    private volatile Discipline discipline = LINUX_DEFAULTS;
    // Guarded by this.
    private boolean probed;
    private Attached attached;
    private final Deque<SavedMode> saved = new ArrayDeque<>();
    private final Map<Long, ConsoleOutput> outputs = new HashMap<>();

    /** {@code owner}: the user a console standard stream belongs to, as the user's pseudo-terminal does. */
    WindowsConsole(ConsoleLayer layer, int owner) {
        this.layer = layer;
        this.owner = owner;
    }

    Discipline discipline() {
        return discipline;
    }

    /** Standard stream {@code fd} (0, 1, 2) as a terminal when its handle is the console; else null. */
    synchronized HostFile standardStream(int fd) {
        if (fd < 0 || fd > 2) {
            throw new IllegalArgumentException("no standard stream " + fd);
        }
        long h;
        try {
            h = layer.stdHandle(ConsoleLayer.STD_INPUT_HANDLE - fd);
            layer.mode(h);
        } catch (ConsoleException notConsole) {
            return null;
        }
        Attached a = attach();
        if (a == null) {
            return null;
        }
        // An input handle is written through the active screen buffer: a terminal's descriptor reads and writes.
        return new ConsoleFile(this, a.reader(), output(fd == 0 ? a.output() : h), false, owner);
    }

    /** /dev/tty: the console, ENXIO when the process has none (Linux's answer without a controlling terminal). */
    synchronized HostFile openTerminal() throws ErrnoException {
        Attached a = attach();
        if (a == null) {
            throw new ErrnoException(Errno.ENXIO);
        }
        return new ConsoleFile(this, a.reader(), output(a.output()), true, owner);
    }

    /** Opens CONIN$ and CONOUT$ once and sets their modes; null when the process has no console. */
    private Attached attach() {
        if (probed) {
            return attached;
        }
        probed = true;
        long input;
        long output;
        try {
            input = layer.openConsole(true);
            output = layer.openConsole(false);
        } catch (ConsoleException none) {
            return null;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("jlx-console-restore").unstarted(this::restore));
        enable(input, ConsoleLayer.ENABLE_VIRTUAL_TERMINAL_INPUT);
        attached = new Attached(input, output, new BlockingInput(new ConsoleInput(layer, input, this::discipline),
                "jlx-console"));
        return attached;
    }

    /** The writer of a screen buffer handle, whose modes are set at its first use. */
    private ConsoleOutput output(long h) {
        ConsoleOutput out = outputs.get(h);
        if (out == null) {
            enable(h, ConsoleLayer.ENABLE_VIRTUAL_TERMINAL_PROCESSING | ConsoleLayer.DISABLE_NEWLINE_AUTO_RETURN,
                    ConsoleLayer.ENABLE_VIRTUAL_TERMINAL_PROCESSING);
            out = new ConsoleOutput(layer, h, this::discipline);
            outputs.put(h, out);
        }
        return out;
    }

    /** Adds the first of {@code choices} the console takes to a buffer's mode, after keeping the mode for {@link #restore}. */
    private void enable(long h, int... choices) {
        int original;
        try {
            original = layer.mode(h);
        } catch (ConsoleException e) {
            return;
        }
        saved.push(new SavedMode(h, original));
        for (int bits : choices) {
            try {
                layer.setMode(h, original | bits);
                return;
            } catch (ConsoleException refused) {
                // An older console: the next choice, or the mode it has.
            }
        }
    }

    /** Gives every buffer back the mode it had, the last changed first (two handles may share a buffer). */
    synchronized void restore() {
        while (!saved.isEmpty()) {
            SavedMode s = saved.pop();
            try {
                layer.setMode(s.handle(), s.mode());
            } catch (ConsoleException gone) {
                // The console is gone: nothing to give back.
            }
        }
    }

    private ConsoleFile own(HostFile file) throws ErrnoException {
        if (file instanceof ConsoleFile c && c.console() == this) {
            return c;
        }
        throw new ErrnoException(Errno.ENOTTY);
    }

    /**
     * A console has no process groups: jlx, attached to it, is always in its foreground, so jlx's
     * terminal fronts a pty of jlx's there too (TerminalFront: the console raw, that is without
     * ENABLE_LINE_INPUT, ENABLE_ECHO_INPUT and ENABLE_PROCESSED_INPUT, so that Ctrl-C, Ctrl-Z and
     * Ctrl-\ come as characters for jlx's line discipline).
     */
    @Override
    public boolean foreground(HostFile file) throws ErrnoException {
        own(file);
        return true;
    }

    /** TIOCGWINSZ: the screen buffer's visible window, in characters (the console tells no pixels). */
    @Override
    public WindowSize windowSize(HostFile file) throws ErrnoException {
        ConsoleFile c = own(file);
        try {
            ConsoleLayer.ScreenBuffer b = layer.screenBuffer(c.output().handle());
            return new WindowSize(b.windowRows(), b.windowColumns(), 0, 0);
        } catch (ConsoleException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    /** TCGETS: the console's input mode as ICANON, ECHO and ISIG, the rest jlx's discipline. */
    @Override
    public Termios attributes(HostFile file) throws ErrnoException {
        own(file);
        Attached a;
        synchronized (this) {
            a = attached;
        }
        try {
            return termios(layer.mode(a.input()), discipline);
        } catch (ConsoleException e) {
            throw new ErrnoException(Errno.EIO);
        }
    }

    /**
     * TCSETS: ICANON, ECHO (with ICANON) and ISIG become the input buffer's line-input, echo and
     * processed-input modes, the rest the discipline. TCSADRAIN has nothing to wait for (WriteConsoleW
     * returns once written); TCSAFLUSH discards the input not read yet.
     */
    @Override
    public void setAttributes(HostFile file, Termios t, int action) throws ErrnoException {
        own(file);
        long input = attachedInput();
        int lflag = t.lflag();
        boolean canonical = (lflag & ICANON) != 0;
        try {
            int mode = layer.mode(input) & ~(ConsoleLayer.ENABLE_PROCESSED_INPUT | ConsoleLayer.ENABLE_LINE_INPUT
                    | ConsoleLayer.ENABLE_ECHO_INPUT);
            mode |= (lflag & ISIG) != 0 ? ConsoleLayer.ENABLE_PROCESSED_INPUT : 0;
            mode |= canonical ? ConsoleLayer.ENABLE_LINE_INPUT : 0;
            mode |= canonical && (lflag & ECHO) != 0 ? ConsoleLayer.ENABLE_ECHO_INPUT : 0;
            if (action == 2) {
                layer.flushInput(input);
            }
            layer.setMode(input, mode);
        } catch (ConsoleException e) {
            throw new ErrnoException(Errno.EIO);
        }
        int kept = lflag & ~(ISIG | ICANON | (canonical ? ECHO : 0));
        discipline = new Discipline(t.iflag(), t.oflag(), t.cflag(), kept, t.cc().clone());
    }

    /** TCFLSH: the console's unread input goes; its output has no queue (WriteConsoleW returns once written). */
    @Override
    public void flush(HostFile file, int queues) throws ErrnoException {
        own(file);
        if (queues != 1) {
            try {
                layer.flushInput(attachedInput());
            } catch (ConsoleException e) {
                throw new ErrnoException(Errno.EIO);
            }
        }
    }

    /** tcdrain: WriteConsoleW has returned once the console took the text, so nothing is left to send. */
    @Override
    public void drain(HostFile file) throws ErrnoException {
        own(file);
    }

    /** TIOCOUTQ: nothing waits (see {@link #drain}). */
    @Override
    public int outputQueued(HostFile file) throws ErrnoException {
        own(file);
        return 0;
    }

    /** The input buffer's mode and the discipline, put back by {@link Saved#restore}. */
    @Override
    public Saved save(HostFile file) throws ErrnoException {
        own(file);
        long input = attachedInput();
        Discipline d = discipline;
        int mode;
        try {
            mode = layer.mode(input);
        } catch (ConsoleException e) {
            throw new ErrnoException(Errno.EIO);
        }
        return () -> {
            try {
                layer.setMode(input, mode);
            } catch (ConsoleException gone) {
                // The console is gone: nothing to give back.
            }
            discipline = d;
        };
    }

    private final java.util.List<Runnable> resizeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Thread resizeWatch;

    /**
     * The console's window size, polled four times a second while someone listens (a
     * WINDOW_BUFFER_SIZE_EVENT would come through the input buffer only with ENABLE_WINDOW_INPUT,
     * among the keys jlx reads, and only for the buffer's size, not the window's).
     */
    @Override
    public synchronized AutoCloseable watchWindowSize(Runnable onResize) {
        Attached a = attach();
        if (a == null) {
            return () -> { };
        }
        resizeListeners.add(onResize);
        if (resizeWatch == null) {
            resizeWatch = Thread.ofPlatform().daemon().name("jlx-console-resize").start(() -> pollSize(a.output()));
        }
        return () -> resizeListeners.remove(onResize);
    }

    private void pollSize(long output) {
        ConsoleLayer.ScreenBuffer last = null;
        while (true) {
            try {
                ConsoleLayer.ScreenBuffer b = layer.screenBuffer(output);
                if (last != null && (b.windowRows() != last.windowRows() || b.windowColumns() != last.windowColumns())) {
                    resizeListeners.forEach(Runnable::run);
                }
                last = b;
                Thread.sleep(250);
            } catch (ConsoleException | InterruptedException gone) {
                return;
            }
        }
    }

    private synchronized long attachedInput() {
        return attached.input();
    }

    static Termios termios(int inputMode, Discipline d) {
        int lflag = d.lflag();
        if ((inputMode & ConsoleLayer.ENABLE_PROCESSED_INPUT) != 0) {
            lflag |= ISIG;
        }
        if ((inputMode & ConsoleLayer.ENABLE_LINE_INPUT) != 0) {
            lflag |= ICANON;
        }
        if ((inputMode & ConsoleLayer.ENABLE_ECHO_INPUT) != 0) {
            lflag |= ECHO;
        }
        return new Termios(d.iflag(), d.oflag(), d.cflag(), lflag, (byte) 0, d.cc().clone());
    }
}
