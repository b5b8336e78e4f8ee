package dev.jlx.core.tty;

import static dev.jlx.abi.Termbits.*;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Ioctl;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Termio;
import dev.jlx.abi.struct.Termios;
import dev.jlx.abi.struct.Termios2;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * The terminal ioctls (drivers/tty/tty_io.c tty_ioctl, tty_ioctl.c tty_mode_ioctl and
 * n_tty_ioctl_helper, pty.c pty_unix98_ioctl): a pty master's settings, size and foreground group
 * are its slave's ("real_tty"). A request no terminal knows, or that this terminal's driver cannot
 * do, is ENOTTY and named once in jlx's log.
 */
public final class TtyIoctls {
    private TtyIoctls() {}

    /** ioctl(2) of {@code request} on {@code f}, an open file of {@code tty}. */
    public static long ioctl(GuestThread t, OpenFile f, Terminal tty, int request, long arg) throws ErrnoException {
        if (tty.hungUp()) {
            // hung_up_tty_ioctl.
            throw new ErrnoException(request == Ioctl.TIOCSPGRP ? Errno.ENOTTY : Errno.EIO);
        }
        GuestMemory mem = t.process().space().memory();
        GuestProcess p = t.process();
        Terminal real = tty.real();
        switch (request) {
            case Ioctl.TCGETS -> {
                ByteBuffer b = GuestMemory.structBuffer(Termios.SIZE);
                real.termios(f).abi().writeTo(b, 0);
                mem.writeStruct(arg, b);
            }
            case Ioctl.TCGETS2 -> {
                ByteBuffer b = GuestMemory.structBuffer(Termios2.SIZE);
                real.termios(f).abi2().writeTo(b, 0);
                mem.writeStruct(arg, b);
            }
            case Ioctl.TCGETA -> {
                ByteBuffer b = GuestMemory.structBuffer(Termio.SIZE);
                real.termios(f).termio().writeTo(b, 0);
                mem.writeStruct(arg, b);
            }
            case Ioctl.TCSETS, Ioctl.TCSETSW, Ioctl.TCSETSF -> {
                Termios next = Termios.readFrom(mem.readStruct(arg, Termios.SIZE), 0);
                setTermios(t, f, real, request - Ioctl.TCSETS, current -> current.with(next));
            }
            case Ioctl.TCSETS2, Ioctl.TCSETSW2, Ioctl.TCSETSF2 -> {
                Termios2 next = Termios2.readFrom(mem.readStruct(arg, Termios2.SIZE), 0);
                setTermios(t, f, real, request - Ioctl.TCSETS2, current -> current.with(next));
            }
            case Ioctl.TCSETA, Ioctl.TCSETAW, Ioctl.TCSETAF -> {
                Termio next = Termio.readFrom(mem.readStruct(arg, Termio.SIZE), 0);
                setTermios(t, f, real, request - Ioctl.TCSETA, current -> current.with(next));
            }
            case Ioctl.TIOCGWINSZ -> {
                ByteBuffer b = GuestMemory.structBuffer(Winsize.SIZE);
                real.windowSize(f).writeTo(b, 0);
                mem.writeStruct(arg, b);
            }
            case Ioctl.TIOCSWINSZ -> real.resize(f, Winsize.readFrom(mem.readStruct(arg, Winsize.SIZE), 0));
            case Ioctl.TIOCGPGRP -> {
                if (tty == real && p.controllingTerminal() != real) {
                    throw new ErrnoException(Errno.ENOTTY);
                }
                mem.writeInt(arg, real.foregroundGroup());
            }
            case Ioctl.TIOCSPGRP -> real.setForeground(t, mem.readInt(arg));
            case Ioctl.TIOCGSID -> {
                if (tty == real && p.controllingTerminal() != real) {
                    throw new ErrnoException(Errno.ENOTTY);
                }
                int sid = real.session();
                if (sid == 0) {
                    throw new ErrnoException(Errno.ENOTTY);
                }
                mem.writeInt(arg, sid);
            }
            case Ioctl.TIOCSCTTY -> real.setControlling(p, f.readable(), (int) arg == 1);
            case Ioctl.TIOCNOTTY -> tty.giveUp(p);
            case Ioctl.TIOCEXCL, Ioctl.TIOCNXCL -> exclusive(tty, request == Ioctl.TIOCEXCL);
            case Ioctl.TIOCGEXCL -> mem.writeInt(arg, exclusive(tty, null) ? 1 : 0);
            case Ioctl.TIOCGETD -> mem.writeInt(arg, N_TTY);
            case Ioctl.TIOCSETD -> {
                tty.checkForeground(t, Signals.SIGTTOU);
                int disc = mem.readInt(arg);
                // Only N_TTY is there; another would be a module to load, which there is not.
                if (disc != N_TTY) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            }
            case Ioctl.TCSBRK, Ioctl.TCSBRKP -> {
                // tcdrain and tcsendbreak: a pty sends at once and has no line to break; the host's terminal is asked.
                tty.checkForeground(t, Signals.SIGTTOU);
                if (tty instanceof HostTerminal host) {
                    host.drainOrBreak(f, request == Ioctl.TCSBRK && arg != 0, request == Ioctl.TCSBRKP ? (int) arg : 0);
                } else if (!(tty instanceof PtyEnd)) {
                    throw unknown(t, request);
                }
            }
            case Ioctl.TIOCSBRK, Ioctl.TIOCCBRK -> {
                tty.checkForeground(t, Signals.SIGTTOU);
                if (tty instanceof HostTerminal host) {
                    host.setBreak(f, request == Ioctl.TIOCSBRK);
                } else if (!(tty instanceof PtyEnd)) {
                    throw unknown(t, request);
                }
            }
            case Ioctl.TCXONC -> {
                tty.checkForeground(t, Signals.SIGTTOU);
                if (arg < TCOOFF || arg > TCION) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                tty.flowControl(f, (int) arg);
            }
            case Ioctl.TCFLSH -> {
                tty.checkForeground(t, Signals.SIGTTOU);
                if (arg < TCIFLUSH || arg > TCIOFLUSH) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                tty.flush(f, (int) arg);
            }
            case Ioctl.TIOCOUTQ -> {
                // A pty hands its output over at once: nothing waits in a driver's queue; the host's terminal is asked.
                if (tty instanceof HostTerminal host) {
                    mem.writeInt(arg, host.outputQueued(f));
                } else if (tty instanceof PtyEnd) {
                    mem.writeInt(arg, 0);
                } else {
                    throw unknown(t, request);
                }
            }
            case Ioctl.TIOCSTI -> {
                if (p.controllingTerminal() != tty && !p.credentials().capable(GuestProcess.CAP_SYS_ADMIN)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                tty.simulateInput(mem.readByte(arg));
            }
            case Ioctl.TIOCGSOFTCAR -> mem.writeInt(arg, (real.termios(f).cflag() & CLOCAL) != 0 ? 1 : 0);
            case Ioctl.TIOCSSOFTCAR -> {
                int on = mem.readInt(arg);
                KTermios cur = real.termios(f);
                real.setTermios(f, real.keepLocked(cur.withCflag((cur.cflag() & ~CLOCAL) | (on != 0 ? CLOCAL : 0)), cur),
                        0);
            }
            case Ioctl.TIOCGLCKTRMIOS -> {
                ByteBuffer b = GuestMemory.structBuffer(Termios.SIZE);
                real.lockedTermios().writeTo(b, 0);
                mem.writeStruct(arg, b);
            }
            case Ioctl.TIOCSLCKTRMIOS -> {
                if (!p.credentials().capable(GuestProcess.CAP_SYS_ADMIN)
                        && !p.credentials().capable(GuestProcess.CAP_CHECKPOINT_RESTORE)) {
                    throw new ErrnoException(Errno.EPERM);
                }
                real.lockTermios(Termios.readFrom(mem.readStruct(arg, Termios.SIZE), 0));
            }
            case Ioctl.TIOCGDEV -> mem.writeInt(arg, (int) real.deviceNumber(f));
            case Ioctl.TIOCGPTN, Ioctl.TIOCSPTLCK, Ioctl.TIOCGPTLCK, Ioctl.TIOCPKT, Ioctl.TIOCGPKT, Ioctl.TIOCSIG ->
                    masterIoctl(t, tty, request, arg);
            default -> throw unknown(t, request);
        }
        return 0;
    }

    private static ErrnoException unknown(GuestThread t, int request) {
        String name = Ioctl.name(request);
        t.process().kernel().warnOnce("ioctl-" + request, "unimplemented terminal ioctl "
                + (name != null ? name : "0x" + Integer.toHexString(request)) + ": ENOTTY");
        return new ErrnoException(Errno.ENOTTY);
    }

    /**
     * set_termios: the job-control check, TCSAFLUSH's input flush, then the new settings with rates
     * as the B* codes say; {@code action} is 0 (now), 1 (drain: a pty has nothing to wait for) or 2
     * (flush).
     */
    private static void setTermios(GuestThread t, OpenFile f, Terminal real, int action,
            java.util.function.UnaryOperator<KTermios> next) throws ErrnoException {
        real.checkForeground(t, Signals.SIGTTOU);
        KTermios old = real.termios(f);
        real.setTermios(f, real.keepLocked(next.apply(old).withRates(), old), action);
    }

    private static boolean exclusive(Terminal tty, Boolean set) throws ErrnoException {
        if (!(tty instanceof PtyEnd end)) {
            throw new ErrnoException(Errno.ENOTTY);
        }
        synchronized (end.pty()) {
            if (set != null) {
                end.exclusive = set;
            }
            return end.exclusive;
        }
    }

    /** pty_unix98_ioctl: the requests only a pty master takes (ENOTTY on any other terminal). */
    private static void masterIoctl(GuestThread t, Terminal tty, int request, long arg) throws ErrnoException {
        if (!(tty instanceof PtyEnd end) || !end.master()) {
            throw new ErrnoException(Errno.ENOTTY);
        }
        GuestMemory mem = t.process().space().memory();
        Pty pty = end.pty();
        switch (request) {
            case Ioctl.TIOCGPTN -> mem.writeInt(arg, pty.index);
            case Ioctl.TIOCSPTLCK -> {
                int lock = mem.readInt(arg);
                synchronized (pty) {
                    pty.locked = lock != 0;
                }
            }
            case Ioctl.TIOCGPTLCK -> {
                boolean locked;
                synchronized (pty) {
                    locked = pty.locked;
                }
                mem.writeInt(arg, locked ? 1 : 0);
            }
            case Ioctl.TIOCPKT -> {
                int on = mem.readInt(arg);
                synchronized (pty) {
                    if (on != 0 && !pty.packet) {
                        pty.pktStatus = 0;
                    }
                    pty.packet = on != 0;
                    pty.settle();
                }
            }
            case Ioctl.TIOCGPKT -> {
                boolean packet;
                synchronized (pty) {
                    packet = pty.packet;
                }
                mem.writeInt(arg, packet ? 1 : 0);
            }
            default -> {
                // TIOCSIG: SIGINT, SIGQUIT or SIGTSTP to the slave's foreground group.
                int sig = (int) arg;
                if (sig != Signals.SIGINT && sig != Signals.SIGQUIT && sig != Signals.SIGTSTP) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                pty.slave.signalForeground(sig);
            }
        }
    }

    /**
     * TIOCGPTPEER (ptm_open_peer): the slave of the master {@code tty}, opened with {@code flags}
     * (O_RDWR, O_NOCTTY, O_CLOEXEC, ...) as an open of its node would; EIO on any other terminal.
     */
    public static OpenFile openPeer(GuestThread t, Terminal tty, int flags) throws ErrnoException {
        if (!(tty instanceof PtyEnd end) || !end.master()) {
            throw new ErrnoException(Errno.EIO);
        }
        Pty pty = end.pty();
        OpenFile peer = Devpts.openSlave(pty, t.process(), flags & ~OpenFlags.O_CLOEXEC, pty::slaveStat);
        peer.terminal().openedBy(t.process(), (flags & OpenFlags.O_NOCTTY) != 0, peer.readable());
        return peer;
    }
}
