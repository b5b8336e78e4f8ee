package dev.jlx.abi;

/**
 * ELF64 constants and the layouts of the file header and program header, from {@code linux/elf.h}
 * and {@code elf.h}. Offsets are little-endian byte offsets.
 */
public final class Elf {
    private Elf() {}

    public static final int EI_MAG0 = 0;
    public static final int EI_CLASS = 4;
    public static final int EI_DATA = 5;
    public static final int EI_VERSION = 6;
    public static final int EI_OSABI = 7;
    public static final int EI_NIDENT = 16;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    public static final int EV_CURRENT = 1;
    public static final int ELFOSABI_NONE = 0;
    public static final int ELFOSABI_GNU = 3;

    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    /** Elf64_Ehdr. */
    public static final int EHDR_SIZE = 64;
    public static final int E_TYPE = 16;
    public static final int E_MACHINE = 18;
    public static final int E_VERSION = 20;
    public static final int E_ENTRY = 24;
    public static final int E_PHOFF = 32;
    public static final int E_SHOFF = 40;
    public static final int E_FLAGS = 48;
    public static final int E_EHSIZE = 52;
    public static final int E_PHENTSIZE = 54;
    public static final int E_PHNUM = 56;
    public static final int E_SHENTSIZE = 58;
    public static final int E_SHNUM = 60;
    public static final int E_SHSTRNDX = 62;

    /** Elf64_Phdr. */
    public static final int PHDR_SIZE = 56;
    public static final int P_TYPE = 0;
    public static final int P_FLAGS = 4;
    public static final int P_OFFSET = 8;
    public static final int P_VADDR = 16;
    public static final int P_PADDR = 24;
    public static final int P_FILESZ = 32;
    public static final int P_MEMSZ = 40;
    public static final int P_ALIGN = 48;
}
