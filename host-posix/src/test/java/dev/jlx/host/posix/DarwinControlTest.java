package dev.jlx.host.posix;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** macOS's control messages (built here as Apple's headers lay them out) become Linux's: runs on any host. */
class DarwinControlTest {
    private final Arena arena = Arena.ofAuto();

    /** Appends one macOS message (u32 length, level, type, data; 4-aligned) at {@code at}: the next offset. */
    private static long put(MemorySegment m, long at, int level, int type, byte[] data) {
        m.set(JAVA_INT_UNALIGNED, at, 12 + data.length);
        m.set(JAVA_INT_UNALIGNED, at + 4, level);
        m.set(JAVA_INT_UNALIGNED, at + 8, type);
        MemorySegment.copy(data, 0, m, JAVA_BYTE, at + 12, data.length);
        return at + ((12 + data.length + 3) & ~3);
    }

    /** macOS's order (timestamp, TTL, PKTINFO, TOS) and layouts. */
    private MemorySegment darwinMessages() {
        MemorySegment m = arena.allocate(256, 8);
        byte[] tv = new byte[16];
        MemorySegment t = MemorySegment.ofArray(tv);
        t.set(JAVA_LONG_UNALIGNED, 0, 1_700_000_000L);
        t.set(JAVA_INT_UNALIGNED, 8, 123_456);
        long at = put(m, 0, 0xffff, 2, tv);
        at = put(m, at, 0, 24, new byte[] {33});
        at = put(m, at, 0, 26, new byte[] {1, 0, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1});
        at = put(m, at, 0, 27, new byte[] {0x10});
        return m.asSlice(0, at);
    }

    @Test
    void messagesBecomeLinuxsInLinuxsOrder() {
        MemorySegment host = darwinMessages();
        MemorySegment guest = arena.allocate(512, 8);
        DarwinControl.Translated t = DarwinControl.translate(host, host.byteSize(), guest, false);
        assertFalse(t.truncated());
        // SCM_TIMESTAMP (32: a 16-byte header and two longs), IP_PKTINFO (28, space 32), IP_TTL (20, space 24),
        // IP_TOS (17, space 24): 112 bytes, as Linux writes them.
        assertEquals(112, t.length());
        assertEquals(32, guest.get(JAVA_LONG_UNALIGNED, 0));
        assertEquals(1, guest.get(JAVA_INT_UNALIGNED, 8));
        assertEquals(29, guest.get(JAVA_INT_UNALIGNED, 12));
        assertEquals(1_700_000_000L, guest.get(JAVA_LONG_UNALIGNED, 16));
        assertEquals(123_456L, guest.get(JAVA_LONG_UNALIGNED, 24));
        assertEquals(28, guest.get(JAVA_LONG_UNALIGNED, 32));
        assertEquals(8, guest.get(JAVA_INT_UNALIGNED, 44));
        assertEquals(1, guest.get(JAVA_INT_UNALIGNED, 48));
        assertEquals(20, guest.get(JAVA_LONG_UNALIGNED, 64));
        assertEquals(2, guest.get(JAVA_INT_UNALIGNED, 76));
        assertEquals(33, guest.get(JAVA_INT_UNALIGNED, 80));
        assertEquals(17, guest.get(JAVA_LONG_UNALIGNED, 88));
        assertEquals(1, guest.get(JAVA_INT_UNALIGNED, 100));
        assertEquals(0x10, guest.get(JAVA_BYTE, 104));
    }

    @Test
    void timestampNewHasItsOwnType() {
        MemorySegment host = darwinMessages();
        MemorySegment guest = arena.allocate(512, 8);
        DarwinControl.translate(host, host.byteSize(), guest, true);
        assertEquals(63, guest.get(JAVA_INT_UNALIGNED, 12));
    }

    /** put_cmsg: the first message cut to the room (MSG_CTRUNC), nothing of the others. */
    @Test
    void aShortBufferIsCutAsPutCmsgCutsIt() {
        MemorySegment host = darwinMessages();
        MemorySegment guest = arena.allocate(512, 8);
        DarwinControl.Translated t = DarwinControl.translate(host, host.byteSize(), guest.asSlice(0, 48), false);
        assertTrue(t.truncated());
        assertEquals(48, t.length());
        assertEquals(32, guest.get(JAVA_LONG_UNALIGNED, 0));
        assertEquals(16, guest.get(JAVA_LONG_UNALIGNED, 32));
        t = DarwinControl.translate(host, host.byteSize(), guest.asSlice(0, 20), false);
        assertTrue(t.truncated());
        assertEquals(20, t.length());
        t = DarwinControl.translate(host, host.byteSize(), guest.asSlice(0, 8), false);
        assertTrue(t.truncated());
        assertEquals(0, t.length());
    }
}
