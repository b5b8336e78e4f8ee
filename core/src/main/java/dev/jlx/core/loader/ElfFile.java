package dev.jlx.core.loader;

import dev.jlx.abi.Elf;
import dev.jlx.core.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an ELF64 file the loader needs: the header and the program headers, checked as
 * Linux's {@code load_elf_binary} checks them, with a precise message for each way a file can fail.
 */
public record ElfFile(int type, long entry, long phoff, int phentsize, List<Segment> segments,
        ByteString interpreter) {

    /** One program header. */
    public record Segment(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {}

    /** The largest program header table Linux accepts (ELF_MIN_ALIGN / sizeof(Elf64_Phdr)... 64 KiB). */
    private static final int MAX_PHDR_BYTES = 65536;

    /**
     * Parses {@code head}, the first bytes of a file of {@code fileSize} bytes; {@code reader}
     * fetches the program header table and the interpreter name when they lie beyond {@code head}.
     */
    public static ElfFile parse(byte[] head, long fileSize, RangeReader reader) throws ElfException {
        if (fileSize == 0) {
            throw new ElfException("empty file");
        }
        if (head.length < 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            throw new ElfException("not an ELF executable (no ELF magic)");
        }
        if (head.length < Elf.EI_NIDENT) {
            throw new ElfException("truncated ELF header");
        }
        if (head[Elf.EI_CLASS] == Elf.ELFCLASS32) {
            throw new ElfException("32-bit ELF; jlx runs x86-64 programs only");
        }
        if (head[Elf.EI_CLASS] != Elf.ELFCLASS64) {
            throw new ElfException("bad ELF class " + head[Elf.EI_CLASS]);
        }
        if (head[Elf.EI_DATA] != Elf.ELFDATA2LSB) {
            throw new ElfException("big-endian ELF; jlx runs x86-64 programs only");
        }
        if (head.length < Elf.EHDR_SIZE) {
            throw new ElfException("truncated ELF header");
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(h.getShort(Elf.E_TYPE));
        int machine = Short.toUnsignedInt(h.getShort(Elf.E_MACHINE));
        if (machine != Elf.EM_X86_64) {
            throw new ElfException("ELF for another machine (" + machineName(machine) + "); jlx runs x86-64 programs only");
        }
        if (type != Elf.ET_EXEC && type != Elf.ET_DYN) {
            throw new ElfException("not an executable ELF file (type " + type + ")");
        }
        long entry = h.getLong(Elf.E_ENTRY);
        long phoff = h.getLong(Elf.E_PHOFF);
        int phentsize = Short.toUnsignedInt(h.getShort(Elf.E_PHENTSIZE));
        int phnum = Short.toUnsignedInt(h.getShort(Elf.E_PHNUM));
        if (phentsize != Elf.PHDR_SIZE) {
            throw new ElfException("corrupt ELF header (program header size " + phentsize + ")");
        }
        if (phnum == 0 || (long) phnum * phentsize > MAX_PHDR_BYTES) {
            throw new ElfException("corrupt ELF header (" + phnum + " program headers)");
        }
        long phBytes = (long) phnum * phentsize;
        if (phoff < 0 || phoff + phBytes > fileSize || phoff + phBytes < phoff) {
            throw new ElfException("corrupt ELF header (program headers outside the file)");
        }
        ByteBuffer ph = ByteBuffer.wrap(reader.read(phoff, (int) phBytes)).order(ByteOrder.LITTLE_ENDIAN);
        List<Segment> segments = new ArrayList<>(phnum);
        ByteString interpreter = null;
        boolean loadable = false;
        for (int i = 0; i < phnum; i++) {
            int b = i * Elf.PHDR_SIZE;
            Segment s = new Segment(ph.getInt(b + Elf.P_TYPE), ph.getInt(b + Elf.P_FLAGS), ph.getLong(b + Elf.P_OFFSET),
                    ph.getLong(b + Elf.P_VADDR), ph.getLong(b + Elf.P_FILESZ), ph.getLong(b + Elf.P_MEMSZ),
                    ph.getLong(b + Elf.P_ALIGN));
            segments.add(s);
            if (s.type() == Elf.PT_LOAD) {
                loadable = true;
                if (s.filesz() < 0 || s.memsz() < s.filesz() || s.offset() < 0 || s.offset() + s.filesz() > fileSize
                        || ((s.offset() - s.vaddr()) & 4095) != 0) {
                    throw new ElfException("corrupt program header " + i + " (segment outside the file or misaligned)");
                }
            } else if (s.type() == Elf.PT_INTERP) {
                if (s.filesz() < 2 || s.filesz() > 4096 || s.offset() < 0 || s.offset() + s.filesz() > fileSize) {
                    throw new ElfException("corrupt interpreter program header");
                }
                byte[] name = reader.read(s.offset(), (int) s.filesz());
                if (name[name.length - 1] != 0) {
                    throw new ElfException("corrupt interpreter name");
                }
                interpreter = ByteString.of(name, 0, name.length - 1);
            }
        }
        if (!loadable) {
            throw new ElfException("no loadable segments");
        }
        return new ElfFile(type, entry, phoff, phentsize, List.copyOf(segments), interpreter);
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case Elf.EM_386 -> "i386";
            case Elf.EM_AARCH64 -> "AArch64";
            default -> "machine " + machine;
        };
    }

    /** Reads the file being loaded; fewer bytes than asked only at the end of the file. */
    public interface RangeReader {
        byte[] read(long offset, int length) throws ElfException;

        /** Reads into {@code dst} (guest memory) directly; returns the bytes read. */
        long readInto(java.lang.foreign.MemorySegment dst, long offset) throws ElfException;
    }
}
