package dev.jlx.core.tty;

import static dev.jlx.abi.Termbits.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ioctl;
import dev.jlx.abi.Poll;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Readiness;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;
import java.lang.foreign.MemorySegment;

/**
 * One end of a pseudo-terminal, a {@code tty_struct} of drivers/tty/pty.c: its settings, its line
 * discipline and read buffer, and its flip buffer of bytes the other end wrote that the line
 * discipline has not taken yet. A write runs the writer's output processing into the other end's
 * flip buffer, whose line discipline takes the bytes at once while it has room (Linux does that a
 * moment later in a worker). Everything is guarded by the pair's monitor ({@link Pty}), which
 * blocked readers and writers wait on.
 */
public final class PtyEnd extends Terminal {
    /** TTYB_DEFAULT_MEM_LIMIT: what a flip buffer holds before the writer waits. */
    static final int FLIP_LIMIT = 65536;

    private final Pty pty;
    private final boolean master;
    PtyEnd link;
    private volatile KTermios termios;
    final ByteRing flip = new ByteRing(FLIP_LIMIT);
    final LineDiscipline ldisc = new LineDiscipline(this);
    /** flow.stopped and flow.tco_stopped: output held by ^S or TCOOFF. */
    private boolean stopped;
    private boolean tcoStopped;
    /** TTY_EXCLUSIVE: further opens are EBUSY but for root. */
    boolean exclusive;
    /** TTY_OTHER_CLOSED: the other end is gone (a master's slave descriptions all closed, or the master). */
    boolean otherClosed;
    /** The slave after its master closed (tty_vhangup): reads see end of file, everything else EIO. */
    boolean hungUp;
    /**
     * The terminal whose session and foreground group this end's signals and job-control checks use:
     * itself, or jlx's own terminal for the slave that fronts it ({@link TerminalFront}).
     */
    Terminal jobs = this;
    private final Readiness readiness = new Readiness();
    private long inputChanges;
    private long outputChanges;

    PtyEnd(Kernel kernel, Pty pty, boolean master) {
        super(kernel);
        this.pty = pty;
        this.master = master;
        this.termios = master ? KTermios.PTY_MASTER : KTermios.PTY_SLAVE;
    }

    public Pty pty() {
        return pty;
    }

    @Override
    public boolean master() {
        return master;
    }

    @Override
    public Terminal real() {
        return master ? link : this;
    }

    KTermios termios() {
        return termios;
    }

    /** Settings given before any guest uses the end (a front's slave takes the host terminal's). */
    void initialTermios(KTermios t) {
        termios = t;
    }

    @Override
    public KTermios termios(OpenFile via) {
        return termios;
    }

    /** A pty's output never waits in a driver, so draining is nothing; a flush empties the input first. */
    @Override
    protected void setTermios(OpenFile via, KTermios next, int action) {
        if (action == 2) {
            flush(TCIFLUSH);
        }
        synchronized (pty) {
            KTermios old = termios;
            // pty_set_termios: a pty is always 8 bits, no parity, receiving.
            next = next.withCflag((next.cflag() & ~(CSIZE | PARENB)) | CS8 | CREAD);
            termios = next;
            if (!master && pty.packet) {
                boolean oldFlow = old.i(IXON) && old.cc(VSTOP) == 023 && old.cc(VSTART) == 021;
                boolean newFlow = next.i(IXON) && next.cc(VSTOP) == 023 && next.cc(VSTART) == 021;
                if (oldFlow != newFlow) {
                    pty.pktStatus &= ~(Ioctl.TIOCPKT_DOSTOP | Ioctl.TIOCPKT_NOSTOP);
                    pty.pktStatus |= newFlow ? Ioctl.TIOCPKT_DOSTOP : Ioctl.TIOCPKT_NOSTOP;
                }
            }
            ldisc.termiosChanged(old, next);
            if (!next.i(IXON) && old.i(IXON) && !tcoStopped) {
                startOutput();
            }
            pty.settle();
        }
    }

    @Override
    public Winsize windowSize(OpenFile via) {
        synchronized (pty) {
            return pty.winsize;
        }
    }

    /** pty_resize: SIGWINCH to the slave's foreground group when the size changed. */
    @Override
    protected void resize(OpenFile via, Winsize size) {
        synchronized (pty) {
            if (size.equals(pty.winsize)) {
                return;
            }
            pty.winsize = size;
        }
        int fg = jobs.foregroundGroup();
        if (fg != 0) {
            kernel.signalGroup(fg, Signals.SIGWINCH);
        }
    }

    @Override
    protected long deviceNumber(OpenFile via) {
        return deviceNumber();
    }

