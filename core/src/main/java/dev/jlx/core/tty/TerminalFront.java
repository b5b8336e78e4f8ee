package dev.jlx.core.tty;

import static dev.jlx.abi.Termbits.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Poll;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * jlx's own terminal as the front of one of jlx's ptys, as ssh, script, tmux and WSL1 are for
 * theirs: the host terminal is set raw (no signals, no editing, no echo, no output processing) while
 * jlx is in its foreground, one thread copies what is typed into the pty's master and another what
 * the master reads (the guests' output, echoes) to the host terminal. So jlx's {@link LineDiscipline}
 * is the guests' terminal: canonical editing, echo, ^C ^\ ^Z as SIGINT, SIGQUIT and SIGTSTP for the
 * foreground group of jlx's terminal ({@link HostTerminal}'s job control, which the slave uses),
 * VMIN/VTIME, TIOCSTI; the host's own line discipline makes no signal for jlx (HotSpot keeps SIGQUIT
 * for its thread dump).
 *
 * <p>The guest sees the host terminal's files (their device numbers and names) whose reads, writes,
 * polls and settings are the slave's; the slave starts with the host terminal's settings and size. A
 * jlx in the background neither reads the host terminal nor changes its settings (a guest's read
 * waits until jlx is in the foreground), so it is never stopped by SIGTTIN or SIGTTOU for being
 * there; its guests' output is written as any background program's.
 */
public final class TerminalFront {
    /** How often the input thread looks whether jlx came to the foreground, or is closing. */
    private static final int POLL_MILLIS = 100;
    /** The longest wait at the end (or before jlx stops) for the guests' output to reach the host. */
    private static final long DRAIN_NANOS = 2_000_000_000L;

    private final HostConsole console;
    private final HostFile input;
    private final HostFile output;
    private final long device;
    final Pty pty;
    private final HostTerminal terminal;
    private final Thread reader;
    private final Thread writer;
    /** Whether the host terminal is raw now, its settings before, and whether jlx gave it back to stop; under this. */
    private boolean raw;
    private HostConsole.Termios cooked;
    private boolean suspended;
    private volatile boolean closing;
    /** Bytes the writer took from the master and has not written to the host yet; under the pty's monitor. */
    private boolean writing;

    private TerminalFront(Kernel kernel, HostTerminal terminal, HostConsole console, HostFile input, HostFile output,
            long device, HostConsole.Termios settings, HostConsole.WindowSize size) {
        this.console = console;
        this.input = input;
        this.output = output;
        this.device = device;
        this.terminal = terminal;
        this.pty = new Pty(kernel, new Devpts(), 0, 0, 0, 0);
        pty.slave.jobs = terminal;
        pty.slave.initialTermios(new KTermios(settings.iflag(), settings.oflag(), settings.cflag(), settings.lflag(),
                settings.line(), settings.cc(), 0, 0).withRates());
        pty.winsize = new Winsize(size.rows(), size.columns(), size.xpixels(), size.ypixels());
        reader = Thread.ofPlatform().daemon().name("jlx-terminal-input").unstarted(this::pumpInput);
        writer = Thread.ofPlatform().daemon().name("jlx-terminal-output").unstarted(this::pumpOutput);
    }

    /**
     * A front for the host terminal {@code input} (jlx's standard input) writing to {@code output}
     * (its standard output, the same terminal), started; null when {@code input} is not jlx's
     * controlling terminal.
     */
    static TerminalFront start(Kernel kernel, HostTerminal terminal, HostConsole console, HostFile input,
            HostFile output) {
        TerminalFront front;
        try {
            console.foreground(input);
            front = new TerminalFront(kernel, terminal, console, input, output, input.stat().rdev(),
                    console.attributes(input), console.windowSize(input));
        } catch (ErrnoException notOurTerminal) {
            return null;
        }
        // Raw before the first guest runs, so that no key it is meant to get makes a host signal for jlx.
        front.takeTerminal();
        front.writer.start();
        front.reader.start();
        return front;
    }

    /** The host terminal's device number (a standard stream's rdev). */
    long device() {
        return device;
    }

    // ---- The guests' side: the slave's file operations. ----

    public int read(GuestThread t, MemorySegment dst, boolean nonblocking) throws ErrnoException {
        return pty.slave.read(t, dst, nonblocking);
    }

    public int write(GuestThread t, MemorySegment src, boolean nonblocking) throws ErrnoException {
        return pty.slave.write(t, src, nonblocking);
    }

    public int poll(int events) {
        return pty.slave.poll(events);
    }

    public Readiness readiness() {
        return pty.slave.readiness();
    }

    public long pollGeneration(boolean input) {
        return pty.slave.changes(input);
    }

    public int bytesReadable() {
        return pty.slave.inputQueued();
    }

    /** The bytes the guests wrote that are not on the host terminal yet (TIOCOUTQ's share of the pty). */
    int outputQueued() {
        synchronized (pty) {
            return pty.master.ldisc.readCount() + pty.master.flip.size();
        }
    }

    /** The host terminal changed its size: the pty takes it, SIGWINCH to the foreground group when it differs. */
    void hostResized() {
        try {
            HostConsole.WindowSize ws = console.windowSize(input);
            pty.slave.resize(null, new Winsize(ws.rows(), ws.columns(), ws.xpixels(), ws.ypixels()));
        } catch (ErrnoException gone) {
            // The terminal went away: nothing to resize.
        }
    }

