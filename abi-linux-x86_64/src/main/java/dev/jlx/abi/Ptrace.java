package dev.jlx.abi;

/**
 * ptrace(2)'s requests, options, events and register layouts, from {@code linux/ptrace.h},
 * {@code asm/ptrace-abi.h}, {@code asm/user_64.h} and {@code linux/elf.h}.
 */
public final class Ptrace {
    private Ptrace() {}

    public static final int PTRACE_TRACEME = 0;
    public static final int PTRACE_PEEKTEXT = 1;
    public static final int PTRACE_PEEKDATA = 2;
    public static final int PTRACE_PEEKUSR = 3;
    public static final int PTRACE_POKETEXT = 4;
    public static final int PTRACE_POKEDATA = 5;
    public static final int PTRACE_POKEUSR = 6;
    public static final int PTRACE_CONT = 7;
    public static final int PTRACE_KILL = 8;
    public static final int PTRACE_SINGLESTEP = 9;
    public static final int PTRACE_GETREGS = 12;
    public static final int PTRACE_SETREGS = 13;
    public static final int PTRACE_GETFPREGS = 14;
    public static final int PTRACE_SETFPREGS = 15;
    public static final int PTRACE_ATTACH = 16;
    public static final int PTRACE_DETACH = 17;
    public static final int PTRACE_SYSCALL = 24;
    public static final int PTRACE_SETOPTIONS = 0x4200;
    public static final int PTRACE_GETEVENTMSG = 0x4201;
    public static final int PTRACE_GETSIGINFO = 0x4202;
    public static final int PTRACE_SETSIGINFO = 0x4203;
    public static final int PTRACE_GETREGSET = 0x4204;
    public static final int PTRACE_SETREGSET = 0x4205;
    public static final int PTRACE_SEIZE = 0x4206;
    public static final int PTRACE_INTERRUPT = 0x4207;
    public static final int PTRACE_LISTEN = 0x4208;
    public static final int PTRACE_PEEKSIGINFO = 0x4209;
    public static final int PTRACE_GETSIGMASK = 0x420a;
    public static final int PTRACE_SETSIGMASK = 0x420b;
    public static final int PTRACE_GET_SYSCALL_INFO = 0x420e;

    public static final int PTRACE_O_TRACESYSGOOD = 1;
    public static final int PTRACE_O_TRACEFORK = 1 << 1;
    public static final int PTRACE_O_TRACEVFORK = 1 << 2;
    public static final int PTRACE_O_TRACECLONE = 1 << 3;
    public static final int PTRACE_O_TRACEEXEC = 1 << 4;
    public static final int PTRACE_O_TRACEVFORKDONE = 1 << 5;
    public static final int PTRACE_O_TRACEEXIT = 1 << 6;
    public static final int PTRACE_O_TRACESECCOMP = 1 << 7;
    public static final int PTRACE_O_EXITKILL = 1 << 20;
    public static final int PTRACE_O_SUSPEND_SECCOMP = 1 << 21;
    public static final int PTRACE_O_MASK = 0xff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP;

    public static final int PTRACE_EVENT_FORK = 1;
    public static final int PTRACE_EVENT_VFORK = 2;
    public static final int PTRACE_EVENT_CLONE = 3;
    public static final int PTRACE_EVENT_EXEC = 4;
    public static final int PTRACE_EVENT_VFORK_DONE = 5;
    public static final int PTRACE_EVENT_EXIT = 6;
    public static final int PTRACE_EVENT_STOP = 128;

    /** PTRACE_PEEKSIGINFO's flag and struct ptrace_peeksiginfo_args (off u64, flags u32, nr s32). */
    public static final int PTRACE_PEEKSIGINFO_SHARED = 1;
    public static final int PEEKSIGINFO_ARGS_SIZE = 16;

    /** PTRACE_GET_SYSCALL_INFO's op values and struct ptrace_syscall_info's offsets. */
    public static final int PTRACE_SYSCALL_INFO_NONE = 0;
    public static final int PTRACE_SYSCALL_INFO_ENTRY = 1;
    public static final int PTRACE_SYSCALL_INFO_EXIT = 2;
    public static final int INFO_OP = 0;
    public static final int INFO_ARCH = 4;
    public static final int INFO_INSTRUCTION_POINTER = 8;
    public static final int INFO_STACK_POINTER = 16;
    /** entry: nr, then args[6]; exit: rval, then is_error (u8). */
    public static final int INFO_NR = 24;
    public static final int INFO_ARGS = 32;
    public static final int INFO_RVAL = 24;
    public static final int INFO_IS_ERROR = 32;
    /** What the kernel copies for each op (offsetofend of the op's last field). */
    public static final int INFO_SIZE_NONE = 24;
    public static final int INFO_SIZE_ENTRY = 80;
    public static final int INFO_SIZE_EXIT = 33;
    /** AUDIT_ARCH_X86_64. */
    public static final int AUDIT_ARCH_X86_64 = 0xc000003e;

    /** NT_PRSTATUS and NT_PRFPREG, PTRACE_GETREGSET's note types. */
    public static final int NT_PRSTATUS = 1;
    public static final int NT_PRFPREG = 2;

    /** struct user_regs_struct: 27 longs, in this order (index = offset / 8). */
    public static final int R15 = 0;
    public static final int R14 = 1;
    public static final int R13 = 2;
    public static final int R12 = 3;
    public static final int RBP = 4;
    public static final int RBX = 5;
    public static final int R11 = 6;
    public static final int R10 = 7;
    public static final int R9 = 8;
    public static final int R8 = 9;
    public static final int RAX = 10;
    public static final int RCX = 11;
    public static final int RDX = 12;
    public static final int RSI = 13;
    public static final int RDI = 14;
    public static final int ORIG_RAX = 15;
    public static final int RIP = 16;
    public static final int CS = 17;
    public static final int EFLAGS = 18;
    public static final int RSP = 19;
    public static final int SS = 20;
    public static final int FS_BASE = 21;
    public static final int GS_BASE = 22;
    public static final int DS = 23;
    public static final int ES = 24;
    public static final int FS = 25;
    public static final int GS = 26;
    public static final int USER_REGS_COUNT = 27;
    public static final int USER_REGS_SIZE = USER_REGS_COUNT * 8;
    /** struct user_i387_struct (the FXSAVE area), PTRACE_GETFPREGS's struct. */
    public static final int USER_FPREGS_SIZE = 512;
    /** offsetof(struct user, u_debugreg) and sizeof(struct user). */
    public static final int USER_DEBUGREG = 848;
    public static final int USER_SIZE = 928;
}