    @Override
    public long procDevice() {
        return deviceNumber();
    }

    long deviceNumber() {
        return master ? Pty.encodeDev(5, 2) : Pty.encodeDev(136 + pty.index / 256, pty.index % 256);
    }

    @Override
    public boolean hungUp() {
        synchronized (pty) {
            return hungUp;
        }
    }

    // ---- The line discipline's view of its end. ----

    boolean stopped() {
        return stopped;
    }

    /** Room for output in the other end's flip buffer; none while stopped (pty_write_room). */
    int outputRoom() {
        return stopped ? 0 : link.flip.room();
    }

    void emit(int b) {
        link.flip.put((byte) b);
    }

    void emit(MemorySegment src, long offset, int n) {
        link.flip.put(src, offset, n);
    }

    /** __stop_tty: output held; a packet-mode master hears of it (pty_stop). */
    void stopOutput() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!master && pty.packet) {
            pty.pktStatus = (pty.pktStatus & ~Ioctl.TIOCPKT_START) | Ioctl.TIOCPKT_STOP;
        }
    }

    /** __start_tty: output goes on, unless TCOOFF holds it. */
    void startOutput() {
        if (!stopped || tcoStopped) {
            return;
        }
        stopped = false;
        if (!master && pty.packet) {
            pty.pktStatus = (pty.pktStatus & ~Ioctl.TIOCPKT_STOP) | Ioctl.TIOCPKT_START;
        }
        ldisc.processEchoes();
    }

    /** pty_flush_buffer: what this end wrote and the other's line discipline has not taken goes. */
    void flushOutput() {
        link.flip.clear();
        if (!master && pty.packet) {
            pty.pktStatus |= Ioctl.TIOCPKT_FLUSHWRITE;
        }
    }

    /** n_tty_packet_mode_flush: a packet-mode master hears that the slave's input went. */
    void flushedInput() {
        if (!master && pty.packet) {
            pty.pktStatus |= Ioctl.TIOCPKT_FLUSHREAD;
        }
    }

    void signalForeground(int sig) {
        int fg = jobs.foregroundGroup();
        if (fg != 0) {
            kernel.signalGroup(fg, sig);
        }
    }

    /**
     * Moves flip bytes into the line discipline while it has room, and writes pending echoes;
     * whether anything moved.
     */
    boolean drain() {
        boolean moved = ldisc.receiveFrom(flip);
        int before = link.flip.size();
        ldisc.processEchoes();
        return moved || link.flip.size() != before;
    }

    /** Something may have changed for this end's readers or writers. */
    void changed() {
        inputChanges++;
        outputChanges++;
        readiness.wake(Readiness.ALL);
    }

    // ---- The file operations. ----

    /**
     * n_tty_read: the job-control check, then a canonical line, or in raw mode VMIN bytes with
     * VTIME's timer (between bytes when VMIN is set, for the whole read when not); EAGAIN with
     * {@code nonblocking}; EIO once the other end is gone and the buffer is empty; end of file on a
     * hung-up slave. A packet-mode master's read starts with a status byte.
     */
    int read(GuestThread t, MemorySegment dst, boolean nonblocking) throws ErrnoException {
        jobs.checkForeground(t, Signals.SIGTTIN);
        synchronized (pty) {
            if (hungUp) {
                return 0;
            }
            KTermios tm = termios;
            boolean canonical = tm.l(ICANON);
            int minimum = 0;
            long time = 0;
            long timeout = -1;
            if (!canonical) {
                minimum = tm.cc(VMIN);
                if (minimum > 0) {
                    time = tm.cc(VTIME) * 100_000_000L;
                } else {
                    timeout = tm.cc(VTIME) * 100_000_000L;
                    minimum = 1;
                }
            }
            boolean packet = master && pty.packet;
            long nr = dst.byteSize();
            int done = 0;
            boolean[] ended = new boolean[1];
            while (nr > 0) {
                if (packet && pty.pktStatus != 0) {
                    if (done > 0) {
                        break;
                    }
                    dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) pty.pktStatus);
                    pty.pktStatus = 0;
                    done = 1;
                    break;
                }
                if (!ldisc.inputAvailable(1)) {
                    if (otherClosed) {
                        if (done == 0) {
                            throw new ErrnoException(Errno.EIO);
                        }
                        break;
                    }
                    if (hungUp || timeout == 0) {
                        break;
                    }
                    if (nonblocking) {
                        if (done == 0) {
                            throw new ErrnoException(Errno.EAGAIN);
                        }
                        break;
                    }
                    long start = System.nanoTime();
                    try {
                        pty.await(timeout);
                    } catch (ErrnoException interrupted) {
                        if (done > 0) {
                            break;
                        }
                        throw interrupted;
                    }
                    if (timeout > 0) {
                        timeout = Math.max(0, timeout - (System.nanoTime() - start));
                    }
                    continue;
                }
                if (!canonical && packet && done == 0) {
                    dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) Ioctl.TIOCPKT_DATA);
                    done = 1;
                    nr--;
                }
                int n = ldisc.copy(dst, done, (int) Math.min(nr, Integer.MAX_VALUE), ended);
                done += n;
                nr -= n;
                pty.settle();
                if (done >= minimum) {
                    break;
                }
                if (time > 0) {
                    timeout = time;
                }
            }
            return done;
        }
    }

    /**
     * n_tty_write: with TOSTOP, the job-control check; then pending echoes, and the bytes through
     * output processing into the other end while there is room, waiting for more (or EAGAIN); EIO on
     * a hung-up slave.
     */
    int write(GuestThread t, MemorySegment src, boolean nonblocking) throws ErrnoException {
        if (termios.l(TOSTOP)) {
            jobs.checkForeground(t, Signals.SIGTTOU);
        }
        synchronized (pty) {
            ldisc.processEchoes();
            long length = src.byteSize();
            long done = 0;
            while (true) {
                if (hungUp || (!master && pty.masterClosed)) {
                    if (done > 0) {
                        break;
                    }
                    throw new ErrnoException(Errno.EIO);
                }
                done += ldisc.write(src, done, (int) Math.min(length - done, Integer.MAX_VALUE));
                pty.settle();
                if (done == length) {
                    break;
                }
                if (nonblocking) {
                    if (done > 0) {
                        break;
                    }
                    throw new ErrnoException(Errno.EAGAIN);
                }
                try {
                    pty.await(-1);
                } catch (ErrnoException interrupted) {
                    if (done > 0) {
                        break;
                    }
                    throw interrupted;
                }
            }
            return (int) done;
        }
    }

    /** n_tty_poll; a hung-up slave is ready for everything and hung up (hung_up_tty_poll). */
    int poll(int events) {
        synchronized (pty) {
            int in = Poll.POLLIN | Poll.POLLRDNORM;
            int out = Poll.POLLOUT | Poll.POLLWRNORM;
            if (hungUp) {
                return (events & (in | out)) | Poll.POLLERR | Poll.POLLHUP;
            }
            KTermios tm = termios;
            int amount = !tm.l(ICANON) && tm.cc(VTIME) == 0 && tm.cc(VMIN) > 0 ? tm.cc(VMIN) : 1;
            int mask = 0;
            if (ldisc.inputAvailable(amount)) {
                mask |= events & in;
            }
            if (master && pty.packet && pty.pktStatus != 0) {
                mask |= (events & (in | Poll.POLLPRI));
            }
            if (otherClosed) {
                mask |= Poll.POLLHUP;
            }
            if (outputRoom() > 0) {
                mask |= events & out;
            }
            return mask;
        }
    }

    Readiness readiness() {
        return readiness;
    }

    long changes(boolean input) {
        synchronized (pty) {
            return input ? inputChanges : outputChanges;
        }
    }

    @Override
    protected void flush(int queues) {
        synchronized (pty) {
            if (queues != TCOFLUSH) {
                ldisc.reset();
                if (!master) {
                    flushedInput();
                }
            }
            if (queues != TCIFLUSH) {
                flushOutput();
            }
            pty.settle();
        }
    }

    @Override
    protected void flowControl(int action) {
        synchronized (pty) {
            switch (action) {
                case TCOOFF -> {
                    if (!tcoStopped) {
                        tcoStopped = true;
                        stopOutput();
                    }
                }
                case TCOON -> {
                    if (tcoStopped) {
                        tcoStopped = false;
                        startOutput();
                    }
                }
                default -> {
                    // tty_send_xchar: VSTOP or VSTART straight to the other end, even while stopped.
                    int c = termios.cc(action == TCIOFF ? VSTOP : VSTART);
                    if (c != 0) {
                        boolean wasStopped = stopped;
                        stopped = false;
                        if (link.flip.room() > 0) {
                            emit(c);
                        }
                        stopped = wasStopped;
                    }
                }
            }
            pty.settle();
        }
    }

    @Override
    protected int inputQueued() {
        synchronized (pty) {
            return ldisc.inputQueued();
        }
    }

    @Override
    protected void simulateInput(byte c) {
        synchronized (pty) {
            ldisc.receive(c & 0xff);
            pty.settle();
        }
    }
}
