package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct elf_prstatus} (linux/elfcore.h) of x86-64, 336 bytes: a thread's NT_PRSTATUS note in
 * a core file: the signal, the pending and blocked sets, its ids, its CPU times and its registers
 * as {@code struct user_regs_struct} (asm/user_64.h, 27 longs).
 */
public record ElfPrstatus(int cursig, long sigpend, long sighold, int pid, int ppid, int pgrp, int sid,
        long utimeMicros, long stimeMicros, long[] regs, boolean fpvalid) {
    public static final int SIZE = 336;
    /** pr_info: struct elf_siginfo {si_signo, si_code, si_errno}. */
    public static final int PR_INFO = 0;
    public static final int PR_CURSIG = 12;
    public static final int PR_SIGPEND = 16;
    public static final int PR_SIGHOLD = 24;
    public static final int PR_PID = 32;
    public static final int PR_PPID = 36;
    public static final int PR_PGRP = 40;
    public static final int PR_SID = 44;
    /** pr_utime, pr_stime, pr_cutime, pr_cstime: struct __kernel_old_timeval each. */
    public static final int PR_UTIME = 48;
    public static final int PR_STIME = 64;
    public static final int PR_CUTIME = 80;
    public static final int PR_CSTIME = 96;
    public static final int PR_REG = 112;
    public static final int PR_FPVALID = 328;

    /** user_regs_struct's order: indexes into {@link #regs}. */
    public static final int R15 = 0, R14 = 1, R13 = 2, R12 = 3, RBP = 4, RBX = 5, R11 = 6, R10 = 7, R9 = 8,
            R8 = 9, RAX = 10, RCX = 11, RDX = 12, RSI = 13, RDI = 14, ORIG_RAX = 15, RIP = 16, CS = 17,
            EFLAGS = 18, RSP = 19, SS = 20, FS_BASE = 21, GS_BASE = 22, DS = 23, ES = 24, FS = 25, GS = 26;
    public static final int NREGS = 27;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        buf.putInt(offset + PR_INFO, cursig).putShort(offset + PR_CURSIG, (short) cursig)
                .putLong(offset + PR_SIGPEND, sigpend).putLong(offset + PR_SIGHOLD, sighold)
                .putInt(offset + PR_PID, pid).putInt(offset + PR_PPID, ppid).putInt(offset + PR_PGRP, pgrp)
                .putInt(offset + PR_SID, sid)
                .putLong(offset + PR_UTIME, utimeMicros / 1_000_000).putLong(offset + PR_UTIME + 8, utimeMicros % 1_000_000)
                .putLong(offset + PR_STIME, stimeMicros / 1_000_000).putLong(offset + PR_STIME + 8, stimeMicros % 1_000_000);
        for (int i = 0; i < NREGS; i++) {
            buf.putLong(offset + PR_REG + 8 * i, regs[i]);
        }
        buf.putInt(offset + PR_FPVALID, fpvalid ? 1 : 0);
    }
}
