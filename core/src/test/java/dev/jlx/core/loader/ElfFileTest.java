package dev.jlx.core.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each way a file can fail to be a loadable x86-64 ELF gets its own message. */
class ElfFileTest {
    /** A minimal valid ELF64 x86-64 executable header with one PT_LOAD covering the file. */
    private static byte[] validElf() {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(24, 0x401000).putLong(32, 64);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
        b.putInt(64, 1).putInt(68, 5).putLong(72, 0).putLong(80, 0x400000).putLong(88, 0x400000)
                .putLong(96, 4096).putLong(104, 4096).putLong(112, 4096);
        return b.array();
    }

    private static ElfFile parse(byte[] file) throws ElfException {
        ElfFile.RangeReader reader = new ElfFile.RangeReader() {
            @Override
            public byte[] read(long offset, int length) {
                int from = (int) Math.min(offset, file.length);
                return Arrays.copyOfRange(file, from, (int) Math.min(file.length, offset + length));
            }

            @Override
            public long readInto(java.lang.foreign.MemorySegment dst, long offset) {
                throw new UnsupportedOperationException("parse does not load");
            }
        };
        return ElfFile.parse(reader.read(0, 64), file.length, reader);
    }

    private static String failure(byte[] file) {
        return assertThrows(ElfException.class, () -> parse(file)).getMessage();
    }

    @Test
    void validHeaderParses() throws ElfException {
        ElfFile e = parse(validElf());
        assertEquals(0x401000, e.entry());
        assertEquals(1, e.segments().size());
    }

    @Test
    void eachBrokenFileHasItsOwnOneLineMessage() {
        assertEquals("empty file", failure(new byte[0]));
        assertEquals("not an ELF executable (no ELF magic)", failure("#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("truncated ELF header", failure(Arrays.copyOf(validElf(), 30)));
        byte[] elf32 = validElf();
        elf32[4] = 1;
        assertEquals("32-bit ELF; jlx runs x86-64 programs only", failure(elf32));
        byte[] arm = validElf();
        arm[18] = (byte) 183;
        assertEquals("ELF for another machine (AArch64); jlx runs x86-64 programs only", failure(arm));
        byte[] badPh = validElf();
        ByteBuffer.wrap(badPh).order(ByteOrder.LITTLE_ENDIAN).putLong(32, 1L << 40);
        assertEquals("corrupt ELF header (program headers outside the file)", failure(badPh));
        byte[] badSeg = validElf();
        ByteBuffer.wrap(badSeg).order(ByteOrder.LITTLE_ENDIAN).putLong(96, 1 << 20);
        assertTrue(failure(badSeg).startsWith("corrupt program header 0"));
        byte[] object = validElf();
        object[16] = 1;
        assertEquals("not an executable ELF file (type 1)", failure(object));
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButElfException() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] file = validElf();
            int flips = 1 + r.nextInt(8);
            for (int j = 0; j < flips; j++) {
                file[r.nextInt(128)] = (byte) r.nextInt(256);
            }
            try {
                parse(file);
            } catch (ElfException expected) {
                assertTrue(!expected.getMessage().contains("\n"));
            }
        }
    }
}
