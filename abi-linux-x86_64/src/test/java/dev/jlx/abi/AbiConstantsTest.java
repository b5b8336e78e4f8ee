package dev.jlx.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spot checks against the kernel headers, and the internal consistency of the tables. */
class AbiConstantsTest {
    @Test
    void syscallNumbers() {
        assertEquals(0, SyscallNr.READ);
        assertEquals(39, SyscallNr.GETPID);
        assertEquals(60, SyscallNr.EXIT);
        assertEquals(158, SyscallNr.ARCH_PRCTL);
        assertEquals(231, SyscallNr.EXIT_GROUP);
        assertEquals(262, SyscallNr.NEWFSTATAT);
        assertEquals(318, SyscallNr.GETRANDOM);
        assertEquals(334, SyscallNr.RSEQ);
        assertEquals(435, SyscallNr.CLONE3);
        assertEquals(439, SyscallNr.FACCESSAT2);
        assertEquals("newfstatat", SyscallNr.name(262));
        assertNull(SyscallNr.name(400), "335..423 is a gap in syscall_64.tbl");
        assertNull(SyscallNr.name(-1));
        assertNull(SyscallNr.name(SyscallNr.MAX + 1));
    }

    @Test
    void everySyscallConstantMatchesItsName() throws IllegalAccessException {
        Set<Integer> seen = new HashSet<>();
        for (Field f : SyscallNr.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class || f.getName().equals("MAX")) {
                continue;
            }
            int nr = f.getInt(null);
            assertEquals(f.getName().toLowerCase(Locale.ROOT), SyscallNr.name(nr));
            assertEquals(true, seen.add(nr), "duplicate number " + nr);
        }
    }

    @Test
    void errnoNumbersAndText() {
        assertEquals(2, Errno.ENOENT.number());
        assertEquals(38, Errno.ENOSYS.number());
        assertEquals(95, Errno.EOPNOTSUPP.number());
        assertEquals("No such file or directory", Errno.ENOENT.message());
        assertEquals(Errno.ELOOP, Errno.of(40));
        assertNull(Errno.of(41), "41 is EWOULDBLOCK's old slot: unused");
        assertNull(Errno.of(0));
        assertNull(Errno.of(4096));
    }

    @Test
    void constantNames() {
        assertEquals("SIGSEGV", Signals.name(11));
        assertEquals("SIGRT2", Signals.name(34));
        assertEquals("RLIMIT_NOFILE", Resource.name(Resource.RLIMIT_NOFILE));
        assertEquals("TIOCGWINSZ", Ioctl.name(0x5413));
        assertEquals("AT_RANDOM", Auxv.name(25));
        assertEquals(0x100000, Mman.MAP_FIXED_NOREPLACE);
        assertEquals(02000000, OpenFlags.O_CLOEXEC);
        assertEquals(-100, Fcntl.AT_FDCWD);
    }
}
