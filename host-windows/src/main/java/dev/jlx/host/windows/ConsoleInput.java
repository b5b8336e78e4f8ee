package dev.jlx.host.windows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The console's input as a Linux terminal's would reach a reader: the UTF-16 that ReadConsoleW gives
 * turned into UTF-8 (a surrogate pair split between two reads is joined, an unpaired surrogate is
 * U+FFFD), with the part of Linux's line discipline that the console does not do. In line-input mode
 * (ICANON) the console edits, echoes and hands over a line ended by CR LF, which becomes the NL that
 * ICRNL makes of Enter's CR, each line a piece of its own; VEOF (^D) ends a piece where it stands, so
 * that alone on its line it is an end of file, and the CR LF the console needed to hand the line over
 * goes with it. Otherwise ICRNL turns CR into NL.
 */
final class ConsoleInput implements BlockingInput.Source {
    private static final int REPLACEMENT = 0xfffd;
    private final ConsoleLayer layer;
    private final long handle;
    private final Supplier<WindowsConsole.Discipline> discipline;
    private final char[] buffer = new char[4096];
    /** A high surrogate that ended the last read, waiting for its low half; 0 when none. */
    private char high;

    ConsoleInput(ConsoleLayer layer, long handle, Supplier<WindowsConsole.Discipline> discipline) {
        this.layer = layer;
        this.handle = handle;
        this.discipline = discipline;
    }

    @Override
    public List<byte[]> next() throws IOException {
        try {
            int mode = layer.mode(handle);
            int n = layer.read(handle, buffer);
            return cook(buffer, n, mode, discipline.get());
        } catch (ConsoleException e) {
            if (e.error() == ConsoleLayer.ERROR_OPERATION_ABORTED) {
                // Ctrl-C ended the read: the signal is on its way (the JVM's console handler); nothing was typed.
                return List.of();
            }
            throw new IOException(e);
        }
    }

    /** The console queues whole reads only: what it holds is not known before ReadConsoleW takes it. */
    @Override
    public int available() {
        return 0;
    }

    /** The pieces of one read of {@code n} units in console input mode {@code mode}. */
    List<byte[]> cook(char[] units, int n, int mode, WindowsConsole.Discipline d) {
        boolean canonical = (mode & ConsoleLayer.ENABLE_LINE_INPUT) != 0;
        boolean icrnl = (d.iflag() & WindowsConsole.ICRNL) != 0;
        int veof = d.cc()[WindowsConsole.VEOF] & 0xff;
        List<byte[]> pieces = new ArrayList<>();
        ByteArrayOutputStream piece = new ByteArrayOutputStream();
        int i = 0;
        if (high != 0) {
            boolean paired = n > 0 && Character.isLowSurrogate(units[0]);
            utf8(piece, paired ? Character.toCodePoint(high, units[0]) : REPLACEMENT);
            i = paired ? 1 : 0;
            high = 0;
        }
        for (; i < n; i++) {
            char c = units[i];
            if (canonical && c == '\r' && i + 1 < n && units[i + 1] == '\n') {
                piece.write('\n');
                i++;
                pieces.add(piece.toByteArray());
                piece.reset();
            } else if (canonical && veof != 0 && c == veof) {
                pieces.add(piece.toByteArray());
                piece.reset();
                if (i + 3 == n && units[i + 1] == '\r' && units[i + 2] == '\n') {
                    i += 2;
                }
            } else if (c == '\r' && icrnl) {
                piece.write('\n');
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 == n) {
                    high = c;
                } else if (Character.isLowSurrogate(units[i + 1])) {
                    utf8(piece, Character.toCodePoint(c, units[++i]));
                } else {
                    utf8(piece, REPLACEMENT);
                }
            } else {
                utf8(piece, Character.isLowSurrogate(c) ? REPLACEMENT : c);
            }
        }
        if (piece.size() > 0) {
            pieces.add(piece.toByteArray());
        }
        return pieces;
    }

    private static void utf8(ByteArrayOutputStream out, int cp) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xc0 | cp >> 6);
            out.write(0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            out.write(0xe0 | cp >> 12);
            out.write(0x80 | cp >> 6 & 0x3f);
            out.write(0x80 | cp & 0x3f);
        } else {
            out.write(0xf0 | cp >> 18);
            out.write(0x80 | cp >> 12 & 0x3f);
            out.write(0x80 | cp >> 6 & 0x3f);
            out.write(0x80 | cp & 0x3f);
        }
    }
}