    // ---- The host's side. ----

    /**
     * Makes the host terminal raw if jlx is in its foreground and not about to stop; whether it is
     * (the input thread reads only then).
     */
    private synchronized boolean takeTerminal() {
        if (suspended || closing) {
            return false;
        }
        boolean foreground;
        try {
            foreground = console.foreground(input);
        } catch (ErrnoException gone) {
            foreground = false;
        }
        if (!foreground) {
            // The user's shell has the terminal (jlx in the background): its settings are the shell's.
            raw = false;
            return false;
        }
        if (!raw) {
            try {
                HostConsole.Termios now = console.attributes(input);
                terminal.save(new HostTerminal.Access(console, input), device);
                console.setAttributes(input, makeRaw(now), 1);
                cooked = now;
                raw = true;
            } catch (ErrnoException e) {
                Kernel.log().log(System.Logger.Level.WARNING, "jlx's terminal cannot be set raw: " + e.getMessage());
                return false;
            }
        }
        return true;
    }

    /**
     * cfmakeraw(3): no input processing, signals, canonical mode, echo or output processing, 8 bits,
     * reads of one byte; the rest of the host's settings as they are.
     */
    static HostConsole.Termios makeRaw(HostConsole.Termios t) {
        byte[] cc = t.cc().clone();
        cc[VMIN] = 1;
        cc[VTIME] = 0;
        return new HostConsole.Termios(t.iflag() & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON),
                t.oflag() & ~OPOST, (t.cflag() & ~(CSIZE | PARENB)) | CS8,
                t.lflag() & ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN), t.line(), cc);
    }

    /**
     * jlx is about to stop (its first process stopped): the guests' output goes out, and the host
     * terminal gets back the settings it had, for the user's shell, until {@link #resume}.
     */
    void suspend() {
        drain();
        synchronized (this) {
            suspended = true;
            giveBack();
        }
    }

    /** jlx runs again (SIGCONT): the terminal is taken again if jlx is in its foreground. */
    void resume() {
        synchronized (this) {
            suspended = false;
        }
        takeTerminal();
    }

    private void giveBack() {
        if (raw) {
            raw = false;
            try {
                console.setAttributes(input, cooked, 1);
            } catch (ErrnoException gone) {
                // The terminal went away.
            }
        }
    }

    /**
     * The run ended: what the guests wrote reaches the host terminal before jlx's own last words,
     * and the copying stops. The settings are put back by {@link HostTerminal#restore}.
     */
    void close() {
        drain();
        closing = true;
        reader.interrupt();
        writer.interrupt();
        try {
            reader.join(1000);
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (a while at most) until everything the guests wrote is on the host terminal (TCSBRK's tcdrain too). */
    void drain() {
        long end = System.nanoTime() + DRAIN_NANOS;
        synchronized (pty) {
            while (writing || pty.master.ldisc.readCount() > 0 || !pty.master.flip.isEmpty()) {
                long left = end - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return;
                }
                try {
                    pty.await(left);
                } catch (ErrnoException interrupted) {
                    return;
                }
            }
        }
    }

    /** Typed input, while jlx is in the foreground, into the master (the slave's line discipline takes it). */
    private void pumpInput() {
        MemorySegment buf = Arena.ofAuto().allocate(LineDiscipline.N_TTY_BUF_SIZE);
        while (!closing) {
            try {
                if (!takeTerminal()) {
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                if ((input.poll(Poll.POLLIN, POLL_MILLIS) & (Poll.POLLIN | Poll.POLLERR | Poll.POLLHUP)) == 0) {
                    continue;
                }
                int n = input.read(buf);
                if (n <= 0) {
                    return; // hung up: the host's SIGHUP tells jlx
                }
                MemorySegment typed = buf.asSlice(0, n);
                for (int done = 0; done < n; ) {
                    done += pty.master.write(null, typed.asSlice(done), false);
                }
            } catch (InterruptedException e) {
                return;
            } catch (ErrnoException e) {
                if (closing) {
                    return;
                }
                if (e.errno() != Errno.EINTR && e.errno() != Errno.EIO && e.errno() != Errno.EAGAIN) {
                    Kernel.log().log(System.Logger.Level.WARNING, "jlx's terminal input stops: " + e.getMessage());
                    return;
                }
                // A read from the background (EIO) or interrupted: look again in a while.
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** The guests' output and echoes, from the master to the host terminal. */
    private void pumpOutput() {
        MemorySegment buf = Arena.ofAuto().allocate(PtyEnd.FLIP_LIMIT);
        boolean gone = false;
        while (true) {
            int n;
            synchronized (pty) {
                try {
                    n = pty.master.read(null, buf, false);
                } catch (ErrnoException interrupted) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                writing = true;
            }
            try {
                for (int done = 0; done < n && !gone; ) {
                    try {
                        done += output.write(buf.asSlice(done, n - done));
                    } catch (ErrnoException e) {
                        if (e.errno() == Errno.EAGAIN) {
                            output.poll(Poll.POLLOUT, POLL_MILLIS);
                        } else if (e.errno() != Errno.EINTR) {
                            gone = true; // the terminal went away: the guests' output is dropped, as a hung-up line's
                        }
                    }
                }
            } catch (ErrnoException pollFailed) {
                gone = true;
            } finally {
                synchronized (pty) {
                    writing = false;
                    pty.notifyAll();
                }
            }
        }
    }
}
