package dev.jlx.abi.struct;

import java.nio.ByteBuffer;

/**
 * {@code struct elf_prpsinfo} (linux/elfcore.h) of x86-64, 136 bytes: the process's NT_PRPSINFO
 * note in a core file: its state, flags, ids, command name and the start of its arguments.
 */
public record ElfPrpsinfo(int state, byte sname, int nice, long flag, int uid, int gid, int pid, int ppid, int pgrp,
        int sid, byte[] fname, byte[] psargs) {
    public static final int SIZE = 136;
    public static final int PR_STATE = 0;
    public static final int PR_SNAME = 1;
    public static final int PR_ZOMB = 2;
    public static final int PR_NICE = 3;
    public static final int PR_FLAG = 8;
    public static final int PR_UID = 16;
    public static final int PR_GID = 20;
    public static final int PR_PID = 24;
    public static final int PR_PPID = 28;
    public static final int PR_PGRP = 32;
    public static final int PR_SID = 36;
    /** char pr_fname[16]: the command name, NUL-padded. */
    public static final int PR_FNAME = 40;
    public static final int FNAME_LENGTH = 16;
    /** char pr_psargs[ELF_PRARGSZ]: the arguments, spaces between, NUL-terminated. */
    public static final int PR_PSARGS = 56;
    public static final int ELF_PRARGSZ = 80;

    public void writeTo(ByteBuffer buf, int offset) {
        Layout.littleEndian(buf);
        buf.put(offset + PR_STATE, (byte) state).put(offset + PR_SNAME, sname)
                .put(offset + PR_ZOMB, (byte) (sname == 'Z' ? 1 : 0)).put(offset + PR_NICE, (byte) nice)
                .putLong(offset + PR_FLAG, flag).putInt(offset + PR_UID, uid).putInt(offset + PR_GID, gid)
                .putInt(offset + PR_PID, pid).putInt(offset + PR_PPID, ppid).putInt(offset + PR_PGRP, pgrp)
                .putInt(offset + PR_SID, sid);
        buf.put(offset + PR_FNAME, fname, 0, Math.min(fname.length, FNAME_LENGTH - 1));
        buf.put(offset + PR_PSARGS, psargs, 0, Math.min(psargs.length, ELF_PRARGSZ - 1));
    }
}
