package dev.jlx.core.tty;

import static dev.jlx.abi.Termbits.*;

import dev.jlx.abi.Signals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * Linux's N_TTY line discipline (drivers/tty/n_tty.c) for one end of a pty: input processing into a
 * read buffer of N_TTY_BUF_SIZE bytes (ICRNL, INLCR, IGNCR, ISTRIP, IUCLC, IXON, ISIG, canonical
 * editing with VERASE, VKILL, VWERASE, VLNEXT, VREPRINT, line ends VEOL, VEOL2, VEOF), echo with its
 * variants (ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL, ECHOPRT, IUTF8 erase), and output processing
 * (OPOST, OLCUC, ONLCR, OCRNL, ONOCR, ONLRET, XTABS) with the column it tracks. Everything runs under
 * the pty's monitor; the end ({@link PtyEnd}) does the waiting.
 */
final class LineDiscipline {
    static final int N_TTY_BUF_SIZE = 4096;
    private static final int MASK = N_TTY_BUF_SIZE - 1;
    /** What the read buffer holds at a VEOF: a line end that a read does not return (__DISABLED_CHAR). */
    private static final int DISABLED_CHAR = 0;

    // Echo operations beside plain bytes, as n_tty's ECHO_OP_* codes.
    private static final int OP_CTRL = 0x100;
    private static final int OP_ERASE_TAB = 0x200;
    private static final int OP_MOVE_BACK_COL = 0x400;
    private static final int OP_SET_CANON_COL = 0x800;

    private final PtyEnd tty;
    private final byte[] buf = new byte[N_TTY_BUF_SIZE];
    /** A line end at this position of the read buffer (read_flags). */
    private final boolean[] lineEnd = new boolean[N_TTY_BUF_SIZE];
    private long readHead;
    private long readTail;
    private long canonHead;
    private boolean lnext;
    private boolean erasing;
    /** Output columns: the current one and the one the canonical line's echo started at. */
    private int column;
    private int canonColumn;
    private final ArrayDeque<Integer> echoes = new ArrayDeque<>();

    LineDiscipline(PtyEnd tty) {
        this.tty = tty;
    }

    private KTermios t() {
        return tty.termios();
    }

    private int readBuf(long i) {
        return buf[(int) (i & MASK)] & 0xff;
    }

    int readCount() {
        return (int) (readHead - readTail);
    }

    /**
     * Whether another input byte may be taken now; a canonical line that fills the buffer keeps
     * taking (and losing) bytes.
     */
    boolean hasRoom() {
        return readCount() < N_TTY_BUF_SIZE - 1 || (t().l(ICANON) && canonHead == readTail);
    }

    /** input_available_p: a whole line (canonical), or {@code amount} bytes. */
    boolean inputAvailable(int amount) {
        if (t().l(ICANON)) {
            return canonHead != readTail;
        }
        return readHead - readTail >= amount;
    }

    /** TIOCINQ: the bytes a read could take, less a canonical buffer's VEOF marks (inq_canon). */
    int inputQueued() {
        if (!t().l(ICANON)) {
            return readCount();
        }
        int n = (int) (canonHead - readTail);
        for (long i = readTail; i < canonHead; i++) {
            if (lineEnd[(int) (i & MASK)] && readBuf(i) == DISABLED_CHAR) {
                n--;
            }
        }
        return n;
    }

    /** reset_buffer_flags: the read buffer emptied (a flush, a signal character without NOFLSH). */
    void reset() {
        readHead = readTail = canonHead = 0;
        java.util.Arrays.fill(lineEnd, false);
        lnext = false;
        erasing = false;
    }

    void clearEchoes() {
        echoes.clear();
    }

