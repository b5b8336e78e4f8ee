package dev.jlx.core.tty;

import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.kernel.Kernel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jlx's own terminal, the controlling terminal of session 1 (the first process's; jlx, pid 1,
 * leads it): job control is kept here as for any terminal. When jlx's standard input is its
 * controlling terminal the terminal is the front of a pty of jlx's ({@link TerminalFront}): the
 * guests' reads, writes, polls, settings and size of it are that pty's. Otherwise (its standard
 * input is no terminal, or not jlx's controlling one) the settings and the size are the host's,
 * asked through the host file a guest's descriptor holds ({@link Access}), and the host's own line
 * discipline serves the reads and writes. Every host terminal a guest reaches is taken to be this
 * one.
 *
 * <p>The user's terminal must not stay as a guest (or the front) left it: before the first change of
 * a host terminal (each device once) its whole state is saved, and {@link #restore} puts it back when
 * the run ends, or a JVM shutdown hook does when jlx ends first (System.exit, SIGTERM, SIGHUP).
 */
public final class HostTerminal extends Terminal {
    /** The one place a host terminal's settings are read or changed: the host console and the host file. */
    public record Access(HostConsole console, HostFile file) {}

    /** The state of each host terminal changed, by device number, in the order first changed; under {@code this}. */
    private final Map<Long, HostConsole.Saved> saved = new LinkedHashMap<>();
    private Thread restoreAtShutdown;
    /** The front over jlx's standard input, while a run has one. */
    private volatile TerminalFront front;

    public HostTerminal(Kernel kernel) {
        super(kernel);
        setSession(Kernel.TERMINAL_SESSION, Kernel.TERMINAL_SESSION);
    }

    private static Access access(OpenFile via) throws ErrnoException {
        Access a = via instanceof VfsFile v ? v.hostTerminalAccess() : null;
        if (a == null) {
            throw unsupported();
        }
        return a;
    }

    @Override
    public KTermios termios(OpenFile via) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            return f.pty.slave.termios();
        }
        Access a = access(via);
        HostConsole.Termios t = a.console().attributes(a.file());
        return new KTermios(t.iflag(), t.oflag(), t.cflag(), t.lflag(), t.line(), t.cc(), 0, 0).withRates();
    }

    @Override
    protected void setTermios(OpenFile via, KTermios next, int action) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            f.pty.slave.setTermios(via, next, action);
            return;
        }
        Access a = changing(via);
        a.console().setAttributes(a.file(), new HostConsole.Termios(next.iflag(), next.oflag(), next.cflag(),
                next.lflag(), next.line(), next.cc()), action);
    }

    @Override
    public Winsize windowSize(OpenFile via) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            return f.pty.slave.windowSize(via);
        }
        Access a = access(via);
        HostConsole.WindowSize ws = a.console().windowSize(a.file());
        return new Winsize(ws.rows(), ws.columns(), ws.xpixels(), ws.ypixels());
    }

    /**
     * TIOCSWINSZ: the host terminal takes the size; its SIGWINCH for a change reaches the foreground
     * group as every host resize does ({@link #resized}), so none is sent here. A front's pty takes
     * it first (and signals), the host's resize then finding nothing changed.
     */
    @Override
    protected void resize(OpenFile via, Winsize size) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            f.pty.slave.resize(via, size);
        }
        Access a = access(via);
        try {
            a.console().setWindowSize(a.file(), new HostConsole.WindowSize(size.row(), size.col(), size.xpixel(),
                    size.ypixel()));
        } catch (ErrnoException cannot) {
            if (f == null) {
                throw cannot;
            }
        }
    }

    @Override
    protected void flush(OpenFile via, int queues) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            f.pty.slave.flush(queues);
            return;
        }
        Access a = access(via);
        a.console().flush(a.file(), queues);
    }

    @Override
    protected void flowControl(OpenFile via, int action) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            f.pty.slave.flowControl(action);
            return;
        }
        Access a = access(via);
        a.console().flow(a.file(), action);
    }

    /** TCSBRK and TCSBRKP: tcdrain for TCSBRK's non-zero argument, else a break of {@code deciseconds}. */
    void drainOrBreak(OpenFile via, boolean drainOnly, int deciseconds) throws ErrnoException {
        TerminalFront f = frontFor(via);
        if (f != null) {
            f.drain();
        }
        Access a = access(via);
        if (drainOnly) {
            a.console().drain(a.file());
        } else {
            a.console().sendBreak(a.file(), deciseconds);
        }
    }

    void setBreak(OpenFile via, boolean on) throws ErrnoException {
        Access a = access(via);
        a.console().setBreak(a.file(), on);
    }

    /** TIOCOUTQ: what the host has not sent, and a front's pty what it has not handed to the host yet. */
    int outputQueued(OpenFile via) throws ErrnoException {
        TerminalFront f = frontFor(via);
        Access a = access(via);
        return a.console().outputQueued(a.file()) + (f != null ? f.outputQueued() : 0);
    }

    /** TIOCSTI: the character as if typed, into the front's pty (ENOTTY without one: the host's is not jlx's to fill). */
    @Override
    protected void simulateInput(byte c) throws ErrnoException {
        TerminalFront f = front;
        if (f == null) {
            throw unsupported();
        }
        f.pty.slave.simulateInput(c);
    }

    /** The front that serves {@code via}: a host file of the front's terminal or the host's /dev/tty; else null. */
    private TerminalFront frontFor(OpenFile via) throws ErrnoException {
        TerminalFront f = front;
        return f != null && via instanceof VfsFile v && v.terminalFront() == f ? f : null;
    }

    /** The front that serves the host terminal {@code device} (the front's own, or /dev/tty's 5:0), or null. */
    public TerminalFront frontOf(long device) {
        TerminalFront f = front;
        return f != null && (device == f.device() || device == TtyFile.DEV_TTY) ? f : null;
    }

    /**
     * Makes jlx's terminal the front of a pty when {@code input} (jlx's standard input) is jlx's
     * controlling terminal and {@code output} a standard stream on it ({@link TerminalFront}).
     */
    public void startFront(HostConsole console, HostFile input, HostFile output) {
        front = TerminalFront.start(kernel, this, console, input, output);
    }

    /** The run ended: the front's output is written out and it stops (before {@link #restore}). */
    public void closeFront() {
        TerminalFront f = front;
        if (f != null) {
            f.close();
        }
    }

    /** jlx is about to stop: the front gives the host terminal its settings back. */
    public void suspendFront() {
        TerminalFront f = front;
        if (f != null) {
            f.suspend();
        }
    }

    /** jlx runs again: the front takes the terminal again if jlx is in its foreground. */
    public void resumeFront() {
        TerminalFront f = front;
        if (f != null) {
            f.resume();
        }
    }

    @Override
    protected long deviceNumber(OpenFile via) throws ErrnoException {
        return via.stat().rdev();
    }

    /** The access to a host terminal about to change, its state saved first if this is its first change. */
    private Access changing(OpenFile via) throws ErrnoException {
        Access a = access(via);
        save(a, deviceNumber(via));
        return a;
    }

    /** Saves the state of the host terminal {@code device}, reached through {@code a}, unless it was saved. */
    void save(Access a, long device) throws ErrnoException {
        synchronized (this) {
            if (!saved.containsKey(device)) {
                saved.put(device, a.console().save(a.file()));
                if (restoreAtShutdown == null) {
                    restoreAtShutdown = Thread.ofPlatform().name("jlx-terminal-restore").unstarted(this::restoreSaved);
                    Runtime.getRuntime().addShutdownHook(restoreAtShutdown);
                }
            }
        }
    }

    /**
     * The run ended: every host terminal a guest changed gets back the settings it had before, the
     * last changed first.
     */
    public void restore() {
        Thread hook;
        synchronized (this) {
            hook = restoreAtShutdown;
            restoreAtShutdown = null;
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs (or ran) anyway: restoring twice puts back the same state.
            }
        }
        restoreSaved();
        synchronized (this) {
            saved.clear();
        }
    }

    private synchronized void restoreSaved() {
        var states = new java.util.ArrayList<>(saved.values());
        java.util.Collections.reverse(states);
        states.forEach(HostConsole.Saved::restore);
    }

    /**
     * The host terminal changed its size: SIGWINCH to the foreground group, as tty_do_resize sends it
     * (a front's pty takes the size, and signals when it changed).
     */
    public void resized() {
        TerminalFront f = front;
        if (f != null) {
            f.hostResized();
            return;
        }
        int fg = foregroundGroup();
        if (fg != 0) {
            kernel.signalGroup(fg, Signals.SIGWINCH);
        }
    }
}
