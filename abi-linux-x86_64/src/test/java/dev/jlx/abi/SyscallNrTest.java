package dev.jlx.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyscallNrTest {

    @Test
    void knownNumbers() {
        assertEquals(0, SyscallNr.READ);
        assertEquals(1, SyscallNr.WRITE);
        assertEquals(9, SyscallNr.MMAP);
        assertEquals(13, SyscallNr.RT_SIGACTION);
        assertEquals(17, SyscallNr.PREAD64);
        assertEquals(56, SyscallNr.CLONE);
        assertEquals(59, SyscallNr.EXECVE);
        assertEquals(60, SyscallNr.EXIT);
        assertEquals(158, SyscallNr.ARCH_PRCTL);
        assertEquals(202, SyscallNr.FUTEX);
        assertEquals(231, SyscallNr.EXIT_GROUP);
        assertEquals(257, SyscallNr.OPENAT);
        assertEquals(262, SyscallNr.NEWFSTATAT);
        assertEquals(318, SyscallNr.GETRANDOM);
        assertEquals(332, SyscallNr.STATX);
        assertEquals(334, SyscallNr.RSEQ);
        assertEquals(424, SyscallNr.PIDFD_SEND_SIGNAL);
        assertEquals(435, SyscallNr.CLONE3);
        assertEquals(462, SyscallNr.MSEAL);
        assertEquals(SyscallNr.MSEAL, SyscallNr.MAX);
    }

    @Test
    void numbersAreUniqueAndNamesAgree() throws IllegalAccessException {
        Map<Integer, String> byNumber = new HashMap<>();
        for (Field f : SyscallNr.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getName().equals("MAX")) {
                continue;
            }
            int nr = f.getInt(null);
            String previous = byNumber.put(nr, f.getName());
            assertNull(previous, () -> f.getName() + " shares " + nr + " with " + previous);
            assertEquals(f.getName().toLowerCase(Locale.ROOT), SyscallNr.name(nr), f.getName());
            assertTrue(nr <= SyscallNr.MAX);
        }
        assertEquals(375, byNumber.size());
        for (int nr = -1; nr <= SyscallNr.MAX + 1; nr++) {
            if (!byNumber.containsKey(nr)) {
                assertNull(SyscallNr.name(nr), "gap " + nr);
            }
        }
    }

    @Test
    void gapsAndRange() {
        assertNull(SyscallNr.name(336));
        assertNull(SyscallNr.name(423));
        assertNull(SyscallNr.name(-1));
        assertNull(SyscallNr.name(Integer.MAX_VALUE));
        assertEquals("_sysctl", SyscallNr.name(156));
        assertEquals("umount2", SyscallNr.name(SyscallNr.UMOUNT2));
    }
}
