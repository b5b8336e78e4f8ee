package dev.jlx.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/syscalls.md is generated from the syscall table; this fails when the checked-in copy is stale. */
class SyscallDocTest {
    @Test
    void checkedInDocMatchesTheTable() throws Exception {
        Path doc = Path.of("..", "docs", "syscalls.md");
        assertTrue(Files.exists(doc), "docs/syscalls.md is missing: run ./jlx syscalls --markdown > docs/syscalls.md");
        assertEquals(SyscallsCommand.markdown(), Files.readString(doc),
                "docs/syscalls.md is stale: run ./jlx syscalls --markdown > docs/syscalls.md");
    }

    @Test
    void plainTableListsEveryCallWithItsLevel() {
        String table = SyscallsCommand.plain();
        assertTrue(table.contains("\n0    read                     FULL"), table.substring(0, 200));
        assertTrue(table.contains("UNIMPLEMENTED  ENOSYS"));
    }
}
