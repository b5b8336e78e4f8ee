package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Writes to one console screen buffer as a Linux terminal's writer sees them: the guest's UTF-8
 * becomes the UTF-16 WriteConsoleW takes (a sequence split between two writes is kept until its end
 * comes; bytes that are not UTF-8 show as U+FFFD, as a terminal emulator shows them), and OPOST|ONLCR
 * turn NL into CR NL here, as Linux's line discipline does, since the console runs with
 * DISABLE_NEWLINE_AUTO_RETURN (its line feed only moves down, as a terminal emulator's). A write takes
 * all it is given.
 */
final class ConsoleOutput {
    private static final int CHUNK = 64 * 1024;
    private final ConsoleLayer layer;
    private final long handle;
    private final Supplier<WindowsConsole.Discipline> discipline;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** The start of a UTF-8 sequence that the last write ended in. */
    private byte[] carry = new byte[0];

    ConsoleOutput(ConsoleLayer layer, long handle, Supplier<WindowsConsole.Discipline> discipline) {
        this.layer = layer;
        this.handle = handle;
        this.discipline = discipline;
    }

    long handle() {
        return handle;
    }

    synchronized int write(MemorySegment src) throws ErrnoException {
        int n = (int) Math.min(src.byteSize(), CHUNK);
        byte[] bytes = new byte[carry.length + n];
        System.arraycopy(carry, 0, bytes, 0, carry.length);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, bytes, carry.length, n);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        decoder.decode(in, text, false);
        carry = new byte[in.remaining()];
        in.get(carry);
        text.flip();
        WindowsConsole.Discipline d = discipline.get();
        boolean onlcr = (d.oflag() & (WindowsConsole.OPOST | WindowsConsole.ONLCR))
                == (WindowsConsole.OPOST | WindowsConsole.ONLCR);
        char[] units = new char[onlcr ? 2 * text.length() : text.length()];
        int length = 0;
        while (text.hasRemaining()) {
            char c = text.get();
            if (c == '\n' && onlcr) {
                units[length++] = '\r';
            }
            units[length++] = c;
        }
        try {
            for (int done = 0; done < length; ) {
                int written = layer.write(handle, units, done, length - done);
                if (written <= 0) {
                    throw new ErrnoException(Errno.EIO);
                }
                done += written;
            }
        } catch (ConsoleException e) {
            // The console went away (its window closed): Linux's hung-up terminal answers EIO.
            throw new ErrnoException(Errno.EIO);
        }
        return n;
    }
}
