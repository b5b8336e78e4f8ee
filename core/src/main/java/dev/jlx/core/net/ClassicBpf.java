package dev.jlx.core.net;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Classic BPF socket filters (SO_ATTACH_FILTER): the program checked as Linux's bpf_check_classic
 * checks it, and run over a packet as sk_filter runs it. Instructions are {@code struct sock_filter}:
 * a u16 code, u8 jt, u8 jf and a u32 k. A packet here is the message jlx queues (an AF_UNIX
 * datagram, a netlink message): it has no link-layer or network header, so loads relative to
 * SKF_LL_OFF and SKF_NET_OFF fail (the program returns 0), and the ancillary data of a device-less
 * packet is 0 but for SKF_AD_CPU (0 too: jlx does not say which CPU) and SKF_AD_RANDOM.
 */
final class ClassicBpf {
    static final int INSN_SIZE = 8;
    /** BPF_MAXINSNS. */
    static final int MAXINSNS = 4096;
    private static final int MEMWORDS = 16;
    /** SKF_AD_OFF, SKF_NET_OFF and SKF_LL_OFF as the unsigned offsets they are in k. */
    private static final long AD_OFF = 0xfffff000L;
    private static final int AD_ALU_XOR_X = 40;
    private static final int AD_RANDOM = 56;
    /** The last ancillary offset known (SKF_AD_VLAN_TPID); each is a multiple of 4 from SKF_AD_PROTOCOL (0). */
    private static final int AD_LAST = 60;

    private static final int LD = 0, LDX = 1, ST = 2, STX = 3, ALU = 4, JMP = 5, RET = 6, MISC = 7;
    private static final int W = 0, H = 0x08, B = 0x10;
    private static final int IMM = 0, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    private static final int ADD = 0, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
            RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    private static final int JA = 0, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    private static final int X = 0x08, RET_A = 0x10, TXA = 0x80;

    private ClassicBpf() {
    }

    private static int code(ByteBuffer p, int pc) {
        return Short.toUnsignedInt(p.getShort(pc * INSN_SIZE));
    }

    private static int jt(ByteBuffer p, int pc) {
        return Byte.toUnsignedInt(p.get(pc * INSN_SIZE + 2));
    }

    private static int jf(ByteBuffer p, int pc) {
        return Byte.toUnsignedInt(p.get(pc * INSN_SIZE + 3));
    }

    private static long k(ByteBuffer p, int pc) {
        return Integer.toUnsignedLong(p.getInt(pc * INSN_SIZE + 4));
    }

    /** chk_code_allowed: the codes Linux's table lists. */
    private static boolean allowed(int code) {
        return switch (code) {
            case ALU | ADD, ALU | ADD | X, ALU | SUB, ALU | SUB | X, ALU | MUL, ALU | MUL | X, ALU | DIV,
                 ALU | DIV | X, ALU | MOD, ALU | MOD | X, ALU | AND, ALU | AND | X, ALU | OR, ALU | OR | X,
                 ALU | XOR, ALU | XOR | X, ALU | LSH, ALU | LSH | X, ALU | RSH, ALU | RSH | X, ALU | NEG,
                 LD | W | ABS, LD | H | ABS, LD | B | ABS, LD | W | LEN, LD | W | IND, LD | H | IND, LD | B | IND,
                 LD | IMM, LD | MEM, LDX | W | LEN, LDX | B | MSH, LDX | IMM, LDX | MEM, ST, STX, MISC, MISC | TXA,
                 RET, RET | RET_A, JMP | JA, JMP | JEQ, JMP | JEQ | X, JMP | JGE, JMP | JGE | X, JMP | JGT,
                 JMP | JGT | X, JMP | JSET, JMP | JSET | X -> true;
            default -> false;
        };
    }

    private static boolean conditional(int code) {
        return (code & 7) == JMP && (code & 0xf0) != JA;
    }

