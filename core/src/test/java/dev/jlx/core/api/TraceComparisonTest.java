package dev.jlx.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceComparisonTest {
    private static final String STAT = "newfstatat(AT_FDCWD, \"d/f\", {st_dev=makedev(0xfe, 0), st_ino=%d, "
            + "st_mode=S_IFREG|0644, st_nlink=1, st_uid=0, st_gid=0, st_blksize=4096, st_blocks=8, st_size=%d, "
            + "st_atime=%d, st_atime_nsec=1, st_mtime=%d, st_mtime_nsec=2, st_ctime=3, st_ctime_nsec=4}, 0) = 0";

    @Test
    void masksAddressesInodesTimesPidsAndRandomBytes() {
        assertEquals(TraceComparison.mask(String.format(STAT, 1, 6, 100, 200)),
                TraceComparison.mask(String.format(STAT, 2, 6, 101, 201)));
        assertTrue(TraceComparison.mask(String.format(STAT, 1, 6, 100, 200)).contains(" st_size=6, "));
        assertEquals(TraceComparison.mask("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) "
                + "= 0x7ffff7ff8000"), TraceComparison.mask("mmap(NULL, 8192, PROT_READ|PROT_WRITE, "
                + "MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fe0000"));
        assertEquals("kill(PID, SIGTERM) = 0", TraceComparison.mask("kill(12, SIGTERM) = 0"));
        assertEquals("kill(0, SIGTERM) = 0", TraceComparison.mask("kill(0, SIGTERM) = 0"));
        assertEquals("wait4(-1, ADDR, 0, NULL) = PID", TraceComparison.mask("wait4(-1, 0x7fffffffdaec, 0, NULL) = 6"));
        assertEquals("time(ADDR) = TIME", TraceComparison.mask("time(0x5eb308) = 1796594560"));
        assertEquals("getrandom(BYTES, 8, 0) = 8", TraceComparison.mask("getrandom(\"\\1\\2,)\", 8, 0) = 8"));
        // Small numbers in hex are flags or values, not addresses; a failed call's result stays.
        assertEquals("fcntl(3, F_SETFL, 0x800) = -1 EBADF (Bad file descriptor)",
                TraceComparison.mask("fcntl(3, F_SETFL, 0x800) = -1 EBADF (Bad file descriptor)"));
        // Commas and parentheses inside strings do not split arguments.
        assertEquals("write(1, \"a, b) = c\\\"\", 10) = 10", TraceComparison.mask("write(1, \"a, b) = c\\\"\", 10) = 10"));
    }

    /** Tasks are matched by their place in the task tree, whatever their pids and however their lines interleave. */
    @Test
    void comparesTaskByTaskWhateverTheInterleaving() {
        List<String> a = List.of("clone(17, NULL, NULL, 0x5ec690, NULL) = 3", "[pid 3] mkdir(\"d\", 0777) = 0",
                "[pid 3] exit_group(0) = ?", "wait4(-1, 0x7ffe0, 0, NULL) = 3", "exit_group(0) = ?");
        List<String> b = List.of("[pid 9] mkdir(\"d\", 0777) = 0", "clone(17, NULL, NULL, 0x5ec690, NULL) = 9",
                "wait4(-1, 0x7ffe0, 0, NULL) = 9", "[pid 9] exit_group(0) = ?", "exit_group(0) = ?");
        assertTrue(TraceComparison.firstDifference(a, b).isEmpty());
    }

    @Test
    void reportsTheEarliestDifferenceWithItsTaskAndContext() {
        List<String> a = List.of("getpid() = 2", "clone(17, NULL, NULL, 0x5ec690, NULL) = 3", "[pid 3] getpid() = 3",
                "[pid 3] " + String.format(STAT, 1, 6, 0, 0), "[pid 3] exit_group(0) = ?", "exit_group(1) = ?");
        List<String> b = List.of("getpid() = 2", "clone(17, NULL, NULL, 0x5ec690, NULL) = 3", "[pid 3] getpid() = 3",
                "[pid 3] " + String.format(STAT, 1, 1006, 0, 0), "[pid 3] exit_group(0) = ?", "exit_group(0) = ?");
        ProgramDiff.SyscallDifference d = TraceComparison.firstDifference(a, b).orElseThrow();
        assertEquals("1.1", d.task());
        assertEquals(2, d.call());
        assertEquals(List.of("[pid 3] getpid() = 3"), d.contextA());
        assertEquals(a.get(3), d.lineA());
        assertEquals(b.get(3), d.lineB());
    }

    @Test
    void aTaskThatMakesFewerCallsDiffersWhereItStops() {
        List<String> a = List.of("write(1, \"x\", 1) = 1", "close(1) = 0", "exit_group(0) = ?");
        List<String> b = List.of("write(1, \"x\", 1) = 1", "exit_group(0) = ?");
        ProgramDiff.SyscallDifference d = TraceComparison.firstDifference(a, b).orElseThrow();
        assertEquals("1", d.task());
        assertEquals(2, d.call());
        assertEquals("close(1) = 0", d.lineA());
        assertEquals("exit_group(0) = ?", d.lineB());
        ProgramDiff.SyscallDifference end = TraceComparison.firstDifference(b, List.of(b.getFirst())).orElseThrow();
        assertEquals("exit_group(0) = ?", end.lineA());
        assertNull(end.lineB());
    }
}
