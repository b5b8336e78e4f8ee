package dev.jlx.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** acct_v3's number encodings, against the values Linux's encode_comp_t and encode_float give. */
class AccountingTest {
    @Test
    void compTKeepsThirteenBitsWithABaseEightExponent() {
        assertEquals(0, Accounting.encodeComp(0));
        assertEquals(8191, Accounting.encodeComp(8191));
        // 8192 = 1024 * 8: exponent 1, mantissa 1024.
        assertEquals(1 << 13 | 1024, Accounting.encodeComp(8192));
        // 8196 >> 3 = 1024 with bit 2 set: rounded up to 1025.
        assertEquals(1 << 13 | 1025, Accounting.encodeComp(8196));
        // Past 7 exponents: all ones.
        assertEquals((short) 0xffff, Accounting.encodeComp(Long.MAX_VALUE));
    }

    @Test
    void floatIsIeeeSingleWithItsMantissaCut() {
        assertEquals(0, Accounting.encodeFloat(0));
        for (long v : new long[] {1, 2, 3, 100, 12345, 1L << 40}) {
            assertEquals(Float.floatToIntBits(v), Accounting.encodeFloat(v), "value " + v);
        }
        // 2^24 + 1 is not a float: cut to 2^24 (Java's conversion would round to even, the same here).
        assertEquals(Float.floatToIntBits(1 << 24), Accounting.encodeFloat((1 << 24) + 1));
        // 2^24 + 3: cut gives 2^24 + 2, where rounding would give 2^24 + 4.
        assertEquals(Float.floatToIntBits((1 << 24) + 2), Accounting.encodeFloat((1 << 24) + 3));
    }
}
