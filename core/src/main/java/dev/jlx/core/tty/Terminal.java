package dev.jlx.core.tty;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Signals;
import dev.jlx.abi.struct.Termios;
import dev.jlx.abi.struct.Winsize;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.kernel.Kernel;

/**
 * A terminal, Linux's {@code struct tty_struct} as job control sees it: the session it is the
 * controlling terminal of and that session's foreground process group (its {@code ctrl}), the
 * checks of drivers/tty/tty_jobctrl.c, and the settings and queues its driver keeps, which the
 * subclasses give: a pty end ({@link PtyEnd}) or jlx's own terminal ({@link HostTerminal}). The
 * process side of the link is {@link GuestProcess#controllingTerminal()}.
 */
public abstract class Terminal {
    protected final Kernel kernel;
    /** The session and foreground group (Linux's tty->ctrl.session, ctrl.pgrp), 0 for none; under {@code ctrl}. */
    private int session;
    private int pgrp;
    private final Object ctrl = new Object();
    /**
     * TIOCSLCKTRMIOS's settings (Linux's termios_locked): a flag bit or control character set in
     * them keeps its value through every change of the settings; under {@code ctrl}.
     */
    private Termios locked = new Termios(0, 0, 0, 0, (byte) 0, new byte[Termios.NCCS]);