    /**
     * n_tty_set_termios: switching ICANON makes what is buffered one line (when turned on) or plain
     * bytes (when turned off); turning IXON off restarts stopped output.
     */
    void termiosChanged(KTermios old, KTermios next) {
        if (((old.lflag() ^ next.lflag()) & (ICANON | EXTPROC)) != 0) {
            java.util.Arrays.fill(lineEnd, false);
            if (!next.l(ICANON) || readCount() == 0) {
                canonHead = readTail;
            } else {
                lineEnd[(int) ((readHead - 1) & MASK)] = true;
                canonHead = readHead;
            }
            erasing = false;
            lnext = false;
        }
    }

    /**
     * Copies what a read may take into {@code dst} from {@code offset}: one canonical line (its VEOF
     * left out), or what is there. Returns the bytes copied, and whether a canonical line ended
     * (in {@code ended[0]}), so that the read returns.
     */
    int copy(MemorySegment dst, long offset, int nr, boolean[] ended) {
        if (t().l(ICANON)) {
            long end = -1;
            for (long i = readTail; i < canonHead; i++) {
                if (lineEnd[(int) (i & MASK)]) {
                    end = i;
                    break;
                }
            }
            long n = (end >= 0 ? end + 1 : canonHead) - readTail;
            boolean eof = end >= 0 && readBuf(end) == DISABLED_CHAR;
            int take = (int) Math.min(nr, eof ? n - 1 : n);
            for (int k = 0; k < take; k++) {
                dst.set(ValueLayout.JAVA_BYTE, offset + k, (byte) readBuf(readTail + k));
            }
            if (end >= 0 && take >= (eof ? n - 1 : n)) {
                lineEnd[(int) (end & MASK)] = false;
                readTail = end + 1;
                ended[0] = true;
            } else {
                readTail += take;
            }
            return take;
        }
        int take = (int) Math.min(nr, readHead - readTail);
        int at = (int) (readTail & MASK);
        int first = Math.min(take, N_TTY_BUF_SIZE - at);
        MemorySegment.copy(buf, at, dst, ValueLayout.JAVA_BYTE, offset, first);
        MemorySegment.copy(buf, 0, dst, ValueLayout.JAVA_BYTE, offset + first, take - first);
        readTail += take;
        return take;
    }

    /** The kernel's ctype iscntrl: ASCII's control characters (Latin-1's 128-159 are not). */
    private static boolean iscntrl(int c) {
        return c < 32 || c == 127;
    }

