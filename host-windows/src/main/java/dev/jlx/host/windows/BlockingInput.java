package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Input that may wait (a pipe, the console), read by a thread of its own: a host read cannot be
 * interrupted, and a guest blocked in read must be (Ctrl-C reaching `cat`). A guest's read waits for
 * that thread's result interruptibly (EINTR); what the thread read meanwhile waits for the next read,
 * so no byte is lost. The thread reads only when a guest reads or polls and nothing waits.
 *
 * <p>What the source gives comes in pieces, and one read returns bytes of one piece at most, as
 * Linux's canonical terminal reads end at a line's end; an empty piece is an end of file, told once
 * (a terminal's next read waits for input again).
 */
final class BlockingInput {
    /** Where the bytes come from. */
    interface Source {
        /**
         * One host read, which may wait: the pieces it gave (an empty one for end of file), or none
         * when the host read ended with nothing to tell (a console read that Ctrl-C ended).
         */
        List<byte[]> next() throws IOException;

        /** Bytes the host holds that {@link #next} would give without waiting, as far as it can tell. */
        int available() throws IOException;
    }

    private final Source source;
    private final String threadName;
    private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    /** Bytes of the first piece already read. */
    private int taken;
    private boolean reading;

    BlockingInput(Source source, String threadName) {
        this.source = source;
        this.threadName = threadName;
    }

    /** Starts a host read unless one is under way or a piece waits. Called with the monitor held. */
    private void fetch() {
        if (reading || !pieces.isEmpty()) {
            return;
        }
        reading = true;
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            List<byte[]> got;
            try {
                got = source.next();
            } catch (IOException e) {
                got = List.of(new byte[0]);
            }
            synchronized (this) {
                reading = false;
                pieces.addAll(got);
                notifyAll();
            }
        });
    }

    synchronized int read(MemorySegment dst) throws ErrnoException {
        while (pieces.isEmpty()) {
            fetch();
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ErrnoException(Errno.EINTR);
            }
        }
        byte[] piece = pieces.peek();
        int n = (int) Math.min(dst.byteSize(), piece.length - taken);
        MemorySegment.copy(piece, taken, dst, ValueLayout.JAVA_BYTE, 0, n);
        taken += n;
        if (taken == piece.length) {
            pieces.remove();
            taken = 0;
        }
        return n;
    }

    /** Whether a read would not wait, waiting up to {@code timeoutMillis} for it. */
    synchronized boolean ready(int timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (pieces.isEmpty()) {
            fetch();
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** FIONREAD: the bytes read ahead and those the host holds. */
    synchronized int available() throws IOException {
        long n = -taken;
        for (byte[] piece : pieces) {
            n += piece.length;
        }
        return (int) Math.min(Integer.MAX_VALUE, n + source.available());
    }
}
