package dev.jlx.abi;

/**
 * What the loader reads of an ELF file: the identification bytes, the types, machines and segment kinds,
 * and the byte offsets of the fields of {@code Elf64_Ehdr} and {@code Elf64_Phdr}. Values from the
 * kernel's {@code linux/elf.h} and {@code linux/elf-em.h}; ELFOSABI_GNU and the PT_GNU_* kinds also
 * from glibc's {@code elf.h}. Offsets are little-endian x86-64 layout; {@code E_*} fields belong to the
 * file header, {@code P_*} to a program header (named after the C fields).
 */
public final class Elf {
    private Elf() {}

    // e_ident: indices, then the values found there.
    public static final int EI_MAG0 = 0;
    public static final int EI_MAG1 = 1;
    public static final int EI_MAG2 = 2;
    public static final int EI_MAG3 = 3;
    public static final int EI_CLASS = 4;
    public static final int EI_DATA = 5;
    public static final int EI_VERSION = 6;
    public static final int EI_OSABI = 7;
    public static final int EI_ABIVERSION = 8;
    public static final int EI_PAD = 9;
    public static final int EI_NIDENT = 16;

    public static final byte ELFMAG0 = 0x7f;
    public static final byte ELFMAG1 = 'E';
    public static final byte ELFMAG2 = 'L';
    public static final byte ELFMAG3 = 'F';
    public static final int SELFMAG = 4;

    public static final byte ELFCLASSNONE = 0;
    public static final byte ELFCLASS32 = 1;
    public static final byte ELFCLASS64 = 2;

    public static final byte ELFDATANONE = 0;
    public static final byte ELFDATA2LSB = 1;
    public static final byte ELFDATA2MSB = 2;

    public static final byte EV_NONE = 0;
    public static final byte EV_CURRENT = 1;

    /** Linux loads both: most binaries say NONE (System V), those using GNU extensions say GNU. */
    public static final byte ELFOSABI_NONE = 0;
    public static final byte ELFOSABI_GNU = 3;
    public static final byte ELFOSABI_LINUX = ELFOSABI_GNU;

    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    /** Shared objects and position-independent executables. */
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
    public static final int PT_SHLIB = 5;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_LOOS = 0x60000000;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    /** Its PF_X flag says whether the stack is executable; jlx's is not unless asked. */
    public static final int PT_GNU_STACK = 0x6474e551;
    public static final int PT_GNU_RELRO = 0x6474e552;
    public static final int PT_GNU_PROPERTY = 0x6474e553;
    public static final int PT_HIOS = 0x6fffffff;
    public static final int PT_LOPROC = 0x70000000;
    public static final int PT_HIPROC = 0x7fffffff;

    public static final int PF_X = 0x1;
    public static final int PF_W = 0x2;
    public static final int PF_R = 0x4;

    /** sizeof(Elf64_Ehdr). */
    public static final int EHDR_SIZE = 64;
    public static final int E_IDENT = 0;
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

    /** sizeof(Elf64_Phdr). On 64-bit, p_flags moved up next to p_type, unlike Elf32_Phdr. */
    public static final int PHDR_SIZE = 56;
    public static final int P_TYPE = 0;
    public static final int P_FLAGS = 4;
    public static final int P_OFFSET = 8;
    public static final int P_VADDR = 16;
    public static final int P_PADDR = 24;
    public static final int P_FILESZ = 32;
    public static final int P_MEMSZ = 40;
    public static final int P_ALIGN = 48;

    /** Note types of a core file (linux/elf.h): the name is "CORE" for all of these. */
    public static final int NT_PRSTATUS = 1;
    public static final int NT_PRFPREG = 2;
    public static final int NT_PRPSINFO = 3;
    public static final int NT_AUXV = 6;
    public static final int NT_SIGINFO = 0x53494749;
    public static final int NT_FILE = 0x46494c45;

    /** sizeof(Elf64_Nhdr): namesz, descsz, type; name and desc follow, each padded to 4 bytes. */
    public static final int NHDR_SIZE = 12;
}
