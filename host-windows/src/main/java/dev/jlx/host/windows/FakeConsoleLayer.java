package dev.jlx.host.windows;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A console in memory, or none: the process's standard handles, each a console or not, one input
 * buffer whose reads return what a test typed, and one screen buffer that keeps what was written, with
 * the console's modes as a new console has them ("SetConsoleMode function": every input mode but
 * ENABLE_WINDOW_INPUT and ENABLE_VIRTUAL_TERMINAL_INPUT; processed output and wrap at EOL). A "legacy"
 * console refuses the virtual-terminal modes, as Windows before 10 (1511) does. {@link #detached()} is a
 * process without a console, which is what the backend sees of a host that is not Windows.
 */
final class FakeConsoleLayer implements ConsoleLayer {
    /** "All input modes except ENABLE_WINDOW_INPUT and ENABLE_VIRTUAL_TERMINAL_INPUT" (0x1f7 with the extended flags). */
    static final int NEW_INPUT_MODE = 0x01f7;
    static final int NEW_OUTPUT_MODE = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT;
    /** The modes SetConsoleMode takes: every documented one, or those of a console without VT (from 0x200 and 0x4 on). */
    private static final int INPUT_MODES = 0x03ff;
    private static final int OUTPUT_MODES = 0x001f;
    private static final int LEGACY_INPUT_MODES = 0x01ff;
    private static final int LEGACY_OUTPUT_MODES = 0x0003;
    /** A read that Ctrl-C ended, told apart from typed text by identity. */
    private static final String ABORTED = new String("aborted");

    private enum Kind { INPUT, OUTPUT, OTHER }

    private final boolean attached;
    private final boolean legacy;
    /** The standard handles (input, output, error), the same at every GetStdHandle as Windows' are. */
    private final long[] standard = new long[3];
    private final Map<Long, Kind> handles = new HashMap<>();
    private long nextHandle = 0x40;
    private int inputMode = NEW_INPUT_MODE;
    private int outputMode = NEW_OUTPUT_MODE;
    private ScreenBuffer screen = new ScreenBuffer(120, 9001, 0, 0, 119, 29);
    /** What each coming ReadConsoleW returns, in order. */
    private final ArrayDeque<String> typed = new ArrayDeque<>();
    private final StringBuilder shown = new StringBuilder();
    private int reads;

    private FakeConsoleLayer(boolean attached, boolean legacy, boolean stdin, boolean stdout, boolean stderr) {
        this.attached = attached;
        this.legacy = legacy;
        standard[0] = newHandle(stdin ? Kind.INPUT : Kind.OTHER);
        standard[1] = newHandle(stdout ? Kind.OUTPUT : Kind.OTHER);
        standard[2] = newHandle(stderr ? Kind.OUTPUT : Kind.OTHER);
    }

    /** A process without a console: standard handles that are files or pipes, and no CONIN$ or CONOUT$. */
    static FakeConsoleLayer detached() {
        return new FakeConsoleLayer(false, false, false, false, false);
    }

    /** A console, with the standard handles that are it (input, output, error). */
    static FakeConsoleLayer attached(boolean stdin, boolean stdout, boolean stderr) {
        return new FakeConsoleLayer(true, false, stdin, stdout, stderr);
    }

    /** A console without virtual-terminal modes, all three standard handles on it. */
    static FakeConsoleLayer legacy() {
        return new FakeConsoleLayer(true, true, true, true, true);
    }

    private synchronized long newHandle(Kind kind) {
        long h = nextHandle;
        nextHandle += 4;
        handles.put(h, kind);
        return h;
    }

    private synchronized Kind kind(long h) throws ConsoleException {
        Kind k = handles.get(h);
        if (k == null) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        return k;
    }

    private Kind console(long h) throws ConsoleException {
        Kind k = kind(h);
        if (k == Kind.OTHER) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        return k;
    }

    @Override
    public long stdHandle(int which) {
        return standard[STD_INPUT_HANDLE - which];
    }

    @Override
    public long openConsole(boolean input) throws ConsoleException {
        if (!attached) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        return newHandle(input ? Kind.INPUT : Kind.OUTPUT);
    }

    @Override
    public synchronized int mode(long h) throws ConsoleException {
        return console(h) == Kind.INPUT ? inputMode : outputMode;
    }

    @Override
    public synchronized void setMode(long h, int mode) throws ConsoleException {
        boolean input = console(h) == Kind.INPUT;
        int known = input ? legacy ? LEGACY_INPUT_MODES : INPUT_MODES : legacy ? LEGACY_OUTPUT_MODES : OUTPUT_MODES;
        if ((mode & ~known) != 0) {
            throw new ConsoleException(ERROR_INVALID_PARAMETER);
        }
        if (input) {
            inputMode = mode;
        } else {
            outputMode = mode;
        }
    }

    @Override
    public synchronized void flushInput(long h) throws ConsoleException {
        if (console(h) != Kind.INPUT) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        typed.clear();
    }

    @Override
    public synchronized ScreenBuffer screenBuffer(long h) throws ConsoleException {
        if (console(h) != Kind.OUTPUT) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        return screen;
    }

    @Override
    public int read(long h, char[] dst) throws ConsoleException {
        if (console(h) != Kind.INPUT) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        synchronized (this) {
            while (typed.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new ConsoleException(ERROR_OPERATION_ABORTED);
                }
            }
            reads++;
            String next = typed.remove();
            if (next == ABORTED) {
                throw new ConsoleException(ERROR_OPERATION_ABORTED);
            }
            int n = Math.min(dst.length, next.length());
            next.getChars(0, n, dst, 0);
            if (n < next.length()) {
                typed.addFirst(next.substring(n));
            }
            return n;
        }
    }

    @Override
    public synchronized int write(long h, char[] src, int offset, int length) throws ConsoleException {
        if (console(h) != Kind.OUTPUT) {
            throw new ConsoleException(ERROR_INVALID_HANDLE);
        }
        shown.append(src, offset, length);
        return length;
    }

    /** Text that the next ReadConsoleW returns (as much as fits), as the console would give it (UTF-16). */
    synchronized void type(String units) {
        typed.add(units);
        notifyAll();
    }

    /** Ctrl-C during a read: the next ReadConsoleW ends with nothing (ERROR_OPERATION_ABORTED). */
    synchronized void abortRead() {
        typed.add(ABORTED);
        notifyAll();
    }

    /** The number of ReadConsoleW calls that returned. */
    synchronized int reads() {
        return reads;
    }

    synchronized String shown() {
        return shown.toString();
    }

    synchronized int inputMode() {
        return inputMode;
    }

    synchronized int outputMode() {
        return outputMode;
    }

    synchronized void setScreen(ScreenBuffer screen) {
        this.screen = screen;
    }
}