    /** The kernel's ctype isalnum: ASCII letters and digits and Latin-1's letters. */
    private static boolean isalnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= 0xc0 && c != 0xd7 && c != 0xf7);
    }

    private boolean continuation(int c) {
        return t().i(IUTF8) && (c & 0xc0) == 0x80;
    }

    /** Buffers {@code c}, marked as a line's end when {@code end}. */
    private void put(int c, boolean end) {
        if (readCount() >= N_TTY_BUF_SIZE) {
            // A canonical line as long as the buffer: the newest byte takes the last place (n_tty's overflow).
            readHead--;
        }
        buf[(int) (readHead & MASK)] = (byte) c;
        lineEnd[(int) (readHead & MASK)] = end;
        readHead++;
    }

    // ---- Input (n_tty_receive_char_special and its helpers). ----

    /** What input processing could change a byte or act on it; without any, bytes go in as they are. */
    private static final int COOKED_INPUT = ISTRIP | IUCLC | IXON | IGNCR | ICRNL | INLCR;
    private static final int COOKED_LOCAL = ISIG | ICANON | ECHO;

    /**
     * Takes bytes from {@code flip} while there is room; in raw mode (no input flag or local mode
     * that acts on a byte, as a pty master always is) as they are, as n_tty's real-raw path.
     * Returns whether any was taken.
     */
    boolean receiveFrom(ByteRing flip) {
        KTermios t = t();
        boolean moved = false;
        if ((t.iflag() & COOKED_INPUT) == 0 && (t.lflag() & COOKED_LOCAL) == 0) {
            int n = Math.min(flip.size(), N_TTY_BUF_SIZE - 1 - readCount());
            for (int k = 0; k < n; k++) {
                buf[(int) (readHead & MASK)] = (byte) flip.take();
                lineEnd[(int) (readHead & MASK)] = false;
                readHead++;
            }
            return n > 0;
        }
        while (!flip.isEmpty() && hasRoom()) {
            receive(flip.take());
            moved = true;
        }
        return moved;
    }

    /** One byte that came in. */
    void receive(int c) {
        KTermios t = t();
        if (t.i(ISTRIP)) {
            c &= 0x7f;
        }
        if (t.i(IUCLC) && t.l(IEXTEN) && c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if (lnext) {
            lnext = false;
            plain(c, t);
            return;
        }
        if (t.i(IXON) && (c == t.cc(VSTART) || c == t.cc(VSTOP))) {
            if (c == t.cc(VSTART)) {
                tty.startOutput();
            } else {
                tty.stopOutput();
            }
            return;
        }
        if (t.l(ISIG)) {
            int sig = c == t.cc(VINTR) ? Signals.SIGINT : c == t.cc(VQUIT) ? Signals.SIGQUIT
                    : c == t.cc(VSUSP) ? Signals.SIGTSTP : 0;
            if (sig != 0) {
                signalChar(sig, c, t);
                return;
            }
        }
        if (tty.stopped() && t.i(IXON) && t.i(IXANY)) {
            tty.startOutput();
        }
        if (c == '\r') {
            if (t.i(IGNCR)) {
                return;
            }
            if (t.i(ICRNL)) {
                c = '\n';
            }
        } else if (c == '\n' && t.i(INLCR)) {
            c = '\r';
        }
        if (t.l(ICANON)) {
            if (c == t.cc(VERASE) || c == t.cc(VKILL) || (c == t.cc(VWERASE) && t.l(IEXTEN))) {
                erase(c, t);
                return;
            }
            if (c == t.cc(VLNEXT) && t.l(IEXTEN)) {
                lnext = true;
                if (t.l(ECHO)) {
                    finishErasing();
                    if (t.l(ECHOCTL)) {
                        echoes.add((int) '^');
                        echoes.add((int) '\b');
                    }
                }
                return;
            }
            if (c == t.cc(VREPRINT) && t.l(ECHO) && t.l(IEXTEN)) {
                finishErasing();
                echoChar(c, t);
                echoes.add((int) '\n');
                for (long i = canonHead; i < readHead; i++) {
                    echoChar(readBuf(i), t);
                }
                return;
            }
            if (c == '\n') {
                if (t.l(ECHO) || t.l(ECHONL)) {
                    echoes.add((int) '\n');
                }
                lineEnds(c);
                return;
            }
            if (c == t.cc(VEOF)) {
                lineEnds(DISABLED_CHAR);
                return;
            }
            if (c == t.cc(VEOL) || (c == t.cc(VEOL2) && t.l(IEXTEN))) {
                if (t.l(ECHO)) {
                    if (canonHead == readHead) {
                        echoes.add(OP_SET_CANON_COL);
                    }
                    echoChar(c, t);
                }
                lineEnds(c);
                return;
            }
        }
        plain(c, t);
    }

    /** An ordinary byte: echoed and buffered (n_tty_receive_char); PARMRK doubles a 0377, as it marks errors. */
    private void plain(int c, KTermios t) {
        if (t.l(ECHO)) {
            finishErasing();
            if (c == '\n') {
                echoes.add((int) '\n');
            } else {
                if (canonHead == readHead) {
                    echoes.add(OP_SET_CANON_COL);
                }
                echoChar(c, t);
            }
        }
        if (c == 0377 && t.i(PARMRK)) {
            put(c, false);
        }
        put(c, false);
    }

    private void lineEnds(int c) {
        put(c, true);
        canonHead = readHead;
    }

    /** n_tty_receive_signal_char and isig: the foreground group's signal, a flush unless NOFLSH, the echo. */
    private void signalChar(int sig, int c, KTermios t) {
        tty.signalForeground(sig);
        if (!t.l(NOFLSH)) {
            echoes.clear();
            tty.flushOutput();
            reset();
            tty.flushedInput();
        }
        if (t.i(IXON)) {
            tty.startOutput();
        }
        if (t.l(ECHO)) {
            echoChar(c, t);
        }
    }

    /** echo_char: a control character as ^X under ECHOCTL (but a tab), else itself. */
    private void echoChar(int c, KTermios t) {
        if (t.l(ECHOCTL) && iscntrl(c) && c != '\t') {
            echoes.add(OP_CTRL | c);
        } else {
            echoes.add(c);
        }
    }

    private void finishErasing() {
        if (erasing) {
            echoes.add((int) '/');
            erasing = false;
        }
    }

    /** eraser: VERASE takes a character back, VWERASE a word, VKILL the line, each echoed as its flags say. */
    private void erase(int c, KTermios t) {
        if (readHead == canonHead) {
            return;
        }
        boolean werase = false;
        boolean kill = false;
        if (c == t.cc(VERASE)) {
            // ERASE
        } else if (c == t.cc(VWERASE)) {
            werase = true;
        } else {
            if (!t.l(ECHO)) {
                readHead = canonHead;
                return;
            }
            if (!t.l(ECHOK) || !t.l(ECHOKE) || !t.l(ECHOE)) {
                readHead = canonHead;
                finishErasing();
                echoChar(t.cc(VKILL), t);
                if (t.l(ECHOK)) {
                    echoes.add((int) '\n');
                }
                return;
            }
            kill = true;
        }
        int seenAlnums = 0;
        while (readHead != canonHead) {
            long head = readHead;
            int ch;
            do {
                head--;
                ch = readBuf(head);
            } while (continuation(ch) && head != canonHead);
            if (continuation(ch)) {
                break;
            }
            if (werase) {
                if (isalnum(ch) || ch == '_') {
                    seenAlnums++;
                } else if (seenAlnums > 0) {
                    break;
                }
            }
            long cnt = readHead - head;
            readHead = head;
            if (t.l(ECHO)) {
                if (t.l(ECHOPRT)) {
                    if (!erasing) {
                        echoes.add((int) '\\');
                        erasing = true;
                    }
                    echoChar(ch, t);
                    while (--cnt > 0) {
                        head++;
                        echoes.add(readBuf(head));
                        echoes.add(OP_MOVE_BACK_COL);
                    }
                } else if (!werase && !kill && !t.l(ECHOE)) {
                    echoChar(t.cc(VERASE), t);
                } else if (ch == '\t') {
                    int chars = 0;
                    boolean afterTab = false;
                    for (long tail = readHead; tail != canonHead;) {
                        tail--;
                        int prev = readBuf(tail);
                        if (prev == '\t') {
                            afterTab = true;
                            break;
                        } else if (iscntrl(prev)) {
                            if (t.l(ECHOCTL)) {
                                chars += 2;
                            }
                        } else if (!continuation(prev)) {
                            chars++;
                        }
                    }
                    echoes.add(OP_ERASE_TAB | (chars & 0x7f) | (afterTab ? 0x80 : 0));
                } else {
                    // A ^X took two columns; a control character echoed as itself, none.
                    for (int k = iscntrl(ch) ? (t.l(ECHOCTL) ? 2 : 0) : 1; k > 0; k--) {
                        echoes.add((int) '\b');
                        echoes.add((int) ' ');
                        echoes.add((int) '\b');
                    }
                }
            }
            if (!werase && !kill) {
                break;
            }
        }
        if (readHead == canonHead && t.l(ECHO)) {
            finishErasing();
        }
    }

    // ---- Output (process_output, do_output_char, process_echoes). ----

    /**
     * Writes what echo produced while the output has room; what does not fit waits for the next
     * call (a stopped terminal keeps its echoes until it starts).
     */
    void processEchoes() {
        KTermios t = t();
        while (!echoes.isEmpty()) {
            int op = echoes.peekFirst();
            int room = tty.outputRoom();
            if ((op & OP_CTRL) != 0) {
                if (room < 2) {
                    return;
                }
                tty.emit('^');
                tty.emit((op & 0xff) ^ 0100);
                column += 2;
            } else if ((op & OP_ERASE_TAB) != 0) {
                int chars = op & 0xff;
                if ((chars & 0x80) == 0) {
                    chars += canonColumn;
                }
                int backspaces = 8 - (chars & 7);
                if (room < backspaces) {
                    return;
                }
                for (int k = 0; k < backspaces; k++) {
                    tty.emit('\b');
                    if (column > 0) {
                        column--;
                    }
                }
            } else if (op == OP_MOVE_BACK_COL) {
                if (column > 0) {
                    column--;
                }
            } else if (op == OP_SET_CANON_COL) {
                canonColumn = column;
            } else if (t.o(OPOST)) {
                if (outputChar(op, t, room) < 0) {
                    return;
                }
            } else {
                if (room < 1) {
                    return;
                }
                tty.emit(op);
            }
            echoes.removeFirst();
        }
    }

    /**
     * n_tty_write's body: writes {@code src} through output processing while there is room, and
     * returns how many of its bytes went.
     */
    int write(MemorySegment src, long from, int length) {
        KTermios t = t();
        if (!t.o(OPOST)) {
            int n = Math.min(length, tty.outputRoom());
            tty.emit(src, from, n);
            return n;
        }
        boolean upper = t.o(OLCUC);
        boolean utf8 = t.i(IUTF8);
        int done = 0;
        while (done < length) {
            int room = tty.outputRoom();
            // process_output_block: a run of bytes that OPOST leaves alone goes in bulk, counting columns.
            int run = 0;
            for (int max = Math.min(length - done, room); run < max; run++) {
                int c = src.get(ValueLayout.JAVA_BYTE, from + done + run) & 0xff;
                if (iscntrl(c) || upper && c >= 'a' && c <= 'z') {
                    break;
                }
                if (!utf8 || (c & 0xc0) != 0x80) {
                    column++;
                }
            }
            if (run > 0) {
                tty.emit(src, from + done, run);
                done += run;
                continue;
            }
            if (outputChar(src.get(ValueLayout.JAVA_BYTE, from + done) & 0xff, t, room) < 0) {
                break;
            }
            done++;
        }
        return done;
    }

    /** do_output_char: one byte with OPOST's translations; -1 when it does not fit in {@code room}. */
    private int outputChar(int c, KTermios t, int room) {
        if (room < 1) {
            return -1;
        }
        switch (c) {
            case '\n' -> {
                if (t.o(ONLRET)) {
                    column = 0;
                }
                if (t.o(ONLCR)) {
                    if (room < 2) {
                        return -1;
                    }
                    canonColumn = column = 0;
                    tty.emit('\r');
                    tty.emit('\n');
                    return 2;
                }
                canonColumn = column;
            }
            case '\r' -> {
                if (t.o(ONOCR) && column == 0) {
                    return 0;
                }
                if (t.o(OCRNL)) {
                    c = '\n';
                    if (t.o(ONLRET)) {
                        canonColumn = column = 0;
                    }
                } else {
                    canonColumn = column = 0;
                }
            }
            case '\t' -> {
                int spaces = 8 - (column & 7);
                if ((t.oflag() & TABDLY) == XTABS) {
                    if (room < spaces) {
                        return -1;
                    }
                    column += spaces;
                    for (int k = 0; k < spaces; k++) {
                        tty.emit(' ');
                    }
                    return spaces;
                }
                column += spaces;
            }
            case '\b' -> {
                if (column > 0) {
                    column--;
                }
            }
            default -> {
                if (!iscntrl(c)) {
                    if (t.o(OLCUC) && c >= 'a' && c <= 'z') {
                        c -= 'a' - 'A';
                    }
                    if (!continuation(c)) {
                        column++;
                    }
                }
            }
        }
        tty.emit(c);
        return 1;
    }
}
