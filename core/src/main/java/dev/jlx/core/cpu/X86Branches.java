package dev.jlx.core.cpu;

import java.util.List;

/**
 * Where x86-64 control goes after one instruction, for the direct jumps only (jmp, jcc, call,
 * loop and jrcxz with a relative target): what {@link UnicornEngine#faultingInstruction} follows.
 * Any other instruction goes on to the next one; an indirect jump, a return or a syscall ends the
 * path (Unicorn writes RIP there).
 */
final class X86Branches {
    private X86Branches() {}

    /** The addresses control may reach after the instruction at {@code at}, whose bytes are {@code insn}. */
    static List<Long> directSuccessors(long at, byte[] insn) {
        long next = at + insn.length;
        int i = 0;
        // Legacy prefixes (branch hints, bnd, operand size...) and REX come before the opcode.
        while (i < insn.length && isPrefix(insn[i] & 0xff)) {
            i++;
        }
        if (i >= insn.length) {
            return List.of(next);
        }
        int op = insn[i] & 0xff;
        if (op >= 0x70 && op <= 0x7f || op >= 0xe0 && op <= 0xe3) {
            return List.of(next + insn[insn.length - 1], next);
        }
        if (op == 0xeb || op == 0xe9) {
            return List.of(next + relative(insn, op == 0xeb ? 1 : 4));
        }
        if (op == 0xe8) {
            return List.of(next + relative(insn, 4));
        }
        if (op == 0x0f && i + 1 < insn.length && (insn[i + 1] & 0xf0) == 0x80) {
            return List.of(next + relative(insn, 4), next);
        }
        if (op == 0xc3 || op == 0xc2 || op == 0xff && i + 1 < insn.length && isIndirectJumpOrCall(insn[i + 1])
                || op == 0x0f && i + 1 < insn.length && insn[i + 1] == 0x05) {
            return List.of();
        }
        return List.of(next);
    }

    private static boolean isPrefix(int b) {
        return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || b == 0x66 || b == 0x67
                || b == 0xf0 || b == 0xf2 || b == 0xf3 || (b & 0xf0) == 0x40;
    }

    /** FF /2, /3 (call), /4, /5 (jmp): the reg field of the ModRM byte. */
    private static boolean isIndirectJumpOrCall(byte modrm) {
        int reg = (modrm >> 3) & 7;
        return reg >= 2 && reg <= 5;
    }

    /** The signed displacement in the last {@code size} bytes of the instruction. */
    private static long relative(byte[] insn, int size) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            v |= (insn[insn.length - size + k] & 0xffL) << (8 * k);
        }
        return size == 1 ? (byte) v : (int) v;
    }
}
