package dev.jlx.core.fs.proc;

import java.util.BitSet;

/** Linux's printed bitmaps: {@code %*pb} (hex in 32-bit groups) and {@code %*pbl} (ranges). */
final class Bitmaps {
    private Bitmaps() {}

    /** {@code bits} of an {@code nbits}-bit map in hex, most significant group first, as bitmap_string. */
    static String hex(BitSet bits, int nbits) {
        StringBuilder out = new StringBuilder();
        int first = nbits % 32 == 0 ? 32 : nbits % 32;
        for (int at = ((nbits + 31) / 32 - 1) * 32, width = first; at >= 0; at -= 32, width = 32) {
            long group = 0;
            for (int i = 0; i < width; i++) {
                if (bits.get(at + i)) {
                    group |= 1L << i;
                }
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(String.format("%0" + (width + 3) / 4 + "x", group));
        }
        return out.toString();
    }

    /** The set bits as ranges, "0-3,5", as bitmap_list_string. */
    static String list(BitSet bits) {
        StringBuilder out = new StringBuilder();
        for (int start = bits.nextSetBit(0); start >= 0; ) {
            int end = bits.nextClearBit(start) - 1;
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(start);
            if (end > start) {
                out.append('-').append(end);
            }
            start = bits.nextSetBit(end + 1);
        }
        return out.toString();
    }

    /** Bits 0 to {@code n} - 1. */
    static BitSet first(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    static BitSet only(int bit) {
        BitSet b = new BitSet();
        b.set(bit);
        return b;
    }
}
