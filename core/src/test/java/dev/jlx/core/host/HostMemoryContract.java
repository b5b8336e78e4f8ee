package dev.jlx.core.host;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HostMemory} does, whatever its host: each backend's tests subclass this with
 * their own memory. Sizes are guest pages (4 KiB), whatever the host's page or granule.
 */
public abstract class HostMemoryContract {
    private static final long PAGE = 4096;

    protected abstract HostMemory memory();

    @Test
    void pagesAndGranulesAreWholeGuestPages() {
        HostMemory m = memory();
        assertTrue(m.pageSize() >= PAGE && m.pageSize() % PAGE == 0, "page " + m.pageSize());
        assertTrue(m.granule() >= m.pageSize() && m.granule() % m.pageSize() == 0, "granule " + m.granule());
    }

    @Test
    void allocationsAreZeroedWritableAndIndependent() {
        HostMemory m = memory();
        MemorySegment a = m.allocate(5 * PAGE);
        MemorySegment b = m.allocate(PAGE);
        assertNotNull(a);
        assertNotNull(b);
        assertEquals(5 * PAGE, a.byteSize());
        for (long at = 0; at < a.byteSize(); at += 8) {
            assertEquals(0, a.get(JAVA_LONG, at));
        }
        a.set(JAVA_LONG, 4 * PAGE + 8, 42);
        b.set(JAVA_LONG, 0, 7);
        assertEquals(42, a.get(JAVA_LONG, 4 * PAGE + 8));
        assertEquals(0, b.get(JAVA_LONG, 8));
        m.free(a);
        m.free(b);
    }

    @Test
    void piecesOfAnAllocationGoBackOneByOneAndTheRestStays() {
        HostMemory m = memory();
        MemorySegment a = m.allocate(64 * PAGE);
        for (long p = 0; p < 64; p++) {
            a.set(JAVA_LONG, p * PAGE, p + 1);
        }
        // A guest munmap of a middle piece, then of the first one: the others keep their bytes.
        m.free(a.asSlice(10 * PAGE, 3 * PAGE));
        m.free(a.asSlice(0, PAGE));
        for (long p : new long[] {1, 9, 13, 63}) {
            assertEquals(p + 1, a.get(JAVA_LONG, p * PAGE));
        }
        m.free(a.asSlice(PAGE, 9 * PAGE));
        m.free(a.asSlice(13 * PAGE, 51 * PAGE));
    }

    @Test
    void aCopyHasTheBytesAndNoLinkToTheOriginal() {
        HostMemory m = memory();
        MemorySegment from = m.allocate(32 * PAGE);
        from.set(JAVA_LONG, 3 * PAGE, 0x1122334455667788L);
        from.set(JAVA_LONG, 31 * PAGE + 4088, -1);
        MemorySegment to = m.allocate(32 * PAGE);
        m.copy(from, to);
        assertEquals(0x1122334455667788L, to.get(JAVA_LONG, 3 * PAGE));
        assertEquals(-1, to.get(JAVA_LONG, 31 * PAGE + 4088));
        to.set(JAVA_LONG, 3 * PAGE, 5);
        assertEquals(0x1122334455667788L, from.get(JAVA_LONG, 3 * PAGE));
        m.free(from);
        m.free(to);
    }

    @Test
    void residentBytesCountWhatWasTouchedAtMostTheSize() {
        HostMemory m = memory();
        MemorySegment a = m.allocate(256 * PAGE);
        a.set(JAVA_LONG, 100 * PAGE, 1);
        long resident = m.residentBytes(a);
        assertTrue(resident >= PAGE && resident <= a.byteSize() && resident % PAGE == 0, "resident " + resident);
        m.free(a);
    }

    @Test
    void pageFilesWhereTheHostHasThemShareAndFreezePages() {
        HostMemory m = memory();
        HostMemory.PageFile file = m.newPageFile(1L << 40);
        if (file == null) {
            return;
        }
        MemorySegment own = file.map(16 * PAGE, 4 * PAGE, true);
        own.set(JAVA_LONG, PAGE, 9);
        // fork: the owner's pages become private, and the child maps the same part privately.
        file.remap(own, 16 * PAGE, false);
        MemorySegment child = file.map(16 * PAGE, 4 * PAGE, false);
        assertEquals(9, child.get(JAVA_LONG, PAGE));
        child.set(JAVA_LONG, PAGE, 10);
        assertEquals(9, own.get(JAVA_LONG, PAGE));
        own.set(JAVA_LONG, 2 * PAGE, 11);
        MemorySegment copy = file.map(16 * PAGE, 4 * PAGE, false);
        file.copyWritten(own, copy);
        assertEquals(11, copy.get(JAVA_LONG, 2 * PAGE));
        assertEquals(9, copy.get(JAVA_LONG, PAGE));
        m.free(own);
        m.free(child);
        m.free(copy);
        file.close();
    }
}
