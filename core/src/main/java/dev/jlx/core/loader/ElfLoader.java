package dev.jlx.core.loader;

import static dev.jlx.core.mem.AddressSpace.pageDown;
import static dev.jlx.core.mem.AddressSpace.pageUp;

import dev.jlx.abi.Elf;
import dev.jlx.abi.Mman;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.mem.AddressSpace;
import java.lang.foreign.MemorySegment;

/**
 * Maps an executable's PT_LOAD segments as Linux's {@code load_elf_binary} does: each segment with
 * the protection its header gives, file bytes from the page that holds the segment's start, bss
 * zeroed, ET_DYN images at a Linux-like base.
 */
public final class ElfLoader {
    /** ELF_ET_DYN_BASE on x86-64 without randomization: where a PIE with an interpreter goes. */
    public static final long ET_DYN_BASE = 0x555555554000L;

    private ElfLoader() {}

    /** Where a loaded image ended up. */
    public record Image(long bias, long entry, long phdrAddress, int phnum, long end, ByteString interpreter) {}

    /** Loads {@code elf}; its segments are named {@code name} (the guest path) in /proc/PID/maps. */
    public static Image load(ElfFile elf, ElfFile.RangeReader file, AddressSpace space, ByteString name)
            throws ElfException {
        long low = Long.MAX_VALUE;
        long high = 0;
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == Elf.PT_LOAD) {
                low = Math.min(low, pageDown(s.vaddr()));
                high = Math.max(high, pageUp(s.vaddr() + s.memsz()));
            }
        }
        long bias = 0;
        try {
            if (elf.type() == Elf.ET_DYN) {
                // With an interpreter the kernel uses ELF_ET_DYN_BASE; a static PIE is placed like ld.so itself,
                // by mmap's top-down search for the whole image span.
                long span = high - low;
                long base = elf.interpreter() != null ? ET_DYN_BASE
                        : space.map(0, span, Mman.PROT_NONE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null);
                bias = base - low;
            }
            if (low + bias < 0x10000 || high + bias > AddressSpace.TASK_SIZE || high + bias < low + bias) {
                throw new ElfException("segments outside the user address space");
            }
            for (ElfFile.Segment s : elf.segments()) {
                if (s.type() == Elf.PT_LOAD) {
                    loadSegment(s, bias, file, space, name);
                }
            }
        } catch (ErrnoException e) {
            throw new ElfException("cannot map segments (" + e.errno().message() + ")");
        }
        return new Image(bias, elf.entry() + bias, phdrAddress(elf) + bias, elf.segments().size(), high + bias,
                elf.interpreter());
    }

    private static void loadSegment(ElfFile.Segment s, long bias, ElfFile.RangeReader file, AddressSpace space,
            ByteString name) throws ErrnoException, ElfException {
        long start = pageDown(s.vaddr() + bias);
        long end = pageUp(s.vaddr() + bias + s.memsz());
        if (end == start) {
            return;
        }
        int prot = protection(s.flags());
        long fileStart = pageDown(s.offset());
        // As Linux: the pages holding file bytes are a mapping of the file at its offset
        // (/proc/PID/maps), the bss pages after them anonymous memory. Mapped writable for the copy,
        // then given their real protection.
        long filePagesEnd = Math.min(end, pageUp(s.vaddr() + bias + s.filesz()));
        if (s.filesz() > 0 && filePagesEnd > start) {
            space.map(start, filePagesEnd - start, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_FIXED | Mman.MAP_PRIVATE,
                    name, null, AddressSpace.ALL_PROT, fileStart);
        } else {
            filePagesEnd = start;
        }
        if (filePagesEnd < end) {
            space.map(filePagesEnd, end - filePagesEnd, Mman.PROT_READ | Mman.PROT_WRITE,
                    Mman.MAP_FIXED | Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null);
        }
        long fileEnd = s.offset() + s.filesz();
        // Linux maps whole file pages: the bytes around the segment in its first and last page are
        // file bytes too, except the bss part of the last page, which is zeroed.
        long copyEnd = s.memsz() > s.filesz() ? fileEnd : pageUp(fileEnd);
        long done = 0;
        long length = copyEnd - fileStart;
        while (done < length) {
            MemorySegment dst = space.memory().slice(start + done, length - done, true);
            long n = file.readInto(dst, fileStart + done);
            done += n;
            if (n < dst.byteSize()) {
                break;
            }
        }
        space.protect(start, end - start, prot);
    }

    private static long phdrAddress(ElfFile elf) {
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == Elf.PT_PHDR) {
                return s.vaddr();
            }
        }
        // No PT_PHDR: the table lies in the segment that maps its file offset.
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() == Elf.PT_LOAD && elf.phoff() >= s.offset() && elf.phoff() < s.offset() + s.filesz()) {
                return s.vaddr() + (elf.phoff() - s.offset());
            }
        }
        return 0;
    }

    static int protection(int pflags) {
        int prot = 0;
        if ((pflags & Elf.PF_R) != 0) {
            prot |= Mman.PROT_READ;
        }
        if ((pflags & Elf.PF_W) != 0) {
            prot |= Mman.PROT_WRITE;
        }
        if ((pflags & Elf.PF_X) != 0) {
            prot |= Mman.PROT_EXEC;
        }
        return prot;
    }
}