    /** bpf_check_classic with check_load_and_stores: EINVAL for a program Linux refuses. */
    static void check(byte[] program) throws ErrnoException {
        ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        int n = program.length / INSN_SIZE;
        for (int pc = 0; pc < n; pc++) {
            int code = code(p, pc);
            long k = k(p, pc);
            if (!allowed(code)) {
                throw new ErrnoException(Errno.EINVAL);
            }
            boolean bad = switch (code) {
                case ALU | DIV, ALU | MOD -> k == 0;
                case ALU | LSH, ALU | RSH -> k >= 32;
                case LD | MEM, LDX | MEM, ST, STX -> k >= MEMWORDS;
                case JMP | JA -> k >= n - pc - 1;
                case LD | W | ABS, LD | H | ABS, LD | B | ABS -> k >= AD_OFF && !ancillary(k);
                default -> conditional(code) && (pc + jt(p, pc) + 1 >= n || pc + jf(p, pc) + 1 >= n);
            };
            if (bad) {
                throw new ErrnoException(Errno.EINVAL);
            }
        }
        int last = code(p, n - 1);
        if (last != RET && last != (RET | RET_A)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        // Every path loads a scratch word only after storing it (check_load_and_stores).
        int[] masks = new int[n];
        java.util.Arrays.fill(masks, 0xffff);
        int valid = 0;
        for (int pc = 0; pc < n; pc++) {
            valid &= masks[pc];
            int code = code(p, pc);
            int k = (int) k(p, pc);
            if (code == ST || code == STX) {
                valid |= 1 << k;
            } else if (code == (LD | MEM) || code == (LDX | MEM)) {
                if ((valid & (1 << k)) == 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
            } else if (code == (JMP | JA)) {
                masks[pc + 1 + k] &= valid;
                valid = 0xffff;
            } else if (conditional(code)) {
                masks[pc + 1 + jt(p, pc)] &= valid;
                masks[pc + 1 + jf(p, pc)] &= valid;
                valid = 0xffff;
            }
        }
    }

    private static boolean ancillary(long k) {
        long off = k - AD_OFF;
        return off <= AD_LAST && off % 4 == 0;
    }

    /** The program's answer, an unsigned 32-bit length: 0 drops the packet, less than its length cuts it. */
    static long run(byte[] program, byte[] packet) {
        ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer data = ByteBuffer.wrap(packet);
        int[] m = new int[MEMWORDS];
        int a = 0;
        int x = 0;
        for (int pc = 0; ; pc++) {
            int code = code(p, pc);
            int k = (int) k(p, pc);
            switch (code & 7) {
                case LD, LDX -> {
                    int v;
                    switch (code & 0xe0) {
                        case IMM -> v = k;
                        case MEM -> v = m[k];
                        case LEN -> v = packet.length;
                        case MSH -> {
                            if (Integer.toUnsignedLong(k) >= packet.length) {
                                return 0;
                            }
                            v = (packet[k] & 0xf) * 4;
                        }
                        default -> {
                            // The offset is a 32-bit sum: one that wraps negative is past any packet here.
                            long at = Integer.toUnsignedLong(k + ((code & 0xe0) == IND ? x : 0));
                            if ((code & 0xe0) == ABS && at >= AD_OFF) {
                                int off = (int) (at - AD_OFF);
                                v = off == AD_ALU_XOR_X ? a ^ x
                                        : off == AD_RANDOM ? ThreadLocalRandom.current().nextInt() : 0;
                                break;
                            }
                            int size = (code & 0x18) == W ? 4 : (code & 0x18) == H ? 2 : 1;
                            if (at + size > packet.length) {
                                return 0;
                            }
                            v = size == 4 ? data.getInt((int) at) : size == 2 ? Short.toUnsignedInt(data.getShort((int) at))
                                    : Byte.toUnsignedInt(data.get((int) at));
                        }
                    }
                    if ((code & 7) == LD) {
                        a = v;
                    } else {
                        x = v;
                    }
                }
                case ST -> m[k] = a;
                case STX -> m[k] = x;
                case ALU -> {
                    int operand = (code & X) != 0 ? x : k;
                    switch (code & 0xf0) {
                        case ADD -> a += operand;
                        case SUB -> a -= operand;
                        case MUL -> a *= operand;
                        case DIV, MOD -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = (code & 0xf0) == DIV ? Integer.divideUnsigned(a, operand) : Integer.remainderUnsigned(a, operand);
                        }
                        case OR -> a |= operand;
                        case AND -> a &= operand;
                        case XOR -> a ^= operand;
                        case LSH -> a <<= operand;
                        case RSH -> a >>>= operand;
                        default -> a = -a;
                    }
                }
                case JMP -> {
                    if ((code & 0xf0) == JA) {
                        pc += k;
                        break;
                    }
                    long l = Integer.toUnsignedLong(a);
                    long r = Integer.toUnsignedLong((code & X) != 0 ? x : k);
                    boolean taken = switch (code & 0xf0) {
                        case JEQ -> l == r;
                        case JGT -> l > r;
                        case JGE -> l >= r;
                        default -> (l & r) != 0;
                    };
                    pc += taken ? jt(p, pc) : jf(p, pc);
                }
                case RET -> {
                    return Integer.toUnsignedLong((code & RET_A) != 0 ? a : k);
                }
                default -> {
                    if ((code & TXA) != 0) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
            }
        }
    }
}