    protected Terminal(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The terminal whose settings an ioctl on this one acts on: a pty master's slave, else itself. */
    public Terminal real() {
        return this;
    }

    /** Whether this is a pty master (which never becomes a controlling terminal). */
    public boolean master() {
        return false;
    }

    public Termios lockedTermios() {
        synchronized (ctrl) {
            return locked;
        }
    }

    public void lockTermios(Termios lock) {
        synchronized (ctrl) {
            locked = lock;
        }
    }

    /** unset_locked_termios: {@code next} with what the lock covers taken from {@code old} (the rates are not locked). */
    KTermios keepLocked(KTermios next, KTermios old) {
        Termios l = lockedTermios();
        byte[] cc = next.cc().clone();
        for (int i = 0; i < Math.min(cc.length, l.cc().length); i++) {
            if (l.cc()[i] != 0) {
                cc[i] = old.cc()[i];
            }
        }
        return new KTermios(keep(next.iflag(), old.iflag(), l.iflag()), keep(next.oflag(), old.oflag(), l.oflag()),
                keep(next.cflag(), old.cflag(), l.cflag()), keep(next.lflag(), old.lflag(), l.lflag()),
                l.line() != 0 ? old.line() : next.line(), cc, next.ispeed(), next.ospeed());
    }

    private static int keep(int next, int old, int mask) {
        return (next & ~mask) | (old & mask);
    }

    public int session() {
        synchronized (ctrl) {
            return session;
        }
    }

    public int foregroundGroup() {
        synchronized (ctrl) {
            return pgrp;
        }
    }

    /** A terminal that starts as a session's controlling terminal (jlx's own). */
    protected void setSession(int session, int pgrp) {
        synchronized (ctrl) {
            this.session = session;
            this.pgrp = pgrp;
        }
    }

    void setForegroundGroup(int pgrp) {
        synchronized (ctrl) {
            this.pgrp = pgrp;
        }
    }

    /**
     * This terminal becomes the controlling terminal of {@code p}'s session, its group in the
     * foreground (__proc_set_tty).
     */
    protected void attach(GuestProcess p) {
        synchronized (ctrl) {
            session = p.sid();
            pgrp = p.pgid();
        }
        p.setControllingTerminal(this);
    }

    /** It is no session's controlling terminal any more (the end of disassociate_ctty, a hang-up). */
    protected void detach() {
        synchronized (ctrl) {
            session = 0;
            pgrp = 0;
        }
    }

    /** The session's processes, if it has this terminal, lose it (session_clear_tty). */
    void clearSession(int sid) {
        for (GuestProcess p : kernel.processes()) {
            if (p.sid() == sid && p.controllingTerminal() == this) {
                p.setControllingTerminal(null);
            }
        }
    }

    /**
     * An open of /dev/tty (tty_open_current_tty): the caller's controlling terminal, reopened; ENXIO
     * without one. Null when that is jlx's own terminal, which the file system's /dev/tty opens.
     */
    public static OpenFile openCurrent(GuestProcess p, int flags, NodeStat node)
            throws ErrnoException {
        Terminal tty = p.controllingTerminal();
        if (tty == null) {
            throw new ErrnoException(Errno.ENXIO);
        }
        if (tty instanceof PtyEnd end) {
            return Devpts.openSlave(end.pty(), p, flags, node);
        }
        return null;
    }

    // ---- The driver's part: settings, size and queues. A terminal that cannot do one says ENOTTY. ----

    /** The settings; {@code via} is the open file asked (a host terminal answers through it). */
    public abstract KTermios termios(OpenFile via) throws ErrnoException;

    /**
     * Applies new settings after the caller's job-control check: now ({@code action} 0, TCSANOW),
     * once output has drained (1) or having flushed the input (2, TCSAFLUSH).
     */
    protected abstract void setTermios(OpenFile via, KTermios next, int action) throws ErrnoException;

    public abstract Winsize windowSize(OpenFile via) throws ErrnoException;

    /** TIOCSWINSZ: a new size; SIGWINCH to the foreground group when it changed (tty_do_resize). */
    protected void resize(OpenFile via, Winsize size) throws ErrnoException {
        throw unsupported();
    }

    /** TCFLSH's queue selector, TCIFLUSH, TCOFLUSH or TCIOFLUSH (checked by the caller). */
    protected void flush(int queues) throws ErrnoException {
        throw unsupported();
    }

    /** TCXONC's action (TCOOFF, TCOON, TCIOFF, TCION; checked by the caller). */
    protected void flowControl(int action) throws ErrnoException {
        throw unsupported();
    }

    /** TCFLSH through the open file {@code via} (a host terminal acts on the file's terminal). */
    protected void flush(OpenFile via, int queues) throws ErrnoException {
        flush(queues);
    }

    /** TCXONC through the open file {@code via}. */
    protected void flowControl(OpenFile via, int action) throws ErrnoException {
        flowControl(action);
    }

    /** FIONREAD: the bytes a read could take now (a canonical terminal's whole lines). */
    protected int inputQueued() throws ErrnoException {
        throw unsupported();
    }

    /** TIOCSTI: {@code c} as if typed. */
    protected void simulateInput(byte c) throws ErrnoException {
        throw unsupported();
    }

    /** The device number /proc/PID/stat shows as tty_nr; 0 where jlx does not know it (jlx's own terminal). */
    public long procDevice() {
        return 0;
    }

    /** Whether the terminal hung up on its open files (a pty slave whose master closed): its ioctls are EIO. */
    public boolean hungUp() {
        return false;
    }

    /** The device number (TIOCGDEV, in Linux's new_encode_dev form). */
    protected abstract long deviceNumber(OpenFile via) throws ErrnoException;

    /** A terminal whose driver cannot do a request: ENOTTY, as for a request it does not know. */
    protected static ErrnoException unsupported() {
        return new ErrnoException(Errno.ENOTTY);
    }

    // ---- Job control (drivers/tty/tty_jobctrl.c). ----

    /**
     * __tty_check_change: a caller whose controlling terminal this is and whose group is not in the
     * foreground gets {@code sig} for its group (SIGTTOU for a change or, with TOSTOP, a write; SIGTTIN
     * for a read), and the call ends to be restarted once the group may go on (a restartable EINTR,
     * Linux's ERESTARTSYS). EIO instead when the signal is ignored or blocked (for SIGTTIN only;
     * SIGTTOU then lets the call go on) or the group is orphaned.
     */
    public void checkForeground(GuestThread t, int sig) throws ErrnoException {
        if (t == null) {
            return;
        }
        GuestProcess p = t.process();
        if (p.controllingTerminal() != this) {
            return;
        }
        int fg = foregroundGroup();
        if (fg == 0 || p.pgid() == fg) {
            return;
        }
        if ((t.signalMask() & GuestThread.bit(sig)) != 0 || p.signalActions().handler(sig) == Signals.SIG_IGN) {
            if (sig == Signals.SIGTTIN) {
                throw new ErrnoException(Errno.EIO);
            }
            return;
        }
        if (kernel.orphanedGroup(p.pgid())) {
            throw new ErrnoException(Errno.EIO);
        }
        kernel.signalGroup(p.pgid(), sig);
        throw new ErrnoException(Errno.EINTR);
    }

    /**
     * tty_open_proc_set_tty: a session leader without a controlling terminal that opens this one for
     * reading, without O_NOCTTY, makes it its session's controlling terminal if no session has it.
     */
    public void openedBy(GuestProcess p, boolean noctty, boolean readable) {
        if (noctty || master() || !readable || p.sid() != p.pid() || p.controllingTerminal() != null) {
            return;
        }
        synchronized (ctrl) {
            if (session != 0) {
                return;
            }
            session = p.sid();
            pgrp = p.pgid();
        }
        p.setControllingTerminal(this);
    }

    /**
     * TIOCSCTTY (tiocsctty): the caller, a session leader without a controlling terminal, takes this
     * one; EPERM for anyone else, for a terminal that is another session's unless {@code steal} and
     * the caller is privileged (euid 0: jlx's CAP_SYS_ADMIN), and for a file not open for reading
     * without that privilege.
     */
    void setControlling(GuestProcess p, boolean readable, boolean steal) throws ErrnoException {
        boolean leader = p.sid() == p.pid();
        if (leader && session() == p.sid()) {
            return;
        }
        if (!leader || p.controllingTerminal() != null) {
            throw new ErrnoException(Errno.EPERM);
        }
        boolean privileged = p.credentials().capable(GuestProcess.CAP_SYS_ADMIN);
        int other = session();
        if (other != 0) {
            if (!steal || !privileged) {
                throw new ErrnoException(Errno.EPERM);
            }
            clearSession(other);
        }
        if (!readable && !privileged) {
            throw new ErrnoException(Errno.EPERM);
        }
        attach(p);
    }

    /**
     * TIOCSPGRP (tiocspgrp): the caller's controlling terminal, in its session, gets {@code group}
     * as its foreground group: a process group, or any process, of the caller's session (ESRCH when
     * no process has that id, EPERM when it is another session's). A background caller gets SIGTTOU
     * first as for any change; the EIO of an orphaned group is ENOTTY here.
     */
    void setForeground(GuestThread t, int group) throws ErrnoException {
        try {
            checkForeground(t, Signals.SIGTTOU);
        } catch (ErrnoException e) {
            throw e.errno() == Errno.EIO ? new ErrnoException(Errno.ENOTTY) : e;
        }
        if (group < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess p = t.process();
        if (p.controllingTerminal() != this || session() != p.sid()) {
            throw new ErrnoException(Errno.ENOTTY);
        }
        // session_of_pgrp: the group's session, or that of the process with that id.
        int sid = -1;
        for (GuestProcess q : kernel.processes()) {
            if (q.pgid() == group && !q.zombie()) {
                sid = q.sid();
                break;
            }
        }
        if (sid == -1) {
            GuestProcess q = kernel.process(group);
            if (q == null) {
                throw new ErrnoException(Errno.ESRCH);
            }
            sid = q.sid();
        }
        if (sid != p.sid()) {
            throw new ErrnoException(Errno.EPERM);
        }
        setForegroundGroup(group);
    }

    /**
     * TIOCNOTTY (no_tty): the caller gives up its controlling terminal, which must be this one; a
     * session leader's whole session does, its foreground group getting SIGHUP and SIGCONT.
     */
    void giveUp(GuestProcess p) throws ErrnoException {
        if (p.controllingTerminal() != this) {
            throw new ErrnoException(Errno.ENOTTY);
        }
        disassociate(p, false);
        p.setControllingTerminal(null);
    }

    /**
     * disassociate_ctty: a session leader leaves its controlling terminal (TIOCNOTTY, or its exit
     * with {@code onExit}): the terminal's foreground group gets SIGHUP (and SIGCONT, unless the
     * leader is exiting), the terminal belongs to no session, and the session's processes lose it.
     * A leader whose terminal hung up signals the group that was in the foreground then, as it exits.
     */
    public static void disassociate(GuestProcess p, boolean onExit) {
        if (p.sid() != p.pid()) {
            return;
        }
        Terminal tty = p.controllingTerminal();
        Kernel kernel = p.kernel();
        if (tty == null) {
            int old = p.takeTtyOldPgrp();
            if (onExit && old != 0) {
                kernel.signalGroup(old, Signals.SIGHUP);
                kernel.signalGroup(old, Signals.SIGCONT);
            }
            return;
        }
        int fg = tty.foregroundGroup();
        p.takeTtyOldPgrp();
        // The session lets go of the terminal before its signals go, so that a handler finds it gone.
        tty.detach();
        tty.clearSession(p.sid());
        if (fg != 0) {
            kernel.signalGroup(fg, Signals.SIGHUP);
            if (!onExit) {
                kernel.signalGroup(fg, Signals.SIGCONT);
            }
        }
    }

    /**
     * The terminal hangs up (tty_signal_session_leader, as a pty's master closes): the session's
     * processes lose it, its leader gets SIGHUP and SIGCONT and remembers the foreground group, and
     * the terminal belongs to no session.
     */
    /** vhangup(2) by a process of the session: the session lets the terminal go as at a hangup. */
    public void vhangup() {
        hangUpSession();
    }

    protected void hangUpSession() {
        int sid;
        int fg;
        synchronized (ctrl) {
            sid = session;
            fg = pgrp;
        }
        detach();
        if (sid == 0) {
            return;
        }
        GuestProcess leader = null;
        for (GuestProcess p : kernel.processes()) {
            if (p.sid() != sid) {
                continue;
            }
            if (p.controllingTerminal() == this) {
                p.setControllingTerminal(null);
            }
            if (p.pid() == sid && !p.zombie()) {
                leader = p;
            }
        }
        if (leader != null) {
            leader.setTtyOldPgrp(fg);
            leader.signal(null, dev.jlx.abi.struct.Siginfo.kill(Signals.SIGHUP, Signals.SI_KERNEL, 0, 0));
            leader.signal(null, dev.jlx.abi.struct.Siginfo.kill(Signals.SIGCONT, Signals.SI_KERNEL, 0, 0));
        }
    }
}
