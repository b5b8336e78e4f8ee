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
 * leads it): job control is kept here as for any terminal, while the settings and the size are the
 * host's, asked through the host file a guest's descriptor holds ({@link Access}). Every host
 * terminal a guest reaches is taken to be this one.
 *
 * <p>The user's terminal must not stay as a guest left it: before the first change of a host
 * terminal (each device once) its whole state is saved, and {@link #restore} puts it back when the
 * run ends, or a JVM shutdown hook does when jlx ends first (System.exit, SIGTERM, SIGHUP).
 */
public final class HostTerminal extends Terminal {
    /** The one place a host terminal's settings are read or changed: the host console and the host file. */
    public record Access(HostConsole console, HostFile file) {}

    /** The state of each host terminal changed, by device number, in the order first changed; under {@code this}. */
    private final Map<Long, HostConsole.Saved> saved = new LinkedHashMap<>();
    private Thread restoreAtShutdown;

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
        Access a = access(via);
        HostConsole.Termios t = a.console().attributes(a.file());
        return new KTermios(t.iflag(), t.oflag(), t.cflag(), t.lflag(), t.line(), t.cc(), 0, 0).withRates();
    }

    @Override
    protected void setTermios(OpenFile via, KTermios next, int action) throws ErrnoException {
        Access a = changing(via);
        a.console().setAttributes(a.file(), new HostConsole.Termios(next.iflag(), next.oflag(), next.cflag(),
                next.lflag(), next.line(), next.cc()), action);
    }

    @Override
    public Winsize windowSize(OpenFile via) throws ErrnoException {
        Access a = access(via);
        HostConsole.WindowSize ws = a.console().windowSize(a.file());
        return new Winsize(ws.rows(), ws.columns(), ws.xpixels(), ws.ypixels());
    }

    /**
     * TIOCSWINSZ: the host terminal takes the size; its SIGWINCH for a change reaches the foreground
     * group as every host resize does ({@link #resized}), so none is sent here.
     */
    @Override
    protected void resize(OpenFile via, Winsize size) throws ErrnoException {
        Access a = access(via);
        a.console().setWindowSize(a.file(), new HostConsole.WindowSize(size.row(), size.col(), size.xpixel(),
                size.ypixel()));
    }

    @Override
    protected void flush(OpenFile via, int queues) throws ErrnoException {
        Access a = access(via);
        a.console().flush(a.file(), queues);
    }

    @Override
    protected void flowControl(OpenFile via, int action) throws ErrnoException {
        Access a = access(via);
        a.console().flow(a.file(), action);
    }

    /** TCSBRK and TCSBRKP: tcdrain for TCSBRK's non-zero argument, else a break of {@code deciseconds}. */
    void drainOrBreak(OpenFile via, boolean drainOnly, int deciseconds) throws ErrnoException {
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

    int outputQueued(OpenFile via) throws ErrnoException {
        Access a = access(via);
        return a.console().outputQueued(a.file());
    }

    @Override
    protected long deviceNumber(OpenFile via) throws ErrnoException {
        return via.stat().rdev();
    }

    /** The access to a host terminal about to change, its state saved first if this is its first change. */
    private Access changing(OpenFile via) throws ErrnoException {
        Access a = access(via);
        long device = deviceNumber(via);
        synchronized (this) {
            if (!saved.containsKey(device)) {
                saved.put(device, a.console().save(a.file()));
                if (restoreAtShutdown == null) {
                    restoreAtShutdown = Thread.ofPlatform().name("jlx-terminal-restore").unstarted(this::restoreSaved);
                    Runtime.getRuntime().addShutdownHook(restoreAtShutdown);
                }
            }
        }
        return a;
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

    /** The host terminal changed its size: SIGWINCH to the foreground group, as tty_do_resize sends it. */
    public void resized() {
        int fg = foregroundGroup();
        if (fg != 0) {
            kernel.signalGroup(fg, Signals.SIGWINCH);
        }
    }
}
