package dev.jlx.core.tty;

/** A bounded FIFO of bytes (a tty's flip buffer); not thread-safe: its pty's monitor guards it. */
final class ByteRing {
    private final byte[] bytes;
    private int head;
    private int count;

    ByteRing(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return count;
    }

    int room() {
        return bytes.length - count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Appends {@code b}; false when full. */
    boolean put(byte b) {
        if (count == bytes.length) {
            return false;
        }
        bytes[(head + count) % bytes.length] = b;
        count++;
        return true;
    }

    /** Appends {@code n} bytes of {@code src} from {@code offset}; the caller made sure they fit. */
    void put(java.lang.foreign.MemorySegment src, long offset, int n) {
        int tail = (head + count) % bytes.length;
        int first = Math.min(n, bytes.length - tail);
        java.lang.foreign.MemorySegment.copy(src, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, bytes, tail, first);
        java.lang.foreign.MemorySegment.copy(src, java.lang.foreign.ValueLayout.JAVA_BYTE, offset + first, bytes, 0,
                n - first);
        count += n;
    }

    int take() {
        int b = bytes[head] & 0xff;
        head = (head + 1) % bytes.length;
        count--;
        return b;
    }

    void clear() {
        head = 0;
        count = 0;
    }
}
