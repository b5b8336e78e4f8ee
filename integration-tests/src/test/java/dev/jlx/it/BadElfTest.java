package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jlx.core.api.JlxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that is not a loadable x86-64 ELF gets one clear line and the status a shell gives. */
class BadElfTest {
    @TempDir
    Path dir;

    private Path executable(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static byte[] header(int elfClass, int machine) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, 1, 1, 0});
        b.putShort(16, (short) 2).putShort(18, (short) machine).putInt(20, 1).putLong(32, 64)
                .putShort(54, (short) 56).putShort(56, (short) 1);
        return b.array();
    }

    private void assertRefused(Path program, String expectedProblem) {
        JlxException e = Runner.jlxFailure(List.of(program.toString()), dir);
        assertEquals(126, e.shellStatus(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("jlx: " + program + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedProblem), e.getMessage());
    }

    @Test
    void textFile() throws Exception {
        assertRefused(executable("text", "echo hi\n".getBytes()), "no ELF magic");
    }

    @Test
    void emptyFile() throws Exception {
        assertRefused(executable("empty", new byte[0]), "empty file");
    }

    @Test
    void truncatedHeader() throws Exception {
        assertRefused(executable("truncated", java.util.Arrays.copyOf(header(2, 62), 40)), "truncated ELF header");
    }

    @Test
    void thirtyTwoBit() throws Exception {
        assertRefused(executable("elf32", header(1, 3)), "32-bit ELF");
    }

    @Test
    void anotherMachine() throws Exception {
        assertRefused(executable("arm64", header(2, 183)), "another machine (AArch64)");
    }

    @Test
    void programHeadersOutsideTheFile() throws Exception {
        byte[] h = header(2, 62);
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(32, 1 << 20);
        assertRefused(executable("badphdr", h), "program headers outside the file");
    }

    /**
     * A 4 KiB x86-64 executable with one program header: PT_LOAD of the whole file at 0x400000.
     * Each test below breaks one thing in it.
     */
    private static ByteBuffer program(int phType) {
        ByteBuffer b = ByteBuffer.wrap(new byte[4096]).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header(2, 62));
        b.putLong(24, 0x400000 + 120); // e_entry
        b.putShort(52, (short) 64); // e_ehsize
        b.putInt(64, phType).putInt(68, 5) // p_type, p_flags R|X
                .putLong(72, 0).putLong(80, 0x400000).putLong(88, 0x400000) // p_offset, p_vaddr, p_paddr
                .putLong(96, 4096).putLong(104, 4096).putLong(112, 4096); // p_filesz, p_memsz, p_align
        return b;
    }

    @Test
    void bigEndian() throws Exception {
        byte[] h = program(1).array();
        h[5] = 2; // EI_DATA = ELFDATA2MSB
        assertRefused(executable("be", h), "big-endian");
    }

    @Test
    void relocatableObjectAndCoreFileAreNotExecutables() throws Exception {
        assertRefused(executable("object.o", program(1).putShort(16, (short) 1).array()), "not an executable ELF");
        assertRefused(executable("core", program(1).putShort(16, (short) 4).array()), "not an executable ELF");
    }

    @Test
    void wrongProgramHeaderSizeOrCount() throws Exception {
        assertRefused(executable("phentsize", program(1).putShort(54, (short) 32).array()), "program header size");
        assertRefused(executable("phnum0", program(1).putShort(56, (short) 0).array()), "program headers");
        assertRefused(executable("phnum-huge", program(1).putShort(56, (short) 0xffff).array()), "program headers");
    }

    @Test
    void segmentBeyondTheEndOfTheFile() throws Exception {
        assertRefused(executable("segment", program(1).putLong(72, 1 << 24).array()), "corrupt program header 0");
        assertRefused(executable("filesz", program(1).putLong(96, 1 << 24).putLong(104, 1 << 24).array()),
                "corrupt program header 0");
    }

    @Test
    void noLoadableSegment() throws Exception {
        assertRefused(executable("noload", program(4).array()), "no loadable segments"); // PT_NOTE only
    }

    @Test
    void segmentsAtAddressZeroOrAboveTheUserSpace() throws Exception {
        assertRefused(executable("zero", program(1).putLong(80, 0).array()), "outside the user address space");
        assertRefused(executable("kernel", program(1).putLong(80, 0xffff_8000_0000_0000L).array()),
                "outside the user address space");
    }

    @Test
    void corruptInterpreter() throws Exception {
        ByteBuffer b = program(3); // PT_INTERP
        b.putLong(72, 200).putLong(96, 1 << 20); // the name runs past the end of the file
        assertRefused(executable("interp", b.array()), "interpreter");
    }

    /** bash's words and status for a program whose interpreter does not exist, the same under jlx. */
    @Test
    void missingInterpreter() throws Exception {
        Path source = Files.writeString(dir.resolve("hello.c"), "int main(void) { return 0; }\n");
        Path program = dir.resolve("nointerp");
        Result gcc = Native.run(List.of("gcc", "-o", program.toString(), "-Wl,--dynamic-linker=/nonexistent/ld.so",
                source.toString()), Runner.ENV, dir, new byte[0]);
        assertEquals(0, gcc.status(), gcc.err());
        Result bash = Native.run(List.of("/bin/bash", "-c", program.toString()), Runner.ENV, dir, new byte[0]);
        JlxException e = Runner.jlxFailure(List.of(program.toString()), dir);
        assertEquals(bash.status(), e.shellStatus());
        assertEquals("/bin/bash: line 1: " + e.getMessage().substring("jlx: ".length()) + "\n", bash.err());
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        assertRefused(executable("noise", noise), "no ELF magic");
    }

    @Test
    void directoryAndMissingFileAndNoExecutePermission() throws Exception {
        JlxException isDir = Runner.jlxFailure(List.of(dir.toString()), dir);
        assertEquals(126, isDir.shellStatus());
        assertEquals("jlx: " + dir + ": Is a directory", isDir.getMessage());
        JlxException missing = Runner.jlxFailure(List.of(dir.resolve("nothing").toString()), dir);
        assertEquals(127, missing.shellStatus());
        assertEquals("jlx: " + dir.resolve("nothing") + ": No such file or directory", missing.getMessage());
        JlxException notFound = Runner.jlxFailure(List.of("no-such-command-anywhere"), dir);
        assertEquals(127, notFound.shellStatus());
        Path plain = dir.resolve("plain");
        Files.write(plain, header(2, 62));
        // No execute bit at all: EACCES, even for root.
        JlxException notExecutable = Runner.jlxFailure(List.of(plain.toString()), dir);
        assertEquals(126, notExecutable.shellStatus());
        assertEquals("jlx: " + plain + ": Permission denied", notExecutable.getMessage());
    }
}
